"""Drop N story files into a folder while two ``manage.py ingest`` workers run; time each one.

Usage (against the machine's PostgreSQL; the bench never touches the data of
the database DATABASE_URL names):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/np_b \\
        .venv/bin/python bench/ingest_bench.py [--count 10000] [--rate 500] [--workers 2]

What it does:

1. creates a throwaway database ``<name>_ingest_bench`` beside the configured
   one and migrates it (Django's test-database machinery), and registers a
   temporary folder as an ingest source polled every second, published on
   arrival;
2. starts ``--workers`` ``manage.py ingest`` processes on it (two by default),
   as a server runs them;
3. drops ``--count`` files (one JSON Lines story each, Arabic generated from
   import_bench's vocabulary, guid ``bench:N``) at ``--rate`` files a second,
   each written as ``NAME.part`` and renamed, as a sender does: its arrival is
   the moment of the rename;
4. waits until every story is in the database (or ``--timeout`` passes), stops
   the workers with SIGTERM, and prints, from each story's first import-log
   row (written in the importer's transaction), the time from a file's
   arrival to its story in the database (median, p95, max), stories a second
   from the first arrival to the last story stored, how long the workers took
   to exit, what was lost or doubled, and where the files ended (``.done``,
   ``.failed``, still claimed or still waiting in the folder);
5. drops the throwaway database.

A file is taken only two seconds after its last change (articles/ingest/
folders.py), so no file can take less than that.

Last run (2026-12-06 01:05 UTC, the defaults: 10,000 files at 500/s, two
workers of 4 jobs each, on a shared 2-CPU machine, load average 1.5 before
and 2.7 after), with a folder's files claimed in chunks of a hundred that
either worker imports (articles/ingest/claims.py): every story stored, none
lost, none doubled, every file in .done; arrival to database median 7.37 s,
p95 9.42 s, max 30.46 s; 326.2 stories/s over 30.7 s; both workers exited 0
within 0.5 s of SIGTERM. The run before, one folder polled and imported by
one worker at a time: 49.3 stories/s, p95 170.4 s. Still short of the target
(p95 under 5 s, 500 stories/s): the stories arrive faster than the two
workers import them on two CPUs shared with PostgreSQL and the dropper, so a
queue of chunks builds while the files arrive; each file also waits its two
settling seconds and the next poll (every second).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_django import ROOT, setup_django

setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Min  # noqa: E402
from import_bench import sentence  # noqa: E402

from articles.ingest.sources import IngestSource  # noqa: E402
from articles.models import Article, ImportRecord  # noqa: E402
from newsportal.database_urls import database_url  # noqa: E402


def story_line(number: int, rng: random.Random) -> str:
    story = {
        "guid": f"bench:{number}",
        "headline": f"{sentence(rng)[:80]} (البرقية {number})",
        "source": "وكالة الاختبار",
        "published_at": "2026-11-20T10:00:00+03:00",
        "paragraphs": [sentence(rng) for _ in range(rng.randint(3, 6))],
    }
    return json.dumps(story, ensure_ascii=False)


def start_workers(count: int, log: Path) -> list[subprocess.Popen]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "DATABASE_REPLICA_URLS": "",
        "ENV_FILE": "",
        "SECRET_KEY": settings.SECRET_KEY,
        "LOG_LEVEL": "WARNING",
    }
    output = log.open("ab")
    return [
        subprocess.Popen(
            [sys.executable, "manage.py", "ingest"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        for _ in range(count)
    ]


def drop_files(folder: Path, count: int, rate: float) -> dict[str, float]:
    """Write ``count`` files at ``rate`` a second; return each guid's arrival (epoch seconds)."""
    rng = random.Random(18)
    arrivals = {}
    started = time.monotonic()
    for number in range(count):
        due = started + number / rate
        if (wait := due - time.monotonic()) > 0:
            time.sleep(wait)
        part = folder / f"bench-{number:05d}.jsonl.part"
        part.write_text(story_line(number, rng), encoding="utf-8")
        os.replace(part, part.with_suffix(""))
        arrivals[f"bench:{number}"] = time.time()
    return arrivals


def stored_count() -> int:
    return Article.objects.filter(guid__startswith="bench:").count()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def files_in(folder: Path) -> str:
    """Where the dropped files are: imported, failed, claimed by a chunk, or not yet taken."""
    done = sum(1 for _ in (folder / ".done").rglob("*.jsonl"))
    failed = sum(1 for _ in (folder / ".failed").rglob("*.jsonl"))
    claimed = sum(1 for _ in (folder / ".claimed").rglob("*.jsonl"))
    waiting = sum(1 for _ in folder.glob("*.jsonl"))
    return f"files: {done} in .done, {failed} in .failed, {claimed} claimed, {waiting} waiting"


def run(args: argparse.Namespace, folder: Path, log: Path) -> None:
    IngestSource.objects.create(
        name="bench", location=str(folder), poll_interval_seconds=1, is_published_on_arrival=True
    )
    workers = start_workers(args.workers, log)
    arrivals: dict[str, float] = {}
    try:
        time.sleep(3)  # The workers connect and register.
        print(f"dropping {args.count} files at {args.rate:.0f}/s into {folder}", flush=True)
        arrivals = drop_files(folder, args.count, args.rate)
        dropped = time.time()
        print(f"dropped in {dropped - min(arrivals.values()):.1f} s; waiting for the stories")
        deadline = time.monotonic() + args.timeout
        while stored_count() < args.count and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        stopping = time.monotonic()
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        codes = [worker.wait(timeout=60) for worker in workers]
        exit_seconds = time.monotonic() - stopping
    report(args, arrivals, codes, exit_seconds)
    print(files_in(folder))


def report(args, arrivals: dict[str, float], codes: list[int], exit_seconds: float) -> None:
    first_rows = dict(
        ImportRecord.objects.filter(guid__startswith="bench:", action="created")
        .values("guid")
        .annotate(first=Min("created_at"))
        .values_list("guid", "first")
    )
    latencies = [first_rows[guid].timestamp() - arrived for guid, arrived in arrivals.items()
                 if guid in first_rows]  # fmt: skip
    lost = sorted(set(arrivals) - set(first_rows))
    doubled_articles = (
        Article.objects.filter(guid__startswith="bench:")
        .values("guid")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    doubled_created = (
        ImportRecord.objects.filter(guid__startswith="bench:", action="created")
        .values("guid")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"stories stored: {len(first_rows)} of {args.count}; lost: {len(lost)}; "
          f"doubled: {doubled_articles} stories, {doubled_created} created twice")  # fmt: skip
    if latencies:
        span = max(first_rows.values()).timestamp() - min(arrivals.values())
        print(
            f"arrival to database: median {statistics.median(latencies):.2f} s, "
            f"p95 {percentile(latencies, 0.95):.2f} s, max {max(latencies):.2f} s"
        )
        print(f"throughput: {len(first_rows) / span:.1f} stories/s over {span:.1f} s "
              f"({args.workers} workers)")  # fmt: skip
    print(f"workers' exit statuses after SIGTERM: {codes}, all out in {exit_seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=500.0, help="files dropped a second")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds to wait at most")
    args = parser.parse_args()
    print(f"load average before starting: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    database = settings.DATABASES["default"]
    database.setdefault("TEST", {})["NAME"] = f"{database['NAME']}_ingest_bench"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with tempfile.TemporaryDirectory(prefix="ingest-bench-") as temporary:
            folder = Path(temporary) / "drop"
            folder.mkdir()
            log = Path(temporary) / "workers.log"
            try:
                run(args, folder, log)
            finally:
                said = log.read_text(errors="replace").strip() if log.exists() else ""
                if said:
                    print("the workers said (last lines):\n" + "\n".join(said.splitlines()[-10:]))
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
