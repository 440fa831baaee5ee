"""Addresses for what an import creates: unique slugs for new stories, sources by name.

Slugs keep Arabic letters (``models.unicode_slug``); one already taken gets
the next free ``-2``, ``-3`` ... suffix, cut so the whole fits the column.
"""

from __future__ import annotations

from collections import Counter

from articles.models import SLUG_MAX_LENGTH, Article, Source, unicode_slug

_SOURCE_SLUG_MAX_LENGTH = Source._meta.get_field("slug").max_length


def unique_article_slugs(bases: list[str]) -> list[str]:
    """One slug per base, free in the database and among themselves, in order."""
    taken = set(Article.objects.filter(slug__in=set(bases)).values_list("slug", flat=True))
    repeated = Counter(bases)
    crowded = {base for base in bases if base in taken or repeated[base] > 1}
    for base in crowded:
        # Suffixed slugs of a long base are cut short, so look them up by a shorter prefix.
        prefix = base[: SLUG_MAX_LENGTH - 12]
        taken.update(Article.objects.filter(slug__startswith=prefix).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, counter = base, 2
        while slug in taken:
            suffix = f"-{counter}"
            slug = base[: SLUG_MAX_LENGTH - len(suffix)] + suffix
            counter += 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def source_named(name: str) -> Source:
    """The source called ``name``, made with a free slug if there is none yet."""
    source = Source.objects.filter(name=name).first()
    if source is not None:
        return source
    base = unicode_slug(name, max_length=_SOURCE_SLUG_MAX_LENGTH) or "مصدر"
    stem = base[: _SOURCE_SLUG_MAX_LENGTH - 10]
    taken = set(Source.objects.filter(slug__startswith=stem).values_list("slug", flat=True))
    slug, counter = base, 2
    while slug in taken:
        slug = f"{stem}-{counter}"
        counter += 1
    return Source.objects.create(name=name, slug=slug)
