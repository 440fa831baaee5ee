# Search (issue 15): a prefix's commonest completions read level by level.
#
# Three letters such as وال or بال begin some 39,000 of the lexicon's words at
# 100,000 stories; finding their 50 commonest read every one of them and
# sorted them (15 to 23 ms). Each lexeme now carries its count's order of
# magnitude (log2, rounded down: a float logarithm, as numeric's took half
# the import's time in the lexicon's trigger), and an index on (magnitude,
# lexeme) lets the look-up read the prefix's words of the highest levels
# first and stop once it has enough (articles.search.lexicon.completions).
# The count itself stays unindexed, so its updates stay in place (migration
# 0014): the magnitude only changes when a count doubles or halves.

import django.contrib.postgres.indexes
import django.db.models.expressions
import django.db.models.functions.comparison
import django.db.models.functions.math
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0026_import_job"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchlexeme",
            name="magnitude",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.comparison.Cast(
                    django.db.models.functions.math.Floor(
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.functions.math.Ln(
                                django.db.models.functions.comparison.Cast(
                                    django.db.models.functions.comparison.Greatest("stories", 1),
                                    models.FloatField(),
                                )
                            ),
                            "/",
                            models.Value(0.6931471805599453),
                        )
                    ),
                    models.SmallIntegerField(),
                ),
                output_field=models.SmallIntegerField(),
            ),
        ),
        migrations.AddIndex(
            model_name="searchlexeme",
            index=models.Index(
                models.F("magnitude"),
                django.contrib.postgres.indexes.OpClass(
                    models.F("lexeme"), name="text_pattern_ops"
                ),
                name="searchlexeme_by_magnitude",
            ),
        ),
    ]
