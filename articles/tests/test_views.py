"""The front page, and what every reader page shares: head tags, caching, errors."""

import datetime
import re

import pytest
from django.template.loader import get_template
from django.utils import timezone

from articles.http_cache import seconds_to_next_scheduled
from articles.models import Article

pytestmark = pytest.mark.django_db


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture
def many_stories(make_article):
    """45 published stories, one an hour, newest first: headline "خبر رقم N" (N = 1 newest)."""
    return [
        make_article(headline=f"خبر رقم {n}", published_at=hours_ago(n), source=f"وكالة {n % 4}")
        for n in range(1, 46)
    ]


def test_front_page_is_arabic_and_right_to_left(client, make_article):
    make_article(headline="افتتاح معرض الكتاب في القاهرة")
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "افتتاح معرض الكتاب في القاهرة" in html


def test_front_page_hides_drafts_withdrawn_and_scheduled(client, make_article):
    make_article(headline="مسودة لم تنشر", status=Article.Status.DRAFT)
    make_article(headline="خبر مسحوب", status=Article.Status.WITHDRAWN)
    make_article(headline="خبر مجدول", published_at=timezone.now() + datetime.timedelta(hours=1))
    html = client.get("/").content.decode()
    assert "مسودة لم تنشر" not in html
    assert "خبر مسحوب" not in html
    assert "خبر مجدول" not in html


def test_front_page_leads_with_the_newest_story_and_its_image(client, make_article):
    make_article(headline="خبر أقدم", published_at=hours_ago(5))
    make_article(
        headline="الخبر الأحدث",
        published_at=hours_ago(1),
        image="articles/2024/11/lead.jpg",
        image_alt="سوق مزدحم",
    )
    html = client.get("/").content.decode()
    lead = html[html.index('class="lead"') : html.index('class="lead__headline"')]
    assert 'src="/media/articles/2024/11/lead.jpg"' in lead
    assert 'alt="سوق مزدحم"' in lead
    assert html.index("الخبر الأحدث") < html.index("خبر أقدم")


def test_front_page_shows_source_date_and_opening_of_each_story(client, make_article):
    make_article(headline="خبر أول", published_at=hours_ago(3))
    make_article(
        headline="خبر ثان",
        source="رويترز",
        dateline="الرباط",
        paragraphs=("بدأ تشغيل خط الترام الجديد في الرباط صباح اليوم.", "فقرة ثانية لا تظهر."),
    )
    html = client.get("/").content.decode()
    assert "<bdi>رويترز</bdi>" in html
    assert '<span class="dateline"><bdi>الرباط</bdi> - </span>بدأ تشغيل خط الترام' in html
    assert "فقرة ثانية لا تظهر." not in html
    assert "<time datetime=" in html


def test_front_page_cuts_a_long_opening_at_a_word(client, make_article):
    make_article(paragraphs=("كلمة " * 200,))
    html = client.get("/").content.decode()
    assert "كلمة كلمة…" in html
    assert "كلمة " * 60 not in html


def test_front_page_is_paginated_with_accessible_links(client, many_stories):
    html = client.get("/").content.decode()
    assert 'aria-label="صفحات القائمة"' in html
    assert '<a class="pagination__number" href="/" aria-current="page">' in html
    assert 'rel="next" href="?page=2"' in html
    second = client.get("/?page=2").content.decode()
    assert "خبر رقم 23<" in second
    assert "خبر رقم 22<" not in second


@pytest.mark.parametrize("page", ["4", "0", "abc"])
def test_front_page_number_past_the_end_or_not_a_number_is_not_found(client, many_stories, page):
    assert client.get(f"/?page={page}").status_code == 404


def test_front_page_stays_within_three_queries(client, many_stories, django_assert_max_num_queries):
    # The next scheduled time, known for the generation after its first request.
    seconds_to_next_scheduled()
    with django_assert_max_num_queries(3):
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="lead"') == 1
    assert html.count('class="card"') == 21


def test_front_page_later_page_stays_within_three_queries(
    client, many_stories, django_assert_max_num_queries
):
    # The next scheduled time, known for the generation after its first request.
    seconds_to_next_scheduled()
    with django_assert_max_num_queries(3):
        assert client.get("/?page=2").status_code == 200


def test_navigation_lists_sources_with_published_stories_only(client, make_article):
    make_article(source="وكالة لها خبر منشور")
    make_article(source="وكالة لها مسودة فقط", status=Article.Status.DRAFT)
    html = client.get("/").content.decode()
    nav = html[html.index('class="site-nav"') : html.index("</nav>")]
    assert "وكالة لها خبر منشور" in nav
    assert "وكالة لها مسودة فقط" not in nav


def test_header_has_a_labelled_search_form_sending_q(client):
    html = client.get("/").content.decode()
    assert re.search(r'<form[^>]+role="search"[^>]+action="/search/"[^>]+method="get"', html)
    assert '<label class="visually-hidden" for="search-q">ابحث في الأخبار</label>' in html
    assert 'id="search-q"' in html and 'name="q"' in html


def test_every_page_has_a_skip_link_to_the_main_content(client):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html


def test_front_page_has_title_description_canonical_and_social_tags(client, make_article):
    make_article()
    html = client.get("/?page=1&utm_source=x").content.decode()
    assert "<title>بوابة الأخبار: أخبار الوكالات العربية</title>" in html
    assert '<meta name="description" content="' in html
    assert '<link rel="canonical" href="http://testserver/">' in html
    assert '<meta property="og:url" content="http://testserver/">' in html
    assert '<meta property="og:type" content="website">' in html
    assert '<meta property="og:locale" content="ar_AR">' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_a_later_page_names_itself_in_title_and_canonical(client, many_stories):
    html = client.get("/?page=2").content.decode()
    assert "<title>آخر الأخبار: الصفحة 2 | بوابة الأخبار</title>" in html
    assert '<link rel="canonical" href="http://testserver/?page=2">' in html


def test_site_name_comes_from_the_setting(client, settings):
    settings.SITE_NAME = "أخبار الوكالات"
    assert "<title>أخبار الوكالات: " in client.get("/").content.decode()


def test_front_page_may_be_cached_briefly_by_anyone(client, settings):
    settings.HTTP_CACHE_MAX_AGE = 90
    response = client.get("/")
    assert "public" in response["Cache-Control"]
    assert "max-age=90" in response["Cache-Control"]


def test_front_page_is_private_for_a_signed_in_user(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/")
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_fonts_and_scripts_come_from_our_own_static_files(client):
    html = client.get("/").content.decode()
    assert (
        '<link rel="preload" href="/static/fonts/noto-naskh-arabic-arabic-400-normal.woff2" '
        'as="font" type="font/woff2" crossorigin>' in html
    )
    assert '<script src="/static/js/reader.js" defer></script>' in html
    for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', html):
        assert url.startswith("http://testserver/"), url


def test_empty_site_says_so(client):
    html = client.get("/").content.decode()
    assert "لا أخبار منشورة بعد" in html


def test_unknown_page_answers_404_in_arabic_in_the_site_design(client):
    response = client.get("/story/لا-يوجد/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "الصفحة غير موجودة" in html
    assert 'class="site-header"' in html
    assert '<meta name="robots" content="noindex">' in html


def test_server_error_page_renders_without_request_context_or_database(
    django_assert_num_queries,
):
    with django_assert_num_queries(0):
        html = get_template("500.html").render()
    assert '<html lang="ar" dir="rtl">' in html
    assert "حدث خطأ من جهتنا" in html
    assert 'href="/static/css/site.css"' in html
