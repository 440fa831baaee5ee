"""Polling URL sources and feed folders: a real HTTP server, the one importer, the state kept."""

from pathlib import Path

import pytest

from articles.ingest.polling import Status, poll_enabled_sources, poll_source
from articles.ingest.sources import IngestSource
from articles.models import Article, ImportRecord
from articles.tests.ingest.http_support import (
    body,
    feed,
    gzipped,
    read_feed,
    redirect,
    slow,
)
from articles.tests.ingest.support import drop, files_under, later

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data"
RSS = read_feed("rss_amman_culture.xml")
ATOM = read_feed("atom_tunis_economy.xml")
ETAG = '"tunis-economy-1"'
LAST_MODIFIED = "Thu, 28 Nov 2024 11:00:00 GMT"
ATOM_GUIDS = {
    "tag:assabah.example,2024-11-28:/economy/olive-farmers",
    "tag:assabah.example,2024-11-28:/economy/dates-exports",
    "https://assabah.example/economy/rades-port",
}


@pytest.fixture(autouse=True)
def quick_fetches(settings):
    settings.INGEST_HTTP_TIMEOUT_SECONDS = 1.0
    settings.INGEST_MAX_FEED_BYTES = 64 * 1024


def url_source(url: str, **fields) -> IngestSource:
    fields.setdefault("name", "الصباح")
    return IngestSource.objects.create(kind=IngestSource.Kind.URL, location=url, **fields)


def poll(source: IngestSource):
    result = poll_source(source.pk)
    source.refresh_from_db()
    return result


def test_a_feed_becomes_stories_and_the_source_keeps_its_validators(local_server):
    url = local_server.serve("/atom.xml", feed(ATOM, ETAG, LAST_MODIFIED))
    source = url_source(url, format="atom", default_credit="الصباح نيوز")
    result = poll(source)
    assert result.status == Status.OK and result.summary() == "الصباح: نجح: أُنشئ 3، حُدّث 0، فشل 0"
    assert set(Article.objects.values_list("guid", flat=True)) == ATOM_GUIDS
    assert (source.last_http_status, source.feed_etag) == (200, ETAG)
    assert source.feed_last_modified == LAST_MODIFIED
    assert (source.created_count, source.failed_count, source.last_error) == (3, 0, "")
    assert source.last_success_at is not None
    records = ImportRecord.objects.all()
    assert {(r.format, r.file_name, r.ingest_source_id) for r in records} == {
        ("atom", url, source.pk)
    }


def test_the_source_credit_stands_in_for_an_entry_without_an_author(local_server):
    source = url_source(local_server.serve("/rss.xml", body(RSS)), default_credit="الرأي")
    poll(source)
    library = Article.objects.get(guid="https://alrai.example/culture/library-hours")
    assert (library.source.name, library.byline) == ("الرأي", "سارة الخطيب")
    jerash = Article.objects.get(guid="alrai-culture-20241126-jerash")
    assert (jerash.source.name, jerash.dateline) == ("بترا", "جرش")


def test_a_source_publishing_on_arrival_publishes_its_entries(local_server):
    source = url_source(local_server.serve("/atom.xml", body(ATOM)), is_published_on_arrival=True)
    poll(source)
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.PUBLISHED}


def test_a_304_costs_nothing_and_imports_nothing(local_server):
    url = local_server.serve("/atom.xml", feed(ATOM, ETAG, LAST_MODIFIED))
    source = url_source(url)
    poll(source)
    records = ImportRecord.objects.count()
    result = poll(source)
    again = local_server.requests_to("/atom.xml")[1]
    assert again.headers["If-None-Match"] == ETAG
    assert again.headers["If-Modified-Since"] == LAST_MODIFIED
    assert result.status == Status.OK and "HTTP 304" in result.summary()
    assert ImportRecord.objects.count() == records and Article.objects.count() == 3
    assert (source.last_http_status, source.feed_etag, source.created_count) == (304, ETAG, 3)


def test_polling_a_feed_again_never_doubles_a_story(local_server):
    source = url_source(
        local_server.serve("/atom.xml", body(ATOM))
    )  # No validators: a 200 each time.
    poll(source)
    result = poll(source)
    assert (result.created, result.updated, result.failed) == (0, 0, 0)
    assert Article.objects.count() == 3 and source.created_count == 3


def test_an_entry_whose_text_changed_updates_its_story(local_server):
    source = url_source(local_server.serve("/atom.xml", body(ATOM)))
    poll(source)
    changed = ATOM.replace("ثلاثمئة متر".encode(), "ثلاثمئة وعشرين متراً".encode())
    local_server.serve("/atom.xml", body(changed))
    result = poll(source)
    assert (result.created, result.updated) == (0, 1)
    story = Article.objects.get(guid="https://assabah.example/economy/rades-port")
    assert story.version == 2 and Article.objects.count() == 3


def test_a_500_is_recorded_with_its_status_and_the_others_go_on(local_server):
    broken = url_source(local_server.serve("/down", body(b"", 500)), name="معطّل")
    working = url_source(local_server.serve("/atom.xml", body(ATOM)), name="يعمل")
    results = {result.name: result for result in poll_enabled_sources()}
    assert results["معطّل"].is_failure and not results["يعمل"].is_failure
    broken.refresh_from_db()
    assert broken.last_http_status == 500 and "HTTP 500" in broken.last_error
    assert broken.last_success_at is None and broken.last_polled_at is not None
    working.refresh_from_db()
    assert working.created_count == 3


def test_an_error_after_a_success_keeps_the_validators_and_the_counts(local_server):
    source = url_source(local_server.serve("/atom.xml", feed(ATOM, ETAG, LAST_MODIFIED)))
    poll(source)
    local_server.serve("/atom.xml", body(b"", 503))
    assert poll(source).is_failure
    assert (source.feed_etag, source.created_count, source.last_http_status) == (ETAG, 3, 503)
    assert "غير متاح" in source.last_error


def test_a_feed_slower_than_the_timeout_fails_saying_so(local_server):
    source = url_source(local_server.serve("/slow.xml", slow(local_server, 10)))
    assert poll(source).is_failure
    assert "انتهت المهلة" in source.last_error and source.last_http_status is None
    assert not Article.objects.exists()


def test_malformed_xml_fails_with_its_line_and_is_fetched_whole_next_time(local_server):
    broken = '<?xml version="1.0"?>\n<rss version="2.0"><channel>\n<item><title>خبر</titl>'.encode()
    url = local_server.serve("/rss.xml", feed(broken, ETAG, LAST_MODIFIED))
    source = url_source(url, format="rss")
    result = poll(source)
    assert result.is_failure and result.failed == 1
    assert "XML غير سليم" in source.last_error and "السطر 3" in source.last_error
    assert (source.feed_etag, source.last_http_status) == ("", 200)
    poll(source)
    assert "If-None-Match" not in local_server.requests_to("/rss.xml")[1].headers


def test_one_bad_entry_fails_alone_and_the_feed_is_remembered(local_server):
    source = url_source(local_server.serve("/rss.xml", feed(RSS, ETAG, LAST_MODIFIED)))
    result = poll(source)
    assert (result.created, result.failed) == (3, 1) and result.is_failure
    assert "فشل 1 من 4" in source.last_error and "السطر 36" in source.last_error
    assert source.feed_etag == ETAG  # The next poll costs a 304, not the same failure again.


def test_a_gzipped_feed_is_imported(local_server):
    source = url_source(local_server.serve("/atom.xml", gzipped(ATOM)))
    assert poll(source).created == 3


def test_a_redirected_feed_is_imported_and_too_many_redirects_fail(local_server):
    local_server.serve("/atom.xml", body(ATOM))
    local_server.serve("/moved", redirect("/atom.xml", 301))
    local_server.serve("/loop", redirect("/loop"))
    assert poll(url_source(local_server.url("/moved"))).created == 3
    looping = url_source(local_server.url("/loop"), name="دائر")
    assert poll(looping).is_failure and "أعاد الخادم التوجيه أكثر من 5" in looping.last_error


def test_an_answer_past_the_size_limit_imports_nothing(local_server, settings):
    settings.INGEST_MAX_FEED_BYTES = 1024
    source = url_source(local_server.serve("/atom.xml", body(ATOM)))
    assert poll(source).is_failure
    assert "أكبر من الحد" in source.last_error and not Article.objects.exists()


def test_a_ninjs_document_served_over_http_is_imported(local_server):
    ninjs = (DATA / "ninjs/array_two.json").read_bytes()
    source = url_source(local_server.serve("/wire.json", body(ninjs)))
    assert poll(source).created == 2
    assert Article.objects.filter(guid="http://wire.example/ninjs/20241128-muscat-fish").exists()


def test_a_newsml_message_served_over_http_is_imported(local_server):
    message = (DATA / "newsml/message_two_items.xml").read_bytes()
    source = url_source(local_server.serve("/newsml.xml", body(message)), format="newsml")
    assert poll(source).created == 2


def test_a_source_whose_format_does_not_match_fails_saying_what_it_got(local_server):
    source = url_source(local_server.serve("/rss.xml", body(RSS)), format="ninjs")
    assert poll(source).is_failure and "JSON" in source.last_error


def test_a_folder_of_feed_format_reads_its_files_as_feeds(tmp_path):
    source = IngestSource.objects.create(name="مجلد", location=str(tmp_path), format="atom")
    drop(tmp_path, "economy.atom", ATOM)
    result = poll_source(source.pk, clock=later)
    assert (result.status, result.created) == (Status.OK, 3)
    assert set(Article.objects.values_list("guid", flat=True)) == ATOM_GUIDS
    assert files_under(tmp_path)[0].startswith(".done/")


def test_a_source_on_an_internal_address_is_refused_unless_allowed(local_server, settings):
    settings.INGEST_ALLOW_PRIVATE_ADDRESSES = False
    source = url_source(local_server.serve("/atom.xml", body(ATOM)), name="داخلي")
    assert poll(source).is_failure
    assert (
        "عنوان داخلي" in source.last_error and "INGEST_ALLOW_PRIVATE_ADDRESSES" in source.last_error
    )
    assert not Article.objects.exists() and local_server.requests == []


def test_the_same_answer_again_is_not_read_again(local_server):
    url = local_server.serve("/atom.xml", body(ATOM))  # No validators: a 200 each time.
    source = url_source(url)
    poll(source)
    records = ImportRecord.objects.count()
    result = poll(source)
    assert result.status == Status.OK and "مطابق لجواب الاستطلاع السابق" in result.summary()
    assert ImportRecord.objects.count() == records  # no "unchanged" rows for every entry
    assert (source.last_http_status, source.created_count) == (200, 3)
    # Different bytes are read again.
    changed = ATOM.replace("ثلاثمئة متر".encode(), "ثلاثمئة وعشرين متراً".encode())
    local_server.serve("/atom.xml", body(changed))
    assert poll(source).updated == 1


def test_an_answer_with_a_story_that_failed_is_read_again(local_server):
    source = url_source(local_server.serve("/rss.xml", body(RSS)))  # one bad entry of four
    assert (poll(source).failed, source.feed_body_sha256) == (1, "")
    second = poll(source)
    assert (second.created, second.failed) == (0, 1)  # the bad entry tried again
