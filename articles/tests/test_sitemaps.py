"""The sitemap index and its sections, the Google News sitemap and robots.txt."""

import datetime
from urllib.parse import unquote, urlsplit

import pytest
from defusedxml import ElementTree
from django.utils import timezone

from articles import sitemaps
from articles.models import Article

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def parse(client, url):
    """Fetch ``url`` and parse it as XML: a sitemap must be well-formed."""
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)


def locations(root):
    return [unquote(loc.text) for loc in root.iterfind(".//sm:loc", NS)]


def paths(root):
    return [urlsplit(location).path for location in locations(root)]


def test_sitemap_index_names_each_section_by_absolute_address(client, make_article):
    make_article()
    root = parse(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    assert locations(root) == [
        "http://testserver/sitemap-stories.xml",
        "http://testserver/sitemap-sources.xml",
        "http://testserver/sitemap-archive.xml",
    ]


def test_story_sitemap_lists_only_published_stories(client, make_article):
    published = make_article(headline="خبر منشور")
    make_article(headline="مسودة", status=Article.Status.DRAFT)
    make_article(headline="مسحوب", status=Article.Status.WITHDRAWN)
    make_article(headline="مجدول", published_at=timezone.now() + datetime.timedelta(hours=3))
    root = parse(client, "/sitemap-stories.xml")
    assert paths(root) == [unquote(published.get_absolute_url())]


def test_story_sitemap_dates_each_story_by_its_last_change(client, make_article):
    article = make_article(published_at=timezone.now() - datetime.timedelta(days=30))
    changed_at = timezone.now() - datetime.timedelta(minutes=1)
    Article.objects.filter(pk=article.pk).update(updated_at=changed_at)
    root = parse(client, "/sitemap-stories.xml")
    assert root.find("sm:url/sm:lastmod", NS).text == timezone.localdate(changed_at).isoformat()


def test_story_sitemap_dates_a_story_saved_before_its_time_by_its_publication(client, make_article):
    published_at = timezone.now() - datetime.timedelta(minutes=1)
    article = make_article(published_at=published_at)
    Article.objects.filter(pk=article.pk).update(
        updated_at=published_at - datetime.timedelta(days=10)
    )
    root = parse(client, "/sitemap-stories.xml")
    assert root.find("sm:url/sm:lastmod", NS).text == timezone.localdate(published_at).isoformat()


def test_long_sitemap_section_is_split_into_pages(client, make_article, monkeypatch):
    monkeypatch.setattr(sitemaps.StorySitemap, "limit", 2)
    for number in range(3):
        make_article(headline=f"خبر {number}")
    index = locations(parse(client, "/sitemap.xml"))
    assert "http://testserver/sitemap-stories.xml?p=2" in index
    assert len(paths(parse(client, "/sitemap-stories.xml"))) == 2
    assert len(paths(parse(client, "/sitemap-stories.xml?p=2"))) == 1


def test_source_sitemap_lists_only_sources_with_published_stories(client, make_article):
    make_article(source="بترا")
    make_article(source="وكالة لا تنشر", status=Article.Status.DRAFT)
    root = parse(client, "/sitemap-sources.xml")
    assert paths(root) == ["/source/بترا/"]


def test_archive_sitemap_lists_days_with_published_stories(client, make_article):
    now = timezone.localtime()
    make_article(published_at=now - datetime.timedelta(days=1))
    make_article(published_at=now - datetime.timedelta(days=1, minutes=5))
    make_article(published_at=now - datetime.timedelta(days=3), status=Article.Status.DRAFT)
    yesterday = (now - datetime.timedelta(days=1)).date()
    root = parse(client, "/sitemap-archive.xml")
    assert paths(root) == [yesterday.strftime("/archive/%Y/%m/%d/")]


def test_archive_sitemap_counts_days_in_the_site_time_zone(client, make_article, settings):
    settings.TIME_ZONE = "Asia/Riyadh"
    # 22:30 UTC is already the next day in Riyadh (UTC+3).
    make_article(published_at=datetime.datetime(2024, 11, 5, 22, 30, tzinfo=datetime.UTC))
    root = parse(client, "/sitemap-archive.xml")
    assert paths(root) == ["/archive/2024/11/06/"]


def test_unknown_sitemap_section_is_not_found(client, db):
    assert client.get("/sitemap-drafts.xml").status_code == 404


def test_story_sitemap_queries_do_not_grow_with_the_stories(
    client, make_article, django_assert_max_num_queries
):
    for number in range(12):
        make_article(headline=f"خبر {number}")
    # The paginator's count and the page.
    with django_assert_max_num_queries(2):
        client.get("/sitemap-stories.xml")


def test_news_sitemap_lists_the_last_48_hours_only(client, make_article):
    now = timezone.now()
    recent = make_article(headline="خبر اليوم", published_at=now - datetime.timedelta(hours=2))
    make_article(headline="خبر قديم", published_at=now - datetime.timedelta(hours=49))
    root = parse(client, "/news-sitemap.xml")
    assert paths(root) == [unquote(recent.get_absolute_url())]


def test_news_sitemap_leaves_out_unreleased_stories(client, make_article):
    make_article(headline="مسودة", status=Article.Status.DRAFT)
    make_article(headline="مسحوب", status=Article.Status.WITHDRAWN)
    make_article(headline="مجدول", published_at=timezone.now() + datetime.timedelta(hours=3))
    assert paths(parse(client, "/news-sitemap.xml")) == []


def test_news_sitemap_describes_each_story_for_google_news(client, make_article, settings):
    settings.SITE_NAME = "بوابة الأخبار"
    published_at = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1)
    make_article(headline="افتتاح معرض الكتاب & الفنون", published_at=published_at)
    news = parse(client, "/news-sitemap.xml").find("sm:url/news:news", NS)
    assert news.find("news:publication/news:name", NS).text == "بوابة الأخبار"
    assert news.find("news:publication/news:language", NS).text == "ar"
    assert news.find("news:title", NS).text == "افتتاح معرض الكتاب & الفنون"
    stated = datetime.datetime.fromisoformat(news.find("news:publication_date", NS).text)
    assert stated == published_at


def test_robots_txt_names_both_sitemaps_by_absolute_address(client, db):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/news-sitemap.xml" in lines


def test_robots_txt_keeps_crawlers_out_of_admin_and_search(client, db):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Disallow: /search/" in lines


def test_robots_txt_is_plain_text(client, db):
    assert client.get("/robots.txt")["Content-Type"].startswith("text/plain")
