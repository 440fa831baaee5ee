"""Decoding plain-text wire files: detection, forced encodings and refusals."""

import codecs

import pytest

from articles.arabic import CONTROL_CHARACTERS
from articles.importers.base import BINARY_MESSAGE, StoryParseError
from articles.importers.charset import UNKNOWN_MESSAGE, decode

TEXT = "عنوان الخبر\r\nرويترز – بيروت\r\nنص الخبر\u00a0هنا: 26/11/2024.\r\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),
        TEXT.encode("utf-16-le"),
        TEXT.encode("utf-16-be"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-32"),
        TEXT.encode("cp1256"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "utf16be-bom", "utf32", "cp1256"],
)
def test_decode_detects_every_encoding_wire_files_come_in(data):
    assert decode(data) == TEXT


def test_decode_reads_plain_ascii_as_utf8():
    assert decode(b"Headline\n2024-11-26\n") == "Headline\n2024-11-26\n"


def test_decode_uses_a_forced_encoding():
    assert decode("نص".encode("cp1256"), "windows-1256") == "نص"


def test_decode_refuses_an_unknown_encoding_name():
    with pytest.raises(StoryParseError) as error:
        decode(b"x", "klingon-8")

    assert error.value.message == (
        "الترميز «klingon-8» غير معروف؛ استعمل مثلاً utf-8 أو cp1256 أو utf-16"
    )


def test_decode_names_line_and_column_of_a_bad_byte_in_damaged_utf8():
    data = "سطر أول سليم\nسطر ثان".encode() + b"\xff" + " ثم نص عربي طويل سليم".encode()

    with pytest.raises(StoryParseError) as error:
        decode(data)

    assert error.value.line == 2
    assert error.value.message.startswith("الملف بترميز UTF-8 لكن فيه بايت غير صالح (0xff)")
    assert "العمود 8" in error.value.message


def test_decode_refuses_binary_data():
    with pytest.raises(StoryParseError) as error:
        decode(bytes(range(256)) * 4)

    assert error.value.message == BINARY_MESSAGE


def test_decode_refuses_text_that_is_not_arabic_windows_1256():
    with pytest.raises(StoryParseError) as error:
        decode("Ça coûte très cher à Montréal".encode("cp1252"))

    assert error.value.message == UNKNOWN_MESSAGE


def test_decode_refuses_control_characters_in_valid_utf8():
    with pytest.raises(StoryParseError) as error:
        decode(b"\x01\x02\x03\x04" + "نص".encode())

    assert error.value.message == BINARY_MESSAGE


@pytest.mark.parametrize("control", sorted(CONTROL_CHARACTERS))
def test_decode_finds_every_control_character_in_valid_utf8(control):
    # One in twenty-one characters: over the share text ever has.
    with pytest.raises(StoryParseError) as error:
        decode(("نص الخبر هنا في سطر واحد" + control).encode())

    assert error.value.message == BINARY_MESSAGE


def test_decode_keeps_a_stray_control_character_in_long_utf8_text():
    text = "نص الخبر هنا. " * 20 + "\x07"

    assert decode(text.encode()) == text
