"""GET /healthz: 200 when the database answers, 503 when it does not.

Answered by a middleware placed before all others, so that a probe from
inside the container (Docker's HEALTHCHECK, a load balancer) needs neither a
host in ALLOWED_HOSTS nor HTTPS: it never reaches host validation or the SSL
redirect. It reveals nothing but whether the database answers.
"""

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

HEALTH_PATH = "/healthz"


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != HEALTH_PATH:
            return self.get_response(request)
        if database_answers():
            response = HttpResponse("ok\n", content_type="text/plain")
        else:
            response = HttpResponse("database unavailable\n", status=503, content_type="text/plain")
        add_never_cache_headers(response)
        return response
