"""Fixtures shared by every test."""

import os

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from hypothesis import settings as hypothesis_settings

# Property tests explore the same examples on every run, so a CI run cannot
# fail on an input no earlier run tried; widen the search locally with
# HYPOTHESIS_PROFILE=explore.
hypothesis_settings.register_profile("repeatable", derandomize=True, deadline=None)
hypothesis_settings.register_profile("explore", deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, django_db_modify_db_settings_parallel_suffix):
    """Start the embedded PostgreSQL (DATABASE_URL unset) before the test database is made.

    pytest-django's own hook for this moment; tests that need no database start nothing.
    """
    from newsportal.embedded_db import start_embedded_server

    # Uncaptured, so its note on how to stop the server reaches the terminal.
    with request.config.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
        start_embedded_server()


@pytest.fixture(autouse=True, scope="session")
def plain_static_files(tmp_path_factory):
    """Serve static files by their plain names, so tests need no collectstatic.

    For the whole session: pytest-django's live_server lives as long, and
    WhiteNoise looks for STATIC_ROOT once, when the server starts.
    """
    with override_settings(
        STATIC_ROOT=tmp_path_factory.mktemp("staticfiles"),
        STORAGES={
            **django_settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture(autouse=True, scope="session")
def cache_of_the_session(tmp_path_factory):
    """Cache in a folder of the session's own, with the default file backend.

    empty_cache clears it before every test: never `make run`'s folder in the
    checkout, nor a Redis that CACHE_URL names.
    """
    location = tmp_path_factory.mktemp("cache")
    backend = "django.core.cache.backends.filebased.FileBasedCache"
    with override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": location}}):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep uploaded test images out of the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_cache():
    """Start every test with nothing cached (the navigation's sources, for one)."""
    from django.core.cache import cache

    cache.clear()


# procrastinate's tables are not Django's to manage (its models are unmanaged),
# so the flush after a test that commits (a live server, a worker process)
# leaves its jobs behind, where a later test's queue would find them.
PROCRASTINATE_TABLES = (
    "procrastinate_jobs",
    "procrastinate_events",
    "procrastinate_periodic_defers",
    "procrastinate_workers",
)


@pytest.fixture(autouse=True)
def no_jobs_left_behind(request):
    """Start every database test with procrastinate's tables empty.

    At the start, not the end: a test may leave the connection pointing
    elsewhere until its own fixtures are undone (test_health's dead port).
    Inside a test's transaction the emptying is rolled back with the rest.
    """
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if marker is None and not {"db", "transactional_db", "live_server"} & set(names):
        return
    committing = "transactional_db" in names or "live_server" in names
    committing = committing or bool(marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if committing else "db")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(PROCRASTINATE_TABLES)} RESTART IDENTITY CASCADE")


@pytest.fixture(scope="session")
def streaming_cluster(django_db_blocker):
    """A PostgreSQL primary and streaming replica of the session's own, migrated, removed after.

    Built once (a few seconds) for the tests that need a real replica
    (newsportal/tests/replica_cluster.py); stopped and deleted even if they fail.
    """
    from django.core.management import call_command

    from newsportal.tests.replica_cluster import StreamingCluster, site_on

    cluster = StreamingCluster()
    try:
        cluster.start()
        with django_db_blocker.unblock(), site_on(cluster):
            call_command("migrate", verbosity=0, interactive=False)
        cluster.wait_for_replay()
        yield cluster
    finally:
        cluster.stop()
