"""An editor's decisions on copies of one wire story: a story split out, groups merged.

The importer groups copies by itself (``articles.story_groups``); an editor
corrects it. Every story a decision touches is marked
``is_grouped_by_editor``, and the importer's grouping never moves such a
story, nor merges a group holding one into another: a story split out stays
alone (it has no group, so no copy arriving later is joined to it) and a
merged group stays one (a later copy may join it; nothing takes a story out
of it or merges it away).

A decision is one transaction and changes only ``story_group`` and
``is_grouped_by_editor``, never a story's text, status or guid. It is recorded
as every change an editor makes is (``transitions.save``: a revision and a
line of the admin's history for each story moved) and announced after the
commit for every story whose page lists the group's copies, the copies left
behind included (``transitions.announce``), so reader caches renew.

Groups left empty keep their row, as when the importer joins two groups: a
deleted story's stored revision may still name one, and a concurrent import
may be joining a copy to one as the editor decides.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q

from articles import permissions, transitions
from articles.models import Article, StoryGroup

# What each story's history says of the decision.
SPLIT_LINE = "فُصل عن نسخ الخبر نفسه بقرار محرر: يبقى منفردًا مهما وصل من نسخ."
KEPT_ALONE_LINE = "أُبقي منفردًا بقرار محرر: لا تُضم إليه نسخ تصل لاحقًا."
MERGE_LINE = "دُمجت نسخ الخبر نفسه في مجموعة واحدة بقرار محرر: تبقى معًا مهما وصل من نسخ."

# The only fields a decision writes (with updated_at, which transitions.save sets).
FIELDS = ["story_group", "is_grouped_by_editor"]


class RegroupRefused(PermissionDenied):
    """The user may not split or merge groups; the message says so in Arabic."""


@dataclasses.dataclass(frozen=True)
class Split:
    split_out: list[int]  # stories taken out of a group they shared with other copies
    kept_alone: list[int]  # stories already alone, now kept alone whatever arrives


@dataclasses.dataclass(frozen=True)
class Merge:
    group: int | None  # the group kept; None when there was nothing to merge
    moved: list[int]  # stories that joined it now
    size: int  # how many stories it holds now


def check(user) -> None:
    """Refuse ``user`` (``RegroupRefused``) unless they may split and merge groups."""
    if not permissions.may_regroup(user):
        raise RegroupRefused(permissions.REGROUP_REFUSAL)


def split(article_ids: Iterable[int], user) -> Split:
    """Take each story out of its group: alone, and kept alone whatever copies arrive."""
    check(user)
    with transaction.atomic():
        stories = _locked(Q(pk__in=list(article_ids)))
        groups = {story.story_group_id for story in stories} - {None}
        sizes = _sizes(groups)
        changes, split_out, kept_alone = [], [], []
        for story in stories:
            if story.story_group_id is None and story.is_grouped_by_editor:
                continue
            had_copies = sizes.get(story.story_group_id, 0) > 1
            (split_out if had_copies else kept_alone).append(story.pk)
            story.story_group_id = None
            story.is_grouped_by_editor = True
            changes.append((story, SPLIT_LINE if had_copies else KEPT_ALONE_LINE))
        transitions.save(changes, FIELDS, user)
        # The copies left behind list one story fewer on their pages.
        transitions.announce(_members(groups))
    return Split(split_out, kept_alone)


def merge(article_ids: Iterable[int], user) -> Merge:
    """Put the stories, and every copy grouped with them, in one group: the earliest one.

    Stories alone join it too; when none of them has a group, a new one is
    made. Every story in the group is then kept together whatever arrives.
    Fewer than two stories, or stories already in one group, change nothing.
    """
    check(user)
    with transaction.atomic():
        selected = _locked(Q(pk__in=list(article_ids)))
        groups = sorted({story.story_group_id for story in selected} - {None})
        alone = [story for story in selected if story.story_group_id is None]
        if len(selected) < 2 or (len(groups) == 1 and not alone):
            return Merge(groups[0] if groups else None, [], _size(groups))
        # Group ids grow with time: the smallest is the earliest made.
        kept = groups[0] if groups else StoryGroup.objects.create().pk
        stories = _locked(Q(pk__in=[story.pk for story in selected]) | Q(story_group__in=groups))
        changes, moved = [], []
        for story in stories:
            if story.story_group_id != kept:
                moved.append(story.pk)
            elif story.is_grouped_by_editor:
                continue
            story.story_group_id = kept
            story.is_grouped_by_editor = True
            changes.append((story, MERGE_LINE))
        transitions.save(changes, FIELDS, user)
        members = _members([kept])
        # Every copy's page lists the others: those not moved changed too.
        recorded = {story.pk for story, _ in changes}
        transitions.announce(pk for pk in members if pk not in recorded)
    return Merge(kept, moved, len(members))


def _locked(condition: Q) -> list[Article]:
    """The stories matching ``condition``, whole, locked until the commit (in id order)."""
    return list(Article.objects.select_for_update().filter(condition).order_by("pk"))


def _sizes(groups: Iterable[int]) -> dict[int, int]:
    rows = (
        Article.objects.filter(story_group__in=list(groups))
        .order_by()
        .values_list("story_group")
        .annotate(count=Count("pk"))
    )
    return dict(rows)


def _size(groups: list[int]) -> int:
    return sum(_sizes(groups).values())


def _members(groups: Iterable[int]) -> list[int]:
    ids = list(groups)
    if not ids:
        return []
    return list(Article.objects.filter(story_group__in=ids).values_list("pk", flat=True))
