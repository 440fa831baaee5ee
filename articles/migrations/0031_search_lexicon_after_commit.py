# Search and ingest (issues 15, 18): an import's stories counted in the lexicon after its commit.
#
# The lexicon's insert trigger (0011, 0015) counted each import batch's
# lexemes inside the batch's transaction: some 0.2 ms a story, all of it
# while the import held grouping's lock (articles/story_groups.py), which
# every other import waits for until the commit. Two ingest workers were
# bound by that lock, not by the CPU (bench/ingest_bench.py).
#
# An import now sets articles.lexicon_after_commit for its batch
# (articles.search.index.lexicon_counted_after_commit): the trigger then only
# notes the new stories' ids in articles_lexiconbacklog, and the importer
# counts them once the batch has committed (count_lexicon_backlog), out of
# the lock. Every other writer (the admin, a migration, a test's ORM insert)
# is counted at once, as before. A story deleted or edited while still in
# the backlog is taken out of it by that statement's trigger: never counted,
# it is not subtracted; edited, its new vector is counted whole. A backlog
# left by a process that died between the commit and the count is counted
# by the next import.
#
# The count is a function beside the triggers, so the lexicon's counting is
# written in one place: it takes the backlog rows no other count holds (two
# workers counting at once neither wait nor count twice), reads the stories
# by primary key, and sorts their lexemes in memory (work_mem is the
# function's own, restored when it returns).

from django.db import migrations

FORWARD_SQL = """
CREATE TABLE articles_lexiconbacklog (article_id bigint PRIMARY KEY);

CREATE OR REPLACE FUNCTION articles_lexicon_on_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('articles.lexicon_after_commit', true) = 'on' THEN
        INSERT INTO articles_lexiconbacklog (article_id) SELECT id FROM new_rows
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END IF;
    INSERT INTO articles_searchlexeme (lexeme, stories)
    SELECT lexeme, count(*)::int FROM (
        SELECT lexeme FROM new_rows, unnest(tsvector_to_array(search_vector)) AS lexeme
        WHERE left(lexeme, 1) <> '+'
        UNION ALL
        SELECT '' FROM new_rows
    ) AS added
    GROUP BY lexeme ORDER BY lexeme
    ON CONFLICT (lexeme) DO UPDATE
    SET stories = articles_searchlexeme.stories + EXCLUDED.stories;
    RETURN NULL;
END
$$;

CREATE FUNCTION articles_lexicon_count_backlog() RETURNS integer
LANGUAGE plpgsql SET work_mem = '64MB' AS $$
DECLARE
    taken bigint[];
BEGIN
    WITH free AS (
        DELETE FROM articles_lexiconbacklog WHERE article_id IN (
            SELECT article_id FROM articles_lexiconbacklog FOR UPDATE SKIP LOCKED
        ) RETURNING article_id
    )
    SELECT array_agg(article_id) INTO taken FROM free;
    IF taken IS NULL THEN
        RETURN 0;
    END IF;
    INSERT INTO articles_searchlexeme (lexeme, stories)
    SELECT lexeme, count(*)::int FROM (
        SELECT lexeme FROM articles_article a, unnest(tsvector_to_array(a.search_vector)) AS lexeme
        WHERE a.id = ANY(taken) AND left(lexeme, 1) <> '+'
        UNION ALL
        SELECT '' FROM articles_article a WHERE a.id = ANY(taken)
    ) AS added
    GROUP BY lexeme ORDER BY lexeme
    ON CONFLICT (lexeme) DO UPDATE
    SET stories = articles_searchlexeme.stories + EXCLUDED.stories;
    RETURN cardinality(taken);
END
$$;

CREATE OR REPLACE FUNCTION articles_lexicon_on_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    WITH never_counted AS (
        DELETE FROM articles_lexiconbacklog b USING old_rows o
        WHERE b.article_id = o.id RETURNING b.article_id
    ), counted AS (
        SELECT o.* FROM old_rows o WHERE o.id NOT IN (SELECT article_id FROM never_counted)
    )
    INSERT INTO articles_searchlexeme (lexeme, stories)
    SELECT lexeme, -count(*)::int FROM (
        SELECT lexeme FROM counted, unnest(tsvector_to_array(search_vector)) AS lexeme
        WHERE left(lexeme, 1) <> '+'
        UNION ALL
        SELECT '' FROM counted
    ) AS removed
    GROUP BY lexeme ORDER BY lexeme
    ON CONFLICT (lexeme) DO UPDATE
    SET stories = articles_searchlexeme.stories + EXCLUDED.stories;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION articles_lexicon_on_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    WITH never_counted AS (
        DELETE FROM articles_lexiconbacklog b USING new_rows n
        WHERE b.article_id = n.id RETURNING b.article_id
    ), changed AS (
        -- A story from the backlog: its new vector, whole, and the story itself.
        SELECT lexeme, 1 AS change
        FROM new_rows n, unnest(tsvector_to_array(n.search_vector)) AS lexeme
        WHERE n.id IN (SELECT article_id FROM never_counted) AND left(lexeme, 1) <> '+'
        UNION ALL
        SELECT '', 1 FROM new_rows n WHERE n.id IN (SELECT article_id FROM never_counted)
        UNION ALL
        -- A story counted before: what its vector gained and lost.
        SELECT lexeme, 1
        FROM new_rows n JOIN old_rows o ON o.id = n.id,
             unnest(tsvector_to_array(n.search_vector)) AS lexeme
        WHERE n.search_vector IS DISTINCT FROM o.search_vector AND left(lexeme, 1) <> '+'
          AND n.id NOT IN (SELECT article_id FROM never_counted)
        UNION ALL
        SELECT lexeme, -1
        FROM new_rows n JOIN old_rows o ON o.id = n.id,
             unnest(tsvector_to_array(o.search_vector)) AS lexeme
        WHERE n.search_vector IS DISTINCT FROM o.search_vector AND left(lexeme, 1) <> '+'
          AND n.id NOT IN (SELECT article_id FROM never_counted)
    )
    INSERT INTO articles_searchlexeme (lexeme, stories)
    SELECT lexeme, sum(change)::int FROM changed
    GROUP BY lexeme HAVING sum(change) <> 0 ORDER BY lexeme
    ON CONFLICT (lexeme) DO UPDATE
    SET stories = articles_searchlexeme.stories + EXCLUDED.stories;
    RETURN NULL;
END
$$;
"""

# The backlog counted first, so nothing is lost; then the functions as 0015 left them.
REVERSE_SQL = """
SELECT articles_lexicon_count_backlog();
DROP FUNCTION articles_lexicon_count_backlog();
DROP TABLE articles_lexiconbacklog;

CREATE OR REPLACE FUNCTION articles_lexicon_on_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_searchlexeme (lexeme, stories)
    SELECT lexeme, count(*)::int FROM (
        SELECT lexeme FROM new_rows, unnest(tsvector_to_array(search_vector)) AS lexeme
        WHERE left(lexeme, 1) <> '+'
        UNION ALL
        SELECT '' FROM new_rows
    ) AS added
    GROUP BY lexeme ORDER BY lexeme
    ON CONFLICT (lexeme) DO UPDATE
    SET stories = articles_searchlexeme.stories + EXCLUDED.stories;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION articles_lexicon_on_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_searchlexeme (lexeme, stories)
    SELECT lexeme, -count(*)::int FROM (
        SELECT lexeme FROM old_rows, unnest(tsvector_to_array(search_vector)) AS lexeme
        WHERE left(lexeme, 1) <> '+'
        UNION ALL
        SELECT '' FROM old_rows
    ) AS removed
    GROUP BY lexeme ORDER BY lexeme
    ON CONFLICT (lexeme) DO UPDATE
    SET stories = articles_searchlexeme.stories + EXCLUDED.stories;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION articles_lexicon_on_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_searchlexeme (lexeme, stories)
    SELECT lexeme, sum(change)::int FROM (
        SELECT lexeme, 1 AS change
        FROM new_rows n JOIN old_rows o ON o.id = n.id,
             unnest(tsvector_to_array(n.search_vector)) AS lexeme
        WHERE n.search_vector IS DISTINCT FROM o.search_vector AND left(lexeme, 1) <> '+'
        UNION ALL
        SELECT lexeme, -1
        FROM new_rows n JOIN old_rows o ON o.id = n.id,
             unnest(tsvector_to_array(o.search_vector)) AS lexeme
        WHERE n.search_vector IS DISTINCT FROM o.search_vector AND left(lexeme, 1) <> '+'
    ) AS changed
    GROUP BY lexeme HAVING sum(change) <> 0 ORDER BY lexeme
    ON CONFLICT (lexeme) DO UPDATE
    SET stories = articles_searchlexeme.stories + EXCLUDED.stories;
    RETURN NULL;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0030_article_indexes_covered"),
    ]

    operations = [migrations.RunSQL(FORWARD_SQL, reverse_sql=REVERSE_SQL)]
