"""Fetch one ingest source's URL: bounded in time and size, conditional, redirects counted.

``fetch`` asks with the validators of the last answer (``If-None-Match``,
``If-Modified-Since``), so an unchanged feed costs a 304 and no body. It
follows redirects itself, up to ``MAX_REDIRECTS``, and only ever to http or
https; asks for gzip and decompresses it without ever holding more than the
size limit (a gzip bomb is stopped at the limit, not after); reads at most
the size limit from the wire; and gives up once the whole exchange has taken
longer than the timeout, however slowly the server trickles. Every failure
is a ``FetchError`` whose message says in Arabic what went wrong. A worker
asked to stop (articles/ingest/shutdown.py) does not wait for the answer:
its sockets are shut at once and ``FetchStopped`` says so.

The standard library's urllib, for its proxy and TLS defaults (``HTTPS_PROXY``
and the system's certificates), with its automatic redirects switched off:
https://docs.python.org/3/library/urllib.request.html
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.client
import ipaddress
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib

from articles.ingest import shutdown

MAX_REDIRECTS = 5
USER_AGENT = "newsportal-ingest/1.0 (+wire feed poller)"
_CHUNK_BYTES = 64 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)
_GZIP = ("gzip", "x-gzip")
_GZIP_MAGIC = b"\x1f\x8b"
# What a status means, in the words of the source's last error.
_STATUS_REASONS = {
    400: "طلب مرفوض",
    401: "يطلب الخادم تسجيل الدخول",
    403: "الوصول ممنوع",
    404: "الرابط غير موجود",
    410: "أُزيل الرابط نهائياً",
    429: "طلبات كثيرة؛ يطلب الخادم التمهل",
    500: "خطأ داخلي في خادم المصدر",
    502: "بوابة خادم المصدر لم تتلقّ جواباً سليماً",
    503: "خادم المصدر غير متاح الآن",
    504: "انتهت مهلة بوابة خادم المصدر",
}


class FetchError(Exception):
    """A fetch that brought no usable answer; ``status`` is the HTTP status, if one came."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status


class FetchStopped(FetchError):
    """The worker was asked to stop before the answer came: nothing is wrong with the source."""

    def __init__(self) -> None:
        super().__init__("توقف العامل قبل أن يكتمل جواب خادم المصدر؛ يُعاد في الاستطلاع التالي")


@dataclasses.dataclass(frozen=True)
class Fetched:
    """A usable answer: 200 (or another 2xx) with its body, or 304 with none."""

    status: int
    url: str
    body: bytes = b""
    # The validators to send next time; "" when the server gave none.
    etag: str = ""
    last_modified: str = ""

    @property
    def is_not_modified(self) -> bool:
        return self.status == 304


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand every redirect back as an answer: ``fetch`` counts and checks them itself."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class PrivateAddress(OSError):
    """The server's address is this network's own (loopback, private, link-local...)."""


class _Sockets:
    """The sockets one fetch opened, to shut if the worker is asked to stop."""

    def __init__(self) -> None:
        self.opened: list[socket.socket] = []

    def shut(self) -> None:
        for sock in self.opened:
            with contextlib.suppress(OSError):  # Closed already: nothing to wake.
                sock.shutdown(socket.SHUT_RDWR)


def _connection(connection_class, sockets: _Sockets, *, public_only: bool):
    """``connection_class`` whose sockets ``sockets`` keeps; refusing, if ``public_only``,
    once connected, a peer that is not a public address.

    Checked on the socket itself, after the connection is made, so a name
    that resolves to a public address when looked up and to an internal one
    when connected (DNS rebinding) is refused too.
    """

    class Connection(connection_class):
        def connect(self):
            super().connect()
            sockets.opened.append(self.sock)
            if not public_only:
                return
            peer = ipaddress.ip_address(self.sock.getpeername()[0].split("%")[0])
            if not peer.is_global:
                self.sock.close()
                raise PrivateAddress(str(peer))

    return Connection


def _opener(sockets: _Sockets, *, allow_private: bool) -> urllib.request.OpenerDirector:
    """One opener a fetch (the worker polls sources in threads), its redirects handed back."""
    public_only = not allow_private

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req):
            connection = _connection(http.client.HTTPConnection, sockets, public_only=public_only)
            return self.do_open(connection, req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            connection = _connection(http.client.HTTPSConnection, sockets, public_only=public_only)
            return self.do_open(connection, req, context=self._context)

    return urllib.request.build_opener(_NoRedirects, HTTPHandler, HTTPSHandler)


def fetch(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    etag: str = "",
    last_modified: str = "",
    max_redirects: int = MAX_REDIRECTS,
    allow_private: bool = False,
) -> Fetched:
    """GET ``url``; return the answer, or raise FetchError saying why there is none.

    ``timeout`` bounds the whole exchange, redirects included, in seconds;
    ``max_bytes`` the body, on the wire and once decompressed. Unless
    ``allow_private``, a server at an address that is not public (loopback,
    a private network, link-local such as a cloud's metadata service) is
    refused at every hop: a source's URL is typed by an editor, and must not
    make the worker reach inside the network it runs in (SSRF).
    """
    deadline = time.monotonic() + timeout
    sockets = _Sockets()
    opener = _opener(sockets, allow_private=allow_private)
    with shutdown.on_request(sockets.shut):
        try:
            if shutdown.requested():
                raise FetchStopped()
            fetched = _fetch(
                opener, url, deadline, timeout, max_bytes, etag, last_modified, max_redirects
            )
        except (FetchError, OSError):
            if shutdown.requested():
                raise FetchStopped() from None
            raise
        # A socket shut mid-body reads as the body's end: what came is not all of it.
        if shutdown.requested():
            raise FetchStopped()
        return fetched


def _fetch(
    opener: urllib.request.OpenerDirector,
    url: str,
    deadline: float,
    timeout: float,
    max_bytes: int,
    etag: str,
    last_modified: str,
    max_redirects: int,
) -> Fetched:
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    for _hop in range(max_redirects + 1):
        _check_scheme(url)
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 (checked above)
        try:
            with _open(opener, request, deadline, timeout) as response:
                status = response.status
                if status in _REDIRECTS:
                    url = _redirect_target(url, response.headers.get("Location"), status)
                    continue
                if status == 304:
                    return Fetched(304, url, etag=etag, last_modified=last_modified)
                if not 200 <= status < 300:
                    raise FetchError(_status_message(status, response.reason), status=status)
                body = _read_body(response, deadline, timeout, max_bytes)
                return Fetched(
                    status,
                    url,
                    body,
                    etag=response.headers.get("ETag", "").strip(),
                    last_modified=response.headers.get("Last-Modified", "").strip(),
                )
        except TimeoutError:
            raise FetchError(_timeout_message(timeout)) from None
        except (http.client.HTTPException, ConnectionError) as error:
            raise FetchError(f"انقطع الاتصال بخادم المصدر قبل اكتمال الجواب ({error!r})") from None
    raise FetchError(
        f"أعاد الخادم التوجيه أكثر من {max_redirects} مرات؛ "
        "تحقق من الرابط أو اكتب الرابط الأخير مباشرة"
    )


def _open(
    opener: urllib.request.OpenerDirector,
    request: urllib.request.Request,
    deadline: float,
    timeout: float,
):
    """Open ``request``; an HTTP error status comes back as the response it is."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(_timeout_message(timeout))
    try:
        return opener.open(request, timeout=left)
    except urllib.error.HTTPError as error:
        # A status urllib calls an error (3xx, 4xx, 5xx) is an answer we read ourselves.
        return error
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, PrivateAddress):
            host = urllib.parse.urlsplit(request.full_url).hostname or request.full_url
            raise FetchError(
                f"الخادم {host} على عنوان داخلي ({reason}) لا عام؛ لا يُستطلع إلا ما على الإنترنت "
                "(INGEST_ALLOW_PRIVATE_ADDRESSES=1 يسمح بالشبكة الداخلية)"
            ) from None
        if isinstance(reason, TimeoutError):
            raise FetchError(_timeout_message(timeout)) from None
        host = urllib.parse.urlsplit(request.full_url).hostname or request.full_url
        if isinstance(reason, ssl.SSLError):
            raise FetchError(
                f"تعذّر الاتصال الآمن بـ {host}: شهادة TLS غير مقبولة ({reason})"
            ) from None
        if isinstance(reason, socket.gaierror):
            raise FetchError(f"اسم الخادم {host} غير معروف؛ تحقق من الرابط") from None
        if isinstance(reason, ConnectionRefusedError):
            raise FetchError(f"رفض الخادم {host} الاتصال؛ هل يعمل وعلى هذا المنفذ؟") from None
        raise FetchError(f"تعذّر الاتصال بـ {host}: {reason}") from None


def _check_scheme(url: str) -> None:
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"الرابط «{url}» ليس http ولا https؛ لا يُستطلع غيرهما")


def _redirect_target(url: str, location: str | None, status: int) -> str:
    if not location:
        raise FetchError(f"أعاد الخادم التوجيه (HTTP {status}) دون أن يذكر إلى أين", status=status)
    target = urllib.parse.urljoin(url, location.strip())
    scheme = urllib.parse.urlsplit(target).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(
            f"أعاد الخادم التوجيه إلى «{target}»، وليس http ولا https؛ لم يُتبع", status=status
        )
    return target


def _read_body(response, deadline: float, timeout: float, max_bytes: int) -> bytes:
    """The body, decompressed if gzip, never more than ``max_bytes`` of it held."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(_size_message(int(declared), max_bytes))
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError(_timeout_message(timeout))
        chunk = response.read1(_CHUNK_BYTES)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(_size_message(size, max_bytes, more=True))
        chunks.append(chunk)
    body = b"".join(chunks)
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    # A feed.xml.gz served as a file is gzip too, whatever the headers say.
    if encoding in _GZIP or (encoding in ("", "identity") and body.startswith(_GZIP_MAGIC)):
        return _gunzip(body, max_bytes)
    if encoding not in ("", "identity"):
        raise FetchError(f"أرسل الخادم الجواب مضغوطاً بـ {encoding}، ولا نقرأ إلا gzip")
    return body


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    """Decompress gzip ``data``; stop as soon as more than ``max_bytes`` would come out."""
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        body = decompressor.decompress(data, max_bytes + 1)
    except zlib.error as error:
        raise FetchError(f"الجواب المضغوط بـ gzip تالف ({error})") from None
    if len(body) > max_bytes:
        raise FetchError(_size_message(len(body), max_bytes, more=True, unpacked=True))
    if not decompressor.eof:
        raise FetchError("الجواب المضغوط بـ gzip مبتور: انقطع قبل نهايته")
    return body


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} م.ب"


def _size_message(size: int, limit: int, *, more: bool = False, unpacked: bool = False) -> str:
    what = "بعد فك ضغطه " if unpacked else ""
    amount = f"أكثر من {_megabytes(limit)}" if more else _megabytes(size)
    return (
        f"الجواب {what}أكبر من الحد ({amount}، والحد {_megabytes(limit)})؛ توقفت قراءته "
        "ولم يُستورد منه شيء (الإعداد INGEST_MAX_FEED_BYTES)"
    )


def _timeout_message(timeout: float) -> str:
    return (
        f"انتهت المهلة ({timeout:g} ثانية) قبل أن يكتمل جواب خادم المصدر؛ "
        "سيُعاد الاستطلاع لاحقاً (الإعداد INGEST_HTTP_TIMEOUT_SECONDS)"
    )


def _status_message(status: int, reason: str | None) -> str:
    said = _STATUS_REASONS.get(status)
    if said is None:
        said = "خطأ في خادم المصدر" if status >= 500 else "رفض الخادم الطلب"
    shown = f" {reason}" if reason else ""
    return f"أجاب خادم المصدر بالرمز HTTP {status}{shown}: {said}"
