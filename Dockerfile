# syntax=docker/dockerfile:1
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000

WORKDIR /app

# Dependencies first, in a layer of their own that only requirements.txt invalidates.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

# A fixed numeric id, so the host and orchestrators can tell the user is not root.
RUN groupadd --system --gid 10001 newsportal \
    && useradd --system --uid 10001 --gid newsportal --home-dir /app --no-create-home newsportal \
    && mkdir -p /app/media /app/.django_cache \
    && chown 10001:10001 /app/media /app/.django_cache

COPY --chown=10001:10001 . .

# collectstatic needs settings but no database and no real secret. Settings
# start nothing; manage.py would start the embedded PostgreSQL (not in the
# image) when DATABASE_URL is unset, so Django's own command line runs it.
RUN SECRET_KEY=collectstatic-only DJANGO_SETTINGS_MODULE=newsportal.settings \
    python -m django collectstatic --noinput --verbosity 0

USER 10001
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"8000\")}/healthz', timeout=4)"]

# DATABASE_URL, SECRET_KEY and ALLOWED_HOSTS come from the environment at run time.
# The same image is the background worker with another command (the HTTP health
# check above then means nothing: use procrastinate's), e.g.
#   docker run --env-file .env --health-cmd "python manage.py procrastinate healthchecks" \
#     newsportal python manage.py ingest
# It stops on SIGTERM (`docker stop`) after the file in hand, within seconds.
CMD ["sh", "-c", "exec gunicorn newsportal.wsgi --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-2} --access-logfile -"]
