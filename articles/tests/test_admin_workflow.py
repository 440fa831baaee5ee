"""Editors in the admin: the article list, publishing, scheduling, withdrawing, paragraphs."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from reversion.models import Version

from articles.models import Article
from articles.tests.admin_support import (
    change_url,
    changelist_url,
    form_data,
    paragraph_rows,
    paragraph_texts,
    reloaded,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def _positions(article):
    return list(article.paragraphs.order_by("position").values_list("position", flat=True))


def _act(client, action, *articles):
    return client.post(
        changelist_url(),
        {"action": action, "_selected_action": [a.pk for a in articles], "index": "0"},
        follow=True,
    )


# The list -------------------------------------------------------------------


def test_article_list_is_arabic_and_names_the_portal(editor_client, make_article):
    make_article(headline="خبر في القائمة")
    html = editor_client.get(changelist_url()).content.decode()
    assert 'dir="rtl"' in html
    assert "إدارة بوابة الأخبار" in html
    assert "خبر في القائمة" in html
    assert "آخر تعديل" in html


def test_article_list_shows_a_future_published_story_as_scheduled(editor_client, make_article):
    make_article(headline="خبر الغد", published_at=timezone.now() + HOUR)
    response = editor_client.get(changelist_url())
    row = next(r for r in response.context["cl"].result_list if r.headline == "خبر الغد")
    assert response.context["cl"].model_admin.workflow_status(row) == "مجدول"
    assert "مجدول" in response.content.decode()


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("draft", {"مسودة"}),
        ("scheduled", {"مجدول"}),
        ("published", {"منشور"}),
        ("withdrawn", {"مسحوب"}),
    ],
)
def test_status_filter_knows_scheduled_stories(editor_client, make_article, state, expected):
    make_article(headline="مسودة", status=Article.Status.DRAFT)
    make_article(headline="مجدول", published_at=timezone.now() + HOUR)
    make_article(headline="منشور")
    make_article(headline="مسحوب", status=Article.Status.WITHDRAWN)
    response = editor_client.get(changelist_url(), {"state": state})
    assert {a.headline for a in response.context["cl"].result_list} == expected


def test_article_list_filters_by_source(editor_client, make_article):
    make_article(headline="من بترا", source="بترا")
    other = make_article(headline="من واس", source="واس")
    response = editor_client.get(changelist_url(), {"source__id__exact": other.source_id})
    assert [a.headline for a in response.context["cl"].result_list] == ["من واس"]


# Bulk actions -----------------------------------------------------------------


def test_publish_action_keeps_a_wire_storys_date_and_records_the_release(
    editor_client, make_article
):
    wire_date = timezone.now() - datetime.timedelta(days=730)
    draft = make_article(status=Article.Status.DRAFT, published_at=wire_date)
    before = timezone.now()
    _act(editor_client, "publish", draft)
    draft = reloaded(draft)
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_at == wire_date
    assert draft.released_at >= before
    assert draft in Article.objects.published()


def test_publish_action_dates_a_story_written_in_the_newsroom_now(editor_client, make_article):
    draft = make_article(
        status=Article.Status.DRAFT,
        published_at=timezone.now() - datetime.timedelta(days=3),
        guid="newsroom:written-here",
    )
    before = timezone.now()
    _act(editor_client, "publish", draft)
    draft = reloaded(draft)
    assert draft.published_at >= before
    assert draft.released_at == draft.published_at


def test_publish_action_schedules_a_story_whose_time_is_ahead(editor_client, make_article):
    due = timezone.now() + HOUR
    draft = make_article(status=Article.Status.DRAFT, published_at=due)
    _act(editor_client, "publish", draft)
    draft = reloaded(draft)
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_at == due
    assert draft not in Article.objects.published()


def test_unpublish_action_returns_stories_to_drafts(editor_client, make_article):
    published = make_article()
    scheduled = make_article(published_at=timezone.now() + HOUR)
    _act(editor_client, "unpublish", published, scheduled)
    assert reloaded(published).status == Article.Status.DRAFT
    assert reloaded(scheduled).status == Article.Status.DRAFT


def test_withdraw_action_withdraws_published_stories_only(editor_client, make_article):
    published = make_article()
    draft = make_article(status=Article.Status.DRAFT)
    response = _act(editor_client, "withdraw", published, draft)
    assert reloaded(published).status == Article.Status.WITHDRAWN
    assert reloaded(draft).status == Article.Status.DRAFT
    assert "عدد الأخبار المسحوبة: 1" in response.content.decode()


def test_withdrawn_story_answers_gone(client, editor_client, make_article):
    story = make_article()
    _act(editor_client, "withdraw", story)
    client.logout()
    assert client.get(story.get_absolute_url()).status_code == 410


# The form: publishing ----------------------------------------------------------


def test_publishing_a_wire_story_through_the_form_keeps_its_date(editor_client, make_article):
    wire_date = (timezone.now() - datetime.timedelta(days=730)).replace(microsecond=0)
    draft = make_article(status=Article.Status.DRAFT, published_at=wire_date)
    data = form_data(editor_client.get(change_url(draft))) | {"_publish": "1"}
    before = timezone.now()
    assert editor_client.post(change_url(draft), data).status_code == 302
    draft = reloaded(draft)
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_at == wire_date
    assert draft.released_at >= before


def test_publishing_a_newsroom_draft_through_the_form_dates_it_now(editor_client, make_article):
    draft = make_article(
        status=Article.Status.DRAFT,
        published_at=timezone.now() - datetime.timedelta(days=2),
        guid="newsroom:written-here",
    )
    data = form_data(editor_client.get(change_url(draft))) | {"_publish": "1"}
    before = timezone.now()
    assert editor_client.post(change_url(draft), data).status_code == 302
    draft = reloaded(draft)
    assert draft.released_at >= draft.published_at >= before


def test_editing_a_published_story_keeps_its_release_moment(editor_client, make_article):
    story = make_article()
    released = story.published_at
    Article.objects.filter(pk=story.pk).update(released_at=released)
    data = form_data(editor_client.get(change_url(story))) | {"headline": "عنوان مصحح"}
    assert editor_client.post(change_url(story), data).status_code == 302
    assert reloaded(story).released_at == released


def test_publishing_with_a_future_time_schedules(editor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    due = timezone.localtime(timezone.now() + datetime.timedelta(days=1)).replace(microsecond=0)
    data = form_data(editor_client.get(change_url(draft))) | {
        "_schedule": "1",
        "published_at_0": due.strftime("%Y-%m-%d"),
        "published_at_1": due.strftime("%H:%M:%S"),
    }
    assert editor_client.post(change_url(draft), data).status_code == 302
    draft = reloaded(draft)
    assert draft.published_at == due
    assert draft not in Article.objects.published()
    assert "مجدول" in editor_client.get(change_url(draft)).content.decode()


def test_editor_adds_a_story_that_gets_its_own_identifier(editor_client, make_article):
    source = make_article().source
    for number in (1, 2):
        data = form_data(editor_client.get(reverse("admin:articles_article_add"))) | {
            "headline": f"خبر كتبه المحرر {number}",
            "slug": f"خبر-المحرر-{number}",
            "source": source.pk,
        }
        assert editor_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    guids = set(
        Article.objects.filter(headline__startswith="خبر كتبه").values_list("guid", flat=True)
    )
    assert len(guids) == 2
    assert all(guid.startswith("newsroom:") for guid in guids)


def test_change_form_links_to_the_preview(editor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    html = editor_client.get(change_url(draft)).content.decode()
    assert f'href="{draft.get_absolute_url()}"' in html
    assert ">معاينة</a>" in html


# The form: paragraphs -----------------------------------------------------------


def test_swapping_two_paragraphs_saves_the_new_order(editor_client, make_article):
    story = make_article(paragraphs=("الأولى", "الثانية", "الثالثة"))
    data = form_data(editor_client.get(change_url(story)))
    first, second, _ = paragraph_rows(data)
    data[f"{first}-position"], data[f"{second}-position"] = "2", "1"
    assert editor_client.post(change_url(story), data).status_code == 302
    assert paragraph_texts(story) == ["الثانية", "الأولى", "الثالثة"]
    assert _positions(story) == [1, 2, 3]


def test_positions_are_renumbered_after_a_paragraph_is_removed_and_one_added(
    editor_client, make_article
):
    story = make_article(paragraphs=("الأولى", "الثانية", "الثالثة"))
    data = form_data(editor_client.get(change_url(story)))
    rows = paragraph_rows(data)
    data[f"{rows[1]}-DELETE"] = "on"
    data["paragraphs-TOTAL_FORMS"] = "4"
    data["paragraphs-3-text"] = "فقرة جديدة في الآخر"
    data["paragraphs-3-article"] = str(story.pk)
    assert editor_client.post(change_url(story), data).status_code == 302
    assert paragraph_texts(story) == ["الأولى", "الثالثة", "فقرة جديدة في الآخر"]
    assert _positions(story) == [1, 2, 3]


def test_a_moved_paragraph_goes_before_the_one_it_displaces(editor_client, make_article):
    story = make_article(paragraphs=("الأولى", "الثانية", "الثالثة", "الرابعة"))
    data = form_data(editor_client.get(change_url(story)))
    data[f"{paragraph_rows(data)[3]}-position"] = "2"
    assert editor_client.post(change_url(story), data).status_code == 302
    assert paragraph_texts(story) == ["الأولى", "الرابعة", "الثانية", "الثالثة"]


def test_edited_paragraph_order_is_what_readers_see(client, editor_client, make_article):
    story = make_article(paragraphs=("الفقرة أ", "الفقرة ب"))
    data = form_data(editor_client.get(change_url(story)))
    first, second = paragraph_rows(data)
    data[f"{first}-position"], data[f"{second}-position"] = "2", "1"
    editor_client.post(change_url(story), data)
    client.logout()
    html = client.get(story.get_absolute_url()).content.decode()
    assert html.index("الفقرة ب") < html.index("الفقرة أ")


def test_saving_refreshes_the_search_vector(editor_client, make_article):
    story = make_article(headline="عنوان قديم")
    Article.objects.filter(pk=story.pk).update(search_vector=None)
    data = form_data(editor_client.get(change_url(story)))
    data[f"{paragraph_rows(data)[0]}-text"] = "فقرة عن البرتقال والزيتون"
    editor_client.post(change_url(story), data)
    assert reloaded(story).search_vector is not None
    assert "برتقال" in str(story.search_vector) or "البرتقال" in str(story.search_vector)


# The form: photos ----------------------------------------------------------------


def _jpeg(name, width=1400, height=800):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "darkgreen").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_uploading_a_photo_makes_its_renditions(editor_client, make_article, settings):
    story = make_article()
    data = form_data(editor_client.get(change_url(story))) | {
        "image": _jpeg("station.jpg"),
        "image_alt": "محطة التحلية من الجو",
    }
    assert editor_client.post(change_url(story), data).status_code == 302
    story = reloaded(story)
    stem = story.image.name.removesuffix(".jpg")
    media = Path(settings.MEDIA_ROOT)
    for width in (400, 800, 1200):
        assert (media / f"{stem}-{width}w.jpg").is_file()
    html = editor_client.get(story.get_absolute_url()).content.decode()
    assert f"{stem}-800w.jpg" in html


def test_uploading_a_text_file_as_a_photo_is_refused(editor_client, make_article):
    story = make_article()
    fake = SimpleUploadedFile("photo.jpg", "نص وليس صورة".encode(), content_type="image/jpeg")
    data = form_data(editor_client.get(change_url(story))) | {"image": fake, "image_alt": "وصف"}
    response = editor_client.post(change_url(story), data)
    assert response.status_code == 200
    assert "«photo.jpg» ليس صورة يمكن قراءتها" in response.content.decode()
    assert not reloaded(story).image


def test_a_photo_without_alt_text_is_refused(editor_client, make_article):
    story = make_article()
    data = form_data(editor_client.get(change_url(story))) | {"image": _jpeg("a.jpg", 200, 100)}
    response = editor_client.post(change_url(story), data)
    assert response.status_code == 200
    assert "نصًا بديلًا" in response.content.decode()


def test_saving_says_in_arabic_that_the_changes_were_saved(editor_client, make_article):
    story = make_article(headline="خبر محفوظ")
    data = form_data(editor_client.get(change_url(story)))
    response = editor_client.post(change_url(story), data, follow=True)
    message = response.context["messages"]
    assert [str(m) for m in message] == ["حُفظ الخبر «خبر محفوظ»"]


def test_the_form_tells_an_editor_an_old_dispatch_keeps_its_date(editor_client, make_article):
    draft = make_article(
        status=Article.Status.DRAFT, published_at=timezone.now() - datetime.timedelta(days=730)
    )
    _act(editor_client, "publish", draft)
    page = editor_client.get(change_url(draft)).content.decode()
    assert "بتاريخه الأصلي" in page


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1850-06-01"])
def test_an_absurd_publication_time_is_a_form_error(editor_client, make_article, day):
    draft = make_article(status=Article.Status.DRAFT)
    data = form_data(editor_client.get(change_url(draft))) | {
        "published_at_0": day,
        "published_at_1": "00:00:00",
    }
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["published_at"]


def test_a_bulk_action_keeps_a_revision_of_its_own_for_each_story(editor_client, make_article):
    first = make_article(status=Article.Status.DRAFT)
    second = make_article(status=Article.Status.DRAFT)
    _act(editor_client, "publish", first, second)
    for story in (first, second):
        latest = Version.objects.get_for_object(story).order_by("-pk").first()
        assert latest.field_dict["status"] == Article.Status.PUBLISHED
        stories = latest.revision.version_set.filter(content_type=latest.content_type)
        assert [version.object_id for version in stories] == [str(story.pk)]
        assert latest.revision.user.username == "muharrir"
