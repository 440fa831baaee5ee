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
import functools
import html
import re

from articles.arabic import INVISIBLE_CHARACTERS, normalize

# ZWNJ and ZWJ shape the letters on either side (Persian names, letters written
# apart in abbreviations): between two letters they are part of the word, and
# anywhere else they are stray.
_JOINERS = "\u200c\u200d"
# After a letter that never joins the next one (ا، د، ر، و، ة ...) a joiner
# changes nothing a reader sees: it is stray too ("مُنشد\u200cين").
_NON_JOINING = "ءآأؤإاةدذرزوٱژ"
_STRAY_JOINER = re.compile(
    rf"(?<![^\W\d_])[{_JOINERS}]|(?<=[{_NON_JOINING}])[{_JOINERS}]|[{_JOINERS}](?![^\W\d_])"
)
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
    "أ ف ب": (
        "فرانس برس",
        "وكالة فرانس برس",
        "وكالة الصحافة الفرنسية",
        "الوكالة الفرنسية",
        "AFP",
        "Agence France-Presse",
    ),
    "رويترز": ("رويتر", "وكالة رويترز", "Reuters"),
    "أ ب": (
        "أسوشيتد برس",
        "أسوشييتد برس",
        "أسوشيتدبرس",
        "الأسوشيتد برس",
        "أسوشيايتد برس",
        "وكالة أسوشيتد برس",
        "AP",
        "Associated Press",
    ),
    "د ب أ": ("الوكالة الألمانية", "وكالة الأنباء الألمانية", "DPA"),
    "الأناضول": ("وكالة الأناضول", "وكالة أنباء الأناضول", "AA", "Anadolu"),
    "إفي": ("وكالة إفي", "EFE"),
    "شينخوا": ("وكالة شينخوا", "وكالة أنباء شينخوا", "وكالة أنباء الصين الجديدة", "Xinhua"),
    "سبوتنيك": ("وكالة سبوتنيك", "Sputnik"),
    "تاس": ("TASS",),
    "إرنا": ("IRNA",),
    "CNN": ("سي إن إن", "سي ان ان", "سي.إن.إن"),
    "واس": ("وكالة الأنباء السعودية", "SPA"),
    "أ ش أ": ("وكالة أنباء الشرق الأوسط", "MENA"),
    "قنا": ("وكالة الأنباء القطرية", "QNA"),
    "وام": ("وكالة أنباء الإمارات", "WAM"),
    "كونا": ("وكالة الأنباء الكويتية", "KUNA"),
    "بنا": ("وكالة أنباء البحرين", "BNA"),
    "العمانية": ("وكالة الأنباء العمانية", "ONA"),
    "بترا": ("وكالة الأنباء الأردنية", "Petra"),
    "سانا": ("الوكالة العربية السورية للأنباء", "SANA"),
    "وفا": ("وكالة الأنباء الفلسطينية", "وكالة الأنباء والمعلومات الفلسطينية", "WAFA"),
    "واع": ("وكالة الأنباء العراقية", "INA"),
    "الوكالة الوطنية للإعلام": ("الوطنية للإعلام", "NNA"),
    "سبأ": ("وكالة الأنباء اليمنية", "SABA"),
    "سونا": ("وكالة السودان للأنباء", "SUNA"),
    "وال": ("وكالة الأنباء الليبية", "LANA"),
    "وات": ("وكالة تونس أفريقيا للأنباء", "وكالة تونس إفريقيا للأنباء", "TAP"),
    "واج": ("وكالة الأنباء الجزائرية", "APS"),
    "ومع": ("و م ع", "وكالة المغرب العربي للأنباء", "لاماب", "MAP"),
}


_NOT_LETTERS = re.compile(r"[\W\d_]+")


def _agency_key(name: str) -> str:
    return _NOT_LETTERS.sub("", normalize(name))


_AGENCY_KEYS = {
    _agency_key(spelling): agency
    for agency, spellings in KNOWN_AGENCIES.items()
    for spelling in (agency, *spellings)
}


# Twice the longest spelling: room for tashkeel, dots and spaces.
_LONGEST_SPELLING = 2 * max(
    len(spelling)
    for agency, spellings in KNOWN_AGENCIES.items()
    for spelling in (agency, *spellings)
)


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


# Credit lines repeat the same few names, and a line is tried at every word.
@functools.lru_cache(maxsize=4096)
def agency_name(text: str) -> str:
    """Return the usual credit of the agency ``text`` names ("أ.ف.ب" gives "أ ف ب"), or ""."""
    if len(text) > _LONGEST_SPELLING:
        return ""  # a clause, not a name: spare the folding
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


@dataclasses.dataclass(frozen=True)
class FormatCredit:
    """Who an agency format's credit fields name: the source, the outlet, all, the reporter."""

    source: str = ""
    publisher: str = ""
    credits: tuple[str, ...] = ()
    byline: str = ""


# A dash left dangling at either end of a credit ("STT–").
_DANGLING_DASH = re.compile(r"^[\s\-–—]+|[\s\-–—]+$")


def format_credit(line: str | None) -> FormatCredit:
    """Read the credit line of NewsML-G2, NITF or ninjs ("رويترز / أ ف ب", "أ ف ب-الامة برس")."""
    line = _DANGLING_DASH.sub("", clean_text(line))
    if not line:
        return FormatCredit()
    credit = read_credit(line)
    if credit is not None and credit.reporter and not credit.credits:
        return FormatCredit(byline=credit.reporter)
    if credit is not None and credit.agency and len(credit.credits) > 1:
        return FormatCredit(credit.agency, credit.outlet, credit.credits, credit.reporter)
    source, publisher = split_credit(line)
    return FormatCredit(source, publisher)


def provider_credit(code: str | None) -> str:
    """Return the credit of a provider given as a qcode ("nprov:AFP") or a literal, or ""."""
    code = clean_text(code)
    name = code.rpartition(":")[2] if ":" in code else code
    return agency_name(name) if name else ""


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
    # A known agency, an outlet by a word such as صحيفة or نت, or a byline's
    # label (كتب، بقلم، تصوير) is named: the line cannot be anything but a credit.
    is_certain: bool = False
    # The agencies named after the first, in order ("أ ف ب، رويترز").
    more_agencies: tuple[str, ...] = ()
    photographer: str = ""
    # Every agency and outlet above in the line's order ("الجريدة.نت، فرانس برس"
    # names the outlet first): a reading of the fields, so not compared.
    credits: tuple[str, ...] = dataclasses.field(default=(), compare=False)

    def __post_init__(self):
        if not self.credits:
            named = (self.agency, *self.more_agencies, self.outlet)
            object.__setattr__(self, "credits", tuple(name for name in named if name))


_BYLINE_LABELS = "كتب كتبت بقلم تقرير إعداد اعداد متابعة تحرير حوار ترجمة رصد مراسل مراسلة"
_BYLINE = re.compile(
    rf"^(?:{'|'.join(_BYLINE_LABELS.split())})"
    r"(?:\s*[:\-–—]\s*|\s+)(?P<name>[^\d:.!؟?؛;،,()]{2,60})$"
)
_BYLINE_AFTER = re.compile(
    rf"\s*[-–—|/،,]\s*(?P<byline>(?:{'|'.join(_BYLINE_LABELS.split())})\b.*)$"
)
# "(تصوير: أحمد خالد)": the photographer, beside the byline or on a line of its own.
_PHOTOGRAPHER = re.compile(
    r"\(\s*(?:تصوير|بعدسة|عدسة|صور|الصور|الصورة)\s*[:\-–—]?\s*(?P<name>[^()]{2,40}?)\s*\)"
    r"|^(?:تصوير|بعدسة|عدسة)\s*[:\-–—]\s*(?P<bare>[^()]{2,40})$"
)
# "المصدر: رويترز": the label before a credit, wherever the credit line is.
SOURCE_LABEL = re.compile(r"^(?:ال)?مصدر\s*[:\-–—]\s*")
# What stands between the names of a credit line: a dash (unless it joins two
# Latin letters, "France-Presse"), a tatweel written as a dash, a colon, a
# slash, a bar, a comma, or parentheses.
_CREDIT_BREAK = re.compile(
    r"(?<![A-Za-z])[-–—]+|[-–—]+(?![A-Za-z])|(?<=\s)ـ+|ـ+(?=\s)|^ـ+|ـ+$|[:|/،,()]"
)
_PARENTHESISED = re.compile(r"\([^()]*\)")
# A line that ends a sentence or a clause is copy, never a credit.
_CLAUSE_END = ".!؟?؛;،,"
# Words that name an outlet (a paper, a site, a channel), never a place or an agency.
_OUTLET_WORDS = frozenset(
    normalize(
        "برس نيوز نت كوم بوست تايمز تايم اليوم الآن أونلاين اونلاين موقع صحيفة جريدة قناة "
        "تلفزيون التلفزيون إذاعة راديو شبكة بوابة مجلة الإخبارية الإخباري إنفو عربي "
        "الصحيفة الجريدة القناة الموقع الشبكة البوابة المجلة الإذاعة أخبار الأخبار"
    ).split()
)
# Channels known by a name that has no outlet word in it.
_KNOWN_OUTLETS = frozenset(normalize(name) for name in ("بي بي سي", "العربية", "الحرة", "الميادين"))
_OPENING_QUOTES = '«"“'
_CLOSING_QUOTES = '»"”'
# Words that make a sentence of a line: "وقالت رويترز إن ..." quotes an agency.
_CLAUSE_WORDS = frozenset(
    normalize(
        "إن أن أنه إنه الذي التي الذين قال قالت وقال وقالت ذكر ذكرت وذكرت أفاد أفادت وأفادت "
        "نقل نقلت ونقلت أعلن أعلنت وأعلن وأعلنت بحسب حسب وفق وفقا نقلا لكن هذا هذه "
        + _BYLINE_LABELS
    ).split()
)
# Given names that open a reporter's name; a place never starts with one, and
# "عبد" opens names only ("عبد الله", "عبدالرحمن").
_GIVEN_NAMES = frozenset(
    normalize(
        "محمد أحمد محمود مصطفى علي حسن حسين خالد عمر عمرو سعيد سعد سامي سامر سمير يوسف إبراهيم "
        "إسماعيل موسى عيسى طارق وليد ماجد فهد فيصل ناصر نبيل هشام هاني كريم مازن رامي زياد "
        "جمال كمال عادل عماد أيمن أسامة ياسر منير رشيد مراد نادر بشير جورج إلياس ميشال "
        "سارة فاطمة مريم ليلى نور هدى منى سلمى رنا ريم لينا دينا رانيا هبة آمنة زينب خديجة "
        "سعاد نادية سهى إيمان أمل"
    ).split()
)


# A feed repeats its credit lines and its site's chrome in every story.
@functools.lru_cache(maxsize=4096)
def read_credit(line: str) -> Credit | None:
    """Read a credit line of plain-text copy; None when ``line`` is not one.

    "أ ف ب-الامة برس" is an agency and the outlet that ran the story; "القاهرة -
    أ ش أ:" and "أ ش أ - القاهرة" an agency and a place; "(رويترز)" an agency;
    "عمّان، القدس - أ ف ب، رويترز" two places and two agencies; "كتب: محمد
    علي" and "محمد علي" a reporter; "(تصوير: أحمد خالد)" a photographer. Known
    agencies tell which name is the agency; otherwise the shape does: outlets
    have words like برس, نت or صحيفة, agencies are initials or start with
    وكالة, a reporter's name starts with a given name, and a place is one to
    three words.
    """
    line = line.strip().rstrip(":").rstrip()
    if not line or len(line) > 80 or line[-1] in _CLAUSE_END:
        return None
    photographer = ""
    if photo := _PHOTOGRAPHER.search(line):
        photographer = (photo["name"] or photo["bare"]).strip()
        line = (line[: photo.start()] + line[photo.end() :]).strip(" -–—:")
        if not line:
            return Credit(photographer=photographer, is_certain=True)
    if byline := _BYLINE.match(line):
        name = byline["name"].strip()
        if agency := agency_name(name):
            return Credit(agency=agency, is_certain=True, photographer=photographer)
        if len(name.split()) > 6:
            return None
        return Credit(reporter=name, photographer=photographer, is_certain=True)
    # "أخبار الواحة - كتب: خالد المنصوري": the outlet, then its reporter's byline.
    if (tail := _BYLINE_AFTER.search(line)) and (byline := read_credit(tail["byline"])):
        credit = read_credit(line[: tail.start()])
        if credit is None or credit.reporter or not byline.reporter:
            return None
        return dataclasses.replace(
            credit, reporter=byline.reporter, photographer=photographer, is_certain=True
        )
    line = SOURCE_LABEL.sub("", line)
    joined = re.search(r"[^\s\-–—]-[^\s\-–—]", line) is not None
    qualifiers = {
        part.strip("() ") for part in _PARENTHESISED.findall(line) if not agency_name(part)
    }
    parts = [
        piece
        for part in _CREDIT_BREAK.split(line)
        if part.strip()
        for piece in _split_at_agency(part.strip())
    ]
    # Three names at most ("رويترز - طرابلس (ليبيا)"), more only in lists ("أ ف ب، رويترز").
    most = 6 if re.search("[،,]", line) else 3
    if not 1 <= len(parts) <= most or any(not _is_name(part) for part in parts):
        return None
    credit = _assign(parts, qualifiers, joined=joined)
    if credit is not None and photographer:
        credit = dataclasses.replace(credit, photographer=photographer)
    return credit


def _split_at_agency(part: str) -> list[str]:
    """Split "المنامة بنا" (place and agency with only a space between) in two."""
    words = part.split()
    if len(words) < 2 or agency_name(part):
        return [part]
    for cut in range(1, len(words)):
        before, after = " ".join(words[:cut]), " ".join(words[cut:])
        if agency_name(after) or agency_name(before):
            return [before, after]
    return [part]


def _is_name(part: str) -> bool:
    words = part.split()
    letters = sum(character.isalpha() for character in part)
    return (
        len(words) <= 5
        and letters >= max(2, len(part.replace(" ", "")) // 2)
        and not any(word in _CLAUSE_WORDS for word in normalize(part).split())
    )


def _assign(parts: list[str], qualifiers: set[str], *, joined: bool) -> Credit | None:
    agencies: list[str] = []
    outlets: list[str] = []
    people: list[str] = []
    unknown: list[str] = []
    for part in parts:
        if known := agency_name(part):
            # "وكالة الأنباء السعودية (واس)" names one agency twice.
            if known not in agencies:
                agencies.append(known)
        elif part[0] in _OPENING_QUOTES and part[-1] in _CLOSING_QUOTES:
            outlets.append(part[1:-1].strip())  # "بيروت - «الشرق الأوسط»"
        elif _looks_like_outlet(part):
            outlets.append(part)
        elif _looks_like_agency(part):
            agencies.append(part)
        elif _looks_like_person(part):
            people.append(part)
        else:
            unknown.append(part)
    is_certain = bool(agency_name(agencies[0])) if agencies else _names_outlet(outlets)
    if not agencies and not outlets and not people and unknown:
        agencies.append(unknown.pop(0))
    places = []
    for part in unknown:
        if part in qualifiers and places:
            continue  # "طرابلس (ليبيا)": the country of the place before it
        # "أ ف ب-الأيام": scraped sites join agency and outlet with a bare
        # hyphen, agency first ("دمشق-سانا" is a place and its agency).
        if joined and not outlets and not places and _named_before(agencies, part, parts):
            outlets.append(part)
        elif len(part.split()) <= 3:
            places.append(part)
        elif not outlets:
            outlets.append(part)
        else:
            return None
    outlet = outlets[0] if outlets else ""
    named = [*agencies, outlet] if outlet else agencies
    order = {name: _position(name, parts) for name in named}
    return Credit(
        agency=agencies[0] if agencies else "",
        more_agencies=tuple(agencies[1:]),
        outlet=outlet,
        place=places[0] if places else "",
        reporter=people[0] if people else "",
        is_certain=is_certain,
        credits=tuple(sorted(named, key=order.__getitem__)),
    )


def _position(agency: str, parts: list[str]) -> int:
    """Return where the line names ``agency``, in whichever spelling."""
    named = (
        index
        for index, part in enumerate(parts)
        if agency in (part, part[1:-1].strip(), agency_name(part))
    )
    return next(named, 0)


def _named_before(agencies: list[str], part: str, parts: list[str]) -> bool:
    return bool(agencies) and _position(agencies[0], parts) < parts.index(part)


def _looks_like_outlet(part: str) -> bool:
    if re.search(r"[A-Za-z0-9٠-٩]", part) or normalize(part) in _KNOWN_OUTLETS:
        return True
    return _names_outlet([part])


def _names_outlet(parts: list[str]) -> bool:
    words = (word for part in parts for word in re.findall(r"[^\W\d_]+", normalize(part)))
    return any(word in _OUTLET_WORDS for word in words)


def _looks_like_agency(part: str) -> bool:
    words = normalize(part).split()
    if not words:
        # A part made only of marks or symbols that normalisation removes.
        return False
    initials = len(words) >= 2 and all(len(word) == 1 for word in words)
    return initials or words[0] in ("وكاله", "الوكاله")


def _looks_like_person(part: str) -> bool:
    """A given name first, or a family name of the shape الحلبي after a first name.

    "جنين الحلبي" is a reporter though جنين is also a town: places of two
    words put their article on the first ("الوادي الجديد") or end otherwise
    ("رأس الخيمة", "كفر الشيخ").
    """
    words = normalize(part).split()
    if not 2 <= len(words) <= 4:
        return False
    if words[0] in _GIVEN_NAMES or words[0].startswith("عبد"):
        return True
    family = words[-1]
    return not words[0].startswith("ال") and family.startswith("ال") and family.endswith("ي")
