"""The story page: its parts, who may see it, its head tags and its HTTP caching."""

import datetime
import json
import re
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import Permission, User
from django.utils import timezone

from articles.http_cache import seconds_to_next_scheduled
from articles.models import Article
from articles.search.index import refresh_search_vectors
from articles.views import PREVIEW_BANNER

pytestmark = pytest.mark.django_db


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="long-enough-password-1", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    return user


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_story_page_shows_every_part(client, make_article):
    article = make_article(
        headline="أمطار غزيرة في بيروت",
        dateline="بيروت",
        image_caption="صورة لشارع غمرته المياه (أ ف ب)",
        publisher="موقع الخبر",
        source="أ ف ب",
        paragraphs=("هطلت أمطار غزيرة.", "وأغلقت بعض الطرق."),
    )
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="story__headline">أمطار غزيرة في بيروت</h1>' in html
    assert "<bdi>أ ف ب</bdi> - نقلًا عن <bdi>موقع الخبر</bdi>" in html
    assert "<time datetime=" in html
    assert html.index("هطلت أمطار غزيرة.") < html.index("وأغلقت بعض الطرق.")


def test_story_page_sets_the_dateline_before_the_first_paragraph(client, make_article):
    article = make_article(dateline="بيروت", paragraphs=("هطلت أمطار غزيرة.", "فقرة ثانية."))
    html = client.get(article.get_absolute_url()).content.decode()
    assert (
        '<p><span class="story__dateline"><bdi>بيروت</bdi> - </span>هطلت أمطار غزيرة.</p>' in html
    )
    assert html.count('class="story__dateline"') == 1


def test_story_page_shows_the_caption_even_without_an_image(client, make_article):
    article = make_article(image_caption="صورة لشارع غمرته المياه (أ ف ب)")
    html = client.get(article.get_absolute_url()).content.decode()
    assert (
        '<figcaption class="figure__caption">صورة لشارع غمرته المياه (أ ف ب)</figcaption>' in html
    )
    assert "<img" not in html


def test_story_page_shows_the_image_with_its_alt_text(client, make_article):
    article = make_article(
        image="articles/2024/11/rain.jpg", image_alt="شارع غمرته المياه", image_caption="تعليق"
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r'<img[^>]+src="/media/articles/2024/11/rain.jpg"[^>]+alt="شارع غمرته', html)


def test_wire_text_is_escaped(client, make_article):
    article = make_article(headline="<script>alert(1)</script>", paragraphs=("<b>نص</b>",))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;نص&lt;/b&gt;" in html


def test_story_date_follows_the_display_settings(client, make_article, settings):
    settings.ARABIC_MONTH_STYLE = "levantine"
    settings.ARABIC_DIGITS = "arabic"
    settings.SHOW_HIJRI = False
    article = make_article(published_at=datetime.datetime(2024, 11, 26, 9, 0, tzinfo=datetime.UTC))
    html = client.get(article.get_absolute_url()).content.decode()
    date = html[html.index('class="story__date"') :]
    date = re.sub(r"<[^>]+>", "", date[: date.index("</p>")])
    assert date.endswith("الثلاثاء ٢٦ تشرين الثاني ٢٠٢٤، الساعة ١٢:٠٠")


def test_story_page_links_the_older_and_newer_published_stories(client, make_article):
    older = make_article(headline="الخبر الأقدم", published_at=hours_ago(5))
    make_article(headline="مسودة بينهما", published_at=hours_ago(4), status="draft")
    article = make_article(headline="الخبر نفسه", published_at=hours_ago(3))
    newer = make_article(headline="الخبر الأحدث", published_at=hours_ago(1))
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'rel="prev" href="{older.get_absolute_url()}"' in html
    assert f'rel="next" href="{newer.get_absolute_url()}"' in html
    assert "مسودة بينهما" not in html


def test_related_stories_share_headline_words_or_the_source(client, make_article):
    def story(headline, source, **fields):
        return make_article(headline=headline, source=source, paragraphs=("نص الخبر.",), **fields)

    article = story("افتتاح محطة لتحلية المياه في العقبة", "بترا")
    same_words = story("محطة التحلية تنتج المياه للعقبة", "وام")
    same_source = story("مهرجان للكتاب في إربد", "بترا")
    unrelated = story("بطولة الشطرنج للناشئين", "قنا")
    hidden = story("محطة تحلية أخرى", "بترا", status="draft")
    refresh_search_vectors([a.pk for a in (article, same_words, same_source, unrelated, hidden)])
    html = client.get(article.get_absolute_url()).content.decode()
    related = html[html.index('class="related"') :]
    assert "محطة التحلية تنتج المياه للعقبة" in related
    assert "مهرجان للكتاب في إربد" in related
    assert "بطولة الشطرنج للناشئين" not in related
    assert "محطة تحلية أخرى" not in related
    assert related.index("محطة التحلية تنتج المياه") < related.index("مهرجان للكتاب")


def test_story_page_stays_within_four_queries(client, make_article, django_assert_max_num_queries):
    for n in range(35):
        make_article(
            headline=f"خبر رقم {n}", published_at=hours_ago(n + 2), source=f"وكالة {n % 3}"
        )
    article = make_article(headline="الخبر المعروض", paragraphs=[f"فقرة {n}." for n in range(30)])
    # The next scheduled time, known for the generation after its first request.
    seconds_to_next_scheduled()
    with django_assert_max_num_queries(4):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200


def test_story_page_has_news_article_json_ld(client, make_article):
    article = make_article(
        headline="أمطار في بيروت", image="articles/2024/11/rain.jpg", source="أ ف ب"
    )
    data = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "أمطار في بيروت"
    assert data["inLanguage"] == "ar"
    assert datetime.datetime.fromisoformat(data["datePublished"]) == article.published_at.replace(
        microsecond=0
    )
    assert "dateModified" in data
    assert data["image"] == ["http://testserver/media/articles/2024/11/rain.jpg"]
    assert data["publisher"]["name"] == "بوابة الأخبار"
    assert data["author"]["name"] == "أ ف ب"


def test_json_ld_survives_a_headline_that_closes_the_script(client, make_article):
    headline = "</script><script>alert('x')</script> خبر"
    article = make_article(headline=headline)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "</script><script>alert" not in html
    assert json_ld(html)["headline"] == headline


def test_story_page_has_opengraph_twitter_and_canonical_tags(client, make_article):
    article = make_article(
        headline="أمطار في بيروت",
        image="articles/2024/11/rain.jpg",
        paragraphs=("هطلت أمطار غزيرة على العاصمة اللبنانية.",),
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in html
    assert "<title>أمطار في بيروت | بوابة الأخبار</title>" in html
    assert '<meta name="description" content="هطلت أمطار غزيرة على العاصمة اللبنانية.">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="أمطار في بيروت">' in html
    assert (
        '<meta property="og:image" content="http://testserver/media/articles/2024/11/rain.jpg">'
        in html
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_story_page_prints_its_address(client, make_article):
    article = make_article()
    html = client.get(article.get_absolute_url()).content.decode()
    path = unquote(article.get_absolute_url())
    assert f'<bdi dir="ltr">http://testserver{path}</bdi>' in html


def test_story_page_offers_the_text_size_control_hidden_until_script_runs(client, make_article):
    html = client.get(make_article().get_absolute_url()).content.decode()
    assert '<div class="text-size" data-text-size hidden>' in html


def test_withdrawn_story_is_gone(client, make_article):
    article = make_article(headline="خبر سحبه المحررون", status=Article.Status.WITHDRAWN)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    html = response.content.decode()
    assert "سُحب هذا الخبر" in html
    assert "خبر سحبه المحررون" not in html
    assert 'class="site-header"' in html


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"published_at": timezone.now() + datetime.timedelta(days=1)},
    ],
    ids=["draft", "scheduled"],
)
def test_unpublished_story_is_not_found_for_readers(client, make_article, fields):
    article = make_article(**fields)
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"published_at": timezone.now() + datetime.timedelta(days=1)},
    ],
    ids=["draft", "scheduled"],
)
def test_staff_preview_unpublished_story_with_a_banner(client, make_article, editor, fields):
    article = make_article(headline="خبر لم يُنشر بعد", **fields)
    client.force_login(editor)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert PREVIEW_BANNER in html
    assert "خبر لم يُنشر بعد" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "application/ld+json" not in html
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response


def test_staff_without_view_permission_get_404_for_a_draft(client, make_article):
    user = User.objects.create_user("intern", password="long-enough-password-1", is_staff=True)
    client.force_login(user)
    assert client.get(make_article(status="draft").get_absolute_url()).status_code == 404


def test_published_story_has_no_preview_banner_for_staff(client, make_article, editor):
    client.force_login(editor)
    html = client.get(make_article().get_absolute_url()).content.decode()
    assert PREVIEW_BANNER not in html


def test_a_neighbour_far_back_is_linked_but_not_related(client, make_article):
    far = make_article(headline="محطة تحلية قديمة في العقبة", published_at=hours_ago(24 * 60))
    article = make_article(headline="افتتاح محطة لتحلية المياه في العقبة")
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'rel="prev"' in html and far.get_absolute_url() in html
    assert 'class="related"' not in html  # sixty days back: past the related stories' window
