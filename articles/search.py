"""Arabic full-text search: what is indexed, and how it is kept current.

Provisional: the search issue replaces the body of these functions; their
signatures are the contract the loader and the admin rely on.
"""

from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db.models import Value

from articles.arabic import search_stems, search_words
from articles.models import Article


def document_text(article: Article, paragraphs: Iterable[str]) -> str:
    """The words a story is found by: headline, caption and body."""
    return " ".join([article.headline, article.image_caption, *paragraphs])


def refresh_search_vectors(article_ids: Iterable[int]) -> None:
    """Recompute the stored search vector of each article in ``article_ids``."""
    articles = Article.objects.filter(pk__in=list(article_ids)).prefetch_related("paragraphs")
    for article in articles:
        text = document_text(article, (p.text for p in article.paragraphs.all()))
        terms = " ".join(search_words(text) + search_stems(text))
        Article.objects.filter(pk=article.pk).update(
            search_vector=SearchVector(Value(terms), config="simple")
        )
