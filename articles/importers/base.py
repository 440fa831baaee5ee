"""What every parser produces, how a parser reports bad input, and which parser a file needs.

Parsers are pure: they take the bytes of one file and yield ``ParsedStory``
objects. They never touch the database; ``loader.py`` does that.

A parser signals a problem in one of two ways:

* it *raises* ``StoryParseError`` when the whole file is unusable (not XML,
  wrong encoding, a DTD, ...): nothing from that file is imported;
* it *yields* a ``StoryParseError`` in place of a story when only that story is
  bad (one line of a JSON Lines file): the other stories still import.

``detect_format`` tells the formats apart by their content, never by the file
name alone (agencies' feeds arrive as ``.dat``, ``.xml`` holding JSON, or no
extension at all), and refuses files that are not text.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import re

from articles.arabic import CONTROL_CHARACTERS

# The formats the importer reads, as the command's --format names them: the
# files agencies send, and the web's feeds (articles/importers/feeds.py).
FORMATS = ("text", "jsonl", "newsml", "nitf", "ninjs")
FEED_FORMATS = ("rss", "atom")
ALL_FORMATS = FORMATS + FEED_FORMATS

# What the loader notes when the copy carries no date. The plain-text parser
# may note the same thing; the loader adds it only when it is not there yet.
NO_DATE_WARNING = "لا تاريخ في النص: اعتُمد وقت الاستيراد"
# Why a story with nothing to read is refused, whatever its format.
NO_TEXT = "الخبر بلا نص: لا فقرات ولا تعليق صورة"
# Items an agency sends that carry no text of their own (NewsML-G2 itemClass
# ninat:..., ninjs type), and what an editor calls them.
_NON_TEXT_ITEMS = {"picture": "صورة", "graphic": "رسم", "video": "فيديو", "audio": "تسجيل صوتي"}


def not_a_text_item(kind: str, shown: str) -> str:
    """Why an item of ``kind`` (picture, graphic, ...) is no story of its own, or ""."""
    label = _NON_TEXT_ITEMS.get(kind.strip().lower())
    if label is None:
        return ""
    return (
        f"هذا العنصر {label} ({shown}) وليس خبراً نصياً، فلا يُستورد خبراً وحده؛ "
        "أرفق الصورة بخبرها في غرفة الأخبار"
    )


# Why a file that is not text is refused, whichever check found it out.
BINARY_MESSAGE = "الملف ثنائي وليس نصاً (صورة أو أرشيف أو برنامج؟)؛ ارفع ملف نص الخبر نفسه"
# Why XML with a DTD is refused, whether sniffing or parsing finds it (xml_safety).
DTD_MESSAGE = (
    "الملف يحوي تعريف DTD أو كيانات خارجية، وهذا مرفوض لأسباب أمنية. "
    "احذف سطر <!DOCTYPE ...> من الملف ثم أعد رفعه."
)
# Share of control characters above which decoded bytes are not text: text has
# none, binary files have one byte in ten or more.
MAX_CONTROL_SHARE = 0.01


class StoryParseError(ValueError):
    """Input that cannot become a story, with a message an editor can act on.

    ``line`` is the 1-based line in the file where the problem is, when known.
    """

    def __init__(self, message: str, *, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        if self.line is not None:
            return f"السطر {self.line}: {self.message}"
        return self.message


class ImportTooLarge(Exception):
    """An import past the bounds of one web request: refused whole, before anything is written.

    Not a StoryParseError on purpose: that one fails one file and lets the
    others import, while this stops the whole import. ``message`` names the
    bound, in words an editor reads, and says how to import the files instead.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclasses.dataclass(frozen=True)
class ParsedStory:
    """One story as read from the wire, before it meets the database.

    Text fields are cleaned (no markup, no stray whitespace) and may be empty
    strings, never None. ``paragraphs`` never includes the dateline: the
    dateline is a field of its own, as agencies' formats keep it.
    """

    headline: str
    paragraphs: tuple[str, ...] = ()
    # The agency credited, e.g. "أ ف ب" (the first of ``credits``).
    source: str = ""
    # Every agency or outlet credited, in the order the copy gives them;
    # empty when the copy names only ``source`` or nobody.
    credits: tuple[str, ...] = ()
    # The desk the copy was filed under, when it says ("اقتصادي / ..." headlines).
    section: str = ""
    # The reporter the copy names ("كتب: ...", "بقلم ..."); never the source.
    byline: str = ""
    # The outlet that republished it, e.g. "الامة برس" in "أ ف ب-الامة برس".
    publisher: str = ""
    # Timezone-aware; None means the copy carried no date (the loader then uses
    # the import time and says so).
    published_at: datetime.datetime | None = None
    # The place the story was filed from, e.g. "كابول".
    dateline: str = ""
    caption: str = ""
    # The sender's own id (NewsML-G2 guid, NITF doc-id, ninjs uri, or the guid
    # of an exported story); empty when the format has none, and the loader
    # derives a stable key from source, date and headline.
    guid: str = ""
    # The sender's version number, when the format has one.
    version: int | None = None
    # Only JSON Lines (our own export) carries these two.
    slug: str = ""
    status: str = ""
    # The sender cancelled the story it replaces (NewsML-G2 pubStatus
    # stat:canceled, ninjs pubstatus canceled).
    is_canceled: bool = False
    # The earliest time the story may be published (NewsML-G2/ninjs embargo).
    embargoed_until: datetime.datetime | None = None
    # Notes for the import log, e.g. "no date in the copy".
    warnings: tuple[str, ...] = ()
    # 1-based line where the story starts in its file, when that means something.
    line: int | None = None
    # The story exactly as it arrived, when the parser can cut it out of a file
    # that holds several (one JSON Lines line); empty means "the whole file",
    # and the loader stores that in the import log instead.
    original: str = ""


# json's reasons, in the words an editor reads; unknown ones are shown as they are.
_JSON_REASONS = {
    "Expecting value": "قيمة ناقصة أو غير صالحة",
    "Expecting ',' delimiter": "فاصلة ناقصة",
    "Expecting ':' delimiter": "نقطتان ناقصتان بعد اسم الحقل",
    "Expecting property name enclosed in double quotes": "اسم حقل بلا علامتي تنصيص مزدوجتين",
    "Unterminated string starting at": "نص لم تُغلق علامة تنصيصه",
    "Extra data": "بيانات زائدة بعد نهاية JSON",
    "Invalid control character at": "محرف تحكم غير مسموح داخل نص",
    "Invalid \\escape": "تهريب غير صالح بعد الشرطة المائلة",
    "Invalid \\uXXXX escape": "تهريب \\u غير صالح",
}


def json_error_message(error: json.JSONDecodeError) -> str:
    """Say in Arabic what is wrong with a JSON document, and at which column."""
    return f"JSON غير سليم: {_JSON_REASONS.get(error.msg, error.msg)} (العمود {error.colno})"


# Files people upload by mistake, known by their first bytes.
_MAGIC = [
    (b"%PDF", "مستند PDF"),
    (b"\x89PNG", "صورة PNG"),
    (b"\xff\xd8\xff", "صورة JPEG"),
    (b"GIF8", "صورة GIF"),
    (b"PK\x03\x04", "أرشيف zip"),
    (b"\x1f\x8b", "ملف مضغوط (gzip)"),
    (b"\xfd7zXZ", "ملف مضغوط (xz)"),
    (b"Rar!", "أرشيف RAR"),
    (b"7z\xbc\xaf\x27\x1c", "أرشيف 7z"),
    (b"\xd0\xcf\x11\xe0", "مستند Office قديم (doc/xls)"),
    (b"\x7fELF", "برنامج تنفيذي"),
]
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_CONTROL_CHARACTER = re.compile("[" + re.escape("".join(sorted(CONTROL_CHARACTERS))) + "]")
# How much of a file the sniffing looks at: enough to get past an XML
# declaration, comments and a DOCTYPE.
_HEAD_BYTES = 64 * 1024
# Declarations, comments, and a DOCTYPE with its internal subset.
_XML_JUNK = re.compile(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>", re.DOTALL)
_DOCTYPE_NAME = re.compile(r"<!DOCTYPE\s+([A-Za-z_][\w:.\-]*)")
_FIRST_TAG = re.compile(r"<([A-Za-z_][\w:.\-]*)")
# The parts of a document a sender may send alone, without its root (the
# parsers put the root back: xml_safety.whole_document).
NITF_FRAGMENTS = {
    "body": ("nitf",),
    "body.head": ("nitf", "body"),
    "body.content": ("nitf", "body"),
}
NEWSML_FRAGMENTS = {
    "itemMeta": ("newsItem",),
    "contentMeta": ("newsItem",),
    "contentSet": ("newsItem",),
}
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")


def check_not_binary(data: bytes, encoding: str | None = None) -> str:
    """Return the decoded start of ``data``; raise StoryParseError if it is not text.

    ``encoding`` is the one the user forced, if any. UTF-16 without a byte
    order mark is recognised by decoding; anything else with NUL bytes or a
    share of control characters that no text has is refused.
    """
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise StoryParseError(f"هذا الملف {kind} وليس خبراً نصياً؛ ارفع الخبر نصاً أو XML أو JSON")
    head = _decoded_head(data[:_HEAD_BYTES], encoding)
    if head is None or is_binary_text(head):
        raise StoryParseError(BINARY_MESSAGE)
    return head


def is_binary_text(text: str) -> bool:
    """Tell whether decoded ``text`` is binary data: it holds NUL, or too many control characters.

    One definition for sniffing a file's start (``check_not_binary``) and for
    decoding a plain-text file whole (``charset.decode``).
    """
    return "\x00" in text or control_share(text) > MAX_CONTROL_SHARE


def control_share(text: str) -> float:
    """Return the share of ``text`` made of ``arabic.CONTROL_CHARACTERS``, 0.0 when it is empty."""
    if not text:
        return 0.0
    return len(_CONTROL_CHARACTER.findall(text)) / len(text)


def _decoded_head(head: bytes, encoding: str | None) -> str | None:
    """Decode the start of a file as best we can; None when it cannot be text."""
    if encoding:
        return head.decode(encoding, errors="replace")
    if head.startswith(_UTF32_BOMS):
        return head[: len(head) // 4 * 4].decode("utf-32", errors="replace")
    if head.startswith(_UTF16_BOMS):
        return head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
    if b"\x00" not in head:
        # Windows-1256 bytes become U+FFFD here, which is not a control: fine
        # for sniffing, and the parser decodes the file properly later.
        return head.decode("utf-8", errors="replace")
    # NUL bytes: UTF-16 without a byte order mark (an Arabic letter is 06xx, a
    # space 0020), or binary.
    even = head[: len(head) // 2 * 2]
    for candidate in ("utf-16-le", "utf-16-be"):
        try:
            text = even.decode(candidate)
        except UnicodeDecodeError:
            continue
        if not is_binary_text(text):
            return text
    return None


def detect_format(data: bytes, name: str = "", *, encoding: str | None = None) -> str:
    """Return which of ``ALL_FORMATS`` ``data`` is in, judging by its content.

    ``name`` only breaks a tie (``.jsonl`` for a one-line JSON file); ``encoding``
    is the one the user forced for text. Raise StoryParseError for a file that
    is empty, binary, or XML of a kind we do not read.
    """
    head = check_not_binary(data, encoding).lstrip("\ufeff \t\r\n\f\v\u00a0")
    if not head:
        raise StoryParseError("الملف فارغ: لا عنوان ولا نص")
    if head.startswith("<"):
        return _xml_format(head)
    if head.startswith("["):
        return "ninjs"
    if head.startswith("{"):
        return "jsonl" if _looks_like_json_lines(head, name) else "ninjs"
    return "text"


def _xml_format(head: str) -> str:
    tag = _FIRST_TAG.search(_XML_JUNK.sub("", head))
    if tag is None and (doctype := _DOCTYPE_NAME.search(head)):
        # The DOCTYPE's internal subset runs past the part we looked at.
        tag = doctype
    root = tag[1].rpartition(":")[2] if tag else ""
    if root in ("newsItem", "newsMessage") or root in NEWSML_FRAGMENTS:
        return "newsml"
    # A fragment cut out of a document: NITF's body, NewsML-G2's item parts.
    if root == "body":
        # An HTML <body> is scraped copy; NITF's holds body.head or body.content.
        if "<body.head" in head or "<body.content" in head:
            return "nitf"
    elif root == "nitf" or root in NITF_FRAGMENTS:
        return "nitf"
    if root == "rss":
        return "rss"
    if root == "feed":
        return "atom"
    if root.lower() == "html":
        raise StoryParseError(
            "هذه صفحة HTML كاملة وليست خبراً؛ انسخ نص الخبر إلى ملف نصي ثم أعد رفعه"
        )
    if "<!DOCTYPE" in head or "<!ENTITY" in head:
        # Whatever the root, a DTD is refused; say that, not "unknown format".
        raise StoryParseError(DTD_MESSAGE)
    if head.startswith(("<?xml", "<!")) or ":" in (tag[1] if tag else ""):
        shown = f"<{root}>" if root else "غير معروف"
        raise StoryParseError(
            f"ملف XML عنصره الجذر {shown}، وليس NewsML-G2 (newsItem/newsMessage) ولا NITF "
            "(nitf) ولا خلاصة RSS (rss) أو Atom (feed)؛ هذه هي صيغ XML التي نقرؤها"
        )
    # Copy scraped from a web page may open with a stray tag ("<p>الخبر...");
    # the plain-text parser strips those.
    return "text"


def _looks_like_json_lines(head: str, name: str) -> bool:
    """One JSON object per line (our export), rather than one ninjs document?"""
    if name.lower().endswith(_JSONL_SUFFIXES):
        return True
    lines = [line for line in head.splitlines()[:6] if line.strip()]
    complete = []
    for line in lines[:5]:
        try:
            complete.append(json.loads(line))
        except (ValueError, RecursionError):
            complete.append(None)
    # Our schema has "paragraphs"; ninjs never does.
    if any(isinstance(obj, dict) and "paragraphs" in obj for obj in complete):
        return True
    # Two lines that are whole objects each: JSON Lines, whatever the keys.
    return sum(isinstance(obj, dict) for obj in complete) >= 2
