"""DATABASE_URL for the database a process is connected to, to hand to another process.

Tests and benchmarks start gunicorn, workers and importers in processes of
their own, on the database the tests use (the test database, on the
machine's server or the checkout's embedded one). The embedded server is
reached through a Unix socket folder, which goes in the URL's ``host``
parameter: django-environ passes it on to psycopg as it is.
"""

from urllib.parse import quote


def database_url(settings_dict: dict) -> str:
    """The URL of the database ``settings_dict`` (a connection's) describes."""
    user = quote(settings_dict["USER"] or "", safe="")
    password = settings_dict["PASSWORD"]
    credentials = f"{user}:{quote(password, safe='')}" if password else user
    name = quote(settings_dict["NAME"], safe="")
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or "5432"
    if host.startswith("/"):  # The embedded server's socket folder.
        return f"postgres://{credentials}@:{port}/{name}?host={quote(host, safe='/')}"
    return f"postgres://{credentials}@{host}:{port}/{name}"
