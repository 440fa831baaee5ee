"""The search's query language: what a reader types, as a PostgreSQL tsquery.

``parse_query(text)`` gives a ``ParsedQuery`` of free words (``Term``) and
quoted phrases (``Phrase``); ``articles.search.retrieval`` finds its stories.

How a query matches
    Each free word matches every story word with its stem, marked or (for
    story words that are their own stem) not: ``('~stem' | 'stem')``, which
    covers the exact word too; all words must match (``&``). A quoted
    phrase matches its exact words in order, stop words counted as gaps
    (``'w1' <-> 'w2' <2> 'w3'``), and asks the pair lexemes of its successive
    words (``articles.search.index.pair_lexeme``) so that the index, not a
    read of every vector holding the words, finds where they stand together.
    The last free word, if it has at least ``PREFIX_MIN_LENGTH`` (3)
    letters, is asked first as a whole word like the others; if that finds
    less than a page of stories, it is asked again as a prefix: its most
    frequent completions, words and stems, and its stem
    (``articles.search.lexicon`` expands it, bounded as search engines bound
    a prefix), so أفغا finds أفغانستان and الح finds الحكومة (the retrieval
    decides, ``ParsedQuery.whole_words``). A reader who typed a whole word
    that is in the news wants that word, not the longer words it begins
    (مصر, not مصرف). Two letters are not a prefix: they begin too many
    words for any few of them to be what the reader means.
    The tsquery is built here from normalised letters and digits, quoted, and
    cast with ``::tsquery`` (``tsquery_value``); the reader's text never
    reaches ``to_tsquery``. ``Matches`` asks whether a vector matches it.
    A query of stop words only matches nothing and says so: stop words are
    not indexed, and matching them all would return every story.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re

from django.conf import settings
from django.contrib.postgres.search import SearchQueryField
from django.db.models import BooleanField, Func, Value
from django.db.models.functions import Cast

from articles import dates
from articles.arabic import STOP_WORDS, tokenize
from articles.search.index import (
    MAX_WORD_LENGTH,
    STEM_MARK,
    cached_stem,
    chunk_lexemes,
    pair_lexeme,
    quote_lexeme,
)
from articles.search.stats import LexemeStats

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 10
PREFIX_MIN_LENGTH = 3

# Straight, typographic and Arabic (guillemet) double quotes all open or close.
_QUOTES = re.compile(r"[\"«»“”„‟〝〞＂]")


@dataclasses.dataclass(frozen=True)
class Term:
    """A free word of the query: matches its exact form or its stem.

    ``expansions`` and ``also`` are filled in from the index's lexicon by
    ``articles.search.lexicon.resolve`` before a search runs: a prefix's most
    frequent completions (None until then), and the lexemes of the word
    without the particles written onto it, when that is what the reader
    means (matched, not ranked). Both hold unquoted lexemes.
    """

    word: str
    stem: str
    prefix: bool = False
    expansions: tuple[str, ...] | None = None
    also: tuple[str, ...] = ()

    def tsquery(self) -> str:
        return "(" + " | ".join(self._items(rank=False)) + ")"

    def lexemes(self) -> list[str]:
        return self._items(rank=True)

    def counted_lexemes(self) -> list[str]:
        """The unquoted lexemes whose story counts estimate this word's matches."""
        if self.prefix and self.expansions is not None:
            return [*self.expansions, self.stem, *self.also]
        return [STEM_MARK + self.stem, self.stem, *self.also]

    def share(self, stats: LexemeStats) -> float:
        """At most about what share of stories this word matches."""
        if self.prefix and self.expansions is None:
            return 1.0  # not resolved: as common as can be, so the search stays bounded
        if not self.prefix:
            return min(1.0, sum(stats.share(lexeme) for lexeme in self.counted_lexemes()))
        # A story word gives both its word and its marked stem: the completions
        # of each kind count mostly the same stories, so the larger sum stands
        # for both.
        words = sum(stats.share(e) for e in self.expansions if not e.startswith(STEM_MARK))
        stems = sum(stats.share(e) for e in self.expansions if e.startswith(STEM_MARK))
        rest = sum(stats.share(lexeme) for lexeme in (self.stem, *self.also))
        return min(1.0, max(words, stems) + rest)

    def _items(self, *, rank: bool) -> list[str]:
        """The tsquery items of this word, to match or to rank.

        A story word is found by its stem, marked or (if it is its own stem)
        not; that covers the exact word too, which ranking adds so that it
        counts above its other forms. A resolved prefix matches its
        completions as whole lexemes (``articles.search.lexicon``), and its
        stem; unresolved, it matches every word and marked stem it begins
        (``:*``). In ranking, the word as typed counts above the longer
        words it begins (مصر above مصرف). The bare forms of ``also`` only
        match: a story with the word as typed ranks above one with the bare
        word alone.
        """
        word, marked, stem = (
            quote_lexeme(self.word),
            quote_lexeme(STEM_MARK + self.stem),
            quote_lexeme(self.stem),
        )
        also = [] if rank else [quote_lexeme(lexeme) for lexeme in self.also]
        if not self.prefix:
            return [word, marked, stem] if rank else [marked, stem, *also]
        if self.expansions is not None:
            expanded = [quote_lexeme(lexeme) for lexeme in self.expansions]
            if rank:
                # The word as typed, and the stems it begins: not the longer words.
                expanded = [word, *(lexeme for lexeme in expanded if lexeme[1] == STEM_MARK)]
            items = [*expanded, *also]
            return list(dict.fromkeys(items if stem in items else [*items, stem]))
        items = [word if rank else word + ":*", marked + ":*"]
        items = items if self.stem == self.word else [*items, stem]
        return [*items, *also]


@dataclasses.dataclass(frozen=True)
class Phrase:
    """Quoted words that must appear exactly and in order.

    ``words`` pairs each word with its distance from the one before (1 when
    adjacent, 2 with one stop word between, ...); the first distance is 0.
    """

    words: tuple[tuple[int, str], ...]

    def tsquery(self) -> str:
        """The words in order, and the pair lexemes of each two successive words.

        The pairs (``articles.search.index.pair_lexeme``) let the GIN index
        leave out most stories that hold the words apart; the positions of
        the words then decide.
        """
        quoted = [quote_lexeme(word) for _, word in self.words]
        if len(quoted) == 1:
            return quoted[0]
        parts = [quoted[0]]
        for (distance, _), lexeme in zip(self.words[1:], quoted[1:], strict=True):
            operator = "<->" if distance == 1 else f"<{distance}>"
            parts.append(f"{operator} {lexeme}")
        pairs = dict.fromkeys(map(pair_lexeme, quoted, quoted[1:]))
        return "(" + " & ".join(["(" + " ".join(parts) + ")", *pairs]) + ")"

    def lexemes(self) -> list[str]:
        return [quote_lexeme(word) for _, word in self.words]

    def counted_lexemes(self) -> list[str]:
        """The unquoted lexemes whose story counts estimate this phrase's matches."""
        return [word for _, word in self.words]

    def share(self, stats: LexemeStats) -> float:
        """At most what share of stories have all the phrase's words."""
        return min(stats.share(word) for _, word in self.words)


@dataclasses.dataclass
class ParsedQuery:
    """A reader's query, normalised, with what to tell the reader about it."""

    text: str
    terms: tuple[Term, ...] = ()
    phrases: tuple[Phrase, ...] = ()
    notes: list[str] = dataclasses.field(default_factory=list)
    stop_words_only: bool = False
    # Lexemes (unquoted) every match must also hold, for a filter the index
    # answers: a source (articles.search.index.source_lexeme). They narrow,
    # never rank or mark.
    within: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases)

    def tsquery(self) -> str:
        """The tsquery text a story must match: every word and phrase, and ``within``."""
        parts = [t.tsquery() for t in self.terms] + [p.tsquery() for p in self.phrases]
        return " & ".join(parts + [quote_lexeme(lexeme) for lexeme in self.within])

    def share(self, stats: LexemeStats) -> float:
        """About what share of stories match, if its words were independent.

        Words that appear together in the news (مجلس الأمن) are far from
        independent, so this can promise too few matches; the search checks.
        """
        filters = [stats.share(lexeme) for lexeme in self.within]
        return self.share_within_filters(stats) * math.prod(filters)

    def most_stories(self, stats: LexemeStats) -> float:
        """At most how many stories can match: those of its rarest word or phrase."""
        parts = (*self.terms, *self.phrases)
        return min(part.share(stats) for part in parts) * stats.stories if parts else 0.0

    def share_within_filters(self, stats: LexemeStats) -> float:
        """About what share of the stories ``within`` leaves (a source's) match the words.

        A source's stories use the same words as the others, so its words
        are as common among them as in the whole archive.
        """
        return math.prod(part.share(stats) for part in (*self.terms, *self.phrases))

    def whole_words(self) -> ParsedQuery:
        """This query with its last word matched as a whole word, not as a prefix."""
        if not any(term.prefix for term in self.terms):
            return self
        terms = tuple(dataclasses.replace(term, prefix=False) for term in self.terms)
        return dataclasses.replace(self, terms=terms)

    def rank_tsquery(self) -> str:
        """Every lexeme of the query OR-ed, for ts_rank (see articles.search.ranking)."""
        lexemes = [lexeme for part in (*self.terms, *self.phrases) for lexeme in part.lexemes()]
        return " | ".join(dict.fromkeys(lexemes))

    def matches_chunk(self, chunk: str) -> bool:
        """Say whether a whitespace-free chunk of story text holds a word this query finds."""
        return self._chunk_matcher(chunk)

    @functools.cached_property
    def _chunk_matcher(self):
        """``matches_chunk``, fast: it reads the chunk's lexemes from the
        indexing cache and tests them against the tsquery's own items, so it
        agrees with the database.
        """
        words = {t.word for t in self.terms if not t.prefix}
        words.update(word for phrase in self.phrases for _, word in phrase.words)
        exact = {quote_lexeme(word) for word in words}
        exact.update(quote_lexeme(t.stem) for t in self.terms)
        stems = {quote_lexeme(STEM_MARK + t.stem) for t in self.terms if not t.prefix}
        # What the lexicon resolved: completions and bare forms, words or stems.
        resolved = {
            quote_lexeme(lexeme) for t in self.terms for lexeme in (*(t.expansions or ()), *t.also)
        }
        exact |= resolved
        stems |= resolved
        prefixed = [t for t in self.terms if t.prefix and t.expansions is None]
        word_prefixes = tuple("'" + t.word for t in prefixed)
        stem_prefixes = tuple("'" + STEM_MARK + t.stem for t in prefixed)
        chunks = chunk_lexemes

        def chunk_matches(chunk: str) -> bool:
            for lexemes in chunks[chunk]:
                if lexemes is None:
                    continue
                word, indexed_stem, stem, _ = lexemes
                if word in exact or stem in stems or indexed_stem in resolved:
                    return True
                if prefixed and (
                    word.startswith(word_prefixes)
                    or (indexed_stem is not None and indexed_stem.startswith(stem_prefixes))
                ):
                    return True
            return False

        return chunk_matches


def _digits(number: int) -> str:
    """``number`` written with the digits the site is set to use."""
    return dates.digits(str(number), settings.ARABIC_DIGITS)


def parse_query(raw: str) -> ParsedQuery:
    """Turn the reader's text into terms and phrases (see "How a query matches")."""
    text = " ".join((raw or "").split())
    notes = []
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notes.append(f"البحث طويل، فاقتصرنا على أول {_digits(MAX_QUERY_CHARS)} حرف منه.")
    terms: dict[str, Term] = {}
    phrases: list[Phrase] = []
    seen_words = 0
    dropped = False
    last_free: Term | None = None
    last_was_free_word = False
    for index, segment in enumerate(_QUOTES.split(text)):
        words = tokenize(segment)
        quoted = index % 2 == 1
        if quoted:
            phrase_words: list[tuple[int, str]] = []
            distance = 0
            for word in words:
                distance += 1
                if word in STOP_WORDS or len(word) > MAX_WORD_LENGTH:
                    continue
                if seen_words >= MAX_QUERY_WORDS:
                    dropped = True
                    break
                seen_words += 1
                phrase_words.append((0 if not phrase_words else distance, word))
                distance = 0
            if phrase_words:
                phrases.append(Phrase(tuple(phrase_words)))
            if words:
                last_was_free_word = False
            continue
        for word in words:
            last_was_free_word = False
            if word in STOP_WORDS or len(word) > MAX_WORD_LENGTH:
                continue
            if word in terms:
                last_free, last_was_free_word = terms[word], True
                continue
            if seen_words >= MAX_QUERY_WORDS:
                dropped = True
                break
            seen_words += 1
            last_free = terms[word] = Term(word, cached_stem(word))
            last_was_free_word = True
    if dropped:
        notes.append(f"البحث طويل، فاقتصرنا على أول {_digits(MAX_QUERY_WORDS)} كلمات منه.")
    # A short prefix such as الم would expand to thousands of words: slow, and
    # no help to the reader.
    if last_free is not None and last_was_free_word and len(last_free.word) >= PREFIX_MIN_LENGTH:
        terms[last_free.word] = dataclasses.replace(last_free, prefix=True)
    parsed = ParsedQuery(text, tuple(terms.values()), tuple(phrases), notes)
    if not parsed and any(tokenize(segment) for segment in _QUOTES.split(text)):
        parsed.stop_words_only = True
    return parsed


# --- The query in PostgreSQL -----------------------------------------------


class Matches(Func):
    """``vector @@ query``: Django's own lookup would re-parse the query text."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def tsquery_value(text: str) -> Cast:
    """A tsquery literal built by this module, passed to PostgreSQL as it is."""
    return Cast(Value(text), output_field=SearchQueryField())
