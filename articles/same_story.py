"""The other copies of a story, for the story page's "نُشر أيضاً في" list (id="same-story").

A reader-side read: only copies a reader may see (``Article.objects.published()``),
the group's representative first (``articles.grouping.representative``: the
earliest published), each with its source for the outlet's name. One query.
"""

from __future__ import annotations

from articles.models import Article

# At most this many copies listed: a story printed by fifty outlets lists the first.
SAME_STORY_COUNT = 20


def copies(article: Article, count: int = SAME_STORY_COUNT) -> list[Article]:
    """The published copies of ``article`` other than itself, earliest first."""
    if article.story_group_id is None:
        return []
    return list(
        Article.objects.published()
        .filter(story_group_id=article.story_group_id)
        .exclude(pk=article.pk)
        .select_related("source")
        .only(
            "headline",
            "slug",
            "publisher",
            "credits",
            "published_at",
            "updated_at",
            "source__name",
            "source__slug",
        )
        .order_by("published_at", "pk")[:count]
    )
