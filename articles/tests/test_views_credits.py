"""Who a story page credits: every agency in order, and nobody for copy that named nobody."""

import pytest
from django.urls import reverse

from articles.models import UNKNOWN_SOURCE_NAME, Article, Source
from articles.selectors import nav_sources

pytestmark = pytest.mark.django_db


def page(client, article) -> str:
    return client.get(article.get_absolute_url()).content.decode()


def test_a_story_credits_every_agency_in_the_order_given(client, make_article):
    story = make_article(source="أ ف ب", credits=["أ ف ب", "رويترز"])
    html = page(client, story)
    assert "<bdi>أ ف ب</bdi>، <bdi>رويترز</bdi>" in html
    assert "المصادر:" in html


def test_a_story_without_credits_is_credited_to_its_source(client, make_article):
    html = page(client, make_article(source="بترا"))
    assert "المصدر: <bdi>بترا</bdi>" in html


def test_a_story_that_named_nobody_shows_no_credit(client, make_article):
    story = make_article(source=UNKNOWN_SOURCE_NAME)
    html = page(client, story)
    assert UNKNOWN_SOURCE_NAME not in html
    assert "المصدر:" not in html


def test_the_unknown_source_is_nowhere_readers_look(client, make_article):
    make_article(source=UNKNOWN_SOURCE_NAME)
    make_article(source="وام")
    unknown = Source.objects.get(name=UNKNOWN_SOURCE_NAME)
    assert [source.name for source in nav_sources()] == ["وام"]
    assert UNKNOWN_SOURCE_NAME not in client.get("/").content.decode()
    assert client.get(reverse("articles:source", args=[unknown.slug])).status_code == 404
    assert client.get(reverse("source-feed", args=[unknown.slug])).status_code == 404
    sitemap = client.get(reverse("sitemap-section", args=["sources"])).content.decode()
    assert unknown.slug not in sitemap


def test_the_feed_names_every_credit_and_nobody_for_the_unknown(client, make_article):
    make_article(headline="خبر بمصدرين", source="كونا", credits=["كونا", "أ ف ب"])
    make_article(headline="خبر بلا مصدر", source=UNKNOWN_SOURCE_NAME)
    feed = client.get(reverse("feed")).content.decode()
    assert "كونا، أ ف ب" in feed
    assert UNKNOWN_SOURCE_NAME not in feed


def test_a_section_is_shown_beside_the_source(client, make_article):
    html = page(client, make_article(source="واس", section="اقتصادي"))
    assert '<span class="story__section">اقتصادي</span>' in html


def test_credit_names_follow_the_credits_then_the_source():
    named = Source(name="وفا")
    assert Article(source=named).credit_names == ["وفا"]
    assert Article(source=named, credits=["وفا", "أ ف ب"]).credit_names == ["وفا", "أ ف ب"]
    assert Article(source=Source(name=UNKNOWN_SOURCE_NAME)).credit_names == []


def test_a_byline_is_shown_under_the_headline(client, make_article):
    html = page(client, make_article(source="بترا", byline="ليلى حداد"))
    assert '<p class="story__byline">بقلم <bdi>ليلى حداد</bdi></p>' in html
