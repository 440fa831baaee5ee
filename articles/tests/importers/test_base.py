"""Format detection: every format known by its content, and junk refused with a reason."""

import json
from pathlib import Path

import pytest

from articles.importers.base import (
    BINARY_MESSAGE,
    DTD_MESSAGE,
    MAX_CONTROL_SHARE,
    StoryParseError,
    check_not_binary,
    detect_format,
    is_binary_text,
)
from articles.importers.charset import decode

DATA = Path(__file__).resolve().parents[1] / "data"
SEED = Path(__file__).resolve().parents[3] / "samples" / "000_cd5be3f60da65570.txt"
STORY = "وزارة الصحة تطلق حملة تطعيم في المدارس\n\nواس\n2024-12-01\n\nالرياض - أطلقت الوزارة حملة."


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("newsml/amman_water_xhtml.xml", "newsml"),
        ("newsml/message_two_items.xml", "newsml"),
        ("newsml/cairo_book_fair_nitf.xml", "newsml"),
        ("nitf/tunis_marathon_plain.xml", "nitf"),
        ("nitf/tripoli_library_ns.xml", "nitf"),
        ("ninjs/v1_sharjah_calligraphy.json", "ninjs"),
        ("ninjs/v2_rabat_tram.json", "ninjs"),
        ("ninjs/array_two.json", "ninjs"),
        ("jsonl/three_stories.jsonl", "jsonl"),
    ],
)
def test_fixture_formats_are_detected_from_content(path, expected):
    # The name gives nothing away: only the content decides.
    assert detect_format((DATA / path).read_bytes(), "upload.dat") == expected


def test_seed_is_plain_text():
    assert detect_format(SEED.read_bytes(), "seed.txt") == "text"


def test_json_lines_export_is_recognised_by_its_paragraphs_key():
    line = json.dumps({"guid": "x", "headline": "عنوان", "paragraphs": ["نص"]}, ensure_ascii=False)
    assert detect_format(line.encode(), "export.json") == "jsonl"


def test_json_lines_with_a_broken_first_line_is_still_json_lines():
    data = (DATA / "jsonl/three_stories.jsonl").read_bytes()
    broken = b'{"headline": "\xd8\xb9\n' + data
    assert detect_format(broken, "upload") == "jsonl"


def test_single_line_ninjs_object_is_ninjs():
    item = {"uri": "urn:x", "headline": "عنوان", "body_text": "نص الخبر"}
    assert detect_format(json.dumps(item, ensure_ascii=False).encode(), "item") == "ninjs"


def test_jsonl_file_name_breaks_the_tie_for_a_one_line_file():
    item = {"guid": "urn:x", "headline": "عنوان"}
    assert detect_format(json.dumps(item).encode(), "stories.jsonl") == "jsonl"


def test_text_with_a_stray_opening_tag_is_plain_text():
    assert detect_format(("<p>" + STORY).encode(), "story.html") == "text"


def test_utf8_bom_and_leading_blank_lines_are_skipped():
    data = "\ufeff\n\n".encode() + (DATA / "newsml/amman_water_xhtml.xml").read_bytes()
    assert detect_format(data, "x") == "newsml"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "cp1256"])
def test_text_in_other_encodings_is_plain_text(encoding):
    assert detect_format(STORY.encode(encoding), "story.txt") == "text"


def test_forced_encoding_is_used_to_sniff():
    assert detect_format(STORY.encode("utf-16-le"), "story.txt", encoding="utf-16-le") == "text"


def test_billion_laughs_goes_to_the_parser_that_refuses_its_dtd():
    assert detect_format((DATA / "newsml/billion_laughs.xml").read_bytes(), "lol.xml") == "newsml"


def test_dtd_with_an_unknown_root_is_refused_as_a_dtd():
    data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises(StoryParseError, match="DTD") as error:
        detect_format(data, "x.xml")

    assert error.value.message == DTD_MESSAGE


def test_unknown_xml_root_is_refused_naming_it():
    data = b'<?xml version="1.0"?><opml version="2.0"><body/></opml>'
    with pytest.raises(StoryParseError, match="<opml>"):
        detect_format(data, "feeds.opml")


def test_whole_html_page_is_refused():
    data = "<!DOCTYPE html><html lang='ar'><body><p>خبر</p></body></html>".encode()
    with pytest.raises(StoryParseError, match="HTML"):
        detect_format(data, "page.html")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"PK\x03\x04\x14\x00\x00\x00", "zip"),
    ],
)
def test_known_binary_files_are_named(data, kind):
    with pytest.raises(StoryParseError, match=kind):
        detect_format(data, "upload")


def test_random_binary_is_refused():
    junk = bytes(range(256)) * 8
    with pytest.raises(StoryParseError, match="ثنائي"):
        detect_format(junk, "junk.bin")


def test_text_full_of_control_characters_is_refused():
    with pytest.raises(StoryParseError, match="ثنائي"):
        check_not_binary("عنوان\x01\x02\x03\x04\x05 نص".encode())


def test_sniffing_and_decoding_refuse_binary_alike():
    # Two control characters in a little over 1 / MAX_CONTROL_SHARE characters.
    data = ("ن" * round(1 / MAX_CONTROL_SHARE) + "\x07\x07").encode()

    with pytest.raises(StoryParseError) as sniffed:
        check_not_binary(data)
    with pytest.raises(StoryParseError) as decoded:
        decode(data)

    assert sniffed.value.message == decoded.value.message == BINARY_MESSAGE


def test_text_with_a_stray_control_character_is_not_binary():
    assert not is_binary_text("نص" * 100 + "\x07")


def test_a_nul_character_makes_text_binary():
    assert is_binary_text("نص" * 100 + "\x00")


@pytest.mark.parametrize("data", [b"", b"   \r\n\t\n", "\ufeff".encode()])
def test_empty_file_is_refused(data):
    with pytest.raises(StoryParseError, match="فارغ"):
        detect_format(data, "empty.txt")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ((DATA / "nitf/kairouan_carpets_fragment.xml").read_bytes(), "nitf"),
        ("<body.content><p>نص</p></body.content>".encode(), "nitf"),
        ("<contentMeta><headline>عنوان</headline></contentMeta>".encode(), "newsml"),
        ((DATA / "newsml/madaba_mosaic_fragment.xml").read_bytes(), "newsml"),
    ],
)
def test_detects_an_nitf_or_newsml_fragment_without_its_xml_declaration(data, expected):
    assert detect_format(data, "upload.dat") == expected


def test_an_html_body_is_still_scraped_text():
    assert detect_format("<body><p>نص منسوخ</p></body>".encode(), "upload.dat") == "text"
