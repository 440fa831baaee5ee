"""Contributors cannot release stories by any request; readers never see unreleased ones."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.tests.admin_support import (
    change_url,
    changelist_url,
    form_data,
    reloaded,
)

pytestmark = pytest.mark.django_db

IN_AN_HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def editor_client(editor):
    # A client of its own: some tests here act as editor and contributor in turn.
    client = Client()
    client.force_login(editor)
    return client


def _add_form(client):
    return form_data(client.get(reverse("admin:articles_article_add")))


def test_contributor_sees_no_publishing_actions(contributor_client, make_article):
    make_article(status=Article.Status.DRAFT)
    html = contributor_client.get(changelist_url()).content.decode()
    for action in ("publish", "unpublish", "withdraw", "delete_selected"):
        assert f'value="{action}"' not in html


def test_editor_sees_the_publishing_actions(editor_client, make_article):
    make_article(status=Article.Status.DRAFT)
    html = editor_client.get(changelist_url()).content.decode()
    for action in ("publish", "unpublish", "withdraw"):
        assert f'value="{action}"' in html


def test_contributor_form_has_no_status_or_time_field(contributor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    data = form_data(contributor_client.get(change_url(draft)))
    assert "status" not in data
    assert not any(name.startswith("published_at") for name in data)


def test_contributor_creates_a_draft(contributor_client, make_article):
    source = make_article().source
    data = _add_form(contributor_client) | {
        "headline": "مسودة من مساهم",
        "slug": "مسودة-من-مساهم",
        "source": source.pk,
        "paragraphs-TOTAL_FORMS": "1",
        "paragraphs-0-text": "فقرة أولى كتبها المساهم.",
    }
    response = contributor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    article = Article.objects.get(headline="مسودة من مساهم")
    assert article.status == Article.Status.DRAFT
    assert list(article.paragraphs.values_list("text", flat=True)) == ["فقرة أولى كتبها المساهم."]


def test_contributor_cannot_publish_a_new_story_by_posting_status(contributor_client, make_article):
    source = make_article().source
    data = _add_form(contributor_client) | {
        "headline": "محاولة نشر مباشرة",
        "slug": "محاولة-نشر-مباشرة",
        "source": source.pk,
        "status": Article.Status.PUBLISHED,
        "published_at_0": "2020-01-01",
        "published_at_1": "10:00:00",
    }
    contributor_client.post(reverse("admin:articles_article_add"), data)
    article = Article.objects.get(headline="محاولة نشر مباشرة")
    assert article.status == Article.Status.DRAFT
    assert article not in Article.objects.published()


@pytest.mark.parametrize("status", [Article.Status.PUBLISHED, Article.Status.WITHDRAWN])
def test_contributor_cannot_release_a_draft_by_posting_status(
    contributor_client, make_article, status
):
    draft = make_article(status=Article.Status.DRAFT)
    data = form_data(contributor_client.get(change_url(draft))) | {"status": status}
    contributor_client.post(change_url(draft), data)
    assert reloaded(draft).status == Article.Status.DRAFT


def test_contributor_cannot_schedule_a_draft_by_posting_a_time(contributor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    before = draft.published_at
    data = form_data(contributor_client.get(change_url(draft))) | {
        "status": Article.Status.PUBLISHED,
        "published_at_0": "2099-01-01",
        "published_at_1": "08:00:00",
    }
    contributor_client.post(change_url(draft), data)
    draft = reloaded(draft)
    assert draft.status == Article.Status.DRAFT
    assert draft.published_at == before


@pytest.mark.parametrize("ahead", [False, True], ids=["published", "scheduled"])
def test_contributor_cannot_edit_a_released_story(contributor_client, make_article, ahead):
    published_at = timezone.now() + IN_AN_HOUR if ahead else None
    story = make_article(headline="عنوان المحرر", published_at=published_at)
    page = contributor_client.get(change_url(story))
    assert page.status_code == 200  # read-only view
    assert 'name="headline"' not in page.content.decode()
    data = {
        "headline": "عنوان غيّره المساهم",
        "slug": story.slug,
        "source": story.source_id,
        "paragraphs-TOTAL_FORMS": "0",
        "paragraphs-INITIAL_FORMS": "0",
    }
    assert contributor_client.post(change_url(story), data).status_code == 403
    assert reloaded(story).headline == "عنوان المحرر"


def test_contributor_cannot_move_a_published_story_in_time(contributor_client, make_article):
    story = make_article()
    before = story.published_at
    data = {
        "headline": story.headline,
        "slug": story.slug,
        "source": story.source_id,
        "status": Article.Status.PUBLISHED,
        "published_at_0": "2099-01-01",
        "published_at_1": "08:00:00",
        "paragraphs-TOTAL_FORMS": "0",
        "paragraphs-INITIAL_FORMS": "0",
    }
    assert contributor_client.post(change_url(story), data).status_code == 403
    assert reloaded(story).published_at == before


def test_contributor_cannot_withdraw_or_unpublish_a_published_story(
    contributor_client, make_article
):
    story = make_article()
    data = {
        "headline": story.headline,
        "slug": story.slug,
        "source": story.source_id,
        "status": Article.Status.WITHDRAWN,
        "paragraphs-TOTAL_FORMS": "0",
        "paragraphs-INITIAL_FORMS": "0",
    }
    contributor_client.post(change_url(story), data)
    data["status"] = Article.Status.DRAFT
    contributor_client.post(change_url(story), data)
    assert reloaded(story).status == Article.Status.PUBLISHED


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("publish", Article.Status.DRAFT),
        ("unpublish", Article.Status.PUBLISHED),
        ("withdraw", Article.Status.PUBLISHED),
    ],
)
def test_contributor_cannot_run_a_publishing_action_by_posting_it(
    contributor_client, make_article, action, status
):
    story = make_article(status=status)
    response = contributor_client.post(
        changelist_url(), {"action": action, "_selected_action": [story.pk], "index": "0"}
    )
    # Django offers a user only the actions they may run, and a contributor
    # may run none: the post is not an action at all, the list comes back.
    assert response.status_code == 200
    assert response.context["action_form"] is None
    assert reloaded(story).status == status


def test_contributor_cannot_delete_stories(contributor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_delete", args=[draft.pk])
    assert contributor_client.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=draft.pk).exists()


def test_contributor_cannot_edit_sources(contributor_client, make_article):
    source = make_article().source
    url = reverse("admin:articles_source_change", args=[source.pk])
    response = contributor_client.post(url, {"name": "مصدر آخر", "slug": "مصدر-آخر"})
    assert response.status_code == 403
    source.refresh_from_db()
    assert source.name != "مصدر آخر"


def test_contributor_cannot_manage_users(contributor_client):
    assert contributor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert contributor_client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_contributor_cannot_restore_a_revision_of_a_published_story(
    contributor_client, editor_client, make_article
):
    story = make_article(headline="العنوان الأول")
    data = form_data(editor_client.get(change_url(story))) | {"headline": "العنوان الثاني"}
    editor_client.post(change_url(story), data)
    first = story_versions(story)[-1]
    url = reverse("admin:articles_article_revision", args=[story.pk, first.pk])
    assert contributor_client.get(url).status_code == 403
    assert contributor_client.post(url, {"headline": "العنوان الأول"}).status_code == 403
    assert reloaded(story).headline == "العنوان الثاني"


def test_contributor_cannot_recover_deleted_stories(contributor_client):
    assert contributor_client.get(reverse("admin:articles_article_recoverlist")).status_code == 403


def test_admin_is_for_staff_only(client, make_article):
    from django.contrib.auth.models import User

    reader = User.objects.create_user("qari", password="كلمة-سر-القارئ-الطويلة")
    client.force_login(reader)
    response = client.get(changelist_url())
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_admin_forms_require_the_csrf_token(contributor, make_article):
    draft = make_article(status=Article.Status.DRAFT, headline="قبل")
    client = Client(enforce_csrf_checks=True)
    client.force_login(contributor)
    data = form_data(client.get(change_url(draft))) | {"headline": "بعد"}
    data.pop("csrfmiddlewaretoken")
    assert client.post(change_url(draft), data).status_code == 403
    assert reloaded(draft).headline == "قبل"


@pytest.mark.parametrize("kind", ["draft", "scheduled"])
def test_reader_cannot_see_an_unreleased_story_by_any_url(client, make_article, kind):
    if kind == "draft":
        story = make_article(headline="خبر لم يُطلق", status=Article.Status.DRAFT)
    else:
        story = make_article(headline="خبر لم يُطلق", published_at=timezone.now() + IN_AN_HOUR)
    assert client.get(story.get_absolute_url()).status_code == 404
    assert "خبر لم يُطلق" not in client.get("/").content.decode()
    # The admin's preview link is the story's own address; the change page asks for a login.
    preview = client.get(change_url(story))
    assert preview.status_code == 302
    assert "خبر لم يُطلق" not in preview.content.decode()


def test_staff_preview_shows_an_unreleased_story_with_a_banner(contributor_client, make_article):
    story = make_article(headline="خبر قيد المراجعة", status=Article.Status.DRAFT)
    page = contributor_client.get(change_url(story)).content.decode()
    assert f'href="{story.get_absolute_url()}"' in page
    assert "معاينة" in page
    preview = contributor_client.get(story.get_absolute_url())
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "خبر قيد المراجعة" in html
    assert "غير منشور" in html


def test_scheduled_story_appears_exactly_when_its_time_passes(client, make_article, monkeypatch):
    due = timezone.now() + IN_AN_HOUR
    story = make_article(headline="خبر مجدول للساعة القادمة", published_at=due)

    monkeypatch.setattr(timezone, "now", lambda: due - datetime.timedelta(microseconds=1))
    assert story not in Article.objects.published()
    assert client.get(story.get_absolute_url()).status_code == 404

    monkeypatch.setattr(timezone, "now", lambda: due)
    assert story in Article.objects.published()
    assert client.get(story.get_absolute_url()).status_code == 200
    assert "خبر مجدول للساعة القادمة" in client.get("/").content.decode()


def story_versions(article):
    from reversion.models import Version

    return list(Version.objects.get_for_object(article))
