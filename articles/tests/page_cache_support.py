"""Helpers for the page cache's tests: Redis database 12, and other processes on the test database.

``child_environment()`` is what a process started by a test needs to share
the test's database and cache: ``DATABASE_URL`` naming the test database
(over TCP, or the embedded server's socket), ``CACHE_URL`` naming Redis
database 12, the page cache on. ``OtherServer`` is a second web server, in a
process of its own: ``python -m articles.tests.page_cache_support PORT`` serves
the site with Django's threaded development server, its static files by their
plain names as the tests' own server does (conftest.plain_static_files), so it
needs no collectstatic.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from newsportal.database_urls import database_url

ROOT = Path(__file__).resolve().parents[2]
REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 12
REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
PAGE_CACHE_SECONDS = 300


def redis_caches() -> dict:
    """CACHES naming Redis database 12 through Django's own RedisCache, as CACHE_URL would."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }


def redis_is_up() -> bool:
    try:
        socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1).close()
    except OSError:
        return False
    return True


def child_environment(**extra: str) -> dict[str, str]:
    """The environment of a process that shares the test's database and page cache."""
    from django.db import connection

    env = {
        **os.environ,
        "ENV_FILE": "",
        "DATABASE_URL": database_url(connection.settings_dict),
        "CACHE_URL": REDIS_URL,
        "PAGE_CACHE_SECONDS": str(PAGE_CACHE_SECONDS),
    }
    env.pop("EMBEDDED_DB_DIR", None)
    env.update(extra)
    return env


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    text: str


def fetch(url: str, headers: dict[str, str] | None = None) -> Answer:
    """GET ``url`` as a reader's browser would, without cookies; 4xx answers included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Answer(response.status, dict(response.headers), response.read().decode())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read().decode())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OtherServer:
    """The site served by another process on the test's database and page cache."""

    def __init__(self, log_path: Path, **environment: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("w")
        command = [sys.executable, "-m", "articles.tests.page_cache_support", str(self.port)]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=child_environment(**environment),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the other server exited: {self.log_path.read_text()}")
            try:
                if fetch(f"{self.url}/robots.txt").status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"the other server did not answer: {self.log_path.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def serve(port: int) -> None:
    """Serve the site on 127.0.0.1:``port`` until terminated (the other server's process)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsportal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    run("127.0.0.1", port, get_wsgi_application(), threading=True)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
