"""deploy/varnish.vcl in a real varnishd (Debian's, with varnish-modules' xkey) before the site.

Each test starts its own varnishd, its backend the live server, so no test
sees another's cached pages. `make test` installs Varnish (`make varnish`);
run alone, the fixture asks make for it.
"""

import contextlib
import http.client
import http.server
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from articles import purges, transitions
from articles.models import Article

ROOT = Path(__file__).resolve().parents[2]
VCL = ROOT / "deploy" / "varnish.vcl"
START_SECONDS = 30

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def varnishd_path() -> str:
    """varnishd, installed through the Makefile's target when it is missing."""
    if shutil.which("varnishd") is None:
        subprocess.run(["make", "--no-print-directory", "varnish"], cwd=ROOT, check=True)
    path = shutil.which("varnishd")
    assert path, "varnishd is missing: run `make varnish` (Debian's varnish, varnish-modules)"
    return path


def wait_for(condition, seconds: float = 15.0) -> bool:
    """Whether ``condition()`` comes true within ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


class Varnish:
    """A running varnishd on ``port``; ``get`` and ``purge`` speak HTTP to it."""

    def __init__(self, port: int, log: Path):
        self.port, self.log = port, log

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(self, method, path, headers=None, source="127.0.0.1"):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=10, source_address=(source, 0)
        )
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read().decode()
        finally:
            connection.close()

    def get(self, path, **headers):
        return self.request("GET", path, {k.replace("_", "-"): v for k, v in headers.items()})


@contextlib.contextmanager
def running_varnish(tmp_path: Path, backend_port: int, probe_interval: str = "5s"):
    """Start varnishd with deploy/varnish.vcl, its backend and probe interval rewritten."""
    port_line = f'.port = "{backend_port}";'
    text, count = re.subn(r'\.port = "\d+";', port_line, VCL.read_text(), count=1)
    assert count == 1, "deploy/varnish.vcl's backend has no .port line to point at the test server"
    text = re.sub(r"\.interval = \S+;", f".interval = {probe_interval};", text, count=1)
    vcl = tmp_path / "varnish.vcl"
    vcl.write_text(text)
    port = free_port()
    log = tmp_path / "varnishd.log"
    # -j none: no jail, as the tests may run as root; -T none: no management port.
    command = [
        varnishd_path(),
        *("-F", "-j", "none", "-T", "none", "-a", f"127.0.0.1:{port}", "-f", str(vcl)),
        *("-n", str(tmp_path / "varnish"), "-s", "malloc,32m"),
        *("-p", "thread_pools=1", "-p", "thread_pool_min=5"),
    ]
    with log.open("w") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    cache = Varnish(port, log)
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert process.poll() is None, f"varnishd stopped:\n{log.read_text()}"
            try:
                cache.request("PURGE", "/", {"xkey-purge": "nothing"})
                break
            except OSError:
                assert time.monotonic() < deadline, f"varnishd did not answer:\n{log.read_text()}"
                time.sleep(0.2)
        yield cache
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def varnish(live_server, tmp_path, settings):
    """varnishd before the live server, named in HTTP_CACHE_PURGE_URLS."""
    with running_varnish(tmp_path, int(live_server.url.rsplit(":", 1)[1])) as cache:
        settings.HTTP_CACHE_PURGE_URLS = [cache.url]
        yield cache
        assert purges.wait()


class FakeSite(http.server.ThreadingHTTPServer):
    """A backend whose answers a test controls: ``body`` with ``cache_control``, or failing."""

    daemon_threads = True

    def __init__(self, cache_control):
        self.cache_control, self.body, self.failing = cache_control, "v1", False
        self.failed_probes = 0
        super().__init__(("127.0.0.1", 0), FakeSiteHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


class FakeSiteHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        site = self.server
        if site.failing:
            site.failed_probes += self.path == "/healthz"
            self.send_response(503 if self.path == "/healthz" else 500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = site.body.encode()
        self.send_response(200)
        self.send_header("Cache-Control", site.cache_control)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_site_behind_varnish(tmp_path):
    """Start a FakeSite with the given Cache-Control and a varnishd probing it twice a second."""
    with contextlib.ExitStack() as stack:

        def start(cache_control):
            site = FakeSite(cache_control)
            stack.callback(site.server_close)
            stack.callback(site.shutdown)
            cache = stack.enter_context(running_varnish(tmp_path, site.server_port, "0.5s"))
            return site, cache

        yield start


def test_anonymous_reader_page_is_a_hit_the_second_time(varnish, story):
    story()
    first, second = varnish.get("/"), varnish.get("/")
    assert (first[0], first[1]["X-Cache"]) == (200, "MISS")
    assert (second[0], second[1]["X-Cache"]) == (200, "HIT")


def test_other_cookies_do_not_keep_a_reader_from_the_cache(varnish, story):
    article = story()
    varnish.get(article.get_absolute_url())
    _, headers, _ = varnish.get(article.get_absolute_url(), Cookie="_ga=GA1.1.1; theme=dark")
    assert headers["X-Cache"] == "HIT"


def test_publish_purges_the_cached_front_page(varnish, story, editor):
    story(headline="خبر منشور قبل قليل")
    varnish.get("/")
    assert varnish.get("/")[1]["X-Cache"] == "HIT"
    draft = story(headline="خبر عاجل نشره المحرر الآن", status=Article.Status.DRAFT)
    transitions.release(draft)
    transitions.save([(draft, "نُشر")], ["status", "published_at", "released_at"], editor)
    assert purges.wait()
    status, headers, body = varnish.get("/")
    assert (status, headers["X-Cache"]) == (200, "MISS")
    assert "خبر عاجل نشره المحرر الآن" in body


def test_editors_pages_are_never_cached(varnish, story, editor, client):
    story()
    client.force_login(editor)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    for _ in range(2):
        status, headers, _ = varnish.get("/", Cookie=cookie)
        assert (status, headers["X-Cache"]) == (200, "MISS")
        assert "private" in headers["Cache-Control"]


def test_editors_preview_is_never_served_to_a_reader(varnish, story, editor, client):
    draft = story(status=Article.Status.DRAFT)
    client.force_login(editor)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    assert varnish.get(draft.get_absolute_url(), Cookie=cookie)[0] == 200
    assert varnish.get(draft.get_absolute_url())[0] == 404


def test_admin_is_never_cached(varnish):
    varnish.get("/admin/login/")
    assert varnish.get("/admin/login/")[1]["X-Cache"] == "MISS"


def test_cached_story_page_answers_a_conditional_get_with_304(varnish, story):
    article = story()
    etag = varnish.get(article.get_absolute_url())[1]["ETag"]
    status, headers, _ = varnish.get(article.get_absolute_url(), If_None_Match=etag)
    assert (status, headers["X-Cache"]) == (304, "HIT")


def test_purge_from_an_address_not_allowed_is_refused(varnish, story):
    story()
    varnish.get("/")
    status, _, _ = varnish.request("PURGE", "/", {"xkey-purge": "nav"}, source="127.0.0.2")
    assert status == 403
    assert varnish.get("/")[1]["X-Cache"] == "HIT"


def test_page_within_stale_while_revalidate_is_served_stale_and_fetched_again(
    fake_site_behind_varnish,
):
    site, cache = fake_site_behind_varnish("public, s-maxage=1, stale-while-revalidate=30")
    cache.get("/page")
    site.body = "v2"
    time.sleep(1.5)
    status, headers, body = cache.get("/page")
    assert (status, headers["X-Cache"], body) == (200, "HIT", "v1")
    assert wait_for(lambda: cache.get("/page")[2] == "v2")


def test_page_past_stale_while_revalidate_is_fetched_before_it_is_served(
    fake_site_behind_varnish,
):
    site, cache = fake_site_behind_varnish(
        "public, s-maxage=1, stale-while-revalidate=1, stale-if-error=3600"
    )
    cache.get("/page")
    site.body = "v2"
    time.sleep(2.5)
    status, headers, body = cache.get("/page")
    assert (status, headers["X-Cache"], body) == (200, "MISS", "v2")


def test_stale_page_is_served_while_the_site_fails(fake_site_behind_varnish):
    site, cache = fake_site_behind_varnish(
        "public, s-maxage=1, stale-while-revalidate=1, stale-if-error=3600"
    )
    cache.get("/page")
    site.failing = True
    time.sleep(2.5)  # Past s-maxage and stale-while-revalidate.
    # The probe's window holds 3 good answers of 5 at the start: the 3rd failure
    # makes the site sick; the 4th is asked only once Varnish knows it.
    assert wait_for(lambda: site.failed_probes >= 4)
    status, headers, body = cache.get("/page")
    assert (status, headers["X-Cache"], body) == (200, "HIT", "v1")
