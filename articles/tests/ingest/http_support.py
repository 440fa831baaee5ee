"""A real HTTP server on 127.0.0.1 for the feed tests, and the answers it gives.

``LocalServer`` runs ``http.server`` in a thread on a port the system picks;
a test says what each path answers (``serve``) and reads back what each
request carried (``requests``). Slow answers wait on ``released``, which
the ``local_server`` fixture (conftest.py) sets when the test ends, so no
thread outlives its test for long.
"""

from __future__ import annotations

import dataclasses
import gzip
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FEEDS = Path(__file__).resolve().parents[1] / "data" / "feeds"
Route = Callable[[BaseHTTPRequestHandler], None]


@dataclasses.dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]


class LocalServer:
    """What each path answers, and every request it was asked."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.released = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.requests.append(Request(self.path, dict(self.headers.items())))
                route = server.routes.get(self.path)
                if route is None:
                    answer(self, 404, b"not here")
                else:
                    route(self)

            def log_message(self, *args) -> None:
                pass  # The test says what went wrong, not the server's log.

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        # A short poll interval: shutdown() waits for one, at the end of every test.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.released.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}{path}"

    def serve(self, path: str, route: Route) -> str:
        """Answer ``path`` with ``route``; return its URL."""
        self.routes[path] = route
        return self.url(path)

    def requests_to(self, path: str) -> list[Request]:
        return [request for request in self.requests if request.path == path]


def answer(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> None:
    """Send ``status`` with ``body`` and ``headers``, and a Content-Length."""
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def body(data: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Route:
    """Always answer ``data``."""
    return lambda handler: answer(handler, status, data, headers)


def feed(data: bytes, etag: str, last_modified: str) -> Route:
    """Answer ``data`` with validators, or 304 when the request carries a matching one."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        validators = {"ETag": etag, "Last-Modified": last_modified}
        if handler.headers.get("If-None-Match") == etag:
            answer(handler, 304, headers=validators)
        else:
            answer(handler, 200, data, {"Content-Type": "application/rss+xml", **validators})

    return route


def gzipped(data: bytes) -> Route:
    """Answer ``data`` gzip-compressed, as a server does to a client that accepts it."""
    compressed = gzip.compress(data)
    return body(compressed, headers={"Content-Encoding": "gzip"})


def redirect(to: str, status: int = 302) -> Route:
    return body(b"", status, {"Location": to})


def slow(server: LocalServer, seconds: float) -> Route:
    """Answer nothing for ``seconds`` (or until the test ends), then a feed."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        server.released.wait(seconds)
        answer(handler, 200, read_feed("rss_amman_culture.xml"))

    return route


def trickle(server: LocalServer, data: bytes, pause: float) -> Route:
    """Send the headers, then ``data`` a byte at a time, ``pause`` seconds apart."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        for byte in data:
            if server.released.wait(pause):
                return
            try:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
            except OSError:
                return  # The client gave up, as it should.

    return route


def unbounded(chunk: bytes, count: int) -> Route:
    """Send ``chunk`` ``count`` times with no Content-Length: the end is when the server closes."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True
        try:
            for _ in range(count):
                handler.wfile.write(chunk)
        except OSError:
            return  # The client stopped reading at its bound.

    return route


def read_feed(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def seconds_since(start: float) -> float:
    return time.monotonic() - start
