# Search (issue 5): the day, month and year of publication in the search vector,
# and finer statistics of it.
#
# A result page needs the newest matches first. Reading stories newest first
# and testing each one's vector costs a TOAST read per story, and taking every
# match from the GIN index costs a heap read per match before they can be
# sorted: for a word in a few per cent of 100,000 stories either way took 10 to
# 30 ms. With the publication date in the vector as lexemes that no word can
# be ('#d20261129', '#m202611', '#y2026', in UTC), ``word & (#d... | #m...)``
# intersects the two posting lists inside the GIN index, and only the matches
# of a recent span of time are read (articles.search, "Finding the newest
# matches"): 1 to 3 ms.
#
# A trigger keeps them, not Python: the date changes on paths that never touch
# the text (publishing, scheduling, a bulk update), and a lexeme left behind
# would hide a story from the span it belongs to. Whenever the vector or the
# date is written, it removes the old date's lexemes and adds the new ones;
# refresh_search_vectors writes vectors without them.
#
# To choose between taking all of a query's matches at once and going span by
# span, articles.search_stats reads how common each lexeme is from ANALYZE's
# statistics. By default ANALYZE keeps the 1,000 commonest lexemes of the
# column; over 100,000 generated stories the rarest of them was still in 4% of
# the stories, too coarse to tell a word in 50 stories from one in 4,000. With
# 10,000 the bound was 0.4%. ANALYZE then samples all of 100,000 stories, in
# 13 s on this machine, run by autovacuum after a tenth of the rows change.

from django.db import migrations

TIME_LEXEMES_SQL = """
CREATE FUNCTION articles_time_lexemes(moment timestamptz) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY[
        '#d' || to_char(moment AT TIME ZONE 'UTC', 'YYYYMMDD'),
        '#m' || to_char(moment AT TIME ZONE 'UTC', 'YYYYMM'),
        '#y' || to_char(moment AT TIME ZONE 'UTC', 'YYYY')
    ]
$$;

CREATE FUNCTION articles_article_time_lexemes() RETURNS trigger
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

UPDATE articles_article
SET search_vector = search_vector || array_to_tsvector(articles_time_lexemes(published_at))
WHERE search_vector IS NOT NULL;

CREATE TRIGGER articles_article_time_lexemes
BEFORE INSERT OR UPDATE OF published_at, search_vector ON articles_article
FOR EACH ROW EXECUTE FUNCTION articles_article_time_lexemes();

ALTER TABLE articles_article ALTER COLUMN search_vector SET STATISTICS 1000;
"""

REVERSE_SQL = """
ALTER TABLE articles_article ALTER COLUMN search_vector SET STATISTICS -1;
DROP TRIGGER articles_article_time_lexemes ON articles_article;
DROP FUNCTION articles_article_time_lexemes();
UPDATE articles_article
SET search_vector = ts_delete(search_vector, articles_time_lexemes(published_at))
WHERE search_vector IS NOT NULL;
DROP FUNCTION articles_time_lexemes(timestamptz);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_search_config"),
    ]

    operations = [
        migrations.RunSQL(TIME_LEXEMES_SQL, reverse_sql=REVERSE_SQL),
    ]
