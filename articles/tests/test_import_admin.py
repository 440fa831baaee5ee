"""The admin's Import page and the import log."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles.models import Article, ImportJob, ImportRecord, Paragraph
from articles.tests.admin_support import CONTRIBUTORS, EDITORS, newsroom_user
from articles.tests.job_support import run_queued_jobs

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"
IMPORT_URL = "/admin/articles/article/import/"
BACKEND = "django.contrib.auth.backends.ModelBackend"
STORY = (
    "افتتاح مركز صحي جديد في قرية الجبل\n\nواس\n2024-12-05\n\n"
    "أبها - افتتحت وزارة الصحة الخميس مركزاً صحياً جديداً في قرية الجبل.\n\n"
    "ويخدم المركز نحو خمسة آلاف نسمة من سكان القرى المجاورة."
).encode()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Users are made in every test; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user):
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


@pytest.fixture
def editor():
    return newsroom_user("editor", EDITORS)


@pytest.fixture
def contributor():
    return newsroom_user("contributor", CONTRIBUTORS)


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def post(client, *files, **fields):
    """Upload as the Import page's form does; once a worker ran the job, the progress page."""
    response = client.post(IMPORT_URL, {"files": list(files), **fields})
    if response.status_code != 302:
        return response  # The form again, with why it refused the upload.
    assert ImportJob.objects.filter(
        pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    ).exists()
    run_queued_jobs()
    return client.get(response["Location"])


def test_import_url_has_its_name():
    assert reverse("admin:articles_article_import") == IMPORT_URL


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_without_add_permission_is_refused():
    user = User.objects.create_user("viewer", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    assert client_for(user).get(IMPORT_URL).status_code == 403


def test_import_page_is_an_arabic_admin_page_with_a_multiple_file_input(contributor):
    response = client_for(contributor).get(IMPORT_URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in content
    assert "استيراد أخبار" in content
    assert 'type="file" name="files" multiple' in content
    assert "csrfmiddlewaretoken" in content


def test_contributor_is_not_offered_publishing(contributor):
    content = client_for(contributor).get(IMPORT_URL).content.decode()
    assert 'name="publish"' not in content
    assert 'name="overwrite"' not in content


def test_editor_is_offered_publishing(editor):
    assert 'name="publish"' in client_for(editor).get(IMPORT_URL).content.decode()


def test_editor_upload_imports_and_shows_each_outcome(editor):
    response = post(
        client_for(editor),
        upload("health.txt", STORY),
        upload("amman.xml", (DATA / "newsml/amman_water_xhtml.xml").read_bytes()),
        publish="on",
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert Article.objects.published().count() == 2
    assert "health.txt" in content
    assert "أُنشئ: <strong>2</strong>" in content
    assert "افتتاح مركز صحي جديد في قرية الجبل" in content


def test_upload_links_to_its_rows_in_the_import_log(editor):
    content = post(client_for(editor), upload("health.txt", STORY)).content.decode()
    record = ImportRecord.objects.get()
    assert reverse("admin:articles_importrecord_change", args=[record.pk]) in content
    assert f"id__gte={record.pk}&amp;id__lte={record.pk}" in content


def test_log_link_lists_exactly_this_uploads_rows(editor):
    client = client_for(editor)
    post(client, upload("earlier.txt", STORY))
    response = post(
        client,
        upload("a.txt", STORY),
        upload("b.xml", (DATA / "nitf/tunis_marathon_plain.xml").read_bytes()),
    )
    log = client.get(response.context["log_url"])
    assert log.status_code == 200
    assert sorted(log.context["cl"].queryset.values_list("file_name", flat=True)) == [
        "a.txt",
        "b.xml",
    ]


def test_upload_records_who_imported(editor):
    post(client_for(editor), upload("health.txt", STORY))
    assert ImportRecord.objects.get().imported_by == editor


def test_contributors_upload_is_a_draft_even_if_publish_is_posted(contributor):
    post(client_for(contributor), upload("health.txt", STORY), publish="on")
    assert Article.objects.get().status == Article.Status.DRAFT


def test_contributors_posted_overwrite_is_ignored(contributor, editor):
    post(client_for(editor), upload("v1.xml", (DATA / "newsml/amman_water_xhtml.xml").read_bytes()))
    Article.objects.update(headline="عنوان عدّله المحرر")
    v2 = (DATA / "newsml/amman_water_v2.xml").read_bytes()
    post(client_for(contributor), upload("v2.xml", v2), overwrite="on")
    assert Article.objects.get().headline == "عنوان عدّله المحرر"
    assert ImportRecord.objects.filter(action="conflict").count() == 1


def test_zip_upload_imports_every_member(editor):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("one.txt", STORY)
        zipped.write(DATA / "nitf/tunis_marathon_plain.xml", "tunis.xml")
    content = post(client_for(editor), upload("wire.zip", archive.getvalue())).content.decode()
    assert Article.objects.count() == 2
    assert "wire.zip:tunis.xml" in content


def test_bad_file_is_reported_and_the_others_still_import(editor):
    response = post(
        client_for(editor),
        upload("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(300)),
        upload("a.txt", STORY),
    )
    content = response.content.decode()
    assert Article.objects.count() == 1
    assert "photo.jpg" in content
    assert "صورة JPEG" in content


def test_wire_text_is_escaped_in_the_results(editor):
    line = json.dumps({"headline": "<script>alert(1)</script> خبر", "paragraphs": ["نص"]})
    content = post(client_for(editor), upload("x.jsonl", line.encode())).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; خبر" in content


def test_check_only_saves_nothing(editor):
    content = post(client_for(editor), upload("a.txt", STORY), dry_run="on").content.decode()
    assert "لم يُحفظ شيء" in content
    assert not Article.objects.exists()
    assert not ImportRecord.objects.exists()


def test_post_without_a_file_shows_the_form_again_with_an_error(editor):
    response = client_for(editor).post(IMPORT_URL, {})
    assert response.status_code == 200
    assert "errors" in response.content.decode()
    assert not ImportRecord.objects.exists()


def test_post_without_csrf_token_is_refused(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor, backend=BACKEND)
    response = client.post(IMPORT_URL, {"files": [upload("a.txt", STORY)]})
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_article_list_has_an_import_button(editor):
    content = client_for(editor).get(reverse("admin:articles_article_changelist")).content.decode()
    assert f'href="{IMPORT_URL}"' in content
    assert "استيراد أخبار" in content


# The import log ----------------------------------------------------------------------


@pytest.fixture
def record(editor):
    post(client_for(editor), upload("health.txt", STORY.replace(b"\n\n", b"\n\n<b>&</b> ", 1)))
    return ImportRecord.objects.get()


def test_editor_reads_the_log_with_file_action_and_who(editor, record):
    content = client_for(editor).get(reverse("admin:articles_importrecord_changelist")).content
    content = content.decode()
    assert "health.txt" in content
    assert "أُنشئ" in content
    assert "editor" in content


def test_log_detail_shows_the_original_text_escaped(editor, record):
    url = reverse("admin:articles_importrecord_change", args=[record.pk])
    content = client_for(editor).get(url).content.decode()
    assert "افتتاح مركز صحي جديد في قرية الجبل" in content
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in content


def test_log_detail_links_to_every_version_of_the_story(editor, record):
    url = reverse("admin:articles_importrecord_change", args=[record.pk])
    content = client_for(editor).get(url).content.decode()
    assert "?guid=text%3A" in content


def test_log_filtered_by_guid_lists_that_storys_rows(editor):
    client = client_for(editor)
    post(client, upload("v1.xml", (DATA / "newsml/amman_water_xhtml.xml").read_bytes()))
    post(client, upload("v2.xml", (DATA / "newsml/amman_water_v2.xml").read_bytes()))
    post(client, upload("other.txt", STORY))
    url = reverse("admin:articles_importrecord_changelist")
    response = client.get(url, {"guid": "urn:newsml:wire.example:20241126:amman-water"})
    assert response.status_code == 200
    assert list(response.context["cl"].queryset.values_list("file_name", flat=True)) == [
        "v2.xml",
        "v1.xml",
    ]


def test_log_can_be_filtered_by_action_and_format(editor, record):
    url = reverse("admin:articles_importrecord_changelist")
    response = client_for(editor).get(url, {"action__exact": "created", "format": "text"})
    assert response.context["cl"].result_count == 1
    response = client_for(editor).get(url, {"format": "nitf"})
    assert response.context["cl"].result_count == 0


def test_nobody_adds_to_the_log(editor):
    client = client_for(User.objects.create_superuser("boss", password="x"))
    assert client.get(reverse("admin:articles_importrecord_add")).status_code == 403


def test_nobody_changes_the_log(editor, record):
    superuser = User.objects.create_superuser("boss", password="x")
    url = reverse("admin:articles_importrecord_change", args=[record.pk])
    client_for(superuser).post(url, {"message": "تعديل", "action": "failed"})
    record.refresh_from_db()
    assert record.action == "created"
    assert record.message != "تعديل"


def test_editor_cannot_delete_from_the_log(editor, record):
    url = reverse("admin:articles_importrecord_delete", args=[record.pk])
    assert client_for(editor).post(url, {"post": "yes"}).status_code == 403
    assert ImportRecord.objects.exists()


def test_superuser_can_delete_from_the_log(record):
    superuser = User.objects.create_superuser("boss", password="x")
    url = reverse("admin:articles_importrecord_delete", args=[record.pk])
    client_for(superuser).post(url, {"post": "yes"})
    assert not ImportRecord.objects.exists()


def test_contributor_cannot_read_the_log(contributor, record):
    url = reverse("admin:articles_importrecord_changelist")
    assert client_for(contributor).get(url).status_code == 403


# One upload is one web request: bounded -------------------------------------


def numbered_story(number):
    """STORY with a headline of its own, so every copy is a story of its own."""
    return STORY.replace("قرية الجبل\n".encode(), f"قرية الجبل {number}\n".encode(), 1)


def story_zip(count, compression=zipfile.ZIP_STORED):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression) as zipped:
        for number in range(count):
            zipped.writestr(f"{number}.txt", numbered_story(number))
    return archive.getvalue()


def understated(data, declared):
    """The zip ``data`` with every member's size in the central directory set to ``declared``."""
    data = bytearray(data)
    start = 0
    while (central := data.find(b"PK\x01\x02", start)) != -1:
        data[central + 24 : central + 28] = declared.to_bytes(4, "little")
        start = central + 4
    return bytes(data)


def assert_nothing_stored():
    assert not Article.objects.exists()
    assert not Paragraph.objects.exists()
    assert not ImportRecord.objects.exists()


@pytest.fixture
def small_bounds(settings):
    """Bounds small enough that an upload past them takes milliseconds to make."""
    settings.IMPORT_UPLOAD_MAX_FILES = 3
    settings.IMPORT_UPLOAD_MAX_STORIES = 3
    settings.IMPORT_UPLOAD_MAX_BYTES = 100_000
    return settings


def test_upload_of_more_files_than_the_bound_is_refused_whole(editor, small_bounds):
    response = post(client_for(editor), upload("wire.zip", story_zip(4)), publish="on")
    assert response.status_code == 200
    assert "يحوي الرفع 4 ملفات، والحد 3 ملفات لكل رفع" in response.content.decode()
    assert_nothing_stored()


def test_zip_members_and_plain_files_count_together(editor, small_bounds):
    response = post(
        client_for(editor), upload("wire.zip", story_zip(3)), upload("one.txt", numbered_story(9))
    )
    assert "يحوي الرفع 4 ملفات، والحد 3 ملفات" in response.content.decode()
    assert_nothing_stored()


def test_zip_declaring_more_bytes_than_the_bound_is_refused_whole(editor, small_bounds):
    data = story_zip(3)
    small_bounds.IMPORT_UPLOAD_MAX_BYTES = 3 * len(numbered_story(0)) - 1
    response = post(client_for(editor), upload("wire.zip", data), publish="on")
    content = response.content.decode()
    assert response.status_code == 200
    assert f"والحد {3 * len(numbered_story(0)) - 1} بايت لكل رفع" in content
    assert "import_articles" in content
    assert_nothing_stored()


def test_zip_holding_more_than_it_declares_is_refused_at_the_byte_bound(editor, small_bounds):
    # Each member declares 10 bytes: 30 in all, far under the bound, while
    # the three members hold more than the bound once decompressed.
    data = understated(story_zip(3, zipfile.ZIP_DEFLATED), declared=10)
    small_bounds.IMPORT_UPLOAD_MAX_BYTES = 2 * len(numbered_story(0))
    response = post(client_for(editor), upload("liar.zip", data), publish="on")
    content = response.content.decode()
    assert response.status_code == 200
    assert f"تجاوز الحد {2 * len(numbered_story(0))} بايت لكل رفع" in content
    assert_nothing_stored()


def test_jsonl_with_more_stories_than_the_bound_is_refused_whole(editor, small_bounds):
    lines = [
        json.dumps({"headline": f"خبر رقم {number}", "paragraphs": ["نص الخبر."]})
        for number in range(4)
    ]
    response = post(client_for(editor), upload("x.jsonl", "\n".join(lines).encode()))
    assert response.status_code == 200
    assert "يحوي الرفع أكثر من 3 أخبار، والحد 3 أخبار لكل رفع" in response.content.decode()
    assert_nothing_stored()


def test_check_only_is_bounded_too(editor, small_bounds):
    response = post(client_for(editor), upload("wire.zip", story_zip(4)), dry_run="on")
    assert "والحد 3 ملفات" in response.content.decode()
    assert_nothing_stored()


def test_upload_just_at_every_bound_imports(editor, small_bounds):
    small_bounds.IMPORT_UPLOAD_MAX_BYTES = sum(len(numbered_story(n)) for n in range(3))
    response = post(client_for(editor), upload("wire.zip", story_zip(3)), publish="on")
    assert "أُنشئ: <strong>3</strong>" in response.content.decode()
    assert Article.objects.count() == 3


def test_import_page_states_the_upload_bounds(editor, small_bounds):
    content = client_for(editor).get(IMPORT_URL).content.decode()
    assert "لـ3 ملفات على الأكثر" in content
    assert "و3 أخبار" in content


def test_command_line_is_not_bound_by_the_upload_bounds(tmp_path, small_bounds):
    (tmp_path / "wire.zip").write_bytes(story_zip(5))
    call_command("import_articles", str(tmp_path / "wire.zip"), stdout=io.StringIO())
    assert Article.objects.count() == 5
