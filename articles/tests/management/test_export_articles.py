"""The export_articles command: the JSON Lines schema, status filters, and the round trip."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.exporters import article_record, export_queryset
from articles.importers.jsonl import FIELDS
from articles.models import Article, ImportRecord, Source

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data"


def export(*args):
    out = io.StringIO()
    call_command("export_articles", *args, stdout=out, stderr=io.StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_every_line_has_exactly_the_schemas_keys_in_order(make_article):
    make_article()
    (record,) = export()
    assert tuple(record) == FIELDS


def test_export_record_holds_the_story(make_article):
    article = make_article(
        headline="افتتاح جسر المشاة الجديد",
        paragraphs=("افتتحت البلدية جسر المشاة.", "ويربط الجسر ضفتي النهر."),
        dateline="بغداد",
        image_caption="الجسر عند الافتتاح",
        publisher="الامة برس",
        source="واع",
        version=3,
    )
    (record,) = export()
    assert record["guid"] == article.guid
    assert record["slug"] == article.slug
    assert record["headline"] == "افتتاح جسر المشاة الجديد"
    assert (record["source"], record["publisher"]) == ("واع", "الامة برس")
    assert (record["dateline"], record["caption"]) == ("بغداد", "الجسر عند الافتتاح")
    assert record["paragraphs"] == ["افتتحت البلدية جسر المشاة.", "ويربط الجسر ضفتي النهر."]
    assert record["status"] == "published"
    assert record["url"] == article.get_absolute_url()
    assert record["version"] == 3


def test_missing_values_are_null_not_empty(make_article):
    make_article(dateline="", image_caption="", publisher="")
    (record,) = export()
    assert (record["dateline"], record["caption"], record["publisher"]) == (None, None, None)


def test_published_at_is_iso_8601_with_an_offset(make_article):
    moment = datetime.datetime(2024, 11, 26, 7, 15, tzinfo=datetime.UTC)
    make_article(published_at=moment)
    (record,) = export()
    parsed = datetime.datetime.fromisoformat(record["published_at"])
    assert parsed.utcoffset() is not None
    assert parsed == moment


def test_paragraphs_come_in_order_without_the_dateline():
    call_command("import_articles", str(DATA / "nitf/tunis_marathon_plain.xml"), verbosity=0)
    (record,) = export()
    assert record["dateline"] == "تونس"
    assert record["paragraphs"][0].startswith("شارك آلاف العدائين")


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("published", ["published"]),
        ("draft", ["draft"]),
        ("all", ["published", "draft", "withdrawn"]),
    ],
)
def test_status_option_filters(make_article, status, expected):
    for state in ("published", "draft", "withdrawn"):
        make_article(headline=f"خبر حالته {state}", status=state)
    assert [record["status"] for record in export("--status", status)] == expected


def test_default_exports_every_story(make_article):
    make_article(status="draft")
    make_article(status="withdrawn")
    assert len(export()) == 2


def test_unknown_status_is_a_usage_error():
    with pytest.raises(CommandError) as error:
        call_command("export_articles", "--status", "scheduled")
    assert error.value.returncode == 2


def test_output_option_writes_the_file_and_nothing_else(make_article, tmp_path):
    make_article()
    make_article(headline="خبر ثان")
    call_command("export_articles", "--output", str(tmp_path / "out.jsonl"), stdout=io.StringIO())
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["headline"] for line in lines][1] == "خبر ثان"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.jsonl"]


def test_arabic_is_written_as_itself(make_article):
    make_article(headline="خبر")
    out = io.StringIO()
    call_command("export_articles", stdout=out, stderr=io.StringIO())
    assert '"headline": "خبر"' in out.getvalue()


def test_export_streams_with_a_fixed_number_of_queries(make_article, django_assert_max_num_queries):
    for number in range(30):
        make_article(headline=f"خبر رقم {number}")
    with django_assert_max_num_queries(3):
        records = [article_record(article) for article in export_queryset("all")]
    assert len(records) == 30


def test_round_trip_export_import_export_gives_the_same_lines(make_article, seed_bytes, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "seed.txt").write_bytes(seed_bytes)
    for path in [
        "newsml/amman_water_xhtml.xml",
        "newsml/message_two_items.xml",
        "nitf/tripoli_library_ns.xml",
        "ninjs/v2_rabat_tram.json",
        "jsonl/three_stories.jsonl",
    ]:
        (tmp_path / "in" / Path(path).name).write_bytes((DATA / path).read_bytes())
    call_command("import_articles", str(tmp_path / "in"), "--publish", verbosity=0)
    make_article(headline="صورة: غروب الشمس على الكورنيش", paragraphs=(), image_caption="الغروب")
    first = tmp_path / "first.jsonl"
    call_command("export_articles", "--output", str(first), stdout=io.StringIO())

    ImportRecord.objects.all().delete()
    Article.objects.all().delete()
    Source.objects.all().delete()
    call_command("import_articles", str(first), verbosity=0)
    second = tmp_path / "second.jsonl"
    call_command("export_articles", "--output", str(second), stdout=io.StringIO())

    lines = first.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 10
    assert second.read_text(encoding="utf-8").splitlines() == lines
