"""What becomes of an incoming story against the stored one: decided without the database."""

import datetime

from articles.importers.base import ParsedStory
from articles.importers.decisions import CONFLICT_NOTE, Decider, story_hash, text_hash
from articles.importers.loader import ImportOptions
from articles.importers.outcomes import Action
from articles.models import Article

WIRE_DATE = datetime.datetime(2024, 12, 2, 9, 30, tzinfo=datetime.UTC)
PARAGRAPHS = ("افتتحت البلدية حديقة جديدة في الحي الشرقي.", "وتضم الحديقة ملاعب للأطفال.")


def incoming(headline="افتتاح حديقة في الحي الشرقي", paragraphs=PARAGRAPHS, **fields):
    return ParsedStory(headline=headline, paragraphs=paragraphs, published_at=WIRE_DATE, **fields)


def stored(story: ParsedStory, status=Article.Status.PUBLISHED, version=1) -> Article:
    """The story as saved by an earlier import of ``story``."""
    return Article(
        pk=7,
        headline=story.headline,
        dateline=story.dateline,
        image_caption=story.caption,
        status=status,
        version=version,
        published_at=WIRE_DATE,
        content_hash=story_hash(story),
    )


def decide(story, article, paragraphs=PARAGRAPHS, **options):
    decider = Decider(ImportOptions(**options), may_publish=True)
    return decider.decide(story, article, story_hash(story), list(paragraphs))


def test_a_new_story_is_created_as_a_draft():
    plan = decide(incoming(), None)
    assert (plan.kind, plan.action, plan.status, plan.version) == (
        "create",
        Action.CREATED,
        Article.Status.DRAFT,
        1,
    )


def test_the_same_copy_again_is_unchanged():
    story = incoming()
    assert decide(story, stored(story)).action == Action.UNCHANGED


def test_publish_releases_a_stored_draft_whose_copy_is_unchanged():
    story = incoming()
    plan = decide(story, stored(story, status=Article.Status.DRAFT), publish=True)
    assert (plan.kind, plan.action) == ("publish", Action.PUBLISHED)


def test_new_copy_updates_to_the_next_version_and_keeps_the_old_text():
    old = incoming()
    plan = decide(incoming(headline="افتتاح حديقة كبيرة في الحي الشرقي"), stored(old))
    assert (plan.kind, plan.version) == ("update", 2)
    assert "حُدِّث من النسخة 1 إلى النسخة 2" in plan.message
    assert plan.previous.startswith("النص السابق (النسخة 1):")


def test_an_older_version_is_ignored():
    old = incoming(version=3)
    plan = decide(incoming(headline="عنوان أقدم", version=2), stored(old, version=3))
    assert (plan.kind, plan.action) == ("skip", Action.UNCHANGED)
    assert "نسخة أقدم" in plan.message


def test_copy_an_editor_changed_since_is_a_conflict_unless_overwritten():
    old = incoming()
    edited_paragraphs = ("فقرة كتبها محرر.",)
    new = incoming(headline="عنوان جديد من الوكالة")
    conflict = decide(new, stored(old), paragraphs=edited_paragraphs)
    assert (conflict.action, conflict.message) == (Action.CONFLICT, CONFLICT_NOTE)
    overwritten = decide(new, stored(old), paragraphs=edited_paragraphs, overwrite=True)
    assert overwritten.action == Action.UPDATED


def test_a_cancellation_withdraws_the_stored_story():
    story = incoming()
    plan = decide(incoming(is_canceled=True, version=4), stored(story))
    assert (plan.kind, plan.version) == ("withdraw", 4)


def test_a_cancellation_of_an_unknown_story_changes_nothing():
    plan = decide(incoming(is_canceled=True), None)
    assert (plan.kind, plan.action) == ("skip", Action.UNCHANGED)


def test_the_text_hash_ignores_whitespace_a_form_may_add():
    assert text_hash("عنوان", "", "", ["نص  الخبر "]) == text_hash("عنوان ", "", "", ["نص الخبر"])
