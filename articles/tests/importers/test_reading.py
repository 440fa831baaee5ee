"""Reading inputs into items: the same result in worker processes as in this one."""

import datetime
import json
import re
from pathlib import Path

import pytest

from articles.grouping import fingerprint
from articles.importers.base import NO_TEXT
from articles.importers.inputs import InputFile, refused
from articles.importers.reading import (
    NO_BODY_BUT_A_CAPTION,
    PARALLEL_MIN_FILES,
    ReadSettings,
    _chunks,
    default_workers,
    read_file,
    read_inputs,
)
from articles.models import Article

DATA = Path(__file__).resolve().parents[1] / "data"


def story(number):
    return (
        f"مسابقة لحفظ الشعر في المدرسة رقم {number}\n\nواس\n2024-12-0{number % 9 + 1}\n\n"
        f"الطائف - نظمت المدرسة رقم {number} مسابقة لحفظ الشعر بين طلابها."
    ).encode()


def inputs():
    files = [InputFile(f"{n}.txt", lambda n=n: story(n)) for n in range(70)]
    files.insert(10, refused("big.txt", "الملف أكبر من الحد المسموح"))
    files.insert(40, InputFile("junk.bin", lambda: bytes(range(256))))
    files.append(InputFile("array.json", (DATA / "ninjs/array_two.json").read_bytes))
    return files


def summary(items):
    return [(item.file, item.guid, item.error, item.original, item.fingerprint) for item in items]


def test_worker_processes_give_the_same_items_in_the_same_order():
    inline = summary(read_inputs(inputs(), ReadSettings(), workers=0))
    parallel = summary(read_inputs(inputs(), ReadSettings(), workers=1))
    assert parallel == inline
    assert len(inline) == 74


def test_workers_are_sent_chunks_bounded_by_bytes_as_well_as_files():
    # Big files (a JSON Lines file of thousands of stories) travel one or two
    # at a time, so the chunks waiting in the parent stay small in memory.
    loaded = [(f"{n}.jsonl", b"x" * size, None) for n, size in enumerate([900, 900, 300, 50, 2000])]
    sizes = [[len(data) for _, data, _ in chunk] for chunk in _chunks(loaded, 3, 1000)]
    assert sizes == [[900, 900], [300, 50, 2000]]
    small = [(f"{n}.txt", b"x", None) for n in range(7)]
    assert [len(chunk) for chunk in _chunks(small, 3, 1000)] == [3, 3, 1]


def test_a_story_comes_with_the_fingerprint_grouping_compares():
    (item,) = read_file("a.txt", story(1), ReadSettings())
    assert item.fingerprint == fingerprint(item.story.paragraphs)


def test_no_fingerprint_is_made_when_grouping_is_off():
    (item,) = read_file("a.txt", story(1), ReadSettings(fingerprint=False))
    assert item.fingerprint is None


def test_refused_input_becomes_an_item_saying_why():
    (item,) = read_inputs([refused("big.txt", "الملف أكبر من الحد المسموح")], ReadSettings())
    assert (item.file, item.error) == ("big.txt", "الملف أكبر من الحد المسموح")
    assert item.story is None


def test_story_gets_the_key_it_is_known_by():
    (item,) = read_file("a.txt", story(1), ReadSettings())
    assert item.guid.startswith("text:")
    assert not item.error


def test_each_item_of_a_ninjs_array_keeps_its_own_original():
    first, second = read_file(
        "a.json", (DATA / "ninjs/array_two.json").read_bytes(), ReadSettings()
    )
    assert first.guid in first.original
    assert first.guid not in second.original


def test_source_option_too_long_for_the_database_is_a_problem_of_each_story():
    text = story(1).replace("واس\n".encode(), b"")
    (item,) = read_file("a.txt", text, ReadSettings(source="م" * 101))
    assert "اسم المصدر أطول" in item.error


@pytest.mark.parametrize("field", ["headline", "dateline", "publisher"])
def test_a_field_longer_than_the_model_holds_is_a_problem(field):
    limit = Article._meta.get_field(field).max_length
    text = json.dumps({"headline": "عنوان", "paragraphs": ["نص."], field: "خ" * (limit + 1)})
    (item,) = read_file("a.jsonl", text.encode(), ReadSettings())
    assert f"أطول من {limit} محرفاً" in item.error


def test_small_imports_parse_in_this_process():
    assert default_workers(PARALLEL_MIN_FILES - 1) == 0


# Stories with no text, and dates no story can carry ------------------------------

# What a paragraph can hold and still show a reader nothing.
BLANKS = ["", "  ", "\u00a0", "\u200f\u200e", "\t\u2003"]


def _blanked_xml(path):
    """A fixture whose every paragraph holds only blank characters."""
    data = (DATA / path).read_text()
    blank = f"<p>{BLANKS[2]} {BLANKS[3]}</p>"
    blanked = re.sub(r"<p>.*?</p>", lambda _: blank, data, flags=re.DOTALL)
    return re.sub(
        r'<description role="drol:caption">.*?</description>', "", blanked, flags=re.DOTALL
    ).encode()


def _jsonl(**fields):
    story = {
        "guid": "export:blank:1",
        "headline": "اجتماع لمجلس إدارة الغرفة التجارية في صحار",
        "source": "وكالة الأنباء العمانية",
        "published_at": "2024-12-03T10:00:00+04:00",
        "paragraphs": ["عقد مجلس إدارة الغرفة التجارية اجتماعه الدوري في صحار."],
        **fields,
    }
    return json.dumps(story, ensure_ascii=False).encode() + b"\n"


def _ninjs(body):
    item = {
        "uri": "urn:test:blank-ninjs",
        "headline": "تدشين مدرسة جديدة في إربد",
        "versioncreated": "2024-12-03T10:00:00+02:00",
        "body_html5": body,
    }
    return json.dumps(item, ensure_ascii=False).encode()


def _text(body):
    return f"تدشين مدرسة جديدة في إربد\n\nبترا\n2024-12-03\n\n{body}".encode()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("blank.jsonl", _jsonl(paragraphs=BLANKS)),
        ("blank.json", _ninjs("".join(f"<p>{blank}</p>" for blank in BLANKS))),
        ("blank.txt", _text("\n\n".join(BLANKS))),
        ("blank_newsml.xml", _blanked_xml("newsml/amman_water_xhtml.xml")),
        ("blank_nitf.xml", _blanked_xml("nitf/tunis_marathon_plain.xml")),
    ],
)
def test_a_story_of_blank_paragraphs_is_refused_in_every_format(name, data):
    (item,) = read_file(name, data, ReadSettings())
    assert item.error == NO_TEXT


def test_blank_paragraphs_among_text_are_dropped():
    paragraphs = ["\u00a0", "عقد المجلس اجتماعه الدوري.", " ", "وناقش خطة العام المقبل."]
    (item,) = read_file("mixed.jsonl", _jsonl(paragraphs=paragraphs), ReadSettings())
    assert item.error == ""
    assert item.story.paragraphs == ("عقد المجلس اجتماعه الدوري.", "وناقش خطة العام المقبل.")


def test_an_empty_paragraph_list_is_refused_as_before():
    (item,) = read_file("empty.jsonl", _jsonl(paragraphs=[]), ReadSettings())
    assert item.error == NO_TEXT


@pytest.mark.parametrize(
    "fields",
    [
        {"published_at": "9999-12-31T10:00:00+00:00"},
        {"published_at": "1850-01-01T10:00:00+00:00"},
        {"published_at": "0001-01-01T00:00:00+00:00"},
    ],
)
def test_a_date_no_story_can_carry_is_refused(fields):
    (item,) = read_file("dates.jsonl", _jsonl(**fields), ReadSettings())
    assert "خارج المدى المقبول" in item.error
    assert "1900-01-01" in item.error


def test_an_embargo_centuries_ahead_is_refused():
    item = {
        "uri": "urn:test:far-embargo",
        "headline": "نتائج القبول الجامعي",
        "body_text": "تعلن الوزارة نتائج القبول الجامعي.",
        "versioncreated": "2024-12-03T10:00:00+03:00",
        "embargoed": "2999-01-01T00:00:00+03:00",
    }
    data = json.dumps(item, ensure_ascii=False).encode()
    (read,) = read_file("embargo.json", data, ReadSettings())
    assert "موعد الحظر" in read.error


def test_a_date_within_a_year_ahead_is_accepted():
    ahead = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=30)).isoformat()
    (item,) = read_file("soon.jsonl", _jsonl(published_at=ahead), ReadSettings())
    assert item.error == ""


def _photo_ninjs(caption):
    item = {
        "uri": "urn:test:photo-story",
        "type": "text",
        "headline": "عمال يرممون السور القديم في صنعاء",
        "versioncreated": "2025-02-03T10:00:00+03:00",
        "associations": {
            "featureimage": {"type": "picture", "description_text": caption},
        },
    }
    return json.dumps(item, ensure_ascii=False).encode()


def test_a_caption_with_its_photo_credit_is_a_photo_story():
    data = _photo_ninjs("عمال يرممون جزءاً من السور القديم في صنعاء (أ ف ب)")
    (item,) = read_file("photo.json", data, ReadSettings())
    assert item.error == ""
    assert item.story.paragraphs == ()


def test_a_caption_alone_without_a_credit_is_a_story_that_lost_its_body():
    (item,) = read_file("photo.json", _photo_ninjs("عمال يرممون السور القديم"), ReadSettings())
    assert item.error == NO_BODY_BUT_A_CAPTION
