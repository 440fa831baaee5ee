"""Copies of one wire story grouped on import (articles.story_groups through the loader)."""

import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client

from articles import group_log, transitions
from articles.grouping import fingerprint
from articles.models import Article, Source, StoryBand, StoryFingerprint
from articles.story_groups import unpack
from articles.tests.grouping_support import DISPATCH, SAME_TOPIC, TRAILER
from articles.tests.import_support import import_file
from articles.tests.job_support import run_queued_jobs

pytestmark = pytest.mark.django_db


def story(guid: str, paragraphs: list[str], *, at: str = "2026-11-20T10:00:00+03:00", **fields):
    return {
        "guid": guid,
        "headline": f"عنوان {guid}",
        "source": "فرانس برس",
        "published_at": at,
        "paragraphs": paragraphs,
        **fields,
    }


def jsonl(*stories) -> bytes:
    return "\n".join(json.dumps(s, ensure_ascii=False) for s in stories).encode()


def run(*stories) -> None:
    list(import_file("copies.jsonl", jsonl(*stories)))


def group_of(guid: str):
    return Article.objects.get(guid=guid).story_group_id


def test_copies_imported_together_share_a_group():
    run(story("afp", DISPATCH), story("outlet", [*DISPATCH[:3], TRAILER]))
    assert group_of("afp") == group_of("outlet") is not None


def test_a_copy_imported_later_joins_the_group():
    run(story("afp", DISPATCH))
    run(story("outlet", ["أ ف ب - الأمة برس", *DISPATCH[:4], TRAILER]))
    assert group_of("outlet") == group_of("afp")


def test_a_story_on_the_same_topic_gets_its_own_group():
    run(story("afp", DISPATCH), story("other", SAME_TOPIC))
    assert group_of("other") != group_of("afp")


def test_a_copy_outside_the_window_is_not_grouped():
    run(story("afp", DISPATCH))
    run(story("late", DISPATCH[:4], at="2026-12-10T10:00:00+03:00"))
    assert group_of("late") != group_of("afp")


def test_grouping_keeps_text_status_and_guid():
    run(story("afp", DISPATCH))
    run(story("outlet", DISPATCH[:4], status="draft"))
    outlet = Article.objects.get(guid="outlet")
    assert (outlet.status, list(outlet.paragraphs.values_list("text", flat=True))) == (
        Article.Status.DRAFT,
        DISPATCH[:4],
    )


def test_the_band_keys_are_stored_with_the_story():
    run(story("afp", DISPATCH))
    stored = StoryBand.objects.filter(article__guid="afp").values_list("key", flat=True)
    assert sorted(stored) == sorted(fingerprint(DISPATCH).band_keys)


def test_an_editors_grouping_is_kept_when_a_copy_arrives():
    run(story("afp", DISPATCH), story("other", SAME_TOPIC))
    Article.objects.filter(guid="other").update(
        story_group_id=group_of("afp"), is_grouped_by_editor=True
    )
    run(story("other", [*SAME_TOPIC, TRAILER], version=2))
    assert group_of("other") == group_of("afp")


def test_each_story_of_a_batch_stores_its_own_fingerprint():
    run(story("afp", DISPATCH), story("other", SAME_TOPIC))
    stored = StoryFingerprint.objects.get(article__guid="other")
    assert unpack(stored.shingles) == list(fingerprint(SAME_TOPIC).ids)


def test_a_story_too_short_to_compare_gets_a_group_of_its_own():
    run(story("afp", DISPATCH), story("brief", ["عاجل: انفجار في الميناء"]))
    assert group_of("brief") not in (None, group_of("afp"))


def test_a_copy_that_bridges_two_groups_joins_them():
    run(story("head", DISPATCH[:3]))
    run(story("tail", DISPATCH[2:]))
    run(story("whole", DISPATCH))
    assert group_of("tail") == group_of("head") == group_of("whole")


def test_withdrawing_one_copy_leaves_the_others_published():
    run(
        story("afp", DISPATCH, status="published"),
        story("outlet", DISPATCH[:4], status="published"),
    )
    afp = Article.objects.get(guid="afp")
    transitions.withdraw(afp)
    afp.save()
    assert Article.objects.get(guid="outlet").status == Article.Status.PUBLISHED


def test_the_import_command_groups_copies(tmp_path):
    (tmp_path / "afp.jsonl").write_bytes(jsonl(story("afp", DISPATCH)))
    (tmp_path / "outlet.jsonl").write_bytes(jsonl(story("outlet", [*DISPATCH[:3], TRAILER])))
    call_command("import_articles", str(tmp_path), stdout=io.StringIO())
    assert group_of("outlet") == group_of("afp")


def test_the_admin_import_page_groups_copies(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client = Client()
    client.force_login(User.objects.create_superuser("chief", "chief@example.com", "x"))
    data = jsonl(story("afp", DISPATCH), story("outlet", [*DISPATCH[:3], TRAILER]))
    client.post(
        "/admin/articles/article/import/",
        {"files": [SimpleUploadedFile("copies.jsonl", data, "application/octet-stream")]},
    )
    # The page queues the upload; a worker imports it.
    assert run_queued_jobs() == [("articles.ingest.jobs.import_upload_job", "succeeded")]
    assert group_of("outlet") == group_of("afp")


def test_group_copies_groups_stories_stored_before_grouping():
    run(story("afp", DISPATCH), story("outlet", [*DISPATCH[:3], TRAILER]))
    # As they stood before migration 0016: no fingerprint, no group.
    StoryFingerprint.objects.all().delete()
    Article.objects.update(story_group=None)
    before = group_log.latest_epoch()
    call_command("group_copies", stdout=io.StringIO())
    assert group_of("outlet") == group_of("afp") is not None
    # Logged, for the imports running meanwhile to compare theirs with (group_settling).
    ids = set(Article.objects.values_list("pk", flat=True))
    assert group_log.grouped_since(before) == ids


def test_an_import_with_grouping_off_stores_no_fingerprint():
    list(import_file("copies.jsonl", jsonl(story("afp", DISPATCH)), group_copies=False))
    assert (group_of("afp"), StoryFingerprint.objects.count(), StoryBand.objects.count()) == (
        None,
        0,
        0,
    )


def test_an_updated_story_is_grouped_with_its_new_text():
    run(story("afp", DISPATCH), story("other", SAME_TOPIC))
    run(story("other", [*DISPATCH[:4], TRAILER], version=2))
    assert group_of("other") == group_of("afp")
    stored = StoryFingerprint.objects.get(article__guid="other")
    assert unpack(stored.shingles) == list(fingerprint([*DISPATCH[:4], TRAILER]).ids)


def test_band_keys_are_stored_with_the_story_time():
    run(story("afp", DISPATCH))
    times = set(
        StoryBand.objects.filter(article__guid="afp").values_list("published_at", flat=True)
    )
    assert times == {Article.objects.get(guid="afp").published_at}


def test_grouping_leaves_the_connections_plan_settings_as_they_were():
    settings = "SELECT current_setting('work_mem'), current_setting('enable_bitmapscan')"
    with connection.cursor() as cursor:
        cursor.execute(settings)
        before = cursor.fetchone()
        run(story("afp", DISPATCH), story("outlet", [*DISPATCH[:3], TRAILER]))
        cursor.execute(settings)
        assert cursor.fetchone() == before
    assert group_of("outlet") == group_of("afp")


@pytest.mark.django_db(transaction=True)
def test_copies_imported_at_once_by_two_imports_share_a_group():
    # Two imports (two workers, two machines) in transactions of their own: the
    # first groups its copy and has not committed when the second groups its own.
    import threading
    import time

    from django.db import transaction

    grouped, errors = threading.Event(), []

    def in_thread(work):
        def target():
            try:
                work()
            except Exception as error:  # reported below, not lost in the thread
                errors.append(error)
                grouped.set()
            finally:
                connection.close()

        return threading.Thread(target=target)

    # Sources of their own, already stored: creating one source in both would
    # make the second wait for the first at that row, before grouping.
    for name in ("فرانس برس", "الأمة برس"):
        Source.objects.create(name=name)

    def first():
        with transaction.atomic():
            run(story("afp", DISPATCH))
            grouped.set()
            time.sleep(1.0)  # the second import groups meanwhile

    def second():
        grouped.wait(10)
        run(story("outlet", ["أ ف ب - الأمة برس", *DISPATCH[:4], TRAILER], source="الأمة برس"))

    threads = [in_thread(first), in_thread(second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert group_of("outlet") == group_of("afp") is not None
