"""Articles as JSON Lines records: the schema export_articles writes and the importer reads.

``article_record`` is the one definition of an exported story. Its keys, in
order, are ``articles.importers.jsonl.FIELDS`` (the tests hold the two
together); a missing value is null, never an empty string.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from articles.models import Article, Paragraph


def article_record(article: Article) -> dict:
    """The export of one article; its paragraphs should be prefetched in order."""
    return {
        "guid": article.guid or None,
        "slug": article.slug,
        "headline": article.headline,
        "source": article.source.name,
        "credits": list(article.credits) or None,
        "publisher": article.publisher or None,
        "section": article.section or None,
        "byline": article.byline or None,
        # In the site's zone, with its offset, so a reader sees the local time.
        "published_at": timezone.localtime(article.published_at).isoformat(),
        "dateline": article.dateline or None,
        "caption": article.image_caption or None,
        "paragraphs": [paragraph.text for paragraph in article.paragraphs.all()],
        "status": article.status,
        "url": article.get_absolute_url(),
        "version": article.version,
    }


def export_queryset(status: str = "all") -> QuerySet[Article]:
    """The articles ``export_articles --status`` names, oldest first, ready to export."""
    articles = Article.objects.all()
    if status != "all":
        articles = articles.filter(status=status)
    return (
        articles.select_related("source")
        .prefetch_related(Prefetch("paragraphs", queryset=Paragraph.objects.order_by("position")))
        .order_by("pk")
    )


def json_lines(articles: QuerySet[Article], chunk_size: int = 500) -> Iterator[str]:
    """One JSON line (no newline) per article, streamed ``chunk_size`` at a time."""
    for article in articles.iterator(chunk_size=chunk_size):
        yield json.dumps(article_record(article), ensure_ascii=False)
