"""Copies of one wire story, in the database: fingerprints stored, copies found, groups joined.

The importer calls ``group_new`` for the stories it is about to create, before
it writes them, so each is written with its group (setting the group
afterwards rewrote every new row and all its index entries, most of
grouping's cost), then ``store_fingerprints`` with their ids; it calls
``group_stories`` for the stories it has updated. Both run inside the
import's transaction. For each story they count in the index of band keys
the stories of the window around it that share enough of them
(``grouping.MIN_SHARED_BANDS``), confirm copies with the direct check, and
set ``Article.story_group``: the group of its copies, or a new one; and they
store the story's fingerprint and band keys. A story's fingerprint
(``articles.grouping``) is made where it is parsed (``importers/reading.py``,
in the worker processes of a big import). Each new group's first story adds
one to the count of each of its passages, the chunks of its shingles
(``BoilerplatePassage``, as ``grouping.PassageCounts``): the shingles of a new
story's passages seen in ``grouping.COMMON_GROUPS`` groups or more are left
out of its comparisons.

``group_new`` waits for no other import: it groups against what is
committed and leaves in ``Pending`` what must be written one import at a time
(merges, counts), for ``articles.group_settling.settle`` before the commit.
Grouping never changes a story's text, status or guid; a story an editor
grouped by hand (``is_grouped_by_editor``) keeps its group whatever arrives.
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

from articles import group_log, grouping
from articles.binary_arrays import bigint_array, integer_array
from articles.binary_arrays import cursor as binary_cursor
from articles.models import (
    Article,
    BoilerplatePassage,
    StoryBand,
    StoryFingerprint,
    StoryGroup,
)


def window() -> datetime.timedelta:
    """Stories further apart than this (``STORY_GROUP_WINDOW_DAYS``) are never compared."""
    return datetime.timedelta(days=settings.STORY_GROUP_WINDOW_DAYS)


@dataclasses.dataclass
class GroupedStory:
    pk: int
    published_at: datetime.datetime
    group: int | tuple | None
    is_grouped_by_editor: bool
    fingerprint: grouping.Fingerprint


@dataclasses.dataclass
class Pending:
    """An import's grouping from ``group_new`` to its settling (articles.group_settling)."""

    # The last grouping committed when it looked (group_log).
    epoch: int = 0
    # Its new stories, with their ids once written (``created``).
    stories: list[GroupedStory] = dataclasses.field(default_factory=list)
    # Stored groups a new story bridges, (group, into): merged at the settling.
    merges: list[tuple[int, int]] = dataclasses.field(default_factory=list)
    # Its passages' stored counts, and the counts it adds.
    counts: dict[int, int] = dataclasses.field(default_factory=dict)
    counted: Counter[int] = dataclasses.field(default_factory=Counter)
    # Stored stories it grouped again or moved (group_stories).
    regrouped: list[int] = dataclasses.field(default_factory=list)

    def created(self, ids: Sequence[int]) -> None:
        """The ids the new stories were written with, in ``group_new``'s order."""
        for story, pk in zip(self.stories, ids, strict=True):
            story.pk = pk


def _signed(ids: Iterable[int]) -> np.ndarray:
    """Shingle ids or passage keys (unsigned 32-bit) as PostgreSQL's integer holds them."""
    return np.fromiter(ids, np.uint32).view(np.int32)


def group_stories(
    stories: Iterable[tuple[int, Sequence[str] | grouping.Fingerprint]],
    pending: Pending | None = None,
) -> None:
    """Fingerprint the stories just written and put each in the group of its copies.

    ``stories``: (article id, body paragraphs or their fingerprint) pairs. Call
    inside the transaction that wrote them, so a story and its group are saved
    together. It takes grouping's lock at once (updates are few); an import
    also names them in ``pending``, for the log its settling writes.
    """
    prints = {
        pk: body if isinstance(body, grouping.Fingerprint) else grouping.fingerprint(body)
        for pk, body in stories
    }
    if not prints:
        return
    rows = Article.objects.filter(pk__in=prints).values_list(
        "pk", "published_at", "story_group_id", "is_grouped_by_editor"
    )
    new = [GroupedStory(pk, at, group, fixed, prints[pk]) for pk, at, group, fixed in rows]
    store_fingerprints((story.pk, story.published_at, story.fingerprint) for story in new)
    before = {story.pk: story.group for story in new}
    moved: list[int] = []
    changed = [(pk, group) for pk, group in _group(new, moved=moved).items() if group != before[pk]]
    if pending is not None:
        # Their band keys changed with their text, their group or not; and the stories merged.
        pending.regrouped.extend([*(story.pk for story in new), *moved])
    if changed:
        # One statement: bulk_update's CASE over hundreds of ids costs more than grouping.
        with connection.wrap_database_errors, _cursor() as cursor:
            cursor.execute(
                f"UPDATE {Article._meta.db_table} a SET story_group_id = c.g"  # noqa: S608 - the model's table
                " FROM unnest(%b::bigint[], %b::bigint[]) AS c(id, g) WHERE a.id = c.id",
                [[pk for pk, _ in changed], [group for _, group in changed]],
            )


def group_new(
    stories: Sequence[tuple[datetime.datetime, grouping.Fingerprint]], pending: Pending
) -> list[int]:
    """The groups of stories about to be created, as (publication time, fingerprint) pairs.

    Return a group id for each, in order: the group of its stored copies (or
    of a copy earlier in ``stories``), or a new one. Write the stories with
    these groups, then store their fingerprints (``store_fingerprints``), give
    ``pending`` their ids (``Pending.created``) and, last in the transaction
    that writes them, settle it (articles.group_settling.settle).
    """
    # Keys for stories without ids yet: negative, in the order given.
    new = [
        GroupedStory(index - len(stories), at, None, False, found)
        for index, (at, found) in enumerate(stories)
    ]
    pending.stories.extend(new)
    groups = _group(new, pending)
    for story in new:
        story.group = groups[story.pk]
    return [groups[story.pk] for story in new]


# Taken by every grouping, for the rest of the import's transaction: see _group.
GROUPING_LOCK = 0x6E70_6772  # "npgr"


def _group(
    new: list[GroupedStory], pending: Pending | None = None, moved: list[int] | None = None
) -> dict[int, int]:
    """Put each of ``new`` in the group of its copies; return its group id by key.

    Two imports at once see only each other's committed stories. With
    ``pending`` this groups against those, without grouping's lock, and the
    settling (articles.group_settling) takes it to compare the stories with
    those committed since and write merges and counts; without, the lock is
    taken here, for the rest of the transaction. If a merge moves a story
    another import is updating, PostgreSQL fails one of the two, whose batch
    is then saved story by story.
    """
    if pending is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [GROUPING_LOCK])
    else:
        # Read before the candidates: whatever commits after it is compared again.
        pending.epoch = group_log.latest_epoch()
    new = sorted(new, key=lambda story: (story.published_at, story.pk))
    known, of_story = candidates_of(new)
    counts = _boilerplate_counts(new)
    grouper = _Grouper(known, of_story, counts, pending)
    groups = grouper.group(new)
    if pending is not None:
        pending.counts.update(counts)
    if moved is not None:  # Without pending: the stories its merges moved.
        moved.extend(grouper.moved)
    return groups


def _cursor() -> psycopg.Cursor:
    """A cursor on Django's connection (so in its transaction) that sends and reads binary.

    Arrays of a few hundred integers a story are most of what grouping moves;
    in text form psycopg would format and parse every element, and even in
    binary it dumps them one by one (``articles.binary_arrays`` does it at once).
    """
    connection.ensure_connection()
    return binary_cursor(connection.connection)


def store_fingerprints(
    stories: Iterable[tuple[int, datetime.datetime, grouping.Fingerprint]], *, replace: bool = True
) -> None:
    """Write the fingerprints and band keys, in a few statements whatever their number.

    ``stories``: (article id, publication time, fingerprint). ``replace``: the
    stories may have some already (an update); new stories have none.
    """
    ids, times, prints = [], [], []
    band_ids, band_times, band_keys = [], [], []
    for pk, at, found in stories:
        ids.append(pk)
        times.append(at)
        prints.append(found)
        band_ids.extend([pk] * len(found.band_keys))
        band_times.extend([len(times) - 1] * len(found.band_keys))
        band_keys.extend(found.band_keys)
    fingerprints = StoryFingerprint._meta.db_table
    bands = StoryBand._meta.db_table
    with connection.wrap_database_errors, _cursor() as cursor:
        for table in (fingerprints, bands) if replace else ():
            cursor.execute(
                f"DELETE FROM {table} WHERE article_id = ANY(%b::bigint[])",  # noqa: S608 - the model's table
                [bigint_array(ids)],
            )
        cursor.execute(
            f"INSERT INTO {fingerprints} (article_id, shingles)"  # noqa: S608 - the model's table
            " SELECT * FROM unnest(%b::bigint[], %b::bytea[])",
            [bigint_array(ids), [pack(found.ids) for found in prints]],
        )
        if band_keys:
            # Each band's time by its story's place in ``times``: a few hundred
            # datetimes for psycopg to send, not one a key.
            cursor.execute(
                f"INSERT INTO {bands} (key, article_id, published_at)"  # noqa: S608 - the model's table
                " SELECT k.key, k.id, (%b::timestamptz[])[k.story + 1]"
                " FROM unnest(%b::bigint[], %b::bigint[], %b::integer[]) AS k(key, id, story)",
                [times, bigint_array(band_keys), bigint_array(band_ids), integer_array(band_times)],
            )


def pack(ids: Sequence[int]) -> bytes:
    """Shingle ids as ``StoryFingerprint.shingles`` holds them."""
    return np.asarray(ids, dtype="<u4").tobytes()


def unpack(data: bytes | memoryview) -> list[int]:
    """The shingle ids ``pack`` packed."""
    return np.frombuffer(data, dtype="<u4").tolist()


# The stored stories of the window sharing at least MIN_SHARED_BANDS band keys
# with a new one, with the new stories each is a candidate of. Each distinct
# key is looked up in the (key, time) index on its own, between the earliest
# time of the new stories holding it less the window and the latest plus the
# window (the LATERAL subquery, which LIMIT keeps from being flattened): left
# to itself the planner merged the batch's keys with the whole index, a cost
# that grew with the store instead of with the window's matches. Of each key's
# stories only the latest NEAREST_PER_KEY are read (``grouping.candidates``
# counts the same in a batch): each is a heap page to visit, and a key
# hundreds of stories hold says little. Table names come from the models;
# every value is a parameter.
_CANDIDATES = """
WITH probe AS (
    SELECT k.key, array_agg(k.story) AS stories,
           min(t.at) - %b::interval AS since, max(t.at) + %b::interval AS until
    FROM unnest(%b::bigint[], %b::bigint[]) AS k(key, story)
    JOIN unnest(%b::bigint[], %b::timestamptz[]) AS t(story, at) ON t.story = k.story
    GROUP BY k.key
), pairs AS (
    SELECT m.article_id, s.story
    FROM probe p
    CROSS JOIN LATERAL (
        SELECT b.article_id FROM {bands} b
        WHERE b.key = p.key AND b.published_at BETWEEN p.since AND p.until
        ORDER BY b.published_at DESC
        LIMIT %b
    ) AS m
    CROSS JOIN LATERAL unnest(p.stories) AS s(story)
    WHERE NOT m.article_id = ANY(%b::bigint[])
    GROUP BY m.article_id, s.story
    HAVING count(*) >= %b
), found AS (
    SELECT article_id, array_agg(story) AS stories FROM pairs GROUP BY article_id
)
SELECT p.article_id, p.stories, f.shingles,
       a.published_at, a.story_group_id, a.is_grouped_by_editor
FROM found p
JOIN {articles} a ON a.id = p.article_id
JOIN {fingerprints} f ON f.article_id = p.article_id
WHERE a.published_at BETWEEN %b AND %b
"""


# The candidates query's settings. Memory for its sorts and hashes
# (PostgreSQL's default is 4MB): a batch's pairs counted in memory, not in
# files. And each key's latest stories read in the index's order, stopping at
# NEAREST_PER_KEY: without statistics on the band rows (a new store, or no
# autovacuum yet) the planner guessed a few rows a key and took a bitmap scan,
# which visits the heap page of every one of a key's rows before sorting
# them; in a one-story import into 10,000 same-moment stories (bench/
# grouping_profile.py), the query ran in 3.5 ms with the index scan, 9.7 with
# the bitmap (EXPLAIN ANALYZE, back to back).
CANDIDATES_WORK_MEM = "64MB"
_CANDIDATES_SETTINGS = (
    "SELECT set_config('work_mem', %s, true), set_config('enable_bitmapscan', 'off', true)"
)


def candidates_of(new: list[GroupedStory]) -> tuple[dict[int, GroupedStory], dict[int, list[int]]]:
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
    params = [
        span,
        span,
        bigint_array(keys),
        bigint_array(owners),
        bigint_array([story.pk for story in new]),
        [story.published_at for story in new],
        grouping.NEAREST_PER_KEY,
        # Stored already (an update): not its own candidate. New ones have no id yet.
        bigint_array([story.pk for story in new if story.pk > 0]),
        grouping.MIN_SHARED_BANDS,
        new[0].published_at - span,
        new[-1].published_at + span,
    ]
    with (
        connection.wrap_database_errors,
        _cursor() as cursor,
        _cursor() as plan,
        connection.connection.pipeline(),
    ):
        # The query's own settings, sent with it in one round trip (a
        # pipeline) and undone exactly after it by rolling back to a
        # savepoint, which loses nothing: the query only reads.
        plan.execute("SAVEPOINT grouping_candidates")
        plan.execute(_CANDIDATES_SETTINGS, [CANDIDATES_WORK_MEM])
        cursor.execute(sql, params, binary=True)
        plan.execute("ROLLBACK TO SAVEPOINT grouping_candidates")
        plan.execute("RELEASE SAVEPOINT grouping_candidates")
        rows = cursor.fetchall()
    known, of_story = {}, defaultdict(list)
    for pk, stories, shingles, at, group, fixed in rows:
        known[pk] = GroupedStory(
            pk, at, group, fixed, grouping.Fingerprint.from_ids(unpack(shingles))
        )
        for story in stories:
            of_story[story].append(pk)
    return known, of_story


def _boilerplate_counts(new: list[GroupedStory]) -> dict[int, int]:
    """The stored counts of the new stories' passages, in one query for the batch.

    Some twenty keys a story (its chunks), looked up in the primary key: only
    the new stories' passages are asked about (``grouping.common_shingles``).
    """
    keys = set().union(*(story.fingerprint.passage_keys for story in new))
    if not keys:
        return {}
    with connection.wrap_database_errors, _cursor() as cursor:
        cursor.execute(
            f"SELECT passage, groups FROM {BoilerplatePassage._meta.db_table}"  # noqa: S608 - the model's table
            " WHERE passage = ANY(%b::integer[])",
            [integer_array(_signed(keys))],
            binary=True,
        )
        return {passage & 0xFFFFFFFF: groups for passage, groups in cursor.fetchall()}


class _Grouper:
    """Groups a batch of new stories, in publication order, against stored ones and each other."""

    def __init__(
        self,
        known: dict[int, GroupedStory],
        of_story: dict[int, list[int]],
        counts: dict[int, int],
        pending: Pending | None = None,
    ) -> None:
        self.pending = pending
        self.known = known
        self.of_story = of_story
        self.stored_counts = counts
        # The band keys of this batch's stories, for copies within the batch.
        self.by_band: dict[int, list[int]] = defaultdict(list)
        # Boilerplate counted in this batch, not yet written.
        self.counted: Counter[int] = Counter()
        self.window = window()
        self.moved: list[int] = []

    def group(self, new: list[GroupedStory]) -> dict[int, int]:
        """Each new story's group id, by its key; new groups are created, counts written."""
        for story in new:
            if not story.is_grouped_by_editor:
                story.group = self._group_of(story)
            self.known[story.pk] = story
            for key in story.fingerprint.band_keys:
                self.by_band[key].append(story.pk)
        labels = list(dict.fromkeys(s.group for s in new if isinstance(s.group, tuple)))
        groups = StoryGroup.objects.bulk_create(StoryGroup() for _ in labels)
        created = {label: group.pk for label, group in zip(labels, groups, strict=True)}
        if self.pending is None:
            write_counts(self.counted)
        else:
            self.pending.counted.update(self.counted)
        return {story.pk: created.get(story.group, story.group) for story in new}

    def _group_of(self, story: GroupedStory) -> int | tuple:
        found = self.of_story.get(story.pk, []) + grouping.candidates(
            story.fingerprint, self.by_band
        )
        candidates = [
            (pk, self.known[pk].fingerprint)
            for pk in found
            if pk != story.pk
            and abs(self.known[pk].published_at - story.published_at) <= self.window
        ]
        copies = grouping.copies_among(story.fingerprint, candidates, self._groups_seen)
        groups = list(dict.fromkeys(g for pk in copies if (g := self.known[pk].group) is not None))
        if not groups:
            self.counted.update(story.fingerprint.passage_keys)
            return ("new", story.pk)
        group = min(groups, key=_order)
        for other in groups:
            if other != group:
                self._merge(other, into=group)
        return group

    def _groups_seen(self, passage: int) -> int:
        """In how many groups the passage was seen, stored or in this batch."""
        return self.stored_counts.get(passage, 0) + self.counted.get(passage, 0)

    def _merge(self, other: int | tuple, *, into: int | tuple) -> None:
        """Join two groups a new copy bridges, unless an editor decided one of them."""
        members = [s for s in self.known.values() if s.group == other]
        if any(s.is_grouped_by_editor for s in members):
            return
        # Stored groups sort first (_order), so a stored one is only ever merged into another.
        if isinstance(other, int):
            if self.pending is not None:
                # Rows other imports may be writing: moved at the settling, under the lock.
                self.pending.merges.append((other, into))
            elif (ids := merge_stored(other, into)) is None:
                return
            else:
                self.moved.extend(ids)
        for member in members:
            member.group = into


def merge_stored(group: int, into: int) -> list[int] | None:
    """Move the stories of the stored ``group`` into ``into``; their ids, or None if refused.

    Refused when an editor decided the group of one of them. Call holding grouping's lock.
    """
    if Article.objects.filter(story_group_id=group, is_grouped_by_editor=True).exists():
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Article._meta.db_table} SET story_group_id = %s"  # noqa: S608 - the model's table
            " WHERE story_group_id = %s RETURNING id",
            [into, group],
        )
        return [row[0] for row in cursor.fetchall()]


def write_counts(counted: Counter[int]) -> None:
    """Add ``counted`` to the stored counts of passages, in passage order. Hold grouping's lock."""
    if not counted:
        return
    passages = sorted(counted)
    table = BoilerplatePassage._meta.db_table
    with connection.wrap_database_errors, _cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (passage, groups) "  # noqa: S608 - the model's own table
            "SELECT * FROM unnest(%b::integer[], %b::integer[]) "
            f"ON CONFLICT (passage) DO UPDATE SET groups = {table}.groups + EXCLUDED.groups",
            [integer_array(_signed(passages)), integer_array([counted[p] for p in passages])],
        )


def _order(group: int | tuple) -> tuple:
    """Stored groups before this batch's new ones, the oldest first."""
    return (0, group, 0) if isinstance(group, int) else (1, 0, group[1])
