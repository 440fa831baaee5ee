"""Safe XML parsing and the text clean-up shared by the wire parsers."""

import datetime
from pathlib import Path

import pytest

from articles.importers.base import StoryParseError
from articles.importers.xml_safety import (
    DTD_MESSAGE,
    MAX_DEPTH,
    clean_text,
    dateline_place,
    local_name,
    parse_datetime,
    parse_xml,
    split_credit,
    strip_dateline_lead,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "newsml"


def test_parse_xml_returns_the_root_element():
    root = parse_xml("<خبر><p>نص</p></خبر>".encode())

    assert local_name(root.tag) == "خبر"
    assert root.find("p").text == "نص"


def test_parse_xml_refuses_xxe_without_reading_the_file():
    with pytest.raises(StoryParseError) as error:
        parse_xml((DATA / "xxe.xml").read_bytes())

    assert error.value.message == DTD_MESSAGE
    assert error.value.line == 2
    assert "root:" not in str(error.value)


def test_parse_xml_refuses_billion_laughs_without_expanding_it():
    with pytest.raises(StoryParseError) as error:
        parse_xml((DATA / "billion_laughs.xml").read_bytes())

    assert error.value.message == DTD_MESSAGE
    assert error.value.line == 2


def test_parse_xml_refuses_a_doctype_that_declares_nothing():
    with pytest.raises(StoryParseError) as error:
        parse_xml(b'<?xml version="1.0"?>\n<!DOCTYPE nitf SYSTEM "nitf-3-6.dtd">\n<nitf/>')

    assert error.value.message == DTD_MESSAGE
    assert error.value.line == 2


def test_parse_xml_reports_the_line_of_malformed_xml():
    with pytest.raises(StoryParseError) as error:
        parse_xml((DATA / "malformed.xml").read_bytes())

    assert error.value.line == 5
    assert error.value.message == "ملف XML غير سليم: وسم الإغلاق لا يطابق وسم الفتح (العمود 5)"
    assert str(error.value).startswith("السطر 5: ")


def test_parse_xml_reports_an_empty_file():
    with pytest.raises(StoryParseError) as error:
        parse_xml(b"")

    assert error.value.message == "ملف XML غير سليم: الملف فارغ أو مبتور (العمود 1)"
    assert error.value.line == 1


def test_parse_xml_refuses_absurdly_deep_nesting():
    depth = MAX_DEPTH + 1

    with pytest.raises(StoryParseError) as error:
        parse_xml(b"<a>" * depth + b"</a>" * depth)

    assert str(MAX_DEPTH) in error.value.message


def test_clean_text_decodes_entities_and_collapses_whitespace():
    assert clean_text("  المياه\n\t &amp;  الطاقة&nbsp;&#1575;  ") == "المياه & الطاقة ا"


def test_clean_text_removes_zero_width_and_bidi_controls():
    text = "\ufeff\u200fعمّان\u200b \u202bتفتتح\u202c\u2066 خطاً\u2069\u200d\u200c\u200e\u061c\u2060"

    assert clean_text(text) == "عمّان تفتتح خطاً"


def test_parse_datetime_reads_compact_time_with_offset():
    assert parse_datetime("20241126T101500+0300") == datetime.datetime(
        2024, 11, 26, 10, 15, tzinfo=datetime.timezone(datetime.timedelta(hours=3))
    )


def test_parse_datetime_reads_z_as_utc():
    assert parse_datetime("2024-11-26T07:15:00Z") == datetime.datetime(
        2024, 11, 26, 7, 15, tzinfo=datetime.UTC
    )


def test_parse_datetime_reads_a_naive_time_as_utc():
    assert parse_datetime("2024-11-26T07:15:00") == datetime.datetime(
        2024, 11, 26, 7, 15, tzinfo=datetime.UTC
    )


def test_parse_datetime_returns_none_for_an_empty_value():
    assert parse_datetime("  ") is None


def test_parse_datetime_rejects_a_value_that_is_not_a_date():
    with pytest.raises(ValueError):
        parse_datetime("الثلاثاء صباحاً")


def test_split_credit_separates_agency_and_publisher():
    assert split_credit("أ ف ب-الامة برس") == ("أ ف ب", "الامة برس")


def test_split_credit_keeps_a_credit_without_a_dash():
    assert split_credit(" أ ش أ ") == ("أ ش أ", "")


def test_split_credit_keeps_a_hyphenated_latin_name():
    assert split_credit("Agence France-Presse") == ("Agence France-Presse", "")


@pytest.mark.parametrize(
    "paragraph",
    [
        "كابول - زار الوفد العاصمة.",
        "كابول (أ ف ب) - زار الوفد العاصمة.",
        "كابول، 26 تشرين الثاني/نوفمبر (أ ف ب) – زار الوفد العاصمة.",
    ],
)
def test_strip_dateline_lead_removes_place_agency_and_dash(paragraph):
    assert strip_dateline_lead([paragraph, "فقرة ثانية."], "كابول") == [
        "زار الوفد العاصمة.",
        "فقرة ثانية.",
    ]


def test_strip_dateline_lead_keeps_a_paragraph_that_only_mentions_the_place():
    paragraphs = ["كابول مدينة جبلية - هكذا وصفها الوفد."]

    assert strip_dateline_lead(paragraphs, "كابول") == paragraphs


def test_strip_dateline_lead_drops_a_paragraph_that_is_only_the_lead():
    assert strip_dateline_lead(["كابول (أ ف ب) -", "زار الوفد العاصمة."], "كابول") == [
        "زار الوفد العاصمة."
    ]


def test_dateline_place_keeps_the_place_before_the_comma():
    assert dateline_place("القاهرة، 26 تشرين الثاني/نوفمبر") == "القاهرة"
