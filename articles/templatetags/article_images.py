"""``{% article_picture article sizes=... %}``: a story's photo with its renditions.

Renders ``<picture>`` with a WebP ``<source>`` (where renditions were made) and a
JPEG ``<img>`` carrying ``srcset``, ``sizes``, the alt text, and the photo's
intrinsic ``width``/``height`` so the page does not jump while it loads.
Everything is escaped; the alt text comes from the editor, never the wire.
"""

from django import template
from django.utils.html import format_html, format_html_join

from articles.images import Photo

register = template.Library()

# The width the plain ``src`` points at, for browsers that ignore srcset.
FALLBACK_WIDTH = 800


@register.simple_tag
def article_picture(article, sizes="100vw", loading="lazy", css_class="", fetchpriority=""):
    """The story's photo as ``<picture>``, or nothing when it has none.

    Everything comes from the story's row (``image_renditions``): the storage
    is never asked whether a file exists nor how big it is, only for URLs,
    which it computes without a request.
    """
    image = article.image
    if not image:
        return ""
    storage = image.storage
    attributes = {"alt": article.image_alt}
    photo = Photo.from_record(article.image_renditions, image.name)
    by_type: dict[str, list] = {}
    if photo:
        attributes |= {"width": photo.width, "height": photo.height}
        for rendition in photo.renditions:
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
    else:  # no record of renditions (made outside the admin, or not yet): the original
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
