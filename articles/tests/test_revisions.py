"""articles.revisions: the revisions an import writes in bulk are the ones reversion writes."""

import pytest
import reversion
from reversion.models import Version

from articles.revisions import FIRST_REVISION_COMMENT, keep_first_revisions, record_revisions

pytestmark = pytest.mark.django_db

FIELDS = ["content_type_id", "object_id", "db", "format", "serialized_data", "object_repr"]


def rows(revision):
    versions = Version.objects.filter(revision=revision).order_by("content_type_id", "object_id")
    return [[getattr(version, field) for field in FIELDS] for version in versions]


def test_a_bulk_revision_is_the_one_reversion_writes(make_article, editor):
    story = make_article(headline="خبر تحفظ نسخته")
    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.add_to_revision(story)
    record_revisions([(story, "نسخة بالجملة")], editor)
    by_reversion, in_bulk = sorted({v.revision for v in Version.objects.all()}, key=lambda r: r.pk)
    assert rows(in_bulk) == rows(by_reversion)
    assert len(rows(in_bulk)) == 3  # the story and its two paragraphs
    assert (in_bulk.user, in_bulk.get_comment()) == (editor, "نسخة بالجملة")


def test_each_story_gets_a_revision_of_its_own(make_article):
    first, second = make_article(headline="الأول"), make_article(headline="الثاني")
    record_revisions([(first, "أ"), (second, "ب")])
    for story, comment in [(first, "أ"), (second, "ب")]:
        (version,) = Version.objects.get_for_object(story)
        assert version.revision.get_comment() == comment
        assert {v.object_repr for v in version.revision.version_set.all()} >= {story.headline}
        assert version.revision.version_set.count() == 3


def test_first_revisions_are_kept_only_where_none_exists(make_article):
    kept, new = make_article(headline="له نسخة"), make_article(headline="بلا نسخة")
    record_revisions([(kept, "قديمة")])
    keep_first_revisions([kept.pk, new.pk])
    assert Version.objects.get_for_object(kept).count() == 1
    (version,) = Version.objects.get_for_object(new)
    assert version.revision.get_comment() == FIRST_REVISION_COMMENT
