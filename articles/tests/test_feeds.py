"""The RSS and Atom feeds, read back with feedparser as a feed reader would."""

import datetime
import io

import feedparser
import pytest
from defusedxml import ElementTree
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.http import http_date
from PIL import Image

from articles.models import Article

pytestmark = pytest.mark.django_db

FEEDS = ["/feed/", "/feed/atom/"]
CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}"


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def source_feeds(article):
    slug = article.source.slug
    return [f"/source/{slug}/feed/", f"/source/{slug}/feed/atom/"]


@pytest.mark.parametrize("url", FEEDS)
def test_feed_lists_published_stories_newest_first(client, make_article, url):
    now = timezone.now()
    make_article(headline="خبر الأمس", published_at=now - datetime.timedelta(days=1))
    make_article(headline="خبر الساعة", published_at=now - datetime.timedelta(minutes=5))
    feed = read_feed(client, url)
    assert [entry.title for entry in feed.entries] == ["خبر الساعة", "خبر الأمس"]


@pytest.mark.parametrize("url", FEEDS)
def test_feed_leaves_out_drafts_withdrawn_and_scheduled_stories(client, make_article, url):
    make_article(headline="خبر منشور")
    make_article(headline="مسودة لم تنشر", status=Article.Status.DRAFT)
    make_article(headline="خبر مسحوب", status=Article.Status.WITHDRAWN)
    make_article(headline="خبر مجدول", published_at=timezone.now() + datetime.timedelta(hours=2))
    feed = read_feed(client, url)
    assert [entry.title for entry in feed.entries] == ["خبر منشور"]


@pytest.mark.parametrize("url", FEEDS)
def test_feed_carries_the_full_text_with_the_dateline_first(client, make_article, url):
    make_article(
        dateline="كابول",
        paragraphs=("وصل الوفد إلى العاصمة صباح اليوم.", "وتستمر الزيارة ثلاثة أيام."),
    )
    entry = read_feed(client, url).entries[0]
    assert entry.content[0].value == (
        "<p>كابول - وصل الوفد إلى العاصمة صباح اليوم.</p>\n<p>وتستمر الزيارة ثلاثة أيام.</p>"
    )


@pytest.mark.parametrize("url", FEEDS)
def test_feed_summary_is_the_opening_paragraph(client, make_article, url):
    make_article(dateline="عمّان", paragraphs=("افتتحت الوزارة مدرسة جديدة.", "وتتسع لألف طالب."))
    entry = read_feed(client, url).entries[0]
    assert entry.summary == "عمّان - افتتحت الوزارة مدرسة جديدة."


def test_rss_feed_escapes_wire_markup_in_the_full_text(client, make_article):
    make_article(paragraphs=("<script>alert(1)</script> نص",))
    root = ElementTree.fromstring(client.get("/feed/").content)
    html = root.find(f"channel/item/{CONTENT_NS}encoded").text
    assert html == "<p>&lt;script&gt;alert(1)&lt;/script&gt; نص</p>"


def test_atom_feed_escapes_wire_markup_in_the_full_text(client, make_article):
    make_article(paragraphs=("<img src=x onerror=alert(1)>",))
    root = ElementTree.fromstring(client.get("/feed/atom/").content)
    html = root.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}content").text
    assert html == "<p>&lt;img src=x onerror=alert(1)&gt;</p>"


@pytest.mark.parametrize("url", FEEDS)
def test_feed_title_keeps_ampersands_and_angle_brackets(client, make_article, url):
    make_article(headline="شراكة بين AT&T و<أورانج>")
    assert read_feed(client, url).entries[0].title == "شراكة بين AT&T و<أورانج>"


@pytest.mark.parametrize("url", FEEDS)
def test_feed_links_each_story_by_its_absolute_address(client, make_article, url):
    article = make_article()
    entry = read_feed(client, url).entries[0]
    assert entry.link == "http://testserver" + article.get_absolute_url()


@pytest.mark.parametrize("url", FEEDS)
def test_feed_dates_each_story_by_its_publication(client, make_article, url):
    published_at = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=3)
    make_article(published_at=published_at)
    entry = read_feed(client, url).entries[0]
    assert entry.published_parsed[:6] == published_at.utctimetuple()[:6]


def test_atom_feed_dates_each_story_by_its_last_change(client, make_article):
    article = make_article(published_at=timezone.now() - datetime.timedelta(days=2))
    Article.objects.filter(pk=article.pk).update(
        updated_at=timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1)
    )
    article.refresh_from_db()
    entry = read_feed(client, "/feed/atom/").entries[0]
    assert entry.updated_parsed[:6] == article.updated_at.utctimetuple()[:6]


@pytest.mark.parametrize("url", FEEDS)
def test_feed_credits_the_source_as_author_and_category(client, make_article, url):
    make_article(source="وكالة الأنباء الأردنية")
    entry = read_feed(client, url).entries[0]
    assert entry.author == "وكالة الأنباء الأردنية"
    assert [tag.term for tag in entry.tags] == ["وكالة الأنباء الأردنية"]


@pytest.mark.parametrize("url", FEEDS)
def test_feed_is_in_arabic(client, make_article, url):
    make_article()
    assert read_feed(client, url).feed.language == "ar"


@pytest.fixture
def photo_name():
    buffer = io.BytesIO()
    Image.new("RGB", (32, 20), (200, 120, 40)).save(buffer, "JPEG")
    return default_storage.save("articles/2024/11/photo.jpg", io.BytesIO(buffer.getvalue()))


@pytest.mark.parametrize("url", FEEDS)
def test_feed_encloses_the_story_photo(client, make_article, url, photo_name):
    make_article(image=photo_name, image_alt="سوق شعبي", image_caption="سوق في عمّان")
    enclosure = read_feed(client, url).entries[0].enclosures[0]
    assert enclosure.href == f"http://testserver/media/{photo_name}"
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == default_storage.size(photo_name)


@pytest.mark.parametrize("url", FEEDS)
def test_feed_has_no_enclosure_for_a_story_without_photo(client, make_article, url):
    make_article()
    assert read_feed(client, url).entries[0].enclosures == []


def test_source_feed_lists_only_that_source(client, make_article):
    petra = make_article(headline="خبر من بترا", source="بترا")
    make_article(headline="خبر من وكالة أخرى", source="وام")
    for url in source_feeds(petra):
        assert [entry.title for entry in read_feed(client, url).entries] == ["خبر من بترا"]


def test_source_feed_leaves_out_unreleased_stories(client, make_article):
    article = make_article(headline="خبر منشور")
    make_article(headline="مسودة لم تنشر", status=Article.Status.DRAFT)
    make_article(headline="خبر مسحوب", status=Article.Status.WITHDRAWN)
    for url in source_feeds(article):
        assert [entry.title for entry in read_feed(client, url).entries] == ["خبر منشور"]


def test_source_feed_of_an_unknown_source_is_not_found(client, db):
    assert client.get("/source/لا-يوجد/feed/").status_code == 404


def test_source_feed_of_a_source_with_only_drafts_is_not_found(client, make_article):
    draft = make_article(status=Article.Status.DRAFT, source="مصدر بلا أخبار منشورة")
    for url in source_feeds(draft):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", FEEDS)
def test_feed_answers_a_conditional_get_with_304(client, make_article, url):
    make_article()
    last_modified = client.get(url).headers["Last-Modified"]
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304


def test_feed_is_modified_when_a_story_is_withdrawn(client, make_article):
    article = make_article(published_at=timezone.now() - datetime.timedelta(days=1))
    make_article(published_at=timezone.now() - datetime.timedelta(days=2))
    Article.objects.filter(pk__gt=0).update(updated_at=timezone.now() - datetime.timedelta(hours=5))
    since = http_date((timezone.now() - datetime.timedelta(hours=1)).timestamp())
    assert client.get("/feed/", headers={"If-Modified-Since": since}).status_code == 304
    article.status = Article.Status.WITHDRAWN
    article.save()
    assert client.get("/feed/", headers={"If-Modified-Since": since}).status_code == 200


@pytest.mark.parametrize("url", FEEDS)
def test_feed_may_be_cached_publicly(client, make_article, url):
    make_article()
    cache_control = client.get(url).headers["Cache-Control"]
    assert "public" in cache_control
    assert "max-age=" in cache_control


@pytest.mark.parametrize("url", FEEDS)
def test_feed_queries_do_not_grow_with_the_stories(
    client, make_article, django_assert_max_num_queries, url
):
    for number in range(12):
        make_article(headline=f"خبر رقم {number}", paragraphs=("فقرة أولى.", "فقرة ثانية."))
    # The change date, the stories, their paragraphs.
    with django_assert_max_num_queries(3):
        client.get(url)


def test_source_feed_queries_do_not_grow_with_the_stories(
    client, make_article, django_assert_max_num_queries
):
    articles = [make_article(headline=f"خبر رقم {number}") for number in range(12)]
    # The change date, the source, the stories, their paragraphs.
    with django_assert_max_num_queries(4):
        client.get(source_feeds(articles[0])[0])
