"""Boilerplate counted by passage in the database (articles.story_groups through the loader)."""

import pytest

from articles import grouping
from articles.grouping import fingerprint
from articles.models import BoilerplatePassage
from articles.tests.grouping_support import (
    DISPATCH,
    LONG_TRAILER,
    SAME_TOPIC,
    SHORT_WITH_LONG_TRAILER,
    TRAILER,
    group_of,
    import_stories,
    wire_story,
)

pytestmark = pytest.mark.django_db

SHORT_A, SHORT_B = SHORT_WITH_LONG_TRAILER


def trailer_keys() -> frozenset[int]:
    """The keys of the chunks of the outlet's stock paragraph, wherever it stands.

    Those the stories ending with it share whatever comes before: the chunks
    within it (the first runs into the paragraph before).
    """
    return fingerprint([DISPATCH[0], LONG_TRAILER]).passage_keys & fingerprint(SHORT_A).passage_keys


def seen_in(groups: int) -> None:
    """Record the stock paragraph as seen in ``groups`` groups."""
    BoilerplatePassage.objects.bulk_create(
        BoilerplatePassage(passage=_signed(key), groups=groups) for key in trailer_keys()
    )


def _signed(key: int) -> int:
    """A passage key (unsigned 32-bit) as the integer column holds it."""
    return key - 2**32 if key >= 2**31 else key


def test_a_trailer_seen_in_many_groups_no_longer_makes_two_short_stories_copies():
    # The first short story's group is the trailer's twelfth.
    seen_in(grouping.COMMON_GROUPS - 1)
    import_stories(wire_story("a", SHORT_A))
    import_stories(wire_story("b", SHORT_B))
    assert group_of("a") != group_of("b")


def test_a_trailer_seen_in_fewer_groups_still_counts():
    # The first short story's group is the trailer's eleventh.
    seen_in(grouping.COMMON_GROUPS - 2)
    import_stories(wire_story("a", SHORT_A))
    import_stories(wire_story("b", SHORT_B))
    assert group_of("a") == group_of("b")


def test_counts_made_in_a_batch_count_for_its_later_stories():
    # Ten groups stored; the batch's first two stories start the eleventh and twelfth.
    seen_in(grouping.COMMON_GROUPS - 2)
    import_stories(
        wire_story(
            "eleventh", [*SAME_TOPIC, LONG_TRAILER], published_at="2026-11-20T09:00:00+03:00"
        ),
        wire_story("a", SHORT_A),
        wire_story("b", SHORT_B),
    )
    assert len({group_of("eleventh"), group_of("a"), group_of("b")}) == 3


def test_a_new_group_counts_each_of_its_passages_once():
    story = [*DISPATCH, LONG_TRAILER, LONG_TRAILER]
    import_stories(wire_story("afp", story))
    stored = dict(BoilerplatePassage.objects.values_list("passage", "groups"))
    # The trailer's inner chunks are there twice.
    assert len(fingerprint(story).passage_keys) < len(fingerprint(story).passages)
    keys = {_signed(key) for key in fingerprint(story).passage_keys}
    assert (set(stored), set(stored.values())) == (keys, {1})


def test_a_copy_adds_no_count():
    import_stories(wire_story("afp", DISPATCH))
    import_stories(wire_story("outlet", [*DISPATCH[:4], TRAILER]))
    assert group_of("outlet") == group_of("afp")
    assert set(BoilerplatePassage.objects.values_list("groups", flat=True)) == {1}
    assert BoilerplatePassage.objects.count() == len(fingerprint(DISPATCH).passage_keys)
