"""Ranking a search's newest matches: which of them a reader sees first.

``articles.search.retrieval`` finds the matches newest first and hands the
newest ``RANK_WINDOW`` of them to ``articles.search.shown.ranked``, which
orders a page of them by ``rank_sql``.

Ranking
    The newest ``RANK_WINDOW`` (50: five pages) matches are ranked; the rest
    follow newest first. Ranking reads every ranked vector back and walks the
    positions of every lexeme of the query in it (5 to 14 ms for 100 vectors
    and a three-word query, the largest part of a search's time in the
    database), so it has to be bounded, and for a news site the trade is
    right: whoever types a common word wants the recent stories. Within the
    window, ``ts_rank`` over an OR of every lexeme of the query, with weights
    A 1.0, B 0.4, C 0.2, D 0.1.
    For each lexeme ts_rank counts its best-weighted occurrence fully and the
    others with falling weights, never more than the best weight times
    pi^2/6 (1.64); as each class is at least twice the next, one headline
    occurrence outranks any number of body ones, and an exact word (its own
    lexeme plus its stem) outranks a stem alone in the same field.
    ``ts_rank_cd`` was not used: it sums covers, so a word repeated in the
    body outranks the headline. Equal ranks (the usual case among stories
    that mention the words the same way) go newest first.
"""

from __future__ import annotations

from articles.search.query import ParsedQuery

# See "Ranking" above; ts_rank takes the weights as {D, C, B, A}.
RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]
RANK_WINDOW = 50


def rank_sql(vector: str) -> str:
    """SQL for the rank of the tsvector column ``vector``, with ``rank_params`` as its parameters.

    Order by it descending, then newest first: equal ranks go newest first.
    """
    return f"ts_rank(%s::real[], {vector}, %s::tsquery)"


def rank_params(query: ParsedQuery) -> list:
    """The parameters of ``rank_sql`` for ``query``: the weights, and every lexeme OR-ed."""
    return [RANK_WEIGHTS, query.rank_tsquery()]
