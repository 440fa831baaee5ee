"""The search's tuning: how ``articles.search.retrieval`` finds a search's stories.

Kept apart so that the search box (``articles.search.suggest``) and tests
can ask for their own values without the retrieval's machinery.
"""

from __future__ import annotations

import dataclasses

from articles.search import ranking


@dataclasses.dataclass(frozen=True)
class Tuning:
    """How the search steers the planner; see "Finding the newest matches" in
    ``articles.search.retrieval``.

    The defaults were measured with bench/search_bench.py at 100,000 stories;
    tests pass small values to reach each path with a few stories.
    """

    fetch_all_below: int = 1000
    fetch_all_limit: int = 3000
    walk_first: int = 200
    walk_share: float = 0.4
    span_margin: float = 1.25
    span_growth: int = 10
    span_steps: int = 4
    enough_matches: int = 100
    bitmap_limit: int = 50_000
    span_budget: int = 150_000
    browse_cap: int = 1000
    rank_window: int = ranking.RANK_WINDOW


DEFAULT_TUNING = Tuning()
# Ten results a page, as search engines show them: each result costs a snippet.
RESULTS_PER_PAGE = 10
