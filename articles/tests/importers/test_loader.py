"""The loader: every story once, whole, logged; versions, conflicts and cancellations."""

import datetime
import hashlib
import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.utils import timezone

from articles.importers import newsml
from articles.importers.base import ParsedStory
from articles.importers.decisions import text_hash
from articles.importers.inputs import InputFile
from articles.importers.loader import Importer, ImportOptions
from articles.importers.outcomes import Action
from articles.importers.reading import derived_guid
from articles.importers.text import parse
from articles.models import (
    UNKNOWN_SOURCE_NAME,
    Article,
    ImportRecord,
    Paragraph,
    Source,
    WireVersion,
)
from articles.search.index import refresh_search_vectors
from articles.tests.import_support import import_file

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data"
AMMAN_GUID = "urn:newsml:wire.example:20241126:amman-water"


def story_text(headline, *paragraphs, credit="واس", date="2024-12-01"):
    """Plain-text copy in the seed's shape, written for these tests."""
    header = "\n".join(line for line in [headline, "", credit, date] if line is not None)
    return (header + "\n\n" + "\n\n".join(paragraphs)).encode()


GARDEN = story_text(
    "افتتاح حديقة عامة جديدة في حي السلام",
    "الرياض - افتتحت أمانة المنطقة صباح الأحد حديقة عامة جديدة في حي السلام.",
    "وتضم الحديقة ممرات للمشي وملاعب للأطفال ومساحات خضراء واسعة.",
)


def run(*files, **options):
    """Import (name, bytes) pairs through the loader; return the outcomes."""
    inputs = [InputFile(name, lambda data=data: data) for name, data in files]
    return list(Importer(ImportOptions(**options)).run(inputs))


def fixture(path):
    return (path, (DATA / path).read_bytes())


# Plain text and the seed ------------------------------------------------------


def test_seed_import_creates_one_draft_with_every_field(seed_bytes):
    (outcome,) = import_file("seed.txt", seed_bytes)
    assert outcome.action == Action.CREATED
    article = Article.objects.get()
    assert article.headline == "الحكومة الافغانية تلتقي سكرتير مجلس الأمن الروسي في كابول"
    assert article.source.name == "أ ف ب"
    assert article.publisher == "الامة برس"
    assert article.dateline == "كابول"
    assert article.image_caption.endswith("(أ ف ب)")
    assert article.status == Article.Status.DRAFT
    assert article.version == 1
    assert article.guid.startswith("text:")
    assert article.slug == "الحكومة-الافغانية-تلتقي-سكرتير-مجلس-الأمن-الروسي-في-كابول"
    assert timezone.localtime(article.published_at).date().isoformat() == "2024-11-26"
    paragraphs = list(article.paragraphs.values_list("position", "text"))
    assert [position for position, _ in paragraphs] == list(range(1, len(paragraphs) + 1))
    assert paragraphs[0][1].startswith("زار سكرتير")


def test_seed_import_with_publish_is_published(seed_bytes):
    list(import_file("seed.txt", seed_bytes, publish=True))
    assert Article.objects.published().count() == 1


def test_importing_the_same_file_twice_leaves_one_article(seed_bytes):
    list(import_file("seed.txt", seed_bytes))
    paragraphs = Paragraph.objects.count()
    (second,) = import_file("seed.txt", seed_bytes)
    assert second.action == Action.UNCHANGED
    assert Article.objects.count() == 1
    assert Paragraph.objects.count() == paragraphs


def test_unchanged_reimport_writes_nothing_to_the_story(seed_bytes):
    list(import_file("seed.txt", seed_bytes))
    before = Article.objects.values().get()
    list(import_file("seed.txt", seed_bytes))
    assert Article.objects.values().get() == before


def test_derived_guid_ignores_spelling_variants_of_the_headline(seed_bytes):
    (story,) = parse(seed_bytes)
    variant = story.__class__(**{**story.__dict__, "headline": story.headline.replace("ا", "أ", 1)})
    assert derived_guid(story) == derived_guid(variant)


def test_derived_guid_is_source_day_and_headline_hashed():
    story = ParsedStory(
        headline="عنوان ثابت",
        source="واس",
        published_at=datetime.datetime(2024, 12, 1, 23, 0, tzinfo=datetime.UTC),
    )
    # Stored articles are found again by this key: changing the recipe duplicates them.
    key = hashlib.sha256("واس|2024-12-01|عنوان ثابت".encode()).hexdigest()[:32]
    assert derived_guid(story) == f"text:{key}"


def test_derived_guid_of_copy_naming_an_outlet_ends_with_the_outlets_key():
    story = ParsedStory(
        headline="عنوان ثابت",
        source="واس",
        publisher="بوابة الخليج",
        published_at=datetime.datetime(2024, 12, 1, 23, 0, tzinfo=datetime.UTC),
    )
    key = hashlib.sha256("واس|2024-12-01|عنوان ثابت".encode()).hexdigest()[:32]
    outlet = hashlib.sha256("بوابه الخليج".encode()).hexdigest()[:12]
    assert derived_guid(story) == f"text:{key}/{outlet}"


OTHER_OUTLET = "بوابة الخليج"


def test_two_outlets_running_one_agency_story_under_its_headline_are_two_stories(seed_bytes):
    other = seed_bytes.replace("الامة برس".encode(), OTHER_OUTLET.encode(), 1)
    other = other.replace("وفق ما أعلنت كابول.".encode(), "وفق ما أعلنت كابول. (انتهى)".encode())
    (first,) = import_file("seed.txt", seed_bytes)
    (second,) = import_file("other.txt", other)
    assert (first.action, second.action) == (Action.CREATED, Action.CREATED)
    stories = Article.objects.order_by("pk")
    assert [story.publisher for story in stories] == ["الامة برس", OTHER_OUTLET]
    assert stories[0].paragraphs.first().text != stories[1].paragraphs.first().text
    # Copies of one story, which readers see once.
    assert stories[0].story_group_id == stories[1].story_group_id
    (again,) = import_file("seed.txt", seed_bytes)
    assert again.action == Action.UNCHANGED


def test_one_outlet_sending_its_copy_again_changed_updates_its_story(seed_bytes):
    changed = seed_bytes.replace("وفق ما أعلنت كابول.".encode(), "بحسب ما أعلنت كابول.".encode())
    list(import_file("seed.txt", seed_bytes))
    (outcome,) = import_file("seed-2.txt", changed)
    assert outcome.action == Action.UPDATED
    assert Article.objects.count() == 1


def test_stories_keyed_before_outlets_counted_are_found_by_their_file_again(seed_bytes):
    """Migration 0035 gives a story stored under the old key the key its file derives now."""
    list(import_file("seed.txt", seed_bytes))
    article = Article.objects.get()
    new_key = article.guid
    old_key = new_key.split("/")[0]
    Article.objects.update(guid=old_key)
    ImportRecord.objects.update(guid=old_key)
    WireVersion.objects.update(guid=old_key)
    migration = importlib.import_module("articles.migrations.0035_derived_guids_name_the_outlet")
    with connection.schema_editor() as schema_editor:
        migration.key_the_outlets(django_apps, schema_editor)
    assert Article.objects.get().guid == new_key
    assert set(ImportRecord.objects.values_list("guid", flat=True)) == {new_key}
    assert set(WireVersion.objects.values_list("guid", flat=True)) == {new_key}
    (again,) = import_file("seed.txt", seed_bytes)
    assert again.action == Action.UNCHANGED
    assert Article.objects.count() == 1


def test_dry_run_writes_nothing(seed_bytes):
    (outcome,) = import_file("seed.txt", seed_bytes, dry_run=True)
    assert outcome.action == Action.CREATED
    assert not Article.objects.exists()
    assert not Source.objects.exists()
    assert not ImportRecord.objects.exists()


def test_unreadable_file_fails_with_its_name_and_writes_nothing_but_the_log():
    (outcome,) = import_file("broken.txt", b"\xff\xfe\x00\xd8")
    assert outcome.action == Action.FAILED
    assert str(outcome).startswith("broken.txt")
    assert not Article.objects.exists()
    assert ImportRecord.objects.get().action == Action.FAILED


def test_same_headline_on_another_day_gets_its_own_slug(seed_bytes):
    list(import_file("seed.txt", seed_bytes))
    other_day = seed_bytes.replace(b"2024-11-26", b"2024-11-27")
    (outcome,) = import_file("seed-next-day.txt", other_day)
    assert outcome.action == Action.CREATED
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    assert slugs[1] == slugs[0] + "-2"


def test_copy_without_a_credit_gets_the_source_option():
    story = story_text(
        "انطلاق مهرجان الربيع في المدينة", "بدأت فعاليات المهرجان اليوم.", credit=None
    )
    run(("a.txt", story), source="وكالة المدينة")
    assert Article.objects.get().source.name == "وكالة المدينة"


def test_copy_without_a_credit_or_option_gets_the_unknown_source():
    story = story_text(
        "انطلاق مهرجان الربيع في المدينة", "بدأت فعاليات المهرجان اليوم.", credit=None
    )
    run(("a.txt", story))
    assert Article.objects.get().source.name == UNKNOWN_SOURCE_NAME


def test_credit_in_the_copy_wins_over_the_source_option():
    run(("garden.txt", GARDEN), source="وكالة المدينة")
    assert Article.objects.get().source.name == "واس"


def test_copy_without_a_date_uses_the_import_time_and_says_so():
    story = story_text("ندوة عن تاريخ الخط العربي", "عقدت الجمعية ندوة عن الخط.", date=None)
    before = timezone.now()
    (outcome,) = run(("nodate.txt", story))
    assert outcome.action == Action.CREATED
    assert "وقت الاستيراد" in outcome.message
    assert Article.objects.get().published_at >= before


def test_forced_encoding_reads_windows_1256():
    data = GARDEN.decode().encode("cp1256")
    (outcome,) = run(("garden.txt", data), encoding="cp1256")
    assert outcome.action == Action.CREATED
    assert Article.objects.get().headline == "افتتاح حديقة عامة جديدة في حي السلام"


def test_binary_junk_is_refused_with_a_reason():
    (outcome,) = run(("photo.bin", bytes(range(256)) * 4))
    assert outcome.action == Action.FAILED
    assert "ثنائي" in outcome.message


def test_binary_junk_is_refused_even_when_text_is_forced():
    (outcome,) = run(("photo.bin", bytes(range(256)) * 4), format="text")
    assert outcome.action == Action.FAILED


def test_headline_too_long_for_the_database_fails_cleanly():
    line = json.dumps({"headline": "خبر " * 200, "paragraphs": ["نص قصير."]}, ensure_ascii=False)
    (outcome,) = run(("long.jsonl", line.encode()))
    assert outcome.action == Action.FAILED
    assert "العنوان أطول من 500" in outcome.message
    assert not Article.objects.exists()


# Agencies' formats --------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "headline"),
    [
        ("newsml/amman_water_xhtml.xml", "عمّان تبدأ تشغيل خط جديد لنقل المياه إلى أحيائها الشرقية"),
        ("nitf/tunis_marathon_plain.xml", "آلاف العدائين يشاركون في ماراثون تونس السنوي"),
        (
            "ninjs/v2_rabat_tram.json",
            "الرباط تفتتح خط ترام ثالثاً يربط الأحياء الجنوبية بوسط المدينة",
        ),
    ],
)
def test_each_agency_format_creates_a_story_under_the_senders_id(path, headline):
    (outcome,) = run(fixture(path))
    assert outcome.action == Action.CREATED
    article = Article.objects.get()
    assert article.headline == headline
    assert not article.guid.startswith("text:")
    assert article.paragraphs.exists()


def test_nitf_doc_id_is_the_guid():
    run(fixture("nitf/tunis_marathon_plain.xml"))
    assert Article.objects.get().guid == "WIRE-20241130-0007"


def test_newsml_message_gives_one_story_per_item_each_with_its_own_original():
    outcomes = run(fixture("newsml/message_two_items.xml"))
    assert [outcome.action for outcome in outcomes] == [Action.CREATED, Action.CREATED]
    records = list(ImportRecord.objects.order_by("id"))
    assert "beirut-weather" in records[0].original
    assert "beirut-weather" not in records[1].original
    assert records[1].guid in records[1].original


def test_ninjs_array_gives_one_story_per_object():
    outcomes = run(fixture("ninjs/array_two.json"))
    assert [outcome.action for outcome in outcomes] == [Action.CREATED, Action.CREATED]
    assert Article.objects.count() == 2


def test_dtd_is_refused_and_nothing_is_saved():
    (outcome,) = run(fixture("newsml/billion_laughs.xml"))
    assert outcome.action == Action.FAILED
    assert "DTD" in outcome.message
    assert not Article.objects.exists()


def test_xxe_is_refused():
    (outcome,) = run(fixture("newsml/xxe.xml"))
    assert outcome.action == Action.FAILED
    assert "DTD" in outcome.message


def test_malformed_xml_fails_naming_the_line():
    (outcome,) = run(fixture("newsml/malformed.xml"))
    assert outcome.action == Action.FAILED
    assert outcome.line is not None


def test_forced_format_overrides_detection():
    (outcome,) = run(fixture("nitf/tunis_marathon_plain.xml"), format="ninjs")
    assert outcome.action == Action.FAILED
    assert "JSON" in outcome.message


# Versions ----------------------------------------------------------------------


def test_newer_version_updates_the_story_in_place():
    run(fixture("newsml/amman_water_xhtml.xml"))
    original_id = Article.objects.get().pk
    (outcome,) = run(fixture("newsml/amman_water_v2.xml"))
    assert outcome.action == Action.UPDATED
    article = Article.objects.get()
    assert article.pk == original_id
    assert article.version == 2
    assert article.headline == "عمّان تشغّل خطاً جديداً للمياه يخدم خمسين ألف أسرة"
    assert list(article.paragraphs.values_list("position", flat=True)) == [1, 2]


def test_update_keeps_the_previous_text_in_the_import_log():
    run(fixture("newsml/amman_water_xhtml.xml"))
    run(fixture("newsml/amman_water_v2.xml"))
    record = ImportRecord.objects.get(action=Action.UPDATED)
    assert "عمّان تبدأ تشغيل خط جديد لنقل المياه إلى أحيائها الشرقية" in record.message
    assert "أربعين ألف أسرة" in record.message
    assert "خمسين ألف أسرة" in record.original


def test_every_version_as_it_arrived_stays_in_the_log():
    run(fixture("newsml/amman_water_xhtml.xml"))
    run(fixture("newsml/amman_water_v2.xml"))
    originals = ImportRecord.objects.filter(guid=AMMAN_GUID).order_by("id")
    assert [record.version for record in originals] == [1, 2]
    assert 'version="1"' in originals[0].original


def test_version_without_a_sender_number_counts_up():
    run(("garden.txt", GARDEN))
    changed = GARDEN.replace("ممرات للمشي".encode(), "ممرات للدراجات".encode())
    (outcome,) = run(("garden.txt", changed))
    assert outcome.action == Action.UPDATED
    assert Article.objects.get().version == 2


def test_older_version_arriving_late_is_ignored():
    run(fixture("newsml/amman_water_v2.xml"))
    (outcome,) = run(fixture("newsml/amman_water_xhtml.xml"))
    assert outcome.action == Action.UNCHANGED
    assert "أقدم" in outcome.message
    assert Article.objects.get().version == 2


def test_versions_in_one_run_apply_in_order():
    outcomes = run(
        fixture("newsml/amman_water_xhtml.xml"),
        fixture("newsml/amman_water_v2.xml"),
        fixture("newsml/amman_water_canceled.xml"),
    )
    assert [outcome.action for outcome in outcomes] == [
        Action.CREATED,
        Action.UPDATED,
        Action.UPDATED,
    ]
    article = Article.objects.get()
    assert (article.version, article.status) == (3, Article.Status.WITHDRAWN)


# Editors' changes ---------------------------------------------------------------


def edit_first_paragraph(text="فقرة أعاد المحرر كتابتها."):
    Paragraph.objects.filter(position=1).update(text=text)


def test_story_changed_by_an_editor_is_a_conflict_and_left_alone():
    run(fixture("newsml/amman_water_xhtml.xml"))
    edit_first_paragraph()
    (outcome,) = run(fixture("newsml/amman_water_v2.xml"))
    assert outcome.action == Action.CONFLICT
    article = Article.objects.get()
    assert article.version == 1
    assert article.paragraphs.first().text == "فقرة أعاد المحرر كتابتها."


def test_overwrite_replaces_an_editors_change():
    run(fixture("newsml/amman_water_xhtml.xml"))
    edit_first_paragraph()
    (outcome,) = run(fixture("newsml/amman_water_v2.xml"), overwrite=True)
    assert outcome.action == Action.UPDATED
    assert "فقرة أعاد المحرر كتابتها." in ImportRecord.objects.get(action="updated").message
    assert Article.objects.get().version == 2


def test_same_copy_again_after_an_editors_change_keeps_the_change():
    run(fixture("newsml/amman_water_xhtml.xml"))
    edit_first_paragraph()
    (outcome,) = run(fixture("newsml/amman_water_xhtml.xml"))
    assert outcome.action == Action.UNCHANGED
    assert Article.objects.get().paragraphs.first().text == "فقرة أعاد المحرر كتابتها."


def test_whitespace_an_admin_form_trims_is_not_an_editors_change():
    run(("garden.txt", GARDEN))
    paragraph = Paragraph.objects.get(position=2)
    Paragraph.objects.filter(pk=paragraph.pk).update(text=paragraph.text + "  ")
    changed = GARDEN.replace("ممرات للمشي".encode(), "ممرات للدراجات".encode())
    (outcome,) = run(("garden.txt", changed))
    assert outcome.action == Action.UPDATED


def test_content_hash_is_the_hash_of_the_imported_text():
    run(("garden.txt", GARDEN))
    article = Article.objects.get()
    paragraphs = article.paragraphs.values_list("text", flat=True)
    expected = text_hash(article.headline, article.dateline, article.image_caption, paragraphs)
    assert article.content_hash == expected


# Cancellations, embargoes and publishing rights -------------------------------------


def test_cancellation_withdraws_the_story_it_replaces():
    run(fixture("newsml/amman_water_xhtml.xml"), publish=True)
    (outcome,) = run(fixture("newsml/amman_water_canceled.xml"))
    assert outcome.action == Action.UPDATED
    assert Article.objects.get().status == Article.Status.WITHDRAWN
    assert not Article.objects.published().exists()


def test_ninjs_cancellation_withdraws_too():
    run(fixture("ninjs/v1_sharjah_calligraphy.json"), publish=True)
    (outcome,) = run(fixture("ninjs/canceled.json"))
    assert outcome.action == Action.UPDATED
    assert Article.objects.get().status == Article.Status.WITHDRAWN


def test_cancellation_of_an_unknown_story_changes_nothing():
    (outcome,) = run(fixture("newsml/amman_water_canceled.xml"))
    assert outcome.action == Action.UNCHANGED
    assert not Article.objects.exists()


def test_contributor_cannot_withdraw_by_importing_a_cancellation(contributor):
    run(fixture("newsml/amman_water_xhtml.xml"), publish=True)
    (outcome,) = run(fixture("newsml/amman_water_canceled.xml"), user=contributor)
    assert outcome.action == Action.REFUSED
    assert Article.objects.get().status == Article.Status.PUBLISHED


def test_embargo_becomes_the_earliest_publication_time():
    (outcome,) = run(fixture("ninjs/embargoed.json"), publish=True)
    article = Article.objects.get()
    assert article.published_at == datetime.datetime(2024, 11, 30, 15, 0, tzinfo=datetime.UTC)
    # The embargo lifted long ago: the log says nothing of it.
    assert "محظور النشر" not in outcome.message


def test_future_embargo_keeps_a_published_story_from_readers_until_then():
    lifts = timezone.now() + datetime.timedelta(hours=6)
    item = {
        "uri": "urn:test:embargo",
        "headline": "نتائج امتحانات الثانوية العامة",
        "body_text": "أعلنت الوزارة نتائج امتحانات الثانوية العامة.",
        "versioncreated": timezone.now().isoformat(),
        "embargoed": lifts.isoformat(),
    }
    (outcome,) = run(("embargo.json", json.dumps(item, ensure_ascii=False).encode()), publish=True)
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == lifts
    assert not Article.objects.published().exists()
    assert "محظور النشر حتى" in outcome.message


def test_newsml_embargo_sets_the_publication_time():
    run(fixture("newsml/literacy_report_embargoed.xml"), publish=True)
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED
    (story,) = newsml.parse((DATA / "newsml/literacy_report_embargoed.xml").read_bytes())
    assert article.published_at == story.embargoed_until
    assert article.published_at > story.published_at


def test_contributors_imports_are_drafts_whatever_is_asked(contributor):
    run(fixture("jsonl/three_stories.jsonl"), publish=True, user=contributor)
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.DRAFT}


# JSON Lines -----------------------------------------------------------------------


def test_json_lines_status_slug_and_version_are_honoured():
    run(fixture("jsonl/three_stories.jsonl"))
    stories = {a.guid: a for a in Article.objects.all()}
    first = stories["export:test:0001"]
    assert (first.status, first.version) == (Article.Status.PUBLISHED, 2)
    assert first.slug == "افتتاح-مكتبة-عامة-جديدة-في-صيدا"
    assert stories["export:test:0002"].status == Article.Status.DRAFT
    assert stories["export:test:0003"].status == Article.Status.WITHDRAWN


def test_json_lines_bad_line_fails_alone():
    outcomes = run(fixture("jsonl/one_bad_line.jsonl"))
    assert [(o.action, o.line) for o in outcomes] == [
        (Action.CREATED, 1),
        (Action.FAILED, 2),
        (Action.CREATED, 3),
    ]
    assert str(outcomes[1]).startswith("jsonl/one_bad_line.jsonl:2: ")


def test_json_lines_slug_taken_by_another_story_gets_a_suffix_and_a_note(make_article):
    make_article(slug="افتتاح-مكتبة-عامة-جديدة-في-صيدا")
    outcomes = run(fixture("jsonl/three_stories.jsonl"))
    article = Article.objects.get(guid="export:test:0001")
    assert article.slug == "افتتاح-مكتبة-عامة-جديدة-في-صيدا-2"
    assert "مستخدم لخبر آخر" in outcomes[0].message


# The import log -----------------------------------------------------------------------


def test_every_story_gets_a_log_row_with_what_arrived(admin_user):
    run(("garden.txt", GARDEN), user=admin_user)
    record = ImportRecord.objects.get()
    article = Article.objects.get()
    assert (record.file_name, record.format, record.action) == ("garden.txt", "text", "created")
    assert (record.guid, record.version, record.article) == (article.guid, 1, article)
    assert record.headline == article.headline
    assert record.original == GARDEN.decode()
    assert record.imported_by == admin_user


def test_log_rows_of_a_json_lines_file_hold_their_own_line():
    run(fixture("jsonl/three_stories.jsonl"))
    record = ImportRecord.objects.get(guid="export:test:0002")
    assert record.line == 2
    assert record.original.startswith('{"guid": "export:test:0002"')


def test_failed_binary_file_is_logged_without_nul_characters():
    run(("junk.bin", b"\x00\x01\x02" * 100))
    assert "\x00" not in ImportRecord.objects.get().original


# Atomicity and batches ----------------------------------------------------------------


@pytest.fixture
def paragraph_trap():
    """A real database failure: PostgreSQL refuses any paragraph containing #كسر#."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION refuse_trapped_paragraph() RETURNS trigger AS $$
            BEGIN
                IF NEW.text LIKE '%#كسر#%' THEN RAISE EXCEPTION 'trapped paragraph'; END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER refuse_trapped_paragraph BEFORE INSERT ON articles_paragraph
                FOR EACH ROW EXECUTE FUNCTION refuse_trapped_paragraph();
            """
        )


def three_stories(trapped_second):
    second = "وقالت الوزارة إن العمل سيستمر #كسر#." if trapped_second else "وقالت الوزارة."
    return [
        ("1.txt", story_text("بدء صيانة الطريق الساحلي", "بدأت الوزارة صيانة الطريق.")),
        ("2.txt", story_text("إغلاق جسر المدينة للصيانة", "أغلقت البلدية الجسر.", second)),
        ("3.txt", story_text("توسعة مطار المدينة", "بدأت أعمال التوسعة في المطار.")),
    ]


def test_failure_in_the_middle_of_a_story_leaves_none_of_it(paragraph_trap):
    outcomes = run(*three_stories(trapped_second=True))
    assert [outcome.action for outcome in outcomes] == [
        Action.CREATED,
        Action.FAILED,
        Action.CREATED,
    ]
    assert "trapped paragraph" in outcomes[1].message
    assert sorted(Article.objects.values_list("headline", flat=True)) == [
        "بدء صيانة الطريق الساحلي",
        "توسعة مطار المدينة",
    ]
    assert not Paragraph.objects.filter(text__contains="الجسر").exists()
    assert ImportRecord.objects.filter(action=Action.FAILED, file_name="2.txt").exists()


def test_every_story_of_a_failed_batch_has_all_its_paragraphs(paragraph_trap):
    run(*three_stories(trapped_second=True))
    for article in Article.objects.all():
        assert article.paragraphs.count() == 1


def test_small_batches_give_the_same_result_as_one():
    files = [
        (f"{n}.txt", story_text(f"خبر رقم {n} عن المدينة", f"نص الخبر رقم {n}.")) for n in range(7)
    ]
    outcomes = run(*files, batch_size=3)
    assert [outcome.action for outcome in outcomes] == [Action.CREATED] * 7
    assert Article.objects.count() == 7
    assert ImportRecord.objects.count() == 7


def test_search_vectors_are_filled_for_created_and_updated_stories():
    run(("garden.txt", GARDEN))
    assert Article.objects.filter(search_vector__isnull=True).count() == 0
    Article.objects.update(search_vector=None)
    run(("garden.txt", GARDEN.replace("ممرات للمشي".encode(), "ممرات للدراجات".encode())))
    assert Article.objects.filter(search_vector__isnull=True).count() == 0


def test_vector_written_with_a_new_story_is_the_one_search_would_make():
    run(("garden.txt", GARDEN), fixture("newsml/message_two_items.xml"))
    imported = dict(Article.objects.values_list("pk", "search_vector"))
    refresh_search_vectors(imported)
    assert dict(Article.objects.values_list("pk", "search_vector")) == imported


def test_vector_written_with_an_update_is_the_one_search_would_make():
    run(fixture("newsml/amman_water_xhtml.xml"), ("garden.txt", GARDEN))
    changed = GARDEN.replace("ممرات للمشي".encode(), "ممرات للدراجات".encode())
    outcomes = run(fixture("newsml/amman_water_v2.xml"), ("garden.txt", changed))
    assert [outcome.action for outcome in outcomes] == [Action.UPDATED] * 2
    updated = dict(Article.objects.values_list("pk", "search_vector"))
    refresh_search_vectors(updated)
    assert dict(Article.objects.values_list("pk", "search_vector")) == updated
    assert any("'للدراجات'" in vector for vector in updated.values())


def test_dry_run_of_an_update_changes_nothing():
    run(fixture("newsml/amman_water_xhtml.xml"))
    (outcome,) = run(fixture("newsml/amman_water_v2.xml"), dry_run=True)
    assert outcome.action == Action.UPDATED
    assert Article.objects.get().version == 1
    assert ImportRecord.objects.count() == 1


def test_every_credit_and_the_section_are_stored_in_order():
    line = {
        "guid": "export:credits:1",
        "headline": "قمة اقتصادية في الرياض",
        "source": "واس",
        "credits": ["واس", "أ ف ب", "رويترز"],
        "section": "اقتصادي",
        "published_at": "2025-01-12T10:00:00+03:00",
        "paragraphs": ["انطلقت في الرياض أعمال قمة اقتصادية إقليمية."],
    }
    run(("credits.jsonl", json.dumps(line, ensure_ascii=False).encode() + b"\n"))
    article = Article.objects.get()
    assert (article.credits, article.section) == (["واس", "أ ف ب", "رويترز"], "اقتصادي")
    line |= {"credits": ["واس", "رويترز"], "paragraphs": ["نص محدّث للخبر."]}
    run(("credits.jsonl", json.dumps(line, ensure_ascii=False).encode() + b"\n"))
    assert Article.objects.get().credits == ["واس", "رويترز"]


def test_ninjs_resend_with_the_same_guid_and_a_higher_version_updates_the_one_story():
    (name, data) = fixture("ninjs/v2_guid_sousse_bodies.json")
    item = json.loads(data)
    first = item | {"version": "1", "headlines": [{"value": "عنوان أول للخبر"}]}
    run((name, json.dumps(first, ensure_ascii=False).encode()))
    original_id = Article.objects.get().pk
    (outcome,) = run((name, data))
    assert outcome.action == Action.UPDATED
    article = Article.objects.get()
    assert (article.pk, article.version) == (original_id, 2)
    assert article.headline == "ميناء سوسة يستقبل أول رحلة بحرية سياحية"


def test_a_story_another_import_stored_meanwhile_is_decided_again_not_failed(monkeypatch):
    # The batch, then the story alone, meet another import's insert of the same
    # guid (a unique violation once it commits); deciding again against it succeeds.
    from django.db import IntegrityError

    real_save, collisions = Importer._save, [2]

    def save(self, items):
        if collisions[0]:
            collisions[0] -= 1
            raise IntegrityError("duplicate key value violates unique constraint")
        return real_save(self, items)

    monkeypatch.setattr(Importer, "_save", save)
    data = story_text("خبر وصل مرتين في وقت واحد", "الرياض - نص الخبر كما وصل من الوكالة.")
    (outcome,) = import_file("twice.txt", data)
    assert outcome.action is Action.CREATED
    assert Article.objects.filter(headline="خبر وصل مرتين في وقت واحد").count() == 1
