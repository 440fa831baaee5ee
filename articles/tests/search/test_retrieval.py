"""Finding a search's stories on real PostgreSQL: filters, the newest matches first."""

import dataclasses
import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.search import retrieval
from articles.search.query import parse_query
from articles.search.retrieval import DEFAULT_TUNING, Tuning, search_articles
from articles.tests.search.support import ago, found, frame

pytestmark = pytest.mark.django_db


# --- Filters ------------------------------------------------------------------


def test_filter_by_source(story):
    story(headline="من بترا", source="بترا", paragraphs=frame("الانتخابات"))
    story(headline="من وفا", source="وفا", paragraphs=frame("الانتخابات"))
    source = Article.objects.get(headline="من وفا").source
    assert found("الانتخابات", source=source) == ["من وفا"]


def test_a_source_narrows_the_query_inside_the_index(story):
    story(headline="من وفا", source="وفا", paragraphs=frame("الانتخابات"))
    wafa = Article.objects.get(headline="من وفا").source
    results = search_articles(Article.objects.published(), parse_query("الانتخابات"), source=wafa)
    assert results.query.tsquery().endswith(f" & '@{wafa.pk}'")
    assert [article.headline for article in results[:10]] == ["من وفا"]


def test_a_story_moved_to_another_source_is_found_under_it_only(story):
    story(headline="منقول", source="بترا", paragraphs=frame("الانتخابات"))
    story(headline="من وفا", source="وفا", paragraphs=frame("الانتخابات"))
    petra, wafa = (Article.objects.get(headline=h).source for h in ("منقول", "من وفا"))
    Article.objects.filter(headline="منقول").update(source=wafa)
    assert sorted(found("الانتخابات", source=wafa)) == ["من وفا", "منقول"]
    assert found("الانتخابات", source=petra) == []


def test_filter_by_date_range_includes_both_days(story):
    today = timezone.localdate()
    for days in (0, 2, 5, 9):
        moment = timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time(0, 30))
        )
        story(headline=f"قبل {days}", paragraphs=frame("الانتخابات"), published_at=moment)
    headlines = found(
        "الانتخابات",
        date_from=today - datetime.timedelta(days=5),
        date_to=today - datetime.timedelta(days=2),
    )
    assert sorted(headlines) == ["قبل 2", "قبل 5"]


# --- Finding the newest matches -----------------------------------------------


@pytest.fixture
def spans():
    """Tuning that searches span by span, as for a common word, and stops at 2 matches."""
    return Tuning(fetch_all_below=-1, enough_matches=2)


def newest(text, queryset=None, tuning=DEFAULT_TUNING, **filters):
    """The headlines found for ``text`` newest first, with the count and whether it is capped."""
    queryset = Article.objects.published() if queryset is None else queryset
    query = parse_query(text)
    results = search_articles(queryset, query, by_date=True, tuning=tuning, **filters)
    return [a.headline for a in results[0:50]], results.total, results.is_capped


def test_common_words_stop_at_the_newest_matches(story, spans):
    for n in range(6):
        story(headline=f"انتخابات {n}", paragraphs=frame("الانتخابات"), published_at=ago(days=n))
    story(headline="قديم", paragraphs=frame("الانتخابات"), published_at=ago(days=3000))
    headlines, total, capped = newest("الانتخابات", tuning=spans)
    # The first span (a day, as no statistics say how common the word is)
    # finds one; the next, ten times as long, the others: the old story is
    # never read.
    assert headlines == [f"انتخابات {n}" for n in range(6)]
    assert capped and total == 6 // 100 * 100


def test_spans_never_reach_back_past_the_oldest_story(story, spans):
    for n in range(6):
        story(headline=f"طقس {n}", paragraphs=frame("الطقس"), published_at=ago(days=n * 30))
    with CaptureQueriesContext(connection) as queries:
        # No match in any span: each is ten times as long as the last, until
        # the next would pass the oldest story; then the rest, at once.
        assert newest("الانتخابات", tuning=spans) == ([], 0, False)
    years = [sql.count("#y") for sql in (query["sql"] for query in queries.captured_queries)]
    assert max(years) <= 1


def test_spans_go_back_until_the_rest_and_count_exactly(story, spans):
    story(headline="حديث", paragraphs=frame("الانتخابات"), published_at=ago(hours=1))
    story(headline="طقس", paragraphs=frame("الطقس"), published_at=ago(days=3))
    story(headline="قديم", paragraphs=frame("الانتخابات"), published_at=ago(days=3000))
    assert newest("الانتخابات", tuning=spans) == (["حديث", "قديم"], 2, False)


def test_spans_stop_at_a_page_when_going_on_would_read_more_than_the_budget(story):
    for n in range(12):
        story(headline=f"حديث {n}", paragraphs=frame("الانتخابات"), published_at=ago(seconds=n))
    for n in range(5):
        story(headline=f"قديم {n}", paragraphs=frame("الانتخابات"), published_at=ago(days=200 + n))
    # Last month's stories say how many a day the spans read (two), and so
    # how long the first is: some two months, short of the old stories.
    last_month = timezone.now().astimezone(datetime.UTC).replace(day=1) - datetime.timedelta(days=1)
    for n in range(62):
        story(headline=f"طقس {n}", paragraphs=frame("الطقس"), published_at=last_month)
    # A page (10) found in the first span, fewer than enough (20): going on
    # would read past a budget of none, so the page is what there is.
    tuning = Tuning(fetch_all_below=-1, enough_matches=20, span_budget=0)
    headlines, total, capped = newest("الانتخابات", tuning=tuning)
    assert headlines == [f"حديث {n}" for n in range(12)]
    assert (total, capped) == (10, True)
    # Within the budget, the spans go on back to the old ones.
    headlines, total, capped = newest(
        "الانتخابات", tuning=dataclasses.replace(tuning, span_budget=10**6)
    )
    assert headlines == [f"حديث {n}" for n in range(12)] + [f"قديم {n}" for n in range(5)]
    assert (total, capped) == (17, False)


def test_spans_and_fetching_all_find_the_same_stories(story):
    words = ["الانتخابات", "الطقس", "المطر"]
    for n in range(40):
        text = " ".join(words[: n % 3 + 1])
        story(headline=f"خبر {n}", paragraphs=frame(text), published_at=ago(hours=n * n * 7))
    for text in ["الانتخابات", "الطقس", "المطر", "الطقس المطر", '"الانتخابات الطقس"']:
        fetched = newest(text)
        assert newest(text, tuning=Tuning(fetch_all_below=-1)) == fetched


def test_spans_keep_the_filters(story, spans):
    story(headline="بترا", paragraphs=frame("الانتخابات"), source="بترا", published_at=ago(days=1))
    story(headline="وفا", paragraphs=frame("الانتخابات"), source="وفا", published_at=ago(days=2))
    story(
        headline="وفا قديم", paragraphs=frame("الانتخابات"), source="وفا", published_at=ago(days=40)
    )
    wafa = Article.objects.get(headline="وفا").source
    assert newest("الانتخابات", tuning=spans, source=wafa) == (["وفا", "وفا قديم"], 2, False)
    day = timezone.localdate(ago(days=40))
    assert newest("الانتخابات", tuning=spans, date_to=day) == (["وفا قديم"], 1, False)


def test_spans_find_scheduled_and_draft_stories_for_the_admin(story, spans):
    story(headline="مجدول", paragraphs=frame("الانتخابات"), published_at=ago(days=-30))
    story(headline="مسودة", paragraphs=frame("الانتخابات"), status=Article.Status.DRAFT)
    headlines, _, _ = newest("الانتخابات", tuning=spans, queryset=Article.objects.all())
    assert headlines == ["مجدول", "مسودة"]
    assert newest("الانتخابات", tuning=spans) == ([], 0, False)


def test_spans_reach_the_ends_of_the_calendar(story, spans):
    story(
        headline="أول",
        paragraphs=frame("الانتخابات"),
        published_at=datetime.datetime(1, 1, 2, tzinfo=datetime.UTC),
    )
    story(
        headline="آخر",
        paragraphs=frame("الانتخابات"),
        published_at=datetime.datetime(9999, 12, 30, tzinfo=datetime.UTC),
    )
    headlines, total, _ = newest("الانتخابات", tuning=spans, queryset=Article.objects.all())
    assert (headlines, total) == (["آخر", "أول"], 2)


@pytest.fixture
def walk(spans):
    """Tuning that reads the newest two stories one by one for any prefix."""
    return dataclasses.replace(spans, walk_first=2, walk_share=0)


def test_a_common_prefix_is_read_from_the_newest_stories(story, walk):
    for n in range(4):
        story(headline=f"انتخابات {n}", paragraphs=frame("الانتخابات"), published_at=ago(days=n))
    headlines, _, capped = newest("الانتخا", tuning=walk)
    assert headlines == ["انتخابات 0", "انتخابات 1", "انتخابات 2"] and capped


def test_a_prefix_goes_on_in_spans_from_the_last_story_read(story, walk):
    story(headline="أول", paragraphs=frame("الانتخابات"), published_at=ago(hours=1))
    story(headline="طقس", paragraphs=frame("الطقس"), published_at=ago(hours=2))
    story(headline="ثان", paragraphs=frame("الانتخابات"), published_at=ago(hours=3))
    story(headline="قديم", paragraphs=frame("الانتخابات"), published_at=ago(days=300))
    assert newest("الانتخا", tuning=walk)[0] == ["أول", "ثان", "قديم"]


def test_a_rare_prefix_is_not_read_story_by_story(story, spans):
    for n in range(3):
        story(headline=f"انتخابات {n}", paragraphs=frame("الانتخابات"), published_at=ago(days=n))
    for n in range(7):
        story(headline=f"طقس {n}", paragraphs=frame("الطقس"), published_at=ago(days=n))
    results = search_articles(Article.objects.published(), parse_query("الانتخا"), tuning=spans)
    # In 3 stories of 10, less than walk_share: no story is tested alone.
    with CaptureQueriesContext(connection) as queries:
        assert len(results[0:10]) == 3
    assert not any('AS "hit"' in query["sql"] for query in queries.captured_queries)


def test_a_prefix_common_among_a_source_s_stories_is_read_from_its_newest(story, spans):
    # The prefix is in every story: with the source's share of the archive
    # (1 in 4) it is not in walk_share of all stories, but it is in every one
    # of the source's, which is what the walk reads.
    for source, stories in (("وفا", 3), ("بترا", 9)):
        for n in range(stories):
            moment = ago(days=n)
            story(
                headline=f"{source} {n}",
                source=source,
                paragraphs=frame("الانتخابات"),
                published_at=moment,
            )
    wafa = Article.objects.get(headline="وفا 0").source
    tuning = dataclasses.replace(spans, walk_first=2, walk_share=0.5)
    results = search_articles(
        Article.objects.published(), parse_query("الانتخا"), source=wafa, tuning=tuning
    )
    with CaptureQueriesContext(connection) as queries:
        headlines = [article.headline for article in results[0:10]]
    assert headlines == ["وفا 0", "وفا 1", "وفا 2"]
    assert any('AS "hit"' in query["sql"] for query in queries.captured_queries)


def test_reading_every_story_gives_an_exact_count(story, walk):
    story(headline="وحيد", paragraphs=frame("الانتخابات"))
    assert newest("الانتخا", tuning=walk) == (["وحيد"], 1, False)


def test_a_whole_word_the_index_holds_less_than_a_page_of_is_not_searched(story):
    story(headline="مصر", paragraphs=frame("مصر"))
    for n in range(3):
        story(headline=f"مصرف {n}", paragraphs=frame("مصرف"), published_at=ago(hours=n + 1))
    results = search_articles(Article.objects.published(), parse_query("مصر"))
    with CaptureQueriesContext(connection) as queries:
        assert len(results[0:20]) == 4
    # One search of the index, for the prefix: the lexicon said the whole
    # word was in one story, less than a page.
    searches = [q for q in queries.captured_queries if "enable_seqscan" in q["sql"]]
    assert len(searches) == 1
    assert any(term.prefix for term in results.query.terms)


def test_a_whole_word_with_a_page_of_matches_is_not_a_prefix(story):
    for n in range(retrieval.RESULTS_PER_PAGE):
        story(headline=f"مصر {n}", paragraphs=frame("مصر"), published_at=ago(hours=n + 1))
    story(headline="مصرف", paragraphs=frame("مصرف"))
    results = search_articles(Article.objects.published(), parse_query("مصر"))
    assert "مصرف" not in [a.headline for a in results[0:20]]
    # The results are marked by the query that found them.
    assert not any(term.prefix for term in results.query.terms)


def test_a_word_with_fewer_matches_is_also_a_prefix(story):
    story(headline="مصر", paragraphs=frame("مصر"), published_at=ago(hours=2))
    story(headline="مصرف", paragraphs=frame("مصرف"))
    assert found("مصر") == ["مصر", "مصرف"]


@pytest.mark.parametrize("fetch_all_below", [DEFAULT_TUNING.fetch_all_below, -1])
def test_planner_settings_do_not_outlive_the_search(story, fetch_all_below):
    tuning = Tuning(fetch_all_below=fetch_all_below)
    story(paragraphs=frame("الانتخابات"), published_at=ago(days=2))
    story(paragraphs=frame("الطقس"), published_at=ago(days=1))
    with transaction.atomic(), connection.cursor() as cursor:
        query = parse_query("الانتخابات")
        results = search_articles(Article.objects.published(), query, tuning=tuning)
        assert results.count() == 1
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
