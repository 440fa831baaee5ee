"""What every reader page's template needs: the site's name, navigation, canonical URL.

The navigation's sources are fetched only if a template shows them (lazily),
and at most once per page; a view that already has them passes its own
``nav_sources``, which wins over this one.
"""

import functools

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from articles.pagination import requested_page
from articles.selectors import navigation


def canonical_url(request) -> str:
    """The page's absolute URL without query parameters, except a page number above 1."""
    url = request.build_absolute_uri(request.path)
    page = requested_page(request)
    if page is not None and page > 1:
        url += f"?page={page}"
    return url


@functools.cache
def site_urls() -> dict[str, str]:
    """The addresses every reader page links to, reversed once a process.

    Reversing them with ``{% url %}`` on every page took a tenth of a story
    page's rendering (bench/story_profile.py).
    """
    names = {
        "index": "articles:index",
        "search": "articles:search",
        "suggest": "articles:search-suggest",
        "archive": "articles:archive",
        "feed": "feed",
        "feed_atom": "feed-atom",
    }
    return {key: reverse(name) for key, name in names.items()}


def reader(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_urls": site_urls(),
        "nav_sources": SimpleLazyObject(navigation),
        "canonical_url": SimpleLazyObject(lambda: canonical_url(request)),
        "logo_url": SimpleLazyObject(lambda: static("img/logo.png")),
        "today": timezone.localdate(),
    }
