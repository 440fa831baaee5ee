"""Readers' mix of pages under load, with the shared page cache on and then off.

Usage (a database of its own, filled with 10,000 generated stories; Redis's
database 14, which the bench flushes):

    .venv/bin/python bench/load_bench.py [--duration 60] [--workers 2] \\
        [--connections 64] [--stories 10000] [--port 8106] [--reload]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/np_load_bench and
CACHE_URL (``--cache-url``) to redis://127.0.0.1:6379/14.

What it does:

1. creates and migrates the database and loads ``--stories`` generated,
   published stories with bench/pages_bench.py's ``load_stories`` (kept
   between runs; ``--reload`` starts again);
2. computes from the database the addresses readers ask for and writes them
   into a wrk Lua script that picks one per request, by weight: the front
   page 30%; story pages 45%, spread over 1,000 stories drawn at random from
   the whole archive; source pages 5% and archive pages (the index and the
   days that have stories) 5%; searches for one or two words of the
   stories' headlines 10%; the RSS and Atom feeds, the site's and each
   source's, 5%;
3. twice, with ``PAGE_CACHE_SECONDS=300`` (the page cache on, as deployed)
   and then ``PAGE_CACHE_SECONDS=0`` (off): flushes the cache's Redis
   database, starts gunicorn (``--workers`` sync workers, the production
   settings over plain HTTP, on loopback), and runs ``wrk -t2 -c64 -d60s
   --latency`` with the script (Debian package ``wrk``, installed with apt
   when missing);
4. prints, for each run, requests per second, the 50th and 99th percentile
   latency, responses that were not 2xx or 3xx, and socket errors (connect,
   read, write, timeout).

Target (issue 16): no error, and a 99th percentile under 300 ms with the
cache on. The bench exits non-zero on any error or a missed target. wrk
shares the machine's cores with gunicorn and PostgreSQL, so the rates are
those of a server that also runs its load generator; print ``uptime`` beside
them.

The page cache is articles/page_cache.py (setting ``PAGE_CACHE_SECONDS``);
where the checkout has no such setting yet, the bench says so and both runs
serve the same, uncached pages.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from dataclasses import dataclass

from pages_bench import (
    configure_environment,
    create_database,
    load_stories,
    run,
    start_gunicorn,
    wait_until_up,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/np_load_bench"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/14"
STORY_PAGES = 1000
SEARCH_QUERIES = 200
# (group, weight in percent) as the issue sets the mix.
MIX = [
    ("front", 30),
    ("story", 45),
    ("source", 5),
    ("archive", 5),
    ("search", 10),
    ("feed", 5),
]
P99_TARGET_MS = 300
CACHE_RUNS = [("page cache on", 300), ("page cache off", 0)]

# wrk's done() hands the bench what its text output rounds or leaves out:
# exact percentiles and every kind of error, as one line of JSON.
# https://github.com/wg/wrk/blob/master/SCRIPTING
LUA_DONE = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "WRK_JSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"p50_us\\": %d, \\"p99_us\\": %d, "
    .. "\\"max_us\\": %d, \\"status\\": %d, \\"connect\\": %d, \\"read\\": %d, "
    .. "\\"write\\": %d, \\"timeout\\": %d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, errors.status, errors.connect, errors.read, errors.write, errors.timeout))
end
"""

# Each wrk thread runs the script in a Lua state of its own: seed each
# differently, or both threads would ask for the same addresses in step.
LUA_REQUEST = """
local groups = {groups}
local total = 0
for _, group in ipairs(groups) do
  total = total + group.weight
  group.upto = total
end

local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("number", threads)
end

init = function(args)
  math.randomseed(os.time() * 100 + number)
end

request = function()
  local pick = math.random() * total
  for _, group in ipairs(groups) do
    if pick < group.upto then
      return wrk.format("GET", group.paths[math.random(#group.paths)])
    end
  end
  return wrk.format("GET", groups[1].paths[1])
end
"""


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds per run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--connections", type=int, default=64, help="concurrent clients")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--cache-url", default=DEFAULT_CACHE_URL)
    parser.add_argument("--reload", action="store_true", help="replace the bench's stories")
    return parser.parse_args()


def ensure_wrk() -> None:
    """Install Debian's wrk when it is missing (the bench runs as root on its machine)."""
    if shutil.which("wrk"):
        return
    print("wrk is missing: installing Debian's package")
    if subprocess.run(["apt-get", "install", "-y", "wrk"], check=False).returncode:
        subprocess.run(["apt-get", "update"], check=True)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True)


def prepare_site(stories: int, reload: bool, cache_url: str) -> dict[str, str]:
    """Migrate the bench's database, fill it, and return the environment gunicorn runs in."""
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ["CACHE_URL"] = cache_url
    env = configure_environment()
    create_database()
    python = sys.executable
    run([python, "manage.py", "migrate", "--noinput", "--verbosity", "0"], env)
    run([python, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env)

    import django

    django.setup()
    load_stories(stories, reload)
    from django.conf import settings

    if not hasattr(settings, "PAGE_CACHE_SECONDS"):
        print(
            "note: this checkout has no PAGE_CACHE_SECONDS setting (articles/page_cache.py): "
            "every run serves uncached pages"
        )
    return env


def flush_cache(cache_url: str) -> None:
    """Empty the cache's Redis database, as a deployment starts."""
    import redis

    redis.Redis.from_url(cache_url).flushdb()


def uri(path: str) -> str:
    from django.utils.encoding import iri_to_uri

    return iri_to_uri(path)


def mix_paths(story_count: int = STORY_PAGES, query_count: int = SEARCH_QUERIES) -> dict:
    """The addresses of each group of the mix, from what the database holds."""
    from django.urls import reverse

    from articles import selectors
    from articles.models import Article
    from articles.views import archive_day_url

    rng = random.Random(16)
    published = list(Article.objects.published().values_list("slug", "headline"))
    if not published:
        sys.exit("The database holds no published story.")
    stories = rng.sample(published, min(story_count, len(published)))
    sources = selectors.navigation()
    days = sorted(
        {row["day"] for row in selectors.recent_days(window=selectors.RECENT_DAYS_WINDOW * 6)}
    )
    words = sorted({word for _, headline in stories for word in headline.split() if len(word) > 2})
    queries = [" ".join(rng.sample(words, rng.choice([1, 1, 2]))) for _ in range(query_count)]
    feeds = [reverse("feed"), reverse("feed-atom")]
    for source in sources:
        feeds += [
            reverse("source-feed", kwargs={"slug": source.slug}),
            reverse("source-feed-atom", kwargs={"slug": source.slug}),
        ]
    return {
        "front": [reverse("articles:index")],
        "story": [uri(reverse("articles:detail", kwargs={"slug": slug})) for slug, _ in stories],
        "source": [
            uri(reverse("articles:source", kwargs={"slug": source.slug})) for source in sources
        ],
        "archive": [reverse("articles:archive")] + [archive_day_url(day) for day in days],
        "search": [
            reverse("articles:search") + "?" + urllib.parse.urlencode({"q": query})
            for query in queries
        ],
        "feed": [uri(path) for path in feeds],
    }


def mix_script(paths: dict[str, list[str]]) -> str:
    """The wrk Lua script that asks for ``paths`` in the proportions of MIX."""
    groups = []
    for name, weight in MIX:
        # JSON strings of ASCII text are valid Lua strings.
        listed = ", ".join(json.dumps(path) for path in paths[name])
        groups.append(f"  {{name = {json.dumps(name)}, weight = {weight}, paths = {{{listed}}}}}")
    return LUA_REQUEST.replace("{groups}", "{\n" + ",\n".join(groups) + "\n}") + LUA_DONE


@dataclass
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    not_2xx_3xx: int
    socket_errors: dict[str, int]

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def socket_error_count(self) -> int:
        return sum(self.socket_errors.values())


def run_wrk(
    url: str,
    duration: int,
    connections: int,
    threads: int = 2,
    script: str = "",
) -> WrkResult:
    """Drive ``url`` with wrk (``script`` adds to the done() that reports back)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="load-bench-") as file:
        file.write((script or "") + ("" if "done = function" in script else LUA_DONE))
        file.flush()
        command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
        # A slow page is slow, not failed: wrk's 2 s default would count the
        # queue of an overloaded server as errors instead of as its p99.
        command += ["--timeout", "10s", "-s", file.name, url]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = re.search(r"^WRK_JSON (.*)$", output, re.MULTILINE)
    if line is None:
        sys.exit(f"wrk did not report its figures:\n{output}")
    data = json.loads(line.group(1))
    return WrkResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        not_2xx_3xx=data["status"],
        socket_errors={kind: data[kind] for kind in ("connect", "read", "write", "timeout")},
    )


def check_paths(base: str, paths: dict[str, list[str]]) -> None:
    """Ask once for the first address of each group: a broken route fails here, named."""
    import urllib.request

    for name, group in paths.items():
        url = base + group[0]
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                response.read()
        except OSError as error:
            sys.exit(f"{name}: {url} failed before the load: {error}")


def load_average() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    options = arguments()
    ensure_wrk()
    env = prepare_site(options.stories, options.reload, options.cache_url)
    paths = mix_paths()
    from django.db import connections

    connections.close_all()
    script = mix_script(paths)
    print(
        "mix: "
        + ", ".join(f"{name} {weight}% ({len(paths[name])} addresses)" for name, weight in MIX)
    )
    print(
        f"wrk -t{options.threads} -c{options.connections} -d{options.duration}s --latency; "
        f"gunicorn, {options.workers} sync workers on 127.0.0.1:{options.port}; "
        f"{os.cpu_count()} cores"
    )

    base = f"http://127.0.0.1:{options.port}"
    results = {}
    try:
        for name, seconds in CACHE_RUNS:
            flush_cache(options.cache_url)
            server = start_gunicorn(
                options.port, options.workers, {**env, "PAGE_CACHE_SECONDS": str(seconds)}
            )
            try:
                wait_until_up(base + "/healthz", server)
                check_paths(base, paths)
                print(f"{name}: load average before the run {load_average()}")
                results[name] = run_wrk(
                    base + "/",
                    options.duration,
                    options.connections,
                    options.threads,
                    script,
                )
            finally:
                server.terminate()
                server.wait(timeout=30)
    finally:
        shutil.rmtree(env["STATIC_ROOT"], ignore_errors=True)
    print(f"load average after the runs: {load_average()}")

    print()
    print(
        f"{'run':<16} {'requests':>9} {'req/s':>8} {'p50':>10} {'p99':>10} {'max':>10}"
        f" {'not 2xx/3xx':>12}  socket errors"
    )
    for name, result in results.items():
        errors = ", ".join(f"{kind} {count}" for kind, count in result.socket_errors.items())
        print(
            f"{name:<16} {result.requests:>9} {result.requests_per_second:>8.1f}"
            f" {result.p50_ms:>7.1f} ms {result.p99_ms:>7.1f} ms {result.max_ms:>7.1f} ms"
            f" {result.not_2xx_3xx:>12}  {errors}"
        )

    problems = [
        f"{name}: {result.not_2xx_3xx} responses not 2xx/3xx, "
        f"{result.socket_error_count} socket errors"
        for name, result in results.items()
        if result.not_2xx_3xx or result.socket_error_count
    ]
    cached = results[CACHE_RUNS[0][0]]
    verdict = "met" if cached.p99_ms < P99_TARGET_MS else "MISSED"
    print(
        f"\ntarget: p99 under {P99_TARGET_MS} ms with the page cache on: "
        f"{cached.p99_ms:.1f} ms, {verdict}"
    )
    if verdict != "met":
        problems.append(f"p99 {cached.p99_ms:.1f} ms with the page cache on")
    if problems:
        sys.exit("Failed: " + "; ".join(problems))


if __name__ == "__main__":
    main()
