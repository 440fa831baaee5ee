"""Sitemaps: every published story, source and archive day, and a Google News sitemap.

``/sitemap.xml`` is an index of the sections below (a section longer than its
``limit`` is split into pages ``?p=2``, ...), so the site can grow past the
50,000 URLs a single sitemap may hold. ``/news-sitemap.xml`` lists the last
48 hours' stories in the format Google News reads
(https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap).

Everything starts from ``Article.objects.published()``: drafts, withdrawn and
scheduled stories never appear. Absolute URLs come from the request (the
sitemap views use ``RequestSite`` when ``django.contrib.sites`` is not installed).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Greatest, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control

from articles.models import Article
from articles.selectors import NEWS_WINDOW, nav_sources
from articles.views import archive_day_url

# URLs per sitemap page: well under the protocol's 50,000 URLs and 50 MB,
# so one page renders in well under a second.
STORIES_PER_SITEMAP = 5_000
# Google News reads at most 1,000 URLs (and only the last NEWS_WINDOW).
NEWS_LIMIT = 1_000

# When a story last changed as a reader sees it: a scheduled story is often
# saved long before its time comes.
LAST_CHANGE = Greatest("updated_at", "published_at")


def latest_change():
    """When any published story last changed: one aggregate, not a read of every item."""
    return Article.objects.published().aggregate(latest=Max(LAST_CHANGE))["latest"]


class StorySitemap(Sitemap):
    """Every published story, newest first, dated by its last change."""

    limit = STORIES_PER_SITEMAP
    changefreq = "never"

    def items(self):
        return (
            Article.objects.published()
            .annotate(last_change=LAST_CHANGE)
            .only("slug", "published_at", "updated_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return item.last_change

    def get_latest_lastmod(self):
        return latest_change()


class SourceSitemap(Sitemap):
    """Each source with published stories, dated by its newest story."""

    changefreq = "hourly"

    def items(self):
        newest = (
            Article.objects.published()
            .filter(source=OuterRef("pk"))
            .order_by("-published_at")
            .values("published_at")[:1]
        )
        return nav_sources().annotate(newest=Subquery(newest)).order_by("name")

    def location(self, item):
        return reverse("articles:source", kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.newest

    def get_latest_lastmod(self):
        return Article.objects.published().aggregate(latest=Max("published_at"))["latest"]


class ArchiveDaySitemap(Sitemap):
    """Each day (in the site's time zone) with published stories, newest first."""

    changefreq = "daily"

    def items(self):
        return list(
            Article.objects.published()
            .annotate(day=TruncDate("published_at", tzinfo=timezone.get_current_timezone()))
            .values("day")
            .annotate(last_change=Max(LAST_CHANGE))
            .order_by("-day")
        )

    def location(self, item):
        return archive_day_url(item["day"])

    def lastmod(self, item):
        return item["last_change"]

    def get_latest_lastmod(self):
        return latest_change()


class NewsSitemap(Sitemap):
    """The last 48 hours' published stories, for Google News (template news_sitemap.xml)."""

    limit = NEWS_LIMIT

    def items(self):
        return (
            Article.objects.published()
            .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
            .annotate(last_change=LAST_CHANGE)
            .only("slug", "headline", "published_at", "updated_at")
            .order_by("-published_at", "-pk")[:NEWS_LIMIT]
        )

    def lastmod(self, item):
        return item.last_change


SITEMAPS = {
    "stories": StorySitemap,
    "sources": SourceSitemap,
    "archive": ArchiveDaySitemap,
}


# Crawlers may keep a sitemap this many seconds before asking again.
SITEMAP_CACHE_SECONDS = 600
cached = cache_control(public=True, max_age=SITEMAP_CACHE_SECONDS)


@cached
def index(request):
    """``/sitemap.xml``: the index of the sections and their pages."""
    return sitemap_views.index(request, sitemaps=SITEMAPS, sitemap_url_name="sitemap-section")


@cached
def section(request, section):
    """``/sitemap-<section>.xml``: one section, paged with ``?p=``."""
    return sitemap_views.sitemap(request, sitemaps=SITEMAPS, section=section)


@cached
def news_sitemap(request):
    """``/news-sitemap.xml``: Django's sitemap view with the Google News template."""
    response = sitemap_views.sitemap(
        request, sitemaps={"news": NewsSitemap}, template_name="sitemaps/news_sitemap.xml"
    )
    # A TemplateResponse renders late, so the publication can still join its context.
    response.context_data["publication"] = {"name": settings.SITE_NAME, "language": "ar"}
    return response
