"""The reader's pages in Debian's Chromium: Arabic and right-to-left, own fonts, no
console errors, nothing from other hosts, accessible (axe-core), valid HTML (the
W3C Nu checker), and no unreleased story anywhere a reader can reach.

Loading pages is the slow part, so one fixture (``reader_site``) builds
a small site, loads every page type once at each width (390 and 1280 px),
records what each load did, saves screenshots under test-artifacts/, crawls
the site, checks all pages' HTML in one Java run, then removes its stories.
Each test below asserts one behaviour on those records.

The fixture runs its own pytest-django ``LiveServer`` rather than requesting
the ``live_server`` fixture: a test that requests ``live_server`` becomes
transactional, and the database is flushed after each one (migration rows
included). Here the stories are committed once, read by the server thread,
and deleted by the fixture itself.
"""

from __future__ import annotations

import datetime
import html
import io
import re
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urljoin, urlsplit

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from PIL import Image, ImageDraw
from pytest_django.live_server_helper import LiveServer

from articles.images import generate_renditions
from articles.models import Article, Paragraph, Source, StoryGroup, unicode_slug
from articles.search.index import refresh_search_vectors
from articles.tests.browser import support
from articles.views import archive_day_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WIDTHS = [support.PHONE_WIDTH, support.DESKTOP_WIDTH]
FONT_FAMILY = "Noto Naskh Arabic"
# Page types and the status each answers with. "search" is dropped at run
# time while the site has no search page.
PAGE_TYPES = {
    "front": 200,
    "story": 200,
    "source": 200,
    "archive": 200,
    "archive-index": 200,
    "search": 200,
    "withdrawn": 410,
    "not-found": 404,
}
AXE_PAGE_TYPES = ["front", "story", "source", "archive", "archive-index", "search"]
# A word only the unreleased stories use, to search for and to look for.
SECRET_WORD = "الزمرديون"
UNRELEASED_HEADLINES = {
    "draft": f"مسودة عن اجتماع {SECRET_WORD} لم يعلن بعد",
    "withdrawn": f"خبر مسحوب عن صفقة {SECRET_WORD} الملغاة",
    "scheduled": f"خبر مجدول عن مؤتمر {SECRET_WORD} القادم",
    "draft-only source": f"مسودة أخرى من وكالة {SECRET_WORD}",
}
CRAWL_LIMIT = 400
# Where the crawl starts besides the front page: what a reader or a crawler
# may ask for without following a link.
CRAWL_SEEDS = [
    "/",
    "/feed/",
    "/feed/atom/",
    "/sitemap.xml",
    "/news-sitemap.xml",
    "/robots.txt",
    "/archive/",
    f"/search/?q={quote(SECRET_WORD)}",
]
NOT_CRAWLED = ("/static/", "/media/", "/admin/")


@dataclass
class Load:
    """What one load of one page at one width did (plain data: the page is closed)."""

    status: int | None
    lang: str
    dir: str
    font_statuses: list[str]
    console_errors: list[str]
    external_requests: list[str]
    scroll_width: int
    violations: list[dict]


@dataclass
class ReaderSite:
    paths: dict[str, str]
    loads: dict[tuple[str, int], Load] = field(default_factory=dict)
    html_errors: dict[str, list[dict]] = field(default_factory=dict)
    crawled: dict[str, tuple[int, str]] = field(default_factory=dict)
    unreleased_paths: dict[str, str] = field(default_factory=dict)
    unreleased_statuses: dict[str, int] = field(default_factory=dict)


def photo_bytes() -> bytes:
    """A landscape JPEG we draw ourselves: sky, sea and a sun."""
    image = Image.new("RGB", (1200, 800), (120, 170, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 520, 1200, 800), fill=(30, 90, 140))
    draw.ellipse((820, 120, 1000, 300), fill=(250, 210, 90))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def build_site(now: datetime.datetime) -> dict[str, Article]:
    """A small site: a lead story with a photo, a day's archive with days around it,
    three sources, and one story of each unreleased kind."""
    petra, wam, afp = (
        Source.objects.create(name="بترا"),
        Source.objects.create(name="وام"),
        Source.objects.create(name="أ ف ب"),
    )
    secret_source = Source.objects.create(name=f"وكالة {SECRET_WORD}")
    created: dict[str, Article] = {}
    counter = iter(range(1, 1000))

    def story(key, headline, source, published_at, paragraphs, **fields):
        number = next(counter)
        article = Article.objects.create(
            guid=f"browser-test:{number}",
            headline=headline,
            slug=f"{unicode_slug(headline, max_length=100)}-{number}",
            source=source,
            status=fields.pop("status", Article.Status.PUBLISHED),
            published_at=published_at,
            **fields,
        )
        Paragraph.objects.bulk_create(
            Paragraph(article=article, position=position, text=text)
            for position, text in enumerate(paragraphs, 1)
        )
        created[key] = article
        return article

    photo = default_storage.save("articles/browser/port.jpg", io.BytesIO(photo_bytes()))
    renditions = generate_renditions(photo).as_record()
    story(
        "lead",
        "قمة G20 تبحث أسعار الطاقة في New York وسط توقعات بتراجعها 5%",
        afp,
        now - datetime.timedelta(hours=1),
        (
            "بدأ قادة مجموعة العشرين اجتماعهم اليوم لبحث أسعار الطاقة وسبل خفضها.",
            "وقال رئيس الاجتماع إن الأسعار قد تتراجع بنسبة 5% خلال عام 2025.",
            "ومن المقرر أن يصدر بيان ختامي مساء الغد بعد جلسات مغلقة.",
        ),
        dateline="كابول",
        publisher="موقع الأخبار الاقتصادية",
        image=photo,
        image_renditions=renditions,
        image_alt="ميناء على البحر عند الظهيرة",
        image_caption="ميناء تجاري على البحر (صورة أرشيفية)",
    )
    # Another outlet's copy of the lead story: the lead's page lists it («نُشر أيضاً في»).
    group = StoryGroup.objects.create()
    Article.objects.filter(pk=created["lead"].pk).update(story_group=group)
    story(
        "lead-copy",
        "مجموعة العشرين تبحث خفض أسعار الطاقة",
        wam,
        now - datetime.timedelta(minutes=30),
        (
            "بدأ قادة مجموعة العشرين اجتماعهم اليوم لبحث أسعار الطاقة وسبل خفضها.",
            "وقال رئيس الاجتماع إن الأسعار قد تتراجع بنسبة 5% خلال عام 2025.",
        ),
        publisher="صحيفة الخليج",
        credits=["أ ف ب", "وام"],
        story_group=group,
    )
    story(
        "caption-only",
        "افتتاح معرض الكتاب في عمّان بمشاركة 300 دار نشر",
        petra,
        now - datetime.timedelta(hours=2),
        ("افتتح وزير الثقافة معرض الكتاب اليوم.", "ويستمر المعرض عشرة أيام."),
        dateline="عمّان",
        image_caption="زوار في أروقة المعرض",
    )
    sources = [petra, wam, afp]
    topics = ["الطقس", "الاقتصاد", "الرياضة", "الثقافة", "الصحة", "التعليم"]
    # Two dozen more, over the last five days: enough for a second front page.
    for number in range(24):
        topic = topics[number % len(topics)]
        story(
            f"story-{number}",
            f"تقرير جديد عن {topic} في المنطقة رقم {number + 1}",
            sources[number % 3],
            now - datetime.timedelta(hours=3 + number * 5),
            (
                f"نشرت الجهات المختصة تقريرا عن {topic} يتناول التطورات الأخيرة.",
                "وأشار التقرير إلى تحسن ملحوظ مقارنة بالعام الماضي.",
            ),
            dateline="دبي" if number % 2 else "",
        )
    # One story of each unreleased kind: (key, source, hours from now, status, text).
    unreleased = [
        ("draft", petra, -4, Article.Status.DRAFT, f"نص المسودة عن {SECRET_WORD}."),
        ("withdrawn", wam, -5, Article.Status.WITHDRAWN, f"نص الخبر المسحوب عن {SECRET_WORD}."),
        ("scheduled", afp, 6, Article.Status.PUBLISHED, f"نص الخبر المجدول عن {SECRET_WORD}."),
        (
            "draft-only source",
            secret_source,
            -7,
            Article.Status.DRAFT,
            f"نص مسودة الوكالة {SECRET_WORD}.",
        ),
    ]
    for key, source, hours, status, text in unreleased:
        published_at = now + datetime.timedelta(hours=hours)
        story(key, UNRELEASED_HEADLINES[key], source, published_at, (text,), status=status)
    refresh_search_vectors([article.pk for article in created.values()])
    return created


def status_of(url: str) -> int:
    request = urllib.request.Request(url, method="GET")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


LINK_PATTERNS = [
    re.compile(r"""href\s*=\s*["']([^"']+)["']"""),
    re.compile(r"<loc>([^<]+)</loc>"),
    re.compile(r"<link>([^<]+)</link>"),
    re.compile(r"^Sitemap:\s*(\S+)", re.MULTILINE),
]


def links(base: str, body: str) -> list[str]:
    found = []
    for pattern in LINK_PATTERNS:
        for match in pattern.findall(body):
            # Pages link by IRI (Arabic as it is); the request needs a URI.
            url = iri_to_uri(urljoin(base, html.unescape(match.strip())).split("#")[0])
            found.append(url)
    return found


def crawl(origin: str, seeds: list[str]) -> dict[str, tuple[int, str]]:
    """Every same-origin page reachable from ``seeds`` by links, feeds and sitemaps."""
    queue = deque(origin + seed for seed in seeds)
    seen: dict[str, tuple[int, str]] = {}
    while queue and len(seen) < CRAWL_LIMIT:
        url = queue.popleft()
        if url in seen:
            continue
        seen[url] = fetch(url)
        for link in links(url, seen[url][1]):
            parts = urlsplit(link)
            if f"{parts.scheme}://{parts.netloc}" != origin or parts.path.startswith(NOT_CRAWLED):
                continue
            if link not in seen:
                queue.append(link)
    return seen


def record(page, url) -> Load:
    visit = support.open_page(page, url)
    direction = support.document_direction(page)
    errors = [
        message
        for message in visit.console_errors
        # Chromium logs the document's own error status (404, 410) as a
        # console error; that status is the page's point, checked on its own.
        if not (message.startswith("Failed to load resource") and message.endswith(f"({url})"))
    ]
    return Load(
        status=visit.status,
        lang=direction["lang"],
        dir=direction["dir"],
        font_statuses=support.font_statuses(page, FONT_FAMILY),
        console_errors=errors,
        external_requests=visit.external_requests(),
        scroll_width=page.evaluate("() => document.documentElement.scrollWidth"),
        violations=[],
    )


# Module scope: as long as the package-scoped browser lives. It runs once a
# session (one module), and so does its one Java run of the Nu checker.
@pytest.fixture(scope="module")
def reader_site(django_db_setup, django_db_blocker, browser, tmp_path_factory, html_errors):
    media = tmp_path_factory.mktemp("media")
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    documents: dict[str, str] = {}
    with (
        django_db_blocker.unblock(),
        override_settings(
            STORAGES=plain_static,
            STATIC_ROOT=tmp_path_factory.mktemp("static"),
            MEDIA_ROOT=media,
        ),
    ):
        stories = build_site(timezone.localtime())
        server = LiveServer("127.0.0.1")
        try:
            origin = server.url
            archive_day = timezone.localtime(stories["story-3"].published_at).date()
            site = ReaderSite(
                paths={
                    "front": "/",
                    "story": stories["lead"].get_absolute_url(),
                    "source": f"/source/{quote(stories['lead'].source.slug)}/",
                    "archive": archive_day_url(archive_day),
                    "archive-index": "/archive/",
                    "search": f"/search/?q={quote('الطاقة')}",
                    "withdrawn": stories["withdrawn"].get_absolute_url(),
                    "not-found": f"/story/{quote('لا-يوجد-خبر-بهذا-العنوان')}/",
                }
            )
            for width in WIDTHS:
                context = browser.new_context(
                    viewport={"width": width, "height": support.SCREEN_HEIGHT}, locale="ar"
                )
                for name, path in site.paths.items():
                    page = context.new_page()
                    load = record(page, origin + path)
                    page.screenshot(
                        path=support.SCREENSHOTS / f"reader-{name}-{width}.png", full_page=True
                    )
                    if name in AXE_PAGE_TYPES:
                        load.violations = support.run_axe(page)
                    site.loads[name, width] = load
                    page.close()
                context.close()
            for name, path in site.paths.items():
                documents[name] = fetch(origin + path)[1]
            source_feeds = [
                f"/source/{quote(source.slug)}/feed/" for source in Source.objects.all()
            ]
            site.crawled = crawl(origin, CRAWL_SEEDS + source_feeds)
            for key in UNRELEASED_HEADLINES:
                site.unreleased_paths[key] = stories[key].get_absolute_url()
                site.unreleased_statuses[key] = status_of(origin + site.unreleased_paths[key])
            secret_source = stories["draft-only source"].source
            site.unreleased_statuses["draft-only source page"] = status_of(
                f"{origin}/source/{quote(secret_source.slug)}/"
            )
        finally:
            server.stop()
            Article.objects.filter(pk__in=[story.pk for story in stories.values()]).delete()
            Source.objects.filter(articles__isnull=True).delete()
    site.html_errors = html_errors(documents)
    return site


def page_cases(names=PAGE_TYPES):
    return [pytest.param(name, width, id=f"{name}-{width}") for name in names for width in WIDTHS]


def load_of(site: ReaderSite, name: str, width: int) -> Load:
    # Every page type is loaded: a page that is missing fails its tests.
    return site.loads[name, width]


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_answers_with_its_status(reader_site, name):
    load = load_of(reader_site, name, support.DESKTOP_WIDTH)
    assert load.status == PAGE_TYPES[name]


@pytest.mark.parametrize(("name", "width"), page_cases())
def test_page_is_arabic_and_right_to_left(reader_site, name, width):
    load = load_of(reader_site, name, width)
    assert (load.lang, load.dir) == ("ar", "rtl")


@pytest.mark.parametrize(("name", "width"), page_cases())
def test_page_shows_text_in_the_arabic_web_font(reader_site, name, width):
    assert "loaded" in load_of(reader_site, name, width).font_statuses


@pytest.mark.parametrize(("name", "width"), page_cases())
def test_page_has_no_font_that_failed_to_load(reader_site, name, width):
    assert "error" not in load_of(reader_site, name, width).font_statuses


@pytest.mark.parametrize(("name", "width"), page_cases())
def test_page_logs_no_console_error(reader_site, name, width):
    assert load_of(reader_site, name, width).console_errors == []


@pytest.mark.parametrize(("name", "width"), page_cases())
def test_page_requests_nothing_from_other_hosts(reader_site, name, width):
    assert load_of(reader_site, name, width).external_requests == []


@pytest.mark.parametrize(("name", "width"), page_cases())
def test_page_fits_the_screen_without_sideways_scrolling(reader_site, name, width):
    assert load_of(reader_site, name, width).scroll_width <= width


@pytest.mark.parametrize(("name", "width"), page_cases(AXE_PAGE_TYPES))
def test_page_has_no_serious_accessibility_violation(reader_site, name, width):
    serious = support.serious_violations(load_of(reader_site, name, width).violations)
    assert serious == [], support.describe_violations(serious)


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_is_valid_html(reader_site, name):
    load_of(reader_site, name, support.DESKTOP_WIDTH)
    errors = reader_site.html_errors[name]
    assert errors == [], support.describe_html_errors(errors)


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_screenshots_are_saved(reader_site, name):
    load_of(reader_site, name, support.DESKTOP_WIDTH)
    for width in WIDTHS:
        assert (support.SCREENSHOTS / f"reader-{name}-{width}.png").stat().st_size > 0


def test_crawl_reaches_every_kind_of_reader_address(reader_site):
    assert len(reader_site.crawled) < CRAWL_LIMIT, "the crawl stopped before it ran out of links"
    paths = {unquote(urlsplit(url).path) for url in reader_site.crawled}
    for prefix in ("/story/", "/source/", "/archive/2", "/feed/", "/sitemap-"):
        assert any(path.startswith(prefix) for path in paths), prefix
    assert any(path.endswith("/feed/") and path.startswith("/source/") for path in paths)


def test_unreleased_stories_appear_nowhere_a_reader_can_reach(reader_site):
    leaks = [
        (url, key)
        for url, (_status, body) in reader_site.crawled.items()
        for key, headline in UNRELEASED_HEADLINES.items()
        if headline in body or html.escape(headline) in body
    ]
    assert leaks == []


def test_unreleased_stories_are_not_linked_from_anywhere(reader_site):
    unreleased = {unquote(path) for path in reader_site.unreleased_paths.values()}
    linked = {unquote(urlsplit(url).path) for url in reader_site.crawled}
    assert unreleased & linked == set()


def test_no_word_of_an_unreleased_story_is_shown(reader_site):
    leaks = [
        url
        for url, (_status, body) in reader_site.crawled.items()
        # The search page repeats the words searched for.
        if SECRET_WORD in body and SECRET_WORD not in unquote(url)
    ]
    assert leaks == []


def test_unreleased_story_addresses_answer_not_found_or_gone(reader_site):
    assert reader_site.unreleased_statuses == {
        "draft": 404,
        "withdrawn": 410,
        "scheduled": 404,
        "draft-only source": 404,
        "draft-only source page": 404,
    }
