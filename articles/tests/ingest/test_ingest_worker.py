"""manage.py ingest as it runs on a server: a real worker process, real folders, signals.

Each test starts ``manage.py ingest`` on the test database (committed rows:
transactional tests) and drops files into a folder source. A poll claims the
files in chunks of a hundred and queues a job per chunk, so two workers share
one folder; SIGTERM mid-import must end the worker with status 0 within
seconds, the chunk in hand imported and moved, the rest left claimed for
another worker; SIGKILL mid-import, then a new worker, must lose nothing and
double nothing (the guid rules, and the files moved only after their import).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from procrastinate.contrib.django.models import ProcrastinateJob

from articles.import_jobs import ImportJob
from articles.ingest.sources import IngestSource
from articles.models import Article, ImportRecord, SearchLexeme
from articles.story_groups import GROUPING_LOCK
from articles.tests.admin_support import EDITORS, newsroom_user
from articles.tests.ingest.http_support import slow
from newsportal.database_urls import database_url

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db(transaction=True)


def worker_env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "DATABASE_REPLICA_URLS": "",
        "ENV_FILE": "",
        "SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_SETTINGS_MODULE": "newsportal.settings",
        # A killed worker is taken for dead after 3 s (it beats every second).
        "INGEST_STALLED_WORKER_SECONDS": "3",
        # The feeds of local_server are on loopback.
        "INGEST_ALLOW_PRIVATE_ADDRESSES": "1",
    }


class Worker:
    """One ``manage.py ingest`` process, its output in a file."""

    def __init__(self, log: Path, *args: str):
        self.log = log
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "ingest", *args],
                cwd=ROOT, env=worker_env(), stdout=output, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def stop(self, number: int, timeout: float = 10.0) -> tuple[int, float]:
        """Send signal ``number``; return the exit status and the seconds it took to exit."""
        started = time.monotonic()
        self.process.send_signal(number)
        code = self.process.wait(timeout=timeout)
        return code, time.monotonic() - started

    def kill_if_running(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def workers(tmp_path):
    started: list[Worker] = []

    def start(*args: str) -> Worker:
        worker = Worker(tmp_path / f"worker-{len(started)}.log", *args)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill_if_running()
    with connection.cursor() as cursor:
        # Not Django's tables: the test's flush leaves them.
        cursor.execute(
            "TRUNCATE procrastinate_jobs, procrastinate_events, "
            "procrastinate_periodic_defers, procrastinate_workers CASCADE"
        )


@pytest.fixture
def drop_folder(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    IngestSource.objects.create(
        name="مجلد الاختبار", location=str(folder), poll_interval_seconds=1,
        is_published_on_arrival=True,
    )  # fmt: skip
    return folder


def drop_stories(folder: Path, count: int, prefix: str) -> None:
    """``count`` files of one Arabic story each, guids ``prefix:N``."""
    for number in range(count):
        story = {
            "guid": f"{prefix}:{number}",
            "headline": f"افتتاح مكتبة عامة جديدة رقم {number}",
            "source": "وكالة الاختبار",
            "published_at": "2026-11-20T10:00:00+03:00",
            "paragraphs": ["افتتحت البلدية اليوم مكتبة عامة جديدة تضم آلاف الكتب."],
        }
        (folder / f"{prefix}-{number}.jsonl").write_text(json.dumps(story, ensure_ascii=False))


def wait_for(condition, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} within {timeout:.0f} s; worker said:\n{log.read_text()}")


def done_files(folder: Path) -> int:
    return sum(1 for path in (folder / ".done").rglob("*.jsonl"))


def waiting_files(folder: Path) -> int:
    """Files not imported yet: in the folder, or claimed by a chunk."""
    return sum(1 for path in folder.glob("*.jsonl")) + sum(
        1 for path in (folder / ".claimed").rglob("*.jsonl")
    )


def importing() -> bool:
    """Whether a worker is importing a chunk right now, none of its files moved yet."""
    running = ProcrastinateJob.objects.filter(
        task_name="articles.ingest.jobs.import_files_job", status="doing"
    ).values_list("args", flat=True)
    for args in running:
        args = json.loads(args) if isinstance(args, str) else args
        if len(list(Path(args["chunk_dir"]).glob("*.jsonl"))) == 100:
            return True
    return False


@contextmanager
def grouping_held():
    """Hold grouping's advisory lock in the test's session, as a long import would."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [GROUPING_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [GROUPING_LOCK])


def waiting_for_grouping() -> bool:
    """Whether another session waits for grouping's lock (a bigint key's low half is objid)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT FROM pg_locks WHERE locktype = 'advisory'"
            " AND NOT granted AND classid = 0 AND objid = %s AND objsubid = 1)",
            [GROUPING_LOCK],
        )
        return cursor.fetchone()[0]


def chunks_imported(worker: Worker) -> int:
    """How many chunks the worker imported, as its log says."""
    return worker.log.read_text().count("files done")


def assert_each_story_once(prefix: str, count: int) -> None:
    guids = list(Article.objects.filter(guid__startswith=prefix).values_list("guid", flat=True))
    assert sorted(guids) == sorted(f"{prefix}:{number}" for number in range(count))
    created = ImportRecord.objects.filter(guid__startswith=prefix, action="created")
    assert created.count() == count


def test_a_dropped_file_is_on_the_site_within_seconds_and_sigterm_exits_0(drop_folder, workers):
    worker = workers()
    drop_stories(drop_folder, 3, "worker-basic")
    wait_for(
        lambda: Article.objects.published().filter(guid__startswith="worker-basic").count() == 3,
        20, "three stories published", worker.log,
    )  # fmt: skip
    # The files move once their run is over, a moment after its commit.
    wait_for(lambda: done_files(drop_folder) == 3, 5, "three files moved", worker.log)
    # Their words, counted in the search lexicon by the worker's periodic job.
    wait_for(
        lambda: SearchLexeme.objects.filter(lexeme="", stories=3).exists(),
        10, "the three stories counted in the lexicon", worker.log,
    )  # fmt: skip
    code, seconds = worker.stop(signal.SIGTERM)
    assert code == 0
    assert seconds < 10
    assert "توقف العامل" in worker.log.read_text()


def test_sigterm_mid_import_finishes_the_chunk_in_hand_and_leaves_the_rest(drop_folder, workers):
    count = 500  # Five chunks; a worker running one job at a time is mid-way.
    drop_stories(drop_folder, count, "worker-term")
    time.sleep(2.1)  # Settled: one poll claims them all.
    worker = workers("--import-concurrency", "1")
    wait_for(lambda: done_files(drop_folder) >= 5, 60, "five files imported", worker.log)
    code, seconds = worker.stop(signal.SIGTERM)
    assert (code, seconds < 10) == (0, True), worker.log.read_text()
    imported, left = done_files(drop_folder), waiting_files(drop_folder)
    assert left > 0, "the import was over before the signal: nothing shows it stopped mid-way"
    assert imported + left == count
    assert Article.objects.filter(guid__startswith="worker-term").count() == imported
    # The chunks left are queued: the next worker takes them; nothing twice.
    restarted = workers()
    wait_for(lambda: done_files(drop_folder) == count, 90, "every file imported", restarted.log)
    assert_each_story_once("worker-term", count)
    assert restarted.stop(signal.SIGTERM)[0] == 0


def test_sigkill_mid_import_then_a_new_worker_loses_nothing_and_doubles_nothing(
    drop_folder, workers
):
    count = 500
    drop_stories(drop_folder, count, "worker-kill")
    time.sleep(2.1)
    worker = workers("--import-concurrency", "1")
    wait_for(lambda: done_files(drop_folder) >= 5, 60, "five files imported", worker.log)
    # A chunk takes a fraction of a second: polling for one in progress would
    # race it. Holding grouping's lock stops the next chunk inside its
    # transaction, its files not moved yet; the kill lands there every time.
    with grouping_held():
        wait_for(
            lambda: waiting_for_grouping() and importing(),
            30, "a chunk stopped at grouping's lock", worker.log,
        )  # fmt: skip
        code, _ = worker.stop(signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert waiting_files(drop_folder) > 0
    # Its chunk job is left "doing"; the new worker's recover_stalled_jobs runs
    # it again once the dead one has missed its heartbeats.
    restarted = workers()
    wait_for(lambda: done_files(drop_folder) == count, 90, "every file imported", restarted.log)
    wait_for(
        lambda: Article.objects.filter(guid__startswith="worker-kill").count() == count,
        10, "every story stored", restarted.log,
    )  # fmt: skip
    assert_each_story_once("worker-kill", count)
    assert not list((drop_folder / ".claimed").rglob("*.jsonl"))
    # The dead worker's chunk job was run again (its files, imported or not, are in .done).
    wait_for(
        lambda: "Took up job articles.ingest.jobs.import_files_job" in restarted.log.read_text(),
        30, "the dead worker's chunk job taken up", restarted.log,
    )  # fmt: skip
    assert restarted.stop(signal.SIGTERM)[0] == 0


def test_two_workers_share_one_folders_chunks(drop_folder, workers):
    count = 800
    drop_stories(drop_folder, count, "worker-pair")
    time.sleep(2.1)
    first, second = workers("--import-concurrency", "1"), workers("--import-concurrency", "1")
    wait_for(lambda: done_files(drop_folder) == count, 120, "every file imported", first.log)
    assert_each_story_once("worker-pair", count)
    shares = (chunks_imported(first), chunks_imported(second))
    assert sum(shares) >= count // 100 and min(shares) >= 1, shares
    assert [worker.stop(signal.SIGTERM)[0] for worker in (first, second)] == [0, 0]


def upload_story(tmp_path: Path, guid: str) -> tuple[User, Client, str]:
    """Upload one story on the Import page as an editor; return them, their client, its page."""
    editor = newsroom_user(f"editor-{guid}", EDITORS)
    client = Client()
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    line = {"guid": guid, "headline": "خبر مرفوع من لوحة الإدارة", "paragraphs": ["نص."]}
    upload = tmp_path / "upload.jsonl"
    upload.write_text(json.dumps(line, ensure_ascii=False))
    with upload.open("rb") as file:
        response = client.post("/admin/articles/article/import/", {"files": [file]})
    assert response.status_code == 302
    return editor, client, response["Location"]


def test_an_upload_on_the_import_page_is_imported_by_the_worker(workers, tmp_path):
    editor, client, job_page = upload_story(tmp_path, "worker-upload:1")
    worker = workers("--queue", "imports")
    job = ImportJob.objects.get()
    wait_for(
        lambda: ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE,
        20, "the upload imported", worker.log,
    )  # fmt: skip
    assert Article.objects.get().import_records.get().imported_by == editor
    assert "أُنشئ: <strong>1</strong>" in client.get(job_page).content.decode()


def test_imports_go_on_while_a_slow_poll_holds_every_poll_slot_and_sigterm_ends_it(
    workers, tmp_path, local_server
):
    url = local_server.serve("/slow.xml", slow(local_server, 60))
    feed = IngestSource.objects.create(
        name="خلاصة بطيئة", kind=IngestSource.Kind.URL, location=url, poll_interval_seconds=1
    )
    worker = workers("--concurrency", "1")
    wait_for(lambda: local_server.requests_to("/slow.xml"), 20, "the feed asked", worker.log)
    upload_story(tmp_path, "worker-lanes:1")
    wait_for(
        lambda: ImportJob.objects.get().status == ImportJob.Status.DONE,
        10, "the upload imported beside the poll", worker.log,
    )  # fmt: skip
    # The poll is still waiting for its answer: the upload did not wait for it.
    assert local_server.requests_to("/slow.xml") and not local_server.released.is_set()
    assert Article.objects.filter(guid="worker-lanes:1").exists()
    # The answer still awaited is given up: the worker is out in seconds, not
    # after the fetch's timeout, and the feed is not taken for failing.
    code, seconds = worker.stop(signal.SIGTERM, timeout=30)
    assert (code, seconds < 5) == (0, True), worker.log.read_text()
    feed.refresh_from_db()
    assert feed.last_error == "" and feed.last_success_at is None
    assert feed.last_polled_at is not None
