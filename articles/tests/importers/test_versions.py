"""A story's versions win by number, whatever order its copies arrive in (issue 13)."""

import zipfile
from pathlib import Path

import pytest

from articles.importers.inputs import from_paths
from articles.importers.loader import Importer, ImportOptions
from articles.importers.outcomes import Action
from articles.models import Article, WireVersion

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "newsml"
AMMAN_GUID = "urn:newsml:wire.example:20241126:amman-water"
ORIGINAL = "amman_water_xhtml.xml"  # version 1
UPDATE = "amman_water_v2.xml"  # version 2
CANCEL = "amman_water_canceled.xml"  # version 3, stat:canceled


def run(*paths, **options):
    """Import files, folders or zips as the command does; return the outcomes."""
    inputs = from_paths([str(path) for path in paths], max_bytes=10_000_000)
    return list(Importer(ImportOptions(publish=True, **options)).run(inputs))


def copy(tmp_path, fixture, name):
    """The fixture saved under ``name``, which decides when a folder reads it."""
    path = tmp_path / name
    path.write_bytes((DATA / fixture).read_bytes())
    return path


def test_cancel_read_first_from_a_zip_leaves_the_story_withdrawn(tmp_path):
    archive = tmp_path / "wire.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        # Name order puts the cancellation before the story it cancels.
        zipped.writestr("a_cancel.xml", (DATA / CANCEL).read_bytes())
        zipped.writestr("b_story.xml", (DATA / ORIGINAL).read_bytes())
    cancel, story = run(archive)
    assert cancel.action == Action.UNCHANGED
    assert "حُفظ" in cancel.message
    article = Article.objects.get(guid=AMMAN_GUID)
    assert article.status == Article.Status.WITHDRAWN
    assert not Article.objects.published().exists()
    assert story.article_id == article.pk


def test_cancel_read_first_from_a_folder_leaves_the_story_withdrawn(tmp_path):
    folder = tmp_path / "wire"
    folder.mkdir()
    copy(folder, CANCEL, "1.xml")
    copy(folder, ORIGINAL, "2.xml")
    run(folder)
    assert Article.objects.get(guid=AMMAN_GUID).status == Article.Status.WITHDRAWN


def test_cancel_in_an_earlier_run_withdraws_the_story_arriving_later(tmp_path):
    (outcome,) = run(copy(tmp_path, CANCEL, "cancel.xml"))
    assert outcome.action == Action.UNCHANGED
    known = WireVersion.objects.get(guid=AMMAN_GUID)
    assert (known.version, known.is_canceled) == (3, True)
    run(copy(tmp_path, ORIGINAL, "story.xml"))
    article = Article.objects.get(guid=AMMAN_GUID)
    assert article.status == Article.Status.WITHDRAWN
    assert not Article.objects.published().exists()


def test_a_later_version_after_a_cancellation_is_not_published(tmp_path):
    run(copy(tmp_path, CANCEL, "cancel.xml"))
    run(copy(tmp_path, UPDATE, "update.xml"))
    assert not Article.objects.published().exists()


def test_an_older_version_after_a_newer_one_is_ignored_even_once_deleted(tmp_path):
    run(copy(tmp_path, UPDATE, "update.xml"))
    Article.objects.all().delete()
    (outcome,) = run(copy(tmp_path, ORIGINAL, "story.xml"))
    assert outcome.action == Action.UNCHANGED
    assert "أقدم" in outcome.message
    assert not Article.objects.exists()


def test_an_older_version_after_a_cancellation_and_a_newer_one_is_ignored(tmp_path):
    run(copy(tmp_path, UPDATE, "update.xml"), copy(tmp_path, CANCEL, "cancel.xml"))
    (outcome,) = run(copy(tmp_path, ORIGINAL, "story.xml"))
    assert outcome.action == Action.UNCHANGED
    article = Article.objects.get(guid=AMMAN_GUID)
    assert (article.version, article.status) == (3, Article.Status.WITHDRAWN)


def test_every_version_seen_is_remembered_at_its_highest(tmp_path):
    run(copy(tmp_path, ORIGINAL, "a.xml"), copy(tmp_path, UPDATE, "b.xml"))
    known = WireVersion.objects.get(guid=AMMAN_GUID)
    assert (known.version, known.is_canceled) == (2, False)
