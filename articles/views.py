"""The reader's pages. Thin: fetch through articles.selectors, paginate, render.

Pagination: a page number past the last page, or one that is not a number,
answers 404 rather than showing another page under that address, so that
every address of a list names exactly one page.
"""

import datetime
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.http import http_date

from articles import dates, http_cache, permissions, same_story, selectors, sharing
from articles.arabic import normalize
from articles.forms import SearchForm
from articles.http_cache import public_cache, tag
from articles.models import Article
from articles.pagination import requested_page
from articles.search import retrieval
from articles.search.highlight import add_snippets
from articles.search.query import MAX_QUERY_CHARS, parse_query
from articles.search.suggest import suggestions

STORIES_PER_PAGE = 20
# The lead story, three beside it and eighteen below: even rows in two columns.
FRONT_PAGE_SIZE = 22
LEAD_SIDE_COUNT = 3
PREVIEW_BANNER = "معاينة: هذا الخبر غير منشور للقراء"


def paginate(request, queryset, per_page=STORIES_PER_PAGE, count=None):
    """The page of ``queryset`` that ``?page=`` names; 404 for a page that does not exist.

    ``count``: how many ``queryset`` holds, when known without counting it.
    """
    number = requested_page(request)
    if number is None:
        raise Http404("لا توجد هذه الصفحة")
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not asked of the database
    try:
        return paginator.page(number)
    except InvalidPage:
        raise Http404("لا توجد هذه الصفحة") from None


def archive_day_url(day: datetime.date) -> str:
    """The address of ``day``'s archive page."""
    return reverse(
        "articles:archive_day",
        kwargs={"year": f"{day.year:04d}", "month": f"{day.month:02d}", "day": f"{day.day:02d}"},
    )


@public_cache
def article_list(request):
    """The front page: the lead story, then the latest published stories."""
    # One card for each story, however many outlets printed it (articles.story_groups).
    page = paginate(
        request,
        selectors.listed(selectors.one_card_each()),
        FRONT_PAGE_SIZE,
        count=selectors.card_count(),
    )
    stories = list(page.object_list)
    lead = stories.pop(0) if page.number == 1 and stories else None
    # Three stories beside the lead, the rest below under "latest".
    beside, latest = (
        (stories[:LEAD_SIDE_COUNT], stories[LEAD_SIDE_COUNT:]) if lead else ([], stories)
    )
    response = render(
        request,
        "articles/article_list.html",
        {"page_obj": page, "lead": lead, "beside": beside, "latest": latest},
    )
    return tag(response, http_cache.listing_keys([http_cache.FRONT], page.object_list))


def _validators(
    article: Article, related: list[Article], copies: list[Article]
) -> tuple[str, datetime.datetime]:
    """The story page's ETag and Last-Modified, from what the page's queries fetched.

    The ETag also covers what else the page shows that may change without the
    story changing: its neighbours, its related stories, the other outlets'
    copies, the date settings and today's date (in the header).
    """
    last_modified = max(article.updated_at, article.published_at).replace(microsecond=0)
    parts = [
        article.pk,
        article.updated_at.isoformat(),
        article.published_at.isoformat(),
        (article.older or {}).get("slug"),
        (article.newer or {}).get("slug"),
        [(story.pk, story.headline) for story in related],
        [(copy.pk, copy.updated_at.isoformat()) for copy in copies],
        settings.ARABIC_MONTH_STYLE,
        settings.ARABIC_DIGITS,
        settings.SHOW_HIJRI,
        timezone.localdate().isoformat(),
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return quote_etag(digest), last_modified


def article_detail(request, slug):
    """A story. Draft, scheduled or withdrawn: a preview for staff; others get 404, or 410."""
    article = selectors.story(slug)
    if article is None:
        raise Http404("لا يوجد هذا الخبر")
    if article.status == Article.Status.WITHDRAWN and not permissions.may_preview(request.user):
        response = render(request, "articles/article_gone.html", {"article": article}, status=410)
        http_cache.patch_reader_cache(request, tag(response, http_cache.story_page_keys(article)))
        return response
    preview = not article.is_visible_to_readers
    if preview and not permissions.may_preview(request.user):
        raise Http404("لا يوجد هذا الخبر")

    related = selectors.surroundings(article)
    copies = same_story.copies(article)
    if not preview:
        etag, last_modified = _validators(article, related, copies)
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=last_modified.timestamp()
        )
        if not_modified is not None:
            keys = http_cache.story_page_keys(article)
            return _with_cache_headers(request, not_modified, keys, etag, last_modified)

    paragraphs = article.paragraph_texts
    standfirst = paragraphs[0] if paragraphs else ""
    response = render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "paragraphs": paragraphs,
            "description": sharing.description(article.description, standfirst),
            "social_title": sharing.social_title(article.social_title, article.headline),
            "related": related,
            "copies": copies,
            "preview": preview,
            "preview_banner": PREVIEW_BANNER,
            "archive_url": archive_day_url(timezone.localdate(article.published_at)),
        },
    )
    if preview:
        patch_cache_control(response, private=True, no_store=True)
        return response
    # The related stories and the copies are named too: withdrawing one must
    # drop its link here. (The group's key is in story_page_keys: a new copy.)
    shown = [*related, *copies]
    keys = http_cache.story_page_keys(article) + [http_cache.story_key(s.pk) for s in shown]
    return _with_cache_headers(request, response, keys, etag, last_modified)


def _with_cache_headers(request, response, keys, etag, last_modified):
    """The story page's validators, surrogate keys and Cache-Control, on its 200 or 304."""
    response.headers.setdefault("ETag", etag)
    response.headers.setdefault("Last-Modified", http_date(last_modified.timestamp()))
    tag(response, keys)
    http_cache.patch_reader_cache(request, response)
    return response


@public_cache
def source_detail(request, slug):
    """One source's published stories, newest first."""
    sources = selectors.navigation()
    source = next((source for source in sources if source.slug == slug), None)
    if source is None:
        raise Http404("لا يوجد هذا المصدر")
    page = paginate(
        request,
        selectors.listed(selectors.one_card_each(source=source)),
        count=selectors.card_count(source),
    )
    response = render(
        request,
        "articles/source_detail.html",
        {"source": source, "page_obj": page, "nav_sources": sources},
    )
    return tag(response, http_cache.listing_keys([http_cache.source_key(source.pk)], page))


@public_cache
def archive_index(request):
    """The latest days that have stories, each with its count."""
    response = render(request, "articles/archive_index.html", {"days": selectors.recent_days()})
    return tag(response, [http_cache.ARCHIVE, http_cache.NAV])


@public_cache
def archive_day(request, year, month, day):
    """One day's published stories (in the site's time zone), with the days around it."""
    try:
        date = datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise Http404("لا يوجد هذا التاريخ") from None
    # No story carries a date outside the window, and at its ends (9999-12-31)
    # the day after that selectors.day_bounds needs overflows Python's dates.
    if not dates.is_plausible_story_date(date, timezone.localdate()):
        raise Http404("لا أخبار في هذا اليوم")
    page = paginate(request, selectors.day_listed(date))
    stories = list(page.object_list)
    if not stories:
        raise Http404("لا أخبار في هذا اليوم")
    previous_at, next_at = stories[0].previous_at, stories[0].next_at
    previous_day = timezone.localdate(previous_at) if previous_at else None
    next_day = timezone.localdate(next_at) if next_at else None
    response = render(
        request,
        "articles/archive_day.html",
        {
            "day": date,
            "page_obj": page,
            "stories": stories,
            "previous_day": previous_day,
            "previous_url": archive_day_url(previous_day) if previous_day else None,
            "next_day": next_day,
            "next_url": archive_day_url(next_day) if next_day else None,
        },
    )
    return tag(response, http_cache.listing_keys([http_cache.day_key(date)], stories))


@public_cache
def search(request):
    """Search results for ``?q=``, filtered by ``source``, ``from`` and ``to``, ``sort=date``.

    Readers search published stories only. A bad filter is dropped with a
    note; an empty, stop-words-only or hostile query gives the page itself.
    """
    # The sources of the header's navigation and of the filter, from the cache.
    sources = selectors.navigation()
    form = SearchForm(request.GET, sources=sources)
    params, notes = form.parameters()
    query = parse_query(params["q"])
    context = {
        "form": form,
        "params": params,
        "nav_sources": sources,
        "query": query,
        "notes": query.notes + notes,
    }
    if query:
        results = retrieval.search_articles(
            Article.objects.published(),
            query,
            source=params["source"],
            date_from=params["date_from"],
            date_to=params["date_to"],
            by_date=params["sort"] == "date",
            # A story printed by several outlets is one result, with its copies counted.
            one_per_group=True,
        )
        page = Paginator(results, retrieval.RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        stories = list(page.object_list)
        # Marked as they were found: the last word may have been asked as a
        # whole word rather than as a prefix (articles.search.retrieval).
        add_snippets(stories, results.query)
        context |= {
            "page_obj": page,
            "stories": stories,
            "results": results,
            "capped": results.has_more,
            "filtered": any(params[name] for name in ("source", "date_from", "date_to")),
        }
    response = render(request, "articles/search_results.html", context)
    # Any change may change any results: every one is purged with the key.
    return tag(response, [http_cache.SEARCH, http_cache.NAV])


# Suggestions change with the news; a prefix many readers type at once is
# worked out once in this time, in the cache every worker shares.
SUGGEST_CACHE_SECONDS = 30


@public_cache
def search_suggest(request):
    """``/search/suggest/?q=``: completions and stories for the header's search box, as JSON.

    Bounded as the search page is (the query's length and words,
    articles.search.query), and kept in the shared cache by the normalised
    text, so a burst of readers typing the same letters costs one search.
    """
    text = request.GET.get("q", "")[: MAX_QUERY_CHARS * 2]
    key = "suggest:" + hashlib.sha256(normalize(text).encode()).hexdigest()
    answer = cache.get(key)
    if answer is None:
        answer = suggestions(text).as_json()
        cache.set(key, answer, SUGGEST_CACHE_SECONDS)
    answer = {**answer, "q": text}
    response = JsonResponse(answer, json_dumps_params={"ensure_ascii": False})
    return tag(response, [http_cache.SEARCH])
