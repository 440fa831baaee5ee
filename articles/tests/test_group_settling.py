"""Two imports at once: each groups without waiting, then settles what it missed as it commits."""

import threading

import pytest
from django.db import connection

from articles import group_log, group_settling
from articles.importers import loader
from articles.models import Article, GroupingLog, Source
from articles.story_groups import GROUPING_LOCK
from articles.tests.grouping_support import DISPATCH, SAME_TOPIC, TRAILER
from articles.tests.importers.test_loader_grouping import group_of, run, story

pytestmark = pytest.mark.django_db(transaction=True)


class Interleaved:
    """Import A groups and writes, then waits before settling until import B has committed.

    B runs whole (grouping, writing, settling, committing) in between: what a
    second worker does while the first is writing its batch.
    """

    def __init__(self, monkeypatch, a_waits_for=None):
        self.a_written = threading.Event()
        self.b_committed = threading.Event()
        self.errors: list[BaseException] = []
        settle = group_settling.settle

        def settle_after_b(pending):
            if threading.current_thread().name == "A":
                self.a_written.set()
                (a_waits_for or (lambda: self.b_committed.wait(20)))()
            return settle(pending)

        monkeypatch.setattr(loader, "settle", settle_after_b)
        # Sources of their own, already stored: making one in both imports
        # would make the second wait for the first at that row.
        for name in ("فرانس برس", "الأمة برس"):
            Source.objects.get_or_create(name=name)

    def run(self, a_stories: list[dict], b_stories: list[dict]) -> None:
        def a():
            run(*a_stories)

        def b():
            self.a_written.wait(20)
            try:
                run(*b_stories)
            finally:
                self.b_committed.set()

        threads = [
            threading.Thread(target=self._reported(work), name=name)
            for name, work in (("A", a), ("B", b))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert self.errors == []

    def _reported(self, work):
        def target():
            try:
                work()
            except BaseException as error:  # reported by run(), not lost in the thread
                self.errors.append(error)
                self.a_written.set()
                self.b_committed.set()
            finally:
                connection.close()

        return target


def test_copies_written_by_two_imports_at_once_end_in_one_group(monkeypatch):
    imports = Interleaved(monkeypatch)
    imports.run(
        [story("afp", DISPATCH)],
        [story("outlet", ["أ ف ب - الأمة برس", *DISPATCH[:4], TRAILER], source="الأمة برس")],
    )
    assert group_of("afp") == group_of("outlet") is not None


def test_stories_on_one_topic_written_at_once_keep_groups_of_their_own(monkeypatch):
    imports = Interleaved(monkeypatch)
    imports.run([story("afp", DISPATCH)], [story("other", SAME_TOPIC)])
    assert group_of("afp") != group_of("other")


def test_a_group_merged_away_meanwhile_takes_the_waiting_import_along(monkeypatch):
    # Two stored groups; B's story bridges them while A, which joined the
    # second, is still writing: A's story ends in the group they merged into.
    run(story("head", DISPATCH[:3]))
    run(story("tail", DISPATCH[2:]))
    assert group_of("head") != group_of("tail")
    imports = Interleaved(monkeypatch)
    imports.run([story("tail-copy", [*DISPATCH[2:], TRAILER])], [story("whole", DISPATCH)])
    groups = {group_of(guid) for guid in ("head", "tail", "whole", "tail-copy")}
    assert groups == {group_of("head")}


def test_the_stories_a_settling_moves_are_announced_once_committed(monkeypatch):
    # Their pages' «نُشر أيضاً في» changed: cached copies must go.
    from articles.transitions import story_changed

    announced = []

    def heard(sender, article_ids, **kwargs):
        announced.extend(article_ids)

    story_changed.connect(heard)
    try:
        run(story("head", DISPATCH[:3]))
        run(story("tail", DISPATCH[2:]))
        announced.clear()
        imports = Interleaved(monkeypatch)
        imports.run([story("tail-copy", [*DISPATCH[2:], TRAILER])], [story("whole", DISPATCH)])
    finally:
        story_changed.disconnect(heard)
    tail = Article.objects.get(guid="tail").pk
    assert tail in announced


def test_a_story_updated_meanwhile_is_compared_with_its_new_text(monkeypatch):
    # B adds the dispatch A is importing a copy of to "other", which stays in
    # its group (with its copy "other-copy"): its text, and so its band keys,
    # changed all the same.
    run(story("other", SAME_TOPIC), story("other-copy", [*SAME_TOPIC, TRAILER]))
    assert group_of("other") == group_of("other-copy")
    imports = Interleaved(monkeypatch)
    imports.run(
        [story("outlet", [*DISPATCH[:4], TRAILER])],
        [story("other", [*SAME_TOPIC, *DISPATCH], version=2)],
    )
    assert group_of("outlet") == group_of("other") == group_of("other-copy")


def test_with_the_log_cleared_meanwhile_the_whole_window_is_compared(monkeypatch):
    monkeypatch.setattr(group_log, "grouped_since", lambda epoch: None)
    imports = Interleaved(monkeypatch)
    imports.run([story("afp", DISPATCH)], [story("outlet", [*DISPATCH[:4], TRAILER])])
    assert group_of("afp") == group_of("outlet") is not None


def test_a_group_an_editor_decided_is_not_merged_by_the_settling(monkeypatch):
    # As test_a_group_merged_away..., but an editor put "tail" in its group:
    # "whole" joins "head" without it, and A's copy of "tail" stays with it.
    run(story("head", DISPATCH[:3]))
    run(story("tail", DISPATCH[2:]))
    Article.objects.filter(guid="tail").update(is_grouped_by_editor=True)
    decided = group_of("tail")
    imports = Interleaved(monkeypatch)
    imports.run([story("tail-copy", [*DISPATCH[2:], TRAILER])], [story("whole", DISPATCH)])
    assert group_of("whole") == group_of("head") != decided
    assert group_of("tail") == group_of("tail-copy") == decided


def test_the_log_names_each_imports_stories_in_commit_order():
    before = group_log.latest_epoch()
    run(story("afp", DISPATCH))
    between = group_log.latest_epoch()
    run(story("outlet", DISPATCH[:4]))
    afp, outlet = (Article.objects.get(guid=guid).pk for guid in ("afp", "outlet"))
    assert group_log.grouped_since(before) == {afp, outlet}
    assert group_log.grouped_since(between) == {outlet}
    assert group_log.grouped_since(group_log.latest_epoch()) == set()


def test_the_oldest_entries_are_cleared_and_an_import_that_began_before_is_told(monkeypatch):
    monkeypatch.setattr(group_log, "KEPT_ENTRIES", 2)
    monkeypatch.setattr(group_log, "PRUNE_EVERY", 1)
    for ids in ([1], [2], [3], [4]):
        group_log.record(ids)
    last = group_log.latest_epoch()
    assert group_log.grouped_since(last - 3) is None
    assert group_log.grouped_since(last - 2) == {3, 4}
    assert GroupingLog.objects.count() == 2


def test_an_import_writes_its_stories_while_another_holds_grouping_lock(tmp_path):
    # Only the settling waits for the lock: the batch is written before it.
    import psycopg

    holder = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    holder.execute("SELECT pg_advisory_lock(%s)", [GROUPING_LOCK])
    done = threading.Event()

    def importing():
        try:
            run(story("afp", DISPATCH))
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=importing)
    thread.start()
    try:
        waiting = None
        for _ in range(200):
            waiting = holder.execute(
                "SELECT a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                " WHERE l.locktype = 'advisory' AND NOT l.granted AND l.objid = %s",
                [GROUPING_LOCK],
            ).fetchone()
            if waiting:
                break
            done.wait(0.05)
        assert waiting is not None, "the import never waited for grouping's lock"
        # By then it has written its story's paragraphs (and everything before them).
        written = holder.execute(
            "SELECT count(*) FROM pg_locks WHERE pid = %s AND mode = 'RowExclusiveLock'"
            " AND relation = 'articles_paragraph'::regclass",
            [waiting[0]],
        ).fetchone()[0]
        assert written == 1
    finally:
        holder.execute("SELECT pg_advisory_unlock(%s)", [GROUPING_LOCK])
        thread.join(30)
        holder.close()
    assert Article.objects.filter(guid="afp").exists()


def test_two_imports_of_one_headline_at_once_get_two_slugs_without_waiting(monkeypatch):
    # A has written its slug and not committed when B writes the same one: B
    # passes over the slug A is writing (articles/importers/slugs.py) and
    # commits while A still waits, its batch whole; it never waits for A.
    started_over = []
    monkeypatch.setattr(
        loader.Importer, "_save_alone", lambda self, item, retry=True: started_over.append(item)
    )

    def b_commits_meanwhile() -> None:
        if not imports.b_committed.wait(20):
            raise AssertionError("B waited for A's slug")

    imports = Interleaved(monkeypatch, a_waits_for=b_commits_meanwhile)
    imports.run(
        [story("afp", DISPATCH, headline="انفجار في الميناء")],
        [story("other", SAME_TOPIC, headline="انفجار في الميناء")],
    )
    assert started_over == []
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    assert slugs == ["انفجار-في-الميناء", "انفجار-في-الميناء-2"]
