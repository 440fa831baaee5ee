"""Copies of one wire story, in the database: fingerprints stored, copies found, groups joined.

``group_stories`` is called by the importer for the stories it has just
created or updated, inside the same transaction. For each it stores the
fingerprint (``articles.grouping``), asks the GIN index of band keys for
stories of the window around it that share a key, confirms copies with the
direct check, and sets ``Article.story_group``: the group of its copies, or a
new one. It never changes a story's text, status or guid; a story an editor
grouped by hand (``is_grouped_by_editor``) keeps its group whatever arrives.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import connection

from articles import grouping
from articles.models import Article, BoilerplateShingle, StoryFingerprint, StoryGroup

# How far apart in time two copies may be published (settings.STORY_GROUP_WINDOW_DAYS).
DEFAULT_WINDOW_DAYS = 7


def window() -> datetime.timedelta:
    """Stories further apart than this are never compared."""
    return datetime.timedelta(
        days=getattr(settings, "STORY_GROUP_WINDOW_DAYS", DEFAULT_WINDOW_DAYS)
    )


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
    StoryFingerprint.objects.filter(article_id__in=bodies).delete()
    StoryFingerprint.objects.bulk_create(
        StoryFingerprint(
            article_id=pk, shingles=_signed(found.ids), band_keys=list(found.band_keys)
        )
        for pk, found in prints.items()
    )
    rows = Article.objects.filter(pk__in=bodies).values_list(
        "pk", "published_at", "story_group_id", "is_grouped_by_editor"
    )
    new = [_Story(pk, at, group, fixed, prints[pk]) for pk, at, group, fixed in rows]
    new.sort(key=lambda story: (story.published_at, story.pk))
    known = _candidates(new)
    _Grouper(known).group(new)


def _candidates(new: list[_Story]) -> dict[int, _Story]:
    """The stored stories of the window that share a band key with any of ``new``."""
    keys = sorted({key for story in new for key in story.fingerprint.band_keys})
    if not keys:
        return {}
    span = window()
    rows = (
        StoryFingerprint.objects.filter(
            band_keys__overlap=keys,
            article__published_at__gte=new[0].published_at - span,
            article__published_at__lte=new[-1].published_at + span,
        )
        .exclude(article_id__in=[story.pk for story in new])
        .values_list(
            "article_id",
            "shingles",
            "band_keys",
            "article__published_at",
            "article__story_group_id",
            "article__is_grouped_by_editor",
        )
    )
    return {
        pk: _Story(
            pk, at, group, fixed, grouping.Fingerprint.from_ids(_unsigned(shingles), band_keys)
        )
        for pk, shingles, band_keys, at, group, fixed in rows
    }


class _Grouper:
    """Groups a batch of new stories, in publication order, against stored ones and each other."""

    def __init__(self, known: dict[int, _Story]) -> None:
        self.known = known
        self.by_band: dict[int, list[int]] = defaultdict(list)
        for story in known.values():
            for key in story.fingerprint.band_keys:
                self.by_band[key].append(story.pk)
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
                changed.append(Article(pk=story.pk, story_group_id=story.group))
        Article.objects.bulk_update(changed, ["story_group"])
        self._write_counts()

    def _group_of(self, story: _Story) -> int | tuple:
        found: dict[int, None] = {}
        for key in story.fingerprint.band_keys:
            found.update(dict.fromkeys(self.by_band.get(key, ())))
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
        counts = Counter({s: self.counted[s] for s in shared if s in self.counted})
        stored = BoilerplateShingle.objects.filter(shingle__in=_signed(shared))
        for shingle, groups in stored.values_list("shingle", "groups"):
            counts[_unsigned([shingle])[0]] += groups
        return frozenset(s for s, n in counts.items() if n >= grouping.COMMON_GROUPS)

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
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (shingle, groups) "  # noqa: S608 - the model's own table
                "SELECT * FROM unnest(%s::integer[], %s::integer[]) "
                f"ON CONFLICT (shingle) DO UPDATE SET groups = {table}.groups + EXCLUDED.groups",
                [shingles, list(self.counted.values())],
            )


def _order(group: int | tuple) -> tuple:
    """Stored groups before this batch's new ones, the oldest first."""
    return (0, group, 0) if isinstance(group, int) else (1, 0, group[1])
