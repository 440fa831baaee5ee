"""The ingest tests' local HTTP server (http_support.py), one per test that asks for it."""

from collections.abc import Iterator

import pytest

from articles.tests.ingest.http_support import LocalServer


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    server = LocalServer()
    server.start()
    yield server
    server.stop()
