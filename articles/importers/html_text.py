"""HTML in wire copy read as text: one reading for every parser that meets markup.

Copy scraped off a site keeps some of its HTML (``text.py``), and the agency
formats send their bodies as markup (``body_blocks.py`` reads those with the
pattern here), so a tag, a comment, a script or an entity means the same thing
in each. A tag's name may hold a dot, as NITF's ``<body.content>`` does. Tags, comments,
declarations and the contents of <script>, <style> and <template> go; <br>
breaks a line and block elements (<p>, <div>, <li>...) a paragraph; entities
are decoded once. Only a name that starts with a Latin letter makes a tag, so
"<" in Arabic copy ("أقل من <5") stays. Pure: no Django.

Regular expressions rather than ``html.parser.HTMLParser``, on purpose: every
pattern here stops at the next "<" or ">" (or at the quote that closes an
attribute's value), so the work stays linear in the input, whatever the input.
HTMLParser as shipped with Python 3.11.7 takes minutes over 100 KB of unclosed
tags ("<a <a <a ...") and raises AssertionError on "<![ "; see
https://github.com/python/cpython/issues/135462.
"""

from __future__ import annotations

import html
import re

# <br> (and </br>, which browsers read as <br>) ends a line, a block element a
# paragraph. str.splitlines breaks on both, the file's own newlines stay where
# they were, and str.split() takes both for spaces.
LINE_SEPARATOR = "\u2028"
PARAGRAPH_SEPARATOR = "\u2029"
_BLOCK_ELEMENT = re.compile(
    r"p|div|h[1-6]|li|ul|ol|tr|table|blockquote|section|article|header|footer|figure"
    r"|figcaption|aside|nav",
    re.IGNORECASE,
)

# What follows a tag's name up to its ">": attributes, whose quoted values may
# hold "<" and ">"; failing that (a stray quote in an unquoted value), anything
# but "<" and ">". Possessive, so a tag that never closes costs one scan.
_REST_OF_TAG = r"""(?:\s(?:=\s*+(?:"[^"]*+"|'[^']*+')|[^<>"'])*+|\s[^<>]*+)?/?>"""
MARKUP = re.compile(
    "|".join(
        [
            # A comment; one that is never closed runs to the end, as in a browser.
            r"<!--.*?(?:-->|\Z)",
            # A script, style or template with its contents; unclosed, it runs to the end.
            rf"<(?P<hidden>script|style|template)(?![A-Za-z0-9:-]){_REST_OF_TAG}"
            r".*?(?:</(?P=hidden)\s*>|\Z)",
            # A start or end tag.
            rf"<(?P<end>/?)(?P<name>[A-Za-z][A-Za-z0-9:.-]*){_REST_OF_TAG}",
            # A DOCTYPE, CDATA section or processing instruction: browsers drop them.
            r"<[!?][^<>]*+>",
        ]
    ),
    re.IGNORECASE | re.DOTALL,
)


def strip_markup(text: str, *, keep_newlines: bool = True) -> str:
    """Return ``text`` without HTML markup, with its entities decoded.

    ``<br>`` becomes U+2028 LINE SEPARATOR and block tags (``<p>``, ``<div>``...)
    U+2029 PARAGRAPH SEPARATOR, so they still separate lines and paragraphs.
    Inline tags (``<span>``, ``<b>``) vanish, as they never stood for a space.
    With ``keep_newlines``, the newlines inside removed markup stay, so that the
    lines of a file keep their numbers for error messages.
    """
    if "<" in text:
        text = MARKUP.sub(_replacement if keep_newlines else _separator, text)
    return html.unescape(text) if "&" in text else text


def _separator(match: re.Match) -> str:
    """What a piece of markup leaves in the text: a line or paragraph separator, or nothing."""
    name = match["name"]
    if name is None:
        return ""
    if name.lower() == "br":
        return LINE_SEPARATOR
    return PARAGRAPH_SEPARATOR if _BLOCK_ELEMENT.fullmatch(name) else ""


def _replacement(match: re.Match) -> str:
    return _separator(match) + "\n" * match.group().count("\n")
