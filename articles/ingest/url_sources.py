"""One poll of a URL source: fetch it conditionally, import its answer through the one importer.

The answer is whatever the source's format says, or what its content shows
(``auto``): an RSS or Atom feed, or any of the importer's formats served
over HTTP (a ninjs document, a NewsML-G2 message). It goes through the same
``Importer`` as a dropped file, as one input named by its URL, so a story
polled again is found unchanged by its guid and never doubled.

A 304 imports nothing and costs nothing. After a 200 the validators of the
answer are kept for the next poll's conditional GET, unless nothing in it
could be read (malformed XML, not a feed): then the next poll fetches it
whole again, and reports again why it fails, until the publisher fixes it.
So is the answer's SHA-256: a 200 with the very bytes last read (a
publisher without validators) is not read again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging

from django.conf import settings

from articles.importers.inputs import InputFile
from articles.importers.loader import Importer, ImportOptions
from articles.importers.outcomes import FAILURES, StoryCounts
from articles.ingest.folders import error_text
from articles.ingest.http_fetch import FetchError, FetchStopped, fetch

logger = logging.getLogger(__name__)
NOT_MODIFIED_NOTE = "لم يتغير منذ الاستطلاع السابق (HTTP 304)؛ لم يُستورد شيء"
SAME_BODY_NOTE = "جوابه مطابق لجواب الاستطلاع السابق؛ لم يُستورد شيء"


@dataclasses.dataclass
class UrlPoll(StoryCounts):
    """What one poll of a URL did: the HTTP answer, stories by outcome, and why it failed."""

    http_status: int | None = None
    # The validators to keep for the next poll; None keeps the ones stored.
    etag: str | None = None
    last_modified: str | None = None
    body_sha256: str | None = None
    # Why the poll failed (the fetch, the whole answer, or some of its stories), or "".
    error: str = ""
    note: str = ""
    # The worker stopped before the answer came: neither a success nor the source's failure.
    stopped: bool = False


def poll_url(
    url: str,
    options: ImportOptions,
    *,
    etag: str = "",
    last_modified: str = "",
    body_sha256: str = "",
) -> UrlPoll:
    """Fetch ``url`` with the last answer's validators and import what changed, with ``options``.

    ``body_sha256``: the SHA-256 of the last answer read whole; the same bytes
    again are not read.
    """
    try:
        fetched = fetch(
            url,
            timeout=settings.INGEST_HTTP_TIMEOUT_SECONDS,
            max_bytes=settings.INGEST_MAX_FEED_BYTES,
            etag=etag,
            last_modified=last_modified,
            allow_private=settings.INGEST_ALLOW_PRIVATE_ADDRESSES,
        )
    except FetchStopped as stopped:
        return UrlPoll(stopped=True, note=stopped.message)
    except FetchError as error:
        return UrlPoll(http_status=error.status, error=error.message)
    result = UrlPoll(http_status=fetched.status)
    if fetched.is_not_modified:
        result.note = NOT_MODIFIED_NOTE
        return result
    body = fetched.body
    digest = hashlib.sha256(body).hexdigest()
    if digest == body_sha256:
        result.note = SAME_BODY_NOTE
        result.etag, result.last_modified = fetched.etag, fetched.last_modified
        return result
    outcomes = []
    try:
        for outcome in Importer(options).run([InputFile(fetched.url, lambda: body)]):
            result.count(outcome)
            outcomes.append(outcome)
    except Exception as error:  # The next poll fetches it again; the poll's error says why.
        logger.exception("Importing %s failed", fetched.url)
        result.error = f"توقف الاستيراد من {fetched.url}: {error}؛ يُعاد في الاستطلاع التالي"
        return result
    failures = [outcome for outcome in outcomes if outcome.action in FAILURES]
    if failures and len(failures) == len(outcomes):
        result.error = f"تعذّرت قراءة ما أجاب به {fetched.url}:\n{error_text(failures)}".strip()
        return result
    result.etag, result.last_modified = fetched.etag, fetched.last_modified
    # Only an answer read whole is skipped when it comes again: a story that
    # failed is tried again at the next poll.
    result.body_sha256 = "" if failures else digest
    if failures:
        shown = f"فشل {len(failures)} من {len(outcomes)} خبراً في جواب {fetched.url}"
        result.error = f"{shown}:\n{error_text(failures)}".strip()
    return result
