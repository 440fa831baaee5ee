"""Drop N story files into a folder while two ``manage.py ingest`` workers run; time each one.

Usage (against the machine's PostgreSQL; the bench never touches the data of
the database DATABASE_URL names):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/np_b \\
        .venv/bin/python bench/ingest_bench.py [--count 10000] [--rate 600] [--workers 2] \\
        [--text long|copies|phrases] [--format text|jsonl] [--write-when-due]

What it does:

1. creates a throwaway database ``<name>_ingest_bench`` beside the configured
   one and migrates it (Django's test-database machinery), and registers a
   temporary folder as an ingest source polled every second, published on
   arrival;
2. starts ``--workers`` ``manage.py ingest`` processes on it (two by default),
   as a server runs them;
3. drops ``--count`` files, one story each, at ``--rate`` files a second:
   their arrival is the moment each is renamed into the folder, as a sender
   delivers. All are written before the clock starts, beside the folder on
   its file system, as a sender on another machine writes into a shared
   volume; with ``--write-when-due`` each is written as ``NAME.part`` in the
   folder when due and renamed, on the machine's CPUs (writing a file cost
   0.9 ms of CPU on the benchmark's machine, a rename 27 us). By
   ``--format``, each file is

   - ``text`` (the default): the story as a page scraped from a news site,
     in the seed story's shape (headline, the outlet's credit line, the date
     in one of three styles, the paragraphs, sometimes the site's chrome
     after them), with no id: the importer keys it by source, day, headline
     and outlet, so an outlet's second copy of a story updates its first;
   - ``jsonl``: one JSON Lines story with its guid (``bench:N``);

   and its story, by ``--text``:

   - ``long`` (the default): wire copy as outlets print it, drawn from
     bench/cluster_corpus.py as cluster_bench.py draws it: dispatches and
     the copies several outlets make of each (headline rewritten, credit
     changed, cut, a trailer added), half of them copies of another, some
     1,500 stories a day, lengthened to a dispatch's real length (some 400
     words, median 395; the seed story has 361); grouping finds and joins
     the copies as they arrive;
   - ``copies``: the same at the corpus's own length, some 150 words;
   - ``phrases``: every story a draw of import_bench's few dozen phrases,
     three to six sentences (some 60 words), all published at one moment:
     short, and alike enough that each story meets many candidates;

4. waits until every file has its row in the import log (or ``--timeout``
   passes), stops the workers with SIGTERM, and prints, from each file's
   first import-log row (written in the importer's transaction): the time
   from a file's arrival to its story in the database (median, p95, max);
   stories a second from the first arrival to the last story stored ("end
   to end", which counts the settling seconds of the last files) and from
   the first story stored to the last ("stored": the rate the workers
   stored them at, never above the rate the files came in); how many were
   stored in each second; the import log's outcomes; the workers' CPU time;
   how long they took to exit; what was lost or doubled (the stories
   stored against those the files hold); where the files ended (``.done``,
   ``.failed``, still claimed or still waiting in the folder); and, for
   ``copies`` and ``long``, how well the two workers grouped the copies
   between them (``copies_grouped``);
5. drops the throwaway database.

A file is taken only two seconds after its last change (articles/ingest/
folders.py), so no file can take less than that; the poll comes every second.

Runs of 2026-12-06, 10,000 files, two workers, files written before the
clock, on a 2-CPU machine shared with PostgreSQL and the sender; in every run
every story was stored once, none lost, every file in .done, and both workers
were out within 2.5 s of SIGTERM. The machine's speed drifts: the same code
cost the workers 1.3 to 2.0 ms of CPU a story of ``copies`` within an hour.

Before the session's work (1253290), ``copies`` at 600/s: p95 6.72 s, 480
stored/s (earlier that day 4.6-9.4 s, 440-598/s). With each worker's imports
on a slot of their own (one a process) and the collector settled (f8e90bf),
then sources read at once and the lexicon counted after the commit:

    text    rate/s  p95 (s)                                    stored/s
    copies  600     3.27, 3.30, 3.32, 3.32, 3.33, 3.45, 3.53,  539-608
                    3.98, 4.03, 4.24, 4.31, 4.31, 4.45
    copies  600     5.52, 6.00, 6.69, 6.96 (slow half-hours)   481-520
    copies  700     3.56                                       687
    long    600     10.2, 11.3, 13.5, 14.5, 16.5, 17.5, 18.0   307-409
                    (before the lexicon's move)
    long    600     13.0, 13.6, 19.3, 22.9 (after)             271-367

So two workers store ``copies`` (150 words a story) at the issue's target
when the machine runs at its usual speed, and wire copy of real length
(``long``, some 400 words) at some 300-400 a second: short of it. At that
length the import held grouping's lock for some 55% of its time and the CPUs
idled 10-25% while the workers fell behind.

Later that day the lexicon was counted by the workers every 5 s (9f42740),
then imports wrote their batches side by side, grouping's lock held only for
the settling before each commit (e0e8d97, articles/group_settling.py). Runs
at 600/s unless said; "profiled" runs had py-spy, perf or statement logging
attached, which slow them:

    text    code     p95 (s)                          stored/s
    long    before   14.93, 15.64                     336, 334
    long    9f42740  11.88; 13.33 (profiled)          385, 349
    long    e0e8d97  9.12, 10.21, 11.51, 12.64, 12.95,  415, 414, 383, 381, 365,
                     15.36; 13.58, 13.96 (profiled)   340; 361, 354
    long    61bae26  18.79                            297
    long    e0e8d97  3.61 at 400/s: kept up           384
    copies  e0e8d97  3.35, 3.39, 3.66, 3.98, 6.76     600, 585, 613, 556, 494
    copies  6ff2ee2  3.35                             578
    copies  3d49a92  3.26                             605
    long    3d49a92  11.06                            391

With the lock no longer held through the writes the CPUs idle 2-9% (vmstat):
at 400 words a story two workers are bound by the machine's two CPUs, which
PostgreSQL and both workers share, some 4.6 ms of CPU a story in all (perf:
about 55% Python, 37% PostgreSQL; of the workers' Python, the fingerprint
and the search vector about a quarter each). They keep up with 400 files a
second (p95 3.6 s), not with 600.

6 December 2026, later (a new machine of the same size): grouping's merges no
longer count their stories in the lexicon one statement at a time (they
took 0.22 ms of PostgreSQL's time a story, pg_stat_statements; 0.03 since,
migration 0033), the backlog's count reads lexemes with ts_stat (0.24 to
0.14 ms a story, migration 0034), and the fingerprint costs some 0.08 ms
less (16568dd). ``long`` at 600/s, the session's first code (f24d022) and
its last (aec21e9) in turns, back to back:

    code     p95 (s)                              stored/s
    f24d022  10.21, 9.20, 10.39, 11.03, 11.35     401, 419, 402, 395, 386
    aec21e9  8.10, 13.58, 14.11, 9.69, 6.94       462, 359, 356, 413, 463

and an hour later, when the machine ran faster, three more pairs:

    f24d022  9.02, 9.00, 9.13                     447, 441, 433
    aec21e9  7.14, 8.36, 6.37                     485, 443, 494

Files arriving at 500 a second (aec21e9): p95 3.56 s, kept up (467 stored
a second from the first story stored to the last, a window that holds the
last files' latency); then 5.01 s (441/s). At 550 a second: 5.37 s (486/s).

The machine's speed swung more than the change: the workers' CPU a story
ranged from 2.05 to 2.90 ms for the same code within the hour. Other runs of
aec21e9: ``long`` 12.56 s and 372/s, 8.66 s and 431/s; at 450 files a second
5.07 s and 411/s (almost keeping up); ``copies`` 3.97 s and 579/s, 3.59 s and
584/s. In the 431/s run (whole-system CPU read from /proc while the files
came in) the workers used 2.28 ms a story, PostgreSQL 1.80, the sender 0.08,
and the CPUs idled 17% of the time, mostly the first seconds, when no file
is yet two seconds old: 500 a second needs some 3.7 ms in all. What
PostgreSQL spends (pg_stat_statements, wall time under a full machine):
the article INSERT 0.9 ms a story, of which the GIN index is some 0.35 (the
same rows into a copy of the table, with and without it: 0.52 and 0.22 ms
a row); the candidates query 0.23; band keys 0.15; the lexicon's count
0.14; the import log 0.11; paragraphs and boilerplate 0.09 each.

The runs above dropped JSON Lines. 6 December 2026, later: the default
became plain text in the seed's shape at real length (``long``). Its first
run stored 230 stories a second at 4.25 ms of the workers' CPU a story:
copy without an id was keyed by source, day and headline, so 1,044 outlets'
copies of agency stories updated another outlet's story instead of making
their own, and an update cost 12.6 ms (8bd19b7 keys them by outlet too;
836ea22 halved an update's cost; 143447d halved the parser's). Runs of
69f27ac (the machine swung by a fifth within the hour):

    files            rate/s  p95 (s)              stored/s    workers + rest (ms)
    text long        600     9.69, 10.36, 11.75   420, 414, 387  2.35-2.52 + 2.00-2.23
    text long        500     8.73, 9.15           376, 374    2.54-2.62 + 2.15-2.25
    jsonl long       600     8.09                 447         2.15 + 1.93
    text copies      600     3.23 (kept up)       598         1.62 + 1.18

"rest" is the rest of the machine: PostgreSQL and the bench. With the
loader's grouping switched off (ImportOptions.group_copies, an edit not
committed), the same ``text long`` files: at 600/s p95 3.77 and 4.98 s,
569 and 533 stored/s; at 500/s p95 3.28 s, kept up; 1.49-1.64 + 1.42-1.58
ms. Grouping copies as they are imported costs about 0.9 ms of the
workers' CPU a story at this length and 0.6 of PostgreSQL's, a third of
the machine's: two workers on two CPUs shared with PostgreSQL meet the
target at real length without it, and not with it. Importing two chunks at
once in each worker (INGEST_IMPORT_CONCURRENCY=2) was worse: 341 and 313
stored/s, 2.96 + 2.63 ms a story.

Then imports stopped waiting for each other's slugs (77f4377: copies that
keep the agency's headline share a slug base; pg_stat_activity sampled
during a run found an import waiting on another's INSERT in 15 of 130
samples, 1 of 130 after), and a checkpoint comes before each run (1ca4b04).
``text long`` at 600/s, before and after, in turns: p95 10.26 and 12.40 s,
409 and 379 stored/s, idle 18% and 20%; after: 10.72 and 8.69 s, 403 and
437 stored/s, idle 14% and 15% (2.38-2.57 + 1.98-2.18 ms a story).

How the two workers grouped the copies (``copies_grouped``, since
61bae26; the hand-written groups counted as copies across draws, as their
text is): ``long`` precision 1.0, recall 1.0; ``copies`` precision 0.9255,
recall 0.9956, then 0.9978 and 0.9957 once a copy's opening had to be three
quarters inside the other story (6ff2ee2; p95 3.35 s, 578 stored/s).
Counted with every group bound to its draw, two workers gave 0.8125 and one
worker (at 300 files a second, so one import at a time) 0.8124, and the code
before e0e8d97, importing the same files in one process, made the very same
groups: the false pairs were same-topic stories of different draws that
share half their text (the corpus's stock sentences with the same figures),
not stories two imports wrote side by side.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from bench_django import ROOT, setup_django

setup_django()

from cluster_bench import wire_stories  # noqa: E402
from cluster_corpus import corpus  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import DatabaseError, connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402
from import_bench import CHROME, sentence  # noqa: E402

from articles.dates import GREGORIAN_MONTHS  # noqa: E402
from articles.importers.reading import derived_guid  # noqa: E402
from articles.importers.text import parse as parse_text  # noqa: E402
from articles.ingest.sources import IngestSource  # noqa: E402
from articles.models import Article, ImportRecord  # noqa: E402
from newsportal.database_urls import database_url  # noqa: E402


def phrases_story(number: int, rng: random.Random) -> dict:
    return {
        "headline": f"{sentence(rng)[:80]} (البرقية {number})",
        "source": "وكالة الاختبار",
        "published_at": "2026-11-20T10:00:00+03:00",
        "paragraphs": [sentence(rng) for _ in range(rng.randint(3, 6))],
    }


def checkpoint() -> None:
    """Write PostgreSQL's dirty pages out now, so that no checkpoint falls in the run.

    A checkpoint in the middle of a run (every few hundred MB of WAL, some
    40 KB a story) made the next writes of each page log the whole page:
    PostgreSQL's CPU a story went from 2.0 to 2.7 ms between runs of the
    same code. Needs a superuser or the pg_checkpoint role; without either
    the run goes on, and says so.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError as error:
        print(f"no checkpoint before the run ({error}); one may fall in it")


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


def story_files(count: int, text: str, form: str) -> list[tuple[str, bytes]]:
    """The files' names and contents, made before the clock starts (a sender's work)."""
    if text == "copies":
        stories = [story for _, story in wire_stories(count)]
    elif text == "long":
        stories = long_stories(count)
    else:
        rng = random.Random(18)
        stories = [phrases_story(number, rng) for number in range(count)]
    if form == "jsonl":
        return [
            (f"bench-{number:05d}.jsonl", json.dumps({**story, "guid": f"bench:{number}"},
                                                     ensure_ascii=False).encode())
            for number, story in enumerate(stories)
        ]  # fmt: skip
    rng = random.Random(361)
    return [
        (f"bench-{number:05d}.txt", plain_text(story, rng).encode())
        for number, story in enumerate(stories)
    ]


# How sites print a story's date above its text (the seed: 2024-11-26).
DATE_STYLES = ("{d:%Y-%m-%d}", "{d.day}/{d.month}/{d.year}", "{d.day} {month} {d.year}")


def plain_text(story: dict, rng: random.Random) -> str:
    """``story`` as a page scraped from a news site, in the seed story's shape.

    Headline, the outlet's credit line, the date (in one of the styles sites
    print), blank lines with spaces in them, the paragraphs, and sometimes
    the site's chrome after the text (bench/import_bench.py's). The file
    carries no id: the importer keys it by source, day and headline.
    """
    published = datetime.datetime.fromisoformat(story["published_at"])
    month = GREGORIAN_MONTHS[published.month - 1]
    date = rng.choice(DATE_STYLES).format(d=published, month=month)
    body = "\n\n".join(story["paragraphs"])
    chrome = "\n".join(rng.choice(CHROME))
    return f"{story['headline']}  \n\n{story['source']}\n{date}\n\n \n\n{body}\n\n{chrome}\n"


# Draws of the corpus the lengthening paragraphs come from: far from any the
# bench imports, so no story holds another imported story's text.
FAR_DRAWS = 100_000
# Dispatches from far draws appended to each group's stories (long_copy_files).
EXTRA_DISPATCHES = 2
# Of a far dispatch, the paragraphs of at least this many words: news, not credits.
EXTRA_MIN_WORDS = 12


def copy_group(seed: int, story: dict) -> tuple[int | None, str]:
    """The group of copies a story of ``wire_stories`` belongs to: its draw and its dispatch.

    The corpus's hand-written groups ("h0", "h1") are the same text in every
    draw: copies of one another whatever their draw.
    """
    group = story["guid"].split(":", 2)[2].rsplit("/", 1)[0]
    return (None if group.startswith("h") else seed), group


def long_stories(count: int) -> list[dict]:
    """Stories of ``wire_stories`` at a dispatch's real length (the seed story has 361 words).

    Each group of copies gets the body paragraphs of ``EXTRA_DISPATCHES``
    dispatches of a draw the bench never imports, appended to every copy
    alike: the copies stay copies of one another and of nothing else. Some
    400 words a story (median 395), where ``copies`` has some 150.
    """
    extra: dict[tuple[int | None, str], list[str]] = {}
    dispatches = far_dispatches()
    stories = []
    for seed, story in wire_stories(count):
        group = copy_group(seed, story)
        if group not in extra:
            taken = itertools.islice(dispatches, EXTRA_DISPATCHES)
            extra[group] = [p for paragraphs in taken for p in paragraphs]
        stories.append({**story, "paragraphs": story["paragraphs"] + extra[group]})
    return stories


def far_dispatches() -> Iterator[list[str]]:
    """Body paragraphs of the dispatches of far draws of the corpus, one after another."""
    for draw in itertools.count(FAR_DRAWS):
        stories, _ = corpus(draw)
        for story in stories:
            if story.key.endswith("/0"):  # The dispatch, not an outlet's copy of it.
                yield [p for p in story.paragraphs[1:] if len(p.split()) >= EXTRA_MIN_WORDS]


def drop_files(
    folder: Path, files: list[tuple[str, bytes]], rate: float, staging: Path | None = None
) -> dict[str, float]:
    """Drop the files at ``rate`` a second; return each file name's arrival (epoch seconds).

    Each is written as ``NAME.part`` in the folder and renamed; or, with
    ``staging`` (``stage_files``), moved into the folder from there.
    """
    arrivals = {}
    started = time.monotonic()
    for number, (name, content) in enumerate(files):
        due = started + number / rate
        if (wait := due - time.monotonic()) > 0:
            time.sleep(wait)
        if staging is not None:
            os.rename(staging / name, folder / name)
        else:
            part = folder / (name + ".part")
            part.write_bytes(content)
            os.replace(part, folder / name)
        arrivals[name] = time.time()
    return arrivals


def stage_files(folder: Path, files: list[tuple[str, bytes]]) -> Path:
    """Write the files, before the workers start, beside ``folder`` (on its file system).

    ``drop_files`` then moves each into the folder when it is due, as a
    sender on another machine delivers into a shared volume: the writing,
    0.9 ms of CPU a file on the benchmark's machine, is then not done on the
    workers' CPUs.
    """
    staging = folder.parent / "staging"
    staging.mkdir()
    for name, content in files:
        (staging / name).write_bytes(content)
    return staging


def cpu_seconds(pid: int) -> float:
    """The user and system CPU seconds the process ``pid`` has used (Linux's /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# A file's story is in the database: new, changed, or already as the file has it.
STORED = ("created", "updated", "unchanged")


def machine_cpu() -> tuple[float, float]:
    """The seconds all CPUs have been busy and idle since boot (Linux's /proc/stat)."""
    user, nice, system, idle, iowait, irq, softirq, steal = map(
        int, Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    tick = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq + steal) / tick, (idle + iowait) / tick


def records_count() -> int:
    """Import-log rows: one for each file's story, whatever became of it."""
    return ImportRecord.objects.count()


def first_records(file_names) -> dict[str, tuple[datetime.datetime, str, int | None]]:
    """Each dropped file's first import-log row: when it was written, its action, its story."""
    rows = ImportRecord.objects.order_by("created_at", "id")
    found: dict[str, tuple[datetime.datetime, str, int | None]] = {}
    for path, *row in rows.values_list("file_name", "created_at", "action", "article_id"):
        found.setdefault(os.path.basename(path), tuple(row))
    return {name: found[name] for name in file_names if name in found}


def distinct_stories(files: list[tuple[str, bytes]], form: str) -> int:
    """How many stories the files hold: plain text is keyed by source, day and headline.

    Outlets' copies of one agency story that keep its headline are one story
    to the importer (articles/importers/reading.py, ``derived_guid``): the
    later file updates the earlier one's story.
    """
    if form == "jsonl":
        return len(files)
    zone = timezone.get_current_timezone()
    return len({derived_guid(story) for _, data in files for story in parse_text(data, tz=zone)})


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def per_second(moments: list[float]) -> list[int]:
    """How many of ``moments`` (sorted, epoch seconds) fall in each second from the first."""
    counts = [0] * (int(moments[-1] - moments[0]) + 1)
    for moment in moments:
        counts[int(moment - moments[0])] += 1
    return counts


def copies_grouped(names: list[str], stored: dict[str, tuple]) -> str:
    """How the workers grouped the stories, against the corpus's groups of copies.

    Pairwise, as bench/cluster_quality.py counts: precision is the share of
    the pairs put in one group that are copies of one dispatch, recall the
    share of such pairs put in one group. The stories come in at once to
    two workers, so copies of one dispatch are often written side by side,
    each import unable to see the other's until the settling before its
    commit (articles/group_settling.py).
    """
    draws = wire_stories(len(names))
    truth = {
        name: copy_group(seed, story) for name, (seed, story) in zip(names, draws, strict=True)
    }
    groups = dict(Article.objects.values_list("id", "story_group_id"))
    made = {
        name: groups[article_id]
        for name, (_, action, article_id) in stored.items()
        if action == "created"
    }

    def pairs(sizes) -> int:
        return sum(size * (size - 1) // 2 for size in sizes)

    together = pairs(Counter((made[guid], truth[guid]) for guid in made).values())
    put_together = pairs(Counter(made.values()).values())
    copies = pairs(Counter(truth[guid] for guid in made).values())
    precision = together / put_together if put_together else 1.0
    recall = together / copies if copies else 1.0
    return (
        f"copies grouped: pairwise precision {precision:.4f}, recall {recall:.4f} "
        f"({copies} pairs of copies, {put_together} put together)"
    )


def files_in(folder: Path) -> str:
    """Where the dropped files are: imported, failed, claimed by a chunk, or not yet taken."""
    done = sum(1 for _ in (folder / ".done").rglob("bench-*[0-9].*"))
    failed = sum(1 for _ in (folder / ".failed").rglob("bench-*[0-9].*"))
    claimed = sum(1 for _ in (folder / ".claimed").rglob("bench-*[0-9].*"))
    waiting = sum(1 for _ in folder.glob("bench-*[0-9].*"))
    return f"files: {done} in .done, {failed} in .failed, {claimed} claimed, {waiting} waiting"


def run(args: argparse.Namespace, folder: Path, log: Path) -> None:
    IngestSource.objects.create(
        name="bench", location=str(folder), poll_interval_seconds=1, is_published_on_arrival=True
    )
    files = story_files(args.count, args.text, args.format)
    staging = None if args.write_when_due else stage_files(folder, files)
    checkpoint()
    workers = start_workers(args.workers, log)
    arrivals: dict[str, float] = {}
    cpu = {}
    try:
        time.sleep(3)  # The workers connect and register.
        cpu = {worker.pid: cpu_seconds(worker.pid) for worker in workers}
        machine = machine_cpu()
        print(f"dropping {args.count} files at {args.rate:.0f}/s into {folder}", flush=True)
        arrivals = drop_files(folder, files, args.rate, staging)
        dropped = time.time()
        print(f"dropped in {dropped - min(arrivals.values()):.1f} s; waiting for the stories")
        deadline = time.monotonic() + args.timeout
        while records_count() < args.count and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        if cpu:
            used = sum(cpu_seconds(pid) - before for pid, before in cpu.items())
            busy, idle = (now - then for now, then in zip(machine_cpu(), machine, strict=True))
            print(f"workers' CPU while dropping and importing: {used:.1f} s "
                  f"({1000 * used / args.count:.2f} ms a story); the rest of the machine "
                  f"(PostgreSQL, this bench): {busy - used:.1f} s "
                  f"({1000 * (busy - used) / args.count:.2f} ms a story); "
                  f"the CPUs idled {100 * idle / (busy + idle):.0f}% of the time")  # fmt: skip
        stopping = time.monotonic()
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        codes = [worker.wait(timeout=60) for worker in workers]
        exit_seconds = time.monotonic() - stopping
    stored = first_records(arrivals)
    report(args, arrivals, stored, distinct_stories(files, args.format), codes, exit_seconds)
    print(files_in(folder))
    if args.text != "phrases":
        print(copies_grouped([name for name, _ in files], stored))


def report(
    args,
    arrivals: dict[str, float],
    stored: dict[str, tuple],
    stories: int,
    codes: list[int],
    exit_seconds: float,
) -> None:
    first_rows = {name: moment for name, (moment, action, _) in stored.items()
                  if action in STORED}  # fmt: skip
    latencies = [first_rows[name].timestamp() - arrived for name, arrived in arrivals.items()
                 if name in first_rows]  # fmt: skip
    lost = sorted(set(arrivals) - set(first_rows))
    doubled_articles = Article.objects.count() - stories
    doubled_created = (
        ImportRecord.objects.filter(action="created")
        .values("guid")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    outcomes = Counter(ImportRecord.objects.values_list("action", flat=True))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"files stored: {len(first_rows)} of {args.count}; lost: {len(lost)}; "
          f"stories: {Article.objects.count()} of the {stories} the files hold; "
          f"doubled: {doubled_articles} stories, {doubled_created} created twice")  # fmt: skip
    print("import log: " + ", ".join(f"{n} {action}" for action, n in outcomes.most_common()))
    if lost:
        print(f"files not stored: {', '.join(lost[:10])}")
    if latencies:
        moments = sorted(moment.timestamp() for moment in first_rows.values())
        print(
            f"arrival to database: median {statistics.median(latencies):.2f} s, "
            f"p95 {percentile(latencies, 0.95):.2f} s, max {max(latencies):.2f} s"
        )
        span = moments[-1] - min(arrivals.values())
        print(f"end to end: {len(moments) / span:.1f} stories/s from the first arrival "
              f"to the last story stored ({span:.1f} s; the arrivals took "
              f"{max(arrivals.values()) - min(arrivals.values()):.1f} s)")  # fmt: skip
        storing = moments[-1] - moments[0]
        print(f"stored: {(len(moments) - 1) / storing:.1f} stories/s from the first story "
              f"stored to the last ({storing:.1f} s, {args.workers} workers)")  # fmt: skip
        print("stored each second: " + " ".join(str(n) for n in per_second(moments)))
    print(f"workers' exit statuses after SIGTERM: {codes}, all out in {exit_seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=600.0, help="files dropped a second")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--text",
        choices=["copies", "long", "phrases"],
        default="long",
        help="copies: wire copy and outlets' copies of it (bench/cluster_corpus.py); "
        "long: the same at a dispatch's real length (some 400 words, not 150); "
        "phrases: every story a draw of import_bench's few dozen phrases, all at one time",
    )
    parser.add_argument(
        "--format",
        choices=["text", "jsonl"],
        default="text",
        help="text: plain text scraped from news sites, in the seed story's shape (no id: the "
        "importer keys it by source, day and headline); jsonl: one JSON Lines story a file",
    )
    parser.add_argument(
        "--write-when-due",
        action="store_true",
        help="write each file in the folder when it is due, on the workers' CPUs, instead of "
        "writing them all beforehand and moving each in when due (a sender elsewhere)",
    )
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
