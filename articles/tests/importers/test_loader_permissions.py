"""The loader asks articles.permissions, as the change form does; every change is a revision."""

import datetime
import json

import pytest
from django.utils import timezone
from reversion.models import Version

from articles.importers.inputs import InputFile
from articles.importers.loader import Importer, ImportOptions
from articles.importers.outcomes import Action
from articles.models import Article, ImportRecord
from articles.tests.admin_support import paragraph_texts, reloaded

pytestmark = pytest.mark.django_db

GUID = "export:permissions:0001"
WIRE_DATE = "2024-12-02T09:30:00+03:00"


def line(headline="افتتاح جسر جديد فوق وادي حنيفة", *paragraphs, **fields):
    """One JSON Lines story in our export's schema, written for these tests."""
    story = {
        "guid": GUID,
        "headline": headline,
        "source": "واس",
        "published_at": WIRE_DATE,
        "dateline": "الرياض",
        "paragraphs": list(paragraphs)
        or ["افتتحت الأمانة جسراً جديداً فوق وادي حنيفة.", "ويخفف الجسر الزحام عن الطريق الدائري."],
        **fields,
    }
    return ("wire.jsonl", json.dumps(story, ensure_ascii=False).encode() + b"\n")


FORGED = line("عنوان مزور", "نص مزور كتبه من لا يملك النشر.", status="published")


def plain_text(*paragraphs):
    """The same story as plain text: same headline, credit and date, so the same key."""
    body = "\n\n".join(paragraphs)
    data = f"إغلاق طريق الساحل للصيانة\n\nوكالة الأنباء العمانية\n2024-12-03\n\n{body}"
    return ("coast.txt", data.encode())


def run(*files, **options):
    inputs = [InputFile(name, lambda data=data: data) for name, data in files]
    return list(Importer(ImportOptions(**options)).run(inputs))


def published_story():
    (outcome,) = run(line(), publish=True)
    return Article.objects.get(pk=outcome.article_id)


# Contributors: drafts, never a released story ---------------------------------


@pytest.mark.parametrize("options", [{}, {"overwrite": True}, {"publish": True, "overwrite": True}])
def test_contributor_cannot_change_a_published_story_by_import(contributor, options):
    story = published_story()
    (outcome,) = run(FORGED, user=contributor, **options)
    assert outcome.action == Action.REFUSED
    assert "لا يعدّله إلا المحررون" in outcome.message
    story = reloaded(story)
    assert story.headline == "افتتاح جسر جديد فوق وادي حنيفة"
    assert story.status == Article.Status.PUBLISHED
    assert "نص مزور كتبه من لا يملك النشر." not in paragraph_texts(story)


def test_the_refusal_is_in_the_import_log(contributor):
    published_story()
    run(FORGED, user=contributor)
    record = ImportRecord.objects.latest("id")
    assert record.action == ImportRecord.Action.REFUSED
    assert record.imported_by == contributor
    assert "لا يعدّله إلا المحررون" in record.message


def test_contributor_cannot_rewrite_a_published_plain_text_story(contributor):
    run(plain_text("مسقط - أغلقت البلدية طريق الساحل للصيانة."), publish=True)
    (outcome,) = run(plain_text("مسقط - نص بديل لا يملك كاتبه النشر."), user=contributor)
    assert outcome.action == Action.REFUSED
    assert paragraph_texts(Article.objects.get()) == ["أغلقت البلدية طريق الساحل للصيانة."]


def test_contributor_cannot_change_a_scheduled_story(contributor):
    ahead = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    run(line(published_at=ahead), publish=True)
    (outcome,) = run(line("عنوان آخر", published_at=ahead), user=contributor)
    assert outcome.action == Action.REFUSED


def test_contributor_cannot_change_a_withdrawn_story(contributor):
    run(line(status="withdrawn"))
    (outcome,) = run(line("عنوان آخر"), user=contributor)
    assert outcome.action == Action.REFUSED
    assert Article.objects.get().headline == "افتتاح جسر جديد فوق وادي حنيفة"


def test_contributor_updates_a_draft_and_it_stays_a_draft(contributor):
    run(line())
    (outcome,) = run(line("عنوان أدق للخبر", status="published"), user=contributor)
    assert outcome.action == Action.UPDATED
    story = Article.objects.get()
    assert (story.headline, story.status) == ("عنوان أدق للخبر", Article.Status.DRAFT)


def test_contributor_cannot_release_an_unchanged_draft(contributor):
    run(line())
    (outcome,) = run(line(), publish=True, user=contributor)
    assert outcome.action == Action.UNCHANGED
    assert Article.objects.get().status == Article.Status.DRAFT


def test_user_without_the_add_permission_creates_nothing(django_user_model):
    reader = django_user_model.objects.create_user("reader", is_staff=True)
    (outcome,) = run(line(), user=reader)
    assert outcome.action == Action.REFUSED
    assert not Article.objects.exists()


def test_editor_may_change_a_published_story(editor):
    published_story()
    (outcome,) = run(line("عنوان مصحح"), user=editor)
    assert outcome.action == Action.UPDATED
    assert Article.objects.get().headline == "عنوان مصحح"


# Every change an import makes is a revision -------------------------------------


def revisions(article):
    return list(Version.objects.get_for_object(article).order_by("revision__date_created", "pk"))


def test_an_update_is_a_revision_naming_the_importing_user(editor):
    story = published_story()
    run(line("عنوان مصحح"), user=editor)
    before, after = revisions(story)
    assert before.field_dict["headline"] == "افتتاح جسر جديد فوق وادي حنيفة"
    assert after.field_dict["headline"] == "عنوان مصحح"
    assert after.revision.user == editor
    assert "حُدِّث إلى النسخة 2" in after.revision.get_comment()


def test_an_update_from_the_command_line_names_the_command():
    story = published_story()
    run(line("عنوان مصحح"))
    latest = revisions(story)[-1]
    assert latest.revision.user is None
    assert "import_articles" in latest.revision.get_comment()


def test_the_revision_keeps_the_new_paragraphs(editor):
    story = published_story()
    run(line("عنوان مصحح", "فقرة أولى جديدة.", "فقرة ثانية جديدة."), user=editor)
    latest = revisions(story)[-1]
    paragraphs = [
        version.field_dict["text"]
        for version in latest.revision.version_set.all()
        if "text" in version.field_dict
    ]
    assert sorted(paragraphs) == ["فقرة أولى جديدة.", "فقرة ثانية جديدة."]


def test_a_cancellation_is_a_revision():
    story = published_story()
    cancel = {
        "uri": GUID,
        "headline": "ملغى",
        "pubstatus": "canceled",
        "version": "5",
    }
    run(("cancel.json", json.dumps(cancel, ensure_ascii=False).encode()))
    assert reloaded(story).status == Article.Status.WITHDRAWN
    assert revisions(story)[-1].field_dict["status"] == Article.Status.WITHDRAWN


def test_an_unchanged_reimport_adds_no_revision():
    story = published_story()
    run(line())
    assert revisions(story) == []


# --publish on a stored draft --------------------------------------------------


def test_publish_releases_an_unchanged_draft_and_says_so():
    run(line())
    (outcome,) = run(line(), publish=True)
    assert outcome.action == Action.PUBLISHED
    story = Article.objects.get()
    assert story.status == Article.Status.PUBLISHED
    assert story in Article.objects.published()


def test_released_draft_keeps_the_wire_date_and_records_the_release():
    run(line())
    before = timezone.now()
    run(line(), publish=True)
    story = Article.objects.get()
    assert story.published_at == datetime.datetime.fromisoformat(WIRE_DATE)
    assert story.released_at >= before


def test_releasing_an_unchanged_draft_is_a_revision():
    run(line())
    run(line(), publish=True)
    latest = revisions(Article.objects.get())[-1]
    assert latest.field_dict["status"] == Article.Status.PUBLISHED
    assert "نُشر" in latest.revision.get_comment()


def test_a_story_imported_published_records_its_release():
    before = timezone.now()
    run(line(), publish=True)
    assert Article.objects.get().released_at >= before


def test_a_draft_imported_has_no_release_moment():
    run(line())
    assert Article.objects.get().released_at is None
