# Ingest (issue 18): a feed answered again with the same bytes is not read again.
#
# A publisher that sends neither ETag nor Last-Modified (or ignores
# If-None-Match) answers every poll with a 200: each poll parsed the whole
# feed and wrote an "unchanged" import-log row per entry, some 72,000 rows a
# day for a 50-entry feed polled every minute. The SHA-256 of the last answer
# read whole is kept, and the same bytes cost the fetch and nothing more.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0028_boilerplate_passages"),
    ]

    operations = [
        migrations.AddField(
            model_name="ingestsource",
            name="feed_body_sha256",
            field=models.CharField(blank=True, max_length=64, verbose_name="بصمة آخر جواب"),
        ),
    ]
