"""articles.ingest.folders: which files are taken, where they go, nothing twice or lost."""

import errno
import os
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.importers.loader import ImportOptions
from articles.ingest.folders import (
    FILES_PER_RUN,
    SETTLE_SECONDS,
    complete_files,
    is_unfinished_name,
    move_aside,
    poll_folder,
)
from articles.models import Article
from articles.tests.ingest.support import (
    BINARY,
    break_imports_of,
    drop,
    files_under,
    later,
    stories,
)


def done_dir() -> str:
    return f".done/{timezone.localdate().isoformat()}"


@pytest.mark.parametrize(
    "name", ["story.xml.part", "story.TMP", "story.crdownload", ".story.xml", "~$story.txt"]
)
def test_files_still_being_written_or_hidden_are_left(tmp_path, name):
    drop(tmp_path, name, b"x")
    assert list(complete_files(str(tmp_path), later())) == []


def test_a_file_changed_in_the_last_two_seconds_is_left_for_the_next_poll(tmp_path):
    path = drop(tmp_path, "story.txt", b"x")
    changed = os.stat(path).st_ctime
    assert list(complete_files(str(tmp_path), changed + SETTLE_SECONDS - 0.1)) == []
    assert list(complete_files(str(tmp_path), changed + SETTLE_SECONDS + 0.1)) == [str(path)]


def test_an_old_time_set_on_a_new_file_does_not_make_it_complete(tmp_path):
    # cp -p and rsync set an old mtime; the change itself is recent.
    path = drop(tmp_path, "story.txt", b"x")
    os.utime(path, (time.time() - 3600, time.time() - 3600))
    assert list(complete_files(str(tmp_path), time.time())) == []


def test_the_done_and_failed_folders_are_never_taken_again(tmp_path):
    drop(tmp_path, "a.txt", b"x")
    for hidden in (".done/2026-01-01", ".failed"):
        (tmp_path / hidden).mkdir(parents=True)
        drop(tmp_path / hidden, "old.txt", b"x")
    assert list(complete_files(str(tmp_path), later())) == [str(tmp_path / "a.txt")]


def test_an_imported_file_moves_to_the_days_done_folder(db, tmp_path):
    drop(tmp_path, "wire.jsonl", stories("done"))
    polled = poll_folder(str(tmp_path), ImportOptions(), clock=later)
    assert (polled.created, polled.updated, polled.failed, polled.files_done) == (2, 0, 0, 1)
    assert files_under(tmp_path) == [f"{done_dir()}/wire.jsonl"]
    assert Article.objects.filter(guid__startswith="done:").count() == 2


def test_an_unsettled_file_stays_where_it_is(db, tmp_path):
    drop(tmp_path, "wire.jsonl", stories("fresh"))
    polled = poll_folder(str(tmp_path), ImportOptions(), clock=time.time)
    assert polled.files_done == 0
    assert files_under(tmp_path) == ["wire.jsonl"]
    assert not Article.objects.filter(guid__startswith="fresh:").exists()


def test_a_failed_file_moves_to_failed_with_its_reason_in_arabic(db, tmp_path):
    drop(tmp_path, "photo.jpg", BINARY)
    polled = poll_folder(str(tmp_path), ImportOptions(), clock=later)
    assert polled.failed_files == ["photo.jpg"] and polled.failed == 1
    assert files_under(tmp_path) == [".failed/photo.jpg", ".failed/photo.jpg.error.txt"]
    reason = (tmp_path / ".failed/photo.jpg.error.txt").read_text(encoding="utf-8")
    assert "فشل" in reason and "ثنائي" in reason
    assert (tmp_path / ".failed/photo.jpg").read_bytes() == BINARY


def test_a_file_dropped_again_is_not_imported_twice(db, tmp_path):
    drop(tmp_path, "wire.jsonl", stories("again"))
    poll_folder(str(tmp_path), ImportOptions(), clock=later)
    drop(tmp_path, "wire.jsonl", stories("again"))
    polled = poll_folder(str(tmp_path), ImportOptions(), clock=later)
    assert (polled.created, polled.updated, polled.failed) == (0, 0, 0)
    assert Article.objects.filter(guid__startswith="again:").count() == 2
    # Both copies kept, the second beside the first.
    assert files_under(tmp_path) == [f"{done_dir()}/wire-1.jsonl", f"{done_dir()}/wire.jsonl"]


def test_a_name_clash_in_failed_gets_a_suffix_and_overwrites_nothing(db, tmp_path):
    for _ in range(2):
        drop(tmp_path, "photo.jpg", BINARY)
        poll_folder(str(tmp_path), ImportOptions(), clock=later)
    assert files_under(tmp_path) == [
        ".failed/photo-1.jpg",
        ".failed/photo-1.jpg.error.txt",
        ".failed/photo.jpg",
        ".failed/photo.jpg.error.txt",
    ]


def test_the_credit_and_publish_options_reach_the_importer(db, tmp_path):
    drop(
        tmp_path, "wire.txt", "عاجل: افتتاح محطة جديدة\n\nافتتح الوزير محطة جديدة اليوم.\n".encode()
    )
    poll_folder(str(tmp_path), ImportOptions(source="وكالة المجلد", publish=True), clock=later)
    article = Article.objects.get()
    assert article.source.name == "وكالة المجلد"
    assert article.status == Article.Status.PUBLISHED


_NAME = st.text(st.sampled_from("abcخبرعاجل .-_~$0123456789"), min_size=1, max_size=30).filter(
    lambda name: name not in (".", "..")
)


@settings(max_examples=60, deadline=None)
@given(name=_NAME, copies=st.integers(1, 3))
def test_any_name_is_taken_by_the_rules_and_moved_without_overwriting(name, copies):
    with tempfile.TemporaryDirectory() as folder:
        for copy in range(copies):
            Path(folder, name).write_bytes(str(copy).encode())
            taken = list(complete_files(folder, later()))
            skipped = is_unfinished_name(name) or name.startswith("~$")
            assert taken == ([] if skipped else [os.path.join(folder, name)])
            move_aside(os.path.join(folder, name), Path(folder, ".done"))
        kept = sorted(path.read_bytes() for path in Path(folder, ".done").iterdir())
        assert kept == [str(copy).encode() for copy in range(copies)]


def test_a_file_whose_import_breaks_stays_claimed_for_a_retry(db, tmp_path, monkeypatch):
    drop(tmp_path, "a.jsonl", stories("before"))
    drop(tmp_path, "b.jsonl", stories("broken"))
    break_imports_of(monkeypatch, "b.jsonl")
    polled = poll_folder(str(tmp_path), ImportOptions(), clock=later)
    assert polled.created == 2 and "b.jsonl" in polled.error and "انقطع الاتصال" in polled.error
    assert files_under(tmp_path) == [".claimed/b.jsonl", f"{done_dir()}/a.jsonl"]


def test_many_files_go_to_the_importer_in_runs_each_moved_by_its_own_outcome(db, tmp_path):
    # More files than one run takes; one refused file among them, one zip.
    for number in range(FILES_PER_RUN + 20):
        drop(tmp_path, f"wire-{number:03}.jsonl", stories(f"run{number}", count=1))
    drop(tmp_path, "wire-050.jpg", BINARY)
    with zipfile.ZipFile(tmp_path / "wire-060.zip", "w") as archive:
        archive.writestr("inside.jsonl", stories("zipped", count=2))
    polled = poll_folder(str(tmp_path), ImportOptions(), clock=later)
    assert (polled.created, polled.failed) == (FILES_PER_RUN + 22, 1)
    assert polled.files_done == FILES_PER_RUN + 21 and polled.failed_files == ["wire-050.jpg"]
    done = [name for name in files_under(tmp_path) if name.startswith(".done/")]
    assert len(done) == FILES_PER_RUN + 21 and f"{done_dir()}/wire-060.zip" in done
    assert ".failed/wire-050.jpg.error.txt" in files_under(tmp_path)


def test_a_file_that_breaks_a_run_is_isolated_and_the_files_before_it_go_on(
    db, tmp_path, monkeypatch
):
    for name in ("a.jsonl", "b.jsonl", "c.jsonl"):
        drop(tmp_path, name, stories(name[0]))
    break_imports_of(monkeypatch, "b.jsonl")
    polled = poll_folder(str(tmp_path), ImportOptions(), clock=later)
    assert polled.created == 2 and "b.jsonl" in polled.error
    # The run of three failed, so each was taken alone: a went, b stays, c waits.
    assert files_under(tmp_path) == [
        ".claimed/b.jsonl",
        ".claimed/c.jsonl",
        f"{done_dir()}/a.jsonl",
    ]


def test_a_file_is_moved_aside_where_hard_links_are_refused(tmp_path, monkeypatch):
    # Some network file systems refuse links: the name is reserved by creating it instead.
    def refuse(*args):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", refuse)
    taken = tmp_path / ".done" / "wire.jsonl"
    taken.parent.mkdir()
    taken.write_bytes(b"before")
    for content in (b"first", b"second"):
        Path(tmp_path, "wire.jsonl").write_bytes(content)
        move_aside(str(tmp_path / "wire.jsonl"), tmp_path / ".done")
    kept = {path.name: path.read_bytes() for path in (tmp_path / ".done").iterdir()}
    assert kept == {"wire.jsonl": b"before", "wire-1.jsonl": b"first", "wire-2.jsonl": b"second"}
    assert not (tmp_path / "wire.jsonl").exists()


def test_a_file_moved_aside_leaves_only_its_new_name(tmp_path):
    Path(tmp_path, "wire.jsonl").write_bytes(b"story")
    moved = move_aside(str(tmp_path / "wire.jsonl"), tmp_path / ".done")
    assert moved == tmp_path / ".done" / "wire.jsonl" and moved.read_bytes() == b"story"
    assert moved.stat().st_nlink == 1 and not (tmp_path / "wire.jsonl").exists()
