"""What grouping copies of one story adds to an import: ms per story, share of the time.

Usage (against the machine's PostgreSQL; the bench never touches the data of
the database DATABASE_URL names):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/np_b \\
        .venv/bin/python bench/cluster_bench.py [--count 100000] [--batch-size 500]

What it does:

1. draws stories from ``bench/cluster_corpus.py`` (one draw per seed, each
   some 520 stories over eleven days, the draws staggered so a day holds some
   1,500 stories, as a portal importing many outlets receives) until it has
   ``--count``, each with a guid of its own, as JSON Lines files;
2. creates a throwaway database ``<name>_cluster_bench`` and migrates it;
3. imports them through ``Importer.run``, exactly the code ``import_articles``
   runs, timing ``articles.story_groups.group_stories`` inside it;
4. prints the import's time per story, grouping's time per story (target: at
   most 2 ms) and its share of the import (target: at most 10%), for the
   whole import and for its last tenth, when the store is fullest;
5. drops the throwaway database.

The corpus repeats its kinds of dispatch in every draw, so each story meets
more candidates than real copy would: the figures are an upper bound.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import tempfile
import time
from pathlib import Path

from bench_django import setup_django

setup_django()

from cluster_corpus import corpus  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from articles.importers import loader  # noqa: E402
from articles.importers.inputs import from_paths  # noqa: E402
from articles.importers.loader import Importer, ImportOptions  # noqa: E402

# Days between two draws of the corpus: eleven days each, so about 1,500 a day.
STAGGER_DAYS = 11 / 30


def write_stories(directory: Path, count: int) -> list[Path]:
    """Write ``count`` stories as JSON Lines files, one per draw, in time order."""
    paths, written, seed = [], 0, 0
    while written < count:
        stories, _ = corpus(seed)
        shift = datetime.timedelta(days=seed * STAGGER_DAYS)
        lines = []
        for story in stories[: count - written]:
            lines.append(
                json.dumps(
                    {
                        "guid": f"bench:{seed}:{story.key}",
                        "headline": story.headline,
                        "source": story.outlet,
                        "published_at": (story.published_at + shift).isoformat(),
                        "paragraphs": story.paragraphs,
                    },
                    ensure_ascii=False,
                )
            )
        path = directory / f"draw-{seed:04d}.jsonl"
        path.write_text("\n".join(lines))
        paths.append(path)
        written += len(lines)
        seed += 1
    return paths


class Timed:
    """``group_stories``, timed: the loader calls it through its module's name."""

    def __init__(self, function):
        self.function = function
        self.seconds = 0.0
        self.stories = 0

    def __call__(self, stories):
        stories = list(stories)
        started = time.perf_counter()
        self.function(stories)
        self.seconds += time.perf_counter() - started
        self.stories += len(stories)


def import_paths(paths: list[Path], batch_size: int) -> tuple[float, Timed]:
    timed = Timed(loader.group_stories)
    loader.group_stories = timed
    try:
        started = time.perf_counter()
        for _ in Importer(ImportOptions(batch_size=batch_size, workers=0)).run(
            from_paths([str(path) for path in paths], max_bytes=settings.IMPORT_MAX_FILE_BYTES)
        ):
            pass
        return time.perf_counter() - started, timed
    finally:
        loader.group_stories = timed.function


def report(label: str, seconds: float, timed: Timed) -> None:
    per_story = timed.seconds / timed.stories * 1000
    import_per_story = seconds / timed.stories * 1000
    print(
        f"{label}: {timed.stories} stories, import {import_per_story:.2f} ms a story, "
        f"grouping {per_story:.2f} ms a story ({timed.seconds / seconds:.1%} of the import)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="stories to import")
    parser.add_argument("--batch-size", type=int, default=500)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cluster-bench-") as temporary:
        paths = write_stories(Path(temporary), args.count)
        database = settings.DATABASES["default"]
        database.setdefault("TEST", {})["NAME"] = f"{database['NAME']}_cluster_bench"
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            tenth = max(1, len(paths) // 10)
            seconds, timed = import_paths(paths[:-tenth], args.batch_size)
            last_seconds, last = import_paths(paths[-tenth:], args.batch_size)
            report("whole import", seconds + last_seconds, _sum(timed, last))
            report("last tenth  ", last_seconds, last)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    per_story = last.seconds / last.stories * 1000
    return 0 if per_story <= 2 and last.seconds / last_seconds <= 0.10 else 1


def _sum(a: Timed, b: Timed) -> Timed:
    total = Timed(None)
    total.seconds, total.stories = a.seconds + b.seconds, a.stories + b.stories
    return total


if __name__ == "__main__":
    sys.exit(main())
