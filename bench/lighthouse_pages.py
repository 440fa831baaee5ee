"""Lighthouse's four scores and LCP, CLS, TBT for the front, story, source and archive pages.

Run against a server that serves the site as production does (`make run`, or
gunicorn with DEBUG=0 after collectstatic), with a few published stories:

    .venv/bin/python bench/lighthouse_pages.py [--base-url http://127.0.0.1:8000] [--runs 1]

The story, source and archive pages are found by following the front page's
links (its first story, that story's source and its day in the archive), so
the site needs nothing but published stories. Lighthouse (package-lock.json,
`npm ci`) drives Debian's Chromium with its default mobile profile and
simulated throttling. The machine's load average is printed with the figures:
the performance score reads lower on a busy machine.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.tests.browser import support  # noqa: E402  (plain Playwright helpers, no Django)

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = {
    "FCP": "first-contentful-paint",
    "LCP": "largest-contentful-paint",
    "CLS": "cumulative-layout-shift",
    "TBT": "total-blocking-time",
}


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def first_link(base: str, body: str, prefix: str) -> str:
    for match in re.finditer(r'href="([^"]+)"', body):
        href = html.unescape(match.group(1))
        if href.startswith(prefix):
            return urljoin(base, href)
    raise SystemExit(f"No link starting with {prefix} on {base}: publish a few stories first.")


def reader_pages(base: str) -> dict[str, str]:
    """The four pages' URLs: the front page, then what its first story links to."""
    front = urljoin(base, "/")
    story = first_link(front, fetch(front), "/story/")
    story_body = fetch(story)
    return {
        "front": front,
        "story": story,
        "source": first_link(story, story_body, "/source/"),
        "archive": first_link(story, story_body, "/archive/2"),
    }


def run_lighthouse(url: str) -> dict:
    """Lighthouse's JSON report (lhr) for ``url``; a failed trace is run again (support)."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        completed = support.run_lighthouse(url, report, CATEGORIES)
        if completed.returncode != 0:
            sys.exit(f"Lighthouse failed on {url}:\n{completed.stderr[-3000:]}")
        return json.loads(report.read_text())


def summary(lhr: dict) -> str:
    scores = " ".join(
        f"{name[:4]} {round(lhr['categories'][name]['score'] * 100):3d}" for name in CATEGORIES
    )
    metrics = " ".join(
        f"{label} {lhr['audits'][audit]['displayValue']}" for label, audit in METRICS.items()
    )
    return f"{scores}  {metrics}"


def failing_audits(lhr: dict) -> list[str]:
    """The audits of the four categories that did not pass, with their weight."""
    found = []
    for name in CATEGORIES:
        for ref in lhr["categories"][name]["auditRefs"]:
            audit = lhr["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                found.append(f"{name}/{ref['id']} {audit['score']:.2f}: {audit['title']}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page")
    parser.add_argument("--pages", nargs="*", help="only these of front, story, source, archive")
    options = parser.parse_args()
    pages = reader_pages(options.base_url)
    for name, url in pages.items():
        if options.pages and name not in options.pages:
            continue
        for _ in range(options.runs):
            load = os.getloadavg()[0]
            lhr = run_lighthouse(url)
            print(f"{name:8} {summary(lhr)}  (load {load:.2f})", flush=True)
            for line in failing_audits(lhr):
                print(f"         {line}", flush=True)


if __name__ == "__main__":
    main()
