"""An import's groups settled just before it commits: the one step of grouping taken one at a time.

``story_groups.group_new`` groups an import's new stories against what was
committed when it looked, without waiting for any other import: two
workers write their batches (the stories, their search vectors, paragraphs
and log, most of an import's time) side by side. What they could not see
of each other is settled here, as the last step of each import's
transaction, under grouping's advisory lock, which the commit releases:

1. the merges of stored groups its new stories bridged are made;
2. its new stories are compared with the stories grouped by the imports
   that committed since it looked (``group_log.grouped_since``; all the
   window's, if those entries are gone), found by shared band keys and
   confirmed by the same check: a copy in another group joins the two groups,
   the later into the earlier, unless an editor decided one of them;
3. the passages' counts it made are added (``story_groups.write_counts``);
4. the stories it grouped or moved are logged (``group_log.record``), for
   the imports running meanwhile to compare theirs with.

Two imports at once therefore end with each other's copies in one group, as
when the whole of an import held the lock, while the lock is held for a
few milliseconds a batch instead of for all of its writes.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db import connection

from articles import group_log, grouping
from articles.binary_arrays import bigint_array
from articles.binary_arrays import cursor as binary_cursor
from articles.models import Article, StoryBand, StoryFingerprint
from articles.story_groups import (
    GROUPING_LOCK,
    GroupedStory,
    Pending,
    candidates_of,
    merge_stored,
    unpack,
    window,
    write_counts,
)


def settle(pending: Pending) -> list[int]:
    """Settle an import's grouping (see the module docstring). Call last in its transaction.

    Return the stored stories it moved to another group (and those ``pending``
    names as regrouped): their pages' lists of copies changed.
    """
    if not (pending.stories or pending.merges or pending.regrouped or pending.counted):
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [GROUPING_LOCK])
    moved = list(pending.regrouped)
    for group, into in pending.merges:
        moved.extend(merge_stored(group, into) or ())
    ours = {story.pk for story in pending.stories}
    if pending.stories:
        since = group_log.grouped_since(pending.epoch)
        if since is None:
            known, of_story = candidates_of(
                sorted(pending.stories, key=lambda story: (story.published_at, story.pk))
            )
        else:
            known, of_story = _candidates_among(pending.stories, since - ours)
        if known:
            moved.extend(_rejoin(pending, known, of_story))
    write_counts(pending.counted)
    group_log.record([*ours, *moved])
    return moved


def _candidates_among(
    stories: list[GroupedStory], ids: set[int]
) -> tuple[dict[int, GroupedStory], dict[int, list[int]]]:
    """Of the stories ``ids``, those sharing enough band keys with one of ``stories``.

    As ``story_groups.candidates_of`` returns them: by id, and which of
    ``stories`` each may copy. ``ids`` are a few imports' batches: their band
    rows are read by story, and the keys counted here.
    """
    if not ids:
        return {}, {}
    by_key: defaultdict[int, list[int]] = defaultdict(list)
    for story in stories:
        for key in story.fingerprint.band_keys:
            by_key[key].append(story.pk)
    shared: Counter[tuple[int, int]] = Counter()
    with binary_cursor(connection.connection) as cursor:
        cursor.execute(
            f"SELECT article_id, key FROM {StoryBand._meta.db_table}"  # noqa: S608 - the model's table
            " WHERE article_id = ANY(%b::bigint[])",
            [bigint_array(sorted(ids))],
            binary=True,
        )
        for article_id, key in cursor.fetchall():
            for story in by_key.get(key, ()):
                shared[article_id, story] += 1
    of_story: defaultdict[int, list[int]] = defaultdict(list)
    for (article_id, story), count in shared.items():
        if count >= grouping.MIN_SHARED_BANDS:
            of_story[story].append(article_id)
    found = {article_id for candidates in of_story.values() for article_id in candidates}
    if not found:
        return {}, {}
    with binary_cursor(connection.connection) as cursor:
        cursor.execute(
            f"SELECT a.id, a.published_at, a.story_group_id, a.is_grouped_by_editor, f.shingles"  # noqa: S608
            f" FROM {Article._meta.db_table} a"
            f" JOIN {StoryFingerprint._meta.db_table} f ON f.article_id = a.id"
            " WHERE a.id = ANY(%b::bigint[])",
            [bigint_array(sorted(found))],
            binary=True,
        )
        known = {
            pk: GroupedStory(pk, at, group, fixed, grouping.Fingerprint.from_ids(unpack(shingles)))
            for pk, at, group, fixed, shingles in cursor.fetchall()
        }
    return known, dict(of_story)


def _rejoin(
    pending: Pending, known: dict[int, GroupedStory], of_story: dict[int, list[int]]
) -> list[int]:
    """Join each new story's group with those of its copies in ``known``; the stories moved."""
    span = window()
    moved: list[int] = []
    everyone = [*pending.stories, *known.values()]
    counts, counted = pending.counts, pending.counted

    def groups_seen(passage: int) -> int:
        return counts.get(passage, 0) + counted.get(passage, 0)

    for story in sorted(pending.stories, key=lambda s: (s.published_at, s.pk)):
        candidates = [
            (pk, known[pk].fingerprint)
            for pk in of_story.get(story.pk, ())
            if pk in known and abs(known[pk].published_at - story.published_at) <= span
        ]
        copies = grouping.copies_among(story.fingerprint, candidates, groups_seen)
        groups = {known[pk].group for pk in copies if known[pk].group is not None}
        groups.add(story.group)
        into = min(groups)
        for group in sorted(groups - {into}):
            ids = merge_stored(group, into)
            if ids is None:
                continue  # An editor's decision: kept.
            moved.extend(ids)
            for other in everyone:
                if other.group == group:
                    other.group = into
    return moved
