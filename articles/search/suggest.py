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

from articles.arabic import folded_in_place, normalize
from articles.models import Article
from articles.search import shown
from articles.search.index import STEM_MARK, TIME_MARK
from articles.search.lexicon import completions
from articles.search.query import parse_query
from articles.search.retrieval import Tuning, newest_matches
from articles.templatetags.arabic_dates import arabic_date_text

SUGGESTED_WORDS = 6
SUGGESTED_STORIES = 5
# The commonest completions looked for, and the newest matching stories whose
# headlines and openings give their spelling.
COMPLETIONS_READ = 30
STORIES_READ = 30
# The newest STORIES_READ matches are all a suggestion needs: the search's
# spans stop once they hold that many, not a result page's hundred.
SUGGEST_TUNING = Tuning(enough_matches=STORIES_READ, browse_cap=STORIES_READ)
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
    ids = newest_matches(Article.objects.published(), query, SUGGEST_TUNING)[:STORIES_READ]
    # What is shown and spelt from: each story's headline and opening, not
    # its whole text as a result page's snippet needs.
    stories = shown.listed(ids, openings_only=True)
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
        text = " ".join([article.headline, *article.paragraph_texts])
        # Plain text is normalised letter for letter, word for word: one fold
        # of the whole, not one normalize() for each of its words.
        folded = folded_in_place(text)
        pairs = (
            zip(text.split(" "), folded.split(" "), strict=True)
            if folded is not None
            else ((token, None) for token in text.split())
        )
        for token, folded_token in pairs:
            word = token.strip(_PUNCTUATION)
            normal = normalize(word) if folded_token is None else folded_token.strip(_PUNCTUATION)
            spelled.setdefault(normal, word)
    return [spelled[lexeme] for lexeme in wanted if lexeme in spelled][:SUGGESTED_WORDS]


# Around a written word; none of it is changed by normalisation.
_PUNCTUATION = ".,،؛:!?؟«»\"'()[]"


def _story(article: Article) -> dict[str, str]:
    return {
        "headline": article.headline,
        "url": article.get_absolute_url(),
        "source": article.source.name,
        "date": arabic_date_text(article.published_at),
    }
