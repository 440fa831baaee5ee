"""Plain-text wire copy, as agencies send it and as it is scraped from news sites.

The reference is ``shared/seed/000_cd5be3f60da65570.txt``::

    headline
    <blank>
    credit line            أ ف ب-الامة برس   (agency, then the outlet)
    date line              2024-11-26
    <blank and NBSP-only lines>
    caption (أ ف ب)   كابول - first paragraph...
    <blank>
    paragraph
    ...
    site chrome            كاريكاتير / إستطلاعات الرأي

and the variants real copy has: other encodings and line endings (``charset``),
HTML left in by the scraper (``html_text.strip_markup``), other credits and
bylines (``wire_text.read_credit``), dates in every Arabic style (``date_parsing``),
datelines (``datelines``), a desk label before the headline (``headlines``),
captions on a line of their own (their credit on the same line or the next; a
photo item is its caption alone), and the chrome of any site after the story
(``chrome``).

Every non-blank line is a paragraph, whether paragraphs are separated by blank
lines or by single line breaks. A body written on one line stays one paragraph:
splitting at full stops would cut quotations and abbreviations apart.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterator

from articles.importers.base import NO_DATE_WARNING, NO_TEXT, ParsedStory, StoryParseError
from articles.importers.charset import decode
from articles.importers.chrome import ends_sentence, split_trailing_chrome
from articles.importers.date_parsing import parse_arabic_date, split_off_date
from articles.importers.datelines import looks_like_place, split_dateline
from articles.importers.headlines import split_desk_label
from articles.importers.html_text import strip_markup
from articles.importers.places import is_known_place
from articles.importers.wire_text import (
    SOURCE_LABEL,
    Credit,
    agency_name,
    drop_invisible,
    read_credit,
)
from articles.models import Article

__all__ = ["NO_DATE_WARNING", "decode", "parse", "parse_text"]

# A first line longer than the database holds for a headline is not one.
HEADLINE_MAX_LENGTH = Article._meta.get_field("headline").max_length
# Header lines (credit, date, byline) are looked for among this many lines.
HEADER_MAX_LINES = 5
# Captions are a sentence or two; a longer line is a paragraph.
CAPTION_MAX_WORDS = 60
# A header line (credit, date, or an agency's header with both) is never longer.
HEADER_MAX_LENGTH = 120

# The caption and the first paragraph on one line: the caption closes with the
# photo credit in parentheses, then the story opens with its dateline.
_CAPTION_THEN_STORY = re.compile(r"(?P<caption>.+?\([^()]{1,40}\))\s+(?P<story>\S.*)", re.S)
_CAPTION_START = re.compile(r"^\(?(?:ال)?صورة\b|^صور\s*:|^تصوير\s*:")
_CAPTION_CREDIT = re.compile(r"\((?P<credit>[^()]{1,40})\)$")
_PHOTO_CREDITS = re.compile(
    r"^(?:أرشيفية|ارشيفية|أرشيف|ارشيف|تصوير\b.*|(?:ال)?صورة\b.*|وكالات|مواقع التواصل)$"
)
_NEWLINE = re.compile(r"\r\n|\r|\n")
# A date line credits nobody; a Credit is frozen, so one serves them all.
_NO_CREDIT = Credit()


def parse(
    data: bytes, *, encoding: str | None = None, tz: datetime.tzinfo = datetime.UTC
) -> Iterator[ParsedStory]:
    """Parse one plain-text story; dates without a zone are read in ``tz``."""
    yield parse_text(decode(data, encoding), tz=tz)


def parse_text(text: str, *, tz: datetime.tzinfo = datetime.UTC) -> ParsedStory:
    """Parse the decoded text of one story."""
    numbered = _numbered_lines(strip_markup(text))
    if not numbered:
        raise StoryParseError("الملف فارغ: لا عنوان ولا نص")
    first_line, headline = numbered[0]
    _check_headline(headline, first_line, tz)
    section, headline = split_desk_label(headline)
    lines = [line for _, line in numbered[1:]]

    header, standfirst, body = _read_header(lines, tz)
    caption, body = _take_caption(body)
    # A date line after the caption, or after a line the header could not read,
    # is still the story's date, never its first paragraph.
    first = body[0] if body and header.published_at is None else ""
    if first and len(first) <= HEADER_MAX_LENGTH and (date := parse_arabic_date(first, tz)):
        header.published_at, body = date, body[1:]
    dateline = header.place
    if body and (lead := split_dateline(body[0])):
        dateline = lead.place or dateline
        if agency_name(lead.agency):
            header.credit(lead.agency)
        header.outlet = header.outlet or lead.outlet
        if header.published_at is None and lead.date:
            found, rest = split_off_date(lead.date, tz)
            if found and not rest:
                _set_date(header, found)  # a Hijri date alone is converted, and says so
        body = [lead.rest, *body[1:]] if lead.rest else body[1:]

    paragraphs, chrome = split_trailing_chrome([*standfirst, *body], seen=(headline, caption))
    header.credit(_caption_agency(caption))
    for credit in _credits_in_chrome(chrome):
        header.note(credit)
    if not paragraphs and not caption:
        raise StoryParseError(NO_TEXT, line=first_line)
    if header.published_at is None:
        header.warnings.append(NO_DATE_WARNING)
    return ParsedStory(
        headline=headline,
        section=section,
        paragraphs=tuple(paragraphs),
        # With no agency named, the outlet's own story is credited to the outlet.
        source=header.source or header.outlet,
        credits=_credits(header),
        # An outlet that ran an agency's story published it.
        publisher=header.outlet if header.source else "",
        byline=header.reporter,
        published_at=header.published_at,
        dateline=dateline,
        caption=caption,
        warnings=tuple(header.warnings),
        line=first_line,
    )


def _numbered_lines(text: str) -> list[tuple[int, str]]:
    """Return the lines of ``text`` that are not blank, cleaned, with their numbers in the file."""
    if "\r" in text:
        # Dropping an invisible character between "\r" and "\n" makes one line
        # break of two, so it is done before the text is split into lines.
        text = drop_invisible(text)
        lines, dropped = _NEWLINE.split(text), True
    else:
        # Without "\r", dropping can neither make nor unmake a line break, so
        # only the rare line that has an invisible character is cleaned of it.
        lines, dropped = text.split("\n"), False
    numbered = []
    for number, line in enumerate(lines, 1):
        if not line:
            continue
        if line.isprintable():
            # The common line, cleaned fast: isprintable() is False for every
            # invisible character, line break and space but " ", so there is
            # nothing to drop and nothing to split, only spaces to collapse.
            if "  " in line or line[0] == " " or line[-1] == " ":
                line = " ".join(line.split())
            if line:
                numbered.append((number, line))
            continue
        if not dropped:
            line = drop_invisible(line)
        # Form feeds, U+2028 and U+2029 (from <br> and <p>) break a line in two.
        for part in line.splitlines():
            # str.split() splits on every Unicode space, NBSP included.
            if cleaned := " ".join(part.split()):
                numbered.append((number, cleaned))
    return numbered


def _check_headline(headline: str, line: int, tz: datetime.tzinfo) -> None:
    if len(headline) > HEADLINE_MAX_LENGTH:
        raise StoryParseError(
            f"السطر الأول أطول من أن يكون عنواناً ({len(headline)} حرفاً، والحد "
            f"{HEADLINE_MAX_LENGTH}): أول سطر في الملف يجب أن يكون عنوان الخبر",
            line=line,
        )
    found, rest = split_off_date(headline, tz)
    if found is not None and not rest:
        raise StoryParseError(
            "السطر الأول تاريخ وليس عنواناً: أول سطر في الملف يجب أن يكون عنوان الخبر",
            line=line,
        )


@dataclasses.dataclass
class _Header:
    source: str = ""
    outlet: str = ""
    place: str = ""
    reporter: str = ""
    published_at: datetime.datetime | None = None
    has_date: bool = False
    warnings: list[str] = dataclasses.field(default_factory=list)
    # Every agency and outlet credited anywhere in the copy, in order.
    credits: list[str] = dataclasses.field(default_factory=list)

    def credit(self, name: str, *, is_agency: bool = True) -> None:
        """Note one more agency (or outlet) credited: the header's, the dateline's, ..."""
        if name and name not in self.credits:
            self.credits.append(name)
        if is_agency:
            self.source = self.source or name

    def note(self, credit: Credit) -> None:
        """Note the agencies and the outlet of one credit, wherever the copy gives it."""
        for name in credit.credits:
            self.credit(name, is_agency=name != credit.outlet)
        self.outlet = self.outlet or credit.outlet


def _read_header(lines: list[str], tz: datetime.tzinfo) -> tuple[_Header, list[str], list[str]]:
    """Read the credit, date and byline lines after the headline.

    Return the header, a standfirst that came before them (if any) and the rest.
    """
    kinds = _LazyKinds(lines[:HEADER_MAX_LINES], tz)
    start = 0
    # One line of standfirst may stand between the headline and the header.
    if len(kinds) > 1 and kinds[0] is None and kinds[1] is not None and not _caption_lines(lines):
        start = 1
    header = _Header()
    end = start
    for index in range(start, len(kinds)):
        kind = kinds[index]
        if kind is None or not _apply(header, kind, kinds, index):
            break
        end = index + 1
    if end == start:
        return _Header(), [], lines
    return header, lines[:start], lines[end:]


class _LazyKinds:
    """What each of the first lines is, worked out only for the lines looked at."""

    def __init__(self, lines: list[str], tz: datetime.tzinfo):
        self._lines, self._tz = lines, tz
        self._kinds: dict[int, tuple | None] = {}

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, index: int) -> tuple | None:
        if index not in self._kinds:
            self._kinds[index] = _header_line(self._lines[index], self._tz)
        return self._kinds[index]


def _header_line(line: str, tz: datetime.tzinfo) -> tuple | None:
    """Return ("date", found), ("credit", credit) or ("dated", found, credit); None for copy."""
    if len(line) > HEADER_MAX_LENGTH:
        return None
    found, pieces = split_off_date(line.rstrip(". "), tz)
    if found is not None:
        if not pieces:
            return ("date", found)
        credit = read_credit(" - ".join(pieces))
        if credit and (credit.is_certain or (len(pieces) == 1 and looks_like_place(pieces[0]))):
            if not credit.is_certain:
                credit = Credit(place=pieces[0])
            return ("dated", found, credit)
        return None
    if ends_sentence(line) or _CAPTION_START.match(line):
        # A photo's caption ("صورة: ...") is never a credit line, whatever it names.
        return None
    credit = read_credit(line)
    if credit is None or (credit.place and not looks_like_place(credit.place)):
        return None  # "رويترز - افتتح الوزير المعرض" opens the story
    if not credit.is_certain and is_known_place(line.strip(" :-–—ـ")):
        # "بيروت" alone above the date: where the story was filed, not who sent it.
        return ("credit", Credit(place=line.strip(" :-–—ـ")))
    return ("credit", credit)


def _apply(header: _Header, kind: tuple, kinds: _LazyKinds, index: int) -> bool:
    """Fill ``header`` from one header line; False if the line cannot belong to the header."""
    dated = kind[0] in ("date", "dated")
    credit = kind[-1] if kind[0] != "date" else _NO_CREDIT
    if dated and header.has_date:
        return False
    if kind[0] == "credit" and not credit.is_certain:
        # A credit naming no known agency, or a bare name ("جنين الحلبي"), is
        # only a credit beside a date line.
        neighbours = [kinds[i] for i in (index - 1, index + 1) if 0 <= i < len(kinds)]
        if not any(other and other[0] in ("date", "dated") for other in neighbours):
            return False
    if (credit.agency and header.source) or (credit.reporter and header.reporter):
        return False
    if dated:
        _set_date(header, kind[1])
    header.note(credit)
    header.place = header.place or credit.place
    header.reporter = header.reporter or credit.reporter
    return True


def _set_date(header: _Header, found) -> None:
    header.has_date = True
    header.published_at = found.value
    if found.value is None:
        header.warnings.append(f"التاريخ «{found.text}» غير صالح فأُهمل")
    elif found.is_hijri:
        header.warnings.append(
            f"لا تاريخ ميلادي في النص: حُوِّل التاريخ الهجري «{found.text}» "
            f"إلى {found.value.date().isoformat()} بتقويم أم القرى"
        )


def _take_caption(body: list[str]) -> tuple[str, list[str]]:
    """Take the photo caption from the top of the body: on its own line, or before the lead."""
    if not body:
        return "", body
    first = body[0]
    merged = _CAPTION_THEN_STORY.match(first)
    if merged and split_dateline(merged["story"]) and not split_dateline(merged["caption"]):
        return merged["caption"], [merged["story"], *body[1:]]
    taken = _caption_lines(body)
    if taken and (len(body) == taken or not split_dateline(first)):
        return " ".join(body[:taken]), body[taken:]
    return "", body


def _caption_lines(lines: list[str]) -> int:
    """Return how many of the first ``lines`` make the caption: 2 when its credit is on the next.

    "الوزير خلال الافتتاح" then "(رويترز)": the credit alone on the next line
    closes the caption, which may then end with a full stop.
    """
    credit_below = len(lines) > 1 and _CAPTION_CREDIT.fullmatch(lines[1])
    if credit_below and not _CAPTION_CREDIT.search(lines[0]):
        caption = f"{lines[0].rstrip('.')} {lines[1]}"
        if _is_caption(caption):
            return 2
    return 1 if lines and _is_caption(lines[0]) else 0


def _is_caption(line: str) -> bool:
    """A line that starts with صورة/الصورة, or ends with a photo credit in parentheses.

    A paragraph that ends a sentence before an agency's credit ("... اليوم.
    (رويترز)") is copy, and so is anything longer than a caption ever is.
    """
    if len(line.split()) > CAPTION_MAX_WORDS:
        return False
    if _CAPTION_START.match(line):
        return True
    credit = _CAPTION_CREDIT.search(line)
    if credit is None or len(line.split()) < 4 or ends_sentence(line[: credit.start()]):
        return False
    text = credit["credit"].strip()
    return bool(agency_name(text) or _PHOTO_CREDITS.match(text))


def _credits(header: _Header) -> tuple[str, ...]:
    """Every agency (or outlet) credited, in order; none when only the source is.

    An outlet that ran an agency's story is its publisher, which the story page
    names on its own ("نقلًا عن ..."), so it is not among the credits.
    """
    credits = [name for name in header.credits if not (header.source and name == header.outlet)]
    return tuple(credits) if len(credits) > 1 else ()


def _caption_agency(caption: str) -> str:
    """Return the agency of a caption's photo credit: "... (رويترز)" gives رويترز."""
    credit = _CAPTION_CREDIT.search(caption)
    return agency_name(credit["credit"]) if credit else ""


def _credits_in_chrome(chrome: list[str]) -> list[Credit]:
    """Return the end credits among the chrome: "المصدر: رويترز", "فرانس24/ أ ف ب"."""
    credits = []
    for line in chrome:
        credit = read_credit(line)
        # A headline of "اقرأ أيضا" may start with an agency: an end credit names
        # an agency, and nothing but outlets beside it.
        if (
            credit
            and credit.agency
            and not (credit.place or credit.reporter)
            and (SOURCE_LABEL.match(line) or agency_name(credit.agency))
        ):
            credits.append(credit)
    return credits
