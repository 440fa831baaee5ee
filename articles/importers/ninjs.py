"""Parse IPTC ninjs (News in JSON) 1.x and 2.x items into stories.

A file holds one ninjs object or a JSON array of them. ninjs 1.x has
``headline``, ``body_text``/``body_html``, ``byline`` and ``associations`` as
an object; ninjs 2.x has ``headlines``, ``bodies``, ``by`` and
``associations`` as an array. Specification: https://iptc.org/standards/ninjs/
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator

from articles.importers.base import (
    ParsedStory,
    StoryParseError,
    json_error_message,
    not_a_text_item,
)
from articles.importers.body_blocks import Body, body_paragraphs
from articles.importers.date_parsing import parse_datetime, read_datetime
from articles.importers.datelines import take_dateline
from articles.importers.wire_text import (
    agency_name,
    clean_text,
    format_credit,
    read_version,
    text_paragraphs,
)

WITHHELD_WARNING = (
    "الوكالة حجبت هذا الخبر مؤقتاً (pubstatus withheld): "
    "لا يُنشر حتى تعيد إرساله صالحاً للنشر أو تلغيه"
)


def parse(data: bytes) -> Iterator[ParsedStory | StoryParseError]:
    """Yield a story for the ninjs object in ``data``, or for each object of an array.

    Raise StoryParseError when the file is not UTF-8 JSON or a lone object is unusable;
    yield one in place of a bad object inside an array.
    """
    document = _load(data)
    if isinstance(document, dict):
        yield _parse_item(document)
        return
    if not isinstance(document, list):
        raise StoryParseError("ملف ninjs يجب أن يحوي كائن JSON واحداً أو مصفوفة كائنات")
    if not document:
        raise StoryParseError("ملف ninjs هذا مصفوفة فارغة لا تحوي أي خبر")
    for position, item in enumerate(document, start=1):
        if isinstance(item, dict):
            try:
                story = _parse_item(item)
            except StoryParseError as exc:
                story = exc
        else:
            story = StoryParseError(f"العنصر رقم {position} في المصفوفة ليس كائن ninjs")
        yield story


def _load(data: bytes) -> object:
    try:
        # utf-8-sig: tolerate the byte order mark some Windows tools write.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StoryParseError(
            "الملف ليس بترميز UTF-8؛ احفظه بترميز UTF-8 ثم أعد رفعه",
            line=data.count(b"\n", 0, exc.start) + 1,
        ) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise StoryParseError(f"ملف {json_error_message(exc)}", line=exc.lineno) from exc
    except RecursionError as exc:
        raise StoryParseError("ملف JSON متداخل بعمق غير معقول؛ هذا ليس ملف ninjs") from exc


def _parse_item(item: dict) -> ParsedStory:
    # Newsroom systems send "guid" where ninjs has "uri": the same item, re-sent.
    guid = _string(item.get("uri")) or _string(item.get("guid"))
    kind = _string(item.get("type"))
    if refusal := not_a_text_item(kind, f"type: {kind}"):
        raise _error(guid, refusal)
    warnings: list[str] = []
    status = _string(item.get("pubstatus")).lower()
    if status == "withheld":
        warnings.append(WITHHELD_WARNING)
    dateline = _dateline(item)
    headline = _headline(item)
    body = _body(item)
    warnings.extend(body.warnings)
    paragraphs, dateline = take_dateline(body.paragraphs, dateline)
    is_canceled = status == "canceled"
    # A cancellation only needs to say which item it cancels.
    if not headline and not paragraphs and not (is_canceled and guid):
        raise _error(guid, "الخبر بلا عنوان وبلا نص (لا headline/headlines ولا body)")

    credit = format_credit(_string(item.get("copyrightholder")))
    # 2.x calls the byline "by", 1.x "byline": a reporter, unless it names an agency.
    by = _string(item.get("by")) or _string(item.get("byline"))
    source, byline = credit.source, credit.byline
    if not source and agency_name(by):
        source = by
    elif by and not byline:
        byline = format_credit(by).byline or by
    return ParsedStory(
        headline=headline,
        paragraphs=tuple(paragraphs),
        source=source,
        credits=credit.credits,
        publisher=credit.publisher,
        byline=byline,
        published_at=_published_at(item, warnings),
        dateline=dateline,
        caption=_caption(item.get("associations")),
        guid=guid,
        version=read_version(item.get("version"), warnings),
        is_canceled=is_canceled,
        embargoed_until=_embargo(guid, item.get("embargoed")),
        warnings=tuple(warnings),
    )


def _error(guid: str, message: str) -> StoryParseError:
    return StoryParseError(f"الخبر {guid}: {message}" if guid else message)


def _string(value: object) -> str:
    return clean_text(value) if isinstance(value, str) else ""


def _list(value: object) -> list[dict]:
    """Return the objects in JSON array ``value``; [] when it is not an array."""
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def _pick(entries: object, preferred_roles: tuple[str, ...]) -> dict | None:
    """Return the first ninjs 2 {role, value} entry with a preferred role, else the first."""
    entries = [entry for entry in _list(entries) if _string(entry.get("value"))]
    for entry in entries:
        if _string(entry.get("role")).lower() in preferred_roles:
            return entry
    return entries[0] if entries else None


def _headline(item: dict) -> str:
    headline = _string(item.get("headline"))
    if headline:
        return headline
    entry = _pick(item.get("headlines"), ("main", ""))
    return _string(entry["value"]) if entry else ""


def _body(item: dict) -> Body:
    """Return the body: body_html5, body_xhtml or body_html, else body_text, else ``bodies``."""
    # ninjs 1.3 added the HTML5 and XHTML bodies beside body_html.
    for key in ("body_html5", "body_xhtml", "body_html"):
        if isinstance(item.get(key), str):
            return body_paragraphs(item[key])
    if isinstance(item.get("body_text"), str):
        return Body(text_paragraphs(item["body_text"], blank_lines_only=False), [])
    bodies = [b for b in _list(item.get("bodies")) if isinstance(b.get("value"), str)]
    for body in bodies:
        if "html" in _string(body.get("contenttype")).lower():
            return body_paragraphs(body["value"])
    for body in bodies:
        # Other types (application/xml: some agency's own NITF) are not ours to guess at.
        if _string(body.get("contenttype")).lower() in ("", "text/plain"):
            return Body(text_paragraphs(body["value"], blank_lines_only=False), [])
    return Body([], [])


def _dateline(item: dict) -> str:
    located = item.get("located")
    if isinstance(located, dict):
        located = located.get("name")
    if _string(located):
        return _string(located)
    # places (2.x) and place (1.x) are what the story is about; only one marked as
    # where it was filed from is a dateline.
    for place in _list(item.get("places")) + _list(item.get("place")):
        if "located" in _string(place.get("rel")).lower():
            return _string(place.get("name"))
    return ""


def _published_at(item: dict, warnings: list[str]) -> datetime.datetime | None:
    # firstcreated keeps the time of first publication across later versions.
    for key in ("firstcreated", "versioncreated"):
        value = _string(item.get(key))
        if value:
            parsed = read_datetime(value, warnings)
            if parsed is not None:
                return parsed
    return None


def _embargo(guid: str, value: object) -> datetime.datetime | None:
    value = _string(value)
    try:
        return parse_datetime(value)
    except ValueError:
        # Guessing could publish a story before its embargo lifts.
        raise _error(guid, f"موعد رفع الحظر «{value}» غير مفهوم؛ صحّحه ثم أعد الاستيراد") from None


def _caption(associations: object) -> str:
    """Return the caption of the first associated picture."""
    if isinstance(associations, dict):  # 1.x: {"name": item}
        associations = list(associations.values())
    for association in _list(associations):  # 2.x: [{"name": ..., ...}]
        if association.get("type") == "picture":
            caption = _string(association.get("description_text")) or _string(
                association.get("body_text")
            )
            if not caption:
                entry = _pick(association.get("descriptions"), ("caption", ""))
                caption = _string(entry["value"]) if entry else ""
            return caption
    return ""
