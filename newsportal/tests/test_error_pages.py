"""Error pages: inside the admin an Arabic page in the admin's design, elsewhere the site's own.

Django uses the handlers (newsportal.urls.handler403/404/500) only with DEBUG
off, as in the tests; a 500 is seen with raise_request_exception=False.
"""

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from articles.models import Article, Source
from articles.tests.admin_support import CONTRIBUTORS, EDITORS, newsroom_user
from newsportal import error_views
from newsportal import urls as project_urls


def broken(request):
    raise RuntimeError("a view that fails")


def forbidden(request):
    raise PermissionDenied


# The project's URLs, with two pages that fail, one in the admin and one a reader's.
urlpatterns = [
    path("admin/broken/", broken),
    path("broken/", broken),
    path("admin/forbidden/", forbidden),
    path("forbidden/", forbidden),
    *project_urls.urlpatterns,
]
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


def is_admin_page(html: str) -> bool:
    """Whether ``html`` is drawn by the admin's templates, with the newsroom's header."""
    return 'id="site-name"' in html and f">{admin.site.site_header}<" in html


@pytest.fixture
def contributor_client(db):
    client = Client()
    client.force_login(newsroom_user("musahim", CONTRIBUTORS))
    return client


@pytest.fixture
def editor_client(db):
    client = Client()
    client.force_login(newsroom_user("muharrir", EDITORS))
    return client


@pytest.fixture
def draft(db):
    return Article.objects.create(
        guid="error-pages:1",
        headline="مسودة للاختبار",
        slug="مسودة",
        source=Source.objects.create(name="بترا"),
        status=Article.Status.DRAFT,
    )


def test_a_contributor_opening_the_delete_page_sees_the_admins_arabic_403(
    contributor_client, draft
):
    response = contributor_client.get(reverse("admin:articles_article_delete", args=[draft.pk]))
    html = response.content.decode()
    assert response.status_code == 403
    assert is_admin_page(html)
    assert "لا تملك صلاحية هذه الصفحة" in html
    assert "Forbidden" not in html
    assert f'href="{reverse("admin:index")}"' in html


def test_a_contributor_opening_the_recover_list_sees_the_admins_arabic_403(contributor_client):
    response = contributor_client.get(reverse("admin:articles_article_recoverlist"))
    assert response.status_code == 403
    assert is_admin_page(response.content.decode())


def test_a_form_refused_for_its_csrf_token_is_explained_in_the_admin(db, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(newsroom_user("muharrir", EDITORS))
    response = client.post(reverse("admin:articles_article_change", args=[draft.pk]), {})
    html = response.content.decode()
    assert response.status_code == 403
    assert is_admin_page(html)
    assert "لم يُحفظ شيء" in html


def test_a_reader_form_refused_for_its_csrf_token_keeps_djangos_page(db):
    response = Client(enforce_csrf_checks=True).post("/")
    assert response.status_code == 403
    assert not is_admin_page(response.content.decode())


def test_a_missing_admin_page_is_the_admins_arabic_404(editor_client):
    response = editor_client.get("/admin/articles/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert is_admin_page(html)
    assert "الصفحة غير موجودة" in html
    assert "العودة إلى غرفة الأخبار" in html


def test_a_missing_reader_page_keeps_the_sites_own_404(client, db):
    response = client.get("/story/لا-يوجد/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'class="site-header"' in html
    assert not is_admin_page(html)


@pytest.mark.urls(__name__)
def test_an_admin_failure_is_the_admins_arabic_500(editor_client):
    editor_client.raise_request_exception = False
    response = editor_client.get("/admin/broken/")
    html = response.content.decode()
    assert response.status_code == 500
    assert is_admin_page(html)
    assert "حدث خطأ في غرفة الأخبار" in html


@pytest.mark.urls(__name__)
def test_a_reader_failure_keeps_the_sites_own_500(client, db):
    client.raise_request_exception = False
    response = client.get("/broken/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "حدث خطأ من جهتنا" in html
    assert not is_admin_page(html)


@pytest.mark.urls(__name__)
def test_a_reader_permission_error_keeps_djangos_plain_403(client, db):
    response = client.get("/forbidden/")
    assert response.status_code == 403
    assert not is_admin_page(response.content.decode())


@pytest.mark.urls(__name__)
def test_the_admins_500_asks_no_database_and_needs_no_user(db):
    # A request as the handler may get it during an outage: no session, no user.
    request = RequestFactory().get("/admin/broken/")
    with CaptureQueriesContext(connection) as queries:
        response = error_views.server_error(request)
    assert response.status_code == 500
    assert len(queries) == 0
    assert is_admin_page(response.content.decode())


@pytest.mark.urls(__name__)
def test_the_admins_500_falls_back_to_the_plain_page_when_it_cannot_render(db, settings, tmp_path):
    # A release whose static files were never collected: the admin's page
    # cannot name its stylesheets, the reader's plain 500.html needs none.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    response = error_views.server_error(RequestFactory().get("/admin/broken/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "حدث خطأ من جهتنا" in html
    assert not is_admin_page(html)
