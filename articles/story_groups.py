"""Copies of one wire story, in the database: fingerprints stored, copies found, groups joined.

``group_stories`` is called by the importer for the stories it has just
created or updated, inside the same transaction. For each it stores the
fingerprint and band keys (``articles.grouping``), counts in the index of
band keys the stories of the window around it that share enough of them
(``grouping.MIN_SHARED_BANDS``), confirms copies with the direct check, and
sets ``Article.story_group``: the group of its copies, or a new one. It never
changes a story's text, status or guid; a story an editor grouped by hand
(``is_grouped_by_editor``) keeps its group whatever arrives.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
import psycopg
from django.conf import settings
from django.db import connection

from articles import grouping
from articles.models import (
    Article,
    BoilerplateShingle,
    StoryBand,
    StoryFingerprint,
    StoryGroup,
)


def window() -> datetime.timedelta:
    """Stories further apart than this (``STORY_GROUP_WINDOW_DAYS``) are never compared."""
    return datetime.timedelta(days=settings.STORY_GROUP_WINDOW_DAYS)


@dataclasses.dataclass
class _Story:
    pk: int
    published_at: datetime.datetime
    group: int | tuple | None
    is_grouped_by_editor: bool
    fingerprint: grouping.Fingerprint


def _signed(ids: Iterable[int]) -> list[int]:
    """Shingle ids (unsigned 32-bit) as PostgreSQL's integer holds them."""
    return [i - 2**32 if i >= 2**31 else i for i in ids]


def _unsigned(ids: Iterable[int]) -> list[int]:
    return [i + 2**32 if i < 0 else i for i in ids]


def group_stories(stories: Iterable[tuple[int, Sequence[str]]]) -> None:
    """Fingerprint the stories just written and put each in the group of its copies.

    ``stories``: (article id, body paragraphs) pairs. Call inside the
    transaction that wrote them, so a story and its group are saved together.
    """
    bodies = dict(stories)
    if not bodies:
        return
    prints = {pk: grouping.fingerprint(paragraphs) for pk, paragraphs in bodies.items()}
    _store(prints)
    rows = Article.objects.filter(pk__in=bodies).values_list(
        "pk", "published_at", "story_group_id", "is_grouped_by_editor"
    )
    new = [_Story(pk, at, group, fixed, prints[pk]) for pk, at, group, fixed in rows]
    new.sort(key=lambda story: (story.published_at, story.pk))
    known, of_story = _candidates(new)
    counts = _boilerplate_counts(new, known)
    _Grouper(known, of_story, counts).group(new)


def _cursor() -> psycopg.Cursor:
    """A cursor on Django's connection (so in its transaction) that sends and reads binary.

    Arrays of a few hundred integers a story are most of what grouping moves;
    in text form psycopg would format and parse every element.
    """
    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def _store(prints: dict[int, grouping.Fingerprint]) -> None:
    """Write the fingerprints and band keys, in a few statements whatever their number."""
    ids = list(prints)
    band_ids, band_keys = [], []
    for pk, found in prints.items():
        band_ids.extend([pk] * len(found.band_keys))
        band_keys.extend(found.band_keys)
    fingerprints = StoryFingerprint._meta.db_table
    bands = StoryBand._meta.db_table
    with connection.wrap_database_errors, _cursor() as cursor:
        for table in (fingerprints, bands):
            cursor.execute(
                f"DELETE FROM {table} WHERE article_id = ANY(%b::bigint[])",  # noqa: S608 - the model's table
                [ids],
            )
        cursor.execute(
            f"INSERT INTO {fingerprints} (article_id, shingles)"  # noqa: S608 - the model's table
            " SELECT * FROM unnest(%b::bigint[], %b::bytea[])",
            [ids, [pack(found.ids) for found in prints.values()]],
        )
        if band_keys:
            cursor.execute(
                f"INSERT INTO {bands} (key, article_id)"  # noqa: S608 - the model's table
                " SELECT * FROM unnest(%b::bigint[], %b::bigint[])",
                [band_keys, band_ids],
            )


def pack(ids: Sequence[int]) -> bytes:
    """Shingle ids as ``StoryFingerprint.shingles`` holds them."""
    return np.asarray(ids, dtype="<u4").tobytes()


def unpack(data: bytes | memoryview) -> list[int]:
    """The shingle ids ``pack`` packed."""
    return np.frombuffer(data, dtype="<u4").tolist()


# The stored stories sharing at least MIN_SHARED_BANDS band keys with a new
# one, counted in the (key, article) index, with the new stories each is a
# candidate of. Table names come from the models; every value is a parameter.
_CANDIDATES = """
WITH pairs AS (
    SELECT k.story, b.article_id
    FROM unnest(%b::bigint[], %b::bigint[]) AS k(key, story)
    JOIN {bands} b ON b.key = k.key
    WHERE NOT b.article_id = ANY(%b::bigint[])
    GROUP BY k.story, b.article_id
    HAVING count(*) >= %b
)
SELECT p.article_id, array_agg(p.story), f.shingles,
       a.published_at, a.story_group_id, a.is_grouped_by_editor
FROM pairs p
JOIN {articles} a ON a.id = p.article_id
JOIN {fingerprints} f ON f.article_id = p.article_id
WHERE a.published_at BETWEEN %b AND %b
GROUP BY p.article_id, f.shingles, a.published_at, a.story_group_id, a.is_grouped_by_editor
"""


def _candidates(new: list[_Story]) -> tuple[dict[int, _Story], dict[int, list[int]]]:
    """The stored stories that may be copies of ``new``, and which new story each may copy."""
    keys, owners = [], []
    for story in new:
        keys.extend(story.fingerprint.band_keys)
        owners.extend([story.pk] * len(story.fingerprint.band_keys))
    if not keys:
        return {}, {}
    span = window()
    sql = _CANDIDATES.format(
        bands=StoryBand._meta.db_table,
        articles=Article._meta.db_table,
        fingerprints=StoryFingerprint._meta.db_table,
    )
    with connection.wrap_database_errors, _cursor() as cursor:
        cursor.execute(
            sql,
            [
                keys,
                owners,
                [story.pk for story in new],
                grouping.MIN_SHARED_BANDS,
                new[0].published_at - span,
                new[-1].published_at + span,
            ],
            binary=True,
        )
        rows = cursor.fetchall()
    known, of_story = {}, defaultdict(list)
    for pk, stories, shingles, at, group, fixed in rows:
        known[pk] = _Story(pk, at, group, fixed, grouping.Fingerprint.from_ids(unpack(shingles)))
        for story in stories:
            of_story[story].append(pk)
    return known, of_story


def _boilerplate_counts(new: list[_Story], known: dict[int, _Story]) -> dict[int, int]:
    """The stored counts of the shingles a new story shares with a candidate or another new one.

    One query for the batch: only shared shingles can make a copy look like one.
    """
    seen: set[int] = set()
    shared: set[int] = set()
    for story in [*known.values(), *new]:
        shingles = story.fingerprint.shingles
        shared |= shingles & seen
        seen |= shingles
    if not shared:
        return {}
    with connection.wrap_database_errors, _cursor() as cursor:
        cursor.execute(
            f"SELECT shingle, groups FROM {BoilerplateShingle._meta.db_table}"  # noqa: S608 - the model's table
            " WHERE shingle = ANY(%b::integer[])",
            [_signed(shared)],
            binary=True,
        )
        return {_unsigned([shingle])[0]: groups for shingle, groups in cursor.fetchall()}


class _Grouper:
    """Groups a batch of new stories, in publication order, against stored ones and each other."""

    def __init__(
        self, known: dict[int, _Story], of_story: dict[int, list[int]], counts: dict[int, int]
    ) -> None:
        self.known = known
        self.of_story = of_story
        self.stored_counts = counts
        # The band keys of this batch's stories, for copies within the batch.
        self.by_band: dict[int, list[int]] = defaultdict(list)
        # Boilerplate counted in this batch, not yet written.
        self.counted: Counter[int] = Counter()
        self.window = window()

    def group(self, new: list[_Story]) -> None:
        before = {story.pk: story.group for story in new}
        for story in new:
            if not story.is_grouped_by_editor:
                story.group = self._group_of(story)
            self.known[story.pk] = story
            for key in story.fingerprint.band_keys:
                self.by_band[key].append(story.pk)
        labels = list(dict.fromkeys(s.group for s in new if isinstance(s.group, tuple)))
        groups = StoryGroup.objects.bulk_create(StoryGroup() for _ in labels)
        created = {label: group.pk for label, group in zip(labels, groups, strict=True)}
        changed = []
        for story in new:
            story.group = created.get(story.group, story.group)
            if story.group != before[story.pk]:
                changed.append((story.pk, story.group))
        if changed:
            # One statement: bulk_update's CASE over hundreds of ids costs more than grouping.
            with connection.wrap_database_errors, _cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Article._meta.db_table} a SET story_group_id = c.g"  # noqa: S608 - the model's table
                    " FROM unnest(%b::bigint[], %b::bigint[]) AS c(id, g) WHERE a.id = c.id",
                    [[pk for pk, _ in changed], [group for _, group in changed]],
                )
        self._write_counts()

    def _group_of(self, story: _Story) -> int | tuple:
        found = self.of_story.get(story.pk, []) + grouping.candidates(
            story.fingerprint, self.by_band
        )
        candidates = [
            (pk, self.known[pk].fingerprint)
            for pk in found
            if pk != story.pk
            and abs(self.known[pk].published_at - story.published_at) <= self.window
        ]
        copies = grouping.confirmed_copies(story.fingerprint, candidates)
        if copies:
            # Boilerplate only ever takes a copy away: asked only when there is one.
            common = self._common(story.fingerprint, [self.known[pk] for pk in copies])
            kept = [(pk, self.known[pk].fingerprint) for pk in copies]
            copies = grouping.confirmed_copies(story.fingerprint, kept, common)
        groups = list(dict.fromkeys(g for pk in copies if (g := self.known[pk].group) is not None))
        if not groups:
            self.counted.update(story.fingerprint.shingles)
            return ("new", story.pk)
        group = min(groups, key=_order)
        for other in groups:
            if other != group:
                self._merge(other, into=group)
        return group

    def _common(self, story: grouping.Fingerprint, copies: list[_Story]) -> frozenset[int]:
        shared = set().union(*(story.shingles & copy.fingerprint.shingles for copy in copies))
        stored, counted = self.stored_counts, self.counted
        return frozenset(
            s for s in shared if stored.get(s, 0) + counted.get(s, 0) >= grouping.COMMON_GROUPS
        )

    def _merge(self, other: int | tuple, *, into: int | tuple) -> None:
        """Join two groups a new copy bridges, unless an editor decided one of them."""
        members = [s for s in self.known.values() if s.group == other]
        if any(s.is_grouped_by_editor for s in members):
            return
        # Stored groups sort first (_order), so a stored one is only ever merged into another.
        if isinstance(other, int):
            if Article.objects.filter(story_group_id=other, is_grouped_by_editor=True).exists():
                return
            Article.objects.filter(story_group_id=other).update(story_group_id=into)
        for member in members:
            member.group = into

    def _write_counts(self) -> None:
        if not self.counted:
            return
        shingles = _signed(self.counted)
        table = BoilerplateShingle._meta.db_table
        with connection.wrap_database_errors, _cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (shingle, groups) "  # noqa: S608 - the model's own table
                "SELECT * FROM unnest(%b::integer[], %b::integer[]) "
                f"ON CONFLICT (shingle) DO UPDATE SET groups = {table}.groups + EXCLUDED.groups",
                [shingles, list(self.counted.values())],
            )


def _order(group: int | tuple) -> tuple:
    """Stored groups before this batch's new ones, the oldest first."""
    return (0, group, 0) if isinstance(group, int) else (1, 0, group[1])
