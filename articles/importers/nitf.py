"""Parse an IPTC NITF 3.x document into a story.

One ``<nitf>`` document is one story. NITF is sent both with and without its
namespace (http://iptc.org/std/NITF/2006-10-18/), so elements are matched on
their local names. Specification: https://iptc.org/std/NITF/3.6/documentation/
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from articles.importers.base import NITF_FRAGMENTS, ParsedStory, StoryParseError
from articles.importers.body_blocks import body_paragraphs
from articles.importers.date_parsing import read_datetime
from articles.importers.datelines import dateline_place, take_dateline
from articles.importers.wire_text import FormatCredit, clean_text, format_credit, read_version
from articles.importers.xml_safety import (
    element_text,
    find,
    local_name,
    parse_xml,
    whole_document,
)


def parse(data: bytes) -> Iterator[ParsedStory | StoryParseError]:
    """Yield the one story in NITF ``data``; raise StoryParseError if there is none.

    A fragment (``<body.content>`` alone) is read as the document it was cut from.
    """
    root = parse_xml(whole_document(data, NITF_FRAGMENTS))
    name = local_name(root.tag)
    if name != "nitf":
        raise StoryParseError(f"هذا ليس ملف NITF: العنصر الجذر <{name}> وليس nitf")
    yield _parse_document(root)


def _parse_document(root: Element) -> ParsedStory:
    docdata = find(root, "head", "docdata")
    body_head = find(root, "body", "body.head")
    body_content = find(root, "body", "body.content")
    warnings: list[str] = []

    headline = element_text(find(body_head, "hedline", "hl1"))
    dateline = _dateline(find(body_head, "dateline"))
    body = body_paragraphs(body_content)
    warnings.extend(body.warnings)
    paragraphs, dateline = take_dateline(body.paragraphs, dateline)
    if not headline and not paragraphs:
        raise StoryParseError("الخبر بلا عنوان (hedline/hl1) وبلا فقرات (body.content/p)")

    credit = _credit(docdata, body_head)
    return ParsedStory(
        headline=headline,
        paragraphs=tuple(paragraphs),
        source=credit.source,
        credits=credit.credits,
        publisher=credit.publisher,
        byline=credit.byline,
        # date.release and urgency are the sender's scheduling, not the story's date.
        published_at=read_datetime(_attribute(docdata, "date.issue", "norm"), warnings),
        dateline=dateline,
        caption=_caption(body_content),
        guid=clean_text(_attribute(docdata, "doc-id", "id-string")),
        version=read_version(clean_text(_attribute(docdata, "du-key", "version")), warnings),
        warnings=tuple(warnings),
    )


def _attribute(parent: Element | None, child: str, attribute: str) -> str:
    element = find(parent, child)
    return (element.get(attribute) or "") if element is not None else ""


def _credit(docdata: Element | None, body_head: Element | None) -> FormatCredit:
    """Return the distributor, else the copyright holder, as the source; the byline as byline."""
    agency = element_text(find(body_head, "distributor")) or clean_text(
        _attribute(docdata, "doc.copyright", "holder")
    )
    credit = format_credit(agency)
    # A byline names a reporter, never the agency.
    byline = element_text(find(body_head, "byline"))
    if byline and not credit.byline:
        credit = dataclasses.replace(credit, byline=format_credit(byline).byline or byline)
    return credit


def _dateline(dateline: Element | None) -> str:
    """Return the place only: the <city> of <location>, else the text before the comma.

    A <story.date> is the dateline's time, never its place: a dateline holding
    only one names no place.
    """
    location = find(dateline, "location")
    if location is None:
        location = find(dateline, "evloc")
    if location is not None:
        city = element_text(find(location, "city"))
        return city or dateline_place(element_text(location))
    if dateline is None:
        return ""
    parts = [dateline.text or ""]
    for child in dateline:
        if local_name(child.tag) != "story.date":
            parts.append(element_text(child))
        parts.append(child.tail or "")
    return dateline_place(" ".join(parts))


def _caption(body_content: Element | None) -> str:
    if body_content is None:
        return ""
    for media in body_content.iter():
        if local_name(media.tag) == "media" and media.get("media-type") == "image":
            caption = element_text(find(media, "media-caption"))
            if caption:
                return caption
    return ""
