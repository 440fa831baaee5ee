"""Importing one file's bytes in a test, through the loader the command and the admin use."""

import json
from collections.abc import Iterator

from articles.importers.inputs import InputFile
from articles.importers.loader import Importer, ImportOptions
from articles.importers.outcomes import Outcome


def import_file(name: str, data: bytes, **options) -> Iterator[Outcome]:
    """Import every story in ``data`` as the file ``name``; yield one outcome per story."""
    yield from Importer(ImportOptions(**options)).run([InputFile(name, lambda: data)])


def jsonl_stories(count: int, guid: str, paragraph: str) -> bytes:
    """A JSON Lines file of ``count`` stories of one day, each with ``paragraph`` as its text."""
    lines = [
        {
            "guid": f"{guid}:{n}",
            "headline": f"خبر رقم {n}",
            "source": "وكالة الاختبار",
            "published_at": "2026-11-20T10:00:00+03:00",
            "paragraphs": [paragraph],
        }
        for n in range(count)
    ]
    return "\n".join(json.dumps(line, ensure_ascii=False) for line in lines).encode()
