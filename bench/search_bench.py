"""Time the search page over 100,000 generated Arabic stories.

Usage (a database of its own: the bench adds 100,000 stories to it):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/np_search_bench \\
        .venv/bin/python bench/search_bench.py [--queries 200] [--warm] [--slowest 5]

The stories are generated Arabic, published over the last three years and
written oldest first (a story's place on disk follows its time, as when a feed
fills the table): a vocabulary of 4,000 words built from
triliteral roots and common patterns, each written with or without the
article, a conjunction or preposition and a suffix, drawn with Zipf-like
frequencies and mixed with stop words as in real copy (about 250 words a
story). They are written with COPY and their vectors computed with
``refresh_search_vectors`` in batches of 1,000 (its cost per story is
printed: every write path calls it), then the table is analysed. Stories
already there from an earlier run are kept, so a second run only times the
queries; ``--reload`` starts again, ``--reindex`` recomputes the vectors.

Then the search page is timed through Django's test client (middleware, view,
template and rendering) for many different 1-, 2- and 3-word queries and
prefix queries, whose words are taken from the stories themselves (so drawn by
the same Zipf law as the text), and for the commonest words on their own; the
median and 95th percentile of each kind are printed. ``--warm`` runs every
query once first, as a live site keeps its pages in memory. Target: 95th
percentile at most 50 ms.
"""

from __future__ import annotations

import argparse
import datetime
import io
import itertools
import random
import statistics
import time

from bench_django import setup_django

setup_django()

from django.conf import settings  # noqa: E402

# Plain static file names, as in the tests: the bench runs without collectstatic.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.arabic import STOP_WORDS  # noqa: E402
from articles.models import Article, Paragraph, Source  # noqa: E402
from articles.search.index import refresh_search_vectors  # noqa: E402

GUID_PREFIX = "bench:"
BATCH = 1000

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


def load(count: int, rng: random.Random) -> None:
    """Write ``count`` generated stories with COPY and compute their vectors."""
    vocabulary = make_vocabulary(rng, 4000)
    maker = TextMaker(rng, vocabulary)
    sources = [Source.objects.get_or_create(name=name)[0].pk for name in SOURCES]
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM articles_article")
        first_id = cursor.fetchone()[0] + 1
    # Written oldest first, as a wire feed fills the table: a story's place on
    # disk follows its publication time, and so do the matches of a span.
    times = sorted(
        (now - datetime.timedelta(minutes=rng.randrange(3 * 365 * 24 * 60)) for _ in range(count)),
    )
    started = time.perf_counter()
    vector_seconds = 0.0
    for batch_start in range(0, count, BATCH):
        ids = range(first_id + batch_start, first_id + min(count, batch_start + BATCH))
        articles, paragraphs = io.StringIO(), io.StringIO()
        for article_id in ids:
            published = times[article_id - first_id]
            status = "draft" if rng.random() < 0.03 else "published"
            caption = maker.sentence(rng.randint(8, 18)) if rng.random() < 0.5 else ""
            row = [
                article_id,
                f"{GUID_PREFIX}{article_id}",
                maker.words(rng.randint(6, 12)),
                f"bench-{article_id}",
                "",
                "",
                published.isoformat(),
                status,
                "",
                caption,
                1,
                now.isoformat(),
                now.isoformat(),
                rng.choice(sources),
                "",
                "",
            ]
            articles.write("\t".join(map(str, row)) + "\n")
            for position in range(1, rng.randint(3, 8) + 1):
                text = " ".join(maker.sentence(rng.randint(10, 22)) for _ in range(2))
                paragraphs.write(f"{article_id}\t{position}\t{text}\n")
        with connection.cursor() as cursor:
            with cursor.cursor.copy(
                "COPY articles_article (id, guid, headline, slug, publisher, dateline, "
                "published_at, status, image, image_caption, version, created_at, updated_at, "
                "source_id, content_hash, image_alt) FROM STDIN"
            ) as copy:
                copy.write(articles.getvalue())
            with cursor.cursor.copy(
                "COPY articles_paragraph (article_id, position, text) FROM STDIN"
            ) as copy:
                copy.write(paragraphs.getvalue())
        tick = time.perf_counter()
        refresh_search_vectors(ids)
        vector_seconds += time.perf_counter() - tick
        done = batch_start + len(ids)
        if done % 10_000 == 0 or done == count:
            rate = done / (time.perf_counter() - started)
            print(f"  {done:,} stories loaded ({rate:,.0f}/s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('articles_article', 'id'), max(id)) "
            "FROM articles_article"
        )
    print(
        f"refresh_search_vectors: {vector_seconds:.1f} s for {count:,} stories, "
        f"{vector_seconds / count * 1000:.3f} ms per story (batches of {BATCH})"
    )


def reindex(ids: list[int]) -> None:
    """Recompute the vectors of ``ids`` in batches, as the importer would."""
    print(f"Recomputing {len(ids):,} search vectors")
    started = time.perf_counter()
    for start in range(0, len(ids), BATCH):
        refresh_search_vectors(ids[start : start + BATCH])
    seconds = time.perf_counter() - started
    print(
        f"refresh_search_vectors: {seconds:.1f} s for {len(ids):,} stories, "
        f"{seconds / len(ids) * 1000:.3f} ms per story (batches of {BATCH})"
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE articles_article")


def common_words(limit: int) -> list[str]:
    """The ``limit`` commonest exact words in the bench stories' vectors (not stems or dates)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM ts_stat('SELECT search_vector FROM articles_article "
            "WHERE id %% 50 = 0') WHERE word NOT LIKE '~%%' AND word NOT LIKE '#%%' "
            "ORDER BY ndoc DESC LIMIT %s",
            [limit],
        )
        return [row[0] for row in cursor.fetchall()]


def sample_words(rng: random.Random, count: int) -> list[str]:
    """Words drawn from the stories themselves, so as often as they occur."""
    ids = Article.objects.filter(guid__startswith=GUID_PREFIX).values_list("pk", flat=True)
    bounds = ids.order_by("pk").first(), ids.order_by("-pk").first()
    words = []
    while len(words) < count:
        article_id = rng.randint(*bounds)
        texts = Paragraph.objects.filter(article_id=article_id).values_list("text", flat=True)
        candidates = [w.strip(".") for t in texts for w in t.split()]
        candidates = [w for w in candidates if w not in STOP_WORDS and len(w) >= 3]
        if candidates:
            words.append(rng.choice(candidates))
    return words


def time_queries(client: Client, queries: list[str]) -> list[float]:
    """Time the search page for each query, in milliseconds."""
    timings = []
    for query in queries:
        started = time.perf_counter()
        response = client.get("/search/", {"q": query})
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"/search/?q={query} answered {response.status_code}")
    return timings


def report(kind: str, queries: list[str], timings: list[float], slowest: int) -> None:
    ordered = sorted(timings)
    p95 = ordered[max(0, round(len(ordered) * 0.95) - 1)]
    print(
        f"{kind:<22} n={len(ordered):>4}  median {statistics.median(ordered):6.1f} ms  "
        f"p95 {p95:6.1f} ms  max {ordered[-1]:6.1f} ms"
    )
    for ms, query in sorted(zip(timings, queries, strict=True), reverse=True)[:slowest]:
        print(f"    {ms:6.1f} ms  {query}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200, help="per kind")
    parser.add_argument("--reload", action="store_true", help="drop the bench stories first")
    parser.add_argument(
        "--reindex", action="store_true", help="recompute the stored vectors, timing it"
    )
    parser.add_argument(
        "--warm", action="store_true", help="run every query once before timing them"
    )
    parser.add_argument("--slowest", type=int, default=0, help="print the N slowest of each kind")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    call_command("migrate", verbosity=0)
    bench = Article.objects.filter(guid__startswith=GUID_PREFIX)
    if args.reload:
        Paragraph.objects.filter(article__guid__startswith=GUID_PREFIX).delete()
        bench.delete()
    have = bench.count()
    if have < args.stories:
        print(f"Loading {args.stories - have:,} stories into {connection.settings_dict['NAME']}")
        load(args.stories - have, rng)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE articles_article")
            cursor.execute("VACUUM ANALYZE articles_paragraph")
    elif args.reindex:
        reindex(list(bench.order_by("pk").values_list("pk", flat=True)))
    total = Article.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0].split(" on ")[0]
    print(f"{total:,} stories, {Article.objects.published().count():,} published; {server}")

    client = Client()
    words = sample_words(rng, args.queries * 7)
    pool = iter(words)
    kinds = {
        "1 word": [next(pool) for _ in range(args.queries)],
        "2 words": [f"{next(pool)} {next(pool)}" for _ in range(args.queries)],
        "3 words": [f"{next(pool)} {next(pool)} {next(pool)}" for _ in range(args.queries)],
    }
    prefixes = []
    for word in pool:
        if len(word) >= 6 and len(prefixes) < args.queries:
            prefixes.append(word[: rng.randint(4, len(word) - 1)])
    kinds["prefix"] = prefixes
    kinds["commonest words"] = common_words(min(args.queries, 50))
    if args.warm:
        # A site's own searches keep its pages in memory; a cold run shows the disk.
        for queries in kinds.values():
            time_queries(client, queries)
    else:
        time_queries(client, words[:20])  # the connection and Python's caches
    for kind, queries in kinds.items():
        report(kind, queries, time_queries(client, queries), args.slowest)


if __name__ == "__main__":
    main()
