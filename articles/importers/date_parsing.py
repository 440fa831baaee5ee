"""Read the dates that Arabic wire copy and news sites print.

``parse_arabic_date`` reads a line that is nothing but a date ("الثلاثاء 26
تشرين الثاني/نوفمبر 2024 - 10:30 ص", "٢٦/١١/٢٠٢٤", "2024-11-26");
``split_off_date`` finds the date inside a longer line, such as an agency's
header "الرياض 25 جمادى الأولى 1446 هـ الموافق 27 نوفمبر 2024 م واس", and
returns what is left around it. Numeric dates are day first, as every Arab
newsroom writes them; month first only when the day cannot be a month
(11/26/2024). A Hijri date is used only when no Gregorian one is given, through
the Umm al-Qura calendar of ``hijridate``. Writing dates for readers is
``articles.dates``. Pure: no Django, no database.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
from collections.abc import Iterator
from typing import NamedTuple

from hijridate import Hijri

# Letter variants folded one for one, so that indices into the folded copy are
# indices into the original: hamza seats, ta marbuta, alef maqsura, the Persian
# ya, veh and keheh, and Arabic-Indic and Persian digits.
_ONE_FOR_ONE_FOLD = (
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ی": "ي", "ڤ": "ف", "ک": "ك"}
    | {chr(0x0660 + i): str(i) for i in range(10)}
    | {chr(0x06F0 + i): str(i) for i in range(10)}
)


def _fold(text: str) -> str:
    """Return ``text`` with the letters and digits of ``_ONE_FOR_ONE_FOLD`` folded.

    str.replace for each one the text has, rather than str.translate, which
    raises and catches a KeyError for every other character: 1 us against 7
    for the start of a paragraph. No replacement makes a character another
    one replaces, so the order does not matter.
    """
    for character, replacement in _ONE_FOR_ONE_FOLD.items():
        if character in text:
            text = text.replace(character, replacement)
    return text


# Folded spellings: Egyptian and Gulf, Levantine (Syriac), Maghreb (Morocco;
# Algeria and Tunisia), and misspellings seen in scraped copy (نوقمبر).
_GREGORIAN = {
    1: "يناير كانون_الثاني كانون_ثاني جانفي",
    2: "فبراير شباط فيفري فبرير",
    3: "مارس اذار",
    4: "ابريل نيسان افريل",
    5: "مايو ايار ماي",
    6: "يونيو يونيه حزيران جوان",
    7: "يوليو يوليه تموز يوليوز جويليه",
    8: "اغسطس اب غشت اوت",
    9: "سبتمبر ايلول شتنبر",
    10: "اكتوبر تشرين_الاول تشرين_اول",
    11: "نوفمبر تشرين_الثاني تشرين_ثاني نونبر نوقمبر نوفمير",
    12: "ديسمبر كانون_الاول كانون_اول دجنبر",
}
_HIJRI = {
    1: "محرم",
    2: "صفر",
    3: "ربيع_الاول",
    4: "ربيع_الاخر ربيع_الثاني",
    5: "جمادي_الاولي جمادي_الاول",
    6: "جمادي_الاخره جمادي_الثانيه جمادي_الاخر جمادي_الثاني",
    7: "رجب",
    8: "شعبان",
    9: "رمضان",
    10: "شوال",
    11: "ذو_القعده ذي_القعده",
    12: "ذو_الحجه ذي_الحجه",
}
_DAYS = "الاحد الاثنين اثنين الثلاثاء الاربعاء الخميس الجمعه السبت"

_L = r"[^\W\d_]"  # a letter of any script
_OPTIONAL_MARKS = "[\u064b-\u0652\u0640]*"  # tashkeel and tatweel a writer may add to a word
_MARKS = re.compile("[\u064b-\u0652\u0640]")


def _names(table: dict[int, str]) -> tuple[dict[str, int], str]:
    numbers = {name.replace("_", " "): n for n, names in table.items() for name in names.split()}
    alternatives = sorted(numbers, key=len, reverse=True)
    return numbers, "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in alternatives)


_MONTH_NUMBERS, _MONTH = _names(_GREGORIAN)
_HIJRI_NUMBERS, _HIJRI_MONTH = _names(_HIJRI)
_DAY = rf"(?:يوم\s+)?(?<!{_L})(?:{'|'.join(_DAYS.split())})(?!{_L})"

_DAY_AND_MONTH = re.compile(
    rf"(?<!\d)\d{{1,2}}\s*(?:من\s+)?(?<!{_L})(?:{_MONTH}|{_HIJRI_MONTH})(?!{_L})|{_DAY}"
)
_DAY_MONTH = re.compile(
    rf"(?<!\d)\d{{1,2}}\s*(?:من\s+)?(?<!{_L})(?:{_MONTH}|{_HIJRI_MONTH})(?!{_L})"
)
_MONTH_NAME = re.compile(rf"(?<!{_L})(?:{_MONTH})(?!{_L})")
_NAMED_DATE = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\s*(?:من\s+)?(?<!{_L})(?P<month>{_MONTH})(?!{_L})"
    rf"(?:\s*[/(\-–]\s*(?P<month2>{_MONTH})(?!{_L})\s*\)?)?"
    rf"\s*[،,]?\s*(?P<year>\d{{4}})(?!\d)(?:\s*م(?!{_L}))?"
)
# "يناير 12, 2025": month first, as WordPress prints dates in Arabic.
_MONTH_FIRST_DATE = re.compile(
    rf"(?<!{_L})(?P<month>{_MONTH})(?!{_L})\s*(?P<day>\d{{1,2}})(?!\d)\s*[،,]\s*(?P<year>\d{{4}})(?!\d)"
)
_NUMERIC_DATE = re.compile(
    r"(?<![\d/.-])(?:(?P<y1>\d{4})(?P<s1>[-/.])(?P<m1>\d{1,2})(?P=s1)(?P<d1>\d{1,2})"
    r"|(?P<d2>\d{1,2})(?P<s2>[-/.])(?P<m2>\d{1,2})(?P=s2)(?P<y2>\d{4}))(?![/.-]?\d)"
    rf"(?:\s*م(?!{_L}))?"
)
_HIJRI_DATE = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\s*(?P<month>{_HIJRI_MONTH})(?!{_L})\s*[،,]?\s*"
    rf"(?P<year>\d{{3,4}})(?!\d)(?:\s*هـ?(?!{_L}))?"
)
_ZONE = r"Z|[+-]\d{2}:?\d{2}|GMT|UTC|غرينتش|غرينيتش|جرينتش|ت\s?غ|ت\s?م|مكه(?:\s+المكرمه)?"
_TIME = re.compile(
    rf"(?<![\d:])(?P<hour>\d{{1,2}}):(?P<minute>\d{{2}})(?::(?P<second>\d{{2}}))?(?![\d:])"
    # "صباحاً" and "صباحًا": the tanween is written before the alef or after it.
    rf"(?:\s*(?P<half>(?:صباح|مساء|ظهر|عصر|فجر|ليل)(?:{_OPTIONAL_MARKS}ا)?|ص|م|[ap]\.?m\.?)"
    rf"{_OPTIONAL_MARKS}(?!{_L}))?(?:\s*(?:بتوقيت\s+)?(?P<zone>{_ZONE})(?!{_L}))?",
    re.IGNORECASE,
)
# What may stand between a date and its time, or around a date on a date line.
_GAP = re.compile(
    rf"^(?:[\s،,\-–—|/:()]|(?<!{_L})(?:في|علي|الساعه|يوم|{'|'.join(_DAYS.split())})(?!{_L}))*$"
)
_FILLER = re.compile(
    rf"(?<!{_L})(?:الموافق|بتاريخ|التاريخ|تاريخ\s+النشر|تاريخ\s+الخبر|نشر|اخر\s+تحديث|"
    rf"تحديث|محدث|في|علي|يوم|الساعه|هـ|م|{'|'.join(_DAYS.split())})(?!{_L})|[،,\-–—|/:()]+"
    # "بتوقيت القدس": a zone that is not a fixed offset, read in the default zone.
    rf"|(?<!{_L})بتوقيت\s+[^\W\d_]+"
)
# A date opens with its day's number, after a weekday or words such as في or بتاريخ.
_OPENS_WITH_DATE = re.compile(rf"(?:\s|{_FILLER.pattern})*\d")
# Any decimal digit: Western, Arabic-Indic, Persian, or any other script's, as \d reads them.
_DIGIT = re.compile(r"\d")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")
_PM = ("م", "مساء", "مساءا", "عصرا", "عصر", "pm")
_MECCA = datetime.timezone(datetime.timedelta(hours=3))


class _Kind(NamedTuple):
    """What split_off_date looks for, and where it can be: looked for only there.

    The patterns try every month name at each position of a line; a character
    the text cannot be written without, or the line's first digit, is far
    cheaper to find.
    """

    pattern: re.Pattern
    needed: str = ""  # one of these characters, when it needs one
    opens_with_a_digit: bool = True

    def finditer(self, folded: str, first_digit: int) -> Iterator[re.Match]:
        """Return ``pattern.finditer(folded)``; ``folded``'s first digit is at ``first_digit``."""
        if self.needed and not any(map(folded.__contains__, self.needed)):
            return iter(())
        # A lookbehind still sees the text before ``pos``: nothing else changes.
        return self.pattern.finditer(folded, first_digit if self.opens_with_a_digit else 0)


_GREGORIAN_DATES = (
    _Kind(_NAMED_DATE),
    _Kind(_MONTH_FIRST_DATE, needed="،,", opens_with_a_digit=False),
    _Kind(_NUMERIC_DATE, needed="-/."),
)
_HIJRI_DATES = _Kind(_HIJRI_DATE)
_TIMES = _Kind(_TIME, needed=":")
_FILLERS = _Kind(_FILLER, opens_with_a_digit=False)

# A date that opens a paragraph, with its weekday, time and Hijri twin, is never longer.
_LEADING_DATE_MAX = 120


@dataclasses.dataclass(frozen=True)
class FoundDate:
    """A date found in a line; ``value`` is None when it reads as a date but is not one."""

    value: datetime.datetime | None
    text: str
    start: int
    end: int
    is_hijri: bool = False


def parse_arabic_date(text: str, tz: datetime.tzinfo) -> datetime.datetime | None:
    """Return the date ``text`` consists of, in ``tz`` unless it names a zone; else None."""
    found, rest = split_off_date(text, tz)
    return found.value if found and not rest else None


def mentions_date(text: str) -> bool:
    """Tell whether ``text`` names a day, even without a year ("26 نوفمبر", "الثلاثاء")."""
    folded = _fold(text)
    return _DAY_AND_MONTH.search(folded) is not None or bool(_NUMERIC_DATE.search(folded))


def leading_date(text: str) -> int:
    """Return where the date that opens ``text`` ends; 0 when ``text`` does not open with one.

    The date may carry its weekday, its time, a Hijri date beside it and words
    such as الموافق: "12 رجب 1446 هـ الموافق 12 يناير 2025 م واس - ..." gives
    the length of everything before "واس". A dateline's date may have no year
    ("عمّان 27 أيار (بترا) -"). Punctuation after the date is not part of it.
    """
    if not _DIGIT.search(text, 0, _LEADING_DATE_MAX):
        return 0  # no date without a number: decided without folding the text
    folded = _fold(text[:_LEADING_DATE_MAX])
    if not _OPENS_WITH_DATE.match(folded):
        return 0  # most paragraphs: decided without looking for every date
    dates = [
        m.span()
        for p in (_NAMED_DATE, _MONTH_FIRST_DATE, _NUMERIC_DATE, _HIJRI_DATE, _DAY_MONTH)
        for m in p.finditer(folded)
    ]
    if not dates:
        return 0
    # Dates, then what may follow one (its time, a month's other name) and the
    # fillers, each right after the other: the opening date.
    spans = sorted(
        [(start, end, "date") for start, end in dates]
        + [(m.start(), m.end(), "after") for p in (_TIME, _MONTH_NAME) for m in p.finditer(folded)]
        + [(m.start(), m.end(), "filler") for m in _FILLER.finditer(folded)]
    )
    position = len(folded) - len(folded.lstrip())
    end = 0
    for start, stop, kind in spans:
        if start > position and folded[position:start].strip():
            break
        if stop > position:
            position = stop
            if kind == "date" or (end and kind == "after"):
                end = position
    return end


def split_off_date(text: str, tz: datetime.tzinfo) -> tuple[FoundDate | None, list[str]]:
    """Find the date in ``text``; return it and the pieces of text around it.

    Day names, the time, a Hijri date beside the Gregorian one and words such
    as الموافق or "نشر في" belong to the date and are not among the pieces.
    """
    stripped = text.strip()
    if not _DIGIT.search(text):
        # Every date has a number: most lines (credits, headlines) have none,
        # and are answered without folding them and looking for each kind of date.
        return None, [stripped] if stripped else []
    if _ISO.fullmatch(stripped):
        try:
            parsed = parse_datetime(stripped, tz)
        except ValueError:
            parsed = None
        return FoundDate(parsed, stripped, 0, len(text)), []
    reading = _read_date(text)
    if reading is None:
        return None, [stripped] if stripped else []
    value = None
    if reading.day is not None:
        value = datetime.datetime.combine(reading.day, datetime.time(), tzinfo=tz)
        if reading.time is not None:
            value = _with_time(value, reading.time)
    found = FoundDate(value, reading.text, reading.start, reading.end, reading.is_hijri)
    return found, list(reading.pieces)


class _Reading(NamedTuple):
    """The date a line gives, before it is read in a zone, and the pieces around it."""

    day: datetime.date | None
    time: re.Match | None
    text: str
    start: int
    end: int
    is_hijri: bool
    pieces: tuple[str, ...]


# A feed prints the same few date lines over every story of a day, and reading
# one costs 12 us: the readings of the lines read last are kept, as the credit
# lines' are (wire_text.read_credit). The zone is no part of a reading, so a
# line read again in another zone is in that zone.
@functools.lru_cache(maxsize=4096)
def _read_date(text: str) -> _Reading | None:
    """Read the date in ``text``, a line with a digit; None when it has none."""
    folded = _fold(text)
    # Where the first digit is in ``folded`` too: it is folded one for one.
    first_digit = _DIGIT.search(folded).start()
    hijri = list(_HIJRI_DATES.finditer(folded, first_digit))
    gregorian = [
        m for kind in _GREGORIAN_DATES if (m := next(kind.finditer(folded, first_digit), None))
    ]
    if gregorian:
        match = min(gregorian, key=lambda m: m.start())
        day = _gregorian_day(match)
        is_hijri = False
    elif hijri:
        match = hijri[0]
        day = _hijri_day(match)
        is_hijri = True
    else:
        return None
    time = _adjacent_time(folded, match, first_digit)
    # Every date and time in the line belongs to the dating, not to what is left:
    # "نشر في 26/11/2024 10:30 | آخر تحديث 26/11/2024 11:00" is one date line.
    spans = [other.span() for other in hijri] + [
        other.span()
        for kind in (*_GREGORIAN_DATES, _TIMES, _FILLERS)
        for other in kind.finditer(folded, first_digit)
    ]
    text_of_date = text[match.start() : match.end()].strip()
    pieces = tuple(_pieces(text, spans))
    return _Reading(day, time, text_of_date, *match.span(), is_hijri, pieces)


def _gregorian_day(match: re.Match) -> datetime.date | None:
    if "month" in match.re.groupindex:
        month = _MONTH_NUMBERS[" ".join(match["month"].split())]
        second = match.groupdict().get("month2")
        if second and _MONTH_NUMBERS[" ".join(second.split())] != month:
            return None
        return _date(int(match["year"]), month, int(match["day"]))
    if match["y1"]:
        return _date(int(match["y1"]), int(match["m1"]), int(match["d1"]))
    day, month = int(match["d2"]), int(match["m2"])
    if month > 12 >= day:  # 11/26/2024: the day cannot be a month, so month first
        day, month = month, day
    return _date(int(match["y2"]), month, day)


def _date(year: int, month: int, day: int) -> datetime.date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _hijri_day(match: re.Match) -> datetime.date | None:
    month = _HIJRI_NUMBERS[" ".join(match["month"].split())]
    try:
        return Hijri(int(match["year"]), month, int(match["day"])).to_gregorian()
    except (ValueError, OverflowError):
        return None


def _adjacent_time(folded: str, date: re.Match, first_digit: int) -> re.Match | None:
    """Return the time written right before or after ``date``, with only fillers between."""
    for time in _TIMES.finditer(folded, first_digit):
        if time.start() >= date.end():
            gap = folded[date.end() : time.start()]
        elif time.end() <= date.start():
            gap = folded[time.end() : date.start()]
        else:
            continue
        if len(gap) <= 30 and _GAP.match(gap):
            return time
    return None


def _with_time(value: datetime.datetime, time: re.Match) -> datetime.datetime:
    hour, minute = int(time["hour"]), int(time["minute"])
    second = int(time["second"] or 0)
    half = _MARKS.sub("", (time["half"] or "").lower().replace(".", ""))
    if (half in _PM and hour < 12) or (half.startswith("ظهر") and hour < 6):
        hour += 12
    elif half.startswith("ليل"):
        hour = hour + 12 if 6 <= hour < 12 else (0 if hour == 12 else hour)
    elif half in ("ص", "صباح", "صباحا", "فجر", "فجرا", "am") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return value
    value = value.replace(hour=hour, minute=minute, second=second)
    zone = (time["zone"] or "").replace(" ", "")
    if zone:
        value = value.replace(tzinfo=_zone(zone) or value.tzinfo)
    return value


def _zone(zone: str) -> datetime.tzinfo | None:
    if zone in ("Z", "GMT", "UTC", "غرينتش", "غرينيتش", "جرينتش", "تغ"):
        return datetime.UTC
    if zone == "تم" or zone.startswith("مكه"):
        return _MECCA
    offset = zone.replace(":", "")
    hours, minutes = int(offset[1:3]), int(offset[3:5])
    if hours > 14 or minutes > 59:
        return None
    sign = -1 if offset[0] == "-" else 1
    return datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))


def _pieces(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """Return the parts of ``text`` outside ``spans``, stripped, without the empty ones."""
    pieces, position = [], 0
    for start, end in sorted(spans):
        if start > position:
            pieces.append(text[position:start])
        position = max(position, end)
    pieces.append(text[position:])
    return [piece.strip() for piece in pieces if piece.strip()]


def parse_datetime(
    value: str | None, tz: datetime.tzinfo = datetime.UTC
) -> datetime.datetime | None:
    """Return ISO 8601 ``value`` (basic or extended) as an aware datetime; naive means ``tz``.

    Return None for an empty value; raise ValueError for one that is not a date.
    """
    value = (value or "").strip()
    if not value:
        return None
    # Python 3.11 reads "20241126T101500+0300" and a trailing "Z" as well.
    parsed = datetime.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed


def read_datetime(value: str | None, warnings: list[str]) -> datetime.datetime | None:
    """Like ``parse_datetime``, but note an unreadable date in ``warnings`` and return None."""
    try:
        return parse_datetime(value)
    except ValueError:
        shown = " ".join((value or "").split())
        warnings.append(f"تاريخ النشر «{shown}» غير مفهوم فأُهمل")
        return None
