"""IngestSource: its formats, its checks, and the admin pages only editors reach."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from articles.importers.base import FORMATS
from articles.ingest.sources import FEED_FORMATS, IMPORT_FORMATS, IngestSource
from articles.tests.admin_support import CONTRIBUTORS, EDITORS, newsroom_user

CHANGELIST = reverse("admin:articles_ingestsource_changelist")
ADD = reverse("admin:articles_ingestsource_add")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signed_in(username, role):
    client = Client()
    client.force_login(newsroom_user(username, role))
    return client


def test_the_formats_are_the_importers_plus_the_feeds():
    assert IMPORT_FORMATS == FORMATS
    assert IngestSource.Format.values == ["auto", *FORMATS, *FEED_FORMATS]


def test_a_folder_source_needs_an_existing_folder(tmp_path):
    source = IngestSource(name="وكالة", location=str(tmp_path / "missing"))
    with pytest.raises(ValidationError, match="لا يوجد مجلد"):
        source.clean()


def test_a_url_source_needs_an_http_url():
    source = IngestSource(name="وكالة", kind=IngestSource.Kind.URL, location="ftp://x.example/")
    with pytest.raises(ValidationError, match="الرابط"):
        source.clean()


@pytest.mark.django_db
def test_an_editor_adds_a_source_and_sees_its_state(tmp_path):
    client = signed_in("editor", EDITORS)
    response = client.post(
        ADD,
        {
            "name": "مجلد الوكالة",
            "kind": "folder",
            "location": str(tmp_path),
            "format": "auto",
            "poll_interval_seconds": "30",
            "default_credit": "وكالة الاختبار",
            "is_enabled": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    source = IngestSource.objects.get()
    assert (source.location, source.poll_interval_seconds) == (str(tmp_path), 30)
    IngestSource.objects.update(last_error="تعذّرت قراءة المجلد", failed_count=3)
    page = client.get(CHANGELIST).content.decode()
    for column in ("آخر استطلاع", "آخر نجاح", "آخر خطأ", "أخبار فشلت", "تعذّرت قراءة المجلد"):
        assert column in page


@pytest.mark.django_db
def test_a_contributor_neither_sees_nor_adds_sources(tmp_path):
    client = signed_in("writer", CONTRIBUTORS)
    assert client.get(CHANGELIST).status_code == 403
    response = client.post(ADD, {"name": "x", "kind": "folder", "location": str(tmp_path)})
    assert response.status_code == 403
    assert not IngestSource.objects.exists()
    assert "مصادر الاستيراد التلقائي" not in client.get(reverse("admin:index")).content.decode()
