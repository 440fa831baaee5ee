"""articles.revisions: the revisions an import writes in bulk are the ones reversion writes;
a revision's body compared with now's, paragraph by paragraph."""

import pytest
import reversion
from reversion.models import Version

from articles.revisions import (
    FIRST_REVISION_COMMENT,
    compare_paragraphs,
    keep_first_revisions,
    record_revisions,
)

pytestmark = pytest.mark.django_db

FIELDS = ["content_type_id", "object_id", "db", "format", "serialized_data", "object_repr"]


def rows(revision):
    versions = Version.objects.filter(revision=revision).order_by("content_type_id", "object_id")
    return [[getattr(version, field) for field in FIELDS] for version in versions]


def test_a_bulk_revision_is_the_one_reversion_writes(make_article, editor):
    story = make_article(
        headline='خبر تحفظ نسخته "بين علامتي تنصيص"',
        credits=["أ ف ب", "رويترز"],
        dateline="كابول",
        image_caption="صورة من كابول\nفي سطرين",
        image_renditions={"480": "photos/a-480.webp"},
    )
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


# Comparing a revision's body with now's -----------------------------------------


def _kinds(rows):
    return [(row.kind, row.old_number, row.new_number) for row in rows]


def test_unchanged_paragraphs_are_marked_the_same():
    rows = compare_paragraphs(["أ", "ب"], ["أ", "ب"])
    assert _kinds(rows) == [("same", 1, 1), ("same", 2, 2)]


def test_a_changed_paragraph_marks_the_words_removed_and_added():
    [row] = compare_paragraphs(
        ["قال الوزير إن المحطة تنتج مياه الشرب"], ["قال الوزير إن المحطة الجديدة تنتج الكهرباء"]
    )
    assert row.kind == "changed"
    assert row.old == "قال الوزير إن المحطة تنتج <del>مياه الشرب</del>"
    assert row.new == "قال الوزير إن المحطة <ins>الجديدة </ins>تنتج <ins>الكهرباء</ins>"


def test_a_paragraph_added_since_the_revision_is_marked_and_the_rest_pair_up():
    old = ["الفقرة الأولى من الخبر.", "الفقرة الثانية من الخبر."]
    new = ["الفقرة الأولى من الخبر.", "فقرة جديدة تماماً أضافها محرر.", "الفقرة الثانية من الخبر!"]
    rows = compare_paragraphs(old, new)
    assert _kinds(rows) == [("same", 1, 1), ("added", None, 2), ("changed", 2, 3)]
    assert rows[1].new == "<ins>فقرة جديدة تماماً أضافها محرر.</ins>"


def test_a_paragraph_removed_since_the_revision_is_marked():
    old = ["أولى كما هي.", "ثانية حذفها المحرر لاحقاً.", "ثالثة كما هي."]
    new = ["أولى كما هي.", "ثالثة كما هي."]
    rows = compare_paragraphs(old, new)
    assert _kinds(rows) == [("same", 1, 1), ("removed", 2, None), ("same", 3, 2)]
    assert rows[1].old == "<del>ثانية حذفها المحرر لاحقاً.</del>"


def test_the_comparison_escapes_the_text():
    [row] = compare_paragraphs(["<b>نص</b> قديم"], ["<script>x</script> قديم"])
    assert "<b>" not in row.old and "<script>" not in row.new
    assert "&lt;b&gt;" in row.old and "&lt;script&gt;" in row.new
