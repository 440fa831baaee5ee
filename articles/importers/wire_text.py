"""Text clean-up and agency names shared by every wire parser.

Whatever the format (plain text, NewsML-G2, NITF, ninjs), a headline or a
paragraph comes out the same way: HTML entities decoded, invisible controls
dropped, whitespace collapsed. The agencies' names live here too, so that
"أ.ف.ب" in a text file and "AFP" in a creditline are one agency. Markup is
read in ``html_text.py``, datelines in ``datelines.py``. Pure: no Django, no
database.
"""

from __future__ import annotations

import dataclasses
import html
import re

from articles.arabic import INVISIBLE_CHARACTERS, normalize

# ZWNJ and ZWJ shape the letters on either side (Persian names, letters written
# apart in abbreviations): between two letters they are part of the word, and
# anywhere else they are stray.
_JOINERS = "\u200c\u200d"
_STRAY_JOINER = re.compile(rf"(?<![^\W\d_])[{_JOINERS}]|[{_JOINERS}](?![^\W\d_])")
# Zero-width space marks where a line may break, so it stands for a space.
_ZERO_WIDTH_SPACE = "\u200b"
# Every other invisible character is never part of a word's spelling, and it
# garbles search and slugs.
_DROPPED_INVISIBLE = re.compile(
    "[" + re.escape("".join(sorted(INVISIBLE_CHARACTERS - {*_JOINERS, _ZERO_WIDTH_SPACE}))) + "]"
)
_BLANK_LINE = re.compile(r"\n\s*\n")

# A dash in a credit line, unless it joins two Latin letters ("Agence France-Presse").
_CREDIT_DASH = re.compile(r"\s*(?:(?<![A-Za-z])[-–—]|[-–—](?![A-Za-z]))\s*")

# The usual Arabic credit of each agency, and the other ways copy spells it.
# Spellings are compared after folding (arabic.normalize) with everything but
# letters removed, so "أ.ف.ب", "ا ف ب" and "أ ف ب" are one.
KNOWN_AGENCIES: dict[str, tuple[str, ...]] = {
    "أ ف ب": ("فرانس برس", "وكالة فرانس برس", "وكالة الصحافة الفرنسية", "AFP"),
    "رويترز": ("رويتر", "وكالة رويترز", "Reuters"),
    "أ ب": ("أسوشيتد برس", "أسوشييتد برس", "وكالة أسوشيتد برس", "AP"),
    "د ب أ": ("الوكالة الألمانية", "وكالة الأنباء الألمانية", "DPA"),
    "الأناضول": ("وكالة الأناضول", "AA"),
    "إفي": ("وكالة إفي", "EFE"),
    "شينخوا": ("وكالة شينخوا", "Xinhua"),
    "سبوتنيك": ("Sputnik",),
    "تاس": ("TASS",),
    "إرنا": ("IRNA",),
    "واس": ("وكالة الأنباء السعودية", "SPA"),
    "أ ش أ": ("وكالة أنباء الشرق الأوسط", "MENA"),
    "قنا": ("وكالة الأنباء القطرية", "QNA"),
    "وام": ("وكالة أنباء الإمارات", "WAM"),
    "كونا": ("وكالة الأنباء الكويتية", "KUNA"),
    "بنا": ("وكالة أنباء البحرين", "BNA"),
    "العمانية": ("وكالة الأنباء العمانية", "ONA"),
    "بترا": ("وكالة الأنباء الأردنية", "Petra"),
    "سانا": ("الوكالة العربية السورية للأنباء", "SANA"),
    "وفا": ("وكالة الأنباء الفلسطينية", "WAFA"),
    "واع": ("وكالة الأنباء العراقية", "INA"),
    "الوكالة الوطنية للإعلام": ("الوطنية للإعلام", "NNA"),
    "سبأ": ("وكالة الأنباء اليمنية", "SABA"),
    "سونا": ("وكالة السودان للأنباء", "SUNA"),
    "وال": ("وكالة الأنباء الليبية", "LANA"),
    "وات": ("وكالة تونس أفريقيا للأنباء", "TAP"),
    "واج": ("وكالة الأنباء الجزائرية", "APS"),
    "و م ع": ("وكالة المغرب العربي للأنباء", "MAP"),
}


def _agency_key(name: str) -> str:
    return "".join(character for character in normalize(name) if character.isalpha())


_AGENCY_KEYS = {
    _agency_key(spelling): agency
    for agency, spellings in KNOWN_AGENCIES.items()
    for spelling in (agency, *spellings)
}


def drop_invisible(text: str) -> str:
    """Return ``text`` without invisible controls; its line breaks and spaces stay.

    Letters, tashkeel and tatweel are kept as written, and so are ZWNJ and ZWJ
    between two letters: this cleans structure, not words.
    """
    text = _DROPPED_INVISIBLE.sub("", text.replace(_ZERO_WIDTH_SPACE, " "))
    if "\u200c" in text or "\u200d" in text:
        text = _STRAY_JOINER.sub("", text)
    return text


def clean_line(text: str) -> str:
    """Return ``text`` on one line: invisible controls dropped, whitespace collapsed."""
    # str.split() splits on every Unicode space, NBSP and line separators included.
    return " ".join(drop_invisible(text).split())


def clean_text(text: str | None) -> str:
    """Decode HTML entities, drop invisible controls, collapse whitespace, strip."""
    return clean_line(html.unescape(text)) if text else ""


def text_paragraphs(text: str | None, *, blank_lines_only: bool = True) -> list[str]:
    """Split plain ``text`` into cleaned paragraphs, on blank lines or on every newline."""
    if not text:
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    chunks = _BLANK_LINE.split(text) if blank_lines_only else text.split("\n")
    return [cleaned for chunk in chunks if (cleaned := clean_text(chunk))]


def agency_name(text: str) -> str:
    """Return the usual credit of the agency ``text`` names ("أ.ف.ب" gives "أ ف ب"), or ""."""
    key = _agency_key(text)
    if key.startswith("وكاله") and key not in _AGENCY_KEYS:
        key = key.removeprefix("وكاله")
    return _AGENCY_KEYS.get(key, "")


def split_credit(credit: str | None) -> tuple[str, str]:
    """Split "أ ف ب-الامة برس" into the agency and the outlet that republished it."""
    credit = clean_text(credit)
    parts = _CREDIT_DASH.split(credit, maxsplit=1)
    if len(parts) == 2 and parts[0] and parts[1]:
        return parts[0], parts[1]
    return credit, ""


def read_version(value: object, warnings: list[str]) -> int | None:
    """Return the sender's version number as an int; note an unreadable one in ``warnings``."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    try:
        return int(str(value).strip())
    except ValueError:
        warnings.append(f"رقم الإصدار «{clean_text(str(value))}» ليس عدداً صحيحاً فأُهمل")
        return None


@dataclasses.dataclass(frozen=True)
class Credit:
    """Who a plain-text story credits: the agency, the outlet, the place, the reporter."""

    agency: str = ""
    outlet: str = ""
    place: str = ""
    reporter: str = ""
    # A known agency is named: the line cannot be anything but a credit.
    is_certain: bool = False


_BYLINE = re.compile(
    r"^(?:كتب|كتبت|بقلم|تقرير|إعداد|اعداد|متابعة|تحرير|حوار|ترجمة|رصد|مراسل)"
    r"(?:\s*[:\-–—]\s*|\s+)(?P<name>[^\d:.!؟?؛;،,()]{2,60})$"
)
# "المصدر: رويترز": the label before a credit, wherever the credit line is.
SOURCE_LABEL = re.compile(r"^(?:ال)?مصدر\s*[:\-–—]\s*")
_CREDIT_PARTS = re.compile(r"\s*(?:(?<![A-Za-z])[-–—](?![A-Za-z])|\s+ـ+\s+|[|/])\s*")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
# A line that ends a sentence or a clause is copy, never a credit.
_CLAUSE_END = ".!؟?؛;،,:"
# Words that name an outlet (a paper, a site, a channel), never a place or an agency.
_OUTLET_WORDS = frozenset(
    normalize(
        "برس نيوز نت بوست تايمز تايم اليوم الآن أونلاين اونلاين موقع صحيفة جريدة قناة "
        "تلفزيون التلفزيون إذاعة راديو شبكة بوابة مجلة الإخبارية الإخباري إنفو عربي"
    ).split()
)


def read_credit(line: str) -> Credit | None:
    """Read a credit line of plain-text copy; None when ``line`` is not one.

    "أ ف ب-الامة برس" is an agency and the outlet that ran the story; "القاهرة -
    أ ش أ" and "أ ش أ - القاهرة" an agency and a place; "(رويترز)" an agency;
    "كتب: محمد علي" a reporter. Known agencies tell which side is the agency;
    otherwise the shape does: outlets have words like برس or صحيفة, agencies
    are initials or start with وكالة, and a place is one to three words.
    """
    if not line or len(line) > 80 or line[-1] in _CLAUSE_END:
        return None
    if byline := _BYLINE.match(line):
        name = byline["name"].strip()
        if agency := agency_name(name):
            return Credit(agency=agency, is_certain=True)
        return Credit(reporter=name) if len(name.split()) <= 6 else None
    line = SOURCE_LABEL.sub("", line)
    joined = re.search(r"[^\s\-–—]-[^\s\-–—]", line) is not None
    parts = [*_PARENTHESES.findall(line), _PARENTHESES.sub(" - ", line)]
    parts = [p.strip(" -–—") for part in parts for p in _CREDIT_PARTS.split(part)]
    parts = [part for part in parts if part]
    if not 1 <= len(parts) <= 3 or any(not _is_name(part) for part in parts):
        return None
    return _assign(parts, joined=joined)


def _is_name(part: str) -> bool:
    words = part.split()
    letters = sum(character.isalpha() for character in part)
    return len(words) <= 5 and letters >= max(1, len(part.replace(" ", "")) // 2)


def _assign(parts: list[str], *, joined: bool) -> Credit | None:
    agency = outlet = place = ""
    unknown = []
    for part in parts:
        if (known := agency_name(part)) and known != agency:
            if agency:
                outlet = outlet or part
            else:
                agency = known
        elif known:
            continue  # "وكالة الأنباء السعودية (واس)" names one agency twice
        elif _looks_like_outlet(part) and not outlet:
            outlet = part
        elif _looks_like_agency(part) and not agency:
            agency = part
        else:
            unknown.append(part)
    is_certain = bool(agency_name(agency)) if agency else False
    if not agency and not outlet and unknown:
        agency = unknown.pop(0)
    for part in unknown:
        # "أ ف ب-الأيام": scraped sites join agency and outlet with a bare hyphen.
        if joined and not outlet:
            outlet = part
        elif len(part.split()) <= 3 and not place:
            place = part
        elif not outlet:
            outlet = part
        else:
            return None
    return Credit(agency=agency, outlet=outlet, place=place, is_certain=is_certain)


def _looks_like_outlet(part: str) -> bool:
    if re.search(r"[A-Za-z0-9]", part):
        return True
    return any(word in _OUTLET_WORDS for word in normalize(part).split())


def _looks_like_agency(part: str) -> bool:
    words = normalize(part).split()
    if not words:
        # A part made only of marks or symbols that normalisation removes.
        return False
    initials = len(words) >= 2 and all(len(word) == 1 for word in words)
    return initials or words[0] in ("وكاله", "الوكاله")
