"""Template helpers for the reader's pages: teasers, page links, absolute URLs, JSON-LD."""

import functools
import json
from urllib.parse import urlencode

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import sharing, views
from articles.selectors import EXCERPT_CHARS

register = template.Library()

# Inside <script>, only these can end the element or open a comment; as JSON
# escapes they mean the same to a JSON parser. Django's json_script does the
# same, but cannot set type="application/ld+json".
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def excerpt(text, length=EXCERPT_CHARS):
    """Cut ``text`` at the last whole word within ``length`` characters, adding "…"."""
    return sharing.shorten(text, int(length))


@register.filter
def archive_day_url(day):
    """The address of ``day``'s archive page."""
    return views.archive_day_url(day)


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """A link to page ``number`` of the current list, keeping the other query parameters."""
    request = context["request"]
    # The pairs as QueryDict.urlencode writes them, the page number in its
    # place: copying the QueryDict for each link deep-copied it.
    page = [] if int(number) == 1 else [("page", str(number))]
    pairs = []
    for key, values in request.GET.lists():
        if key == "page":
            pairs += page
            page = []
        else:
            pairs += ((key, value) for value in values)
    encoded = urlencode(pairs + page)
    return f"?{encoded}" if encoded else escape_uri_path(request.path)


@register.filter
def source_page(source) -> str:
    """The address of ``source``'s page, reversed once a process for each source.

    A list shows the same few sources on every card, and reversing took
    longer than the rest of a card's byline.
    """
    return _source_page(get_script_prefix(), source.slug)


@functools.lru_cache(maxsize=1024)
def _source_page(script_prefix: str, slug: str) -> str:
    # The prefix is part of the key: reverse() writes it into the address.
    return reverse("articles:source", args=[slug])


@register.simple_tag
def elided_pages(page):
    """The page numbers to link around ``page``, with Paginator.ELLIPSIS for the gaps."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


@register.simple_tag(takes_context=True)
def absolute_url(context, location):
    """``location`` (a path or URL) as an absolute URL on the host the reader asked for."""
    return context["request"].build_absolute_uri(location)


@register.filter(is_safe=True)
def json_ld(data):
    """``data`` as a JSON-LD script element that no string inside it can break out of."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag(takes_context=True)
def news_article_ld(context, article, description=""):
    """The schema.org NewsArticle of ``article``, as a JSON-LD script element."""
    request = context["request"]
    site_name = context.get("site_name", "")
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": description,
        "inLanguage": "ar",
        "datePublished": timezone.localtime(article.published_at).isoformat(timespec="seconds"),
        "dateModified": timezone.localtime(max(article.updated_at, article.published_at)).isoformat(
            timespec="seconds"
        ),
        "mainEntityOfPage": request.build_absolute_uri(article.get_absolute_url()),
        "publisher": {
            "@type": "Organization",
            "name": site_name,
            "logo": {
                "@type": "ImageObject",
                "url": request.build_absolute_uri(context["logo_url"]),
            },
        },
    }
    credits = article.credit_names
    if credits:
        authors = [{"@type": "Organization", "name": name} for name in credits]
        data["author"] = authors[0] if len(authors) == 1 else authors
    if article.dateline:
        data["contentLocation"] = {"@type": "Place", "name": article.dateline}
    if article.image:
        data["image"] = [request.build_absolute_uri(article.image.url)]
    return json_ld(data)
