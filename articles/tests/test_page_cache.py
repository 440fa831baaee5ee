"""The shared page cache (articles.page_cache), on real PostgreSQL and Redis (database 12).

Every test here commits (transactional): a change is announced only once it
is committed, as in production. The rest of the suite runs with the page
cache off (pyproject.toml's PAGE_CACHE_SECONDS=0).
"""

import datetime
import gzip
import json
import logging
import subprocess
import sys
import time

import pytest
import redis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from articles import page_cache, transitions
from articles.models import Article, Source
from articles.page_cache import GENERATION_KEY, HEADER, HIT, MISS, PageCacheMiddleware
from articles.tests.admin_support import change_url, changelist_url, form_data, paragraph_rows
from articles.tests.page_cache_support import (
    REDIS_URL,
    ROOT,
    OtherServer,
    child_environment,
    fetch,
    redis_caches,
    redis_is_up,
)
from articles.views import archive_day_url

pytestmark = pytest.mark.django_db(transaction=True)

# What "at once" means for a change made in another process.
WITHIN = 1.0
GZIP = "django.middleware.gzip.GZipMiddleware"


@pytest.fixture
def pages(settings):
    """The page cache on, in Redis database 12, emptied before and after."""
    if not redis_is_up():
        pytest.fail("These tests need Redis on 127.0.0.1:6379: `make redis` starts one.")
    settings.CACHES = redis_caches()
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def reader():
    return Client()


@pytest.fixture
def signed_in(editor):
    client = Client()
    client.force_login(editor)
    return client


def stored_values() -> list[bytes]:
    """Every value the cache holds, as Redis stores it."""
    store = redis.Redis.from_url(REDIS_URL)
    return [store.get(key) or b"" for key in store.scan_iter()]


def stored_keys() -> list[bytes]:
    return list(redis.Redis.from_url(REDIS_URL).scan_iter())


def stored_pages() -> list[bytes]:
    """The keys of the pages kept: not the generation, nor the next scheduled
    time (which every reader page's Cache-Control asks too, articles.http_cache)."""
    return [
        key
        for key in stored_keys()
        if b"page-cache" in key and b"generation" not in key and not key.endswith(b":schedule")
    ]


def seen_within(seconds, url, check) -> bool:
    """Whether ``check(fetch(url))`` holds within ``seconds``, asking as often as it can."""
    deadline = time.monotonic() + seconds
    while True:
        if check(fetch(url)):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


# Serving and filling ------------------------------------------------------


def test_a_reader_page_is_rendered_once_then_served_from_the_cache(
    pages, reader, story, django_assert_num_queries
):
    story(headline="افتتاح معرض الكتاب في عمّان")
    first = reader.get("/")
    assert first[HEADER] == MISS
    with django_assert_num_queries(0):
        second = reader.get("/")
    assert second[HEADER] == HIT
    assert second.status_code == 200
    assert second.content == first.content
    assert "افتتاح معرض الكتاب في عمّان" in second.content.decode()


def test_a_hit_says_how_long_ago_the_page_was_rendered(pages, reader, story):
    story()
    first = reader.get("/")
    time.sleep(1.1)
    second = reader.get("/")
    assert "Age" not in first
    assert int(second["Age"]) >= 1
    # The caches after this one count max-age and s-maxage from the rendering.
    assert second["Cache-Control"] == first["Cache-Control"]


def test_every_reader_page_is_cached_with_its_headers(pages, reader, story):
    article = story(headline="وزير الري يفتتح محطة تحلية", source="بترا")
    source = article.source.slug
    addresses = [
        "/",
        article.get_absolute_url(),
        f"/source/{source}/",
        "/archive/",
        archive_day_url(timezone.localdate(article.published_at)),
        "/search/?q=محطة",
        "/feed/",
        "/feed/atom/",
        f"/source/{source}/feed/",
        f"/source/{source}/feed/atom/",
        "/sitemap.xml",
        "/sitemap-stories.xml",
        "/news-sitemap.xml",
        "/robots.txt",
        "/story/لا-يوجد/",
    ]
    for address in addresses:
        first = reader.get(address)
        second = reader.get(address)
        assert (first[HEADER], second[HEADER]) == (MISS, HIT), address
        assert second.status_code == first.status_code, address
        assert second.content == first.content, address
        for name in ("Content-Type", "Cache-Control", "ETag", "Last-Modified", "Surrogate-Key"):
            assert second.get(name) == first.get(name), (address, name)


def test_the_newsroom_and_the_suggestions_are_not_kept(pages, story):
    story(headline="وزير الري يفتتح محطة تحلية")
    for address in ["/admin/login/", "/search/suggest/?q=وزير", "/no-such-page/"]:
        reader = Client()
        assert HEADER not in reader.get(address), address
        assert HEADER not in reader.get(address), address
    assert stored_pages() == []


def test_a_hit_answers_a_conditional_get_with_304(pages, reader, story, django_assert_num_queries):
    article = story()
    etag = reader.get(article.get_absolute_url())["ETag"]
    with django_assert_num_queries(0):
        response = reader.get(article.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response[HEADER] == HIT
    assert response["ETag"] == etag


def test_a_page_is_kept_apart_for_each_value_of_a_header_it_varies_on(pages):
    calls = []

    def view(request):
        calls.append(request)
        language = request.headers.get("accept-encoding", "none")
        return HttpResponse(f"ترميز {language}", headers={"Vary": "Accept-Encoding, Cookie"})

    middleware = PageCacheMiddleware(view)
    answers = [
        middleware(RequestFactory().get("/", headers=headers))
        for headers in [{"accept-encoding": "gzip"}, {}, {"accept-encoding": "gzip"}, {}]
    ]
    assert [answer[HEADER] for answer in answers] == [MISS, MISS, HIT, HIT]
    assert [answer.content.decode() for answer in answers[2:]] == ["ترميز gzip", "ترميز none"]
    assert len(calls) == 2


@pytest.mark.skipif(
    GZIP not in django_settings.MIDDLEWARE, reason="GZipMiddleware is not in MIDDLEWARE"
)
def test_compressed_and_plain_pages_are_kept_apart(pages, reader, story):
    story(headline="خبر يصل مضغوطاً")
    gzipped = {"accept-encoding": "gzip"}
    assert reader.get("/", headers=gzipped)[HEADER] == MISS
    compressed = reader.get("/", headers=gzipped)
    plain = reader.get("/")
    assert compressed[HEADER] == HIT
    assert compressed["Content-Encoding"] == "gzip"
    assert "خبر يصل مضغوطاً" in gzip.decompress(compressed.content).decode()
    assert plain[HEADER] == MISS
    assert "Content-Encoding" not in plain
    assert reader.get("/")[HEADER] == HIT


def test_a_long_query_string_makes_a_short_key(pages, reader, story):
    story()
    address = "/search/?q=" + "محطة " * 2000
    assert reader.get(address)[HEADER] == MISS
    assert reader.get(address)[HEADER] == HIT
    assert max(len(key) for key in stored_keys()) < 200


# Who never gets or fills a cached page -----------------------------------------


def test_a_signed_in_editor_neither_gets_nor_fills_cached_pages(pages, reader, signed_in, story):
    article = story(headline="خبر يقرؤه المحرر")
    url = article.get_absolute_url()
    editors = signed_in.get(url)
    assert editors[HEADER] == "bypass"
    assert "private" in editors["Cache-Control"]
    assert reader.get(url)[HEADER] == MISS
    assert reader.get(url)[HEADER] == HIT
    assert signed_in.get(url)[HEADER] == "bypass"


@pytest.mark.parametrize("cookie", ["sessionid", "csrftoken", "messages"])
def test_a_request_with_a_session_or_csrf_cookie_never_gets_or_fills_a_page(
    pages, reader, story, cookie
):
    story()
    known = Client()
    known.cookies[cookie] = "x" * 32
    assert known.get("/")[HEADER] == "bypass"
    assert reader.get("/")[HEADER] == MISS
    assert known.get("/")[HEADER] == "bypass"


def test_other_methods_never_get_or_fill_a_page(pages, reader, story):
    story()
    assert HEADER not in reader.head("/")
    assert HEADER not in reader.post("/search/", {"q": "محطة"})
    assert reader.get("/")[HEADER] == MISS


def test_drafts_and_previews_are_never_in_a_cached_page(pages, reader, signed_in, story):
    story(headline="خبر منشور للجميع")
    draft = story(headline="مسودة لم يرها القراء بعد", status=Article.Status.DRAFT)
    preview = signed_in.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert "مسودة لم يرها القراء بعد" in preview.content.decode()
    for _ in range(2):
        assert reader.get(draft.get_absolute_url()).status_code == 404
        assert reader.get("/").status_code == 200
    assert reader.get(draft.get_absolute_url())[HEADER] == HIT
    assert stored_values()
    assert not any("مسودة لم يرها القراء بعد".encode() in value for value in stored_values())


def test_a_response_that_must_not_be_shared_is_never_stored(pages, story):
    story()
    refused = {
        "a cookie": lambda: _with_cookie(HttpResponse("صفحة")),
        "private": lambda: _with_header(HttpResponse("صفحة"), "Cache-Control", "private"),
        "no-store": lambda: _with_header(HttpResponse("صفحة"), "Cache-Control", "no-store"),
        "vary *": lambda: _with_header(HttpResponse("صفحة"), "Vary", "*"),
        "a server error": lambda: HttpResponse("عطل", status=500),
        "a temporary redirect": lambda: HttpResponse(status=302, headers={"Location": "/"}),
        "streaming": lambda: StreamingHttpResponse(iter([b"x"])),
    }
    for reason, make in refused.items():
        calls = []

        def view(request, make=make, calls=calls):
            calls.append(request)
            return make()

        middleware = PageCacheMiddleware(view)
        for _ in range(2):
            middleware(RequestFactory().get("/"))
        assert len(calls) == 2, reason


def _with_cookie(response):
    response.set_cookie("reader", "1")
    return response


def _with_header(response, name, value):
    response[name] = value
    return response


# Changes, from this process and from others ------------------------------------


def test_every_write_path_starts_a_new_generation(pages, reader, signed_in, story):
    article = story(headline="خبر للتعديل", paragraphs=("الأولى", "الثانية"))
    doomed = story(headline="خبر يُحذف")
    reader.get("/")

    def moved(change) -> bool:
        before = cache.get(GENERATION_KEY)
        change()
        return cache.get(GENERATION_KEY) != before

    def edit_in_the_form():
        data = form_data(signed_in.get(change_url(article)))
        first, second = paragraph_rows(data)
        data[f"{first}-position"], data[f"{second}-position"] = "2", "1"
        data["headline"] = "خبر معدّل"
        assert signed_in.post(change_url(article), data).status_code == 302

    def bulk_action():
        signed_in.post(
            changelist_url(),
            {"action": "unpublish", "_selected_action": [article.pk], "index": "0"},
        )

    def transition():
        transitions.release(article)
        transitions.save([(article, "نُشر")], ["status", "published_at", "released_at"], None)

    def rename_source():
        source = Source.objects.get(pk=article.source_id)
        source.name = "وكالة باسم جديد"
        source.save()

    def delete_story():
        doomed.delete()

    for change in [edit_in_the_form, bulk_action, transition, rename_source, delete_story]:
        assert moved(change), change.__name__


def test_a_change_is_on_the_next_page(pages, reader, story):
    article = story(headline="العنوان الأول")
    reader.get(article.get_absolute_url())
    assert reader.get(article.get_absolute_url())[HEADER] == HIT
    article.headline = "العنوان المصحح"
    transitions.save([(article, "تصحيح")], ["headline"], None)
    html = reader.get(article.get_absolute_url()).content.decode()
    assert "العنوان المصحح" in html


def _jsonl(*stories) -> bytes:
    return "\n".join(json.dumps(line, ensure_ascii=False) for line in stories).encode()


def _wire_story(headline, version=1, **fields):
    published_at = (timezone.now() - datetime.timedelta(minutes=30)).isoformat()
    return {
        "guid": "page-cache:wire:1",
        "headline": headline,
        "source": "وكالة الاختبار",
        "published_at": published_at,
        "paragraphs": ["فقرة من الوكالة عن الخبر."],
        "version": version,
        **fields,
    }


def _import_in_another_process(path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "import_articles", "--publish", str(path)],
        cwd=ROOT,
        env=child_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_import_in_another_process_is_on_the_served_pages_within_a_second(
    pages, live_server, story, tmp_path
):
    story(headline="خبر سبق الاستيراد")
    front = live_server.url + "/"
    fetch(front)
    assert fetch(front).headers[HEADER] == HIT

    path = tmp_path / "wire.jsonl"
    path.write_bytes(_jsonl(_wire_story("خبر جديد من الوكالة")))
    _import_in_another_process(path)
    assert seen_within(WITHIN, front, lambda answer: "خبر جديد من الوكالة" in answer.text)

    url = live_server.url + Article.objects.get(guid="page-cache:wire:1").get_absolute_url()
    fetch(url)
    assert fetch(url).headers[HEADER] == HIT
    path.write_bytes(_jsonl(_wire_story("نسخة ثانية من الخبر", version=2)))
    _import_in_another_process(path)
    assert seen_within(WITHIN, url, lambda answer: "نسخة ثانية من الخبر" in answer.text)


@pytest.fixture
def other_server(pages, transactional_db, tmp_path):
    """The site served by a second process on the same database and page cache."""
    server = OtherServer(tmp_path / "server.log", STATIC_ROOT=str(tmp_path / "static"))
    try:
        server.wait_until_up()
        yield server
    finally:
        server.stop()


def test_a_withdrawal_in_the_admin_answers_410_on_another_server_within_a_second(
    other_server, signed_in, story
):
    article = story(headline="خبر سيُسحب")
    url = other_server.url + article.get_absolute_url()
    fetch(url)
    assert fetch(url).headers[HEADER] == HIT
    signed_in.post(
        changelist_url(), {"action": "withdraw", "_selected_action": [article.pk], "index": "0"}
    )
    assert seen_within(WITHIN, url, lambda answer: answer.status == 410)


def test_an_edit_in_the_story_form_is_on_another_server_within_a_second(
    other_server, signed_in, story
):
    article = story(headline="عنوان قبل التحرير", paragraphs=("الفقرة أ", "الفقرة ب"))
    url = other_server.url + article.get_absolute_url()
    fetch(url)
    assert fetch(url).headers[HEADER] == HIT
    data = form_data(signed_in.get(change_url(article)))
    first, second = paragraph_rows(data)
    data[f"{first}-position"], data[f"{second}-position"] = "2", "1"
    data["headline"] = "عنوان بعد التحرير"
    assert signed_in.post(change_url(article), data).status_code == 302

    def edited(answer) -> bool:
        text = answer.text
        return "عنوان بعد التحرير" in text and text.index("الفقرة ب") < text.index("الفقرة أ")

    assert seen_within(WITHIN, url, edited)


def test_a_renamed_source_is_on_another_server_within_a_second(other_server, story):
    article = story(source="وكالة قديمة الاسم")
    url = other_server.url + "/"
    fetch(url)
    assert fetch(url).headers[HEADER] == HIT
    source = Source.objects.get(pk=article.source_id)
    source.name = "وكالة جديدة الاسم"
    source.save()
    assert seen_within(WITHIN, url, lambda answer: "وكالة جديدة الاسم" in answer.text)


# Scheduled stories --------------------------------------------------------------


def test_a_scheduled_story_appears_at_its_time_with_no_write(pages, reader, story):
    story(headline="خبر منشور من قبل")
    at = timezone.now() + datetime.timedelta(seconds=3)
    # From a source with no story out yet: the header's sources change too.
    scheduled = story(headline="خبر مجدول يظهر وحده", published_at=at, source="وكالة تظهر معه")
    url = scheduled.get_absolute_url()
    source_url = reverse("articles:source", kwargs={"slug": scheduled.source.slug})
    for _ in range(2):
        front, page, source = reader.get("/"), reader.get(url), reader.get(source_url)
    generation = cache.get(GENERATION_KEY)
    assert (front[HEADER], page[HEADER], source[HEADER]) == (HIT, HIT, HIT)
    assert "خبر مجدول يظهر وحده" not in front.content.decode()
    assert (page.status_code, source.status_code) == (404, 404)

    time.sleep(max(0.0, (at - timezone.now()).total_seconds()))
    deadline = time.monotonic() + 2
    while "خبر مجدول يظهر وحده" not in reader.get("/").content.decode():
        assert time.monotonic() < deadline, "the scheduled story did not appear on time"
        time.sleep(0.05)
    assert reader.get(url).status_code == 200
    assert reader.get(source_url).status_code == 200
    assert "وكالة تظهر معه" in reader.get("/archive/").content.decode()
    # Nothing was written, nothing announced: the same generation.
    assert cache.get(GENERATION_KEY) == generation


def test_a_page_is_kept_no_later_than_the_next_scheduled_story(pages, story):
    story()
    at = timezone.now() + datetime.timedelta(seconds=90)
    story(published_at=at)
    now = time.time()
    generation = page_cache.current_generation(cache)
    expiry = page_cache.page_expiry(cache, generation, "articles:index", now)
    assert expiry == pytest.approx(min(at.timestamp(), page_cache.next_midnight(now)))


def test_the_news_sitemap_is_kept_no_later_than_its_oldest_story_leaves_it(pages, story):
    oldest = story(published_at=timezone.now() - datetime.timedelta(hours=47, minutes=59))
    now = time.time()
    generation = page_cache.current_generation(cache)
    expiry = page_cache.page_expiry(cache, generation, "news-sitemap", now)
    leaves = oldest.published_at.timestamp() + 48 * 3600
    assert expiry == pytest.approx(min(leaves, page_cache.next_midnight(now)))


def test_a_page_is_kept_no_later_than_local_midnight(settings):
    settings.TIME_ZONE = "Asia/Riyadh"
    # 23:59:30 in Riyadh (UTC+3) on 4 December 2026.
    now = datetime.datetime(2026, 12, 4, 20, 59, 30, tzinfo=datetime.UTC).timestamp()
    midnight = datetime.datetime(2026, 12, 4, 21, 0, tzinfo=datetime.UTC).timestamp()
    assert page_cache.next_midnight(now) == midnight


# Switched off, and failing ------------------------------------------------------


def test_zero_seconds_switches_the_page_cache_off(pages, reader, story, settings):
    settings.PAGE_CACHE_SECONDS = 0
    story()
    for _ in range(2):
        response = reader.get("/")
        assert response.status_code == 200
        assert HEADER not in response
    assert stored_pages() == []


def test_a_cache_outage_never_breaks_a_page(pages, reader, story, monkeypatch, caplog):
    story(headline="خبر يُقرأ والذاكرة معطلة")
    down = RedisCache("redis://127.0.0.1:1/0", {})
    monkeypatch.setattr(page_cache, "shared_cache", lambda: down)
    monkeypatch.setattr(page_cache, "_quiet_until", 0.0)
    with caplog.at_level(logging.WARNING, logger="articles.page_cache"):
        responses = [reader.get("/") for _ in range(3)]
    assert [response.status_code for response in responses] == [200, 200, 200]
    assert "خبر يُقرأ والذاكرة معطلة" in responses[-1].content.decode()
    assert len([r for r in caplog.records if "page cache failed" in r.getMessage()]) == 1


def test_page_cache_seconds_defaults_to_five_minutes():
    code = "from django.conf import settings; print(settings.PAGE_CACHE_SECONDS)"
    env = child_environment(SECRET_KEY="x" * 50, DEBUG="0")
    env.pop("PAGE_CACHE_SECONDS")
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "newsportal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "300"
