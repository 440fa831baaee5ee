"""The Import page off the web request: the upload is stored, queued, followed on its page."""

import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from procrastinate.contrib.django.models import ProcrastinateJob

from articles.import_jobs import ImportJob
from articles.models import Article
from articles.tests.admin_support import EDITORS, newsroom_user
from articles.tests.job_support import run_queued_jobs

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/articles/article/import/"
STORY = (
    "افتتاح حديقة عامة جديدة في حي النخيل\n\nوكالة الاختبار\n2026-11-20\n\n"
    "افتتحت البلدية صباح اليوم حديقة عامة جديدة تضم ممرات للمشي وملاعب للأطفال.\n\n"
    "وقال رئيس البلدية إن الحديقة تخدم سكان الحي والأحياء المجاورة."
).encode()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signed_in(user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def editor():
    return newsroom_user("editor", EDITORS)


def upload(client, data=STORY, name="park.txt", **fields):
    file = SimpleUploadedFile(name, data, content_type="text/plain")
    return client.post(IMPORT_URL, {"files": [file], **fields})


def test_the_upload_answers_at_once_with_its_progress_page_and_imports_nothing_itself(editor):
    response = upload(signed_in(editor), publish="on")
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_import_job", args=[job.pk])
    assert not Article.objects.exists()
    assert job.status == ImportJob.Status.QUEUED
    assert job.created_by == editor
    assert job.options == {"source": "", "publish": True, "overwrite": False, "dry_run": False}
    assert [(file.name, bytes(file.data)) for file in job.files.all()] == [("park.txt", STORY)]


def test_the_upload_is_queued_for_a_worker_with_its_job_id(editor):
    upload(signed_in(editor))
    job = ImportJob.objects.get()
    queued = ProcrastinateJob.objects.get(id=job.procrastinate_job_id)
    assert (queued.task_name, queued.queue_name, queued.status) == (
        "articles.ingest.jobs.import_upload_job",
        "imports",
        "todo",
    )
    assert queued.args == {"import_job_id": job.pk}


def test_the_progress_page_shows_the_status_a_script_and_a_plain_refresh_link(editor):
    client = signed_in(editor)
    page = client.get(upload(client)["Location"]).content.decode()
    assert "في الانتظار" in page
    assert "js/admin-import-job.js" in page
    assert "حدّث الصفحة" in page
    assert "http-equiv" not in page


def test_the_status_endpoint_follows_the_job_until_it_is_done(editor):
    client = signed_in(editor)
    location = upload(client)["Location"]
    status_url = reverse(
        "admin:articles_article_import_job_status", args=[ImportJob.objects.get().pk]
    )
    before = json.loads(client.get(status_url).content)
    assert before == {"status": "queued", "label": "في الانتظار", "processed": 0, "finished": False}
    assert run_queued_jobs() == [("articles.ingest.jobs.import_upload_job", "succeeded")]
    after = json.loads(client.get(status_url).content)
    assert (after["status"], after["processed"], after["finished"]) == ("done", 1, True)
    page = client.get(location).content.decode()
    assert "أُنشئ: <strong>1</strong>" in page
    assert "js/admin-import-job.js" not in page


def test_the_bytes_are_emptied_once_the_job_is_done_and_the_log_keeps_the_text(editor):
    upload(signed_in(editor))
    run_queued_jobs()
    job = ImportJob.objects.get()
    assert (job.status, job.summary, job.total_outcomes) == ("done", {"created": 1}, 1)
    assert bytes(job.files.get().data) == b""
    assert job.files.get().size == len(STORY)
    assert "حديقة عامة جديدة" in Article.objects.get().import_records.get().original


def test_a_refused_upload_is_failed_with_its_reason_on_the_progress_page(editor, settings):
    settings.IMPORT_UPLOAD_MAX_STORIES = 1
    lines = [
        json.dumps({"headline": f"خبر رقم {number}", "paragraphs": ["نص الخبر."]})
        for number in range(2)
    ]
    client = signed_in(editor)
    location = upload(client, "\n".join(lines).encode(), "two.jsonl")["Location"]
    run_queued_jobs()
    page = client.get(location).content.decode()
    assert ImportJob.objects.get().status == ImportJob.Status.FAILED
    assert "لم يُستورد هذا الرفع" in page
    assert "والحد 1 خبر لكل رفع" in page or "والحد خبر واحد لكل رفع" in page
    assert not Article.objects.exists()


def test_an_upload_past_the_bounds_is_refused_on_the_form_and_nothing_is_stored(editor, settings):
    settings.IMPORT_UPLOAD_MAX_BYTES = 10
    response = upload(signed_in(editor))
    assert response.status_code == 200
    assert "لكل رفع" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not ProcrastinateJob.objects.exists()


def test_another_editor_never_sees_someone_elses_upload(editor):
    location = upload(signed_in(editor))["Location"]
    other = signed_in(newsroom_user("other-editor", EDITORS))
    assert other.get(location).status_code == 404
    status_url = reverse(
        "admin:articles_article_import_job_status", args=[ImportJob.objects.get().pk]
    )
    assert other.get(status_url).status_code == 404


def test_a_superuser_sees_every_upload(editor):
    location = upload(signed_in(editor))["Location"]
    boss = signed_in(User.objects.create_superuser("boss", password="x"))
    assert boss.get(location).status_code == 200


def test_a_job_run_twice_imports_once(editor):
    from articles.ingest.jobs import import_upload_job

    upload(signed_in(editor))
    run_queued_jobs()
    job = ImportJob.objects.get()
    assert import_upload_job(import_job_id=job.pk) == "done"
    assert Article.objects.count() == 1
