"""Read untrusted agency XML safely, and walk the tree it gives.

``parse_xml`` is the only way the importers turn bytes into an XML tree: it
refuses DTDs that declare anything, so entity expansion (billion laughs) and
external entities (XXE) never happen, and it turns every failure into a
``StoryParseError`` an editor can read. See
https://github.com/tiran/defusedxml#attack-vectors.

Two things agencies really send are let through first. A DOCTYPE that only
names the DTD's file (``<!DOCTYPE nitf SYSTEM "nitf-3-6.dtd">``), with no
internal subset, declares nothing and is never fetched: it is blanked out.
XHTML named entities such as ``&nbsp;`` become numeric character references,
which need no DTD. The text clean-up shared with the other formats is in
``wire_text.py``.
"""

from __future__ import annotations

import re
from html.entities import name2codepoint
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import errors as expat_errors

import defusedxml
import defusedxml.ElementTree

from articles.importers.base import DTD_MESSAGE, StoryParseError
from articles.importers.wire_text import clean_text

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
    "undefined entity": "كيان غير معرَّف؛ استعمل المحرف نفسه أو مرجعه الرقمي (مثل &#160;)",
    "unknown encoding": "ترميز الملف غير معروف",
    "encoding specified in XML declaration is incorrect": "الترميز المعلن في رأس الملف غير صحيح",
    "unbound prefix": "بادئة نطاق أسماء غير معرَّفة",
}

# What may come before a DOCTYPE: a BOM, the XML declaration, comments, processing
# instructions and whitespace. A DOCTYPE anywhere else is left for expat to refuse.
_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s|<\?.*?\?>|<!--.*?-->)*", re.S)
# A DOCTYPE with an external identifier and no internal subset ("[...]").
_EXTERNAL_DOCTYPE = re.compile(
    rb"<!DOCTYPE\s+[^\s\[>]+(?:\s+(?:SYSTEM|PUBLIC)(?:\s+(?:\"[^\"]*\"|'[^']*')){1,2})?\s*>"
)
_FIRST_ELEMENT = re.compile(rb"<([A-Za-z_][\w:.\-]*)")
# XHTML's named entities (&nbsp; &eacute; ...), as numeric references; the five
# that XML predefines are left as they are.
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_NAMED_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")


def parse_xml(data: bytes) -> Element:
    """Return the root element of ``data``; raise StoryParseError if it is unsafe or broken."""
    data = _html_entities_to_references(_without_external_doctype(data))
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


def whole_document(data: bytes, fragments: dict[str, tuple[str, ...]]) -> bytes:
    """Put back the root elements around a fragment whose first element is in ``fragments``.

    ``fragments`` maps an element's local name to the elements that enclose it,
    outermost first. Other documents come back as they are; line numbers stay.
    """
    prolog = _PROLOG.match(data)
    first = _FIRST_ELEMENT.match(data, prolog.end())
    name = first[1].decode("ascii").rpartition(":")[2] if first else ""
    parents = fragments.get(name)
    if not parents:
        return data
    opening = b"".join(b"<%s>" % parent.encode() for parent in parents)
    closing = b"".join(b"</%s>" % parent.encode() for parent in reversed(parents))
    return data[: prolog.end()] + opening + data[prolog.end() :].rstrip() + closing


def _without_external_doctype(data: bytes) -> bytes:
    """Blank out a DOCTYPE that only names an external DTD; keep line numbers."""
    prolog = _PROLOG.match(data)
    doctype = _EXTERNAL_DOCTYPE.match(data, prolog.end())
    if doctype is None:
        return data
    blank = re.sub(rb"[^\n]", b" ", doctype.group())
    return data[: doctype.start()] + blank + data[doctype.end() :]


def _html_entities_to_references(data: bytes) -> bytes:
    if b"&" not in data:
        return data

    def reference(match: re.Match) -> bytes:
        name = match.group(1).decode("ascii")
        if name in _XML_ENTITIES or name not in name2codepoint:
            return match.group()
        return b"&#%d;" % name2codepoint[name]

    return _NAMED_ENTITY.sub(reference, data)


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
