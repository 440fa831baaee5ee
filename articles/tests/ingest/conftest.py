"""The ingest tests' local HTTP server (http_support.py), one per test that asks for it."""

from collections.abc import Iterator

import pytest

from articles.tests.ingest.http_support import LocalServer


@pytest.fixture
def local_server(settings) -> Iterator[LocalServer]:
    # The test's feeds are on loopback, which URL sources refuse by default.
    settings.INGEST_ALLOW_PRIVATE_ADDRESSES = True
    server = LocalServer()
    server.start()
    yield server
    server.stop()
