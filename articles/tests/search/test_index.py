"""The search index: the vectors stories are found by; the time lexemes, trigger and covers."""

import datetime
import importlib
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from articles.models import Article, Paragraph, SearchLexeme, Source
from articles.search.index import (
    document_vector,
    pair_lexeme,
    quote_lexeme,
    refresh_search_vectors,
    source_lexeme,
    time_day,
    time_lexeme,
    time_lexemes,
)
from articles.tests.search.support import found

UTC = datetime.UTC


def stored_time_lexemes(article):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array(SELECT lexeme FROM unnest(search_vector) WHERE lexeme LIKE '#%%' "
            "ORDER BY lexeme) FROM articles_article WHERE id = %s",
            [article.pk],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def indexed(make_article):
    # 23:30 in Amman is 20:30 UTC: the lexemes count days in UTC.
    article = make_article(published_at=datetime.datetime(2026, 2, 28, 20, 30, tzinfo=UTC))
    refresh_search_vectors([article.pk])
    return article


@pytest.mark.django_db
def test_indexing_adds_the_day_month_and_year_of_publication(indexed):
    assert stored_time_lexemes(indexed) == ["#d20260228", "#m202602", "#y2026"]


@pytest.mark.django_db
def test_a_new_date_moves_the_lexemes_whatever_writes_it(indexed):
    Article.objects.filter(pk=indexed.pk).update(
        published_at=datetime.datetime(2027, 3, 1, 1, tzinfo=UTC)
    )
    assert stored_time_lexemes(indexed) == ["#d20270301", "#m202703", "#y2027"]
    indexed.refresh_from_db()
    indexed.published_at = datetime.datetime(2025, 12, 31, 23, 59, tzinfo=UTC)
    indexed.save(update_fields=["published_at"])
    assert stored_time_lexemes(indexed) == ["#d20251231", "#m202512", "#y2025"]


@pytest.mark.django_db
def test_saving_a_story_keeps_its_lexemes(indexed):
    indexed.refresh_from_db()
    indexed.headline = "عنوان جديد"
    indexed.save()
    assert stored_time_lexemes(indexed) == ["#d20260228", "#m202602", "#y2026"]


def stored_source_lexemes(article):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array(SELECT lexeme FROM unnest(search_vector) WHERE lexeme LIKE '@%%' "
            "ORDER BY lexeme) FROM articles_article WHERE id = %s",
            [article.pk],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_indexing_adds_the_source(indexed):
    assert stored_source_lexemes(indexed) == [source_lexeme(indexed.source_id)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT articles_source_lexemes(%s)", [indexed.source_id])
        assert cursor.fetchone()[0] == [source_lexeme(indexed.source_id)]


@pytest.mark.django_db
def test_a_new_source_moves_the_lexeme_and_its_count_whatever_writes_it(indexed):
    old, new = indexed.source_id, Source.objects.create(name="وفا", slug="wafa").pk
    Article.objects.filter(pk=indexed.pk).update(source_id=new)
    assert stored_source_lexemes(indexed) == [source_lexeme(new)]
    counts = dict(SearchLexeme.objects.values_list("lexeme", "stories"))
    assert (counts.get(source_lexeme(old), 0), counts[source_lexeme(new)]) == (0, 1)
    indexed.refresh_from_db()
    indexed.source_id = old
    indexed.headline = "عنوان جديد"
    indexed.save()
    refresh_search_vectors([indexed.pk])
    assert stored_source_lexemes(indexed) == [source_lexeme(old)]


@pytest.mark.django_db
def test_migration_0020_adds_the_source_to_stored_vectors(indexed):
    migration = importlib.import_module("articles.migrations.0020_search_source_lexemes")
    with connection.cursor() as cursor:
        cursor.execute(migration.REVERSE_SQL)
        assert stored_source_lexemes(indexed) == []
        cursor.execute(migration.FILTER_LEXEMES_SQL)
    assert stored_source_lexemes(indexed) == [source_lexeme(indexed.source_id)]
    assert stored_time_lexemes(indexed) == ["#d20260228", "#m202602", "#y2026"]


# Moments at the turn of a day, a month and a year in zones either side of
# UTC, a leap day, years of fewer than four digits, the ends of the calendar.
TURNING_MOMENTS = [
    datetime.datetime(2026, 2, 28, 23, 30, tzinfo=ZoneInfo("Asia/Riyadh")),
    datetime.datetime(2026, 3, 1, 1, 0, tzinfo=ZoneInfo("Asia/Riyadh")),
    datetime.datetime(2026, 12, 31, 20, 0, tzinfo=ZoneInfo("America/New_York")),
    datetime.datetime(2027, 1, 1, 0, 0, tzinfo=UTC),
    datetime.datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime.datetime(2024, 2, 29, 12, 0, tzinfo=UTC),
    datetime.datetime(999, 5, 6, 7, 8, tzinfo=UTC),
    datetime.datetime(1, 1, 1, 0, 0, tzinfo=UTC),
    datetime.datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
]
# And 500 moments over two centuries, at every hour of the day: a step of a
# prime number of seconds (about 143 days).
SPREAD_MOMENTS = [
    datetime.datetime(1900, 1, 1, tzinfo=UTC) + datetime.timedelta(seconds=n * 12_345_701)
    for n in range(500)
]


@pytest.mark.django_db
def test_python_writes_the_time_lexemes_as_the_trigger_does():
    # time_lexeme is the Python writing of migration 0005's SQL function
    # articles_time_lexemes, which the trigger uses: they must never drift.
    moments = TURNING_MOMENTS + SPREAD_MOMENTS
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT articles_time_lexemes(m) FROM unnest(%s::timestamptz[]) "
            "WITH ORDINALITY AS t(m, n) ORDER BY n",
            [moments],
        )
        in_sql = [row[0] for row in cursor.fetchall()]
    assert [[time_lexeme(unit, time_day(m)) for unit in "dmy"] for m in moments] == in_sql


@pytest.mark.django_db
def test_a_story_never_indexed_has_no_vector(make_article):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(published_at=datetime.datetime.now(UTC))
    article.refresh_from_db()
    assert article.search_vector is None


def days_of(lexeme):
    """The days a time lexeme stands for."""
    kind, digits = lexeme[1], lexeme[2:]
    if kind == "d":
        return {datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))}
    year = int(digits[:4])
    if kind == "m":
        month = int(digits[4:])
        first = datetime.date(year, month, 1)
        last = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
    else:
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return {first + datetime.timedelta(days=n) for n in range((last - first).days + 1)}


@given(
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9998, 12, 31)),
    st.integers(min_value=0, max_value=3000),
)
def test_a_cover_is_whole_units_from_the_returned_day_through_the_last(first, length):
    last = min(first + datetime.timedelta(days=length), datetime.date(9999, 12, 31))
    start, lexemes = time_lexemes(first, last)
    covered = set().union(*map(days_of, lexemes))
    assert start <= first and start == min(covered)
    # Every day from its start on, none missing, at least through ``last``.
    assert len(covered) == (max(covered) - start).days + 1 and max(covered) >= last
    # Few items for the GIN index to test: days up to two weeks, then months.
    assert len(lexemes) <= 15 or lexemes[0].startswith("#y")


def test_a_short_span_is_covered_day_by_day():
    start, lexemes = time_lexemes(datetime.date(2026, 2, 27), datetime.date(2026, 3, 1))
    assert (start, lexemes) == (
        datetime.date(2026, 2, 27),
        ["#d20260227", "#d20260228", "#d20260301"],
    )


def test_a_long_span_is_covered_by_months_then_years():
    assert time_lexemes(datetime.date(2026, 1, 20), datetime.date(2026, 3, 1)) == (
        datetime.date(2026, 1, 1),
        ["#m202601", "#m202602", "#m202603"],
    )
    assert time_lexemes(datetime.date(2024, 6, 1), datetime.date(2026, 3, 1)) == (
        datetime.date(2024, 1, 1),
        ["#y2024", "#y2025", "#y2026"],
    )


# --- The vectors --------------------------------------------------------------


def test_refresh_reads_and_writes_a_batch_in_two_queries(make_article, django_assert_num_queries):
    ids = [make_article(headline=f"خبر {n}").pk for n in range(30)]
    with django_assert_num_queries(2):
        refresh_search_vectors(ids)
    assert not Article.objects.filter(pk__in=ids, search_vector__isnull=True).exists()


def test_refresh_follows_a_paragraph_edit(story):
    article = story(paragraphs=("هطلت الثلوج.",))
    Paragraph.objects.filter(article=article).update(text="اشتد الحر.")
    refresh_search_vectors([article.pk])
    assert found("الثلوج") == []
    assert found("الحر") == [article.headline]


@pytest.mark.django_db
def test_refresh_of_nothing_is_harmless(django_assert_num_queries):
    with django_assert_num_queries(0):
        refresh_search_vectors([])


@pytest.mark.django_db
def test_search_vector_is_stored_uncompressed():
    # Migration 0004: reading vectors back is most of a search's cost.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'articles_article'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone()[0] == "e"


def test_vector_weights_headline_caption_body_and_stems():
    vector = document_vector("الوزير", "الوزير", ["الوزير"])
    assert "'الوزير':1A,7B,13C" in vector
    assert "'~وزير':1B,7C,13D" in vector


def test_vector_leaves_out_stop_words_but_counts_their_positions():
    vector = document_vector("", "", ["وزير في الحكومة"])
    assert "'في'" not in vector
    assert "'وزير':11C" in vector
    assert "'الحكومه':13C" in vector


def pair(first, second):
    return pair_lexeme(quote_lexeme(first), quote_lexeme(second))


def test_vector_holds_a_pair_lexeme_for_each_two_successive_words_without_positions():
    vector = document_vector("", "", ["وزير في الحكومة يصل"]).split()
    # Across the stop word, as a phrase keeps its gap.
    assert pair("وزير", "الحكومه") in vector
    assert pair("الحكومه", "يصل") in vector
    assert pair("وزير", "يصل") not in vector
    assert pair("الحكومه", "وزير") not in vector


def test_pairs_stop_at_the_end_of_a_field():
    vector = document_vector("عنوان الخبر", "", ["نص الخبر"]).split()
    assert pair("عنوان", "الخبر") in vector
    assert pair("الخبر", "نص") not in vector


def test_pair_lexemes_are_short_and_spread_over_their_buckets():
    lexemes = {pair(f"كلمة{n}", "الحكومه") for n in range(1000)}
    assert all(len(lexeme) == len("'+abc'") for lexeme in lexemes)
    assert len(lexemes) > 980


@pytest.mark.django_db
def test_a_phrase_asks_the_index_for_its_pairs(story):
    # A vector with the words side by side but not their pair (as written
    # before migration 0015) is not found: the pair narrows the search.
    kept = story(headline="كاملة", paragraphs=("اجتمع مجلس الأمن الدولي.",))
    stripped = story(headline="بلا أزواج", paragraphs=("اجتمع مجلس الأمن الدولي.",))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article SET search_vector = ts_delete(search_vector, "
            "array(SELECT lexeme FROM unnest(search_vector) WHERE lexeme LIKE '+%%')) "
            "WHERE id = %s",
            [stripped.pk],
        )
    assert found('"مجلس الأمن الدولي"') == [kept.headline]
    assert sorted(found("مجلس الأمن الدولي")) == sorted([kept.headline, stripped.headline])


@pytest.mark.django_db
def test_pairs_are_not_words_of_the_lexicon(story):
    story(paragraphs=("اجتمع مجلس الأمن الدولي.",))
    assert not SearchLexeme.objects.filter(lexeme__startswith="+").exists()
    assert SearchLexeme.objects.get(lexeme="مجلس").stories == 1


@pytest.mark.django_db
def test_migration_0015_rewrites_stored_vectors_with_their_pairs(story):
    article = story(paragraphs=("اجتمع مجلس الأمن الدولي.",))
    Article.objects.filter(pk=article.pk).update(search_vector="'مجلس':1 'الامن':2")
    migration = importlib.import_module("articles.migrations.0015_search_word_pairs")
    migration.rewrite_vectors(django_apps, None)
    assert found('"مجلس الأمن"') == [article.headline]


def test_huge_story_is_indexed_without_error(story):
    words = [f"كلمة{n}" for n in range(40_000)]
    article = story(paragraphs=(" ".join(words),))
    assert found("كلمة5") == [article.headline]


def test_overlong_word_is_not_indexed(story):
    story(paragraphs=("ب" * 3000 + " الوزير",))
    assert found("الوزير") != []
