"""Paragraphs written the fast way: one INSERT for a whole batch's (articles.bulk_rows)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from articles.bulk_rows import insert_rows
from articles.models import Paragraph


def insert_paragraphs(stories: Iterable[tuple[int, Sequence[str]]]) -> None:
    """Insert each story's paragraphs, numbered from 1, as (article id, paragraphs) pairs."""
    rows = [
        (article_id, position, text_)
        for article_id, paragraphs in stories
        for position, text_ in enumerate(paragraphs, 1)
    ]
    insert_rows(Paragraph, ["article", "position", "text"], rows)
