"""articles.ingest.http_fetch, against a real HTTP server on 127.0.0.1."""

import gzip
import ipaddress
import threading
import time

import pytest

from articles.ingest import shutdown
from articles.ingest.http_fetch import MAX_REDIRECTS, USER_AGENT, FetchError, FetchStopped, fetch
from articles.tests.ingest.http_support import (
    answer,
    body,
    feed,
    gzipped,
    read_feed,
    redirect,
    seconds_since,
    slow,
    trickle,
    unbounded,
)

FEED = read_feed("rss_amman_culture.xml")
ETAG = '"amman-culture-v1"'
LAST_MODIFIED = "Tue, 26 Nov 2024 17:30:00 GMT"
LIMIT = 64 * 1024


def get(url, **options):
    """Fetch from the test's server, which is on loopback: allowed here, unless said otherwise."""
    options.setdefault("allow_private", True)
    return fetch(url, timeout=options.pop("timeout", 5.0), max_bytes=LIMIT, **options)


def test_a_server_on_an_internal_address_is_refused_before_anything_is_sent(local_server):
    local_server.serve("/feed.xml", body(FEED))
    with pytest.raises(FetchError) as refused:
        get(local_server.url("/feed.xml"), allow_private=False)
    assert "عنوان داخلي (127.0.0.1)" in refused.value.message
    assert local_server.requests == []


def test_a_redirect_to_an_internal_address_is_refused(local_server, monkeypatch):
    # A public server sending the worker inside its own network: the hop to
    # loopback is checked as the first was (here every hop is on loopback,
    # so the check is made to pass for the first connection only).
    local_server.serve("/public", redirect("/feed.xml"))
    local_server.serve("/feed.xml", body(FEED))
    real = ipaddress.IPv4Address.is_global
    seen = []

    def first_is_public(address):
        seen.append(address)
        return len(seen) == 1 or real.fget(address)

    monkeypatch.setattr(ipaddress.IPv4Address, "is_global", property(first_is_public))
    with pytest.raises(FetchError) as refused:
        get(local_server.url("/public"), allow_private=False)
    assert "عنوان داخلي" in refused.value.message
    assert [request.path for request in local_server.requests] == ["/public"]


def test_a_200_brings_the_body_its_validators_and_our_user_agent(local_server):
    url = local_server.serve("/feed.xml", feed(FEED, ETAG, LAST_MODIFIED))
    fetched = get(url)
    assert (fetched.status, fetched.body, fetched.url) == (200, FEED, url)
    assert (fetched.etag, fetched.last_modified) == (ETAG, LAST_MODIFIED)
    (request,) = local_server.requests
    assert request.headers["User-Agent"] == USER_AGENT and "newsportal" in USER_AGENT
    assert request.headers["Accept-Encoding"] == "gzip"
    assert "If-None-Match" not in request.headers


def test_the_validators_go_back_and_a_304_has_no_body(local_server):
    url = local_server.serve("/feed.xml", feed(FEED, ETAG, LAST_MODIFIED))
    fetched = get(url, etag=ETAG, last_modified=LAST_MODIFIED)
    assert fetched.is_not_modified and fetched.body == b""
    (request,) = local_server.requests
    assert request.headers["If-None-Match"] == ETAG
    assert request.headers["If-Modified-Since"] == LAST_MODIFIED


@pytest.mark.parametrize(
    ("status", "said"), [(500, "خطأ داخلي"), (503, "غير متاح"), (404, "غير موجود"), (418, "رفض")]
)
def test_an_error_status_is_a_failure_naming_it(local_server, status, said):
    url = local_server.serve("/feed.xml", body(b"oops", status))
    with pytest.raises(FetchError, match=said) as error:
        get(url)
    assert error.value.status == status and f"HTTP {status}" in error.value.message


def test_an_answer_slower_than_the_timeout_fails_in_time(local_server):
    url = local_server.serve("/slow.xml", slow(local_server, 10))
    start = time.monotonic()
    with pytest.raises(FetchError, match="انتهت المهلة") as error:
        get(url, timeout=0.5)
    assert seconds_since(start) < 3 and error.value.status is None


@pytest.fixture
def stop_later():
    """Ask the worker to stop after ``seconds``, from another thread; cleared after the test."""
    timers = []

    def stop(seconds: float) -> None:
        timers.append(threading.Timer(seconds, shutdown.request))
        timers[-1].start()

    yield stop
    for timer in timers:
        timer.cancel()
    shutdown.clear()


@pytest.mark.parametrize("answer_route", ["slow", "trickle"])
def test_a_stop_gives_up_an_answer_still_awaited_at_once(local_server, stop_later, answer_route):
    routes = {"slow": slow(local_server, 30), "trickle": trickle(local_server, FEED, 0.2)}
    url = local_server.serve("/feed.xml", routes[answer_route])
    start = time.monotonic()
    stop_later(0.5)
    with pytest.raises(FetchStopped, match="توقف العامل"):
        get(url, timeout=20)
    assert seconds_since(start) < 2


def test_a_stop_asked_before_the_fetch_sends_nothing(local_server):
    url = local_server.serve("/feed.xml", body(FEED))
    shutdown.request()
    try:
        with pytest.raises(FetchStopped):
            get(url)
    finally:
        shutdown.clear()
    assert local_server.requests_to("/feed.xml") == []


def test_a_body_trickling_past_the_timeout_fails_though_each_byte_is_quick(local_server):
    url = local_server.serve("/trickle.xml", trickle(local_server, FEED[:200], 0.1))
    start = time.monotonic()
    with pytest.raises(FetchError, match="انتهت المهلة"):
        get(url, timeout=0.8)
    assert seconds_since(start) < 3


def test_gzip_is_decompressed(local_server):
    url = local_server.serve("/feed.xml", gzipped(FEED))
    assert get(url).body == FEED


def test_a_gzip_file_served_as_it_is_is_decompressed_too(local_server):
    url = local_server.serve("/feed.xml.gz", body(gzip.compress(FEED)))
    assert get(url).body == FEED


def test_a_gzip_bomb_stops_at_the_limit(local_server):
    bomb = gzip.compress(b"<" * (50 * LIMIT))
    assert len(bomb) < LIMIT
    url = local_server.serve("/bomb.xml", body(bomb, headers={"Content-Encoding": "gzip"}))
    with pytest.raises(FetchError, match="بعد فك ضغطه أكبر من الحد"):
        get(url)


def test_broken_gzip_is_a_failure(local_server):
    url = local_server.serve(
        "/feed.xml", body(b"\x1f\x8bnot gzip", headers={"Content-Encoding": "gzip"})
    )
    with pytest.raises(FetchError, match="gzip تالف"):
        get(url)


def test_a_declared_size_past_the_limit_is_refused_before_reading(local_server):
    url = local_server.serve("/big.xml", body(b"x" * (LIMIT + 1)))
    with pytest.raises(FetchError, match="أكبر من الحد") as error:
        get(url)
    assert "INGEST_MAX_FEED_BYTES" in error.value.message


def test_an_undeclared_size_stops_being_read_at_the_limit(local_server):
    url = local_server.serve("/endless.xml", unbounded(b"x" * 8192, 1000))
    with pytest.raises(FetchError, match="أكبر من الحد"):
        get(url)


def test_redirects_are_followed_within_the_limit(local_server):
    local_server.serve("/feed.xml", body(FEED))
    for hop in range(MAX_REDIRECTS):
        target = "/feed.xml" if hop == MAX_REDIRECTS - 1 else f"/hop{hop + 1}"
        local_server.serve(f"/hop{hop}", redirect(target, status=(301, 302, 307, 308)[hop % 4]))
    fetched = get(local_server.url("/hop0"))
    assert fetched.body == FEED and fetched.url == local_server.url("/feed.xml")
    assert len(local_server.requests) == MAX_REDIRECTS + 1


def test_the_validators_go_along_every_redirect(local_server):
    local_server.serve("/old.xml", redirect("/feed.xml", 301))
    local_server.serve("/feed.xml", feed(FEED, ETAG, LAST_MODIFIED))
    assert get(local_server.url("/old.xml"), etag=ETAG).is_not_modified
    assert all(request.headers["If-None-Match"] == ETAG for request in local_server.requests)


def test_one_redirect_past_the_limit_fails(local_server):
    for hop in range(MAX_REDIRECTS + 1):
        local_server.serve(f"/hop{hop}", redirect(f"/hop{hop + 1}"))
    local_server.serve(f"/hop{MAX_REDIRECTS + 1}", body(FEED))
    with pytest.raises(FetchError, match=f"أكثر من {MAX_REDIRECTS} مرات"):
        get(local_server.url("/hop0"))
    assert len(local_server.requests) == MAX_REDIRECTS + 1


def test_a_redirect_loop_fails(local_server):
    local_server.serve("/a", redirect("/b"))
    local_server.serve("/b", redirect("/a"))
    with pytest.raises(FetchError, match="أكثر من"):
        get(local_server.url("/a"))


def test_a_redirect_out_of_http_is_not_followed(local_server):
    url = local_server.serve("/feed.xml", redirect("file:///etc/passwd"))
    with pytest.raises(FetchError, match="ليس http ولا https"):
        get(url)


def test_a_redirect_without_a_location_fails(local_server):
    url = local_server.serve("/feed.xml", lambda handler: answer(handler, 302))
    with pytest.raises(FetchError, match="دون أن يذكر إلى أين"):
        get(url)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://wire.example/feed.xml", "feed.xml"])
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(FetchError, match="ليس http ولا https"):
        get(url)


def test_a_closed_port_is_a_failure_saying_so(local_server):
    url = local_server.url("/feed.xml")
    local_server.stop()
    with pytest.raises(FetchError, match="رفض الخادم"):
        get(url)
