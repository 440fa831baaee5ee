"""Start the embedded PostgreSQL server a checkout uses when DATABASE_URL is unset.

A newcomer then needs no database server: ``pgserver`` ships PostgreSQL 16
binaries on PyPI. The server keeps running after the process that started it
exits (``cleanup_mode=None``), so gunicorn's workers, ``manage.py`` commands
and the test run all share one server; its data lives in ``.pgdata/`` inside
the checkout (git-ignored). Run as root, pgserver creates a ``pgserver``
system user to own the server and opens the data folder's parents to it,
which is why the folder stays inside the checkout rather than in $HOME.
"""

import warnings
from pathlib import Path

DATABASE_NAME = "newsportal"


def embedded_database_config(data_dir: Path) -> dict:
    """Start (or join) the embedded server in ``data_dir``; return a DATABASES entry."""
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI)
            # and falls back to /tmp, which is what we want anyway.
            warnings.simplefilter("ignore")
            import pgserver
    except ImportError as error:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "DATABASE_URL is not set and the embedded PostgreSQL (the pgserver "
            "package) is not installed: run `make run`, which installs it, or "
            "set DATABASE_URL=postgres://user:password@host:5432/dbname."
        ) from error

    server = pgserver.get_server(data_dir, cleanup_mode=None)
    info = server.get_postmaster_info()
    _create_database(info.socket_dir, info.port)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        # pgserver listens on a Unix socket only, never on a TCP port.
        "HOST": str(info.socket_dir),
        "PORT": str(info.port or ""),
    }


def _create_database(socket_dir: Path, port) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=str(socket_dir), port=port, user="postgres", dbname="postgres", autocommit=True
    ) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))
