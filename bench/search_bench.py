"""Time the search page under gunicorn right after a bulk import, as readers search.

Usage (the bench DROPS and recreates the database DATABASE_URL names):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/np_search_bench \\
        .venv/bin/python bench/search_bench.py [--stories 100000] [--queries 100] \\
        [--workers 4] [--port 8105]

What it does, with no manual step between:

1. drops and recreates the database, migrates it, and switches autovacuum
   off for the stories and paragraphs tables, so that no ANALYZE ever runs
   behind the bench's back: the search answers with what the import itself
   leaves (articles.importers.statistics), as on a fresh embedded database;
2. writes ``--stories`` generated Arabic stories as JSON Lines files: a
   vocabulary of 4,000 words built from triliteral roots and common
   patterns, each written with or without the article, a conjunction or
   preposition and a suffix, drawn with Zipf-like frequencies and mixed with
   stop words as in real copy (about 250 words a story), over the last three
   years, from five agencies;
3. imports them with the project's own command, ``manage.py import_articles
   --publish``, and prints its rate;
4. starts gunicorn (``--workers`` sync workers, the production settings over
   plain HTTP) and times whole HTTP responses of ``/search/`` for: 1, 2 and
   3 words drawn from the commonest and middle-frequency words; prefixes of
   3 and of 4 letters of common words (a third of them beginning with ال);
   a quoted phrase of two adjacent words from a story; each kind with and
   without a source filter; once with one client, once with 8 concurrent
   clients. Every query is asked once (no warm-up of its page); every
   response must be 200.

Targets (issue 15): 95th percentile at most 50 ms with one client and 150 ms
with 8, at 100,000 stories; 150 ms with one client at 1,000,000. The
suggestions of ``/search/suggest/`` are timed too (each of half the common
words typed letter by letter, 2 to 5 letters): 95th percentile at most 30 ms.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import http.client
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from pages_bench import ROOT, configure_environment, start_gunicorn, wait_until_up

sys.path.insert(0, str(ROOT))
from articles.arabic import STOP_WORDS

STORIES_PER_FILE = 2_000  # about 7 MB: under IMPORT_MAX_FILE_BYTES
FRESH_AFTER_IMPORT = "autovacuum_enabled = false, toast.autovacuum_enabled = false"

CONSONANTS = "بتثجحخدذرزسشصضطظعغفقكلمنهويء"
# Patterns over a triliteral root (ف ع ل stand for its three letters).
PATTERNS = [
    "فعل",
    "فاعل",
    "مفعول",
    "فعيل",
    "تفعيل",
    "مفعل",
    "مفعله",
    "استفعال",
    "افتعال",
    "فعال",
    "فعاله",
    "تفاعل",
    "انفعال",
    "مفاعله",
    "فعول",
]
PREFIXES = ["", "", "", "", "ال", "ال", "ال", "وال", "بال", "لل", "و", "ب", "ل", "ف"]
SUFFIXES = ["", "", "", "", "", "ة", "ات", "ون", "ين", "ها", "ية", "ان", "ي", "ا"]
SOURCES = ["وكالة الأنباء الأولى", "وكالة الخليج", "وكالة المغرب", "وكالة الشام", "وكالة النيل"]


def make_vocabulary(rng: random.Random, size: int) -> list[str]:
    """Return ``size`` distinct generated Arabic words (lemmas)."""
    words: dict[str, None] = {}
    while len(words) < size:
        root = rng.sample(CONSONANTS, 3)
        pattern = rng.choice(PATTERNS)
        word = pattern.replace("ف", "\0").replace("ع", "\1").replace("ل", "\2")
        for index, letter in enumerate(root):
            word = word.replace(chr(index), letter)
        if len(word) >= 3:
            words[word] = None
    return list(words)


class TextMaker:
    """Generate Arabic-looking copy with Zipf-distributed words."""

    def __init__(self, rng: random.Random, vocabulary: list[str]):
        self.rng = rng
        self.vocabulary = vocabulary
        self.cum_weights = list(
            itertools.accumulate(1 / (r + 1) ** 1.05 for r in range(len(vocabulary)))
        )
        self.stop_words = sorted(STOP_WORDS)
        self.stop_weights = list(
            itertools.accumulate(1 / (r + 1) for r in range(len(self.stop_words)))
        )

    def words(self, count: int) -> str:
        rng = self.rng
        lemmas = rng.choices(self.vocabulary, cum_weights=self.cum_weights, k=count)
        stops = rng.choices(self.stop_words, cum_weights=self.stop_weights, k=count)
        out = []
        for lemma, stop in zip(lemmas, stops, strict=True):
            if rng.random() < 0.3:
                out.append(stop)
            out.append(rng.choice(PREFIXES) + lemma + rng.choice(SUFFIXES))
        return " ".join(out)

    def sentence(self, count: int) -> str:
        return self.words(count) + "."


def write_stories(folder: Path, count: int, rng: random.Random) -> None:
    """Write ``count`` generated stories as JSON Lines files into ``folder``."""
    maker = TextMaker(rng, make_vocabulary(rng, 4000))
    now = datetime.datetime.now(datetime.UTC)
    for first in range(0, count, STORIES_PER_FILE):
        with open(folder / f"stories-{first:08d}.jsonl", "w", encoding="utf-8") as out:
            for number in range(first, min(count, first + STORIES_PER_FILE)):
                published = now - datetime.timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
                story = {
                    "guid": f"bench-search:{number}",
                    "headline": maker.words(rng.randint(6, 12)),
                    "source": rng.choice(SOURCES),
                    "published_at": published.isoformat(),
                    "caption": maker.sentence(rng.randint(8, 18)) if rng.random() < 0.5 else None,
                    "paragraphs": [
                        " ".join(maker.sentence(rng.randint(10, 22)) for _ in range(2))
                        for _ in range(rng.randint(3, 8))
                    ],
                }
                out.write(json.dumps(story, ensure_ascii=False) + "\n")


def psql(env: dict[str, str], database: str, statement: str) -> None:
    url = urllib.parse.urlsplit(env["DATABASE_URL"])
    target = url._replace(path="/" + database).geturl()
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", target, "-c", statement], check=True)


def fresh_database(env: dict[str, str]) -> None:
    """Drop and recreate the bench's database, migrate it, and keep ANALYZE away."""
    name = urllib.parse.urlsplit(env["DATABASE_URL"]).path.lstrip("/")
    psql(env, "postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(env, "postgres", f'CREATE DATABASE "{name}"')
    manage(env, "migrate", "--verbosity", "0")
    for table in ("articles_article", "articles_paragraph"):
        psql(env, name, f"ALTER TABLE {table} SET ({FRESH_AFTER_IMPORT})")


def manage(env: dict[str, str], *arguments: str) -> str:
    python = ROOT / ".venv" / "bin" / "python"
    done = subprocess.run(
        [str(python), "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"manage.py {' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr


def sql_rows(env: dict[str, str], query: str) -> list[list[str]]:
    done = subprocess.run(
        ["psql", "-At", "-F", "\t", env["DATABASE_URL"], "-c", query],
        check=True,
        capture_output=True,
        text=True,
    )
    return [line.split("\t") for line in done.stdout.splitlines() if line]


def draw_queries(env: dict[str, str], rng: random.Random, n: int) -> dict[str, list[str]]:
    """Queries of each kind the issue names, ``n`` of each, drawn from what was imported."""
    # Exact words by how many stories hold them (not stems, dates or stop words).
    words = [
        row[0]
        for row in sql_rows(
            env,
            "SELECT lexeme FROM articles_searchlexeme WHERE lexeme ~ '^[^~#]{3,}$' "
            "AND stories > 0 ORDER BY stories DESC LIMIT 4000",
        )
    ]
    common, middle = words[:300], words[1000:4000]
    pool = common + middle

    def pick(k: int) -> str:
        return " ".join(rng.choice(pool) for _ in range(k))

    with_article = [w for w in common if w.startswith("ال") and len(w) >= 5]
    without = [w for w in common if not w.startswith("ال") and len(w) >= 5]

    def prefixes(length: int) -> list[str]:
        chosen = []
        for i in range(n):
            source = with_article if i % 3 == 0 else without
            chosen.append(rng.choice(source)[:length])
        return chosen

    paragraphs = [
        row[0]
        for row in sql_rows(
            env,
            f"SELECT text FROM articles_paragraph ORDER BY random() LIMIT {n * 2}",  # noqa: S608
        )
    ]
    phrases = []
    for text in paragraphs:
        tokens = [t.strip(".") for t in text.split()]
        tokens = [t for t in tokens if len(t) >= 3]
        if len(tokens) >= 2 and len(phrases) < n:
            start = rng.randrange(len(tokens) - 1)
            phrases.append(f'"{tokens[start]} {tokens[start + 1]}"')
    return {
        "1 word": [pick(1) for _ in range(n)],
        "2 words": [pick(2) for _ in range(n)],
        "3 words": [pick(3) for _ in range(n)],
        "prefix, 3 letters": prefixes(3),
        "prefix, 4 letters": prefixes(4),
        "phrase": phrases,
    }


def fetch(port: int, path: str) -> float:
    """GET ``path`` and read the whole response; return the milliseconds it took."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    if response.status != 200:
        sys.exit(f"{path} answered {response.status}, not 200")
    return (time.perf_counter() - started) * 1000


def time_kind(port: int, paths: list[str], clients: int) -> list[float]:
    if clients == 1:
        return [fetch(port, path) for path in paths]
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        return list(pool.map(lambda path: fetch(port, path), paths))


def percentile(ordered: list[float], share: float) -> float:
    return ordered[max(0, min(len(ordered) - 1, round(len(ordered) * share) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100, help="per kind")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8105)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument(
        "--no-grouping",
        action="store_true",
        help="import with import_articles --no-grouping (the generated stories are never "
        "copies of each other, so the search is the same; the import takes half the time)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="search the stories a previous run imported (migrated first): no drop, no import",
    )
    options = parser.parse_args()
    rng = random.Random(options.seed)
    env = configure_environment()

    if options.reuse:
        # For trying a change to the query side on stories already loaded.
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        print("reusing the stories of a previous run")
    else:
        fresh_database(env)
        with tempfile.TemporaryDirectory(prefix="search-bench-") as folder:
            started = time.perf_counter()
            write_stories(Path(folder), options.stories, rng)
            print(f"wrote {options.stories:,} stories in {time.perf_counter() - started:.0f} s")
            started = time.perf_counter()
            grouping = ["--no-grouping"] if options.no_grouping else []
            summary = manage(env, "import_articles", "--publish", *grouping, folder)
            summary = summary.strip().splitlines()[-1]
            seconds = time.perf_counter() - started
        rate = options.stories / seconds
        command = " ".join(["import_articles --publish", *grouping])
        print(f"{command}: {seconds:.0f} s, {rate:,.0f} stories/s")
        print(f"  {summary}")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")

    sources = [row[0] for row in sql_rows(env, "SELECT slug FROM articles_source")]
    kinds = draw_queries(env, rng, options.queries)
    server = start_gunicorn(options.port, options.workers, env)
    try:
        wait_until_up(f"http://127.0.0.1:{options.port}/healthz", server)
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(
            f"gunicorn: {options.workers} sync workers; load average {load} "
            f"on {os.cpu_count()} cores; autovacuum off: statistics only from the "
            "import's own ANALYZE"
        )
        # Search as you type: each common word typed letter by letter (2 to 5
        # letters), as the header's box asks while a reader types.
        typed = [
            word[:length]
            for word in rng.sample(kinds["1 word"], min(len(kinds["1 word"]), options.queries // 2))
            for length in range(2, min(len(word), 5) + 1)
        ]
        suggest_paths = ["/search/suggest/?" + urllib.parse.urlencode({"q": q}) for q in typed]
        timings = sorted(time_kind(options.port, suggest_paths, 1))
        print(
            f"\n/search/suggest/, 1 client, {len(timings)} requests: median "
            f"{statistics.median(timings):.1f}, p95 {percentile(timings, 0.95):.1f}, "
            f"p99 {percentile(timings, 0.99):.1f} ms (target: p95 30 ms)"
        )
        for clients in (1, 8):
            print(
                f"\n{clients} client{'s' if clients > 1 else ''}: "
                f"{'kind':<28}{'n':>5}{'median':>9}{'p95':>9}{'p99':>9}  (ms)"
            )
            for (kind, queries), filtered in itertools.product(kinds.items(), (False, True)):
                paths = []
                for query in queries:
                    parameters = {"q": query}
                    if filtered:
                        parameters["source"] = rng.choice(sources)
                    paths.append("/search/?" + urllib.parse.urlencode(parameters))
                timings = sorted(time_kind(options.port, paths, clients))
                label = kind + (", one source" if filtered else "")
                print(
                    f"{'':11}{label:<28}{len(timings):>5}{statistics.median(timings):>9.1f}"
                    f"{percentile(timings, 0.95):>9.1f}{percentile(timings, 0.99):>9.1f}"
                )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
