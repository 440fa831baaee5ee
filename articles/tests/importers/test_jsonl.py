"""The JSON Lines parser: our export schema, one story per line, a bad line named."""

import datetime
import json
from pathlib import Path

import pytest

from articles.importers import jsonl
from articles.importers.base import ParsedStory, StoryParseError
from articles.models import Article

DATA = Path(__file__).resolve().parents[1] / "data" / "jsonl"


def line(**fields):
    story = {
        "guid": "export:1",
        "slug": "خبر-تجريبي",
        "headline": "مجلس البلدية يقر موازنة العام المقبل",
        "source": "بترا",
        "publisher": None,
        "published_at": "2024-12-01T10:00:00+03:00",
        "dateline": "عمّان",
        "caption": None,
        "paragraphs": ["أقر مجلس البلدية الموازنة بالإجماع.", "وتزيد الموازنة عشرة في المئة."],
        "status": "draft",
        "url": "/story/خبر-تجريبي/",
        "version": 4,
    }
    story.update(fields)
    return json.dumps(story, ensure_ascii=False).encode()


def only(data):
    (item,) = jsonl.parse(data)
    return item


def test_export_line_becomes_a_story_with_every_field():
    story = only(line())
    assert story.guid == "export:1"
    assert story.slug == "خبر-تجريبي"
    assert story.headline == "مجلس البلدية يقر موازنة العام المقبل"
    assert story.source == "بترا"
    assert story.dateline == "عمّان"
    assert story.paragraphs == (
        "أقر مجلس البلدية الموازنة بالإجماع.",
        "وتزيد الموازنة عشرة في المئة.",
    )
    assert story.status == "draft"
    assert story.version == 4
    assert story.line == 1


def test_published_at_keeps_its_offset():
    story = only(line())
    assert story.published_at == datetime.datetime(2024, 12, 1, 7, 0, tzinfo=datetime.UTC)


def test_nulls_become_empty_values():
    story = only(line(publisher=None, caption=None, slug=None, status=None, version=None))
    assert (story.publisher, story.caption, story.slug, story.status) == ("", "", "", "")
    assert story.version is None


def test_missing_keys_count_as_null():
    story = only(json.dumps({"headline": "عنوان فقط", "paragraphs": ["نص"]}).encode())
    assert story.guid == ""
    assert story.published_at is None


def test_original_is_the_line_itself():
    data = line()
    assert only(data).original == data.decode()


def test_values_are_kept_exactly_as_written():
    story = only(line(headline="  عنوان  بمسافات  "))
    assert story.headline == "  عنوان  بمسافات  "


def test_fixture_gives_three_stories_with_their_lines():
    stories = list(jsonl.parse((DATA / "three_stories.jsonl").read_bytes()))
    assert [story.line for story in stories] == [1, 2, 4]
    assert [story.status for story in stories] == ["published", "draft", "withdrawn"]


def test_bad_line_is_an_error_naming_its_line_and_the_others_still_parse():
    items = list(jsonl.parse((DATA / "one_bad_line.jsonl").read_bytes()))
    assert [type(item) for item in items] == [ParsedStory, StoryParseError, ParsedStory]
    assert items[1].line == 2
    assert "JSON غير سليم" in items[1].message


def test_crlf_line_endings_and_bom_are_accepted():
    data = b"\xef\xbb\xbf" + line() + b"\r\n" + line(guid="export:2") + b"\r\n"
    assert [story.guid for story in jsonl.parse(data)] == ["export:1", "export:2"]


def test_unknown_key_is_an_error_naming_it():
    (error,) = jsonl.parse(line(title="عنوان"))
    assert isinstance(error, StoryParseError)
    assert "title" in error.message


def test_line_that_is_not_an_object_is_an_error():
    (error,) = jsonl.parse(b'["\xd8\xb9"]')
    assert isinstance(error, StoryParseError)
    assert error.line == 1


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"headline": ""}, "headline"),
        ({"headline": 5}, "headline"),
        ({"paragraphs": "نص واحد"}, "paragraphs"),
        ({"paragraphs": ["نص", 3]}, "2"),
        ({"published_at": "2024-12-01 10:00"}, "فرق توقيت"),
        ({"published_at": "أمس"}, "ISO 8601"),
        ({"status": "scheduled"}, "status"),
        ({"version": 0}, "version"),
        ({"version": True}, "version"),
        ({"version": "2"}, "version"),
        ({"slug": "ليس slug/صالح"}, "slug"),
        ({"source": ["بترا"]}, "source"),
        ({"caption": "تعليق\u0000"}, "NUL"),
    ],
)
def test_invalid_field_is_an_error_saying_which(fields, named):
    (error,) = jsonl.parse(line(**fields))
    assert isinstance(error, StoryParseError)
    assert named in error.message
    assert error.line == 1


def test_a_slug_longer_than_the_model_holds_is_an_error():
    limit = Article._meta.get_field("slug").max_length
    (error,) = jsonl.parse(line(slug="خ" * (limit + 1)))
    assert isinstance(error, StoryParseError)
    assert error.message == f"الحقل slug أطول من {limit} محرفاً"


def test_lone_surrogate_is_an_error_naming_the_field():
    data = line().replace("عمّان".encode(), b"\\ud800")
    (error,) = jsonl.parse(data)
    assert isinstance(error, StoryParseError)
    assert "dateline" in error.message


def test_line_not_in_utf8_is_an_error_and_the_next_line_still_parses():
    items = list(jsonl.parse(line().replace("مجلس".encode(), b"\xe3\xc3") + b"\n" + line()))
    assert isinstance(items[0], StoryParseError)
    assert "UTF-8" in items[0].message
    assert isinstance(items[1], ParsedStory)


def test_blank_file_yields_nothing():
    assert list(jsonl.parse(b"\n  \n")) == []
