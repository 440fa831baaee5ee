"""What the browser tests do to a page: open and record it, axe-core, screenshots, vnu, Lighthouse.

Plain functions over Playwright's sync API; ``conftest.py`` hands them out as
fixtures. Nothing here touches the database.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
# From package-lock.json, installed by `make test` (npm ci).
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    # Root in a container has no user namespaces for Chromium's sandbox.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Chromium's own look-ups of outside hosts (and any a page makes) fail at once.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
# Lighthouse's own advice on a failed trace ("NO_NAVSTART" and its kind): run
# it again. Seen once in some dozens of runs on this machine, and once twice in
# a row in CI, hence several tries a few seconds apart.
LIGHTHOUSE_RUN_AGAIN = "Please run Lighthouse again"
LIGHTHOUSE_ATTEMPTS = 4
LIGHTHOUSE_PAUSE = 3  # seconds between two tries


def lighthouse_chrome_flags() -> str:
    """The project's Chromium flags as one --chrome-flags value.

    Lighthouse splits the value on spaces unless a flag's value is quoted
    (--host-resolver-rules has spaces).
    """
    flags = ["--headless=new", *CHROMIUM_ARGS]
    return " ".join(
        f'{flag.split("=", 1)[0]}="{flag.split("=", 1)[1]}"' if " " in flag else flag
        for flag in flags
    )


def run_lighthouse(
    url: str, report: os.PathLike, categories: list[str]
) -> subprocess.CompletedProcess:
    """Run Lighthouse (its default mobile profile) on ``url``, its JSON report to ``report``.

    A failed trace is run again, up to ``LIGHTHOUSE_ATTEMPTS`` times in all;
    the last run is returned, its log (stderr) saying why it failed, if it did.
    """
    for _ in range(LIGHTHOUSE_ATTEMPTS - 1):
        completed = _lighthouse_once(url, report, categories)
        if completed.returncode == 0 or LIGHTHOUSE_RUN_AGAIN not in completed.stderr:
            return completed
        time.sleep(LIGHTHOUSE_PAUSE)
    return _lighthouse_once(url, report, categories)


def _lighthouse_once(
    url: str, report: os.PathLike, categories: list[str]
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(categories)}",
            f"--chrome-flags={lighthouse_chrome_flags()}",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


PHONE_WIDTH = 390
DESKTOP_WIDTH = 1280
SCREEN_HEIGHT = 900
SERIOUS_IMPACTS = {"serious", "critical"}
# Addresses a page may "request" without the network.
LOCAL_SCHEMES = {"data", "blob", "about"}


@dataclass
class Visit:
    """One page load and everything it did, as recorded from the start."""

    page: Page
    url: str
    status: int | None
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def external_requests(self) -> list[str]:
        """Requests to any host but the one the page was served from."""
        origin = urlsplit(self.url).netloc
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).netloc != origin
        ]


def open_page(page: Page, url: str) -> Visit:
    """Load ``url`` in ``page``, recording its requests and console errors; wait for fonts.

    The listeners stay on the page, so anything done afterwards (clicks, axe)
    is recorded on the same Visit.
    """
    visit = Visit(page=page, url=url, status=None)
    page.on("request", lambda request: visit.requests.append(request.url))
    page.on(
        "console",
        lambda message: (
            visit.console_errors.append(f"{message.text} ({message.location.get('url', '')})")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: visit.console_errors.append(f"uncaught: {error}"))
    response = page.goto(url, wait_until="load")
    visit.status = response.status if response else None
    page.evaluate("() => document.fonts.ready.then(() => true)")
    return visit


def assert_no_external_requests(visit: Visit) -> None:
    external = visit.external_requests()
    assert not external, f"{visit.url} requested other hosts: {external}"


def font_statuses(page: Page, family: str) -> list[str]:
    """The load status of each @font-face of ``family`` once the page's fonts are ready."""
    return page.evaluate(
        """family => document.fonts.ready.then(fonts =>
            [...fonts].filter(face => face.family.replace(/["']/g, "") === family)
                      .map(face => face.status))""",
        family,
    )


def document_direction(page: Page) -> dict[str, str]:
    return page.evaluate(
        "() => ({lang: document.documentElement.lang, dir: document.documentElement.dir})"
    )


def run_axe(page: Page) -> list[dict]:
    """axe-core's violations on the page as it is now (WCAG 2.x A and AA, and best practice).

    The script is added as a <script> element: a page with a Content-Security-Policy
    forbidding inline scripts needs a context opened with ``bypass_csp=True``.
    """
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def serious_violations(violations: list[dict]) -> list[dict]:
    return [violation for violation in violations if violation["impact"] in SERIOUS_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    """One readable line per violation and offending element, for an assertion message."""
    lines = []
    for violation in violations:
        for node in violation["nodes"][:5]:
            lines.append(
                f"{violation['impact']} {violation['id']}: {violation['help']} at {node['target']}"
            )
    return "\n".join(lines)


def artifact_name(name: str) -> str:
    return re.sub(r"[^\w.-]+", "-", name).strip("-")


def save_screenshots(
    page: Page, name: str, widths: tuple[int, ...] = (PHONE_WIDTH, DESKTOP_WIDTH)
) -> list[Path]:
    """Full-page screenshots of ``page`` at each width, under test-artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    paths = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": SCREEN_HEIGHT})
        path = SCREENSHOTS / f"{artifact_name(name)}-{width}.png"
        page.screenshot(path=path, full_page=True)
        paths.append(path)
    if original:
        page.set_viewport_size(original)
    return paths


def check_html(documents: dict[str, str], folder: Path) -> dict[str, list[dict]]:
    """The W3C Nu HTML Checker's errors for each named HTML document, in one Java run.

    Starting the JVM takes seconds, so every document goes through one
    ``java -jar vnu.jar`` invocation. Returns {name: [message, ...]}.
    """
    java = shutil.which("java")
    assert java, "Java is missing: `make test` installs default-jre-headless"
    assert VNU_JAR.exists(), f"{VNU_JAR} is missing: `make test` runs npm ci"
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, html in documents.items():
        path = folder / f"{artifact_name(name)}.html"
        path.write_text(html, encoding="utf-8")
        paths[name] = path
    completed = subprocess.run(
        [
            java,
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            *map(str, paths.values()),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    # The checker reports on stderr, and exits 1 when it found errors.
    report = json.loads(completed.stderr)
    errors: dict[str, list[dict]] = {name: [] for name in documents}
    by_file = {path.resolve(): name for name, path in paths.items()}
    for message in report["messages"]:
        location = urlsplit(message.get("url", "")).path
        name = by_file.get(Path(location).resolve())
        if name is None:
            raise AssertionError(f"The Nu checker failed: {message}")
        errors[name].append(message)
    return errors


def describe_html_errors(messages: list[dict]) -> str:
    return "\n".join(
        f"line {message.get('lastLine')}: {message.get('message')} [{message.get('extract', '')}]"
        for message in messages
    )
