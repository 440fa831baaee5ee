"""Two real app servers sharing one database and one Redis: any of them serves any editor.

Two gunicorn processes on free loopback ports, started once for the module,
with the same DATABASE_URL (the test database) and CACHE_URL (Redis db 9,
flushed before and after): what one server stores for an editor (session,
CSRF cookie, messages, failed sign-ins) the other reads. One ``requests``
session talks to both, as a browser behind a load balancer does: cookies are
not bound to a port.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from html import unescape
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from newsportal.database_urls import database_url

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/9"
PASSWORD = "a-long-editor-passphrase-17"
FAILURE_LIMIT = 3

# Only so that pytest-django makes the test database: the tests themselves
# speak HTTP, and the servers' rows are written and removed by the fixture.
pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def wait_until_up(base: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn on {base} exited with {process.returncode}")
        try:
            if requests.get(base + "/healthz", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn on {base} did not answer within {timeout:.0f} s")


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker):
    """Two gunicorn app servers on one database and one Redis, and the editors they serve."""
    from django.contrib.auth.models import Permission, User

    static_root = tempfile.mkdtemp(prefix="stateless-static-")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "DATABASE_REPLICA_URLS": "",
        "CACHE_URL": REDIS_URL,
        "PAGE_CACHE_SECONDS": "300",
        "STATIC_ROOT": static_root,
        "AXES_FAILURE_LIMIT": str(FAILURE_LIMIT),
        "ENV_FILE": "",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "newsportal.settings",
        "SECRET_KEY": settings.SECRET_KEY,
    }
    processes: list[subprocess.Popen] = []
    with django_db_blocker.unblock():
        editor = User.objects.create_user("stateless-editor", password=PASSWORD, is_staff=True)
        editor.user_permissions.set(Permission.objects.filter(codename="add_source"))
        User.objects.create_user("stateless-locked", password=PASSWORD, is_staff=True)
    try:
        flush_redis()
        subprocess.run(
            [sys.executable, "-m", "django", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT, env=env, check=True, timeout=120,
        )  # fmt: skip
        bases = []
        for _ in range(2):
            port = free_port()
            command = [str(Path(sys.executable).with_name("gunicorn")), "newsportal.wsgi"]
            command += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"]
            # A session of its own: the fixture ends gunicorn and its workers together.
            processes.append(subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True))
            bases.append(f"http://127.0.0.1:{port}")
        for base, process in zip(bases, processes, strict=True):
            wait_until_up(base, process)
        yield bases
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        shutil.rmtree(static_root, ignore_errors=True)
        flush_redis()
        with django_db_blocker.unblock():
            from axes.models import AccessAttempt, AccessLog
            from django.contrib.sessions.models import Session

            from articles.models import Source

            Source.objects.filter(name__startswith="مصدر عبر خادمين").delete()
            AccessAttempt.objects.filter(username__startswith="stateless-").delete()
            AccessLog.objects.filter(username__startswith="stateless-").delete()
            Session.objects.all().delete()
            User.objects.filter(username__startswith="stateless-").delete()


def csrf_token(response: requests.Response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
    assert match, f"no CSRF token in {response.url}"
    return match.group(1)


def sign_in(client: requests.Session, base: str, username: str, password: str):
    form = client.get(base + "/admin/login/", timeout=10)
    return client.post(
        base + "/admin/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": csrf_token(form),
            "next": "/admin/",
        },
        allow_redirects=False,
        timeout=10,
    )


@pytest.fixture
def editor_client(servers):
    """A browser signed in through server A."""
    client = requests.Session()
    response = sign_in(client, servers[0], "stateless-editor", PASSWORD)
    assert response.status_code == 302, response.text[:500]
    yield client
    client.close()


def test_editor_signed_in_through_one_server_is_signed_in_through_the_other(servers, editor_client):
    response = editor_client.get(servers[1] + "/admin/", allow_redirects=False, timeout=10)

    assert response.status_code == 200
    assert "stateless-editor" in response.text


def test_form_from_one_server_is_accepted_by_the_other(servers, editor_client):
    form = editor_client.get(servers[0] + "/admin/articles/source/add/", timeout=10)

    response = editor_client.post(
        servers[1] + "/admin/articles/source/add/",
        data={
            "name": "مصدر عبر خادمين",
            "slug": "مصدر-عبر-خادمين",
            "csrfmiddlewaretoken": csrf_token(form),
        },
        allow_redirects=False,
        timeout=10,
    )

    assert response.status_code == 302, response.text[:500]


def test_message_set_through_one_server_is_shown_through_the_other(servers, editor_client):
    form = editor_client.get(servers[1] + "/admin/articles/source/add/", timeout=10)
    saved = editor_client.post(
        servers[0] + "/admin/articles/source/add/",
        data={
            "name": "مصدر عبر خادمين ثان",
            "slug": "مصدر-عبر-خادمين-ثان",
            "csrfmiddlewaretoken": csrf_token(form),
        },
        allow_redirects=False,
        timeout=10,
    )
    assert saved.status_code == 302, saved.text[:500]

    shown = editor_client.get(servers[1] + saved.headers["Location"], timeout=10)

    assert "مصدر عبر خادمين ثان" in unescape(shown.text)
    assert 'class="success"' in shown.text
    # Shown once: read through B, it is gone for A too.
    again = editor_client.get(servers[0] + saved.headers["Location"], timeout=10)
    assert 'class="success"' not in again.text


def test_lockout_after_failed_sign_ins_through_one_server_applies_through_the_other(servers):
    client = requests.Session()
    for _ in range(FAILURE_LIMIT):
        failed = sign_in(client, servers[0], "stateless-locked", "wrong password")
        assert failed.status_code in (200, 429)

    response = sign_in(client, servers[1], "stateless-locked", PASSWORD)

    assert response.status_code == 429
    assert "sessionid" not in client.cookies


def test_page_cached_by_one_server_is_served_by_the_other(servers):
    # Behind a load balancer both servers see the site's one host name.
    host = {"Host": "localhost"}
    first = requests.get(servers[0] + "/", headers=host, timeout=10)
    assert (first.status_code, first.headers["X-Page-Cache"]) == (200, "miss")

    second = requests.get(servers[1] + "/", headers=host, timeout=10)

    assert second.status_code == 200
    assert second.headers["X-Page-Cache"] == "hit"
    assert second.text == first.text
