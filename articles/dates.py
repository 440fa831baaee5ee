"""Dates written the way Arabic news sites write them.

Pure functions: the caller passes a date already in the site's time zone and
the display settings. The template filters in ``articles.templatetags.arabic_dates``
read the settings and add the markup.

Month names come in three styles, as Arab newsrooms use them:

- ``gregorian``: the names used in Egypt and the Gulf (نوفمبر);
- ``levantine``: the Syriac names of the Levant and Iraq (تشرين الثاني);
- ``both``: the pair AFP and many wires print (تشرين الثاني/نوفمبر).

The Hijri date is the Umm al-Qura calendar (the official one in Saudi Arabia),
from the ``hijridate`` package; it covers 1343-1500 AH (1924-2077), and outside
that range there is simply no Hijri date.
"""

from __future__ import annotations

import datetime

from hijridate import Gregorian

from articles.arabic import to_arabic_digits

MONTH_STYLES = ("gregorian", "levantine", "both")
DIGIT_STYLES = ("western", "arabic")

GREGORIAN_MONTHS = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
LEVANTINE_MONTHS = (
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
)
HIJRI_MONTHS = (
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الآخر",
    "جمادى الأولى",
    "جمادى الآخرة",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذو الحجة",
)
# Indexed by date.weekday(): Monday is 0.
DAY_NAMES = ("الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")


# The dates a story may carry, and so the dates worth asking about: from 1900
# (older copy is an archive project, not a wire) to a year ahead (an embargo
# is hours or days ahead, never centuries). Python's date arithmetic
# overflows at the year 9999, so any date a reader or a file can type is
# checked against this window before it meets the database.
EARLIEST_STORY_DATE = datetime.date(1900, 1, 1)
MAX_DAYS_AHEAD = 366


def story_date_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Return the first and the last date a story may carry, given ``today``."""
    return EARLIEST_STORY_DATE, today + datetime.timedelta(days=MAX_DAYS_AHEAD)


def is_plausible_story_date(day: datetime.date, today: datetime.date) -> bool:
    """Whether ``day`` lies in ``story_date_window(today)``."""
    first, last = story_date_window(today)
    return first <= day <= last


def month_name(month: int, style: str = "both") -> str:
    """Return the Arabic name of Gregorian ``month`` (1-12) in ``style``."""
    if style == "gregorian":
        return GREGORIAN_MONTHS[month - 1]
    if style == "levantine":
        return LEVANTINE_MONTHS[month - 1]
    if style == "both":
        return f"{LEVANTINE_MONTHS[month - 1]}/{GREGORIAN_MONTHS[month - 1]}"
    raise ValueError(f"Unknown month style {style!r}; use one of {', '.join(MONTH_STYLES)}.")


def day_name(day: datetime.date) -> str:
    return DAY_NAMES[day.weekday()]


def digits(text: str, style: str = "western") -> str:
    """Write the digits of ``text`` in ``style``: ``western`` (0-9) or ``arabic`` (٠-٩)."""
    if style == "arabic":
        return to_arabic_digits(text)
    if style == "western":
        return text
    raise ValueError(f"Unknown digit style {style!r}; use one of {', '.join(DIGIT_STYLES)}.")


def date_parts(
    day: datetime.date, *, month_style: str = "both", digit_style: str = "western"
) -> tuple[str, str, str, str]:
    """Return (day name, day number, month name, year) of ``day``, ready to print."""
    return (
        day_name(day),
        digits(str(day.day), digit_style),
        month_name(day.month, month_style),
        digits(str(day.year), digit_style),
    )


def format_date(
    day: datetime.date,
    *,
    month_style: str = "both",
    digit_style: str = "western",
    with_day_name: bool = True,
) -> str:
    """Return e.g. "الثلاثاء 26 تشرين الثاني/نوفمبر 2024"."""
    name, number, month, year = date_parts(day, month_style=month_style, digit_style=digit_style)
    text = f"{number} {month} {year}"
    return f"{name} {text}" if with_day_name else text


def hijri_date(day: datetime.date, *, digit_style: str = "western") -> str | None:
    """Return e.g. "24 جمادى الأولى 1446 هـ", or None outside the calendar's range."""
    try:
        hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    except OverflowError:
        return None
    return digits(f"{hijri.day} {HIJRI_MONTHS[hijri.month - 1]} {hijri.year} هـ", digit_style)


def format_time(moment: datetime.time | datetime.datetime, *, digit_style: str = "western") -> str:
    """Return the 24-hour clock time, e.g. "14:05", as wire copy gives it."""
    return digits(f"{moment.hour:02d}:{moment.minute:02d}", digit_style)
