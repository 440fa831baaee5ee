"""Reading the dates Arabic wire copy prints, and the ISO dates of the agency formats."""

import datetime
import re
import sys

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from articles.importers.date_parsing import (
    _FILLERS,
    _GREGORIAN_DATES,
    _HIJRI_DATES,
    _ONE_FOR_ONE_FOLD,
    _TIMES,
    _fold,
    leading_date,
    mentions_date,
    parse_arabic_date,
    parse_datetime,
    read_datetime,
    split_off_date,
)

RIYADH = datetime.timezone(datetime.timedelta(hours=3))
UTC = datetime.UTC


def at(hour=0, minute=0, day=26, month=11, tz=RIYADH):
    return datetime.datetime(2024, month, day, hour, minute, tzinfo=tz)


@pytest.mark.parametrize(
    "text",
    [
        "2024-11-26",
        "2024/11/26",
        "26/11/2024",
        "26-11-2024",
        "26.11.2024",
        "26 نوفمبر 2024",
        "26 من نوفمبر 2024",
        "26 تشرين الثاني 2024",
        "26 تشرين ثاني 2024",
        "الثلاثاء 26 تشرين الثاني/نوفمبر 2024",
        "الثلاثاء، 26 نوفمبر (تشرين الثاني) 2024",
        "يوم الثلاثاء 26 نوفمبر، 2024 م",
        "٢٦/١١/٢٠٢٤",
        "۲۶ نوفمبر ۲۰۲۴",
        "26نوفمبر2024",
        "نشر في: 26/11/2024",
        "آخر تحديث - 26 نوفمبر 2024",
    ],
)
def test_reads_a_date_line_in_every_style(text):
    assert parse_arabic_date(text, RIYADH) == at()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-11-26 10:30", at(10, 30)),
        ("26/11/2024 10:30", at(10, 30)),
        ("26/11/2024 - 10:30 ص", at(10, 30)),
        ("26 نوفمبر 2024 10:30 م", at(22, 30)),
        ("26 نوفمبر 2024 الساعة 10:30 صباحاً", at(10, 30)),
        ("26 نوفمبر 2024 10:30 مساءً", at(22, 30)),
        ("٢٦/١١/٢٠٢٤ ١٠:٣٠", at(10, 30)),
        ("٢٦/١١/٢٠٢٤ ١٠:٣٠ م", at(22, 30)),
        ("10:30 مساءً الثلاثاء 26/11/2024", at(22, 30)),
        ("26/11/2024 12:05 ظهرا", at(12, 5)),
        ("26/11/2024 1:15 ظهراً", at(13, 15)),
        ("26/11/2024 12:10 ص", at(0, 10)),
        ("26/11/2024 10:30 PM", at(22, 30)),
        ("26/11/2024 10:30:45", datetime.datetime(2024, 11, 26, 10, 30, 45, tzinfo=RIYADH)),
    ],
)
def test_reads_the_time_beside_the_date(text, expected):
    assert parse_arabic_date(text, RIYADH) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("26/11/2024 07:30 GMT", at(7, 30, tz=UTC)),
        ("26/11/2024 07:30 ت غ", at(7, 30, tz=UTC)),
        ("26/11/2024 07:30 بتوقيت غرينتش", at(7, 30, tz=UTC)),
        ("26/11/2024 10:30 ت م", at(10, 30, tz=RIYADH)),
        (
            "2024-11-26T10:30:00+01:00",
            at(10, 30, tz=datetime.timezone(datetime.timedelta(hours=1))),
        ),
        ("2024-11-26T07:30Z", at(7, 30, tz=UTC)),
    ],
)
def test_a_zone_written_with_the_time_wins_over_the_default(text, expected):
    assert parse_arabic_date(text, datetime.timezone(datetime.timedelta(hours=5))) == expected


@pytest.mark.parametrize(
    ("month", "number"),
    [
        ("كانون الثاني", 1),
        ("شباط", 2),
        ("آذار", 3),
        ("نيسان", 4),
        ("أيار", 5),
        ("حزيران", 6),
        ("تموز", 7),
        ("آب", 8),
        ("أيلول", 9),
        ("تشرين الأول", 10),
        ("تشرين الثاني", 11),
        ("كانون الأول", 12),
        ("يناير", 1),
        ("فبراير", 2),
        ("مارس", 3),
        ("أبريل", 4),
        ("ابريل", 4),
        ("مايو", 5),
        ("يونيو", 6),
        ("يونيه", 6),
        ("يوليو", 7),
        ("يوليه", 7),
        ("أغسطس", 8),
        ("اغسطس", 8),
        ("سبتمبر", 9),
        ("أكتوبر", 10),
        ("اكتوبر", 10),
        ("نوفمبر", 11),
        ("ديسمبر", 12),
        ("ماي", 5),
        ("يوليوز", 7),
        ("غشت", 8),
        ("شتنبر", 9),
        ("نونبر", 11),
        ("دجنبر", 12),
        ("جانفي", 1),
        ("فيفري", 2),
        ("أفريل", 4),
        ("جوان", 6),
        ("جويلية", 7),
        ("أوت", 8),
        ("نوقمبر", 11),
        ("نوڤمبر", 11),
    ],
)
def test_reads_levantine_egyptian_maghreb_names_and_misspellings(month, number):
    assert parse_arabic_date(f"3 {month} 2024", UTC) == datetime.datetime(
        2024, number, 3, tzinfo=UTC
    )


def test_reads_month_first_only_when_the_day_cannot_be_a_month():
    assert parse_arabic_date("11/26/2024", RIYADH) == at()
    assert parse_arabic_date("05/11/2024", RIYADH) == at(day=5)


@pytest.mark.parametrize("text", ["31/02/2024", "26/13/2024", "26 نوفمبر 1850"])
def test_an_impossible_date_is_found_but_not_read(text):
    found, rest = split_off_date(text, RIYADH)

    assert found.value is None
    assert found.text == text
    assert rest == []


def test_an_impossible_time_is_left_out_and_the_date_kept():
    assert parse_arabic_date("26/11/2024 25:10", RIYADH) == at()


def test_two_month_names_that_disagree_are_not_read():
    assert parse_arabic_date("26 تشرين الأول/نوفمبر 2024", RIYADH) is None


@pytest.mark.parametrize(
    "text",
    ["قال الوزير في 26 نوفمبر 2024", "رويترز", "", "26 نوفمبر", "الثلاثاء", "10:30"],
)
def test_a_line_that_is_not_only_a_full_date_is_not_a_date_line(text):
    assert parse_arabic_date(text, RIYADH) is None


def test_split_off_date_returns_place_and_agency_around_hijri_and_gregorian_dates():
    found, rest = split_off_date(
        "الرياض 25 جمادى الأولى 1446 هـ الموافق 27 نوفمبر 2024 م واس", RIYADH
    )

    assert found.value == at(day=27)
    assert found.is_hijri is False
    assert found.text == "27 نوفمبر 2024 م"
    assert rest == ["الرياض", "واس"]


def test_a_published_and_updated_line_is_one_date_line_read_from_its_first_date():
    line = "نشر في الثلاثاء 26/11/2024 - 10:30 ص | آخر تحديث 27/11/2024 11:00 ص"

    assert parse_arabic_date(line, RIYADH) == at(10, 30)


def test_split_off_date_converts_a_hijri_date_given_alone():
    found, rest = split_off_date("الأربعاء 25 جمادى الأولى 1446 هـ", RIYADH)

    assert found.value == at(day=27)
    assert found.is_hijri is True
    assert rest == []


def test_split_off_date_keeps_the_text_when_there_is_no_date():
    assert split_off_date(" القاهرة - أ ش أ ", RIYADH) == (None, ["القاهرة - أ ش أ"])


@pytest.mark.parametrize("text", ["26 نوفمبر", "الثلاثاء", "26 تشرين الثاني/نوفمبر", "26/11/2024"])
def test_mentions_date_sees_a_day_without_a_year(text):
    assert mentions_date(text)


@pytest.mark.parametrize("text", ["عاصمة مصر", "الجمعية العامة", "1446"])
def test_mentions_date_ignores_words_that_are_no_day(text):
    assert not mentions_date(text)


def test_parse_datetime_reads_compact_time_with_offset():
    assert parse_datetime("20241126T101500+0300") == at(10, 15)


def test_parse_datetime_reads_z_as_utc():
    assert parse_datetime("2024-11-26T07:15:00Z") == at(7, 15, tz=UTC)


def test_parse_datetime_reads_a_naive_time_in_the_given_zone():
    assert parse_datetime("2024-11-26T07:15:00") == at(7, 15, tz=UTC)
    assert parse_datetime("2024-11-26T10:15:00", RIYADH) == at(10, 15)


def test_parse_datetime_returns_none_for_an_empty_value():
    assert parse_datetime("  ") is None


def test_parse_datetime_rejects_a_value_that_is_not_a_date():
    with pytest.raises(ValueError):
        parse_datetime("الثلاثاء صباحاً")


def test_read_datetime_notes_an_unreadable_date():
    warnings = []

    assert read_datetime("غداً  صباحاً", warnings) is None
    assert warnings == ["تاريخ النشر «غداً صباحاً» غير مفهوم فأُهمل"]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("3 مارس 2025 (وات) - أعلنت الوزارة", "3 مارس 2025"),
        (
            "12 رجب 1446 هـ الموافق 12 يناير 2025 م واس - أعلنت",
            "12 رجب 1446 هـ الموافق 12 يناير 2025 م",
        ),
        ("الأحد ١٢ جانفي ٢٠٢٥ على الساعة 14:30 - أعلنت", "الأحد ١٢ جانفي ٢٠٢٥ على الساعة 14:30"),
        ("في 26/11/2024: أعلنت", "في 26/11/2024"),
        ("27 أيار/مايو (بترا) - طرح البنك", "27 أيار/مايو"),
    ],
)
def test_leading_date_ends_after_the_date_that_opens_the_text(text, date):
    assert text[: leading_date(text)] == date


@pytest.mark.parametrize(
    "text", ["أعلنت الوزارة في 3 مارس 2025", "الأحد أعلنت الوزارة", "القاهرة 3 مارس 2025", ""]
)
def test_leading_date_is_zero_when_the_text_opens_with_something_else(text):
    assert leading_date(text) == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("الأحد 12 جانفي 2025 على الساعة 14:30", (2025, 1, 12, 14, 30)),
        ("الثلاثاء 4 فيفري 2025", (2025, 2, 4, 0, 0)),
        ("الجمعة 18 أفريل 2025 - 09:15", (2025, 4, 18, 9, 15)),
        ("الخميس 1 ماي 2025", (2025, 5, 1, 0, 0)),
        ("الإثنين 2 جوان 2025", (2025, 6, 2, 0, 0)),
        ("الأربعاء 16 جويلية 2025", (2025, 7, 16, 0, 0)),
        ("السبت 9 أوت 2025", (2025, 8, 9, 0, 0)),
        ("الأحد ٣ آب ٢٠٢٥ ١٠:٣٠ م", (2025, 8, 3, 22, 30)),
    ],
)
def test_reads_maghreb_and_levantine_months_with_weekday_and_time(text, expected):
    assert parse_arabic_date(text, RIYADH) == datetime.datetime(*expected, tzinfo=RIYADH)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("26 نوفمبر 2024 10:30 صباحًا", at(10, 30)),
        ("26 نوفمبر 2024 10:30 مساءً", at(22, 30)),
        ("26 نوفمبر 2024 - 12:40 ظهرًا", at(12, 40)),
        ("26 نوفمبر 2024 - 10:30 (بتوقيت القدس)", at(10, 30)),
        ("نوفمبر 26, 2024", at()),
        ("الثلاثاء، نوفمبر 26، 2024 - 10:30", at(10, 30)),
    ],
)
def test_reads_tanween_on_either_side_of_the_alef_a_named_zone_and_month_first(text, expected):
    assert parse_arabic_date(text, RIYADH) == expected


def test_a_date_line_read_again_in_another_zone_is_in_that_zone():
    # The reading of a line is kept for the next story; its zone is not, even
    # one that compares equal (the same offset under another name).
    mecca = datetime.timezone(datetime.timedelta(hours=3), "مكة")

    assert parse_arabic_date("26/11/2024 10:30", RIYADH).tzinfo is RIYADH
    assert parse_arabic_date("26/11/2024 10:30", mecca).tzinfo is mecca
    assert parse_arabic_date("26/11/2024 10:30", UTC) == at(10, 30, tz=UTC)


def test_the_fold_does_what_its_table_says_for_every_character():
    text = "".join(map(chr, range(sys.maxunicode + 1)))

    assert _fold(text) == text.translate(str.maketrans(_ONE_FOR_ONE_FOLD))


DATE_PIECES = [
    *"0123456789٠١٢٣٤٥٦٧٨٩۱۲/-.,،:() م",
    "نوفمبر",
    "رجب",
    "الثلاثاء",
    "في",
    "الساعة",
    "ص",
]


@given(st.lists(st.sampled_from(DATE_PIECES), min_size=1, max_size=12).map("".join))
def test_dates_are_looked_for_only_where_they_can_be_and_all_found(text):
    folded = _fold(text)
    digit = re.search(r"\d", folded)
    assume(digit is not None)  # split_off_date reads no further without one

    for kind in (*_GREGORIAN_DATES, _HIJRI_DATES, _TIMES, _FILLERS):
        found = [match.span() for match in kind.finditer(folded, digit.start())]
        assert found == [match.span() for match in kind.pattern.finditer(folded)]
