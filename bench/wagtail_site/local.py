"""The bench's settings: the generated project's production settings end with
``from .local import *``.

Everything else is Wagtail's own: no cache but Django's default, DEBUG off.
"""

import os

from .base import INSTALLED_APPS as _WAGTAIL_APPS

SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["news", *_WAGTAIL_APPS]
STATIC_ROOT = os.environ["STATIC_ROOT"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ["BENCH_DB_NAME"],
        "HOST": os.environ["BENCH_DB_HOST"],
        "PORT": os.environ["BENCH_DB_PORT"],
        "USER": os.environ["BENCH_DB_USER"],
        "PASSWORD": os.environ.get("BENCH_DB_PASSWORD", ""),
        # As newsportal's: one connection per worker kept between requests, so
        # the comparison is of the pages' work, not of connection set-up.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
}
