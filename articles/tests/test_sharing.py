"""How a story is shared: the editor's description and social title, or their defaults."""

import json
import re

import pytest

from articles import sharing


def test_a_long_standfirst_is_cut_at_a_word_for_the_description():
    standfirst = "قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل " * 5
    cut = sharing.description("", standfirst)
    assert len(cut) <= sharing.DESCRIPTION_CHARS + 1
    assert cut.endswith("…")
    assert standfirst.startswith(cut.removesuffix("…"))


def test_a_written_description_is_used_as_written_even_when_long():
    written = "وصف كتبه المحرر " * 15
    assert sharing.description(written, "مطلع الخبر") == written.strip()


def test_a_blank_description_falls_back_to_the_standfirst():
    assert sharing.description("   ", "مطلع الخبر القصير.") == "مطلع الخبر القصير."


def test_the_social_title_falls_back_to_the_headline():
    assert sharing.social_title("", "العنوان الكامل") == "العنوان الكامل"
    assert sharing.social_title(" عنوان أقصر ", "العنوان الكامل") == "عنوان أقصر"


def _meta(html, attribute, name):
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    assert found, f"no {name} tag"
    return found.group(1)


def _json_ld(html):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


@pytest.mark.django_db
def test_the_story_page_shares_what_the_editor_wrote(client, make_article):
    article = make_article(
        headline="الحكومة تقر موازنة العام المقبل بعد نقاش طويل في البرلمان",
        description="الموازنة الجديدة في سطرين.",
        social_title="الموازنة الجديدة",
        paragraphs=("أقرت الحكومة اليوم الموازنة.", "وتتضمن زيادة في الرواتب."),
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert _meta(html, "name", "description") == "الموازنة الجديدة في سطرين."
    assert _meta(html, "property", "og:description") == "الموازنة الجديدة في سطرين."
    assert _meta(html, "name", "twitter:description") == "الموازنة الجديدة في سطرين."
    assert _meta(html, "property", "og:title") == "الموازنة الجديدة"
    assert _meta(html, "name", "twitter:title") == "الموازنة الجديدة"
    assert _json_ld(html)["description"] == "الموازنة الجديدة في سطرين."
    # The page's own title and the JSON-LD headline stay the story's headline.
    assert f"<title>{article.headline} | " in html
    assert _json_ld(html)["headline"] == article.headline


@pytest.mark.django_db
def test_the_story_page_shares_the_standfirst_and_headline_by_default(client, make_article):
    standfirst = "أقرت الحكومة اليوم موازنة العام المقبل بعد نقاش استمر ثلاثة أيام " * 4
    article = make_article(headline="الحكومة تقر الموازنة", paragraphs=(standfirst, "ثانية."))
    html = client.get(article.get_absolute_url()).content.decode()
    expected = sharing.shorten(standfirst, sharing.DESCRIPTION_CHARS)
    assert _meta(html, "name", "description") == expected
    assert _meta(html, "property", "og:description") == expected
    assert _meta(html, "property", "og:title") == "الحكومة تقر الموازنة"
    assert _json_ld(html)["description"] == expected


@pytest.mark.django_db
def test_a_page_other_than_a_story_shares_the_site_name(client, make_article):
    make_article()
    html = client.get("/").content.decode()
    assert _meta(html, "property", "og:title") == _meta(html, "property", "og:site_name")
