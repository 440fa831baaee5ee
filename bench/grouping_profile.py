"""Where grouping copies of one story spends its time, per imported story.

Usage (against the machine's PostgreSQL; the bench never touches the data of
the database DATABASE_URL names):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/np_b \\
        .venv/bin/python bench/grouping_profile.py [--corpus 20000] [--same-moment 10000] [--keep]

Two stores, each in a throwaway database named after DATABASE_URL's
(``<name>_grouping_corpus``, ``<name>_grouping_moment``):

- ``corpus``: ``--corpus`` stories of ``bench/cluster_corpus.py``, drawn as
  ``bench/cluster_bench.py`` draws them; all but the last 2,000 imported,
  then the last 2,000 measured, in the importer's batches;
- ``moment``: ``--same-moment`` stories of ``bench/ingest_bench.py``'s
  generated text, all published at the same moment, imported; then 30
  imports of one story each (as a drop folder's file), and one of 100.

Measured imports run in a transaction rolled back at the end, so ``--keep``
(keep the databases; later runs reuse them) lets two versions of the code be
compared back to back on the same store. For each measured import it prints,
in ms per story: the import's wall time, then grouping's parts: the
fingerprint (made where stories are parsed), the candidates query, the
boilerplate counts read, the band and fingerprint writes, the rest of
``group_new`` (Python, new groups), and the settling before the commit
(articles/group_settling.py: the advisory lock, merges, counts written, the
log); and the candidates returned per story.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench_django import setup_django

setup_django()

from cluster_bench import write_stories  # noqa: E402
from cluster_corpus import corpus  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from ingest_bench import story_line  # noqa: E402

from articles import group_settling, story_groups  # noqa: E402
from articles.importers import loader, reading  # noqa: E402
from articles.importers.inputs import from_paths  # noqa: E402
from articles.importers.loader import Importer, ImportOptions  # noqa: E402
from articles.models import Article  # noqa: E402

DATABASE_NAME = settings.DATABASES["default"]["NAME"]
MEASURED = 2_000


class Rollback(Exception):
    pass


class Timers:
    """Seconds spent in grouping's functions, by name, while active."""

    PATCHED = (
        (reading.grouping, "fingerprint", "fingerprint"),
        (story_groups, "candidates_of", "candidates"),
        (story_groups, "_boilerplate_counts", "boilerplate"),
        (group_settling, "write_counts", "counts written"),
        (loader, "store_fingerprints", "writes"),
        (loader, "group_new", "group_new"),
        (loader, "settle", "settle"),
    )

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.candidates = 0

    @contextlib.contextmanager
    def active(self):
        originals = [(module, name, getattr(module, name)) for module, name, _ in self.PATCHED]
        for (module, name, label), (_, _, function) in zip(self.PATCHED, originals, strict=True):
            setattr(module, name, self._timed(function, label))
        try:
            yield self
        finally:
            for module, name, function in originals:
                setattr(module, name, function)

    def _timed(self, function, label):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                result = function(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - started
            if label == "candidates":
                self.candidates += len(result[0])
            return result

        return timed


def import_files(paths: list[Path], batch_size: int = 500) -> int:
    options = ImportOptions(batch_size=batch_size)
    inputs = from_paths([str(path) for path in paths], max_bytes=settings.IMPORT_MAX_FILE_BYTES)
    return sum(1 for _ in Importer(options).run(inputs))


def measure(label: str, runs: list[list[Path]], batch_size: int = 500, check=None) -> None:
    """Import each run of files (one importer run each), rolled back; print the parts.

    ``check``: called before the rollback, to look at the groups made.
    """
    timers = Timers()
    stories = 0
    started = time.perf_counter()
    with contextlib.suppress(Rollback), transaction.atomic(), timers.active():
        for paths in runs:
            stories += import_files(paths, batch_size)
        if check:
            check()
        raise Rollback
    wall = time.perf_counter() - started
    seconds = timers.seconds
    rest = seconds["group_new"] - seconds["candidates"] - seconds["boilerplate"]
    parts = {
        "fingerprint": seconds["fingerprint"],
        "candidates": seconds["candidates"],
        "boilerplate": seconds["boilerplate"],
        "writes": seconds["writes"],
        "rest of group_new": rest,
        "settling": seconds["settle"],
    }
    per = {name: value / stories * 1000 for name, value in parts.items()}
    print(
        f"{label}: {stories} stories in {len(runs)} runs, import {wall / stories * 1000:.2f} ms"
        f" a story; grouping {sum(per.values()):.2f}: "
        + ", ".join(f"{name} {value:.2f}" for name, value in per.items())
        + f"; candidates {timers.candidates / stories:.1f} a story"
    )


@contextlib.contextmanager
def database(suffix: str, keep: bool):
    """A throwaway database; made and filled only when ``keep`` finds none."""
    name = f"{DATABASE_NAME}_{suffix}"
    database = settings.DATABASES["default"]
    database.setdefault("TEST", {})["NAME"] = name
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
    if keep and exists:
        old_name = database["NAME"]
        connection.close()
        database["NAME"] = name
        connection.settings_dict["NAME"] = name
        fresh = False
    else:
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        fresh = True
    try:
        yield fresh
    finally:
        if keep:
            connection.close()
            database["NAME"] = connection.settings_dict["NAME"] = old_name
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def corpus_profile(count: int, directory: Path, keep: bool) -> None:
    (directory / "corpus").mkdir()
    paths = write_stories(directory / "corpus", count)
    tail = []
    # Files of the last MEASURED stories: the draws are about 520 stories each.
    while paths and sum(len(path.read_text().splitlines()) for path in tail) < MEASURED:
        tail.insert(0, paths.pop())
    with database("grouping_corpus", keep) as fresh:
        if fresh:
            started = time.perf_counter()
            loaded = import_files(paths)
            print(f"corpus: {loaded} stories loaded in {time.perf_counter() - started:.0f} s")
        measure("corpus, batches of 500", [tail], check=lambda: corpus_pairs(tail))


def corpus_pairs(paths: list[Path]) -> None:
    """Pairwise precision and recall of the measured draws' groups, each draw on its own.

    Only pairs within a draw are scored: the draws repeat the corpus's
    dispatches, so copies across draws are copies too, but not the corpus's.
    """
    truth = {}
    for path in paths:
        seed = int(path.stem.split("-")[1])
        for story in corpus(seed)[0]:
            truth[f"bench:{seed}:{story.key}"] = (seed, story.group)
    groups = dict(Article.objects.filter(guid__in=truth).values_list("guid", "story_group_id"))
    expected, found = set(), set()
    for a, b in itertools.combinations(sorted(groups), 2):
        if truth[a][0] != truth[b][0]:
            continue
        if truth[a] == truth[b]:
            expected.add((a, b))
        if groups[a] == groups[b]:
            found.add((a, b))
    right = expected & found
    print(
        f"  groups made, within each draw: precision {len(right) / max(1, len(found)):.4f},"
        f" recall {len(right) / max(1, len(expected)):.4f} ({len(expected)} pairs of copies)"
    )


def moment_profile(count: int, directory: Path, keep: bool) -> None:
    folder = directory / "moment"
    folder.mkdir()
    rng = random.Random(18)
    store = folder / "store.jsonl"
    store.write_text("\n".join(story_line(number, rng) for number in range(count)))
    singles = []
    for number in range(count, count + 130):
        path = folder / f"{number}.json"
        path.write_text(story_line(number, rng))
        singles.append(path)
    with database("grouping_moment", keep) as fresh:
        if fresh:
            started = time.perf_counter()
            loaded = import_files([store])
            print(f"moment: {loaded} stories loaded in {time.perf_counter() - started:.0f} s")
        measure("same moment, one story a run", [[path] for path in singles[:30]])
        measure("same moment, 100 stories a run", [singles[30:]], batch_size=100)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=int, default=20_000)
    parser.add_argument("--same-moment", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the databases, reuse them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="grouping-profile-") as temporary:
        if args.corpus:
            corpus_profile(args.corpus, Path(temporary), args.keep)
        if args.same_moment:
            moment_profile(args.same_moment, Path(temporary), args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
