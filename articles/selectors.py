"""Reads for the reader's pages: each returns a queryset or one cheap query.

Everything a reader can reach starts from ``Article.objects.published()``.
The query budgets (front, source and archive pages at most 3 queries, the
story page at most 4) are met here: lists carry the opening of each story's
first paragraph as a subquery, a story's neighbours and related stories come
in one query (``surroundings``), and the archive's page carries the days
around it.
"""

from __future__ import annotations

import datetime
import functools
import logging
import operator

from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models import (
    Count,
    Exists,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Left, TruncDate
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Paragraph, Source
from articles.search.index import chunk_lexemes

logger = logging.getLogger(__name__)

# Characters of the first paragraph fetched for a list's teaser; one more than
# shown, so the template knows whether the paragraph goes on.
EXCERPT_CHARS = 240
RELATED_COUNT = 4
# Related stories come from around the story's own time, which keeps the
# query cheap (the published_at index) and the links relevant.
RELATED_WINDOW = datetime.timedelta(days=21)
# How many stories around it, in time, a story's neighbours and related links
# are found among (half on either side): reading 300 cost 0.8 ms more a page.
RELATED_CANDIDATES = 200
# Google News reads only the last two days: the news sitemap's stories (and
# the page cache, articles.page_cache, keeps that sitemap no longer).
NEWS_WINDOW = datetime.timedelta(hours=48)
# How far back the archive index reaches from the latest story.
RECENT_DAYS_WINDOW = datetime.timedelta(days=62)
# How long a process may show the navigation's sources without asking again.
# Saving a story or a source (and each import) forgets them at once; a story
# that becomes visible when its scheduled time comes shows in this much.
NAVIGATION_SECONDS = 60
_NAVIGATION_KEY = "articles:navigation:2"  # 2: sources carry their url
_CARD_COUNTS_KEY = "articles:card-counts"
# Columns no reader page shows: the search vector can be large.
_UNSHOWN = ("search_vector", "content_hash")


def listed(queryset: QuerySet[Article] | None = None) -> QuerySet[Article]:
    """Published stories for a list, each with ``opening``: its first paragraph's start."""
    if queryset is None:
        queryset = Article.objects.published()
    first_paragraph = Paragraph.objects.filter(article=OuterRef("pk")).order_by("position")
    return (
        queryset.select_related("source")
        .defer(*_UNSHOWN)
        .annotate(opening=Left(Subquery(first_paragraph.values("text")[:1]), EXCERPT_CHARS + 1))
    )


def one_card_each(source: Source | None = None) -> QuerySet[Article]:
    """Published stories with one for each group of copies (``one_per_group``):
    the front page and the feeds; a source's page and feed show its own copy."""
    if source is None:
        return Article.objects.published().one_per_group()
    return Article.objects.published().filter(source=source).one_per_group(per_source=True)


def card_count(source: Source | None = None) -> int:
    """How many cards ``one_card_each(source)`` gives: the front page's and a
    source page's pager, kept in the cache as the navigation is.

    Counting one card per group asks, for every published story, whether an
    earlier copy is visible: 14 ms at 10,000 stories, and it grows with the
    archive. The counts change only when a story does (``forget_navigation``
    forgets them with the sources), or when a scheduled story appears: then
    the pager is behind for at most ``NAVIGATION_SECONDS``.
    """
    name = "all" if source is None else str(source.pk)
    counts = _quietly(cache.get, _CARD_COUNTS_KEY) or {}
    if name not in counts:
        counts = {**counts, name: one_card_each(source).count()}
        _quietly(cache.set, _CARD_COUNTS_KEY, counts, NAVIGATION_SECONDS)
    return counts[name]


def nav_sources() -> QuerySet[Source]:
    """Sources readers may see that have a published story: the navigation, source pages,
    their feeds and the sitemap all start here."""
    return (
        Source.objects.named()
        .filter(Exists(Article.objects.published().filter(source=OuterRef("pk"))))
        .order_by("name")
    )


def navigation() -> list[Source]:
    """``nav_sources()``, kept in the cache: every reader page's header shows them.

    The query and its Exists subquery cost about 2 ms a page on this
    machine, for a list that changes a few times a day. Each source carries
    its page's ``url``.
    """
    sources = _quietly(cache.get, _NAVIGATION_KEY)
    if sources is None:
        sources = list(nav_sources())
        for source in sources:
            # Kept with them: reversing each source's URL on every page cost
            # as much as the rest of the header (bench/story_profile.py).
            source.url = reverse("articles:source", args=[source.slug])
        _quietly(cache.set, _NAVIGATION_KEY, sources, NAVIGATION_SECONDS)
    return sources


def forget_navigation(**signal_arguments) -> None:
    """Make the next page ask for the navigation's sources (and the cards' counts) again.

    At once, and again when the current transaction commits: a page served
    in between could have cached what the transaction had not yet written.
    """
    keys = [_NAVIGATION_KEY, _CARD_COUNTS_KEY]
    _quietly(cache.delete_many, keys)
    transaction.on_commit(lambda: _quietly(cache.delete_many, keys))


def _quietly(call, *arguments):
    """``call(*arguments)`` on the shared cache; None, logged, if the cache is down.

    A Redis that does not answer must cost readers the query it saves, and
    never fail an editor's save.
    """
    try:
        return call(*arguments)
    except Exception:
        logger.warning("The shared cache did not answer: the navigation is read afresh")
        return None


def story(slug: str) -> Article | None:
    """The story at ``slug`` whatever its status, with its source and ``paragraph_texts``.

    The caller decides what the reader may see (published, withdrawn, preview),
    then asks ``surroundings`` for what the page shows around it. The
    paragraphs' texts come in the same query, in their order. The query's SQL
    is compiled once a process (``_story_query``): compiling it took the ORM
    twice as long as PostgreSQL takes to answer it.
    """
    compiler, sql = _story_query()
    with reading_connection().cursor() as cursor:
        cursor.execute(sql, [slug])
        rows = cursor.fetchall()
    if not rows:
        return None
    # The ORM's own conversions of the columns (JSON, times), as a queryset's.
    (row,) = compiler.results_iter(results=[rows], tuple_expected=True)
    stories, sources = len(_STORY_FIELDS), len(_SOURCE_FIELDS)
    article = Article.from_db(DEFAULT_DB_ALIAS, _STORY_FIELDS, row[:stories])
    article.source = Source.from_db(
        DEFAULT_DB_ALIAS, _SOURCE_FIELDS, row[stories : stories + sources]
    )
    article.paragraph_texts = row[-1]
    return article


def reading_connection():
    """The connection a reader's page reads through: a replica's when the
    request was let onto one (``newsportal.db_replicas``), else the primary's."""
    return connections[router.db_for_read(Article)]


_STORY_FIELDS = tuple(f.attname for f in Article._meta.concrete_fields if f.name not in _UNSHOWN)
_SOURCE_FIELDS = tuple(f.attname for f in Source._meta.concrete_fields)
# Stands for the slug while the story's SQL is built: no slug can hold "\0".
_SLUG = "\0slug"


@functools.cache
def _story_query():
    """The compiler and SQL of ``story``'s one query: columns of the story, of its
    source, and its paragraphs' texts in order."""
    texts = Paragraph.objects.filter(article=OuterRef("pk")).order_by("position").values("text")
    columns = (*_STORY_FIELDS, *(f"source__{name}" for name in _SOURCE_FIELDS), "paragraph_texts")
    query = (
        Article.objects.filter(slug=_SLUG)
        .annotate(paragraph_texts=ArraySubquery(texts))
        .values_list(*columns)[:1]
    )
    compiler = query.query.get_compiler(DEFAULT_DB_ALIAS)
    sql, params = compiler.as_sql()
    if list(params) != [_SLUG]:
        raise ImproperlyConfigured(f"Unexpected parameters for a story: {params}")
    return compiler, sql


_SURROUNDING_FIELDS = (
    "pk",
    "headline",
    "slug",
    "at",
    "source_id",
    "source__name",
    "source__slug",
    "side",
)
# Where each column of a surroundings row is.
_PK_, _HEADLINE, _SLUG_, _EPOCH, _SOURCE, _SIDE = 0, 1, 2, 3, 4, 7
_OLDER, _NEWER = 0, 1


def surroundings(article: Article, count: int = RELATED_COUNT) -> list[Article]:
    """Set ``article.older`` and ``.newer`` ({slug, headline} or None); return its related.

    One query (its SQL built once, ``_surroundings_sql``) reads the
    ``RELATED_CANDIDATES`` published stories nearest in time on either side,
    each half through the published_at index from the story outwards. The
    first of each half is its neighbour. Those within ``RELATED_WINDOW`` that
    share the headline's words, or its source, are its related stories, ranked
    here: by how many of the story's headline words
    their headline shares, stem for stem as the search matches words
    (``articles.search.index.chunk_lexemes``), then the same source, then the
    newest. Ranking them in PostgreSQL read each candidate's whole search
    vector back, some 300 vectors of 8 KB, and the neighbours were two more
    subqueries for the ORM to compile: together two thirds of the story
    page's time (bench/wagtail_bench.py). Their headlines are a few KB in all.
    Times come as seconds since the epoch, a float each: parsing 200
    timestamps took longer than the query (bench/story_profile.py); only the
    related stories shown are given datetimes.
    """
    pk = article.pk
    at = article.published_at.timestamp()
    sql, template = _surroundings_sql()
    now = timezone.now()
    params = [
        article.published_at
        if value == _AT
        else pk
        if value == _PK
        else now
        if _is_time(value)
        else value
        for value in template
    ]
    with reading_connection().cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    order = operator.itemgetter(_EPOCH, _PK_)
    article.older = _neighbour(
        max((r for r in rows if r[_SIDE] == _OLDER), key=order, default=None)
    )
    article.newer = _neighbour(
        min((r for r in rows if r[_SIDE] == _NEWER), key=order, default=None)
    )

    wanted = _headline_stems(article.headline)
    window = RELATED_WINDOW.total_seconds()
    ranked = []
    for row in rows:
        if abs(row[_EPOCH] - at) > window:
            continue
        shared = len(wanted & _headline_stems(row[_HEADLINE]))
        same_source = row[_SOURCE] == article.source_id
        if shared or same_source:
            ranked.append(((shared, same_source, row[_EPOCH], row[_PK_]), row))
    ranked.sort(reverse=True)
    return [_related_story(row) for _, row in ranked[:count]]


class _Epoch(Func):
    """A moment as seconds since the epoch (Extract would shift it to local time first)."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)::double precision"
    output_field = FloatField()


# Stand for the story's time and id while the query's SQL is built.
_AT = datetime.datetime(1, 1, 2, tzinfo=datetime.UTC)
_PK = -7_919


@functools.cache
def _surroundings_sql() -> tuple[str, list]:
    """The SQL of ``surroundings`` and its parameters: the story's time and id
    stand as ``_AT`` and ``_PK``, and any other time is "now", the one
    ``Article.objects.published()`` asks for.

    Built by the ORM once a process: compiling it took the ORM longer than
    PostgreSQL takes to answer it.
    """
    half = RELATED_CANDIDATES // 2
    published = Article.objects.published().annotate(at=_Epoch("published_at"))
    # The redundant bound on published_at alone lets the index start the scan
    # right beside the story; the OR by itself made PostgreSQL filter row by row.
    older = (
        published.filter(
            Q(published_at__lt=_AT) | Q(published_at=_AT, pk__lt=_PK), published_at__lte=_AT
        )
        .annotate(side=Value(_OLDER))
        .order_by("-published_at", "-pk")
    )
    newer = (
        published.filter(
            Q(published_at__gt=_AT) | Q(published_at=_AT, pk__gt=_PK), published_at__gte=_AT
        )
        .annotate(side=Value(_NEWER))
        .order_by("published_at", "pk")
    )
    query = older.values_list(*_SURROUNDING_FIELDS)[:half].union(
        newer.values_list(*_SURROUNDING_FIELDS)[:half], all=True
    )
    sql, params = query.query.sql_with_params()
    counts = [sum(1 for value in params if value == stand) for stand in (_AT, _PK)]
    if counts != [6, 2] or sum(map(_is_time, params)) != 2:
        raise ImproperlyConfigured(f"Unexpected parameters for the story's surroundings: {params}")
    return sql, list(params)


def _is_time(value) -> bool:
    """Whether ``value`` is the "now" of ``_surroundings_sql``'s parameters."""
    return isinstance(value, datetime.datetime) and value != _AT


def _neighbour(row: tuple | None) -> dict | None:
    return None if row is None else {"slug": row[_SLUG_], "headline": row[_HEADLINE]}


def _related_story(row: tuple) -> Article:
    """A related story as the page shows it, from its row: no query."""
    pk, headline, slug, epoch, source_id, source_name, source_slug, _ = row
    source = Source(pk=source_id, name=source_name, slug=source_slug)
    published_at = datetime.datetime.fromtimestamp(epoch, datetime.UTC)
    return Article(pk=pk, headline=headline, slug=slug, published_at=published_at, source=source)


@functools.lru_cache(maxsize=20_000)
def _headline_stems(headline: str) -> frozenset[str]:
    """The stems of a headline's words as the search index holds them (stop words left out).

    Remembered: a story page ranks some 200 headlines, mostly the same ones
    as its neighbours' pages did.
    """
    return frozenset(
        lexemes[2]
        for chunk in headline.split()
        for lexemes in chunk_lexemes[chunk]
        if lexemes is not None
    )


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of ``day`` and of the day after, in the site's time zone.

    ``day`` must lie in ``articles.dates.story_date_window``, as the archive
    view checks: at the end of the calendar there is no day after.
    """
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


def day_listed(day: datetime.date) -> QuerySet[Article]:
    """The day's published stories, newest first, each carrying the days around it.

    ``previous_at`` and ``next_at`` (the nearest published stories before and
    after the day) are uncorrelated subqueries, which PostgreSQL evaluates
    once for the whole page, so the page needs no query of its own for them.
    """
    start, end = day_bounds(day)
    published = Article.objects.published()
    previous_at = published.filter(published_at__lt=start).order_by("-published_at")
    next_at = published.filter(published_at__gte=end).order_by("published_at")
    return listed(published.filter(published_at__gte=start, published_at__lt=end)).annotate(
        previous_at=Subquery(previous_at.values("published_at")[:1]),
        next_at=Subquery(next_at.values("published_at")[:1]),
    )


def recent_days(window: datetime.timedelta = RECENT_DAYS_WINDOW) -> list[dict]:
    """Days with published stories, newest first: [{"day": date, "count": int}].

    The window runs back from the latest published story (not from today), so
    a quiet site still shows its last days, and the query reads only the
    window's rows through the published_at index.
    """
    published = Article.objects.published()
    latest = published.order_by("-published_at").values("published_at")[:1]
    return list(
        published.filter(published_at__gt=Subquery(latest) - Value(window))
        .annotate(day=TruncDate("published_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by("-day")
    )
