"""WSGI entry point, as gunicorn serves it: ``gunicorn newsportal.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

from newsportal.embedded_db import start_embedded_server

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsportal.settings")

start_embedded_server()
application = get_wsgi_application()
