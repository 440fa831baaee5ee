"""Highlighted search results: the passage of a story that matches, marked.

``ts_headline`` re-parses the stored, unnormalised text with its own
configuration, so الأفغانية in a story never meets the normalised الافغانيه
of the query, and it reads every story's text back in the database. Here, in
Python, each result's paragraphs are scored under the same normalisation and
stemming as the index (``articles.search.index``), and the best one is
escaped with the matching original words wrapped in <mark>: the reader sees
the words as the agency wrote them, diacritics and all.

Deciding whether the query finds a word means normalising and stemming it
(cached in ``articles.search.index.chunk_lexemes``), and on varied text most
words miss that cache: that was most of the cost. Every word the query finds
contains one of its needles (``_needles``) once normalised, so a paragraph is
first normalised whole and searched for them, and so is a word the cache has
not seen: only text that holds a needle is read word by word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.arabic import DROPPED_IN_WORDS, folded_in_place, normalize
from articles.models import Article
from articles.search.index import STEM_MARK, chunk_lexemes
from articles.search.query import ParsedQuery

SNIPPET_WORDS = 40
SNIPPET_LEAD = 8

# A written word: letters and digits with the marks, tatweel and invisible
# characters that normalize() drops inside it, and the combining Latin accents
# its NFKC folds into their letters.
_WRITTEN_WORD = re.compile(
    r"(?:[^\W_]|[\u0300-\u036f" + re.escape("".join(sorted(DROPPED_IN_WORDS))) + "])+"
)


class _Needles:
    """The needles of a query (``_needles``), found in text by one regular expression.

    Tested on every paragraph of a page and on words the cache has not seen:
    one search in C, not a Python loop over the needles. As with ``in``, an
    empty needle is in every text.
    """

    def __init__(self, needles: frozenset[str]) -> None:
        longest_first = "|".join(map(re.escape, sorted(needles, key=len, reverse=True)))
        self._pattern = re.compile(longest_first) if needles else None
        # A whole word around a needle, tried only where a word starts (half
        # the time of trying at every letter): the lazy run reaches the word's
        # first needle, the greedy one takes in the rest, so each match is one word.
        self._words = re.compile(rf"(?<!\S)\S*?(?:{longest_first})\S*") if needles else None

    def __contains__(self, normalized: str) -> bool:
        return self._pattern is not None and self._pattern.search(normalized) is not None

    def starts_in(self, normalized: str) -> list[int]:
        """Where needles begin in ``normalized``, in order (matches that do not overlap)."""
        if self._pattern is None:
            return []
        return [match.start() for match in self._pattern.finditer(normalized)]

    def words_in(self, normalized: str) -> set[str]:
        """The words of ``normalized`` (split at whitespace) that hold a needle."""
        return set(self._words.findall(normalized)) if self._words is not None else set()


def _needles(query: ParsedQuery) -> _Needles:
    """Return strings, one of which every normalised word ``query`` finds contains.

    A term finds its exact word, its stem, and for a prefix term the words
    that begin with it or whose stem does (``ParsedQuery.matches_chunk``).
    ``light_stem`` only cuts letters from the ends of a word, so each of
    these contains the term's stem (for a prefix term, the stem of what was
    typed). A word with particles also finds the words of its bare form
    (``Term.also``, from the lexicon): they contain that form's stem, which
    ``also`` holds. A phrase finds its words exactly.
    """
    needles = {term.stem for term in query.terms}
    needles.update(lexeme.removeprefix(STEM_MARK) for term in query.terms for lexeme in term.also)
    needles.update(word for phrase in query.phrases for _, word in phrase.words)
    return _Needles(frozenset(needles))


@functools.lru_cache(maxsize=50_000)
def _normalized_word(chunk: str) -> str:
    """``normalize`` of one written word: the same words come back page after page."""
    return normalize(chunk)


def _holds_needle(text: str, needles: _Needles) -> bool:
    """Say whether ``normalize(text)`` contains one of ``needles``."""
    return _normalized_word(text) in needles


def _matcher(query: ParsedQuery, needles: _Needles) -> Callable[[str], bool]:
    """Return ``query.matches_chunk`` for one page of results, quicker.

    The words of a chunk ``matches_chunk`` finds are pieces of its normalised
    text, so a chunk that the cache has not seen and that holds no needle is
    not stemmed (nor cached) at all. Each chunk is decided once a page.
    """
    matches = query.matches_chunk
    known: dict[str, bool] = {}

    def chunk_matches(chunk: str) -> bool:
        found = known.get(chunk)
        if found is None:
            found = known[chunk] = (
                chunk in chunk_lexemes or _holds_needle(chunk, needles)
            ) and matches(chunk)
        return found

    return chunk_matches


def _spans(
    text: str, matches: Callable[[str], bool], needles: _Needles
) -> list[tuple[int, int, bool]]:
    """Return (start, end, matched) for each written word of ``text``.

    ``matches`` is ``ParsedQuery.matches_chunk``: a written word has no
    whitespace, and it matches if any of its normalised words (usually one; a
    ligature may give more) does. In plain text, normalised letter for letter
    (``arabic.folded_in_place``), a needle (letters and digits) found in the
    normalised text lies inside one written word, at the same place: only the
    words that hold one are asked, most of a paragraph's words never are.
    """
    folded = folded_in_place(text)
    if folded is None:
        return [(m.start(), m.end(), matches(m.group())) for m in _WRITTEN_WORD.finditer(text)]
    starts = needles.starts_in(folded)
    spans = []
    next_start = 0  # index in starts of the first needle not yet behind the words
    for m in _WRITTEN_WORD.finditer(text):
        start, end = m.span()
        while next_start < len(starts) and starts[next_start] < start:
            next_start += 1
        holds = next_start < len(starts) and starts[next_start] < end
        spans.append((start, end, holds and matches(m.group())))
    return spans


def _render(text: str, spans, first: int, last: int) -> SafeString:
    """Escape words ``first`` to ``last`` of ``text``, marking the matched ones."""
    start = spans[first][0] if first > 0 else 0
    end = spans[last][1] if last < len(spans) - 1 else len(text)
    parts = ["… "] if first > 0 else []
    cursor = start
    for word_start, word_end, matched in spans[first : last + 1]:
        if matched:
            parts.append(escape(text[cursor:word_start]))
            parts.append(f"<mark>{escape(text[word_start:word_end])}</mark>")
            cursor = word_end
    parts.append(escape(text[cursor:end]))
    if last < len(spans) - 1:
        parts.append(" …")
    # Every piece of wire text in parts went through escape().
    return mark_safe("".join(parts))


def highlight(text: str, query: ParsedQuery) -> SafeString:
    """Return ``text`` escaped, with the words ``query`` finds in <mark>."""
    needles = _needles(query)
    return _highlight(text, _matcher(query, needles), needles)


def _highlight(text: str, matches: Callable[[str], bool], needles: _Needles) -> SafeString:
    spans = _spans(text, matches, needles)
    if not spans:
        return escape(text)
    return _render(text, spans, 0, len(spans) - 1)


def snippet(paragraphs: Sequence[str], query: ParsedQuery) -> SafeString:
    """Return the passage of ``paragraphs`` that best matches ``query``, marked.

    The first paragraph with as many distinct matching words as the query
    has words wins, else the one with the most (the first on a tie); a long
    one is cut to ``SNIPPET_WORDS`` words around its first match.
    With no match in the body (a headline hit), the first paragraph is shown.
    """
    needles = _needles(query)
    return _snippet(paragraphs, query, needles, _matcher(query, needles))


def _snippet(
    paragraphs: Sequence[str],
    query: ParsedQuery,
    needles: _Needles,
    matches: Callable[[str], bool],
) -> SafeString:
    if not paragraphs:
        return mark_safe("")
    # Score on the paragraph normalised once, word by word: most paragraphs
    # have no match, and only the one shown needs its words located. A
    # paragraph without a needle has none: ``normalize`` changes nothing
    # across whitespace, so each chunk's normalised text is a piece of the
    # paragraph's (tests/search/test_highlight.py checks it on hostile
    # text), and ``normalize`` of a normalised word is the word itself.
    # Counting stops at the query's number of words: that paragraph wins.
    wanted = len(query.terms) + len(query.phrases)
    best, best_score = paragraphs[0], 0
    for text in paragraphs:
        normalized = normalize(text)
        if normalized not in needles:
            continue
        score = 0
        for word in needles.words_in(normalized):
            if matches(word):
                score += 1
                if score == wanted:
                    break
        if score > best_score:
            best, best_score = text, score
            if score >= wanted:
                break  # every word of the query: no later paragraph does better
    text, spans = best, _spans(best, matches, needles)
    if not spans:
        return escape(text)
    hits = [i for i, span in enumerate(spans) if span[2]]
    first = max(0, (hits[0] if hits else 0) - SNIPPET_LEAD)
    last = min(len(spans), first + SNIPPET_WORDS) - 1
    first = max(0, min(first, last - SNIPPET_WORDS + 1))
    return _render(text, spans, first, last)


def add_snippets(articles: Sequence[Article], query: ParsedQuery) -> None:
    """Set ``snippet`` and ``marked_headline`` on each article.

    The articles are a page of ``articles.search.retrieval.SearchResults``,
    which come with their ``paragraph_texts``.
    """
    needles = _needles(query)
    matches = _matcher(query, needles)
    for article in articles:
        article.marked_headline = _highlight(article.headline, matches, needles)
        article.snippet = _snippet(article.paragraph_texts, query, needles, matches)
