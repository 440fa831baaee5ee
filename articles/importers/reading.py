"""From input files to stories ready for the loader: detect, parse, check, key. No queries.

``read_inputs`` yields one ``Item`` per story (or per file that could not be
read at all), in input order. Each item carries what the import log keeps:
the file, the line, the format, the text as it arrived, and either a parsed
story with the key it is known by, or the reason it cannot be imported.

Parsing (and making each story's search vector, and the fingerprint that
grouping copies compares) is most of an import's work, and it needs no
database, so for big imports it runs in worker processes (``workers``) while
the loader writes the previous batch: a bounded number of files ahead, so
memory stays flat however many files there are.
"""

from __future__ import annotations

import collections
import dataclasses
import hashlib
import json
import logging
import multiprocessing
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from xml.etree.ElementTree import tostring

from django.db import connection
from django.utils import timezone

from articles import grouping
from articles.arabic import clean_whitespace, normalize
from articles.dates import is_plausible_story_date, story_date_window
from articles.importers import feeds, jsonl, newsml, ninjs, nitf, text, xml_safety
from articles.importers.base import (
    FEED_FORMATS,
    NO_TEXT,
    ParsedStory,
    StoryParseError,
    check_not_binary,
    detect_format,
)
from articles.importers.charset import decode
from articles.importers.inputs import InputFile
from articles.models import Article, Source
from articles.search.index import document_vector

logger = logging.getLogger(__name__)

# A file that could not be read at all is kept in the log only this far.
MAX_FAILED_ORIGINAL = 64 * 1024
# Files sent to a worker at a time, and how many such chunks may wait. A
# chunk also ends once its files hold CHUNK_BYTES: what a worker sends back
# is some 15 times its input (originals, vectors, fingerprints), and 32 files
# of 2,000 stories each made chunks of 64,000 stories, which the waiting
# chunks multiplied until 1,000,000 stories ran the machine out of memory.
CHUNK_FILES = 32
CHUNK_BYTES = 2 * 1024 * 1024
_CHUNKS_AHEAD_PER_WORKER = 2
# Below this many files, starting processes costs more than it saves.
PARALLEL_MIN_FILES = 200
_MAX_WORKERS = 4

# What the database can hold, as the models say, checked before a story gets there.
_LIMITED_FIELDS = [Article._meta.get_field(name) for name in ("headline", "dateline", "publisher")]
_SOURCE_MAX_LENGTH = Source._meta.get_field("name").max_length
_GUID_MAX_LENGTH = Article._meta.get_field("guid").max_length
_MAX_VERSION = connection.ops.integer_field_range(
    Article._meta.get_field("version").get_internal_type()
)[1]


@dataclasses.dataclass(frozen=True)
class ReadSettings:
    # "auto" (detect from the content) or one of base.ALL_FORMATS.
    format: str = "auto"
    # Forced encoding for plain text; None detects it.
    encoding: str | None = None
    # Credit the loader gives copy without one (its length is checked here).
    source: str = ""
    # Make each story's fingerprint (the loader groups copies with it).
    fingerprint: bool = True


@dataclasses.dataclass
class Item:
    """One story, or one reason a story or file cannot be imported."""

    file: str
    format: str
    # The text as it arrived, for the import log.
    original: str
    story: ParsedStory | None = None
    # The key the story is known by (the sender's id, or derived_guid).
    guid: str = ""
    line: int | None = None
    # Why it cannot be imported; empty for a story that may go on to the loader.
    error: str = ""
    # The story's search vector (articles.search.index.document_vector), made here
    # so that it is made in the worker processes, and written with the row.
    vector: str = ""
    # What grouping compares (articles.grouping.fingerprint), made here for the same reason.
    fingerprint: grouping.Fingerprint | None = None


def default_workers(file_count: int) -> int:
    """Worker processes worth starting for ``file_count`` files on this machine."""
    if file_count < PARALLEL_MIN_FILES:
        return 0
    # As many as there are CPUs: the loader mostly waits for PostgreSQL.
    return min(_MAX_WORKERS, os.cpu_count() or 1)


def derived_guid(story: ParsedStory) -> str:
    """A stable key for copy that carries no id: source, day and headline, and the outlet.

    Outlets that run one agency's story under its headline each print a
    copy of their own, which grouping shows as copies of one another; one
    key for them all made each outlet's copy overwrite the last. The
    outlet's part is added only when there is an outlet, so copy without
    one keeps the key it always had (migration 0035 gave the stored
    stories with an outlet theirs).
    """
    day = story.published_at.date().isoformat() if story.published_at else ""
    key = "|".join([normalize(story.source), day, normalize(story.headline)])
    guid = "text:" + hashlib.sha256(key.encode()).hexdigest()[:32]
    return guid + publisher_key(story.publisher) if story.publisher else guid


def publisher_key(publisher: str) -> str:
    """The outlet's part of a derived guid: "/" and a hash of its normalised name."""
    return "/" + hashlib.sha256(normalize(publisher).encode()).hexdigest()[:12]


def read_inputs(
    inputs: Iterable[InputFile], settings: ReadSettings, workers: int = 0
) -> Iterator[Item]:
    """Yield the items of every input, in order; parse in ``workers`` processes if > 0."""
    if workers <= 0:
        for name, data, refusal in _loaded(inputs):
            yield from read_file(name, data, settings, refusal)
        return
    # fork: the workers start at once with everything already imported. They
    # never touch the database connection they inherit.
    context = multiprocessing.get_context("fork")
    pending: collections.deque = collections.deque()
    broken = False
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        for chunk in _chunks(_loaded(inputs), CHUNK_FILES, CHUNK_BYTES):
            if broken:
                yield from _read_chunk(chunk, settings)
                continue
            pending.append((pool.submit(_read_chunk, chunk, settings), chunk))
            while len(pending) > workers * _CHUNKS_AHEAD_PER_WORKER:
                items, broken = _result(*pending.popleft(), settings)
                yield from items
        while pending:
            items, broken = _result(*pending.popleft(), settings)
            yield from items


def _result(future, chunk, settings) -> tuple[list[Item], bool]:
    try:
        return future.result(), False
    except BrokenProcessPool:
        # A worker died (killed, out of memory): read what it had here instead.
        logger.warning("Import worker process died; reading in the main process")
        return _read_chunk(chunk, settings), True


def _loaded(inputs: Iterable[InputFile]) -> Iterator[tuple[str, bytes, StoryParseError | None]]:
    for input_file in inputs:
        try:
            yield input_file.name, input_file.read(), None
        except StoryParseError as refusal:
            yield input_file.name, b"", refusal


def _chunks(
    loaded: Iterable[tuple[str, bytes, StoryParseError | None]], files: int, size: int
) -> Iterator[list]:
    """Loaded files in chunks of at most ``files`` files, ending once they hold ``size`` bytes."""
    chunk, held = [], 0
    for element in loaded:
        chunk.append(element)
        held += len(element[1])
        if len(chunk) == files or held >= size:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk


def _read_chunk(chunk: list, settings: ReadSettings) -> list[Item]:
    return [
        item for name, data, refusal in chunk for item in read_file(name, data, settings, refusal)
    ]


def read_file(
    name: str, data: bytes, settings: ReadSettings, refusal: StoryParseError | None = None
) -> list[Item]:
    """The items of one file's ``data``: one per story, or one saying why there is none."""
    if refusal is not None:
        return [Item(name, "", "", error=refusal.message, line=refusal.line)]
    fmt = settings.format
    try:
        if fmt == "auto":
            fmt = detect_format(data, name, encoding=settings.encoding)
        elif fmt == "text":
            check_not_binary(data, settings.encoding)
        stories = list(_parse(fmt, data, settings.encoding))
    except StoryParseError as error:
        return [Item(name, fmt, _lossy(data), error=error.message, line=error.line)]
    except Exception as error:
        # A parser's bug must not stop the other files; the developer log keeps the traceback.
        logger.debug("Parser %s failed on %s", fmt, name, exc_info=True)
        message = f"تعذّرت قراءة الملف: خطأ غير متوقع في قارئ صيغة {fmt} ({error!r})"
        return [Item(name, fmt, _lossy(data), error=message[:1000])]
    if not stories:
        return [Item(name, fmt, _lossy(data), error="لا خبر في الملف")]
    items = []
    for story, original in zip(stories, _originals(fmt, data, stories, settings), strict=True):
        if isinstance(story, StoryParseError):
            items.append(Item(name, fmt, original, error=story.message, line=story.line))
            continue
        story = without_blank_paragraphs(story)
        error = problem(story, settings) or _agency_item_problem(fmt, story)
        item = Item(name, fmt, original, story, line=story.line, error=error)
        if not item.error:
            item.guid = story.guid or derived_guid(story)
            if not story.is_canceled:
                item.vector = document_vector(story.headline, story.caption, story.paragraphs)
                if settings.fingerprint:
                    item.fingerprint = grouping.fingerprint(story.paragraphs)
        items.append(item)
    return items


def _parse(fmt: str, data: bytes, encoding: str | None) -> Iterable[ParsedStory | StoryParseError]:
    if fmt == "text":
        return text.parse(data, encoding=encoding, tz=timezone.get_current_timezone())
    if fmt in FEED_FORMATS:
        # Either kind of feed is read whichever was named (feeds.py).
        return feeds.parse(data, tz=timezone.get_current_timezone())
    parsers: dict[str, Callable] = {
        "jsonl": jsonl.parse,
        "newsml": newsml.parse,
        "nitf": nitf.parse,
        "ninjs": ninjs.parse,
    }
    return parsers[fmt](data)


_AGENCY_FORMATS = ("newsml", "nitf", "ninjs")
# A caption closing with its photo's credit, as agencies print it: "(رويترز)".
_PHOTO_CREDIT_AT_END = re.compile(r"\([^()]{1,60}\)\W*$")
NO_BODY_BUT_A_CAPTION = (
    "الخبر بلا نص سوى تعليق صورة لا يذكر مصدر الصورة؛ "
    "خبر الصورة تعليقها ومصدرها بين قوسين، وإلا فالنص ناقص"
)


def _agency_item_problem(fmt: str, story: ParsedStory) -> str:
    """Why an agency's item (NewsML-G2, NITF, ninjs) is no story, beyond ``problem``.

    An agency's photo story is its caption and the photo's credit, as the
    plain-text importer reads one; a text item whose body is only an
    uncredited caption lost its body on the way. (Our own export may hold a
    newsroom's caption-only story: it is read back as it was written.)
    """
    if fmt not in _AGENCY_FORMATS or story.is_canceled or story.paragraphs:
        return ""
    return "" if _PHOTO_CREDIT_AT_END.search(story.caption) else NO_BODY_BUT_A_CAPTION


def without_blank_paragraphs(story: ParsedStory) -> ParsedStory:
    """``story`` without paragraphs that hold nothing a reader could see.

    Every format can carry them (an empty <p>, a JSON "" or "\u00a0", a line
    of bidi marks); dropped here, once, so that a story of blank paragraphs
    is a story without text in every format alike.
    """
    kept = tuple(paragraph for paragraph in story.paragraphs if clean_whitespace(paragraph))
    if len(kept) == len(story.paragraphs):
        return story
    return dataclasses.replace(story, paragraphs=kept)


def problem(story: ParsedStory, settings: ReadSettings) -> str:
    """Why ``story`` cannot be saved as it is, or ""."""
    if story.is_canceled:
        # A cancellation only needs to say which story it cancels.
        return "" if story.guid else "إلغاء لا يذكر معرّف الخبر الذي يلغيه"
    if not clean_whitespace(story.headline):
        return "الخبر بلا عنوان"
    if not story.paragraphs and not clean_whitespace(story.caption):
        return NO_TEXT
    date_problem = _date_problem(story)
    if date_problem:
        return date_problem
    for field in _LIMITED_FIELDS:
        if len(getattr(story, field.name)) > field.max_length:
            label, limit = field.verbose_name, field.max_length
            return f"{label} أطول من {limit} محرفاً؛ اختصره ثم أعد الاستيراد"
    if len(story.source or settings.source) > _SOURCE_MAX_LENGTH:
        return f"اسم المصدر أطول من {_SOURCE_MAX_LENGTH} محرفاً"
    if len(story.guid) > _GUID_MAX_LENGTH:
        return f"معرّف الخبر أطول من {_GUID_MAX_LENGTH} محرفاً"
    if story.version is not None and not 1 <= story.version <= _MAX_VERSION:
        return f"رقم النسخة {story.version} خارج المدى المقبول"
    texts = [story.headline, story.dateline, story.caption, story.source, story.publisher]
    for value in [*texts, story.guid, *story.paragraphs]:
        # PostgreSQL text cannot hold NUL, and a lone surrogate is not UTF-8.
        if "\x00" in value:
            return "الخبر يحوي المحرف NUL وهو غير مسموح في النص"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "الخبر يحوي محرفاً غير صالح (نصف زوج بديل)"
    return ""


def _date_problem(story: ParsedStory) -> str:
    """Why the story's date or embargo cannot be right, or "".

    A date outside articles.dates.story_date_window is a typing or parsing
    mistake, and once stored it breaks every date calculation made from it.
    """
    today = timezone.localdate()
    first, last = story_date_window(today)
    for moment, label in [
        (story.published_at, "تاريخ الخبر"),
        (story.embargoed_until, "موعد الحظر"),
    ]:
        # The date as written: converting 9999-12-31 to local time would overflow.
        if moment is not None and not is_plausible_story_date(moment.date(), today):
            return (
                f"{label} {moment.date().isoformat()} خارج المدى المقبول "
                f"(من {first.isoformat()} إلى {last.isoformat()})؛ صحّحه ثم أعد الاستيراد"
            )
    return ""


def _originals(fmt: str, data: bytes, stories: Sequence, settings: ReadSettings) -> list[str]:
    """The text each story arrived as: its own part of the file where we can tell."""
    if fmt == "text":
        try:
            whole = decode(data, settings.encoding)
        except StoryParseError:
            whole = _lossy(data, limit=None)
    else:
        whole = _lossy(data, limit=None)
    parts = _split_container(fmt, data, len(stories)) if len(stories) > 1 else None
    originals = []
    for position, story in enumerate(stories):
        if isinstance(story, ParsedStory) and story.original:
            originals.append(story.original)
        elif parts:
            originals.append(parts[position])
        elif position:
            # The whole file is already in the first story's row.
            originals.append("")
        else:
            originals.append(whole)
    return [original.replace("\x00", "") for original in originals]


def _lossy(data: bytes, limit: int | None = MAX_FAILED_ORIGINAL) -> str:
    """``data`` as text for the log, whatever its encoding; cut at ``limit`` bytes."""
    decoded = data[:limit].decode("utf-8", errors="replace").replace("\x00", "")
    if limit is not None and len(data) > limit:
        decoded += f"\n[… اقتُطع: الملف {len(data)} بايت]"
    return decoded


def _split_container(fmt: str, data: bytes, count: int) -> list[str] | None:
    """Each item of a NewsML-G2 message or a ninjs array as text, to log them one by one."""
    try:
        if fmt == "newsml":
            root = xml_safety.parse_xml(data)
            items = xml_safety.children(xml_safety.find(root, "itemSet"), "newsItem")
            parts = [tostring(item, encoding="unicode") for item in items]
        elif fmt == "ninjs":
            parts = [json.dumps(item, ensure_ascii=False, indent=2) for item in json.loads(data)]
        else:
            return None
    except (StoryParseError, ValueError, TypeError, RecursionError):
        return None
    return parts if len(parts) == count else None
