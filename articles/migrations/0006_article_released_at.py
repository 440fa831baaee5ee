# Issue 10: a story keeps the wire's date when it is released; the moment it
# went live on the site is recorded apart, in released_at. Stories released
# before this migration were released at their time, as far as anyone knows.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0005_search_time_lexemes'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='released_at',
            field=models.DateTimeField(blank=True, editable=False, help_text='متى ظهر الخبر للقراء على الموقع؛ يبقى تاريخ الخبر ما أعطته الوكالة.', null=True, verbose_name='وقت الإتاحة على الموقع'),
        ),
        migrations.RunSQL(
            "UPDATE articles_article SET released_at = published_at "
            "WHERE status IN ('published', 'withdrawn')",
            migrations.RunSQL.noop,
        ),
    ]
