"""ASGI entry point, for servers that speak ASGI."""

import os

from django.core.asgi import get_asgi_application

from newsportal.embedded_db import start_embedded_server

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsportal.settings")

start_embedded_server()
application = get_asgi_application()
