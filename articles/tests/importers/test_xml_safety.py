"""Safe XML parsing: DTDs and entities refused, what agencies really send let through."""

from pathlib import Path

import pytest

from articles.importers.base import DTD_MESSAGE, StoryParseError
from articles.importers.xml_safety import (
    MAX_DEPTH,
    element_text,
    local_name,
    parse_xml,
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


def test_parse_xml_accepts_a_doctype_that_only_names_the_dtd_file():
    root = parse_xml(b'<?xml version="1.0"?>\n<!DOCTYPE nitf SYSTEM "nitf-3-6.dtd">\n<nitf/>')

    assert local_name(root.tag) == "nitf"


def test_parse_xml_accepts_a_public_doctype_after_a_comment():
    data = (
        b"<!-- wire -->\n"
        b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "xhtml1-strict.dtd">\n'
        b"<html/>"
    )

    assert local_name(parse_xml(data).tag) == "html"


def test_parse_xml_keeps_line_numbers_after_a_blanked_doctype():
    data = b'<!DOCTYPE nitf\n  SYSTEM "nitf-3-6.dtd">\n<nitf>\n<p></nitf>'

    with pytest.raises(StoryParseError) as error:
        parse_xml(data)

    assert error.value.line == 4


def test_parse_xml_refuses_a_doctype_with_an_internal_subset():
    data = b'<!DOCTYPE nitf SYSTEM "nitf-3-6.dtd" [<!ELEMENT nitf ANY>]>\n<nitf/>'

    with pytest.raises(StoryParseError) as error:
        parse_xml(data)

    assert error.value.message == DTD_MESSAGE
    assert error.value.line == 1


def test_parse_xml_refuses_a_doctype_after_the_root_starts():
    with pytest.raises(StoryParseError):
        parse_xml(b'<nitf><!DOCTYPE nitf SYSTEM "nitf-3-6.dtd"></nitf>')


def test_parse_xml_decodes_xhtml_named_entities():
    root = parse_xml("<p>المياه&nbsp;&amp;&nbsp;الطاقة &laquo;اليوم&raquo; &copy;</p>".encode())

    assert root.text == "المياه\xa0&\xa0الطاقة «اليوم» ©"


def test_parse_xml_still_refuses_an_entity_html_does_not_name():
    with pytest.raises(StoryParseError) as error:
        parse_xml(b"<p>&wire;</p>")

    assert error.value.line == 1


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


def test_element_text_cleans_the_text_of_descendants():
    root = parse_xml("<p>عمّان<br/>تفتتح <b>خطاً</b>&nbsp;جديداً\u200f</p>".encode())

    assert element_text(root) == "عمّان تفتتح خطاً جديداً"
