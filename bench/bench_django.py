"""Django for a bench script: the production settings, over plain HTTP to the test client.

Each bench runs as ``.venv/bin/python bench/<name>.py``; this module is on
the path as the script's neighbour. Secrets and hosts are the bench's own;
DATABASE_URL is the caller's.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    """Put the project on the path, set the bench's environment, and set Django up."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsportal.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault(
        "SECRET_KEY", "bench-only-secret-key-not-used-for-anything-real-0123456789"
    )
    # The test client speaks plain HTTP to "testserver".
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"

    import django

    django.setup()
