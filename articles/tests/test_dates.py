"""Arabic dates (articles.dates): pure, no database."""

import datetime

import pytest

from articles import dates

NOV_26 = datetime.date(2024, 11, 26)  # a Tuesday; 24 Jumada al-Ula 1446 (Umm al-Qura)


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("gregorian", "الثلاثاء 26 نوفمبر 2024"),
        ("levantine", "الثلاثاء 26 تشرين الثاني 2024"),
        ("both", "الثلاثاء 26 تشرين الثاني/نوفمبر 2024"),
    ],
)
def test_format_date_writes_the_month_in_each_style(style, expected):
    assert dates.format_date(NOV_26, month_style=style) == expected


def test_format_date_writes_arabic_indic_digits_when_asked():
    assert (
        dates.format_date(NOV_26, month_style="gregorian", digit_style="arabic")
        == "الثلاثاء ٢٦ نوفمبر ٢٠٢٤"
    )


def test_format_date_can_leave_out_the_day_name():
    assert dates.format_date(NOV_26, month_style="gregorian", with_day_name=False) == (
        "26 نوفمبر 2024"
    )


@pytest.mark.parametrize(
    ("month", "gregorian", "levantine"),
    [
        (1, "يناير", "كانون الثاني"),
        (2, "فبراير", "شباط"),
        (3, "مارس", "آذار"),
        (4, "أبريل", "نيسان"),
        (5, "مايو", "أيار"),
        (6, "يونيو", "حزيران"),
        (7, "يوليو", "تموز"),
        (8, "أغسطس", "آب"),
        (9, "سبتمبر", "أيلول"),
        (10, "أكتوبر", "تشرين الأول"),
        (11, "نوفمبر", "تشرين الثاني"),
        (12, "ديسمبر", "كانون الأول"),
    ],
)
def test_month_name_pairs_levantine_and_gregorian_names_as_afp_does(month, gregorian, levantine):
    assert dates.month_name(month, "both") == f"{levantine}/{gregorian}"


def test_day_names_follow_the_week():
    week = [NOV_26 + datetime.timedelta(days=offset) for offset in range(7)]
    assert [dates.day_name(day) for day in week] == [
        "الثلاثاء",
        "الأربعاء",
        "الخميس",
        "الجمعة",
        "السبت",
        "الأحد",
        "الإثنين",
    ]


def test_hijri_date_is_the_umm_al_qura_date():
    assert dates.hijri_date(NOV_26) == "24 جمادى الأولى 1446 هـ"


def test_hijri_date_on_the_first_of_ramadan_1446():
    assert dates.hijri_date(datetime.date(2025, 3, 1)) == "1 رمضان 1446 هـ"


def test_hijri_date_writes_arabic_indic_digits_when_asked():
    assert dates.hijri_date(NOV_26, digit_style="arabic") == "٢٤ جمادى الأولى ١٤٤٦ هـ"


def test_hijri_date_outside_the_calendar_range_is_none():
    assert dates.hijri_date(datetime.date(1900, 1, 1)) is None


def test_format_time_is_a_24_hour_clock():
    assert dates.format_time(datetime.time(9, 5)) == "09:05"
    assert dates.format_time(datetime.time(21, 40), digit_style="arabic") == "٢١:٤٠"


def test_unknown_styles_are_refused_with_the_choices():
    with pytest.raises(ValueError, match="gregorian, levantine, both"):
        dates.month_name(1, "roman")
    with pytest.raises(ValueError, match="western, arabic"):
        dates.digits("1", "roman")


def test_story_date_window_runs_from_1900_to_a_year_ahead():
    today = datetime.date(2026, 12, 4)
    assert dates.story_date_window(today) == (datetime.date(1900, 1, 1), datetime.date(2027, 12, 5))


@pytest.mark.parametrize(
    ("day", "plausible"),
    [
        (datetime.date(1899, 12, 31), False),
        (datetime.date(1900, 1, 1), True),
        (datetime.date(2027, 12, 5), True),
        (datetime.date(2027, 12, 6), False),
        (datetime.date(9999, 12, 31), False),
        (datetime.date(1, 1, 1), False),
    ],
)
def test_is_plausible_story_date_keeps_to_the_window(day, plausible):
    assert dates.is_plausible_story_date(day, datetime.date(2026, 12, 4)) is plausible
