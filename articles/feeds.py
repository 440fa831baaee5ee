"""RSS 2.0 and Atom feeds of the latest published stories, site-wide and per source.

Each entry carries the story's full text (``content:encoded`` in RSS,
``<content type="html">`` in Atom) with the dateline set before the first
paragraph as wire copy prints it (``كابول - ``), a summary, the source as
author and category, publication and update times, and the photo as an
enclosure. Every piece of wire text is escaped before it becomes feed HTML.

Feeds answer conditional GETs: ``Last-Modified`` is the latest change to any
story (publication, edit or withdrawal), so a feed reader polling every few
minutes gets a 304 until something changes.

Absolute links are built from the request (no ``django.contrib.sites``).
"""

from __future__ import annotations

import copy
import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Max, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape, format_html_join
from django.views.decorators.http import condition

from articles.images import Photo
from articles.models import Article, visible_to_readers
from articles.selectors import nav_sources, one_card_each

FEED_LENGTH = 30
# Seconds a feed reader or proxy may keep a feed before asking again.
FEED_CACHE_SECONDS = 300
# The separator between the dateline and the story, as Arabic wire copy prints it.
DATELINE_SEPARATOR = " - "


def story_paragraphs(article: Article) -> list[str]:
    """The story's paragraphs as plain text, the dateline set before the first."""
    texts = [paragraph.text for paragraph in article.paragraphs.all()]
    if texts and article.dateline:
        texts[0] = f"{article.dateline}{DATELINE_SEPARATOR}{texts[0]}"
    return texts


def story_html(article: Article) -> str:
    """The full text as HTML paragraphs, every piece of wire text escaped."""
    return format_html_join("\n", "<p>{}</p>", ((text,) for text in story_paragraphs(article)))


class FullTextRssFeed(Rss201rev2Feed):
    """RSS 2.0 with each story's full text in ``content:encoded``."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content_html"])


class FullTextAtomFeed(Atom1Feed):
    """Atom with each story's full text in ``<content type="html">``."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


class LatestStoriesFeed(Feed):
    """The latest published stories from every source, as RSS 2.0."""

    feed_type = FullTextRssFeed
    language = "ar"

    def __call__(self, request, *args, **kwargs):
        # One Feed instance serves every request (it is built once in the
        # URLconf), so the request goes on a per-request copy, never on self.
        feed = copy.copy(self)
        feed.request = request
        view = condition(last_modified_func=feed.last_modified)(feed.render)
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 304):
            patch_cache_control(response, public=True, max_age=FEED_CACHE_SECONDS)
        return response

    def render(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # Django dates the feed by its newest entry; condition() sets ours,
        # which also moves when a story is withdrawn and leaves the feed.
        del response.headers["Last-Modified"]
        return response

    def articles(self, obj):
        """The stories this feed may list, before ordering and cutting: one entry a story,
        however many outlets printed it (``selectors.one_card_each``)."""
        return one_card_each()

    def change_scope(self, **kwargs) -> Q:
        """The stories, of any status, whose changes date this feed."""
        return Q()

    def last_modified(self, request, *args, **kwargs):
        """The latest publication, edit or withdrawal among this feed's stories."""
        dates = Article.objects.filter(self.change_scope(**kwargs)).aggregate(
            # Any status: a withdrawal takes a story out of the feed, a change too.
            changed=Max("updated_at"),
            # A scheduled story enters the feed when its time comes, unedited.
            released=Max(
                "published_at",
                filter=visible_to_readers(),
            ),
        )
        return max((date for date in dates.values() if date is not None), default=None)

    def items(self, obj):
        return (
            self.articles(obj)
            .select_related("source")
            .prefetch_related("paragraphs")
            .defer("search_vector", "content_hash")
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def title(self, obj):
        return f"{settings.SITE_NAME}: آخر الأخبار"

    def link(self, obj):
        return reverse("articles:index")

    def description(self, obj):
        return f"آخر الأخبار المنشورة على {settings.SITE_NAME} من كل المصادر."

    def item_title(self, item):
        # Plain text, escaped once by the XML writer. (Django escapes titles a
        # second time by default, which readers then show as "&amp;".)
        return item.headline

    def item_description(self, item):
        texts = story_paragraphs(item)
        return escape(texts[0]) if texts else ""

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        # A scheduled story is often saved long before its time comes.
        return max(item.updated_at, item.published_at)

    def item_author_name(self, item):
        # Every credit, in the copy's order; nobody for copy that named nobody.
        return "، ".join(item.credit_names) or None

    def item_categories(self, item):
        return [item.source.name] if item.source.is_named else []

    def item_enclosures(self, item):
        if not item.image:
            return []
        # The size recorded when the photo's renditions were made: asking the
        # storage (a request each, over S3) is for photos that have none.
        photo = Photo.from_record(item.image_renditions, item.image.name)
        try:
            length = photo.size if photo else item.image.size
        except OSError:
            # The file is missing from storage: still announce the photo.
            length = 0
        mime_type = mimetypes.guess_type(item.image.name)[0] or "application/octet-stream"
        return [Enclosure(self.request.build_absolute_uri(item.image.url), str(length), mime_type)]

    def item_extra_kwargs(self, item):
        return {"content_html": story_html(item)}


class AtomMixin:
    """Turn one of the RSS feeds below into its Atom twin."""

    feed_type = FullTextAtomFeed

    def subtitle(self, obj):
        return self.description(obj)


class LatestStoriesAtomFeed(AtomMixin, LatestStoriesFeed):
    """The latest published stories from every source, as Atom."""


class SourceStoriesFeed(LatestStoriesFeed):
    """The latest published stories from one source, as RSS 2.0.

    A source with no published story has no feed: its name alone must not
    reveal that drafts from it exist.
    """

    def get_object(self, request, slug):
        return get_object_or_404(nav_sources(), slug=slug)

    def articles(self, obj):
        return one_card_each(source=obj)

    def change_scope(self, slug, **kwargs) -> Q:
        return Q(source__slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME}: أخبار {obj.name}"

    def link(self, obj):
        return reverse("articles:source", kwargs={"slug": obj.slug})

    def description(self, obj):
        return f"آخر أخبار {obj.name} المنشورة على {settings.SITE_NAME}."


class SourceStoriesAtomFeed(AtomMixin, SourceStoriesFeed):
    """The latest published stories from one source, as Atom."""
