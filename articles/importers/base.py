"""What every parser produces and how a parser reports bad input.

Parsers are pure: they take the bytes of one file and yield ``ParsedStory``
objects. They never touch the database; ``loader.py`` does that.

A parser signals a problem in one of two ways:

* it *raises* ``StoryParseError`` when the whole file is unusable (not XML,
  wrong encoding, a DTD, ...): nothing from that file is imported;
* it *yields* a ``StoryParseError`` in place of a story when only that story is
  bad (one line of a JSON Lines file): the other stories still import.
"""

from __future__ import annotations

import dataclasses
import datetime


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


@dataclasses.dataclass(frozen=True)
class ParsedStory:
    """One story as read from the wire, before it meets the database.

    Text fields are cleaned (no markup, no stray whitespace) and may be empty
    strings, never None. ``paragraphs`` never includes the dateline: the
    dateline is a field of its own, as agencies' formats keep it.
    """

    headline: str
    paragraphs: tuple[str, ...] = ()
    # The agency credited, e.g. "أ ف ب".
    source: str = ""
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
