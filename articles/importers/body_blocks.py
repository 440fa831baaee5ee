"""A story's body, from (X)HTML or XML, as paragraphs: one reading for every format.

NewsML-G2 (XHTML or NITF inside ``inlineXML``), NITF's ``body.content`` and
ninjs's HTML bodies all come here, as an element tree or as a string, so a
list item, a subhead or a table row means the same thing in each. Every block
(``p``, ``li``, ``blockquote``, ``h2``..``h6``, NITF ``hl2``, a table's rows,
``pre``, text standing bare in the body) becomes a paragraph; only chrome by
rule (``head``, ``media``, ``figure``, scripts...) is dropped, and an element
we do not know is read as text and named in ``warnings``. A body sent as
entity-escaped HTML (``&lt;p&gt;``) or with tags in plain text is read as HTML.
Pure: no Django.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import NamedTuple
from xml.etree.ElementTree import Element

from articles.importers.html_text import MARKUP
from articles.importers.wire_text import clean_line, text_paragraphs
from articles.importers.xml_safety import local_name


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Elements that stand as a paragraph (or hold paragraphs) of their own.
_BLOCKS = _names(
    "html p div li dt dd blockquote bq block h1 h2 h3 h4 h5 h6 hl1 hl2 caption section "
    "article footer main aside address center body body.content ul ol dl table "
    "thead tbody tfoot nitf-table credit note fn dateline"
)
_CELLS = frozenset({"td", "th"})
# Blocks that are one line of copy: a <br> inside them reads as a space.
_LINES = _names("p li dt dd h1 h2 h3 h4 h5 h6 hl1 hl2 caption")
# Inline elements: their text joins the paragraph they stand in.
_INLINE = _names(
    "a abbr b bdi bdo big cite code data del dfn em font i ins kbd mark q s samp "
    "small span strike strong sub sup time tt u var wbr br img hr col colgroup person "
    "location org chron money num classifier event function object.title virtloc "
    "copyrite city country region state sublocation postaddr lang pronounce alt-code "
    "frac numer denom frac-sep"
)
# Chrome by rule: never body copy. The picture's caption is read elsewhere.
_CHROME = _names(
    "head title script style template noscript iframe object embed video audio svg "
    "nav media figure figcaption abstract body.head body.end nitf-table-metadata header"
)
# A tag we know, as it appears in text that should have been markup.
_KNOWN_TAG = re.compile(
    r"</?(?:"
    + "|".join(re.escape(n) for n in sorted(_BLOCKS | _CELLS | {"br", "tr"}))
    + r")(?=[\s/>])",
    re.IGNORECASE,
)
_NEWLINE = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
# In XML a newline in bare text is the file's layout; a blank line parts paragraphs.
_BLANK_LINE = re.compile(r"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)\s*|\u2028|\u2029")
_INDENTED_LINE = re.compile(r"\n(?=[ \t\u00a0\u3000]+\S)")
UNKNOWN_ELEMENT_WARNING = "عنصر غير معروف <{}> في نص الخبر: قُرئ نصه كما هو؛ راجع الفقرات"


class Body(NamedTuple):
    paragraphs: list[str]
    warnings: list[str]


def body_paragraphs(body: Element | str | None) -> Body:
    """Return the paragraphs of ``body`` (an element or (X)HTML markup) and notes on it."""
    if body is None:
        return Body([], [])
    if isinstance(body, str):
        if not _KNOWN_TAG.search(body) and _KNOWN_TAG.search(html.unescape(body)):
            body = html.unescape(body)  # entity-escaped HTML: read it as the HTML it is
        events = _string_events(body)
    else:
        events = _tree_events(body)
    reader = _Reader(_NEWLINE if isinstance(body, str) else _BLANK_LINE)
    for event in events:
        reader.feed(*event)
    paragraphs, warnings = reader.finish()
    # Markup that arrived as text inside an element (escaped HTML in XHTML).
    if any(_KNOWN_TAG.search(paragraph) for paragraph in paragraphs):
        inner = body_paragraphs("\n".join(paragraphs)) if isinstance(body, Element) else None
        if inner is not None:
            return Body(inner.paragraphs, warnings + inner.warnings)
    return Body(paragraphs, warnings)


def plain_paragraphs(text: str | None) -> Body:
    """Return the paragraphs of a plain-text body: blank lines or indented lines start one.

    Tags in it (a sender that put HTML in a text field) are read as markup.
    """
    if not text:
        return Body([], [])
    if _KNOWN_TAG.search(text) or _KNOWN_TAG.search(html.unescape(text)):
        return body_paragraphs(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # The indentation every line shares is the file's layout, not the copy's.
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    common = min(indents, default=0)
    text = "\n".join(line[common:] for line in lines)
    chunks = _INDENTED_LINE.split(text)
    return Body([p for chunk in chunks for p in text_paragraphs(chunk)], [])


def _string_events(markup: str) -> Iterator[tuple[str, str]]:
    position = 0
    for match in MARKUP.finditer(markup):
        if match.start() > position:
            yield "text", html.unescape(markup[position : match.start()])
        position = match.end()
        name = (match["name"] or "").lower()
        if not name:
            continue  # comments, scripts, declarations
        if match["end"]:
            yield "end", name
        else:
            yield "start", name
            if match.group().endswith("/>") or name in ("br", "img", "hr", "wbr", "col"):
                yield "end", name
    if position < len(markup):
        yield "text", html.unescape(markup[position:])


def _tree_events(container: Element) -> Iterator[tuple[str, str]]:
    """The text and the elements under ``container``, in document order; not itself."""
    if container.text:
        yield "text", container.text
    stack: list[tuple[str, object]] = [("element", child) for child in reversed(container)]
    while stack:
        kind, item = stack.pop()
        if kind == "text":
            yield "text", item
            continue
        if kind == "end":
            yield "end", item
            continue
        name = local_name(item.tag).lower()
        if item.tail:
            stack.append(("text", item.tail))
        if not name:
            continue  # comments and processing instructions
        yield "start", name
        if item.text:
            yield "text", item.text
        stack.append(("end", name))
        stack.extend(("element", child) for child in reversed(item))


class _Reader:
    """Turns start, end and text events into paragraphs, block by block."""

    def __init__(self, bare_break: re.Pattern):
        self.bare_break = bare_break
        self.paragraphs: list[str] = []
        self.unknown: list[str] = []
        self.parts: list[str] = []
        self.blocks: list[str] = []  # open blocks: outside all of them, lines are paragraphs
        self.chrome: list[str] = []
        self.pre: list[str] | None = None
        self.row: list[str] | None = None

    def feed(self, kind: str, value: str) -> None:
        if self.chrome:
            if kind == "start" and value == self.chrome[-1]:
                self.chrome.append(value)
            elif kind == "end" and value == self.chrome[-1]:
                self.chrome.pop()
            return
        if kind == "text":
            self._text(value)
        elif kind == "start":
            self._start(value)
        else:
            self._end(value)

    def finish(self) -> tuple[list[str], list[str]]:
        self._flush()
        self._end_row()
        warnings = [UNKNOWN_ELEMENT_WARNING.format(name) for name in self.unknown]
        return self.paragraphs, warnings

    def _text(self, text: str) -> None:
        if self.pre is not None:
            self.pre.append(text)
        elif self.blocks or self.row is not None:
            self.parts.append(text)
        else:
            lines = self.bare_break.split(text)
            self.parts.append(lines[0])
            for line in lines[1:]:
                self._flush()
                self.parts.append(line)

    def _start(self, name: str) -> None:
        if name in _CHROME:
            self.chrome.append(name)
        elif name == "pre":
            self._flush()
            self.pre = []
        elif name == "br":
            if self.pre is not None:
                self.pre.append("\n")
            elif self.row is not None or (self.blocks and self.blocks[-1] in _LINES):
                self.parts.append(" ")
            else:
                self._flush()
        elif name == "tr":
            self._end_row()
            self._flush()
            self.row = []
        elif name in _CELLS:
            self._end_cell()
        elif name in _BLOCKS:
            self._flush()
            if name == "p" and self.blocks and self.blocks[-1] == "p":
                self.blocks.pop()  # HTML: a <p> ends at the next one
            self.blocks.append(name)
        elif name not in _INLINE and name not in self.unknown:
            self.unknown.append(name)

    def _end(self, name: str) -> None:
        if name == "pre" and self.pre is not None:
            self.paragraphs.extend(text_paragraphs("".join(self.pre)))
            self.pre = None
        elif name == "tr":
            self._end_row()
        elif name in _CELLS:
            self._end_cell()
        elif name in _BLOCKS:
            if name in ("table", "nitf-table"):
                self._end_row()
            self._flush()
            if name in self.blocks:
                del self.blocks[len(self.blocks) - 1 - self.blocks[::-1].index(name) :]

    def _flush(self) -> None:
        if self.row is not None:
            return
        text = clean_line("".join(self.parts))
        self.parts = []
        if text:
            self.paragraphs.append(text)

    def _end_cell(self) -> None:
        if self.row is None:
            return
        cell = clean_line("".join(self.parts))
        self.parts = []
        if cell:
            self.row.append(cell)

    def _end_row(self) -> None:
        if self.row is None:
            return
        self._end_cell()
        row, self.row = self.row, None
        if row:
            self.paragraphs.append(" | ".join(row))
