"""How many fields of real-looking wire copy the importer reads right, in every format.

Usage:

    .venv/bin/python bench/field_accuracy.py [CORPUS_DIR ...] [--misses]

The corpus (default ``articles/tests/data/wire/``) is folders of composed
stories, each a file as a site or agency prints or sends it (plain text,
NewsML-G2, NITF, ninjs; the format is detected as on import), with an
``expected.jsonl`` beside them: one JSON object per story,

    {"file": "name.txt", "family": "...", "headline": "...", "source": "...",
     "credits": ["...", ...], "publisher": "...", "date": "YYYY-MM-DD" | null,
     "dateline": "...", "caption": "...", "paragraphs": ["...", ...]}

``source`` is who the story is credited to ("" when nothing names anyone),
``credits`` every agency or outlet credited, in the order given (optional),
``publisher`` the outlet that republished an agency's story ("" otherwise),
``date`` the story's Gregorian date. The seed (``samples/000_*.txt``) is
scored too, with the fields its tests assert.

Eight fields are scored per story, as the seed's tests check them:
headline, source, publisher, date, dateline, caption, body (the paragraphs'
words in order, however they are split) and paragraphs (the exact list).
Text is compared with runs of whitespace as one space. Prints the accuracy
per field and overall, per family, and (with ``--misses``, or always when
there are few) every miss: file, field, expected and found.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from bench_django import ROOT, setup_django

setup_django()

from articles.importers.reading import ReadSettings, read_file  # noqa: E402

CORPUS = ROOT / "articles" / "tests" / "data" / "wire"
SEED = ROOT / "samples" / "000_cd5be3f60da65570.txt"
SEED_EXPECTED = {
    "file": str(SEED),
    "family": "seed",
    "headline": "الحكومة الافغانية تلتقي سكرتير مجلس الأمن الروسي في كابول",
    "source": "أ ف ب",
    "publisher": "الامة برس",
    "date": "2024-11-26",
    "dateline": "كابول",
    "caption": (
        "صورة وزّعها مكتب نائب رئيس الوزراء للشؤون الاقتصادية لجانب من اللقاء بين الوفدين "
        "الروسي والأفغاني في كابول في 25 تشرين الثاني/نوفمبر 2024 (أ ف ب)"
    ),
}
FIELDS = ["headline", "source", "publisher", "date", "dateline", "caption", "body", "paragraphs"]
TARGET_OVERALL = 0.95
TARGET_PER_FIELD = 0.90


def squeeze(value: str) -> str:
    return " ".join(value.split())


def found_fields(name: str, data: bytes) -> dict:
    """The fields the importer reads from one file, in whatever format it is.

    The format is detected from the content, as an import detects it; an
    error reads as no fields at all.
    """
    items = read_file(name, data, ReadSettings())
    if not items or items[0].error:
        return {"error": items[0].error if items else "no story"}
    story = items[0].story
    return {
        "headline": squeeze(story.headline),
        "source": squeeze(story.source),
        "publisher": squeeze(story.publisher),
        "date": story.published_at.date().isoformat() if story.published_at else None,
        "dateline": squeeze(story.dateline),
        "caption": squeeze(story.caption),
        "body": squeeze(" ".join(story.paragraphs)),
        "paragraphs": [squeeze(paragraph) for paragraph in story.paragraphs],
    }


def expected_fields(entry: dict) -> dict:
    fields = {name: entry[name] for name in FIELDS if name in entry}
    for name in ("headline", "source", "publisher", "dateline", "caption"):
        if name in fields:
            fields[name] = squeeze(fields[name])
    if "paragraphs" in entry:
        fields["paragraphs"] = [squeeze(paragraph) for paragraph in entry["paragraphs"]]
        fields["body"] = squeeze(" ".join(entry["paragraphs"]))
    return fields


def corpus(directories: list[Path]) -> list[tuple[Path, dict]]:
    """Every (story file, expected entry) of the corpus folders, the seed first."""
    stories = [(SEED, SEED_EXPECTED)]
    for directory in directories:
        for listing in sorted(directory.rglob("expected.jsonl")):
            for number, line in enumerate(listing.read_text().splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                except ValueError as error:
                    sys.exit(f"{listing}:{number}: not JSON ({error})")
                entry.setdefault("family", listing.parent.name)
                stories.append((listing.parent / entry["file"], entry))
    return stories


def score(stories: list[tuple[Path, dict]]) -> tuple[Counter, Counter, dict, list]:
    """Right and asked counts per field, per-family counts, and the misses."""
    right, asked = Counter(), Counter()
    families: dict[str, Counter] = defaultdict(Counter)
    misses = []
    for path, entry in stories:
        found = found_fields(path.name, path.read_bytes())
        for name, value in expected_fields(entry).items():
            asked[name] += 1
            families[entry["family"]]["asked"] += 1
            if found.get(name) == value:
                right[name] += 1
                families[entry["family"]]["right"] += 1
            else:
                shown = found.get("error") or found.get(name)
                misses.append((path.relative_to(ROOT), name, value, shown))
    return right, asked, families, misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="*", type=Path, default=[CORPUS])
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args()
    stories = corpus([directory.resolve() for directory in args.corpus])
    right, asked, families, misses = score(stories)
    print(f"stories: {len(stories)} (the seed and {len(stories) - 1} composed)")
    for name in FIELDS:
        if asked[name]:
            print(f"  {name:<11} {right[name] / asked[name]:7.1%}  ({right[name]}/{asked[name]})")
    overall = sum(right.values()) / max(sum(asked.values()), 1)
    print(f"  {'overall':<11} {overall:7.1%}  ({sum(right.values())}/{sum(asked.values())})")
    print("per family:")
    for family, counts in sorted(families.items()):
        print(
            f"  {family:<24} {counts['right'] / counts['asked']:7.1%}  ({counts['asked']} fields)"
        )
    if args.misses or len(misses) <= 40:
        print(f"misses ({len(misses)}):")
        for path, name, expected, found in misses:
            print(f"  {path} [{name}]\n    expected: {expected!r}\n    found:    {found!r}")
    fields_ok = all(right[n] / asked[n] >= TARGET_PER_FIELD for n in FIELDS if asked[n])
    return 0 if overall >= TARGET_OVERALL and fields_ok else 1


if __name__ == "__main__":
    sys.exit(main())
