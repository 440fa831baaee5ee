"""Parse JSON Lines in the schema ``export_articles`` writes: one story per line.

Each non-blank line is one JSON object with the keys of ``FIELDS``; a key that
is missing counts as null, a key we do not know is an error (it is usually a
typo, and silently dropping it would lose data). A bad line becomes a
``StoryParseError`` naming that line; the other lines still import.

The file is our own export, so its values are taken as they are: no cleaning,
so that export, import and export again give the same lines. ``status``,
``slug`` and ``version`` are honoured; ``url`` is derived from the slug on our
side and only checked for type.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug
from django.db import connection

from articles.importers.base import ParsedStory, StoryParseError, json_error_message
from articles.models import Article

# The export schema, in the order export_articles writes the keys.
FIELDS = (
    "guid",
    "slug",
    "headline",
    "source",
    "credits",
    "publisher",
    "section",
    "byline",
    "published_at",
    "dateline",
    "caption",
    "paragraphs",
    "status",
    "url",
    "version",
)
# draft and published as the issue names them; withdrawn is how a story its
# sender cancelled is exported (only by --status all), so it survives a round trip.
EXPORTED_STATUSES = ("draft", "published", "withdrawn")
_TEXT_FIELDS = (
    "guid",
    "slug",
    "source",
    "publisher",
    "section",
    "byline",
    "dateline",
    "caption",
    "url",
)
# What the database can hold, as the models say.
_MAX_VERSION = connection.ops.integer_field_range(
    Article._meta.get_field("version").get_internal_type()
)[1]
_SLUG_MAX_LENGTH = Article._meta.get_field("slug").max_length


def parse(data: bytes) -> Iterator[ParsedStory | StoryParseError]:
    """Yield one story, or one StoryParseError, for each non-blank line of ``data``."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    # bytes.splitlines() splits only on \n, \r\n and \r, never inside a JSON
    # string (where a line break must be escaped), unlike str.splitlines().
    for number, raw in enumerate(data.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            yield parse_line(raw, number)
        except StoryParseError as error:
            yield error


def parse_line(raw: bytes, number: int) -> ParsedStory:
    """Parse line ``number`` of a JSON Lines file; raise StoryParseError naming it."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise StoryParseError(
            "السطر ليس بترميز UTF-8؛ احفظ الملف بترميز UTF-8", line=number
        ) from None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as error:
        raise StoryParseError(json_error_message(error), line=number) from None
    except RecursionError:
        raise StoryParseError("كائن JSON متداخل بعمق غير معقول", line=number) from None
    if not isinstance(obj, dict):
        raise StoryParseError("السطر ليس كائن JSON {...} لخبر واحد", line=number)
    try:
        return _story(obj, line, number)
    except StoryParseError as error:
        raise StoryParseError(error.message, line=number) from None


def _story(obj: dict, line: str, number: int) -> ParsedStory:
    unknown = sorted(set(obj) - set(FIELDS))
    if unknown:
        raise StoryParseError(
            f"حقول غير معروفة: {'، '.join(unknown)}؛ الحقول المقبولة: {'، '.join(FIELDS)}"
        )
    values = {name: _text(obj, name) for name in _TEXT_FIELDS}
    headline = _text(obj, "headline")
    if not headline.strip():
        raise StoryParseError("الحقل headline (العنوان) فارغ أو غير موجود")
    slug = values["slug"]
    if slug:
        _check_slug(slug)
    status = obj.get("status")
    if status is not None and status not in EXPORTED_STATUSES:
        raise StoryParseError(
            f"قيمة status «{status}» غير مقبولة؛ المقبول: {'، '.join(EXPORTED_STATUSES)} أو null"
        )
    return ParsedStory(
        headline=headline,
        paragraphs=_paragraphs(obj.get("paragraphs")),
        source=values["source"],
        credits=_credits(obj.get("credits")),
        publisher=values["publisher"],
        section=values["section"],
        byline=values["byline"],
        published_at=_published_at(obj.get("published_at")),
        dateline=values["dateline"],
        caption=values["caption"],
        guid=values["guid"],
        version=_version_number(obj.get("version")),
        slug=slug,
        status=status or "",
        line=number,
        original=line,
    )


def _text(obj: dict, name: str) -> str:
    value = obj.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise StoryParseError(f"الحقل {name} يجب أن يكون نصاً أو null")
    _check_characters(value, name)
    return value


def _check_characters(value: str, name: str) -> None:
    # PostgreSQL text cannot hold NUL, and a lone surrogate is not UTF-8.
    if "\x00" in value:
        raise StoryParseError(f"الحقل {name} يحوي المحرف NUL (\\u0000) وهو غير مسموح")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise StoryParseError(
            f"الحقل {name} يحوي محرفاً غير صالح (نصف زوج بديل \\ud800-\\udfff)"
        ) from None


def _check_slug(slug: str) -> None:
    if len(slug) > _SLUG_MAX_LENGTH:
        raise StoryParseError(f"الحقل slug أطول من {_SLUG_MAX_LENGTH} محرفاً")
    try:
        validate_unicode_slug(slug)
    except ValidationError:
        raise StoryParseError(
            f"الحقل slug «{slug}» ليس معرّفاً صالحاً للرابط: حروف وأرقام وشرطات فقط"
        ) from None


def _credits(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise StoryParseError("الحقل credits يجب أن يكون قائمة أسماء [...] أو null")
    for name in value:
        _check_characters(name, "credits")
    return tuple(" ".join(name.split()) for name in value if name.strip())


def _paragraphs(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise StoryParseError("الحقل paragraphs يجب أن يكون قائمة نصوص [...] أو null")
    for position, paragraph in enumerate(value, 1):
        if not isinstance(paragraph, str):
            raise StoryParseError(f"الفقرة رقم {position} في paragraphs ليست نصاً")
        _check_characters(paragraph, f"paragraphs[{position}]")
    return tuple(value)


def _published_at(value: object) -> datetime.datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise StoryParseError("الحقل published_at يجب أن يكون تاريخاً نصياً بصيغة ISO 8601")
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise StoryParseError(
            f"الحقل published_at «{value}» ليس تاريخاً بصيغة ISO 8601 "
            "(مثل 2024-11-26T10:15:00+03:00)"
        ) from None
    if parsed.tzinfo is None:
        # Guessing the zone would move the story by hours.
        raise StoryParseError(
            f"الحقل published_at «{value}» بلا فرق توقيت؛ أضف مثل +03:00 أو Z في آخره"
        )
    return parsed


def _version_number(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAX_VERSION:
        raise StoryParseError(f"الحقل version يجب أن يكون عدداً صحيحاً موجباً، لا «{value}»")
    return value
