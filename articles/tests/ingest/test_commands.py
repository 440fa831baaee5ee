"""manage.py ingest_source and ingest --once: arguments, errors, the lines they print."""

import io

import pytest
from django.core.management import CommandError, call_command

from articles.ingest import folders
from articles.ingest.sources import IngestSource
from articles.models import Article, SearchLexeme
from articles.tests.ingest.http_support import body, read_feed
from articles.tests.ingest.support import BINARY, drop, later, stories

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def ingest_once() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("ingest", "--once", stdout=out, stderr=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture(autouse=True)
def settled_files(monkeypatch):
    """Every file the test wrote has had its two seconds."""
    monkeypatch.setattr(folders, "wall_clock", later)


def test_add_a_folder_source_with_its_options(tmp_path):
    run("ingest_source", "add", "مجلد بترا", "--folder", str(tmp_path), "--format", "nitf",
        "--every", "15", "--publish", "--source", "بترا")  # fmt: skip
    source = IngestSource.objects.get()
    assert (source.kind, source.location, source.format) == ("folder", str(tmp_path), "nitf")
    assert (source.poll_interval_seconds, source.default_credit) == (15, "بترا")
    assert source.is_published_on_arrival and source.is_enabled


def test_add_a_url_source():
    run(
        "ingest_source", "add", "خلاصة", "--url", "https://wire.example/feed.xml", "--format", "rss"
    )
    assert IngestSource.objects.get().kind == IngestSource.Kind.URL


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--folder", "/no/such/folder"], "لا يوجد مجلد"),
        (["--url", "not a url"], "الرابط"),
        (["--url", "https://wire.example/", "--format", "pdf"], "الصيغة «pdf» غير معروفة"),
        (["--folder", "relative/path"], "المسار الكامل"),
    ],
)
def test_add_refuses_what_cannot_work(args, error):
    with pytest.raises(CommandError, match=error):
        run("ingest_source", "add", "مصدر", *args)
    assert not IngestSource.objects.exists()


def test_add_refuses_a_duplicate_name(tmp_path):
    run("ingest_source", "add", "مصدر", "--folder", str(tmp_path))
    with pytest.raises(CommandError, match="يوجد مصدر باسم «مصدر»"):
        run("ingest_source", "add", "مصدر", "--folder", str(tmp_path))


def test_list_prints_each_source_with_its_state_and_last_error(tmp_path):
    run("ingest_source", "add", "أ", "--folder", str(tmp_path))
    run("ingest_source", "add", "ب", "--url", "https://wire.example/")
    IngestSource.objects.filter(name="ب").update(last_error="انتهت المهلة", last_http_status=504)
    lines = run("ingest_source", "list").splitlines()
    assert lines[0].startswith("أ: مجلد إسقاط") and "آخر خطأ" not in lines[0]
    assert lines[1].startswith("ب: رابط") and "آخر خطأ (HTTP 504): انتهت المهلة" in lines[1]
    assert lines[-1] == "المصادر: 2"


def test_disable_stops_a_source_and_refuses_an_unknown_name(tmp_path):
    run("ingest_source", "add", "مصدر", "--folder", str(tmp_path))
    run("ingest_source", "disable", "مصدر")
    assert not IngestSource.objects.get().is_enabled
    with pytest.raises(CommandError, match="لا يوجد مصدر باسم «غيره»"):
        run("ingest_source", "disable", "غيره")


def test_ingest_once_imports_every_enabled_folder_and_exits_0(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    run("ingest_source", "add", "أ", "--folder", str(tmp_path / "a"), "--publish")
    run("ingest_source", "add", "ب", "--folder", str(tmp_path / "b"))
    run("ingest_source", "disable", "ب")
    drop(tmp_path / "a", "wire.jsonl", stories("once"))
    drop(tmp_path / "b", "wire.jsonl", stories("off"))
    code, output = ingest_once()
    assert code == 0
    assert output.splitlines() == [
        "أ: نجح: أُنشئ 2، حُدّث 0، فشل 0",
        "المصادر المستطلعة: 1، فشل منها: 0",
    ]
    assert Article.objects.filter(guid__startswith="once:").count() == 2
    assert not Article.objects.filter(guid__startswith="off:").exists()
    # No worker runs after it to count their words: it counted them itself.
    assert SearchLexeme.objects.get(lexeme="").stories == 2
    source = IngestSource.objects.get(name="أ")
    assert source.created_count == 2 and source.last_success_at and source.last_error == ""


def test_ingest_once_exits_1_when_a_file_fails_and_records_why(tmp_path):
    run("ingest_source", "add", "أ", "--folder", str(tmp_path))
    drop(tmp_path, "photo.jpg", BINARY)
    drop(tmp_path, "wire.jsonl", stories("mixed"))
    code, output = ingest_once()
    assert code == 1
    assert "أ: فشل: أُنشئ 2، حُدّث 0، فشل 1" in output and "photo.jpg" in output
    source = IngestSource.objects.get()
    assert (source.created_count, source.failed_count) == (2, 1)
    assert "photo.jpg" in source.last_error and source.last_success_at is None
    assert source.last_polled_at is not None


def test_ingest_once_counts_add_up_over_polls(tmp_path):
    run("ingest_source", "add", "أ", "--folder", str(tmp_path))
    drop(tmp_path, "one.jsonl", stories("first"))
    ingest_once()
    drop(tmp_path, "two.jsonl", stories("second", count=3))
    ingest_once()
    assert IngestSource.objects.get().created_count == 5


def test_ingest_once_records_a_folder_that_went_away(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    run("ingest_source", "add", "أ", "--folder", str(folder))
    folder.rmdir()
    code, output = ingest_once()
    assert code == 1
    assert "أ: فشل" in output and "تعذّرت قراءة المجلد" in output
    assert "لا يوجد مجلد" in IngestSource.objects.get().last_error


def test_ingest_once_polls_url_sources_and_exits_1_when_one_fails(local_server):
    feed = local_server.serve("/atom.xml", body(read_feed("atom_tunis_economy.xml")))
    run("ingest_source", "add", "الصباح", "--url", feed)
    run("ingest_source", "add", "معطّل", "--url", local_server.serve("/down", body(b"", 500)))
    code, output = ingest_once()
    assert code == 1
    assert "الصباح: نجح: أُنشئ 3، حُدّث 0، فشل 0" in output
    assert "معطّل: فشل" in output and "HTTP 500" in output
    assert IngestSource.objects.get(name="معطّل").last_http_status == 500
