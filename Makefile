# The two commands of README.md: `make run` and `make test`. Each does its own set-up.
VENV := .venv
PYTHON := $(VENV)/bin/python
MANAGE := $(PYTHON) manage.py
PORT ?= 8000
# Two workers suit this machine's two cores; WEB_CONCURRENCY overrides.
WEB_CONCURRENCY ?= 2
# The sample drop folder `make run` registers as an ingest source on its first run.
DROP_FOLDER := samples/drop
DROP_SOURCE := مجلد العينات

.PHONY: run test lint format install clean browser-tools redis varnish haproxy messages

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $@

# A secret key of this checkout's own, made once and never committed.
.env:
	@$(PYTHON) -c "import secrets; print('SECRET_KEY=' + secrets.token_urlsafe(50))" > $@
	@echo "Wrote .env with a new SECRET_KEY."

# `make run` serves the production settings over plain HTTP on loopback.
run: export DEBUG = 0
run: export SECURE_SSL_REDIRECT = 0
run: export SESSION_COOKIE_SECURE = 0
run: export CSRF_COOKIE_SECURE = 0
run: export SECURE_HSTS_SECONDS = 0
run: export SERVE_MEDIA = 1
run: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
run: install .env
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) import_articles --publish samples/
	@$(MANAGE) ingest_source list | grep -q '^$(DROP_SOURCE):' \
		|| $(MANAGE) ingest_source add '$(DROP_SOURCE)' --folder $(CURDIR)/$(DROP_FOLDER) --every 1 --publish
	@echo ""
	@echo "newsportal is at http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	@echo "A story file dropped into $(DROP_FOLDER)/ is on the site within seconds."
	@echo "Create an admin account with:  $(MANAGE) createsuperuser"
	@echo "then sign in at http://127.0.0.1:$(PORT)/admin/"
	@echo ""
	@# One background worker beside the web server (manage.py ingest): Ctrl-C
	@# reaches both; the worker finishes the file in hand and stops.
	$(MANAGE) ingest & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(VENV)/bin/gunicorn newsportal.wsgi --bind 127.0.0.1:$(PORT) --workers $(WEB_CONCURRENCY) \
		--access-logfile - --forwarded-allow-ips 127.0.0.1

test: install browser-tools node_modules/.installed redis varnish haproxy
	$(VENV)/bin/pytest

# The browser tests drive Debian's Chromium (Playwright never downloads a
# browser here: no `playwright install`) and run the Nu HTML Checker on Java.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y
browser-tools:
	@test -x /usr/bin/chromium || $(APT_INSTALL) chromium \
		|| { $(SUDO) apt-get update && $(APT_INSTALL) chromium; }
	@command -v java >/dev/null || $(APT_INSTALL) default-jre-headless \
		|| { $(SUDO) apt-get update && $(APT_INSTALL) default-jre-headless; }

# Debian's Varnish and its xkey vmod (varnish-modules), which
# articles/tests/test_varnish.py starts in front of the site with
# deploy/varnish.vcl. Only installed: the package's own service is not used.
varnish:
	@{ command -v varnishd >/dev/null && dpkg -s varnish-modules >/dev/null 2>&1; } \
		|| $(APT_INSTALL) varnish varnish-modules \
		|| { $(SUDO) apt-get update && $(APT_INSTALL) varnish varnish-modules; }

# Debian's HAProxy, with which newsportal/tests/test_deploy_compose.py checks
# deploy/haproxy.cfg (bench/scale_bench.py runs it). Only installed.
haproxy:
	@command -v haproxy >/dev/null || $(APT_INSTALL) haproxy \
		|| { $(SUDO) apt-get update && $(APT_INSTALL) haproxy; }

# A Redis on 127.0.0.1:6379 for the cache tests (they use database 11; the two
# app servers of newsportal/tests/test_stateless_app_servers.py database 9), started
# as the machine starts it when it is not answering; it keeps nothing on disk.
redis:
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { \
		command -v redis-server >/dev/null || $(APT_INSTALL) redis-server \
			|| { $(SUDO) apt-get update && $(APT_INSTALL) redis-server; }; \
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
			--dir /tmp --logfile /tmp/newsportal-redis.log; \
		for _ in $$(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done; }

# axe-core and vnu-jar for the browser tests, as package-lock.json pins them.
# No install scripts: vnu-jar's would fetch a Java of its own.
node_modules/.installed: package.json $(wildcard package-lock.json)
	if [ -f package-lock.json ]; then npm ci --ignore-scripts --no-audit --no-fund; \
	else npm install --ignore-scripts --no-audit --no-fund; fi
	touch $@

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The project's corrections to the packages' Arabic (locale/ar) and the month
# names of each ARABIC_MONTH_STYLE (locale/months). The .mo files are
# committed, so the image and a fresh clone need no gettext; a test checks they
# match their .po. Run after editing a .po (GNU gettext's msgfmt).
messages:
	for po in $$(find locale -name '*.po'); do msgfmt --check -o "$${po%.po}.mo" "$$po"; done

clean:
	rm -rf $(VENV) staticfiles .django_cache .pytest_cache node_modules test-artifacts
