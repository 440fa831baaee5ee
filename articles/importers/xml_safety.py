"""Read untrusted agency files safely, and clean the text they carry.

``parse_xml`` is the only way the importers turn bytes into an XML tree: it
refuses DTDs, so entity expansion (billion laughs) and external entities (XXE)
never happen, and it turns every failure into a ``StoryParseError`` an editor
can read. See https://github.com/tiran/defusedxml#attack-vectors.

The text helpers below are shared by all the wire parsers (XML and ninjs JSON):
whatever the format, a headline or paragraph comes out the same way.
"""

from __future__ import annotations

import datetime
import html
import re
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import errors as expat_errors

import defusedxml
import defusedxml.ElementTree

from articles.importers.base import StoryParseError

DTD_MESSAGE = (
    "الملف يحوي تعريف DTD أو كيانات خارجية، وهذا مرفوض لأسباب أمنية. "
    "احذف سطر <!DOCTYPE ...> من الملف ثم أعد رفعه."
)
# No news format nests anywhere near this deep; a file that does is an attack on
# the recursive tree walks (ElementTree's iter() and itertext() recurse in Python).
MAX_DEPTH = 100

# expat's reasons, in the words an editor reads; unknown ones are shown as they are.
_EXPAT_REASONS = {
    "no element found": "الملف فارغ أو مبتور",
    "syntax error": "خطأ في بنية XML",
    "not well-formed (invalid token)": "رمز غير صالح",
    "unclosed token": "وسم لم يُغلق",
    "mismatched tag": "وسم الإغلاق لا يطابق وسم الفتح",
    "duplicate attribute": "سمة مكررة في الوسم نفسه",
    "junk after document element": "نص زائد بعد نهاية المستند",
    "undefined entity": "كيان غير معرَّف (مثل &nbsp;)؛ استعمل المحرف نفسه أو &#160;",
    "unknown encoding": "ترميز الملف غير معروف",
    "encoding specified in XML declaration is incorrect": "الترميز المعلن في رأس الملف غير صحيح",
    "unbound prefix": "بادئة نطاق أسماء غير معرَّفة",
}

# Zero-width (U+200B-U+200D, U+2060, U+FEFF) and bidi controls (U+061C, U+200E,
# U+200F, U+202A-U+202E, U+2066-U+2069): invisible, and they garble search and slugs.
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"\s+")
_BLANK_LINE = re.compile(r"\n\s*\n")
# A dash in a credit line, unless it joins two Latin letters ("Agence France-Presse").
_CREDIT_DASH = re.compile(r"\s*(?:(?<![A-Za-z])[-–—]|[-–—](?![A-Za-z]))\s*")
_DATELINE_END = re.compile(r"[،,(]|\s[-–—]")
# After the place: an optional ", date", an optional "(agency)", then the dash.
_LEAD_TAIL = r"(?:\s*[،,][^-–—()\n]{0,40}?)?\s*(?:\([^()\n]{1,40}\))?\s*[-–—]+\s*"
# Never inside a paragraph worth keeping.
_SKIPPED_BLOCKS = frozenset({"head", "abstract", "media", "figure", "figcaption", "table"})


def parse_xml(data: bytes) -> Element:
    """Return the root element of ``data``; raise StoryParseError if it is unsafe or broken."""
    try:
        root = defusedxml.ElementTree.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException as exc:
        # DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden.
        raise StoryParseError(DTD_MESSAGE, line=_line_of(data, b"<!DOCTYPE")) from exc
    except ParseError as exc:
        line, column = exc.position if exc.position else (None, None)
        reason = expat_errors.messages.get(exc.code, str(exc)) if exc.code else str(exc)
        message = f"ملف XML غير سليم: {_EXPAT_REASONS.get(reason, reason)}"
        if column is not None:
            message += f" (العمود {column + 1})"
        raise StoryParseError(message, line=line) from exc
    _check_depth(root)
    return root


def _line_of(data: bytes, needle: bytes) -> int | None:
    index = data.find(needle)
    return data.count(b"\n", 0, index) + 1 if index >= 0 else None


def _check_depth(root: Element) -> None:
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise StoryParseError(
                f"عناصر XML متداخلة بأكثر من {MAX_DEPTH} مستوى؛ هذا ليس ملف أخبار سليماً"
            )
        stack.extend((child, depth + 1) for child in element)


def local_name(tag: object) -> str:
    """Return ``tag`` without its ``{namespace}``; "" for comments and processing instructions."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def children(element: Element | None, name: str) -> list[Element]:
    """Return the direct children of ``element`` whose local name is ``name``."""
    if element is None:
        return []
    return [child for child in element if local_name(child.tag) == name]


def find(element: Element | None, *path: str) -> Element | None:
    """Follow ``path`` (local names, one per level) from ``element``; None if it breaks off."""
    for name in path:
        found = children(element, name)
        element = found[0] if found else None
    return element


def element_text(element: Element | None) -> str:
    """Return the cleaned text of ``element`` and its descendants; <br> counts as a space."""
    if element is None:
        return ""
    parts = []
    stack: list[Element | str] = [element]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        if local_name(item.tag) == "br":
            parts.append(" ")
        parts.append(item.text or "")
        for child in reversed(item):
            if child.tail:
                stack.append(child.tail)
            stack.append(child)
    return clean_text("".join(parts))


def xml_paragraphs(container: Element | None) -> list[str]:
    """Return the non-empty text of every <p> under ``container``, in document order.

    Captions, abstracts and tables are skipped: they are not body copy.
    """
    if container is None:
        return []
    paragraphs = []
    stack = list(reversed(container))
    while stack:
        element = stack.pop()
        name = local_name(element.tag)
        if name == "p":
            text = element_text(element)
            if text:
                paragraphs.append(text)
        elif name and name not in _SKIPPED_BLOCKS:
            stack.extend(reversed(element))
    return paragraphs


def clean_text(text: str | None) -> str:
    """Decode HTML entities, drop invisible controls, collapse whitespace, strip."""
    if not text:
        return ""
    text = _INVISIBLE.sub("", html.unescape(text))
    return _SPACES.sub(" ", text).strip()


def text_paragraphs(text: str | None, *, blank_lines_only: bool = True) -> list[str]:
    """Split plain ``text`` into cleaned paragraphs, on blank lines or on every newline."""
    if not text:
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    chunks = _BLANK_LINE.split(text) if blank_lines_only else text.split("\n")
    return [cleaned for chunk in chunks if (cleaned := clean_text(chunk))]


def parse_datetime(value: str | None) -> datetime.datetime | None:
    """Return ISO 8601 ``value`` (basic or extended) as an aware datetime; naive means UTC.

    Return None for an empty value; raise ValueError for one that is not a date.
    """
    value = (value or "").strip()
    if not value:
        return None
    # Python 3.11 reads "20241126T101500+0300" and a trailing "Z" as well.
    parsed = datetime.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed


def read_datetime(value: str | None, warnings: list[str]) -> datetime.datetime | None:
    """Like ``parse_datetime``, but note an unreadable date in ``warnings`` and return None."""
    try:
        return parse_datetime(value)
    except ValueError:
        warnings.append(f"تاريخ النشر «{clean_text(value)}» غير مفهوم فأُهمل")
        return None


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


def split_credit(credit: str | None) -> tuple[str, str]:
    """Split "أ ف ب-الامة برس" into the agency and the outlet that republished it."""
    credit = clean_text(credit)
    parts = _CREDIT_DASH.split(credit, maxsplit=1)
    if len(parts) == 2 and parts[0] and parts[1]:
        return parts[0], parts[1]
    return credit, ""


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
