"""Fixtures shared by every test."""

import pytest


@pytest.fixture(autouse=True)
def plain_static_files(settings, tmp_path_factory):
    """Serve static files by their plain names, so tests need no collectstatic."""
    settings.STATIC_ROOT = tmp_path_factory.mktemp("staticfiles")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep uploaded test images out of the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
