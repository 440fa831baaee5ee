"""The same story served by Wagtail and by newsportal, side by side in one run.

Usage (newsportal's stories in the load bench's database; Wagtail in a
database of its own, which the bench drops and recreates):

    .venv/bin/python bench/wagtail_bench.py [--duration 10] [--connections 8] \\
        [--workers 2] [--rounds 3] [--stories 10000] [--upgrade-wagtail]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/np_load_bench,
WAGTAIL_DATABASE_URL to postgres://postgres@127.0.0.1:5432/np_wagtail_bench,
and the page cache's Redis to redis://127.0.0.1:6379/14 (flushed).

What it does:

1. prepares newsportal's database as bench/load_bench.py does (``--stories``
   generated stories, kept between runs) and takes the story from the middle
   of the archive, as bench/pages_bench.py does;
2. installs the latest Wagtail from PyPI, with gunicorn and psycopg, into a
   virtual environment of its own, ``.bench-venvs/wagtail`` (made once;
   ``--upgrade-wagtail`` brings it up to date);
3. generates a project with ``wagtail start`` in a temporary folder and adds
   bench/wagtail_site: a ``news`` app whose ``StoryPage`` has a title, a
   date, a source and a rich-text body, its template, an ``add_story``
   command, and the settings the bench needs (``local.py``: PostgreSQL,
   the hosts, a secret key, connections kept 60 s as newsportal keeps
   them). Everything else is Wagtail's own production settings: DEBUG
   off, no page cache;
4. creates the same story there (headline, source, date, paragraphs as
   newsportal shows them) as a published page;
5. serves each with gunicorn, ``--workers`` sync workers on loopback, all
   three at once: Wagtail; newsportal with the page cache on
   (``PAGE_CACHE_SECONDS=300``, its Redis database flushed first);
   newsportal with the page cache off (``PAGE_CACHE_SECONDS=0``). Each
   page is warmed, then driven in turn, ``--rounds`` times, by the same
   ``wrk -t2 -c8 -d10s``: Wagtail's story page, newsportal's cached story
   page, the 404 page of that same server, newsportal's uncached story page.
   Idle sync workers cost nothing, and taking the pages in turn, round after
   round, spreads any drift of the machine over all of them;
6. prints each round's rates, then requests per second and latency of each
   page's median round, and the ratios against the targets.

Targets (issue 16): the cached story page at least 3x Wagtail's and at least
0.9x the same server's 404 page; the uncached story page at least 1x
Wagtail's. The bench exits non-zero on a failed request or a missed target.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote

from load_bench import (
    DEFAULT_CACHE_URL,
    WrkResult,
    ensure_wrk,
    flush_cache,
    load_average,
    prepare_site,
    run_wrk,
    uri,
)
from pages_bench import ROOT, start_gunicorn, story_path, wait_until_up

WAGTAIL_VENV = ROOT / ".bench-venvs" / "wagtail"
SITE_FILES = Path(__file__).resolve().parent / "wagtail_site"
DEFAULT_WAGTAIL_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/np_wagtail_bench"
MISSING_PATH = "/bench-no-such-page/"
WARM_REQUESTS = 20
PAGES = [
    "Wagtail story",
    "newsportal story, cache on",
    "newsportal 404 page",
    "newsportal story, cache off",
]
TARGETS = [
    # (label, numerator, denominator, at least)
    ("cached story / Wagtail", "newsportal story, cache on", "Wagtail story", 3.0),
    ("cached story / 404 page", "newsportal story, cache on", "newsportal 404 page", 0.9),
    ("uncached story / Wagtail", "newsportal story, cache off", "Wagtail story", 1.0),
]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers, each")
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3, help="each page this many times")
    parser.add_argument("--port", type=int, default=8106, help="newsportal's, cache on")
    parser.add_argument("--uncached-port", type=int, default=8108, help="newsportal's, cache off")
    parser.add_argument("--wagtail-port", type=int, default=8107)
    parser.add_argument("--cache-url", default=DEFAULT_CACHE_URL)
    parser.add_argument("--upgrade-wagtail", action="store_true")
    return parser.parse_args()


def wagtail_python(upgrade: bool) -> Path:
    """The Wagtail virtual environment's Python, installing the latest release if needed."""
    python = WAGTAIL_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(WAGTAIL_VENV)], check=True)
        upgrade = True
    if upgrade:
        packages = ["wagtail", "gunicorn", "psycopg[binary]"]
        subprocess.run([python, "-m", "pip", "install", "--upgrade", *packages], check=True)
    return python


def recreate_database(config: dict) -> None:
    """Drop and create the Wagtail project's database: it is made anew each run."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or None,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        name = sql.Identifier(config["NAME"])
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def the_story(stories: int) -> tuple[str, dict]:
    """newsportal's story page path (a URI), and the story as Wagtail's add_story reads it."""
    from django.urls import resolve

    from articles.models import Article

    path = story_path(stories)
    article = Article.objects.select_related("source").get(
        slug=resolve(unquote(path)).kwargs["slug"]
    )
    paragraphs = [paragraph.text for paragraph in article.paragraphs.all()]
    if paragraphs and article.dateline:
        # newsportal prints the dateline at the head of the first paragraph.
        paragraphs[0] = f"{article.dateline} - {paragraphs[0]}"
    return path, {
        "headline": article.headline,
        "slug": article.slug,
        "source": article.source.name,
        "date": article.published_at.isoformat(),
        "paragraphs": paragraphs,
    }


def wagtail_project(folder: Path, python: Path, story: dict) -> dict[str, str]:
    """Generate, migrate and fill the Wagtail project; return its environment."""
    import environ

    bin_folder = python.parent
    subprocess.run([bin_folder / "wagtail", "start", "benchsite", folder], check=True)
    shutil.copytree(SITE_FILES / "news", folder / "news")
    shutil.copy(SITE_FILES / "local.py", folder / "benchsite" / "settings" / "local.py")
    url = os.environ.get("WAGTAIL_DATABASE_URL", DEFAULT_WAGTAIL_DATABASE_URL)
    config = environ.Env.db_url_config(url)
    recreate_database(config)
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "benchsite.settings.production",
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "STATIC_ROOT": str(folder / "static_root"),
        "BENCH_DB_NAME": config["NAME"],
        "BENCH_DB_HOST": config["HOST"] or "",
        "BENCH_DB_PORT": str(config["PORT"] or ""),
        "BENCH_DB_USER": config["USER"] or "",
        "BENCH_DB_PASSWORD": config["PASSWORD"] or "",
    }
    story_file = folder / "story.json"
    story_file.write_text(json.dumps(story, ensure_ascii=False), encoding="utf-8")
    for command in (
        ["makemigrations", "news", "--verbosity", "0"],
        ["migrate", "--noinput", "--verbosity", "0"],
        ["collectstatic", "--noinput", "--verbosity", "0"],
    ):
        subprocess.run([python, "manage.py", *command], cwd=folder, env=env, check=True)
    page_url = subprocess.run(
        [python, "manage.py", "add_story", story_file],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    env["BENCH_STORY_PATH"] = uri(page_url)
    return env


def start_wagtail(folder: Path, python: Path, port: int, workers: int, env: dict[str, str]):
    command = [str(python.parent / "gunicorn"), "benchsite.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--log-level", "warning"]
    return subprocess.Popen(command, cwd=folder, env=env)


def warm(url: str, text: str, status: int = 200) -> None:
    """Ask for ``url`` a few times (both workers, and the page cache) and check the answer."""
    for _ in range(WARM_REQUESTS):
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                code, body = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            code, body = error.code, error.read().decode()
        if code != status:
            sys.exit(f"{url} answered {code}, not {status}.")
        if text not in body:
            sys.exit(f"{url} does not show {text!r}.")


@contextlib.contextmanager
def stderr_into(path: Path):
    """Let a process started inside write its standard error into ``path``.

    newsportal logs every 404 as a warning, as deployed: under load a line a
    request, kept out of the bench's report (Wagtail's defaults log none).
    """
    saved = os.dup(2)
    with open(path, "ab") as log:
        os.dup2(log.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)


def main() -> None:
    options = arguments()
    ensure_wrk()
    env = prepare_site(options.stories, reload=False, cache_url=options.cache_url)
    newsportal_path, story = the_story(options.stories)
    from django.db import connections

    connections.close_all()
    python = wagtail_python(options.upgrade_wagtail)
    version = subprocess.run(
        [python, "-c", "import wagtail; print(wagtail.__version__)"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()

    rates: dict[str, list[WrkResult]] = {name: [] for name in PAGES}
    servers: list[subprocess.Popen] = []
    folder = Path(tempfile.mkdtemp(prefix="wagtail-bench-"))
    try:
        wagtail_env = wagtail_project(folder, python, story)
        flush_cache(options.cache_url)
        wagtail = f"http://127.0.0.1:{options.wagtail_port}"
        cached = f"http://127.0.0.1:{options.port}"
        uncached = f"http://127.0.0.1:{options.uncached_port}"
        servers.append(
            start_wagtail(folder, python, options.wagtail_port, options.workers, wagtail_env)
        )
        with stderr_into(folder / "newsportal.log"):
            for port, seconds in ((options.port, 300), (options.uncached_port, 0)):
                servers.append(
                    start_gunicorn(
                        port, options.workers, {**env, "PAGE_CACHE_SECONDS": str(seconds)}
                    )
                )
        urls = {
            "Wagtail story": wagtail + wagtail_env["BENCH_STORY_PATH"],
            "newsportal story, cache on": cached + newsportal_path,
            "newsportal 404 page": cached + MISSING_PATH,
            "newsportal story, cache off": uncached + newsportal_path,
        }
        answers = [urls["Wagtail story"], cached + "/healthz", uncached + "/healthz"]
        for server, url in zip(servers, answers, strict=True):
            wait_until_up(url, server)
        for name, url in urls.items():
            if name == "newsportal 404 page":
                warm(url, "404", status=404)
            else:
                warm(url, story["paragraphs"][-1])

        print(f"Wagtail {version}; the story: {story['headline']}")
        print(
            f"wrk -t{options.threads} -c{options.connections} -d{options.duration}s on each, "
            f"{options.rounds} round(s), the pages in turn; gunicorn, {options.workers} sync "
            f"workers each; {os.cpu_count()} cores; load average before: {load_average()}"
        )
        for round_number in range(1, options.rounds + 1):
            line = []
            for name, url in urls.items():
                result = run_wrk(url, options.duration, options.connections, options.threads)
                rates[name].append(result)
                line.append(f"{name} {result.requests_per_second:.0f}")
            print(f"round {round_number}: " + ", ".join(line) + " req/s")
    except BaseException:
        log = folder / "newsportal.log"
        if log.exists():
            # What newsportal's gunicorn said before the failure.
            sys.stderr.write(log.read_text(errors="replace")[-4000:])
        raise
    finally:
        for server in servers:
            stop(server)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(env["STATIC_ROOT"], ignore_errors=True)
    print(f"load average after: {load_average()}")

    # Each page's median round: one slow round (a burst of other work on the
    # machine) does not decide a ratio.
    results = {
        name: sorted(runs, key=lambda run: run.requests_per_second)[len(runs) // 2]
        for name, runs in rates.items()
    }
    print()
    print(f"{'page (median round)':<28} {'req/s':>8} {'p50':>10} {'p99':>10}")
    for name, result in results.items():
        print(
            f"{name:<28} {result.requests_per_second:>8.1f}"
            f" {result.p50_ms:>7.1f} ms {result.p99_ms:>7.1f} ms"
        )
    print()
    problems = []
    for label, numerator, denominator, least in TARGETS:
        ratio = results[numerator].requests_per_second / results[denominator].requests_per_second
        verdict = "met" if ratio >= least else "MISSED"
        print(f"{label:<26} {ratio:>5.2f}x  (target at least {least:g}x: {verdict})")
        if verdict != "met":
            problems.append(f"{label} {ratio:.2f}x")
    for name, runs in rates.items():
        for result in runs:
            # The 404 page answers 404 by design; any other status there is a failure.
            expected = result.requests if name == "newsportal 404 page" else 0
            if result.not_2xx_3xx != expected or result.socket_error_count:
                problems.append(
                    f"{name}: {result.not_2xx_3xx - expected} unexpected statuses, "
                    f"{result.socket_error_count} socket errors"
                )
    if problems:
        sys.exit("Failed: " + "; ".join(problems))


if __name__ == "__main__":
    main()
