"""Parse IPTC NewsML-G2 news items into stories.

A file holds one ``newsItem``, or a ``newsMessage`` whose ``itemSet`` holds
several. Elements are matched on their local names (the NewsML-G2 namespace is
http://iptc.org/std/nar/2006-10-01/), so a sender that gets the namespace wrong
still imports. Specification:
https://iptc.org/std/NewsML-G2/guidelines/
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from articles.importers.base import (
    NEWSML_FRAGMENTS,
    ParsedStory,
    StoryParseError,
    not_a_text_item,
)
from articles.importers.body_blocks import Body, body_paragraphs, plain_paragraphs
from articles.importers.date_parsing import parse_datetime, read_datetime
from articles.importers.datelines import dateline_place, take_dateline
from articles.importers.wire_text import (
    FormatCredit,
    clean_text,
    format_credit,
    provider_credit,
    read_version,
)
from articles.importers.xml_safety import (
    children,
    element_text,
    find,
    local_name,
    parse_xml,
    whole_document,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
WITHHELD_WARNING = (
    "الوكالة حجبت هذا الخبر مؤقتاً (pubStatus stat:withheld): "
    "لا يُنشر حتى تعيد إرساله صالحاً للنشر أو تلغيه"
)


def parse(data: bytes) -> Iterator[ParsedStory | StoryParseError]:
    """Yield a story for the ``newsItem`` in ``data``, or for each item of a ``newsMessage``.

    Raise StoryParseError when the file is not NewsML-G2 or a lone item is unusable;
    yield one in place of a bad item inside a message.
    """
    root = parse_xml(whole_document(data, NEWSML_FRAGMENTS))
    name = local_name(root.tag)
    if name == "newsItem":
        yield _parse_item(root)
        return
    if name != "newsMessage":
        raise StoryParseError(
            f"هذا ليس ملف NewsML-G2: العنصر الجذر <{name}> وليس newsItem ولا newsMessage"
        )
    # Package, concept and planning items in the same message are not stories.
    items = children(find(root, "itemSet"), "newsItem")
    if not items:
        raise StoryParseError("رسالة NewsML-G2 هذه لا تحوي أي newsItem داخل itemSet")
    for item in items:
        try:
            story = _parse_item(item)
        except StoryParseError as exc:
            story = exc
        yield story


def _parse_item(item: Element) -> ParsedStory:
    guid = (item.get("guid") or "").strip()
    warnings: list[str] = []
    meta = find(item, "itemMeta")
    content = find(item, "contentMeta")

    item_class = find(meta, "itemClass")
    qcode = item_class.get("qcode", "") if item_class is not None else ""
    if refusal := not_a_text_item(qcode.rpartition(":")[2], qcode):
        raise _error(guid, refusal)
    status = _status(find(meta, "pubStatus"))
    if status == "withheld":
        warnings.append(WITHHELD_WARNING)
    dateline = _dateline(content)
    headline = _preferred_text(children(content, "headline")) or _embedded_headline(
        find(item, "contentSet")
    )
    body = _body(find(item, "contentSet"))
    warnings.extend(body.warnings)
    paragraphs, dateline = take_dateline(body.paragraphs, dateline)
    is_canceled = status == "canceled"
    # A cancellation only needs to say which item it cancels.
    if not headline and not paragraphs and not (is_canceled and guid):
        raise _error(guid, "الخبر بلا عنوان وبلا نص (لا headline في contentMeta ولا contentSet)")

    credit = _credit(meta, content)
    return ParsedStory(
        headline=headline,
        paragraphs=tuple(paragraphs),
        source=credit.source,
        credits=credit.credits,
        publisher=credit.publisher,
        byline=credit.byline,
        published_at=_published_at(meta, content, warnings),
        dateline=dateline,
        caption=_caption(content),
        guid=guid,
        version=read_version(item.get("version"), warnings),
        is_canceled=is_canceled,
        embargoed_until=_embargo(guid, find(meta, "embargoed")),
        warnings=tuple(warnings),
    )


def _error(guid: str, message: str) -> StoryParseError:
    return StoryParseError(f"الخبر {guid}: {message}" if guid else message)


def _status(pub_status: Element | None) -> str:
    """Return "usable", "withheld" or "canceled" from a qcode ("stat:canceled") or a URI."""
    if pub_status is None:
        return "usable"
    qcode = (pub_status.get("qcode") or "").strip()
    if qcode:
        return qcode.rpartition(":")[2].lower()
    return (pub_status.get("uri") or "").strip().rstrip("/").rpartition("/")[2].lower()


def _dateline(content: Element | None) -> str:
    """Return the place filed from: ``located``'s name or literal, else ``dateline``'s place."""
    located = find(content, "located")
    place = _preferred_text(children(located, "name"))
    if not place and located is not None:
        place = clean_text(located.get("literal"))
    return place or dateline_place(_preferred_text(children(content, "dateline")))


def _embedded_headline(content_set: Element | None) -> str:
    """The headline of the document inside the item, when its metadata has none.

    Some systems send the headline only in the embedded NITF (``hl1``) or in
    the XHTML's ``title``.
    """
    if content_set is None:
        return ""
    for name in ("hl1", "title"):
        for element in content_set.iter():
            if local_name(element.tag) == name and (text := element_text(element)):
                return text
    return ""


def _preferred_text(elements: list[Element]) -> str:
    """Return the text of the Arabic one of ``elements`` if any, else of the first non-empty."""
    texts = [(element.get(XML_LANG) or "", element_text(element)) for element in elements]
    texts = [(lang.lower(), text) for lang, text in texts if text]
    for lang, text in texts:
        if lang == "ar" or lang.startswith("ar-"):
            return text
    return texts[0][1] if texts else ""


def _published_at(
    meta: Element | None, content: Element | None, warnings: list[str]
) -> datetime.datetime | None:
    # firstCreated keeps the time of first publication across later versions.
    for element in (find(meta, "firstCreated"), find(meta, "versionCreated")):
        value = clean_text(element.text) if element is not None else ""
        if value:
            parsed = read_datetime(value, warnings)
            if parsed is not None:
                return parsed
    content_created = find(content, "contentCreated")
    if content_created is not None:
        return read_datetime(clean_text(content_created.text), warnings)
    return None


def _embargo(guid: str, embargoed: Element | None) -> datetime.datetime | None:
    value = clean_text(embargoed.text) if embargoed is not None else ""
    try:
        return parse_datetime(value)
    except ValueError:
        # Guessing could publish a story before its embargo lifts.
        raise _error(guid, f"موعد رفع الحظر «{value}» غير مفهوم؛ صحّحه ثم أعد الاستيراد") from None


def _credit(meta: Element | None, content: Element | None) -> FormatCredit:
    """Return the creditline, else the info source, else the provider; and the byline."""
    credit = format_credit(element_text(find(content, "creditline")))
    # A byline (contentMeta/by) names a reporter, never the agency: not a fallback.
    by = element_text(find(content, "by"))
    byline = credit.byline or (format_credit(by).byline or by if by else "")
    if not credit.source:
        for party in children(content, "infoSource") + children(meta, "provider"):
            literal = clean_text(party.get("literal"))
            name = (
                provider_credit(literal)
                or literal
                or element_text(find(party, "name"))
                or provider_credit(party.get("qcode"))
            )
            if name:
                credit = FormatCredit(name)
                break
    return dataclasses.replace(credit, byline=byline)


def _caption(content: Element | None) -> str:
    for description in children(content, "description"):
        if (description.get("role") or "").endswith(":caption"):
            text = element_text(description)
            if text:
                return text
    return ""


def _body(content_set: Element | None) -> Body:
    """Return the body from the first inlineXML (XHTML or NITF) with text, else inlineData."""
    for inline in children(content_set, "inlineXML"):
        # NITF carries <body> too, so look for its body.content first.
        container = _descendant(inline, "body.content")
        if container is None:
            container = _descendant(inline, "body")
        body = body_paragraphs(container if container is not None else inline)
        if body.paragraphs:
            return body
    for inline in children(content_set, "inlineData"):
        body = plain_paragraphs(inline.text)
        if body.paragraphs:
            return body
    return Body([], [])


def _descendant(element: Element, name: str) -> Element | None:
    return next((found for found in element.iter() if local_name(found.tag) == name), None)
