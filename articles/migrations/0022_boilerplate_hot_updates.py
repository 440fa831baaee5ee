# Grouping (issue 19): boilerplate counts updated in place.
#
# Each import batch adds one to the count of every shingle of the stories
# that start a group: tens of thousands of rows, most of them already there.
# With free room on each page (fillfactor 50) a count's new version stays on
# its page without a new entry in the primary key's index (a HOT update), as
# the search lexicon's counts do (0014).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0021_story_band_times"),
    ]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE articles_boilerplateshingle SET (fillfactor = 50);",
            reverse_sql="ALTER TABLE articles_boilerplateshingle RESET (fillfactor);",
        ),
    ]
