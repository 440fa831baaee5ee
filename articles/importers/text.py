"""Plain-text wire copy, as scraped from news sites.

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

The photo caption may share its line with the first paragraph: it ends with
the agency credit in parentheses, then the dateline ("كابول - ") opens the
story. Whatever follows the last real paragraph and has the shape of site
chrome (short lines with no sentence punctuation) is dropped.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from articles.importers.base import ParsedStory, StoryParseError

# Characters that carry structure, not words: no-break and other Unicode
# spaces, zero-width characters and bidi controls.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\u061c]")
_SPACES = re.compile(r"[^\S\n]+")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?$")

# A credit line: an agency name, optionally "-" and the outlet that ran it.
# Agency names are short ("أ ف ب", "رويترز"); a credit is never a sentence.
_CREDIT = re.compile(
    r"^(?P<agency>[^\d\-–—:.!؟?]{1,30}?)\s*(?:[-–—]\s*(?P<outlet>[^\d:.!؟?]{1,40}))?$"
)

# The caption and the first paragraph on one line: the caption closes with the
# photo credit in parentheses, then at least one space, then the story.
_CAPTION_THEN_STORY = re.compile(r"^(?P<caption>.+?\([^()]{1,30}\))\s+(?P<story>\S.*)$")

# "كابول - ", "كابول (أ ف ب) - ", "القاهرة – ": one to three words, an optional
# agency in parentheses, a dash or colon, then the story.
_DATELINE = re.compile(
    r"^(?P<place>[^\s\-–—:()،,.]+(?:\s[^\s\-–—:()،,.]+){0,2})"
    r"\s*(?:\([^()]{1,30}\))?\s*[-–—:]\s*(?P<rest>\S.*)$"
)
_SENTENCE_END = re.compile(r"[.!؟?:\"»”)…]$")


def parse(
    data: bytes, *, encoding: str | None = None, tz: datetime.tzinfo = datetime.UTC
) -> Iterator[ParsedStory]:
    """Parse one plain-text story; dates without a zone are read in ``tz``."""
    yield parse_text(decode(data, encoding), tz=tz)


def decode(data: bytes, encoding: str | None = None) -> str:
    """Decode wire bytes: UTF-8 (with or without BOM) unless ``encoding`` says otherwise."""
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise StoryParseError("الملف ثنائي وليس نصًا")
    try:
        if encoding:
            return data.decode(encoding)
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except (UnicodeDecodeError, LookupError) as error:
        raise StoryParseError(
            f"تعذّرت قراءة الملف بالترميز {encoding or 'UTF-8'}: {error}"
        ) from None


def clean_line(line: str) -> str:
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


def parse_text(text: str, *, tz: datetime.tzinfo = datetime.UTC) -> ParsedStory:
    """Parse the decoded text of one story."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [(number, clean_line(line)) for number, line in enumerate(text.split("\n"), 1)]
    lines = [(number, line) for number, line in lines if line]
    if not lines:
        raise StoryParseError("الملف فارغ: لا عنوان ولا نص")

    _, headline = lines.pop(0)
    source = publisher = ""
    published_at = None
    warnings = []

    # Up to two header lines follow the headline: the credit and the date.
    for _ in range(2):
        if not lines:
            break
        line = lines[0][1]
        if published_at is None and (parsed := _parse_date(line, tz)):
            published_at = parsed
        elif not source and (credit := _CREDIT.match(line)) and len(line.split()) <= 6:
            source = credit["agency"].strip()
            publisher = (credit["outlet"] or "").strip()
        else:
            break
        lines.pop(0)

    body = _drop_trailing_chrome([line for _, line in lines])
    caption = ""
    dateline = ""
    # A caption shares the first line only when the story really opens with a
    # dateline after it: a first paragraph that merely has parentheses is not one.
    match = _CAPTION_THEN_STORY.match(body[0]) if body else None
    if match and _DATELINE.match(match["story"]) and not _DATELINE.match(match["caption"]):
        caption = match["caption"]
        body[0] = match["story"]
    if body and (match := _DATELINE.match(body[0])):
        dateline = match["place"]
        body[0] = match["rest"]
    if published_at is None:
        warnings.append("لا تاريخ في النص: اعتُمد وقت الاستيراد")
    if not body and not caption:
        raise StoryParseError("لا نص للخبر بعد العنوان", line=1)
    return ParsedStory(
        headline=headline,
        paragraphs=tuple(body),
        source=source,
        publisher=publisher,
        published_at=published_at,
        dateline=dateline,
        caption=caption,
        warnings=tuple(warnings),
        line=1,
    )


def _parse_date(line: str, tz: datetime.tzinfo) -> datetime.datetime | None:
    match = _ISO_DATE.match(line)
    if not match:
        return None
    year, month, day, hour, minute = (int(part) if part else 0 for part in match.groups())
    try:
        return datetime.datetime(year, month, day, hour, minute, tzinfo=tz)
    except ValueError:
        return None


def _drop_trailing_chrome(body: list[str]) -> list[str]:
    """Drop the site's menus and widget titles that follow the last real paragraph."""
    while body and _looks_like_chrome(body[-1]):
        body.pop()
    return body


def _looks_like_chrome(line: str) -> bool:
    return len(line.split()) <= 5 and not _SENTENCE_END.search(line)
