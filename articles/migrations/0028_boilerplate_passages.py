# Grouping (issue 19): boilerplate counted by passage (a chunk of shingles), not by shingle.
#
# Stock text (agencies' background paragraphs, outlets' trailers, the fixed
# words of results formulas) is wording repeated across stories. Counting it
# by shingle added some 250 rows a story to articles_boilerplateshingle,
# forever: 1.5 GB at 72,000 stories, and its upserts' index look-ups were
# most of the import's grouping time. A group's first story now adds one
# count a passage, in articles_boilerplatepassage: its shingles cut into
# chunks where the content says (articles.grouping.chunk_passages), some
# twenty a story. The shingles of a passage seen in many groups are left out
# of the comparison (articles.grouping.PassageCounts).
#
# The counts restart from nothing: passages are keys of runs of shingles,
# which the shingle counts cannot give, and nothing rebuilds them
# (`manage.py group_copies` groups stories that have no fingerprint, and
# counts only the groups they start). Until the window's new groups have
# counted the stock paragraphs again (twelve groups each), stories sharing
# one are compared with it, as on a new site.
#
# Fillfactor 50, as migration 0022 gave the shingle counts: a count's new
# version stays on its page, without a new entry in the primary key (HOT).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0027_search_lexicon_magnitude"),
    ]

    operations = [
        migrations.CreateModel(
            name="BoilerplatePassage",
            fields=[
                ("passage", models.IntegerField(primary_key=True, serialize=False)),
                ("groups", models.IntegerField()),
            ],
            options={
                "verbose_name": "فقرة شائعة",
                "verbose_name_plural": "الفقرات الشائعة",
            },
        ),
        migrations.RunSQL(
            "ALTER TABLE articles_boilerplatepassage SET (fillfactor = 50);",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.DeleteModel(name="BoilerplateShingle"),
    ]
