"""Helpers for the search tests: a sentence around one word, a reader's search."""

import datetime

from django.utils import timezone

from articles.models import Article
from articles.search.query import parse_query
from articles.search.retrieval import search_articles


def frame(word):
    """A body sentence around ``word`` whose other words no test searches for."""
    return (f"قال مصدر مطلع إن {word} حاضر منذ الصباح.",)


def found(text, queryset=None, **filters):
    """The headlines a reader's search for ``text`` finds, best first."""
    queryset = Article.objects.published() if queryset is None else queryset
    results = search_articles(queryset, parse_query(text), **filters)
    return [article.headline for article in results[:100]]


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)
