"""The story form, body first: its layout, the paragraph boxes, the sharing fields, the photo."""

import re

import pytest
from django.urls import reverse

from articles.models import Article
from articles.tests.admin_support import (
    change_url,
    form_data,
    paragraph_rows,
    paragraph_texts,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")


def _positions(article):
    return list(article.paragraphs.order_by("position").values_list("position", flat=True))


def _offset(html, marker):
    found = html.find(marker)
    assert found >= 0, f"{marker!r} is not on the page"
    return found


# Layout ----------------------------------------------------------------------


def test_the_headline_comes_first_then_the_paragraphs_then_the_sections(
    editor_client, make_article
):
    html = editor_client.get(change_url(make_article())).content.decode()
    order = [
        'name="headline"',
        'id="paragraphs-group"',
        ">المصدر والمكان<",
        ">النشر<",
        ">الصورة<",
        ">الوصف ومشاركة الروابط<",
        ">الرابط<",
        ">بيانات الاستيراد<",
    ]
    offsets = [_offset(html, marker) for marker in order]
    assert offsets == sorted(offsets)
    # The fields are in their sections, after the paragraphs.
    paragraphs = _offset(html, 'id="paragraphs-group"')
    for name in ("source", "dateline", "slug", "image_alt", "description", "social_title"):
        assert _offset(html, f'name="{name}"') > paragraphs


def test_the_sections_after_the_paragraphs_fold_away(editor_client, make_article):
    html = editor_client.get(change_url(make_article())).content.decode()
    after = html[_offset(html, 'id="paragraphs-group"') :]
    assert after.count("<details><summary>") >= 6
    # Editors see the source and dateline at once: the script opens that section.
    assert "open-by-default" in after


def test_a_section_with_an_error_is_shown_open(editor_client, make_article):
    story = make_article()
    data = form_data(editor_client.get(change_url(story))) | {"slug": ""}
    html = editor_client.post(change_url(story), data).content.decode()
    link = html[_offset(html, ">الرابط<") - 400 : _offset(html, ">الرابط<")]
    assert "<details>" not in link


def test_a_new_story_opens_with_an_empty_first_paragraph(editor_client):
    data = form_data(editor_client.get(ADD_URL))
    assert data["paragraphs-TOTAL_FORMS"] == "1"
    assert data["paragraphs-0-text"] == ""


def test_a_hidden_field_no_section_lists_still_goes_out_with_the_form(
    editor_client, make_article, monkeypatch
):
    from django import forms

    from articles.admin import ArticleAdmin

    class WithToken(ArticleAdmin.form):
        token = forms.CharField(widget=forms.HiddenInput, initial="رمز-الحفظ", required=False)

    monkeypatch.setattr(ArticleAdmin, "form", WithToken)
    data = form_data(editor_client.get(change_url(make_article())))
    assert data["token"] == "رمز-الحفظ"


# Splitting a paragraph box at its blank lines -------------------------------


def test_a_blank_line_splits_a_paragraph_in_place_on_the_change_form(editor_client, make_article):
    story = make_article(paragraphs=("الأولى", "الثانية", "الثالثة"))
    first_id = story.paragraphs.get(position=1).pk
    data = form_data(editor_client.get(change_url(story)))
    data[f"{paragraph_rows(data)[0]}-text"] = "الأولى، أ\r\n\r\nالأولى، ب\r\n  \r\n\r\nالأولى، ج"
    assert editor_client.post(change_url(story), data).status_code == 302
    assert paragraph_texts(story) == ["الأولى، أ", "الأولى، ب", "الأولى، ج", "الثانية", "الثالثة"]
    assert _positions(story) == [1, 2, 3, 4, 5]
    # The box's own paragraph keeps the first part, and so its history.
    assert story.paragraphs.get(pk=first_id).text == "الأولى، أ"


def test_a_single_line_break_stays_inside_its_paragraph(editor_client, make_article):
    story = make_article(paragraphs=("الأولى",))
    data = form_data(editor_client.get(change_url(story)))
    data[f"{paragraph_rows(data)[0]}-text"] = "سطر أول\r\nسطر ثان"
    assert editor_client.post(change_url(story), data).status_code == 302
    assert paragraph_texts(story) == ["سطر أول\r\nسطر ثان"]


def test_a_whole_story_pasted_into_the_first_box_of_a_new_story_gives_its_paragraphs(
    editor_client, make_article
):
    source = make_article().source
    data = form_data(editor_client.get(ADD_URL)) | {
        "headline": "خبر لُصق نصه كاملاً",
        "slug": "خبر-لصق-نصه",
        "source": source.pk,
        "paragraphs-0-text": (
            "\r\n  \r\nالفقرة الأولى.\r\n\r\nالفقرة الثانية.\r\n\r\n\r\nالثالثة.\r\n\r\n"
        ),
    }
    assert editor_client.post(ADD_URL, data).status_code == 302
    story = Article.objects.get(headline="خبر لُصق نصه كاملاً")
    assert paragraph_texts(story) == ["الفقرة الأولى.", "الفقرة الثانية.", "الثالثة."]
    assert _positions(story) == [1, 2, 3]


def test_a_split_box_moved_up_takes_its_parts_with_it(editor_client, make_article):
    story = make_article(paragraphs=("الأولى", "الثانية", "الثالثة"))
    data = form_data(editor_client.get(change_url(story)))
    rows = paragraph_rows(data)
    data[f"{rows[2]}-text"] = "ثالثة، أ\n\nثالثة، ب"
    data[f"{rows[2]}-position"] = "1"
    assert editor_client.post(change_url(story), data).status_code == 302
    assert paragraph_texts(story) == ["ثالثة، أ", "ثالثة، ب", "الأولى", "الثانية"]
    assert _positions(story) == [1, 2, 3, 4]


def test_the_paragraphs_split_off_are_in_the_revision(editor_client, make_article):
    from reversion.models import Version

    story = make_article(paragraphs=("الأولى",))
    data = form_data(editor_client.get(change_url(story)))
    data[f"{paragraph_rows(data)[0]}-text"] = "أ\n\nب"
    editor_client.post(change_url(story), data)
    latest = Version.objects.get_for_object(story).first()
    texts = {
        version.field_dict["text"]
        for version in latest.revision.version_set.all()
        if "text" in version.field_dict
    }
    assert texts == {"أ", "ب"}


# Order after a validation error ------------------------------------------------


def test_a_form_with_an_error_gives_back_the_positions_the_editor_posted(
    editor_client, make_article
):
    story = make_article(paragraphs=("الأولى", "الثانية", "الثالثة"))
    data = form_data(editor_client.get(change_url(story)))
    first, second, third = paragraph_rows(data)
    data |= {f"{first}-position": "3", f"{second}-position": "1", f"{third}-position": "2"}
    data["headline"] = ""
    response = editor_client.post(change_url(story), data)
    assert response.status_code == 200
    echoed = form_data(response)
    # admin-paragraphs.js sorts the rows by these when the page loads.
    assert [echoed[f"{row}-position"] for row in (first, second, third)] == ["3", "1", "2"]
    assert paragraph_texts(story) == ["الأولى", "الثانية", "الثالثة"]


# Sharing fields ------------------------------------------------------------------


def test_the_sharing_fields_show_their_defaults_as_placeholders(editor_client, make_article):
    story = make_article(
        headline="الحكومة تقر الموازنة",
        paragraphs=("أقرت الحكومة اليوم موازنة العام المقبل.", "ثانية."),
    )
    html = editor_client.get(change_url(story)).content.decode()
    assert re.search(r'name="social_title"[^>]*placeholder="الحكومة تقر الموازنة"', html)
    assert re.search(
        r'name="description"[^>]*placeholder="أقرت الحكومة اليوم موازنة العام المقبل."', html
    )


def test_the_sharing_fields_are_saved(editor_client, make_article):
    story = make_article()
    data = form_data(editor_client.get(change_url(story))) | {
        "description": "وصف للمشاركة.",
        "social_title": "عنوان أقصر",
    }
    assert editor_client.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert (story.description, story.social_title) == ("وصف للمشاركة.", "عنوان أقصر")


# The photo ------------------------------------------------------------------------


def test_the_photo_shows_as_a_thumbnail_with_its_alt_text(editor_client, make_article):
    story = make_article(image="articles/2024/11/rain.jpg", image_alt="شارع <غمرته> المياه")
    html = editor_client.get(change_url(story)).content.decode()
    photo = html[_offset(html, 'class="current-photo"') :]
    assert 'src="/media/articles/2024/11/rain.jpg"' in photo[:600]
    assert "النص البديل: <bdi>شارع &lt;غمرته&gt; المياه</bdi>" in photo


def test_a_story_without_a_photo_says_so(editor_client, make_article):
    html = editor_client.get(change_url(make_article())).content.decode()
    assert "لا صورة لهذا الخبر." in html


# Restoring a revision: a review --------------------------------------------------


def test_a_revision_opens_for_review_with_its_paragraphs_compared(editor_client, make_article):
    from reversion.models import Version

    story = make_article(
        headline="العنوان الأول",
        paragraphs=("فقرة لم تتغير.", "قال الوزير إن المحطة تنتج المياه."),
    )
    data = form_data(editor_client.get(change_url(story)))
    data[f"{paragraph_rows(data)[1]}-text"] = "قال الوزير إن المحطة تنتج الكهرباء."
    data["description"] = "وصف جديد."
    assert editor_client.post(change_url(story), data).status_code == 302
    first = Version.objects.get_for_object(story).order_by("pk").first()
    url = reverse("admin:articles_article_revision", args=[story.pk, first.pk])
    response = editor_client.get(url)
    html = response.content.decode()
    assert "راجِع النص المستعاد ثم احفظه." in html
    assert "يبقى الخبر على الموقع كما هو حتى تحفظ" in html
    assert "<del>المياه.</del>" in html
    assert "<ins>الكهرباء.</ins>" in html
    assert "<summary>لم تتغيّر</summary>فقرة لم تتغير." in html
    assert [change.label for change in response.context["field_changes"]] == ["الوصف"]
    # Opening it changed nothing.
    assert paragraph_texts(story)[1] == "قال الوزير إن المحطة تنتج الكهرباء."
