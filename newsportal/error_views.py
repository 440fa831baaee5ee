"""Error pages: inside the admin in the admin's design and Arabic, elsewhere the site's own.

Django calls these (urls.handler403/404/500) only with DEBUG off; CSRF_FAILURE_VIEW
is csrf_failure, always. A path under
the admin's prefix gets templates/admin/403.html, 404.html or 500.html, with
the newsroom's header and a way back to the dashboard; any other path gets
Django's default views, which render the reader's templates/404.html and
500.html. https://docs.djangoproject.com/en/5.2/ref/views/#error-views
"""

import logging

from django.contrib import admin
from django.http import HttpResponseServerError
from django.template import loader
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import csrf, defaults

logger = logging.getLogger(__name__)


def _in_admin(request) -> bool:
    return request.path.startswith(reverse("admin:index"))


def _admin_page(request, template_name: str, title: str, status: int):
    # each_context asks the user's permissions (the sidebar, the user links):
    # fine for a 403 or 404, never for a 500 (see server_error).
    context = {**admin.site.each_context(request), "title": title}
    return TemplateResponse(request, template_name, context, status=status).render()


def permission_denied(request, exception):
    if _in_admin(request):
        return _admin_page(request, "admin/403.html", "لا تملك صلاحية هذه الصفحة", 403)
    return defaults.permission_denied(request, exception)


def csrf_failure(request, reason=""):
    """A form refused for its CSRF token: in the admin, usually a form left open too long."""
    if _in_admin(request):
        return _admin_page(request, "admin/403_csrf.html", "تعذّر قبول النموذج", 403)
    return csrf.csrf_failure(request, reason)


def page_not_found(request, exception):
    if _in_admin(request):
        return _admin_page(request, "admin/404.html", "الصفحة غير موجودة", 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """The admin's 500 without the database (it may be the outage) or the request's user."""
    if not _in_admin(request):
        return defaults.server_error(request)
    # No request, so no context processor runs: nothing here reads the session
    # or the user. The header's names are plain attributes of the admin site.
    context = {
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
        "site_url": admin.site.site_url,
        "title": "حدث خطأ في غرفة الأخبار",
    }
    try:
        html = loader.get_template("admin/500.html").render(context)
    except Exception:
        # The admin's page needs its static files' manifest; the reader's
        # 500.html needs nothing, so it is the last resort.
        logger.exception("The admin's 500 page could not be rendered")
        return defaults.server_error(request)
    return HttpResponseServerError(html)
