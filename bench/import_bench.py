"""Import N generated plain-text stories and print stories per second and peak memory.

Usage (against the machine's PostgreSQL; the bench never touches the data of
the database DATABASE_URL names):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/np_b \\
        .venv/bin/python bench/import_bench.py [--count 10000] [--batch-size 500] [--tracemalloc]

What it does:

1. writes N stories to a temporary directory, one file each, in the seed's
   plain-text shape with the variants real copy has (agencies' credit lines
   with and without an outlet, several date styles, the photo caption merged
   with the first paragraph or on its own, datelines, site chrome at the end),
   Arabic generated from a vocabulary, every headline different;
2. creates a throwaway database ``<name>_import_bench`` beside the configured
   one and migrates it (Django's test-database machinery);
3. imports the directory through ``Importer.run`` and ``inputs.from_paths``,
   exactly the code ``import_articles`` runs (parsing, dedupe, bulk writes,
   the import log with every original, the search vectors), and prints
   stories per second;
4. imports the same directory again (every story unchanged) and prints that rate;
5. prints peak memory: the process's peak resident set size, and how far it
   rose above the resident size before the import began. Run it with
   --count 2000 and --count 10000: the rise stays flat because files are read
   one by one and written in batches;
6. drops the throwaway database.

``--tracemalloc`` also prints the peak of Python's own allocations during the
first import (tracing slows the import down, so the rate is then not the one
to quote).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench_django import setup_django

setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from articles.dates import GREGORIAN_MONTHS  # noqa: E402
from articles.importers.inputs import from_paths  # noqa: E402
from articles.importers.loader import Importer, ImportOptions  # noqa: E402
from articles.importers.reading import default_workers  # noqa: E402

AGENCIES = ["أ ف ب", "رويترز", "واس", "د ب أ", "الأناضول", "أ ش أ", "قنا", "وام"]
OUTLETS = ["الامة برس", "بوابة الخليج", "الوطن نيوز"]
PLACES = ["كابول", "القاهرة", "بيروت", "عمّان", "الرياض", "الدوحة", "تونس", "الرباط", "بغداد"]
MONTHS = GREGORIAN_MONTHS
SUBJECTS = [
    "وزير الخارجية",
    "الحكومة",
    "البرلمان",
    "وزارة الصحة",
    "البنك المركزي",
    "المجلس البلدي",
    "رئيس الوزراء",
    "الهيئة العامة للنقل",
    "وزارة التعليم",
    "المنتخب الوطني",
    "اتحاد الكتاب",
    "شركة الكهرباء",
]
VERBS = ["أعلن", "افتتح", "ناقش", "أقر", "بحث", "أطلق", "وقّع", "استقبل", "رفض", "دعا إلى", "تابع"]
OBJECTS = [
    "خطة جديدة لتطوير الطرق",
    "اتفاقية للتعاون الاقتصادي",
    "مشروعاً لتحلية المياه",
    "حملة للتطعيم في المدارس",
    "موازنة العام المقبل",
    "مهرجاناً للكتاب",
    "برنامجاً لدعم الشباب",
    "وفداً من الدول المجاورة",
    "قانوناً لحماية البيئة",
    "مستشفى جديداً في الضواحي",
    "معرضاً للفنون التشكيلية",
    "إجراءات لخفض الأسعار",
]
CLAUSES = [
    "وفق ما أعلن مصدر رسمي",
    "في إطار خطة تمتد خمس سنوات",
    "بحضور عدد من المسؤولين",
    "بعد أشهر من المفاوضات",
    "وسط ترحيب من السكان",
    "على أن يبدأ التنفيذ مطلع العام المقبل",
    "بكلفة تقدر بملايين الدولارات",
    "في ظل ظروف اقتصادية صعبة",
]
QUOTES = [
    "إن المشروع سيغير حياة آلاف الأسر",
    "إن الحكومة ماضية في الإصلاح",
    "إن التعاون مع الشركاء أساس النجاح",
    "إن النتائج ستظهر خلال أشهر",
]
CHROME = [["كاريكاتير", "إستطلاعات الرأي"], ["اقرأ أيضا", "شارك الخبر"], ["انتهى"], []]


def sentence(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.5:
        subject, verb = rng.choice(SUBJECTS), rng.choice(VERBS)
        return f"{verb} {subject} {rng.choice(OBJECTS)} {rng.choice(CLAUSES)}."
    if kind < 0.8:
        return f'وقال {rng.choice(SUBJECTS)} "{rng.choice(QUOTES)}"، {rng.choice(CLAUSES)}.'
    return f"ويأتي ذلك {rng.choice(CLAUSES)}، بينما {rng.choice(VERBS)} {rng.choice(OBJECTS)}."


def story(number: int, rng: random.Random) -> str:
    """One story in the seed's shape, with a headline no other story has."""
    place = rng.choice(PLACES)
    agency = rng.choice(AGENCIES)
    headline = (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} في {place} "
        f"(الدورة {number})"
    )
    credit = agency if rng.random() < 0.5 else f"{agency}-{rng.choice(OUTLETS)}"
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    date = rng.choice(
        [
            f"2024-{month:02d}-{day:02d}",
            f"{day}/{month}/2024",
            f"{day} {MONTHS[month - 1]} 2024",
        ]
    )
    paragraphs = [
        " ".join(sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(4, 12))
    ]
    lead = f"{place} - {paragraphs[0]}"
    if rng.random() < 0.6:
        caption = f"صورة من {place} لجانب من الحدث في {day} {MONTHS[month - 1]} 2024 ({agency})"
        lead = f"{caption}   {lead}" if rng.random() < 0.5 else f"{caption}\n\n{lead}"
    chrome = rng.choice(CHROME)
    body = "\n\n".join([lead, *paragraphs[1:]])
    return f"{headline}\n\n{credit}\n{date}\n\n \n\n{body}\n\n" + "\n".join(chrome) + "\n"


def write_stories(directory: Path, count: int) -> int:
    rng = random.Random(20241126)
    size = 0
    for number in range(1, count + 1):
        data = story(number, rng).encode()
        # A hundred files a directory, as agencies' feeds are laid out by hour.
        folder = directory / f"{number // 100:04d}"
        folder.mkdir(exist_ok=True)
        (folder / f"{number:06d}.txt").write_bytes(data)
        size += len(data)
    return size


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclasses.dataclass
class Run:
    counts: dict
    seconds: float
    # CPU seconds spent by this process, the parser processes and the PostgreSQL backend.
    cpu_importer: float
    cpu_parsers: float
    cpu_database: float

    def line(self, label: str, count: int) -> str:
        actions = ", ".join(f"{action} {number}" for action, number in self.counts.items())
        cpu = 1000 / count
        return (
            f"{label}: {count / self.seconds:6.0f} stories/s ({self.seconds:.1f} s; {actions}); "
            f"CPU per story: importer {self.cpu_importer * cpu:.2f} ms, "
            f"parsers {self.cpu_parsers * cpu:.2f} ms, PostgreSQL {self.cpu_database * cpu:.2f} ms"
        )


def backend_cpu_seconds() -> float:
    """CPU time of this connection's PostgreSQL backend (same machine), from /proc."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def import_directory(directory: Path, batch_size: int, workers: int) -> Run:
    """What import_articles --publish DIRECTORY does, timed."""
    counts: dict[str, int] = {}
    database_before = backend_cpu_seconds()
    own_before = resource.getrusage(resource.RUSAGE_SELF)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    options = ImportOptions(publish=True, batch_size=batch_size, workers=workers)
    inputs = from_paths([str(directory)], max_bytes=settings.IMPORT_MAX_FILE_BYTES)
    for outcome in Importer(options).run(inputs):
        counts[outcome.action] = counts.get(outcome.action, 0) + 1
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Run(
        counts,
        seconds,
        _cpu(own) - _cpu(own_before),
        _cpu(children) - _cpu(children_before),
        backend_cpu_seconds() - database_before,
    )


def _cpu(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="stories to import")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--workers", type=int, help="parser processes (default: as the command)")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python's heap")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="import-bench-") as temporary:
        directory = Path(temporary)
        size = write_stories(directory, args.count)
        print(f"{args.count} stories written ({size / 1024 / 1024:.1f} MB of plain text)")
        # The command's choice for this many files, unless --workers says otherwise.
        workers = default_workers(args.count) if args.workers is None else args.workers
        print(f"parsing in {workers or 'no'} worker process(es) beside the loader")
        print(f"load average before starting: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

        database = settings.DATABASES["default"]
        database.setdefault("TEST", {})["NAME"] = f"{database['NAME']}_import_bench"
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            baseline = resident_mb()
            if args.tracemalloc:
                tracemalloc.start()
            first = import_directory(directory, args.batch_size, workers)
            heap_peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
            tracemalloc.stop()
            print(first.line("first import (all new)     ", args.count))
            second = import_directory(directory, args.batch_size, workers)
            print(second.line("second import (all unchanged)", args.count))
            print(
                f"peak memory: {peak_mb():.0f} MB resident; "
                f"{peak_mb() - baseline:.0f} MB above the {baseline:.0f} MB before importing"
            )
            if heap_peak is not None:
                print(f"Python heap peak during the first import: {heap_peak / 1024 / 1024:.1f} MB")
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
