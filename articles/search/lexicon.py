"""The index's words and how many stories hold each: prefixes and particles resolved.

The lexicon (``models.SearchLexeme``) is kept by the database's triggers
(migration 0011) whenever a story's vector is written, so it is exact with
no ANALYZE: at once for every writer but the importer, whose new stories are
counted just after each batch commits (migration 0031), out of the lock
other imports wait for. This module reads it to turn a
parsed query into one the GIN index answers in bounded time:

Prefixes, bounded as search engines bound them
    A prefix asked as ``'وزا':*`` makes the GIN index read the postings of
    every word it begins, at every query: hundreds of words for three letters,
    most of the index for الم. Like Elasticsearch's ``max_expansions``, a
    prefix is expanded instead to its ``SEARCH_PREFIX_EXPANSIONS`` (50) most
    frequent completions among the words, and as many among the stems, and
    those are asked as whole lexemes. The trade-off: a story whose only
    match is a rare word the prefix begins (past the 50 commonest) is not
    found while the reader is still typing; it is as soon as the word is
    whole, and the completions a reader most likely means are the frequent
    ones.

Particles on any word
    Arabic writes the conjunctions و ف and the prepositions ب ك ل onto the
    next word (وتركيا، بمصر، للمدرسة، ولتلوثها). The light stem strips at most
    one of them, and only from long words, because many words begin with
    those letters (وزير is not و + زير). Here, with the counts at hand, a
    query word that begins with particles is also asked without them when
    the bare word is much more common in the stories than the word as typed
    (``PARTICLE_DOMINANCE``): بمصر finds مصر, while وزير, far more common
    than زير, stays itself. The bare form is matched but not ranked, so a
    story with the word as typed comes first.

Counts cover stories of every status: they choose how to search and which
completions to ask, never who may see what.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from django.conf import settings
from django.db import connections, router

from articles.arabic import particle_strippings
from articles.models import SearchLexeme
from articles.search.index import STEM_MARK, cached_stem
from articles.search.query import ParsedQuery
from articles.search.stats import LexemeStats, lexeme_stats

# A bare form is asked too only if it is in this many times more stories than
# the word as typed (an unseen typed word: in any story at all).
PARTICLE_DOMINANCE = 2

# The prefix's words level by level (migration 0027): going down from the
# highest order of magnitude, each level's words are counted, one range of the
# (magnitude, lexeme) index each, until the levels so far hold ``limit``; then
# the words of those levels are read and the ``limit`` commonest kept. Every
# word of a higher level is more common than any of a lower one, so that is
# exactly the ``limit`` commonest, found by reading a few levels' words where
# the prefix's whole range holds tens of thousands (وال، بال). Counts stay
# below 2**MAX_MAGNITUDE in PostgreSQL's integer.
MAX_MAGNITUDE = 31
_COMPLETIONS_SQL = """
WITH RECURSIVE levels(level, found) AS (
    SELECT %(top)s, 0::bigint
    UNION ALL
    SELECT level - 1, found + (
        SELECT count(*) FROM {table}
        WHERE magnitude = levels.level AND lexeme LIKE %(pattern)s AND stories > 0
    )
    FROM levels WHERE found < %(limit)s AND level >= 0
)
SELECT lexeme, stories FROM {table}
WHERE magnitude = ANY(ARRAY(SELECT level + 1 FROM levels)) AND lexeme LIKE %(pattern)s
  AND stories > 0
ORDER BY stories DESC, lexeme
LIMIT %(limit)s
"""


def completions(prefix: str, limit: int | None = None) -> list[tuple[str, int]]:
    """The ``limit`` lexemes beginning with ``prefix`` that most stories hold, with their counts.

    Read level by level (``_COMPLETIONS_SQL``): a few hundred index entries
    for the commonest three-letter prefixes, not every word they begin.
    """
    limit = settings.SEARCH_PREFIX_EXPANSIONS if limit is None else limit
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with connections[router.db_for_read(SearchLexeme)].cursor() as cursor:
        cursor.execute(
            _COMPLETIONS_SQL.format(table=SearchLexeme._meta.db_table),
            {"top": MAX_MAGNITUDE, "pattern": pattern, "limit": int(limit)},
        )
        return cursor.fetchall()


def resolve(
    query: ParsedQuery, known: LexemeStats | None = None, also_count: Iterable[str] = ()
) -> tuple[ParsedQuery, LexemeStats]:
    """``query`` with its prefix expanded and its particles resolved, and the counts read.

    One query for the counts of the query's words, their stems and their bare
    forms (and of the stories, and of the lexemes ``also_count`` names, that
    the caller will want), none if all are ``known``; two more for a prefix's
    completions (of the word and of its stem). The counts come back for the
    search's estimates.
    """
    bare = {term.word: particle_strippings(term.word) for term in query.terms}
    parts = (*query.terms, *query.phrases)
    wanted = [lexeme for part in parts for lexeme in part.counted_lexemes()]
    wanted += [term.word for term in query.terms]
    wanted += query.within
    wanted += also_count
    wanted += [lexeme for forms in bare.values() for form in forms for lexeme in _forms(form)]
    stats = lexeme_stats(wanted, known)
    terms = []
    for term in query.terms:
        also = _bare_form(term.word, bare[term.word], stats.counts)
        expansions = term.expansions
        if term.prefix and expansions is None:
            # The commonest words, and the commonest stems, the prefix begins.
            found = completions(term.word) + completions(STEM_MARK + term.stem)
            stats.counts.update(found)
            expansions = tuple(lexeme for lexeme, _ in found)
        terms.append(dataclasses.replace(term, expansions=expansions, also=also))
    return dataclasses.replace(query, terms=tuple(terms)), stats


def _forms(word: str) -> tuple[str, ...]:
    """The lexemes ``word`` is found by: itself, its marked stem, its stem."""
    stem = cached_stem(word)
    return tuple(dict.fromkeys([word, STEM_MARK + stem, stem]))


def _bare_form(word: str, forms: list[str], counts: dict[str, int]) -> tuple[str, ...]:
    """The lexemes of the best bare form of ``word``, if it dominates; else ()."""
    typed = counts.get(word, 0)
    best, best_count = None, 0
    for form in forms:
        count = counts.get(form, 0) + counts.get(STEM_MARK + cached_stem(form), 0)
        if count > best_count:
            best, best_count = form, count
    if best is None or best_count <= typed * PARTICLE_DOMINANCE:
        return ()
    return _forms(best)
