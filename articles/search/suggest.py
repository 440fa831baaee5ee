"""Search as you type: the likely completions of the last word, and a few matching stories.

``suggestions(text)`` answers the header's search box while the reader
types. The completions are the index's commonest words that the last word
begins (``articles.search.lexicon``); the lexicon holds them normalised
(الحكومه, not الحكومة), so each is shown as the newest matching stories
write it, and a completion no recent story writes is left out rather than
shown misspelt. The stories are the newest that match, found as the search
page finds them (``articles.search.retrieval``), so a suggestion never
promises what the search would not find.
"""

from __future__ import annotations

import dataclasses

from articles.arabic import normalize
from articles.models import Article
from articles.search.index import STEM_MARK, TIME_MARK
from articles.search.lexicon import completions
from articles.search.query import parse_query
from articles.search.retrieval import search_articles
from articles.templatetags.arabic_dates import arabic_date_text

SUGGESTED_WORDS = 6
SUGGESTED_STORIES = 5
# The commonest completions looked for, and the newest matching stories whose
# headlines and openings give their spelling.
COMPLETIONS_READ = 30
STORIES_READ = 30
# Shorter than a search prefix (articles.search.query): nothing to suggest yet.
MIN_LAST_WORD = 2


@dataclasses.dataclass(frozen=True)
class Suggestions:
    q: str
    words: list[str]
    stories: list[dict[str, str]]

    def as_json(self) -> dict:
        return dataclasses.asdict(self)


def suggestions(text: str) -> Suggestions:
    """What to offer a reader who has typed ``text`` so far."""
    text = " ".join((text or "").split())
    query = parse_query(text)
    if not query.terms or len(query.terms[-1].word) < MIN_LAST_WORD:
        return Suggestions(text, [], [])
    results = search_articles(Article.objects.published(), query, by_date=True)
    stories = results[:STORIES_READ]
    last = query.terms[-1].word
    return Suggestions(
        text,
        _spelled_completions(last, stories) if query.terms[-1].prefix else [],
        [_story(article) for article in stories[:SUGGESTED_STORIES]],
    )


def _spelled_completions(last: str, stories: list[Article]) -> list[str]:
    """The commonest words ``last`` begins, as the stories write them."""
    wanted = [
        lexeme
        for lexeme, _ in completions(last, COMPLETIONS_READ)
        if lexeme != last and not lexeme.startswith((STEM_MARK, TIME_MARK))
    ]
    spelled: dict[str, str] = {}
    for article in stories:
        texts = [article.headline, *getattr(article, "paragraph_texts", [])[:1]]
        for token in " ".join(texts).split():
            word = token.strip(".,،؛:!?؟«»\"'()[]")
            spelled.setdefault(normalize(word), word)
    return [spelled[lexeme] for lexeme in wanted if lexeme in spelled][:SUGGESTED_WORDS]


def _story(article: Article) -> dict[str, str]:
    return {
        "headline": article.headline,
        "url": article.get_absolute_url(),
        "source": article.source.name,
        "date": arabic_date_text(article.published_at),
    }
