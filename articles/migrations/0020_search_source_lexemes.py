# Search (issue 15): the story's source in its search vector, beside its dates.
#
# A search narrowed to one source filtered the GIN index's matches on the
# heap: a common word's matches were read from every source, then all but
# one source's thrown away (140 to 250 ms at 1,000,000 stories). With the
# source as a lexeme that no word can be ('@' and the source's id,
# articles.search.index.source_lexeme), ``words & '@12'`` is intersected
# inside the GIN index, like the time lexemes of migration 0005, and the
# lexicon counts each source's stories for the search's estimates.
#
# The trigger of migration 0005 keeps them, for the same reason: a story's
# source changes on paths that never touch its text (the admin's form, a
# bulk update), and a lexeme left behind would find the story under the
# wrong source. It now also fires when source_id is written.

from django.db import migrations

FILTER_LEXEMES_SQL = """
CREATE FUNCTION articles_source_lexemes(source bigint) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY['@' || source::text]
$$;

CREATE OR REPLACE FUNCTION articles_article_time_lexemes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.search_vector IS NULL THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.search_vector := NEW.search_vector
            || array_to_tsvector(articles_time_lexemes(NEW.published_at)
                                 || articles_source_lexemes(NEW.source_id));
    ELSIF NEW.published_at IS DISTINCT FROM OLD.published_at
            OR NEW.source_id IS DISTINCT FROM OLD.source_id
            OR NEW.search_vector IS DISTINCT FROM OLD.search_vector THEN
        NEW.search_vector := ts_delete(
                NEW.search_vector,
                articles_time_lexemes(OLD.published_at) || articles_source_lexemes(OLD.source_id))
            || array_to_tsvector(articles_time_lexemes(NEW.published_at)
                                 || articles_source_lexemes(NEW.source_id));
    END IF;
    RETURN NEW;
END
$$;

DROP TRIGGER articles_article_time_lexemes ON articles_article;
CREATE TRIGGER articles_article_time_lexemes
BEFORE INSERT OR UPDATE OF published_at, source_id, search_vector ON articles_article
FOR EACH ROW EXECUTE FUNCTION articles_article_time_lexemes();

-- Written as a change of the vector, so the trigger above adds the lexeme and
-- the lexicon's trigger counts it.
UPDATE articles_article
SET search_vector = search_vector || array_to_tsvector(articles_source_lexemes(source_id))
WHERE search_vector IS NOT NULL;
"""

REVERSE_SQL = """
DROP TRIGGER articles_article_time_lexemes ON articles_article;
UPDATE articles_article
SET search_vector = ts_delete(search_vector, articles_source_lexemes(source_id))
WHERE search_vector IS NOT NULL;
CREATE OR REPLACE FUNCTION articles_article_time_lexemes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.search_vector IS NULL THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.search_vector := NEW.search_vector
            || array_to_tsvector(articles_time_lexemes(NEW.published_at));
    ELSIF NEW.published_at IS DISTINCT FROM OLD.published_at
            OR NEW.search_vector IS DISTINCT FROM OLD.search_vector THEN
        NEW.search_vector := ts_delete(NEW.search_vector, articles_time_lexemes(OLD.published_at))
            || array_to_tsvector(articles_time_lexemes(NEW.published_at));
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER articles_article_time_lexemes
BEFORE INSERT OR UPDATE OF published_at, search_vector ON articles_article
FOR EACH ROW EXECUTE FUNCTION articles_article_time_lexemes();
DROP FUNCTION articles_source_lexemes(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_packed_shingles"),
    ]

    operations = [
        migrations.RunSQL(FILTER_LEXEMES_SQL, reverse_sql=REVERSE_SQL),
    ]
