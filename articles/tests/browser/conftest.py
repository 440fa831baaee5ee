"""Fixtures for tests that drive Debian's Chromium through Playwright (pytest-playwright).

`make test` installs what these need: the `chromium` Debian package
(/usr/bin/chromium), Java, and axe-core and vnu-jar from package-lock.json
(`npm ci`). Never `playwright install`: it downloads a browser, which cannot
work here.

Using them in a test of this folder, e.g. an admin page::

    pytestmark = pytest.mark.browser

    def test_article_list_is_accessible(served_page, assert_no_external_requests, axe,
                                        screenshots, admin_user):
        visit = served_page("/admin/login/")  # live_server + path, in pytest-playwright's `page`
        visit.page.fill("#id_username", admin_user.username)
        ...
        assert visit.status == 200
        assert visit.console_errors == []
        assert_no_external_requests(visit)
        assert serious_violations(axe(visit.page)) == []  # from articles.tests.browser.support
        screenshots(visit.page, "admin-article-list")  # test-artifacts/screenshots/

- ``browser_type_launch_args``: launches /usr/bin/chromium with the flags the
  project needs (no sandbox as root, no outside look-ups); pytest-playwright's
  ``browser``, ``context`` and ``page`` fixtures use it.
- ``served_page(path)`` -> ``support.Visit``: loads ``live_server.url + path`` in
  ``page``, recording every request URL and console error from the start, and
  waits for the web fonts. ``visit.page`` is the Playwright page.
- ``assert_no_external_requests(visit)``: fails naming any request to another host.
- ``axe(page)`` -> axe-core's violations (``support.serious_violations`` keeps
  the serious and critical ones, ``support.describe_violations`` prints them).
- ``screenshots(page, name)``: full-page PNGs at 390 and 1280 px wide.
- ``html_errors({name: html, ...})`` -> {name: [Nu checker error, ...]}: call it
  once with every document, as each call starts a JVM (seconds).

pytest-playwright's ``playwright``, ``browser_type``, ``launch_browser``,
``browser`` and ``browser_context_args`` are overridden here with package scope
(see the comment below).

``live_server`` makes a test transactional: Django empties (flushes) the
database after it, rows that migrations created (the editor groups) included,
so create what the test needs inside it.
"""

import os
import time
from unittest import mock

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

from articles.tests.browser import support

# Playwright's sync API keeps an asyncio event loop running in the main
# thread (in a greenlet) from start to stop. While it runs:
# - Django sees that loop and refuses the tests' ORM calls
#   (SynchronousOnlyOperation), although they are plain blocking calls made
#   between browser steps, never inside a coroutine: DJANGO_ALLOW_ASYNC_UNSAFE
#   lifts that check (https://docs.djangoproject.com/en/5.2/topics/async/);
# - asgiref counts the main thread as async and hands it a second set of
#   database connections, which pytest-django never closes, so the test
#   database could not be dropped at the end.
# So Playwright runs only while this package's tests do (pytest-playwright
# keeps it for the whole session), with the variable set only meanwhile, and
# the connections it caused are closed before it stops. Other tests, and the
# subprocesses they start, never see either.
ALLOW_ORM_BESIDE_PLAYWRIGHT = {"DJANGO_ALLOW_ASYNC_UNSAFE": "true"}


@pytest.fixture(scope="package")
def playwright():
    with mock.patch.dict(os.environ, ALLOW_ORM_BESIDE_PLAYWRIGHT):
        driver = sync_playwright().start()
        try:
            yield driver
        finally:
            connections.close_all()
            driver.stop()


@pytest.fixture(scope="package")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="package")
def launch_browser(browser_type_launch_args, browser_type):
    def launch(**kwargs):
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="package")
def browser(launch_browser):
    browser = launch_browser()
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium; `--browser-channel` cannot find it."""
    return {
        **browser_type_launch_args,
        "executable_path": support.CHROMIUM,
        "args": support.CHROMIUM_ARGS,
    }


@pytest.fixture(scope="package")
def browser_context_args():
    # Not built on pytest-playwright's own, which needs its session-long
    # `playwright` (for --device); the project uses no device emulation.
    return {"locale": "ar"}


@pytest.fixture
def page(context):
    """pytest-playwright's ``page``, left before the test's teardown empties the database.

    A page sends requests as it goes (the story form's unlock beacon, its edit
    lock's heartbeat). Answered while a transactional test's flush truncates
    the tables, such a request and the flush deadlock. So the page is left
    for about:blank and every request still in flight is waited for (up to
    ``SETTLE_SECONDS``) before the test's fixtures are torn down.
    """
    opened = context.new_page()
    in_flight = set()
    context.on("request", lambda request: in_flight.add(request))
    context.on("requestfinished", lambda request: in_flight.discard(request))
    context.on("requestfailed", lambda request: in_flight.discard(request))
    yield opened
    if opened.is_closed():
        return
    opened.goto("about:blank")
    deadline = time.monotonic() + SETTLE_SECONDS
    while in_flight and time.monotonic() < deadline:
        opened.wait_for_timeout(50)


SETTLE_SECONDS = 5


@pytest.fixture
def served_page(page, live_server):
    """Open a path of the live server in ``page``; returns a ``support.Visit``."""

    def serve(path: str) -> support.Visit:
        return support.open_page(page, live_server.url + path)

    return serve


@pytest.fixture(scope="session")
def assert_no_external_requests():
    return support.assert_no_external_requests


@pytest.fixture(scope="session")
def axe():
    return support.run_axe


@pytest.fixture(scope="session")
def screenshots():
    return support.save_screenshots


@pytest.fixture(scope="session")
def html_errors(tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")

    def check(documents: dict[str, str]) -> dict[str, list[dict]]:
        return support.check_html(documents, folder)

    return check
