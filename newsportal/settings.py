"""Settings for newsportal, all read from the environment (and an optional .env).

Names are Django's own: DEBUG, SECRET_KEY, ALLOWED_HOSTS, TIME_ZONE,
SECURE_SSL_REDIRECT, ... With DEBUG off every HTTPS protection is on unless
its own variable switches it off, so the production settings can also serve
plain HTTP on loopback (behind a TLS-terminating proxy, in `make run`, in
tests). See README.md for the full list.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Variables already in the environment win over the file. ENV_FILE names
# another file; set it empty to read none.
ENV_FILE = env.str("ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE:
    environ.Env.read_env(ENV_FILE)

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    # Only a development server may run with a key everyone can read.
    SECRET_KEY = env("SECRET_KEY", default="django-insecure-development-only-key")
else:
    SECRET_KEY = env("SECRET_KEY")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A refused form inside the admin is explained in Arabic (newsportal/error_views.py).
CSRF_FAILURE_VIEW = "newsportal.error_views.csrf_failure"

# HTTPS protections: on by default in production, each with its own off switch.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    # Only behind a proxy that sets this header itself, never one that passes it through.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    # Its sitemap templates; absolute URLs come from the request, not django.contrib.sites.
    "django.contrib.sitemaps",
    "reversion",
    "axes",
    # The job queue of the background workers (manage.py ingest): its tables come
    # with `migrate`, its jobs are read-only in the admin. Before articles, whose
    # tasks (articles/ingest/jobs.py) register on its app.
    "procrastinate.contrib.django",
    "articles",
]

MIDDLEWARE = [
    "newsportal.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The shared page cache (articles/page_cache.py): above gzip, which it stores
    # as it comes out, and above the session, CSRF and authentication middleware,
    # whose cookies it sees on the way out and whose cost a hit skips.
    "articles.page_cache.PageCacheMiddleware",
    # Below the page cache (a hit reads no database; its own queries read the
    # primary): anonymous reads of reader pages on a replica (articles/replica_reads.py).
    "articles.replica_reads.ReplicaReadsMiddleware",
    # Pages leave gzipped, as readers' phones want them (Lighthouse counted 10
    # KB saved of a 14 KB story page); the proxy in front caches them as they
    # come, with Vary: Accept-Encoding. Below WhiteNoise, which answers static
    # files first and already compressed at collectstatic: never gzipped twice.
    # Above every middleware that reads or writes the body, and above any that
    # sets ETag (ConditionalGetMiddleware), as Django's ordering notes ask
    # (https://docs.djangoproject.com/en/5.2/ref/middleware/#middleware-ordering);
    # a strong ETag a view sets is made weak. BREACH: reader pages carry no secret
    # (the search form is a GET; no CSRF token, no session), and on the admin's
    # pages, which do, Django >= 4.2 pads every gzip header with random bytes
    # (max_random_bytes, "Heal The BREACH") and masks the CSRF token afresh for
    # each response, so no page needs to be left uncompressed.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first, so a locked-out account is refused before its password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsportal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsportal.context_processors.reader",
            ],
        },
    },
]

WSGI_APPLICATION = "newsportal.wsgi.application"

# PostgreSQL only. Without DATABASE_URL the checkout runs its own embedded
# server (newsportal/embedded_db.py), so there is never a second code path.
# These lines only say where it is: manage.py, the WSGI and ASGI entry points
# and the test session start it.
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    EMBEDDED_DB_DIR = None
else:
    from newsportal.embedded_db import embedded_database_config

    # Resolved as pgserver resolves it: its socket is found under this path.
    EMBEDDED_DB_DIR = Path(env.str("EMBEDDED_DB_DIR", default="") or BASE_DIR / ".pgdata").resolve()
    DATABASES = {"default": embedded_database_config(EMBEDDED_DB_DIR)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Streaming replicas for the anonymous reads of reader pages, feeds, sitemaps
# and search (newsportal/db_replicas.py, articles/replica_reads.py); everything
# else reads and writes the primary. Each URL becomes the alias replica_<n>.
# A replica that does not answer within its connect timeout, or whose replay
# is more than DATABASE_REPLICA_MAX_LAG_SECONDS behind, is skipped; each
# process asks each replica at most every DATABASE_REPLICA_CHECK_SECONDS. A
# client that wrote reads the primary for READ_YOUR_WRITES_SECONDS.
DATABASE_REPLICAS = []
for _number, _url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), start=1):
    _replica = env.db_url_config(_url)
    _replica["OPTIONS"] = {"connect_timeout": 2, **_replica.get("OPTIONS", {})}
    _replica.update(
        CONN_MAX_AGE=DATABASES["default"]["CONN_MAX_AGE"],
        CONN_HEALTH_CHECKS=True,
        # The test database of a replica is the primary's own, as on the site.
        TEST={"MIRROR": "default"},
    )
    DATABASES[f"replica_{_number}"] = _replica
    DATABASE_REPLICAS.append(f"replica_{_number}")
DATABASE_ROUTERS = ["newsportal.db_replicas.ReplicaRouter"]
DATABASE_REPLICA_MAX_LAG_SECONDS = env.float("DATABASE_REPLICA_MAX_LAG_SECONDS", default=30.0)
DATABASE_REPLICA_CHECK_SECONDS = env.float("DATABASE_REPLICA_CHECK_SECONDS", default=2.0)
READ_YOUR_WRITES_SECONDS = env.int("READ_YOUR_WRITES_SECONDS", default=10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The default cache is shared by every process of the checkout (gunicorn's
# workers, import_articles), so clearing the navigation reaches them all. Files
# rather than the database cache: they need no createcachetable and no query,
# and a cache write never rolls back with a transaction
# (https://docs.djangoproject.com/en/5.2/topics/cache/#filesystem-caching).
# A deployment on more than one machine sets CACHE_URL=redis://host:6379/N.
_cache_url = env.str("CACHE_URL", default=f"filecache://{BASE_DIR / '.django_cache'}")
# django-environ maps redis:// (rediss://, rediscache://) to django-redis
# whenever that package can be imported; ours is Django's own backend, on
# redis-py with hiredis.
_redis_backend = "django.core.cache.backends.redis.RedisCache"
CACHES = {
    "default": env.cache_url_config(
        _cache_url, backend=_redis_backend if _cache_url.startswith("redis") else None
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية")]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Riyadh")
USE_I18N = True
USE_TZ = True
# Our corrections to the packages' Arabic (e.g. the admin's "changed" message).
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates, times and numbers in the admin as Arabic writes them ("4 ديسمبر 2026، 9:18 م"):
# newsportal/formats/ar/formats.py. Reader pages write theirs through articles/dates.py.
FORMAT_MODULE_PATH = ["newsportal.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Where uploaded photos and their renditions live: `filesystem` (MEDIA_ROOT) or
# `s3`, any S3-compatible object storage through django-storages, which app
# servers on several machines share; reader pages then link to the bucket (or
# to AWS_S3_CUSTOM_DOMAIN, a CDN in front of it), never through Django.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
if MEDIA_STORAGE not in ("filesystem", "s3"):
    raise ImproperlyConfigured(f"MEDIA_STORAGE is `filesystem` or `s3`, not {MEDIA_STORAGE!r}.")
# Who serves uploaded photos: Django itself (fine for one small server and for
# `make run`) or, when off, the proxy or storage in front of it.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG and MEDIA_STORAGE == "filesystem")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed, content-hashed names that can be cached for ever.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if MEDIA_STORAGE == "s3":
    # django-storages' own settings, under its own names:
    # https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME")
    # Unset for Amazon S3 itself; the address of any other S3-compatible service.
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=None)
    # Unset: boto3 looks for credentials itself (an instance's role, ~/.aws).
    AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default=None)
    AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default=None)
    AWS_S3_CUSTOM_DOMAIN = env.str("AWS_S3_CUSTOM_DOMAIN", default=None)
    # Public photos get plain, lasting URLs: a signed one expires (an hour by
    # default) while the page linking it stays in the page cache, Varnish or a
    # CDN, and changes on every render, so no browser could cache the photo.
    AWS_QUERYSTRING_AUTH = env.bool("AWS_QUERYSTRING_AUTH", default=False)
    # No ACL sent by default: buckets made today refuse ACLs ("bucket owner
    # enforced"); readers are let in by the bucket's policy (README.md).
    # `public-read` for a service that still wants ACLs on each object.
    AWS_DEFAULT_ACL = env.str("AWS_DEFAULT_ACL", default=None)
    # Two photos uploaded as "photo.jpg" in one month get two names, as on disk.
    AWS_S3_FILE_OVERWRITE = False
    # Originals never change under their name, and renditions only to identical bytes.
    AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=604800"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # pgserver narrates every start and exit at INFO, and django-axes
        # announces its configuration each time Django starts: a command's
        # output is its own. Lockouts are still logged (WARNING, axes.handlers).
        "pgserver": {"level": "WARNING"},
        "axes.apps": {"level": "WARNING"},
        # procrastinate narrates at INFO every task it registers and every job it
        # defers and runs (one a second at least): `manage.py ingest` says what matters.
        "procrastinate": {"level": "WARNING"},
    },
}

# Importer limits: files bigger than this are refused before they are read.
IMPORT_MAX_FILE_BYTES = env.int("IMPORT_MAX_FILE_BYTES", default=10 * 1024 * 1024)
# Ingest sources that are URLs (articles/ingest/http_fetch.py): how long one
# fetch may take, redirects included, and how big its answer may be, on the
# wire and once decompressed; past either the poll fails, saying so, and
# nothing of that answer is imported.
INGEST_HTTP_TIMEOUT_SECONDS = env.float("INGEST_HTTP_TIMEOUT_SECONDS", default=20.0)
INGEST_MAX_FEED_BYTES = env.int("INGEST_MAX_FEED_BYTES", default=20 * 1024 * 1024)
# URL sources on loopback or a private network (a feed inside the newsroom's own
# network). Off: an editor's URL must not reach the servers' own network (SSRF).
INGEST_ALLOW_PRIVATE_ADDRESSES = env.bool("INGEST_ALLOW_PRIVATE_ADDRESSES", default=False)
# What one upload on the admin's Import page may hold, all its files together:
# it runs inside one web request, which gunicorn kills after 30 s. Bytes are
# counted once decompressed, files with every zip member, stories after
# parsing; past any of them the upload is refused whole, before anything is
# written. The defaults keep the slowest upload at them (every story an update
# with its revision) near 5 s on two cores: measure with bench/upload_bench.py
# before raising them. A bigger archive is imported with `manage.py
# import_articles`, which these do not bound.
IMPORT_UPLOAD_MAX_BYTES = env.int("IMPORT_UPLOAD_MAX_BYTES", default=4 * 1024 * 1024)
IMPORT_UPLOAD_MAX_FILES = env.int("IMPORT_UPLOAD_MAX_FILES", default=500)
IMPORT_UPLOAD_MAX_STORIES = env.int("IMPORT_UPLOAD_MAX_STORIES", default=500)

# Background workers (`manage.py ingest`, articles/ingest/jobs.py) on procrastinate,
# whose jobs live in this same database (its Django integration uses the default
# connection; the worker opens its own pool to it). Each worker process serves
# each queue with slots of its own, in threads: polls (the ingest queue), which
# mostly wait, so one slow source never holds up the others; and imports (the
# imports queue), which compute, so more than one or two a process slow each
# other (threads share one interpreter lock): run more processes instead.
PROCRASTINATE_IMPORT_PATHS = ["articles.ingest.jobs"]
INGEST_WORKER_CONCURRENCY = env.int("INGEST_WORKER_CONCURRENCY", default=4)
INGEST_IMPORT_CONCURRENCY = env.int("INGEST_IMPORT_CONCURRENCY", default=1)
# A source whose poll fails waits its interval doubled for each failure in a
# row, up to this many seconds, before it is polled again.
INGEST_MAX_BACKOFF_SECONDS = env.int("INGEST_MAX_BACKOFF_SECONDS", default=900)
# A worker that has not said it is alive for this long is taken for dead (killed,
# its machine gone): its jobs are taken up again by the workers that remain.
INGEST_STALLED_WORKER_SECONDS = env.int("INGEST_STALLED_WORKER_SECONDS", default=30)
# The wire desk (articles/wire_desk.py): the hours of arrivals it shows unless
# the editor picks others (1, 3, 6, 12 or 24), and how often it refreshes in place.
WIRE_DESK_HOURS = env.int("WIRE_DESK_HOURS", default=6)
WIRE_DESK_REFRESH_SECONDS = env.int("WIRE_DESK_REFRESH_SECONDS", default=15)

# Reader pages. The site's name as readers see it, and how dates are written
# (articles/dates.py): month names "gregorian" (نوفمبر), "levantine" (تشرين
# الثاني) or "both" (تشرين الثاني/نوفمبر, as AFP prints them); digits "western"
# (0-9) or "arabic" (٠-٩); the Umm al-Qura Hijri date beside the Gregorian one.
SITE_NAME = env.str("SITE_NAME", default="بوابة الأخبار")
ARABIC_MONTH_STYLE = env.str("ARABIC_MONTH_STYLE", default="both")
ARABIC_DIGITS = env.str("ARABIC_DIGITS", default="western")
SHOW_HIJRI = env.bool("SHOW_HIJRI", default=True)
for _name, _value, _choices in [
    ("ARABIC_MONTH_STYLE", ARABIC_MONTH_STYLE, ("gregorian", "levantine", "both")),
    ("ARABIC_DIGITS", ARABIC_DIGITS, ("western", "arabic")),
]:
    if _value not in _choices:
        raise ImproperlyConfigured(f"{_name}={_value!r}: set it to one of {', '.join(_choices)}.")
# The admin's dates name months in the same style: Django's Arabic has the
# gregorian names, locale/months/<style> the others.
if ARABIC_MONTH_STYLE != "gregorian":
    LOCALE_PATHS.append(BASE_DIR / "locale" / "months" / ARABIC_MONTH_STYLE)
# How long a reader page not signed in may be kept (articles/http_cache.py):
# by a browser (no purge reaches it; READER_CACHE_SECONDS is its older name),
# by a shared cache (Varnish, a CDN: purged when a story changes), served
# stale while it is fetched again, and served stale while the site fails.
HTTP_CACHE_MAX_AGE = env.int(
    "HTTP_CACHE_MAX_AGE", default=env.int("READER_CACHE_SECONDS", default=60)
)
HTTP_CACHE_S_MAXAGE = env.int("HTTP_CACHE_S_MAXAGE", default=600)
HTTP_CACHE_STALE_WHILE_REVALIDATE = env.int("HTTP_CACHE_STALE_WHILE_REVALIDATE", default=60)
HTTP_CACHE_STALE_IF_ERROR = env.int("HTTP_CACHE_STALE_IF_ERROR", default=86400)
# The HTTP caches in front of the site (base URLs, comma-separated), sent a
# purge by surrogate key after each change (articles/purges.py), and how many
# seconds each purge may take.
HTTP_CACHE_PURGE_URLS = env.list("HTTP_CACHE_PURGE_URLS", default=[])
HTTP_CACHE_PURGE_TIMEOUT = env.float("HTTP_CACHE_PURGE_TIMEOUT", default=2.0)
# Seconds the shared cache keeps a reader page for anonymous readers
# (articles/page_cache.py): any change, and the time of a scheduled story,
# ends it sooner. 0 switches the page cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# Copies of one wire story published further apart than this are never
# compared (articles/story_groups.py).
STORY_GROUP_WINDOW_DAYS = env.int("STORY_GROUP_WINDOW_DAYS", default=7)
# Seconds an editor's "editing this story" lock lasts without a refresh; the
# open form refreshes it three times as often (articles.edit_locks).
EDIT_LOCK_SECONDS = env.int("EDIT_LOCK_SECONDS", default=60)
# How many completions a search prefix is expanded to, the most frequent first
# (articles.search.lexicon): Elasticsearch's max_expansions.
SEARCH_PREFIX_EXPANSIONS = env.int("SEARCH_PREFIX_EXPANSIONS", default=50)

# Photos editors upload: refused above this size, and above this many pixels
# (a small file can still decode into a huge image: a decompression bomb).
IMAGE_MAX_BYTES = env.int("IMAGE_MAX_BYTES", default=8 * 1024 * 1024)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
# Widths of the resized copies made once when a photo is saved (srcset).
IMAGE_RENDITION_WIDTHS = [400, 800, 1200]

# Failed sign-ins (django-axes): this many failures for one username from one
# address lock that pair out for the cool-off period.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# How many proxies of ours stand in front of Django (Varnish and HAProxy in
# deploy/compose.yaml: 2; one more for a TLS terminator or CDN before them):
# the sign-in's address is read through them (newsportal/client_ip.py).
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "newsportal.client_ip.client_ip"
