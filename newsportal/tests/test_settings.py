"""Settings come from the environment, with safe production defaults.

Each test reads the settings in a fresh interpreter, since settings are
read once per process.
"""

import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import psutil
import pytest

from newsportal.embedded_db import stop_command

ROOT = Path(__file__).resolve().parents[2]
REAL_KEY = "k8Jq2vN5xR7tZ0bC4eG6hL9mP1sU3wY5aD8fH0jK2nQ4rT6vX8zB1cE3gI5lO7"
PRODUCTION = {"SECRET_KEY": REAL_KEY, "DEBUG": "0", "ALLOWED_HOSTS": "news.example"}


def run_python(code: str, **environment) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            (
                "SECURE_",
                "SESSION_",
                "CSRF_",
                "DEBUG",
                "ALLOWED_",
                "SECRET_",
                "EMBEDDED_DB_DIR",
                "CACHE_URL",
            )
        )
    }
    # Read no .env: the checkout's own must not decide what these tests see.
    env["ENV_FILE"] = ""
    env.update(environment)
    env["DJANGO_SETTINGS_MODULE"] = "newsportal.settings"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def postgres_processes_in(data_dir: Path) -> list:
    return [
        process
        for process in psutil.process_iter(["name", "cmdline"])
        if process.info["name"] == "postgres" and str(data_dir) in (process.info["cmdline"] or [])
    ]


def read_settings(*names, **environment) -> dict:
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = run_python(code, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_with_production_environment():
    result = run_python(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', '--deploy')",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_https_protections_are_on_by_default_in_production():
    values = read_settings(
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "DEBUG",
        **PRODUCTION,
    )
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "DEBUG": False,
    }


@pytest.mark.parametrize(
    "name", ["SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"]
)
def test_each_https_protection_has_its_own_off_switch(name):
    values = read_settings(
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        **PRODUCTION,
        **{name: "0"},
    )
    assert values.pop(name) is False
    assert all(values.values())


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python("from django.conf import settings; settings.SECRET_KEY", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_environment_names_are_djangos_own():
    values = read_settings(
        "TIME_ZONE",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "MEDIA_ROOT",
        "CACHES",
        **PRODUCTION,
        TIME_ZONE="Africa/Cairo",
        CSRF_TRUSTED_ORIGINS="https://news.example",
        MEDIA_ROOT="/srv/media",
        CACHE_URL="redis://127.0.0.1:6379/1",
    )
    assert values["TIME_ZONE"] == "Africa/Cairo"
    assert values["ALLOWED_HOSTS"] == ["news.example"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://news.example"]
    assert values["MEDIA_ROOT"] == "/srv/media"
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def test_language_is_arabic_and_times_are_aware():
    values = read_settings("LANGUAGE_CODE", "USE_TZ", **PRODUCTION)
    assert values == {"LANGUAGE_CODE": "ar", "USE_TZ": True}


def test_static_files_are_compressed_and_hashed():
    values = read_settings("STORAGES", "MIDDLEWARE", **PRODUCTION)
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    middleware = values["MIDDLEWARE"]
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == (
        middleware.index("django.middleware.security.SecurityMiddleware") + 1
    )


def test_database_url_selects_that_server():
    values = read_settings(
        "DATABASES", **PRODUCTION, DATABASE_URL="postgres://reader:pw@db.internal:5433/news"
    )
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("db.internal", 5433, "news")


def test_settings_start_no_embedded_server(tmp_path):
    data_dir = tmp_path / "pgdata"
    result = run_python(
        "import django; django.setup(); from django.db import connection; "
        "from django.conf import settings; print(settings.DATABASES['default']['HOST'])",
        **PRODUCTION,
        DATABASE_URL="",
        EMBEDDED_DB_DIR=str(data_dir),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(data_dir)
    assert list(tmp_path.iterdir()) == []
    assert not postgres_processes_in(data_dir)


def test_starting_the_embedded_server_says_once_how_to_stop_it(tmp_path):
    data_dir = tmp_path / "pgdata"
    start = "from newsportal.embedded_db import start_embedded_server; start_embedded_server()"
    environment = {**PRODUCTION, "DATABASE_URL": "", "EMBEDDED_DB_DIR": str(data_dir)}
    try:
        first = run_python(f"{start}; start_embedded_server()", **environment)
        again = run_python(start, **environment)
        assert first.returncode == 0, first.stderr
        assert again.returncode == 0, again.stderr
        assert first.stderr.count("Stop it with:") == 1
        assert again.stderr == ""
        assert postgres_processes_in(data_dir)
        printed_command = first.stderr.strip().splitlines()[-1]
        subprocess.run(["sh", "-c", printed_command], check=True, capture_output=True)
        assert not postgres_processes_in(data_dir)
    finally:
        if postgres_processes_in(data_dir):
            subprocess.run(["sh", "-c", stop_command(data_dir)], capture_output=True)


def test_without_database_url_an_embedded_postgresql_answers(tmp_path):
    code = (
        "from newsportal.embedded_db import start_embedded_server; start_embedded_server(); "
        "import django; django.setup(); from django.db import connection; "
        "c = connection.cursor(); c.execute('SHOW server_version'); print(c.fetchone()[0]); "
        "c.execute(\"SELECT to_tsvector('arabic', 'الوزراء')\"); print(c.fetchone()[0])"
    )
    # A folder of the test's own, stopped after it: the checkout's own .pgdata
    # (make run's) is neither started nor left running by the suite.
    data_dir = tmp_path / "pgdata"
    try:
        result = run_python(code, **PRODUCTION, DATABASE_URL="", EMBEDDED_DB_DIR=str(data_dir))
        assert result.returncode == 0, result.stderr
        version, vector = result.stdout.strip().splitlines()[-2:]
        assert version.startswith("16.")
        assert vector.startswith("'")
        assert (data_dir / "PG_VERSION").exists()
    finally:
        if postgres_processes_in(data_dir):
            subprocess.run(["sh", "-c", stop_command(data_dir)], capture_output=True)
    assert not postgres_processes_in(data_dir)


def test_without_database_url_the_embedded_data_lives_in_the_checkout():
    values = read_settings("EMBEDDED_DB_DIR", **PRODUCTION, DATABASE_URL="", EMBEDDED_DB_DIR="")
    assert values["EMBEDDED_DB_DIR"] == str((ROOT / ".pgdata").resolve())


def test_a_command_prints_only_its_own_output():
    # django-axes announced its configuration on stderr each time Django started.
    result = run_python(
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check'])",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_collectstatic_needs_no_database(tmp_path):
    # As the Dockerfile runs it: DATABASE_URL unset, and not through manage.py.
    result = run_python(
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['django-admin', 'collectstatic', '--noinput', '-v', '0'])",
        **PRODUCTION,
        DATABASE_URL="",
        EMBEDDED_DB_DIR=str(tmp_path / "pgdata"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert not (tmp_path / "pgdata").exists()


def test_default_cache_is_shared_by_the_processes_of_a_checkout():
    # gunicorn's workers and import_articles must see one another's writes
    # (the navigation cleared on one, for one). A key of this test's own,
    # removed at the end: the checkout's cache may be `make run`'s.
    key = f"test-settings-{uuid.uuid4()}"
    cache = "import django; django.setup(); from django.core.cache import cache; "
    written = run_python(f"{cache}cache.set({key!r}, 'مصادر', 60)", **PRODUCTION)
    read = run_python(f"{cache}print(cache.get({key!r})); cache.delete({key!r})", **PRODUCTION)
    assert written.returncode == 0, written.stderr
    assert read.returncode == 0, read.stderr
    assert read.stdout.strip() == "مصادر"


def test_redis_cache_url_selects_djangos_redis_cache():
    # A real Redis, which `make test` and .ci/run start when it is not running.
    socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    key = f"test-settings-{uuid.uuid4()}"
    result = run_python(
        "import django; django.setup(); import redis.utils; "
        "from django.core.cache import cache, caches; backend = type(caches['default']); "
        "print(f'{backend.__module__}.{backend.__qualname__}'); "
        "print(redis.utils.HIREDIS_AVAILABLE); "
        f"cache.set({key!r}, 'مصادر', 60); print(cache.get({key!r})); cache.delete({key!r})",
        **PRODUCTION,
        CACHE_URL="redis://127.0.0.1:6379/11",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "True",
        "مصادر",
    ]
