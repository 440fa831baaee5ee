"""A story's revisions in the admin: kept with who and when, compared, restored."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from articles.tests.admin_support import (
    change_url,
    form_data,
    paragraph_rows,
    paragraph_texts,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited_story(editor_client, make_article):
    """A story imported with one text, then edited once in the admin (headline and a paragraph)."""
    story = make_article(
        headline="العنوان كما ورد من الوكالة",
        paragraphs=("الفقرة الأولى كما وردت.", "الفقرة الثانية كما وردت."),
    )
    data = form_data(editor_client.get(change_url(story)))
    data["headline"] = "العنوان بعد التحرير"
    data[f"{paragraph_rows(data)[1]}-text"] = "الفقرة الثانية بعد التحرير."
    assert editor_client.post(change_url(story), data).status_code == 302
    return story


def _versions(article):
    return list(Version.objects.get_for_object(article).order_by("pk"))


def _revision_url(article, version):
    return reverse("admin:articles_article_revision", args=[article.pk, version.pk])


def test_an_edit_keeps_the_text_before_and_after_as_revisions(edited_story, editor):
    first, second = _versions(edited_story)
    assert first.field_dict["headline"] == "العنوان كما ورد من الوكالة"
    assert second.field_dict["headline"] == "العنوان بعد التحرير"
    assert second.revision.user == editor
    assert second.revision.date_created >= first.revision.date_created


def test_history_page_lists_both_revisions_with_who(editor_client, edited_story):
    response = editor_client.get(reverse("admin:articles_article_history", args=[edited_story.pk]))
    html = response.content.decode()
    assert len(response.context["action_list"]) == 2
    assert "muharrir" in html
    for version in _versions(edited_story):
        assert _revision_url(edited_story, version) in html


def test_revision_page_shows_what_restoring_would_change(editor_client, edited_story):
    first = _versions(edited_story)[0]
    response = editor_client.get(_revision_url(edited_story, first))
    changes = {change.label: change for change in response.context["changes"]}
    assert changes["العنوان"].old == "العنوان كما ورد من الوكالة"
    assert changes["العنوان"].new == "العنوان بعد التحرير"
    assert changes["الفقرة 2"].old == "الفقرة الثانية كما وردت."
    assert "ما يتغيّر إذا استعدتها" in response.content.decode()


def test_viewing_a_revision_changes_nothing(editor_client, edited_story):
    editor_client.get(_revision_url(edited_story, _versions(edited_story)[0]))
    edited_story.refresh_from_db()
    assert edited_story.headline == "العنوان بعد التحرير"


def test_restoring_a_revision_brings_back_its_headline_and_paragraphs(editor_client, edited_story):
    url = _revision_url(edited_story, _versions(edited_story)[0])
    data = form_data(editor_client.get(url))
    assert editor_client.post(url, data).status_code == 302
    edited_story.refresh_from_db()
    assert edited_story.headline == "العنوان كما ورد من الوكالة"
    assert paragraph_texts(edited_story) == ["الفقرة الأولى كما وردت.", "الفقرة الثانية كما وردت."]
    assert len(_versions(edited_story)) == 3


def test_restoring_text_keeps_the_story_published(editor_client, make_article):
    story = make_article(status=Article.Status.DRAFT, headline="مسودة أولى")
    data = form_data(editor_client.get(change_url(story))) | {
        "headline": "نص منشور",
        "_publish": "1",
    }
    editor_client.post(change_url(story), data)
    url = _revision_url(story, _versions(story)[0])
    editor_client.post(url, form_data(editor_client.get(url)))
    story.refresh_from_db()
    assert story.headline == "مسودة أولى"
    assert story.status == Article.Status.PUBLISHED


def test_restoring_text_keeps_when_the_story_was_released(editor_client, make_article):
    story = make_article(status=Article.Status.DRAFT, headline="مسودة أولى")
    data = form_data(editor_client.get(change_url(story))) | {
        "headline": "نص منشور",
        "_publish": "1",
    }
    editor_client.post(change_url(story), data)
    story.refresh_from_db()
    released_at = story.released_at
    url = _revision_url(story, _versions(story)[0])
    editor_client.post(url, form_data(editor_client.get(url)))
    story.refresh_from_db()
    assert story.headline == "مسودة أولى"
    assert released_at is not None and story.released_at == released_at


def test_publishing_action_is_recorded_in_the_history(editor_client, editor, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [draft.pk], "index": "0"},
    )
    last = _versions(draft)[-1]
    assert last.field_dict["status"] == Article.Status.PUBLISHED
    assert last.revision.user == editor
    assert "نُشر" in last.revision.get_comment()
