"""Requests per second of the reader's pages under gunicorn, beside a trivial view's.

Usage (a database of its own: the bench fills it with 10,000 stories):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/np_pages_bench \\
        .venv/bin/python bench/pages_bench.py [--stories 10000] [--port 8104] \\
        [--duration 10] [--connections 8] [--reload]

What it does:

1. creates the database if it does not exist and migrates it;
2. loads ``--stories`` generated, published Arabic stories (four paragraphs
   each, five sources, spread over the last year) with ``bulk_create`` and
   computes their search vectors, as the importer would. Stories from an
   earlier run are kept (``--reload`` starts again); a database holding
   stories the bench did not make is refused;
3. collects the static files into a temporary folder and starts gunicorn
   (``newsportal.wsgi``, 2 sync workers, the production settings over plain
   HTTP) on 127.0.0.1:``--port``;
4. drives each address for ``--duration`` seconds with ``--connections``
   concurrent connections, using ``wrk`` (Debian package ``wrk``) or, where it
   is missing, a threaded Python client: ``/healthz`` (a trivial view: one
   ``SELECT 1``), the front page and a story page from the middle of the
   archive;
5. prints requests per second and latency for each, and the pages' rate as a
   share of ``/healthz``'s: the figure to watch. The load generator shares
   the machine's cores with gunicorn, so absolute rates understate a server
   of its own; the ratio does not depend on that as much.

Every request must answer 200; any other status makes the run fail.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GUID_PREFIX = "bench-pages:"
BATCH = 1000
SOURCES = ["أ ف ب", "رويترز", "بترا", "وام", "واس"]
DATELINES = ["القاهرة", "عمّان", "بيروت", "الرباط", "الرياض", "دبي", "تونس", "بغداد", ""]
# Words we put together into headlines and paragraphs; no published text.
SUBJECTS = [
    "الحكومة",
    "الوزارة",
    "البرلمان",
    "المجلس البلدي",
    "الشركة الوطنية",
    "الجامعة",
    "المنتخب",
    "البنك المركزي",
    "الهيئة العامة",
    "النقابة",
    "المحكمة",
    "الوفد",
]
VERBS = [
    "تعلن",
    "تبحث",
    "تناقش",
    "تفتتح",
    "تطلق",
    "تستعرض",
    "تقر",
    "ترفض",
    "تدرس",
    "تتابع",
]
OBJECTS = [
    "خطة جديدة للنقل العام",
    "مشروعا لتحلية المياه",
    "موازنة العام المقبل",
    "برنامجا لدعم الشباب",
    "اتفاقية للتعاون التجاري",
    "حملة للتطعيم",
    "معرضا للكتاب",
    "إجراءات لخفض الأسعار",
    "مبادرة للطاقة الشمسية",
    "خطة لتطوير المدارس",
    "قانونا للاستثمار",
    "مهرجانا للفنون الشعبية",
]
CLAUSES = [
    "وقال مسؤول في تصريح صحفي إن العمل سيبدأ خلال الأسابيع المقبلة",
    "وأوضح البيان أن المشروع يستفيد منه آلاف المواطنين في المدن والقرى",
    "وأشار المتحدث إلى أن التكلفة الإجمالية تبلغ نحو مئتي مليون",
    "وتأتي هذه الخطوة في إطار خطة أوسع لتحسين الخدمات العامة",
    "ولفت التقرير إلى تحسن المؤشرات مقارنة بالعام الماضي",
    "ومن المنتظر أن تعرض النتائج على المجلس في جلسته المقبلة",
    "وأكد المشاركون أهمية التعاون بين المؤسسات الحكومية والقطاع الخاص",
    "وشهدت الجلسة نقاشا واسعا حول آليات التنفيذ والمتابعة",
]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--port", type=int, default=8104)
    parser.add_argument("--duration", type=int, default=10, help="seconds per address")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reload", action="store_true", help="replace the bench's stories")
    return parser.parse_args()


def configure_environment() -> dict[str, str]:
    """The production settings, served over plain HTTP on loopback."""
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to a database of the bench's own (see the top of this file).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsportal.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    # Rendering is timed, not the shared page cache (articles/page_cache.py);
    # bench/load_bench.py switches it on for its own runs.
    os.environ.setdefault("PAGE_CACHE_SECONDS", "0")
    os.environ.update(
        {
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": tempfile.mkdtemp(prefix="pages-bench-static-"),
            "LOG_LEVEL": "WARNING",
        }
    )
    return dict(os.environ)


def create_database() -> None:
    """Create the database DATABASE_URL names, if it does not exist yet."""
    import environ
    import psycopg
    from psycopg import sql

    config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    maintenance = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in maintenance.items() if v is not None}) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"created database {config['NAME']}")


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"


def load_stories(count: int, reload: bool) -> None:
    """Fill the database with ``count`` published stories (kept between runs)."""
    from django.utils import timezone

    from articles.models import Article, Paragraph, Source, unicode_slug
    from articles.search.index import refresh_search_vectors

    foreign = Article.objects.exclude(guid__startswith=GUID_PREFIX)
    if foreign.exists():
        sys.exit(
            f"The database holds {foreign.count()} stories the bench did not make: "
            "give it a database of its own (DATABASE_URL)."
        )
    existing = Article.objects.filter(guid__startswith=GUID_PREFIX)
    if existing.count() == count and not reload:
        print(f"stories: {count} published, kept from an earlier run (--reload starts again)")
        return
    started = time.perf_counter()
    existing.delete()
    sources = [Source.objects.get_or_create(name=name)[0] for name in SOURCES]
    rng = random.Random(4)
    now = timezone.now()
    span = 365 * 24 * 3600
    for first in range(0, count, BATCH):
        numbers = range(first, min(first + BATCH, count))
        articles = []
        for number in numbers:
            headline = f"{sentence(rng)} في {rng.choice(DATELINES) or 'العاصمة'}"
            articles.append(
                Article(
                    guid=f"{GUID_PREFIX}{number}",
                    headline=headline,
                    slug=f"{unicode_slug(headline, max_length=100)}-{number}",
                    source=sources[number % len(sources)],
                    dateline=rng.choice(DATELINES),
                    status=Article.Status.PUBLISHED,
                    published_at=now - datetime.timedelta(seconds=span * number / count + 60),
                    image_caption=rng.choice(["", "", "صورة من موقع الحدث"]),
                )
            )
        Article.objects.bulk_create(articles)
        Paragraph.objects.bulk_create(
            Paragraph(
                article=article,
                position=position,
                text=f"{sentence(rng)}. {rng.choice(CLAUSES)}. {rng.choice(CLAUSES)}.",
            )
            for article in articles
            for position in range(1, 5)
        )
        refresh_search_vectors(article.pk for article in articles)
    from django.db import connection

    with connection.cursor() as cursor:
        # As autovacuum would leave them: statistics, and a visibility map for
        # index-only scans (the paginator's count).
        cursor.execute("VACUUM ANALYZE articles_article, articles_paragraph, articles_source")
    print(f"stories: {count} published, loaded in {time.perf_counter() - started:.1f} s")


def story_path(count: int) -> str:
    from articles.models import Article

    article = Article.objects.published().order_by("-published_at")[count // 2]
    return article.get_absolute_url()


def run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, cwd=ROOT, env=env, check=True)


@dataclass
class Result:
    requests_per_second: float
    latency_ms: float
    failures: int


def wrk(url: str, duration: int, connections: int) -> Result:
    output = subprocess.run(
        [
            "wrk",
            "--threads",
            "1",
            "--connections",
            str(connections),
            "--duration",
            f"{duration}s",
            # A slow page is slow, not failed: count only what never answers.
            "--timeout",
            "10s",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = re.search(r"Latency\s+([\d.]+)(us|ms|s)", output)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[latency.group(2)]
    failures = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*?timeout (\d+)", output)
    return Result(
        rate,
        float(latency.group(1)) * scale,
        (int(failures.group(1)) if failures else 0) + (int(errors.group(1)) if errors else 0),
    )


def python_client(url: str, duration: int, connections: int) -> Result:
    """A threaded keep-alive client, for machines without wrk."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.monotonic() + duration
    lock = threading.Lock()
    totals = {"done": 0, "failures": 0, "seconds": 0.0}

    def worker():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        done = failures = 0
        seconds = 0.0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", target)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failures += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                failures += 1
                connection.close()
            seconds += time.perf_counter() - started
            done += 1
        with lock:
            totals["done"] += done
            totals["failures"] += failures
            totals["seconds"] += seconds

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done = max(totals["done"], 1)
    return Result(totals["done"] / duration, totals["seconds"] / done * 1000, totals["failures"])


def start_gunicorn(port: int, workers: int, env: dict[str, str]) -> subprocess.Popen:
    """gunicorn serving ``newsportal.wsgi`` with ``workers`` sync workers on 127.0.0.1:``port``."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "newsportal.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--log-level", "warning"]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn exited before answering: see its output above.")
        try:
            # The port is open before a worker has booted: allow for that.
            with urllib.request.urlopen(url, timeout=timeout) as response:
                if response.status == 200:
                    return
        except OSError:  # refused while gunicorn binds, or URLError
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer {url} within {timeout:.0f} s.")


def check_answers(url: str) -> None:
    with urllib.request.urlopen(url, timeout=30) as response:
        if response.status != 200:
            sys.exit(f"{url} answered {response.status}, not 200.")
        response.read()


def main() -> None:
    options = arguments()
    env = configure_environment()
    create_database()
    python = sys.executable
    run([python, "manage.py", "migrate", "--noinput", "--verbosity", "0"], env)
    run([python, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env)

    import django

    django.setup()
    load_stories(options.stories, options.reload)
    pages = {
        "/healthz (trivial)": "/healthz",
        "front page": "/",
        "story page": story_path(options.stories),
    }
    from django.db import connections

    connections.close_all()

    base = f"http://127.0.0.1:{options.port}"
    server = start_gunicorn(options.port, options.workers, env)
    try:
        wait_until_up(base + "/healthz", server)
        for path in pages.values():
            for _ in range(20):  # warm both workers: templates, connections, caches
                check_answers(base + path)
        client = wrk if shutil.which("wrk") else python_client
        tool = "wrk" if client is wrk else "a threaded Python client (wrk is not installed)"
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"load average before the run: {load} (on {os.cpu_count()} cores)")
        print(
            f"gunicorn: {options.workers} sync workers on 127.0.0.1:{options.port}; {tool}, "
            f"{options.duration} s per address, {options.connections} connections"
        )
        results = {
            name: client(base + path, options.duration, options.connections)
            for name, path in pages.items()
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(env["STATIC_ROOT"], ignore_errors=True)

    trivial = results["/healthz (trivial)"].requests_per_second
    print()
    print(f"{'address':<20} {'req/s':>9} {'mean latency':>13} {'share of /healthz':>18}")
    for name, result in results.items():
        print(
            f"{name:<20} {result.requests_per_second:>9.1f} {result.latency_ms:>10.1f} ms"
            f" {result.requests_per_second / trivial:>17.0%}"
        )
    failures = {name: result.failures for name, result in results.items() if result.failures}
    if failures:
        sys.exit(f"Requests that did not answer 200: {failures}")


if __name__ == "__main__":
    main()
