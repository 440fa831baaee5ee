"""Tests for articles.group_decisions: an editor splits a story out, merges groups; imports obey."""

import pytest
from django.contrib.admin.models import LogEntry
from reversion.models import Version

from articles import group_decisions
from articles.group_decisions import MERGE_LINE, SPLIT_LINE, RegroupRefused
from articles.models import Article, StoryGroup
from articles.tests.grouping_support import (
    DISPATCH,
    SAME_TOPIC,
    TRAILER,
    group_of,
    ids,
    import_stories,
    stored,
    wire_story,
)
from articles.transitions import story_changed

pytestmark = pytest.mark.django_db

# A copy of each dispatch as another outlet prints it: cut, with its trailer.
OUTLET_COPY = [*DISPATCH[:4], TRAILER]
OTHER_COPY = [*SAME_TOPIC[:3], TRAILER]


@pytest.fixture
def copies():
    """AFP's dispatch and two outlets' copies of it, grouped on import."""
    import_stories(
        wire_story("afp", DISPATCH),
        wire_story("outlet", OUTLET_COPY),
        wire_story("site", ["أ ف ب - الأمة برس", *DISPATCH[:3]]),
    )
    assert group_of("afp") == group_of("outlet") == group_of("site") is not None


@pytest.fixture
def two_dispatches():
    """Two different dispatches of one day, each in a group of its own."""
    import_stories(wire_story("afp", DISPATCH), wire_story("other", SAME_TOPIC))
    assert group_of("afp") != group_of("other")


class Recorder:
    def __init__(self):
        self.ids = []

    def __call__(self, article_ids, **kwargs):
        self.ids.extend(article_ids)


@pytest.fixture
def announced():
    """The story ids ``story_changed`` announces during the test."""
    recorder = Recorder()
    story_changed.connect(recorder, dispatch_uid="test-group-decisions")
    yield recorder.ids
    story_changed.disconnect(dispatch_uid="test-group-decisions")


# Split -----------------------------------------------------------------------


def test_split_leaves_the_story_alone_and_decided(copies, editor):
    group_decisions.split(ids("outlet"), editor)
    outlet = stored("outlet")
    assert (outlet.story_group_id, outlet.is_grouped_by_editor) == (None, True)


def test_split_keeps_the_other_copies_together(copies, editor):
    before = group_of("afp")
    group_decisions.split(ids("outlet"), editor)
    assert group_of("afp") == group_of("site") == before


def test_split_tells_which_stories_had_copies(copies, editor):
    import_stories(wire_story("brief", ["عاجل: انفجار في ميناء المدينة"]))
    done = group_decisions.split(ids("outlet", "brief"), editor)
    assert (done.split_out, done.kept_alone) == (ids("outlet"), ids("brief"))


def test_a_split_story_stays_alone_when_another_copy_arrives(copies, editor):
    group_decisions.split(ids("outlet"), editor)
    import_stories(wire_story("late", [*DISPATCH[:4], "(أ ف ب)"]))
    assert group_of("outlet") is None
    assert group_of("late") == group_of("afp")


def test_a_split_story_stays_alone_when_its_new_version_arrives(copies, editor):
    group_decisions.split(ids("outlet"), editor)
    import_stories(wire_story("outlet", [*OUTLET_COPY, "فقرة أضافها المنفذ في تحديثه."], version=2))
    assert stored("outlet").version == 2
    assert group_of("outlet") is None


def test_a_copy_only_of_a_split_story_is_not_joined_to_it(editor):
    import_stories(wire_story("afp", DISPATCH))
    group_decisions.split(ids("afp"), editor)
    import_stories(wire_story("outlet", OUTLET_COPY))
    assert group_of("afp") is None
    assert group_of("outlet") is not None


# Merge -----------------------------------------------------------------------


def test_merge_puts_both_groups_in_the_earliest(two_dispatches, editor):
    earliest = min(group_of("afp"), group_of("other"))
    done = group_decisions.merge(ids("afp", "other"), editor)
    assert group_of("afp") == group_of("other") == done.group == earliest
    assert done.size == 2


def test_merge_brings_every_copy_of_the_groups(two_dispatches, editor):
    import_stories(wire_story("outlet", OUTLET_COPY), wire_story("other-copy", OTHER_COPY))
    group_decisions.merge(ids("outlet", "other-copy"), editor)
    assert len({group_of(g) for g in ("afp", "outlet", "other", "other-copy")}) == 1
    assert Article.objects.filter(is_grouped_by_editor=True).count() == 4


def test_merge_takes_in_a_story_alone(copies, editor):
    import_stories(wire_story("other", SAME_TOPIC))
    group_decisions.split(ids("other"), editor)
    group_decisions.merge(ids("afp", "other"), editor)
    assert group_of("other") == group_of("afp")


def test_merging_stories_in_no_group_makes_one(editor, make_article):
    first, second = make_article(), make_article()
    done = group_decisions.merge([first.pk, second.pk], editor)
    assert StoryGroup.objects.filter(pk=done.group).exists()
    assert {group_of(first.guid), group_of(second.guid)} == {done.group}


def test_a_merged_group_stays_merged_when_more_copies_arrive(two_dispatches, editor):
    group_decisions.merge(ids("afp", "other"), editor)
    import_stories(
        wire_story("other", [*SAME_TOPIC, TRAILER], version=2),
        wire_story("outlet", OUTLET_COPY),
        wire_story("other-copy", OTHER_COPY),
    )
    assert len({group_of(g) for g in ("afp", "other", "outlet", "other-copy")}) == 1


def test_a_merged_group_is_not_merged_away_by_a_bridging_copy(editor):
    import_stories(wire_story("head", DISPATCH[:3]), wire_story("other", SAME_TOPIC))
    import_stories(wire_story("tail", DISPATCH[2:]))
    assert group_of("tail") != group_of("head")
    group_decisions.merge(ids("tail", "other"), editor)
    merged = group_of("tail")
    import_stories(wire_story("whole", DISPATCH))
    assert group_of("tail") == group_of("other") == merged


def test_merging_stories_already_together_changes_nothing(copies, editor):
    done = group_decisions.merge(ids("afp", "outlet"), editor)
    assert (done.group, done.moved, done.size) == (group_of("afp"), [], 3)
    assert not Article.objects.filter(is_grouped_by_editor=True).exists()


def test_merging_one_story_changes_nothing(copies, editor):
    assert group_decisions.merge(ids("afp"), editor).moved == []


# Never more than the group ---------------------------------------------------


def test_decisions_never_change_text_status_or_guid(two_dispatches, editor):
    def snapshot():
        return [
            (a.guid, a.headline, a.status, a.version, list(a.paragraphs.values_list("text")))
            for a in Article.objects.order_by("pk")
        ]

    before = snapshot()
    group_decisions.merge(ids("afp", "other"), editor)
    group_decisions.split(ids("other"), editor)
    assert snapshot() == before


def test_a_decision_is_a_revision_and_a_line_of_history(copies, editor):
    group_decisions.split(ids("outlet"), editor)
    outlet = stored("outlet")
    latest = Version.objects.get_for_object(outlet).order_by("-pk").first()
    assert (latest.revision.user, latest.revision.comment) == (editor, SPLIT_LINE)
    assert latest.field_dict["story_group_id"] is None
    entry = LogEntry.objects.get(object_id=str(outlet.pk))
    assert (entry.user, entry.change_message) == (editor, SPLIT_LINE)


def test_a_merge_is_recorded_for_each_story_it_moves(two_dispatches, editor):
    group_decisions.merge(ids("afp", "other"), editor)
    lines = LogEntry.objects.values_list("object_id", "change_message")
    assert sorted(lines) == sorted((str(pk), MERGE_LINE) for pk in ids("afp", "other"))


def test_a_split_announces_the_story_and_the_copies_left_after_the_commit(
    copies, editor, announced, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        group_decisions.split(ids("outlet"), editor)
    assert announced == []
    for callback in callbacks:
        callback()
    assert sorted(announced) == sorted(ids("afp", "outlet", "site"))


def test_a_merge_announces_every_copy_of_the_group(
    two_dispatches, editor, announced, django_capture_on_commit_callbacks
):
    import_stories(wire_story("outlet", OUTLET_COPY))
    with django_capture_on_commit_callbacks(execute=True):
        group_decisions.merge(ids("outlet", "other"), editor)
    assert sorted(announced) == sorted(ids("afp", "outlet", "other"))


# Who may --------------------------------------------------------------------


def test_a_contributor_is_refused_and_nothing_changes(copies, contributor):
    with pytest.raises(RegroupRefused, match="المحررون"):
        group_decisions.split(ids("outlet"), contributor)
    assert group_of("outlet") == group_of("afp")
    assert not LogEntry.objects.exists()


def test_the_operators_tools_may_decide(copies):
    group_decisions.split(ids("outlet"), None)
    assert group_of("outlet") is None
