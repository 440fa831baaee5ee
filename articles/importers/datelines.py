"""Datelines: the place (and often the agency) that opens a wire story.

Agencies open the first paragraph with where the story was filed from:
"كابول - ", "كابول (أ ف ب) - ", "القاهرة – " (en dash), "بيروت- ", "الرياض: ",
"(أ ف ب) - كابول - ", "القاهرة - أ ش أ - " or "القاهرة في 26 نوفمبر /أ ش أ/ -";
the agency first ("أ ف ب- تونس: "), the country after the place ("بنغازي (ليبيا): ",
"لندن، المملكة المتحدة (CNN)-- "), a channel alone ("(CNN)-- "), a slash ("غزة/
الأناضول "), and a national agency's dated header ("الرياض 12 رجب 1446 هـ الموافق
12 يناير 2025 م واس ", "تونس 3 مارس 2025 (وات) - ", "الكويت - 5 - 1 (كونا) -- ").
``split_dateline`` finds it in plain text, where nothing marks it but its shape;
``strip_dateline_lead`` removes it from a body whose dateline the format already
gives (NewsML-G2 ``located``, NITF ``dateline``). Pure: no Django.
"""

from __future__ import annotations

import dataclasses
import re

from articles.arabic import normalize
from articles.importers.date_parsing import leading_date, mentions_date
from articles.importers.wire_text import agency_name, clean_text

# A word of a place name: no digits, no punctuation, not a lone tatweel.
_PLACE_WORD = r"[^\s\-–—ـ:()\[\]،,.؛;!؟?/\\\"«»“”\d٠-٩][^\s\-–—:()\[\]،,.؛;!؟?/\\\"«»“”\d٠-٩]*"
_PLACE = rf"{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,2}}"
# Hyphen, en dash, em dash, or a tatweel used as a dash (it has spaces around it).
_SEPARATOR = r"(?P<sep>[-–—]+|(?<=\s)ـ+(?=\s)|:)"
# The characters of _SEPARATOR. A pattern that needs one cannot match text
# without any, which is told far faster than the pattern fails on it.
_SEPARATOR_CHARACTERS = "-–—ـ:"
_LEAD = re.compile(
    rf"(?P<place>{_PLACE})"
    r"(?:(?:\s*[،,]\s*|\s+في\s+)(?P<date>[^()\-–—:]{1,40}?))?"
    r"\s*(?:\((?P<agency>[^()]{1,40})\)|/(?P<slashed>[^/]{1,40})/)?"
    rf"\.?\s*{_SEPARATOR}\s*(?P<rest>.*)",
    re.S,
)
# A Latin agency's date: "Tegucigalpa, Jan 2 (EFE).-", "Paris, 3 March (AFP) -".
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_LATIN_DATE = re.compile(rf"(?i)(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})(?:,?\s+\d{{4}})?")
_AGENCY_FIRST = re.compile(
    rf"\((?P<agency>[^()]{{1,40}})\)\s*(?:{_SEPARATOR})?\s*(?P<rest>.*)", re.S
)
_PLACE_ONLY = re.compile(_PLACE)
_ASIDE = re.compile(r"^(?:\S+\s+){0,4}?\S*\s*(?:\s-|-\s|[–—])")

# Words that open a clause or a label, never a place: "وصل - بحفظ الله - إلى"
# and "قال الوزير: " are not datelines.
_VERBS = (
    "قال قالت أكد أكدت أعلن أعلنت ذكر ذكرت أضاف أضافت أوضح أوضحت أشار أشارت كشف كشفت صرح "
    "صرحت دعا دعت نفى نفت وصل وصلت زار زارت التقى التقت بحث بحثت افتتح افتتحت شارك شاركت "
    "تابع تابعت يقول تقول يرى ترى أفاد أفادت نقل نقلت أفادت اعتبر اعتبرت رأى شدد شددت "
    # The verbs an agency's courtly aside follows: "رعى - حفظه الله -", "تمكنت - بفضل الله -".
    "شهد شهدت تمكن تمكنت استقبل استقبلت رعى رعت ترأس ترأست دشن دشنت وافق وافقت أصدر أصدرت "
    "أطلق أطلقت انطلق انطلقت بدأ بدأت اختتم اختتمت عقد عقدت وقع وقعت أعرب أعربت هنأ هنأت "
    "بعث بعثت تلقى تلقت أجرى أجرت غادر غادرت"
)
_FUNCTION_WORDS = (
    "في من على إلى الى عن مع هذا هذه ذلك تلك إن أن لكن كما بعد قبل منذ حتى ثم أو بل لا لم "
    "لن قد هو هي هم نحن عاجل صورة الصورة فيديو شاهد المصدر مصدر ملاحظة تنويه تحديث تصوير "
    "كتب كتبت بقلم تقرير إعداد اعداد متابعة ترجمة تحرير حوار السؤال الجواب س ج"
    # An outlet's name ("أخبار الواحة - كتب: ..."), never a place.
    " أخبار اخبار صحيفة جريدة موقع قناة مجلة إذاعة تلفزيون"
    # A time ("اليوم 12 يناير 2025 - ..."), never a place.
    " اليوم أمس امس غدا غداً الليلة صباح مساء خلال"
)
_NOT_A_PLACE = frozenset(
    normalize(word)
    for word in (_VERBS.split() + ["و" + verb for verb in _VERBS.split()] + _FUNCTION_WORDS.split())
)


@dataclasses.dataclass(frozen=True)
class DatelineLead:
    """The opening of a first paragraph: place, agency and date, and the story after it."""

    place: str
    agency: str
    date: str
    rest: str
    # An outlet credited instead of an agency: "بيروت ـ «القدس العربي»:".
    outlet: str = ""


def looks_like_place(text: str) -> bool:
    """Tell whether ``text`` could be a place name: one to three words, none a verb or label."""
    words = normalize(text).split()
    return (
        _PLACE_ONLY.fullmatch(text.strip()) is not None
        and 1 <= len(words) <= 3
        and not any(word in _NOT_A_PLACE for word in words)
    )


def split_dateline(paragraph: str) -> DatelineLead | None:
    """Return the dateline that opens ``paragraph``; None when it opens with the story.

    The place is one to three words at the very start, closed by a dash or a
    colon, or followed by its date; the agency may stand before or after it. A
    dash aside in the first sentence ("وصل - بحفظ الله - إلى") is not a
    dateline: its first words read as a clause, or a second dash follows within
    a few words; nor is a city that is a sentence's subject ("القاهرة تستضيف").
    """
    agency = ""
    if first := _AGENCY_FIRST.match(paragraph):
        agency = _credited(first["agency"])
        if agency:
            lead = _place_lead(first["rest"])
            if lead is None or agency_name(lead.agency) or lead.outlet:
                return DatelineLead("", agency, "", first["rest"].strip())
            return DatelineLead(lead.place, agency, lead.date, lead.rest)
    return _place_lead(paragraph) or _dated_lead(paragraph) or _slashed_lead(paragraph)


def _place_lead(paragraph: str) -> DatelineLead | None:
    match = _LEAD.match(paragraph) if _has_separator(paragraph) else None
    if match is None:
        return None
    place, rest, date = match["place"], match["rest"].strip(), (match["date"] or "").strip()
    agency_text = match["agency"] or match["slashed"]
    agency = _credited(agency_text) if agency_text else ""
    words = normalize(place).split()
    if any(word in _NOT_A_PLACE for word in words) or (agency_text and not agency):
        return None
    if match["sep"] == "-" and not _spaced(paragraph, match.start("sep"), match.end("sep")):
        # "أمريكية-إيرانية": a compound word, not "place - story"; "دمشق-سانا" is a dateline.
        credit = None if agency_text or date else _credit_after(rest, joined=True)
        if credit is None or not credit.agency:
            return None
        return dataclasses.replace(credit, place=place)
    if date and not (mentions_date(date) or _LATIN_DATE.fullmatch(date)):
        if not (agency_text and looks_like_place(date)):
            return None  # "القاهرة، عاصمة مصر - ...": a clause, not a date
        date = ""  # "لندن، المملكة المتحدة (CNN)--": the country, then the credit
    if match["sep"] == ":" and (len(words) > 2 or date):
        return None
    if known := agency_name(place):
        # "رويترز - ..." credits the agency without a place; "أ ف ب- تونس: ..."
        # names the place after it.
        inner = None if date else _place_lead(rest)
        if inner and inner.place and not inner.date:
            return DatelineLead(inner.place, known, "", inner.rest)
        return DatelineLead("", known, date, rest)
    if not date and not agency_name(agency) and (credit := _credit_after(rest)):
        # "القاهرة - أ ش أ - ...", "الدوحة - (قنا):", "بنغازي (ليبيا) - رويترز: ..."
        return dataclasses.replace(credit, place=place)
    if not date and not agency and (numbered := _DAY_DASH_MONTH.match(rest)):
        # KUNA's "الكويت - 5 - 1 (كونا) -- ...": the day and month, then the agency.
        credit = _credit_after(rest[numbered.end() :])
        if credit and credit.agency:
            return DatelineLead(place, credit.agency, numbered["date"], credit.rest)
    if not agency and not date and (_opens_with_an_aside(rest) or _opens_with_a_verb(words)):
        return None
    return DatelineLead(place, agency, date, rest)


_DAY_DASH_MONTH = re.compile(r"(?P<date>\d{1,2}\s*[-–—/]\s*\d{1,2})\s*(?=\()")
# The present tense's prefixes: "القاهرة تستضيف القمة - ..." opens a sentence.
_PRESENT_TENSE = re.compile(r"[تي][^\W\d_]{3,}")


def _has_separator(text: str) -> bool:
    return any(map(text.__contains__, _SEPARATOR_CHARACTERS))


def _opens_with_an_aside(rest: str) -> bool:
    """Tell whether a dash follows within the first words of ``rest``: "وصل - بحفظ الله -"."""
    # Most paragraphs have no dash at all, told at once; _ASIDE backtracks
    # through their first words.
    return any(map(rest.__contains__, "-–—")) and _ASIDE.match(rest) is not None


def _opens_with_a_verb(words: list[str]) -> bool:
    """Tell whether a word after the first reads as a verb: the place is a clause's subject."""
    return any(_PRESENT_TENSE.fullmatch(word) for word in words[1:])


# One to three words of place, then a comma or "في" or nothing before the date.
_DATED_PLACES = [
    re.compile(
        rf"(?P<place>{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{{count}}})(?:\s*[،,]\s*|\s+)(?:في\s+)?"
    )
    for count in range(3)
]
_AFTER_DATE = re.compile(
    r"\s*(?:\((?P<agency>[^()]{1,40})\)|/(?P<slashed>[^/]{1,40})/)?"
    rf"\s*(?:{_SEPARATOR})?\s*(?P<rest>.*)",
    re.S,
)


def _dated_lead(paragraph: str) -> DatelineLead | None:
    """Read "تونس 3 مارس 2025 (وات) -" and "الرياض 12 رجب 1446 هـ الموافق 12 يناير 2025 م واس".

    After the date comes the agency, a dash or a colon: without either, the
    place and the date may be the story's first words.
    """
    for pattern in _DATED_PLACES:
        opening = pattern.match(paragraph)
        if opening is None:
            return None
        length = leading_date(paragraph[opening.end() :])
        if length:
            break
    else:
        return None
    place = opening["place"]
    if not looks_like_place(place):
        return None
    date = paragraph[opening.end() : opening.end() + length].strip(" -–—،,:")
    after = paragraph[opening.end() + length :]
    agency = ""
    for bare in _BARE_AGENCIES:
        named = bare.match(after.lstrip())
        if named and (agency := agency_name(named[0])):
            after = after.lstrip()[named.end() :]
            break
    tail = _AFTER_DATE.match(after)
    if not agency and (tail["agency"] or tail["slashed"]):
        agency = _credited(tail["agency"] or tail["slashed"])
        if not agency:
            return None
    if not agency and not tail["sep"]:
        return None
    return DatelineLead(place, agency, date, tail["rest"].strip())


_CREDIT_AFTER = re.compile(
    r"(?:\((?P<bracketed>[^()]{1,40})\)|«(?P<quoted>[^«»]{1,40})»"
    r"|(?P<site>[^\s:()]+\.(?:نت|كوم|net|com)))"
    rf"\s*(?:{_SEPARATOR})?\s*(?P<rest>.*)",
    re.S,
)
_SEPARATOR_THEN_REST = re.compile(rf"\s*(?:{_SEPARATOR})?\s*(?P<rest>.*)", re.S)
# An agency named without brackets, then a dash or a colon: "الوكالة العربية السورية للأنباء -".
_NAME_THEN_SEPARATOR = re.compile(
    rf"(?P<name>[^\s:()/«»\-–—][^:()/«»\-–—]{{0,48}}?)\s*{_SEPARATOR}\s*(?P<rest>.*)", re.S
)
# Initials ("أ ش أ"), which need no dash after them.
_INITIAL = re.compile(r"[^\W\d_]\s")
# An agency named without brackets: "أ ش أ", "الوكالة العربية السورية للأنباء".
_BARE_AGENCIES = [
    re.compile(rf"(?:[^\s:()/]+\s+){{{count}}}[^\s:()/\-–—]+") for count in range(4, -1, -1)
]


def _credit_after(text: str, *, joined: bool = False) -> DatelineLead | None:
    """Read the credit that follows the place: "أ ش أ -", "(قنا):", "«القدس العربي»:".

    An agency without brackets needs a dash or a colon after it, unless its
    name is initials ("أ ش أ") or a slash or hyphen ``joined`` it to the place
    ("غزة/ الأناضول", "دمشق-سانا"); an outlet needs its guillemets or its ".نت".
    """
    if bracketed := _CREDIT_AFTER.match(text):
        name = clean_text(bracketed["bracketed"] or bracketed["quoted"] or bracketed["site"])
        rest = bracketed["rest"].strip()
        if known := agency_name(name):
            return DatelineLead("", known, "", rest)
        if not bracketed["bracketed"]:
            return DatelineLead("", "", "", rest, outlet=name)
        return None
    named = _NAME_THEN_SEPARATOR.match(text) if _has_separator(text) else None
    if named and (known := agency_name(named["name"])):
        return DatelineLead("", known, "", named["rest"].strip())
    if not (joined or _INITIAL.match(text)):
        return None
    for bare in _BARE_AGENCIES:
        named = bare.match(text)
        if named and (known := agency_name(named[0])):
            tail = _SEPARATOR_THEN_REST.match(text, named.end())
            return DatelineLead("", known, "", tail["rest"].strip())
    return None


# "غزة/ الأناضول", "بغداد/ واع:", with a reporter between: "غزة/ أحمد محمد/ الأناضول".
_SLASHED_LEAD = re.compile(
    rf"(?P<place>{_PLACE})\s*/\s*(?:[^/:()\-–—\d]{{2,40}}?\s*/\s*)?(?P<rest>.*)", re.S
)


def _slashed_lead(paragraph: str) -> DatelineLead | None:
    match = _SLASHED_LEAD.match(paragraph) if "/" in paragraph else None
    if match is None or not looks_like_place(match["place"]):
        return None
    credit = _credit_after(match["rest"], joined=True)
    if credit is None or not credit.agency:
        return None
    return dataclasses.replace(credit, place=match["place"])


def _credited(text: str) -> str:
    """Return the agency credited in parentheses: a known one, or a short credit such as خاص."""
    text = clean_text(text)
    if known := agency_name(text):
        return known
    words = text.split()
    return text if 1 <= len(words) <= 3 and not re.search(r"\d", text) else ""


def _spaced(text: str, start: int, end: int) -> bool:
    return (start > 0 and text[start - 1].isspace()) or (end < len(text) and text[end].isspace())


# After the place: an optional ", date", an optional "(agency)", then the dash.
_LEAD_TAIL = r"(?:\s*[،,][^-–—()\n]{0,40}?)?\s*(?:\([^()\n]{1,40}\))?\s*[-–—]+\s*"
_DATELINE_END = re.compile(r"[،,(]|\s[-–—]")


def dateline_place(text: str | None) -> str:
    """Return the place of a dateline: "القاهرة، 26 نوفمبر (أ ش أ)" gives "القاهرة"."""
    place = _DATELINE_END.split(clean_text(text), maxsplit=1)[0]
    return place.strip(" -–—")


def strip_dateline_lead(paragraphs: list[str], dateline: str) -> list[str]:
    """Drop a leading "PLACE - " or "PLACE (agency) - " from the first paragraph.

    The dateline is a field of its own; keeping it in the copy would print it twice.
    """
    if not paragraphs or not dateline:
        return paragraphs
    lead = re.match(re.escape(dateline) + _LEAD_TAIL, paragraphs[0])
    if lead is None:
        return paragraphs
    first = paragraphs[0][lead.end() :].strip()
    return ([first] if first else []) + paragraphs[1:]


def take_dateline(paragraphs: list[str], dateline: str) -> tuple[list[str], str]:
    """Take the dateline that opens the first paragraph off it; return the paragraphs and the place.

    The format's own dateline (NewsML-G2 ``located``, NITF ``dateline``, ninjs
    ``located``) wins; the lead's place fills it when the format gives none. A
    lead naming another place is taken off only when it credits an agency or a date.
    """
    if not paragraphs:
        return paragraphs, dateline
    lead = split_dateline(paragraphs[0])
    if lead is not None and (lead.place or lead.agency) and _agrees(lead, dateline):
        first = lead.rest.strip()
        return ([first] if first else []) + paragraphs[1:], dateline or lead.place
    return strip_dateline_lead(paragraphs, dateline), dateline


def _agrees(lead: DatelineLead, dateline: str) -> bool:
    if not dateline or not lead.place or lead.agency or lead.date:
        return True
    return normalize(lead.place) == normalize(dateline_place(dateline))
