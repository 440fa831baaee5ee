"""The admin's article form (photo checks, alt text, the workflow rules); the search form."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.forms import ArticleAdminForm, SearchForm
from articles.models import Article, Source
from articles.permissions import PUBLISH_PERMISSION

pytestmark = pytest.mark.django_db


def _jpeg(name="photo.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "navy").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


class _Staff:
    """A signed-in user whose one permission that matters here is publishing, or not."""

    def __init__(self, can_publish: bool):
        self.can_publish = can_publish

    def has_perm(self, permission: str) -> bool:
        return self.can_publish and permission == PUBLISH_PERMISSION


def _form(can_publish=True, instance=None, files=None, action="", **data):
    source = Source.objects.get_or_create(name="بترا")[0]
    fields = {
        "headline": "خبر للتجربة",
        "slug": "خبر-للتجربة",
        "source": source.pk,
        "image_alt": "",
        "image_caption": "",
    }
    fields.update(data)
    form_class = type(
        "Form", (ArticleAdminForm,), {"user": _Staff(can_publish), "workflow_action": action}
    )
    return form_class(data=fields, files=files, instance=instance)


def test_a_story_without_a_photo_needs_no_alt_text():
    assert _form().is_valid()


def test_a_photo_needs_alt_text():
    form = _form(files={"image": _jpeg()})
    assert not form.is_valid()
    assert "نصًا بديلًا" in form.errors["image_alt"][0]


def test_a_photo_with_alt_text_is_accepted():
    form = _form(files={"image": _jpeg()}, image_alt="مبنى البلدية من الخارج")
    assert form.is_valid(), form.errors


def test_removing_alt_text_from_a_story_that_keeps_its_photo_is_refused(make_article):
    story = make_article(image="articles/old.jpg", image_alt="وصف قديم")
    form = _form(instance=story, image_alt=" ")
    assert not form.is_valid()
    assert "image_alt" in form.errors


def test_a_text_file_renamed_jpg_is_refused_in_arabic():
    fake = SimpleUploadedFile("صورة.jpg", "ليست صورة".encode(), content_type="image/jpeg")
    form = _form(files={"image": fake}, image_alt="وصف")
    assert not form.is_valid()
    assert "«صورة.jpg» ليس صورة يمكن قراءتها" in form.errors["image"][0]


def test_publishing_without_a_time_publishes_now():
    before = timezone.now()
    form = _form(action="publish")
    assert form.is_valid(), form.errors
    assert before <= form.cleaned_data["published_at"] <= timezone.now()


def test_scheduling_keeps_the_time_ahead():
    due = timezone.localtime(timezone.now() + datetime.timedelta(days=2)).replace(microsecond=0)
    form = _form(action="schedule", published_at=due.strftime("%Y-%m-%d %H:%M:%S"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["published_at"] == due


def test_scheduling_at_a_time_past_is_refused():
    past = timezone.localtime(timezone.now() - datetime.timedelta(hours=1))
    form = _form(action="schedule", published_at=past.strftime("%Y-%m-%d %H:%M:%S"))
    assert not form.is_valid()
    assert "موعدًا في المستقبل" in form.errors["published_at"][0]


def test_scheduling_without_a_time_is_refused():
    form = _form(action="schedule")
    assert not form.is_valid()
    assert "اكتب موعد النشر" in form.errors["published_at"][0]


def test_withdrawing_a_draft_is_refused(make_article):
    draft = make_article(status=Article.Status.DRAFT)
    form = _form(instance=draft, slug=draft.slug, action="withdraw")
    assert not form.is_valid()
    assert "لم يعد هذا الإجراء متاحًا" in form.non_field_errors()[0]


def test_a_draft_keeps_its_time_when_none_is_given(make_article):
    draft = make_article(status=Article.Status.DRAFT)
    form = _form(instance=draft, slug=draft.slug)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["published_at"] == draft.published_at


@pytest.mark.parametrize("action", ["publish", "schedule"])
def test_without_permission_releasing_is_refused(action):
    form = _form(can_publish=False, action=action)
    assert not form.is_valid()
    assert "صلاحية النشر" in form.non_field_errors()[0]


def test_without_permission_withdrawing_is_refused(make_article):
    story = make_article(status=Article.Status.DRAFT)
    form = _form(can_publish=False, instance=story, slug=story.slug, action="withdraw")
    assert not form.is_valid()
    assert "صلاحية النشر" in form.non_field_errors()[0]


def test_without_permission_a_released_story_cannot_be_changed(make_article):
    story = make_article()
    form = _form(can_publish=False, instance=story, slug=story.slug)
    assert not form.is_valid()
    assert "لا يعدّله إلا المحررون" in form.non_field_errors()[0]


def test_without_permission_a_draft_can_be_edited(make_article):
    draft = make_article(status=Article.Status.DRAFT)
    form = _form(can_publish=False, instance=draft, slug=draft.slug, headline="عنوان أوضح")
    assert form.is_valid(), form.errors


def test_a_form_without_a_user_may_not_release():
    form_class = type("Form", (ArticleAdminForm,), {"workflow_action": "publish"})
    form = form_class(
        data={
            "headline": "خبر للتجربة",
            "slug": "خبر-للتجربة",
            "source": Source.objects.get_or_create(name="بترا")[0].pk,
        }
    )
    assert not form.is_valid()
    assert "صلاحية النشر" in form.non_field_errors()[0]


@pytest.mark.parametrize("year", [1850, 2999])
def test_a_publication_time_no_story_can_carry_is_refused(year):
    form = _form(published_at=f"{year}-01-01 10:00:00")
    assert not form.is_valid()
    assert "خارج المدى المقبول" in form.errors["published_at"][0]


# --- The search page's form -------------------------------------------------------


def test_search_form_gives_the_chosen_source_and_dates():
    source = Source.objects.create(name="بترا")
    form = SearchForm(
        {"q": "الوزير", "source": source.slug, "from": "2024-11-01", "to": "2024-11-30"},
        sources=[source],
    )
    params, notes = form.parameters()
    assert notes == []
    assert params == {
        "q": "الوزير",
        "source": source,
        "date_from": datetime.date(2024, 11, 1),
        "date_to": datetime.date(2024, 11, 30),
        "sort": "",
    }


def test_search_form_drops_a_bad_filter_with_a_note_and_keeps_the_query():
    params, notes = SearchForm({"q": "الوزير", "source": "لا-يوجد"}, sources=[]).parameters()
    assert (params["q"], params["source"]) == ("الوزير", None)
    assert notes == ["لم نجد المصدر المطلوب، فبحثنا في كل المصادر."]


def test_search_form_swaps_reversed_dates_with_a_note():
    params, notes = SearchForm({"from": "2024-11-30", "to": "2024-11-01"}, sources=[]).parameters()
    assert (params["date_from"], params["date_to"]) == (
        datetime.date(2024, 11, 1),
        datetime.date(2024, 11, 30),
    )
    assert notes == ["تاريخ البداية بعد تاريخ النهاية، فبدّلنا بينهما."]
