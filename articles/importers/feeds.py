"""Parse RSS 2.0 and Atom 1.0 feeds with full content into stories.

Each entry (RSS ``item``, Atom ``entry``) is a story: its id (RSS ``guid``,
else its ``link``; Atom ``id``, else its link) is the guid, so a feed polled
again finds its stories unchanged; its title is the headline; the full
content (RSS ``content:encoded``, Atom ``content``, else the
``description``/``summary``) is read into paragraphs by ``body_blocks``, as
every other format's markup is; its author (RSS ``author``/``dc:creator``,
Atom ``author/name``) is read as a credit line: an agency or an outlet is
the story's source, a person its byline, and with neither the ingest
source's credit stands in (the loader's ``source`` option). The date is
RSS ``pubDate`` (RFC 822) or ``dc:date``, Atom ``published`` else
``updated``.

Either kind of feed is read whichever of the two formats was named: a
publisher that moves from RSS to Atom keeps importing. A feed that is not XML
or not a feed raises StoryParseError; a bad entry is yielded as one, and the
others import. Specifications: https://www.rssboard.org/rss-specification,
https://www.rfc-editor.org/rfc/rfc4287. Pure: no Django.
"""

from __future__ import annotations

import datetime
import email.utils
import hashlib
import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from articles.importers.base import ParsedStory, StoryParseError
from articles.importers.body_blocks import Body, body_paragraphs, plain_paragraphs
from articles.importers.date_parsing import parse_arabic_date, parse_datetime
from articles.importers.datelines import split_dateline, take_dateline
from articles.importers.html_text import strip_markup
from articles.importers.wire_text import agency_name, clean_line, clean_text, format_credit
from articles.importers.xml_safety import children, element_text, find, local_name, parse_xml

# Article.guid's length (a parser imports no models): a longer entry id (a
# link with a long query) is kept as a digest of itself, stable across polls.
MAX_GUID_LENGTH = 255
NOT_A_FEED = (
    "هذه ليست خلاصة RSS ولا Atom: العنصر الجذر <{name}> وليس rss ولا feed؛ "
    "اختر صيغة المصدر الصحيحة أو «تُكتشف من المحتوى»"
)
# "name@example.com (الاسم)", as RSS 2.0 writes an author.
_EMAIL_WITH_NAME = re.compile(r"^\S+@\S+\s*\((?P<name>[^()]+)\)$")
_EMAIL = re.compile(r"^\S+@\S+$")


def parse(
    data: bytes, tz: datetime.tzinfo = datetime.UTC
) -> Iterator[ParsedStory | StoryParseError]:
    """Yield a story for each entry of the RSS or Atom feed in ``data``.

    ``tz`` is the zone of a date written without one. Raise StoryParseError
    when ``data`` is not a feed or holds no entry; yield one in place of a bad entry.
    """
    root = parse_xml(data)
    name = local_name(root.tag)
    if name == "rss":
        entries, read = children(find(root, "channel"), "item"), _rss_item
        feed_author = ""
    elif name == "feed":
        entries, read = children(root, "entry"), _atom_entry
        # An entry without an author has its feed's (RFC 4287, 4.2.1).
        feed_author = _atom_author(root)
    else:
        raise StoryParseError(NOT_A_FEED.format(name=name))
    if not entries:
        raise StoryParseError(f"الخلاصة لا تحوي أي خبر (لا {'item' if name == 'rss' else 'entry'})")
    spans = _entry_spans(data, "item" if name == "rss" else "entry", len(entries))
    for position, entry in enumerate(entries):
        line, original = spans[position] if spans else (None, "")
        try:
            story = read(entry, tz, feed_author, line, original)
        except StoryParseError as error:
            story = error if error.line is not None else StoryParseError(error.message, line=line)
        yield story


def _rss_item(
    item: Element, tz: datetime.tzinfo, _feed_author: str, line: int | None, original: str
) -> ParsedStory:
    # A channel may hold atom:link elements too: the RSS link is the one with text.
    guid = element_text(find(item, "guid")) or _first(map(element_text, children(item, "link")))
    warnings: list[str] = []
    body = _html_body(find(item, "encoded"))
    if not body.paragraphs:
        body = _html_body(find(item, "description"))
    authors = [element_text(e) for e in children(item, "author") + children(item, "creator")]
    dates = [element_text(find(item, "pubDate")), element_text(find(item, "date"))]
    return _story(
        guid=guid,
        headline=_plain(find(item, "title")),
        body=body,
        author=_first(_person(author) for author in authors),
        published_at=_date(dates, tz, warnings),
        warnings=warnings,
        line=line,
        original=original,
    )


def _atom_entry(
    entry: Element, tz: datetime.tzinfo, feed_author: str, line: int | None, original: str
) -> ParsedStory:
    guid = element_text(find(entry, "id")) or _atom_link(entry)
    warnings: list[str] = []
    body = _atom_text(find(entry, "content"))
    if not body.paragraphs:
        body = _atom_text(find(entry, "summary"))
    title = find(entry, "title")
    headline = " ".join(_atom_text(title).paragraphs) if title is not None else ""
    dates = [element_text(find(entry, "published")), element_text(find(entry, "updated"))]
    return _story(
        guid=guid,
        headline=headline,
        body=body,
        author=_atom_author(entry) or feed_author,
        published_at=_date(dates, tz, warnings),
        warnings=warnings,
        line=line,
        original=original,
    )


def _story(
    *,
    guid: str,
    headline: str,
    body: Body,
    author: str,
    published_at: datetime.datetime | None,
    warnings: list[str],
    line: int | None,
    original: str,
) -> ParsedStory:
    if len(guid) > MAX_GUID_LENGTH:
        guid = "feed:" + hashlib.sha256(guid.encode()).hexdigest()
    if not headline and not body.paragraphs:
        where = f"الخبر {guid}: " if guid else ""
        raise StoryParseError(f"{where}عنصر الخلاصة بلا عنوان وبلا نص (لا title ولا محتوى)")
    lead = split_dateline(body.paragraphs[0]) if body.paragraphs else None
    paragraphs, dateline = take_dateline(body.paragraphs, "")
    credit = format_credit(author)
    source = credit.source
    # No agency in the author: the one the lead credits ("القاهرة (أ ف ب) -").
    if not source and lead is not None and lead.agency:
        source = agency_name(lead.agency) or lead.agency
    return ParsedStory(
        headline=headline,
        paragraphs=tuple(paragraphs),
        source=source,
        credits=credit.credits,
        publisher=credit.publisher,
        byline=credit.byline,
        published_at=published_at,
        dateline=dateline,
        guid=guid,
        warnings=tuple(warnings + body.warnings),
        line=line,
        original=original,
    )


def _html_body(element: Element | None) -> Body:
    """The paragraphs of an RSS field that holds HTML (escaped, in CDATA, or as elements)."""
    if element is None:
        return Body([], [])
    if len(element):
        return body_paragraphs(element)
    return body_paragraphs(element.text or "")


def _atom_text(element: Element | None) -> Body:
    """The paragraphs of an Atom text construct or content, by its ``type``.

    Content given by reference (``src``) or of a media type other than text
    is not the story's text: no paragraphs, and the summary stands in.
    """
    if element is None or element.get("src"):
        return Body([], [])
    kind = (element.get("type") or "text").strip().lower()
    if kind == "xhtml":
        return body_paragraphs(element)
    if kind in ("html", "text/html"):
        return body_paragraphs(element.text or "")
    if kind == "text" or kind.startswith("text/"):
        return plain_paragraphs(element.text)
    return Body([], [])


def _atom_author(element: Element) -> str:
    return _first(element_text(find(author, "name")) for author in children(element, "author"))


def _atom_link(entry: Element) -> str:
    """The entry's own page: its ``alternate`` link, else its first link."""
    links = children(entry, "link")
    for link in links:
        if (link.get("rel") or "alternate") == "alternate" and link.get("href"):
            return clean_text(link.get("href"))
    return clean_text(links[0].get("href")) if links else ""


def _plain(element: Element | None) -> str:
    """The text of an RSS title: markup a publisher left in it removed."""
    if element is None:
        return ""
    if len(element):
        return element_text(element)
    return clean_line(strip_markup(element.text or "", keep_newlines=False))


def _person(author: str) -> str:
    """An RSS author without the e-mail address it is written with; "" for an address alone."""
    if match := _EMAIL_WITH_NAME.match(author):
        return clean_text(match["name"])
    return "" if _EMAIL.match(author) else author


def _first(values) -> str:
    return next((value for value in values if value), "")


def _date(values: list[str], tz: datetime.tzinfo, warnings: list[str]) -> datetime.datetime | None:
    """The first of ``values`` that reads as a date: RFC 822, ISO 8601, or Arabic."""
    for value in values:
        if not value:
            continue
        parsed = _read_date(value, tz)
        if parsed is not None:
            return parsed
        warnings.append(f"تاريخ النشر «{value}» غير مفهوم فأُهمل")
    return None


def _read_date(value: str, tz: datetime.tzinfo) -> datetime.datetime | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        parsed = None
    if parsed is None:
        try:
            parsed = parse_datetime(value, tz)
        except (ValueError, OverflowError):
            return parse_arabic_date(value, tz)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=tz)


def _entry_spans(data: bytes, name: str, count: int) -> list[tuple[int, str]] | None:
    """Each entry's first line and its text as it arrived, for the import log.

    Found by the tags' shape in the bytes (the tree keeps no positions); None
    when that count disagrees with the parser's (a tag inside a comment or
    CDATA), and the log then keeps the whole feed.
    """
    tag = rb"(?:[A-Za-z_][\w.\-]*:)?" + name.encode()
    starts = [m.start() for m in re.finditer(rb"<" + tag + rb"(?=[\s/>])", data)]
    ends = [m.end() for m in re.finditer(rb"</" + tag + rb"\s*>", data)]
    if len(starts) != count or len(ends) != count:
        return None
    spans, line, counted = [], 1, 0
    for start, end in zip(starts, ends, strict=True):
        if end <= start:
            return None
        line += data.count(b"\n", counted, start)
        counted = start
        spans.append((line, data[start:end].decode("utf-8", errors="replace")))
    return spans
