"""``{% article_picture article sizes=... %}``: a story's photo with its renditions.

Renders ``<picture>`` with a WebP ``<source>`` (where renditions exist) and a
JPEG ``<img>`` carrying ``srcset``, ``sizes``, the alt text, and the photo's
intrinsic ``width``/``height`` so the page does not jump while it loads.
Everything is escaped; the alt text comes from the editor, never the wire.
"""

import logging

from django import template
from django.utils.html import format_html, format_html_join

from articles.images import renditions

logger = logging.getLogger(__name__)
register = template.Library()

# The width the plain ``src`` points at, for browsers that ignore srcset.
FALLBACK_WIDTH = 800


@register.simple_tag
def article_picture(article, sizes="100vw", loading="lazy", css_class="", fetchpriority=""):
    """The story's photo as ``<picture>``, or nothing when it has none."""
    image = article.image
    if not image:
        return ""
    storage = image.storage
    attributes = {"alt": article.image_alt}
    try:
        width, height = image.width, image.height
    except OSError:
        # Unreadable here (a media volume this server does not see?): the
        # original's address may still work for the reader.
        logger.warning("Photo of article %s cannot be read: %s", article.pk, image.name)
        width = height = None
    by_type: dict[str, list] = {}
    if width and height:
        attributes |= {"width": width, "height": height}
        for rendition in renditions(image.name, width, height):
            if storage.exists(rendition.name):
                by_type.setdefault(rendition.mime_type, []).append(rendition)
    jpegs = by_type.get("image/jpeg", [])
    attributes |= {"loading": loading, "decoding": "async"}
    if css_class:
        attributes["class"] = css_class
    if fetchpriority:
        attributes["fetchpriority"] = fetchpriority
    if jpegs:
        fallback = min(jpegs, key=lambda r: abs(r.width - FALLBACK_WIDTH))
        attributes = {"src": storage.url(fallback.name), **attributes}
        attributes["srcset"] = _srcset(storage, jpegs)
        attributes["sizes"] = sizes
    else:  # no renditions (a photo saved outside the admin, or unreadable): the original
        attributes = {"src": image.url, **attributes}
    img = format_html("<img{}>", _attributes(attributes))
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        (
            (mime_type, _srcset(storage, items), sizes)
            for mime_type, items in by_type.items()
            if mime_type != "image/jpeg"
        ),
    )
    return format_html("<picture>{}{}</picture>", sources, img)


def _srcset(storage, items) -> str:
    return ", ".join(f"{storage.url(item.name)} {item.width}w" for item in items)


def _attributes(attributes: dict) -> str:
    return format_html_join("", ' {}="{}"', attributes.items())
