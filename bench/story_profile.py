"""Where the uncached story page spends its time, in one process, request after request.

Usage (the stories of bench/load_bench.py's database; nothing is written):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/np_load_bench \\
        .venv/bin/python bench/story_profile.py [--requests 2000] [--top 25]

Serves the story bench/pages_bench.py times (the middle of the archive)
through Django's full stack (WSGIHandler: every middleware, the page cache
off), with the production settings, and prints: milliseconds per request
with and without the profiler, the queries one request makes, and the
functions that cost most (own time and cumulative). This is the measure of
issue 16's "find where the uncached page spends its time"; the rate under
gunicorn beside Wagtail's is bench/wagtail_bench.py's.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time

from bench_django import setup_django

os.environ["PAGE_CACHE_SECONDS"] = "0"
# As the servers of bench/wagtail_bench.py: the shared cache in Redis.
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/14")
os.environ["STATIC_ROOT"] = tempfile.mkdtemp(prefix="story-profile-static-")
os.environ["LOG_LEVEL"] = "WARNING"
setup_django()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pages_bench import story_path  # noqa: E402


def environ_for(path: str) -> dict:
    """A WSGI environ for an anonymous GET of ``path``, as gunicorn hands it over."""
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "testserver",
        "HTTP_ACCEPT_ENCODING": "gzip",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def serve(handler: WSGIHandler, path: str) -> bytes:
    """One request through the handler; its body (checked to be a 200)."""
    statuses = []
    body = b"".join(
        handler(environ_for(path), lambda status, headers, exc=None: statuses.append(status))
    )
    if not statuses[0].startswith("200"):
        sys.exit(f"{path} answered {statuses[0]}")
    return body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--top", type=int, default=25)
    options = parser.parse_args()
    from urllib.parse import unquote

    # WSGI hands the path over as its UTF-8 bytes read as Latin-1.
    path = unquote(story_path(options.stories)).encode().decode("latin-1")
    # The manifest the production static storage reads.
    call_command("collectstatic", "--noinput", verbosity=0)
    handler = WSGIHandler()
    for _ in range(50):
        serve(handler, path)
    with CaptureQueriesContext(connection) as queries:
        size = len(serve(handler, path))
    print(f"{path.encode('latin-1').decode()}: {size:,} bytes (gzip), {len(queries)} queries:")
    for query in queries.captured_queries:
        print(f"  {query['time']} s  {query['sql'][:110]}")

    started = time.perf_counter()
    for _ in range(options.requests):
        serve(handler, path)
    plain = (time.perf_counter() - started) / options.requests * 1000
    print(f"\n{plain:.2f} ms a request over {options.requests:,} (no profiler)")

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(options.requests):
        serve(handler, path)
    profiler.disable()
    profiled = (time.perf_counter() - started) / options.requests * 1000
    print(f"{profiled:.2f} ms a request with the profiler\n")
    for order in ("tottime", "cumulative"):
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats(order).print_stats(options.top)
        lines = stream.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        print(f"by {order}:")
        print("\n".join(lines[start : start + options.top + 1]))
        print()


if __name__ == "__main__":
    main()
