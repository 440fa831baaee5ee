"""Drop folders for the ingest tests: files the importer takes, files it refuses, a late clock."""

import re
import time
from pathlib import Path

from articles.importers.loader import Importer
from articles.tests.import_support import jsonl_stories

# Far enough ahead that every file written by the test has settled.
LATER = 60.0
BINARY = b"\x00\x01\x02\x03PNG\x00\x00" * 20


def later() -> float:
    """A clock past the settling time of every file the test wrote."""
    return time.time() + LATER


def drop(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` as ``folder/name``, as a sender would."""
    path = folder / name
    path.write_bytes(data)
    return path


def stories(guid: str, count: int = 2) -> bytes:
    """A JSON Lines file of ``count`` Arabic stories with guids under ``guid``."""
    return jsonl_stories(count, guid, "افتتح وزير الري اليوم محطة جديدة لتحلية مياه البحر.")


def files_under(folder: Path) -> list[str]:
    """Every file under ``folder``, hidden ones included, relative and sorted.

    A claimed file is named ``.claimed/NAME``, without its chunk's (random) directory.
    """
    return sorted(
        re.sub(r"^\.claimed/[^/]+/", ".claimed/", str(path.relative_to(folder)))
        for path in folder.rglob("*")
        if path.is_file()
    )


def break_imports_of(monkeypatch, name: str) -> None:
    """Make the importer fail, as a lost database connection would, on the file ``name``."""
    real_run = Importer.run

    def run(self, inputs):
        inputs = list(inputs)
        if any(input_file.name.endswith(name) for input_file in inputs):
            raise RuntimeError("انقطع الاتصال")
        return real_run(self, inputs)

    monkeypatch.setattr(Importer, "run", run)
