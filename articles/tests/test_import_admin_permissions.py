"""The Import page enforces the change form's rules: a contributor never rewrites a live story."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from reversion.models import Version

from articles.models import Article, ImportRecord
from articles.tests.admin_support import (
    CONTRIBUTORS,
    EDITORS,
    change_url,
    newsroom_user,
    paragraph_texts,
)
from articles.tests.job_support import run_queued_jobs

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/articles/article/import/"
GUID = "export:import-page:0001"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signed_in(username, role):
    client = Client()
    client.force_login(
        newsroom_user(username, role), backend="django.contrib.auth.backends.ModelBackend"
    )
    return client


def jsonl(headline, paragraph, **fields):
    story = {
        "guid": GUID,
        "headline": headline,
        "source": "كونا",
        "published_at": "2024-12-04T08:00:00+03:00",
        "dateline": "الكويت",
        "paragraphs": [paragraph],
        **fields,
    }
    data = json.dumps(story, ensure_ascii=False).encode() + b"\n"
    return SimpleUploadedFile("wire.jsonl", data, content_type="application/octet-stream")


def upload(client, file, **fields):
    """Upload on the Import page, let a worker run the job; return its progress page."""
    response = client.post(IMPORT_URL, {"files": [file], **fields})
    assert response.status_code == 302
    run_queued_jobs()
    return client.get(response["Location"])


@pytest.fixture
def live_story():
    editor = signed_in("editor", EDITORS)
    original = jsonl("افتتاح معرض الكتاب في الكويت", "افتتح المعرض أبوابه صباح الأربعاء.")
    response = upload(editor, original, publish="on")
    assert response.status_code == 200
    story = Article.objects.get(guid=GUID)
    assert story.status == Article.Status.PUBLISHED
    return story


def test_contributor_upload_cannot_rewrite_a_published_story(live_story):
    contributor = signed_in("contributor", CONTRIBUTORS)
    forged = jsonl("عنوان مزور", "نص مزور.", status="published")
    response = upload(contributor, forged, publish="on", overwrite="on")
    assert response.status_code == 200
    page = response.content.decode()
    assert "رُفض" in page
    assert "لا يعدّله إلا المحررون" in page
    live_story.refresh_from_db()
    assert live_story.headline == "افتتاح معرض الكتاب في الكويت"
    assert paragraph_texts(live_story) == ["افتتح المعرض أبوابه صباح الأربعاء."]
    record = ImportRecord.objects.latest("id")
    assert (record.action, record.imported_by.username) == ("refused", "contributor")


def test_the_same_contributor_is_refused_on_the_change_form_too(live_story):
    contributor = signed_in("contributor", CONTRIBUTORS)
    # They may view it (read-only), never save it.
    assert contributor.post(change_url(live_story), {"headline": "عنوان مزور"}).status_code == 403


def test_an_editors_upload_is_a_revision_under_their_name(live_story):
    editor = Client()
    editor.force_login(
        live_story.import_records.first().imported_by,
        backend="django.contrib.auth.backends.ModelBackend",
    )
    upload(editor, jsonl("افتتاح معرض الكتاب الدولي في الكويت", "افتتح المعرض أبوابه."))
    latest = Version.objects.get_for_object(live_story).order_by("-pk").first()
    assert latest.revision.user.username == "editor"
    assert latest.field_dict["headline"] == "افتتاح معرض الكتاب الدولي في الكويت"
