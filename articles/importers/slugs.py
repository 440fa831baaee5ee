"""Addresses for what an import creates: unique slugs for new stories, sources by name.

Slugs keep Arabic letters (``models.unicode_slug``); one already taken gets
the next free ``-2``, ``-3`` ... suffix, cut so the whole fits the column.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Iterable
from functools import reduce

from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from articles.bulk_rows import insert_rows
from articles.models import SLUG_MAX_LENGTH, Article, Source, unicode_slug

_SOURCE_SLUG_MAX_LENGTH = Source._meta.get_field("slug").max_length


def unique_article_slugs(bases: list[str], busy: Iterable[str] = ()) -> list[str]:
    """One slug per base, free in the database and among themselves, in order.

    ``busy``: slugs to pass over as if taken (another import is writing them).
    """
    taken = set(Article.objects.filter(slug__in=set(bases)).values_list("slug", flat=True))
    taken.update(busy)
    repeated = Counter(bases)
    crowded = {base for base in bases if base in taken or repeated[base] > 1}
    if crowded:
        # Suffixed slugs of a long base are cut short, so look them up by a
        # shorter prefix; every prefix in one query (a batch of outlets' copies
        # with one headline asked one query a story).
        prefixes = {base[: SLUG_MAX_LENGTH - 12] for base in crowded}
        suffixed = reduce(operator.or_, (Q(slug__startswith=prefix) for prefix in prefixes))
        taken.update(Article.objects.filter(suffixed).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, counter = base, 2
        while slug in taken:
            suffix = f"-{counter}"
            slug = base[: SLUG_MAX_LENGTH - len(suffix)] + suffix
            counter += 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


# Times the new stories of a batch are given free slugs (insert_with_free_slugs).
_SLUG_TRIES = 5


def insert_with_free_slugs(
    fields: list[str], rows: list[tuple], bases: list[str]
) -> tuple[list[int], list[str]]:
    """Insert new stories' rows, each with a free slug made from its base; ids and slugs in order.

    ``fields``: the rows' Article fields, "slug" among them (its value in
    ``rows`` is replaced). A slug free when chosen may be taken by another
    import writing at the same moment (outlets' copies of one story share a
    headline, and arrive together): each import marks the slugs it is
    about to write (``_being_written_elsewhere``), and passes over those
    another has marked rather than wait for it to commit. A slug taken
    anyway (by a writer that marks nothing, the admin) is left out by the
    insert, which then waits for that writer to commit, and given a free
    slug again. Rows go in slug order, so two imports waiting for
    each other's slugs wait in one order, not in a circle; their ids, taken
    beforehand, follow ``rows``, so stories are numbered in the order they came.
    """
    at = fields.index("slug")
    ids = _new_article_ids(len(rows))
    slugs = [""] * len(rows)
    inserted: set[int] = set()
    left = list(range(len(rows)))
    busy: set[str] = set()
    for _ in range(_SLUG_TRIES):
        choosing, kept = left, set()
        for _ in range(_SLUG_TRIES):
            chosen = unique_article_slugs([bases[i] for i in choosing], busy | kept)
            for index, slug in zip(choosing, chosen, strict=True):
                slugs[index] = slug
            written_elsewhere = _being_written_elsewhere(chosen)
            if not written_elsewhere:
                break
            # Chosen again: the slugs another import is writing, and only those.
            busy |= written_elsewhere
            choosing = [index for index in left if slugs[index] in busy]
            kept = {slugs[index] for index in left} - busy
        batch = sorted(
            ((*rows[i][:at], slugs[i], *rows[i][at + 1 :], ids[i]) for i in left),
            key=lambda row: row[at],
        )
        inserted.update(
            insert_rows(Article, [*fields, "id"], batch, returning=True, skip_taken="slug")
        )
        left = [index for index in left if ids[index] not in inserted]
        if not left:
            return ids, slugs
    raise IntegrityError("no free slug for a new story after several tries")


# The first key of the two-key advisory locks that mark the slugs an import
# is writing, so they never meet another use of advisory locks.
SLUG_LOCK_NAMESPACE = 1_801_000_019


def _being_written_elsewhere(slugs: list[str]) -> set[str]:
    """Mark ``slugs`` as this transaction's to write; return those another has marked.

    A transaction advisory lock a slug (its 32-bit hash under
    ``SLUG_LOCK_NAMESPACE``), tried, never waited for, and held until the
    commit. Without it, an import writing a slug another import had just
    written waited for that import's whole transaction (ON CONFLICT must
    know whether it commits): a tenth of the database's time in
    bench/ingest_bench.py. Two slugs of one hash are rare; the cost is a
    suffix the story did not need.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT slug FROM unnest(%s::text[]) AS slug "
            "WHERE NOT pg_try_advisory_xact_lock(%s, hashtext(slug))",
            [slugs, SLUG_LOCK_NAMESPACE],
        )
        return {row[0] for row in cursor.fetchall()}


def _new_article_ids(count: int) -> list[int]:
    """``count`` ids from the stories' sequence, in increasing order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Article._meta.db_table, count],
        )
        return sorted(row[0] for row in cursor.fetchall())


# Tries at making a source another import is making at the same moment.
_SOURCE_TRIES = 3


def source_named(name: str) -> Source:
    """The source called ``name``, made with a free slug if there is none yet.

    Two imports at once (two ingest workers) may both find no such source and
    both make it: the second's insert waits for the first to commit, then
    fails on the unique name. It takes the first's row then, in a savepoint,
    so its own batch goes on: the failure used to send a whole batch back to
    be saved story by story. A slug taken meanwhile by another name is chosen again.
    """
    for _ in range(_SOURCE_TRIES - 1):
        try:
            return _found_or_made(name)
        except IntegrityError:
            continue  # Made, or its slug taken, by another import meanwhile.
    return _found_or_made(name)


def sources_named(names: Iterable[str]) -> dict[str, Source]:
    """The sources called ``names``, by name: those there are in one query, the rest made.

    The rest are made in name order: two imports making the same ones in
    different orders would each wait for the other's, a deadlock PostgreSQL
    ends by failing one of them.
    """
    names = set(names)
    found = {source.name: source for source in Source.objects.filter(name__in=names)}
    for name in sorted(names - found.keys()):
        found[name] = source_named(name)
    return found


def _found_or_made(name: str) -> Source:
    source = Source.objects.filter(name=name).first()
    if source is not None:
        return source
    with transaction.atomic():
        return Source.objects.create(name=name, slug=_free_source_slug(name))


def _free_source_slug(name: str) -> str:
    base = unicode_slug(name, max_length=_SOURCE_SLUG_MAX_LENGTH) or "مصدر"
    stem = base[: _SOURCE_SLUG_MAX_LENGTH - 10]
    taken = set(Source.objects.filter(slug__startswith=stem).values_list("slug", flat=True))
    slug, counter = base, 2
    while slug in taken:
        slug = f"{stem}-{counter}"
        counter += 1
    return slug
