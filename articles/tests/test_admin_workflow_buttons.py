"""The story form's workflow bar: each button, its message, the history line, who may press it."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Source
from articles.tests.admin_support import (
    change_url,
    changelist_url,
    form_data,
    paragraph_rows,
    reloaded,
)
from articles.workflow_wording import format_moment, zone_label

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
ADD_URL = "admin:articles_article_add"


def _press(client, article, button, **changes):
    """Post the story's form as the browser shows it, with ``button`` pressed."""
    data = form_data(client.get(change_url(article))) | changes
    if button:
        data[button] = "1"
    return client.post(change_url(article), data, follow=True)


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _last_log(article) -> str:
    entry = LogEntry.objects.filter(object_id=str(article.pk)).order_by("-pk").first()
    return entry.get_change_message()


def _time_fields(moment) -> dict:
    local = timezone.localtime(moment)
    return {
        "published_at_0": local.strftime("%Y-%m-%d"),
        "published_at_1": local.strftime("%H:%M:%S"),
    }


def _buttons(html: str) -> list[str]:
    return [
        name
        for name in ("_save", "_publish", "_schedule", "_unpublish", "_withdraw")
        if f'name="{name}"' in html
    ]


# Which buttons each state offers ---------------------------------------------------


@pytest.mark.parametrize(
    ("state", "buttons", "labels"),
    [
        ("draft", ["_save", "_publish", "_schedule"], ["حفظ كمسودة", "نشر الآن", "جدولة"]),
        (
            "scheduled",
            ["_save", "_publish", "_schedule", "_unpublish"],
            ["نشر الآن", "تغيير الموعد", "إلغاء النشر"],
        ),
        (
            "published",
            ["_save", "_unpublish", "_withdraw"],
            ["حفظ التعديلات", "إلغاء النشر", "سحب"],
        ),
        (
            "withdrawn",
            ["_save", "_publish", "_unpublish"],
            ["إعادة النشر", "إعادة إلى المسودات"],
        ),
    ],
)
def test_the_bar_offers_what_the_state_allows(editor_client, make_article, state, buttons, labels):
    story = {
        "draft": lambda: make_article(status=Article.Status.DRAFT),
        "scheduled": lambda: make_article(published_at=timezone.now() + HOUR),
        "published": lambda: make_article(),
        "withdrawn": lambda: make_article(status=Article.Status.WITHDRAWN),
    }[state]()
    html = editor_client.get(change_url(story)).content.decode()
    assert _buttons(html) == buttons
    assert "حذف الخبر" in html
    for label in labels:
        assert f">{label}</button>" in html
    assert 'name="status"' not in html


def test_the_bar_holds_the_one_publication_time_and_names_its_zone(editor_client, make_article):
    html = editor_client.get(change_url(make_article(status=Article.Status.DRAFT))).content.decode()
    assert html.count('name="published_at_0"') == 1
    assert "بتوقيت الرياض (غرينتش+3)" in html
    bar = html.index('class="workflow-time')
    assert bar < html.index('name="published_at_0"') < html.index('name="_schedule"')


def test_withdrawing_asks_for_confirmation(editor_client, make_article):
    html = editor_client.get(change_url(make_article())).content.decode()
    assert 'name="_withdraw" value="1"' in html
    assert "data-confirm=" in html.split('name="_withdraw"')[1].split(">")[0]


def test_the_zone_label_follows_the_setting(settings):
    settings.TIME_ZONE = "Africa/Cairo"
    # Cairo keeps summer time: the offset is the one at the moment asked.
    winter = datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)
    summer = datetime.datetime(2026, 7, 15, 12, tzinfo=datetime.UTC)
    assert zone_label(winter) == "بتوقيت القاهرة (غرينتش+2)"
    assert zone_label(summer) == "بتوقيت القاهرة (غرينتش+3)"


# Each button: what it does, what the editor reads, where they land, what history says ----


def test_publish_now_releases_the_story_and_says_so_with_a_link(editor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT, headline="سد النهضة", guid="newsroom:a")
    before = timezone.now()
    response = _press(editor_client, draft, "_publish")
    draft = reloaded(draft)
    assert draft.status == Article.Status.PUBLISHED
    assert draft.released_at >= draft.published_at >= before
    assert draft in Article.objects.published()
    assert response.redirect_chain[-1][0] == change_url(draft)
    [said] = _messages(response)
    assert said.startswith("نُشر الخبر «سد النهضة» وهو الآن على الموقع")
    assert f'href="{draft.get_absolute_url()}"' in said
    assert _last_log(draft) == "نُشر"


def test_publish_now_on_a_scheduled_story_publishes_it_at_once(editor_client, make_article):
    story = make_article(published_at=timezone.now() + 5 * HOUR, guid="test:wire")
    _press(editor_client, story, "_publish")
    story = reloaded(story)
    assert story.published_at <= timezone.now()
    assert story in Article.objects.published()


def test_publish_now_keeps_a_time_the_editor_typed_in_the_past(editor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT, guid="newsroom:b")
    backdated = (timezone.now() - 30 * HOUR).replace(microsecond=0)
    _press(editor_client, draft, "_publish", **_time_fields(backdated))
    draft = reloaded(draft)
    assert draft.published_at == backdated
    assert draft in Article.objects.published()


def test_schedule_sets_the_time_and_says_when(editor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT, headline="موازنة العام")
    due = (timezone.now() + 26 * HOUR).replace(second=0, microsecond=0)
    response = _press(editor_client, draft, "_schedule", **_time_fields(due))
    draft = reloaded(draft)
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_at == due
    assert draft not in Article.objects.published()
    assert response.redirect_chain[-1][0] == change_url(draft)
    when = format_moment(due)
    assert _messages(response) == [f"جُدول الخبر «موازنة العام» للنشر في {when}"]
    assert _last_log(draft) == f"جُدول لـ {when}"


def test_a_scheduled_time_is_written_in_arabic_order(settings):
    # As the story list writes it, in the site's month style (ARABIC_MONTH_STYLE=both).
    moment = datetime.datetime(2026, 12, 4, 18, 18, tzinfo=datetime.UTC)
    assert format_moment(moment) == "4 كانون الأول/ديسمبر 2026، 9:18 م"
    assert format_moment(moment - 12 * HOUR) == "4 كانون الأول/ديسمبر 2026، 9:18 ص"


def test_schedule_in_the_past_is_a_form_error(editor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    response = _press(editor_client, draft, "_schedule", **_time_fields(timezone.now() - HOUR))
    assert response.status_code == 200
    assert not response.redirect_chain
    errors = response.context["adminform"].form.errors["published_at"]
    assert "موعدًا في المستقبل" in errors[0]
    assert reloaded(draft).status == Article.Status.DRAFT


def test_saving_a_scheduled_story_with_a_new_time_reschedules_it(editor_client, make_article):
    story = make_article(published_at=timezone.now() + HOUR)
    due = (timezone.now() + 48 * HOUR).replace(second=0, microsecond=0)
    response = _press(editor_client, story, "_save", **_time_fields(due))
    assert reloaded(story).published_at == due
    assert _messages(response)[0].startswith("جُدول الخبر")
    assert _last_log(story) == f"جُدول لـ {format_moment(due)}"


def test_saving_a_published_story_with_a_time_ahead_is_refused(editor_client, make_article):
    story = make_article()
    response = _press(editor_client, story, "_save", **_time_fields(timezone.now() + HOUR))
    assert "يخفي الخبر المنشور" in response.context["adminform"].form.errors["published_at"][0]
    assert story in Article.objects.published()


def test_unpublish_returns_the_story_to_the_drafts(editor_client, make_article):
    story = make_article(headline="خبر عاجل")
    response = _press(editor_client, story, "_unpublish")
    assert reloaded(story).status == Article.Status.DRAFT
    assert response.redirect_chain[-1][0] == change_url(story)
    assert _messages(response) == ["أُعيد الخبر «خبر عاجل» إلى المسودات ولم يعد على الموقع"]
    assert _last_log(story) == "أُعيد إلى المسودات"


def test_withdraw_makes_the_link_answer_gone_and_says_so(client, editor_client, make_article):
    story = make_article(headline="خبر خاطئ")
    response = _press(editor_client, story, "_withdraw")
    assert reloaded(story).status == Article.Status.WITHDRAWN
    assert response.redirect_chain[-1][0] == change_url(story)
    assert _messages(response) == ["سُحب الخبر «خبر خاطئ» ويرد رابطه الآن بالرمز 410"]
    assert _last_log(story) == "سُحب"
    client.logout()
    assert client.get(story.get_absolute_url()).status_code == 410


def test_republishing_a_withdrawn_story(editor_client, make_article):
    story = make_article(status=Article.Status.WITHDRAWN)
    _press(editor_client, story, "_publish")
    assert reloaded(story) in Article.objects.published()


def test_a_plain_save_names_the_story_and_what_was_edited(editor_client, make_article):
    story = make_article(headline="قديم", paragraphs=("فقرة",))
    data = form_data(editor_client.get(change_url(story)))
    data[f"{paragraph_rows(data)[0]}-text"] = "فقرة مصححة"
    data |= {"headline": "عنوان جديد", "_save": "1"}
    response = editor_client.post(change_url(story), data, follow=True)
    assert response.redirect_chain[-1][0] == change_url(story)
    assert _messages(response) == ["حُفظ الخبر «عنوان جديد»"]
    assert _last_log(story) == "عُدّل العنوان والفقرات"


def test_a_new_backdated_time_is_named_in_the_history(editor_client, make_article):
    story = make_article()
    earlier = (story.published_at - 2 * HOUR).replace(microsecond=0)
    _press(editor_client, story, "_save", **_time_fields(earlier))
    assert reloaded(story).published_at == earlier
    assert _last_log(story) == "عُدّل وقت النشر"


def test_publishing_with_edits_says_both(editor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    _press(editor_client, draft, "_publish", headline="عنوان للنشر")
    assert _last_log(draft) == "نُشر، وعُدّل العنوان"


def test_the_history_page_reads_what_happened(editor_client, make_article):
    story = make_article(status=Article.Status.DRAFT)
    _press(editor_client, story, "_publish")
    _press(editor_client, story, "_withdraw")
    html = editor_client.get(reverse("admin:articles_article_history", args=[story.pk]))
    page = html.content.decode()
    assert "نُشر" in page and "سُحب" in page
    assert "تم تغيير" not in page and "Changed" not in page
    comments = [v.revision.get_comment() for v in Version.objects.get_for_object(story)]
    assert "سُحب" in comments and "نُشر" in comments


def test_adding_a_story_stays_on_it(editor_client, make_article):
    source = make_article().source
    data = form_data(editor_client.get(reverse(ADD_URL))) | {
        "headline": "خبر جديد من المحرر",
        "slug": "خبر-جديد-من-المحرر",
        "source": source.pk,
        "paragraphs-0-text": "الفقرة الأولى.",
        "_save": "1",
    }
    response = editor_client.post(reverse(ADD_URL), data, follow=True)
    story = Article.objects.get(headline="خبر جديد من المحرر")
    assert response.redirect_chain[-1][0] == change_url(story)
    assert _messages(response) == ["حُفظ الخبر «خبر جديد من المحرر»"]
    assert story.status == Article.Status.DRAFT
    assert _last_log(story) == "أُنشئ"


def test_adding_and_publishing_at_once(editor_client, make_article):
    source = make_article().source
    data = form_data(editor_client.get(reverse(ADD_URL))) | {
        "headline": "خبر ينشر فورا",
        "slug": "خبر-ينشر-فورا",
        "source": source.pk,
        "_publish": "1",
    }
    editor_client.post(reverse(ADD_URL), data)
    story = Article.objects.get(headline="خبر ينشر فورا")
    assert story in Article.objects.published()
    assert _last_log(story) == "أُنشئ ونُشر"


def test_bulk_actions_write_the_same_history(editor_client, make_article):
    due = (timezone.now() + 3 * HOUR).replace(microsecond=0)
    draft = make_article(status=Article.Status.DRAFT, published_at=due)
    editor_client.post(
        changelist_url(), {"action": "publish", "_selected_action": [draft.pk], "index": "0"}
    )
    assert _last_log(draft) == f"جُدول لـ {format_moment(due)}"
    editor_client.post(
        changelist_url(), {"action": "withdraw", "_selected_action": [draft.pk], "index": "0"}
    )
    assert _last_log(draft) == "سُحب"


def test_a_button_the_state_does_not_offer_is_refused(editor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    response = _press(editor_client, draft, "_withdraw")
    assert response.status_code == 200
    assert "لم يعد هذا الإجراء متاحًا" in response.content.decode()
    assert reloaded(draft).status == Article.Status.DRAFT


# The contributor --------------------------------------------------------------------


def test_contributor_sees_one_button_and_what_happens_next(contributor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    html = contributor_client.get(change_url(draft)).content.decode()
    assert _buttons(html) == ["_save"]
    assert ">حفظ كمسودة</button>" in html
    assert "حذف الخبر" not in html
    assert "يراجع محرر الخبر ثم ينشره أو يجدوله" in html


@pytest.mark.parametrize("button", ["_publish", "_schedule", "_withdraw", "_unpublish"])
def test_contributor_posting_a_release_button_is_refused(contributor_client, make_article, button):
    draft = make_article(status=Article.Status.DRAFT)
    data = form_data(contributor_client.get(change_url(draft))) | {
        button: "1",
        **_time_fields(timezone.now() + HOUR),
    }
    response = contributor_client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "لا يملك حسابك صلاحية النشر" in response.content.decode()
    draft = reloaded(draft)
    assert draft.status == Article.Status.DRAFT


def test_contributor_posting_publish_on_a_new_story_is_refused(contributor_client, make_article):
    source = make_article().source
    data = form_data(contributor_client.get(reverse(ADD_URL))) | {
        "headline": "محاولة نشر",
        "slug": "محاولة-نشر",
        "source": source.pk,
        "_publish": "1",
    }
    response = contributor_client.post(reverse(ADD_URL), data)
    assert response.status_code == 200
    assert "لا يملك حسابك صلاحية النشر" in response.content.decode()
    assert not Article.objects.filter(headline="محاولة نشر").exists()


def test_contributor_save_says_an_editor_reviews_it(contributor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT, headline="مسودة المساهم")
    response = _press(contributor_client, draft, "_save")
    assert response.redirect_chain[-1][0] == change_url(draft)
    assert _messages(response) == [
        "حُفظ الخبر «مسودة المساهم» مسودةً. يراجع محرر الخبر ثم ينشره أو يجدوله."
    ]


def test_contributor_add_form_has_a_paragraph_box_and_no_time_or_import_data(contributor_client):
    html = contributor_client.get(reverse(ADD_URL)).content.decode()
    assert 'name="paragraphs-0-text"' in html
    assert "published_at" not in html
    assert "بيانات الاستيراد" not in html
    assert "field-guid" not in html


def test_contributor_sees_no_time_or_import_data_on_their_draft(contributor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT, guid="newsroom:their-own")
    html = contributor_client.get(change_url(draft)).content.decode()
    assert "field-published_at" not in html and "field-released_at" not in html
    assert "field-guid" not in html and "field-created_at" not in html


def test_contributor_may_suggest_a_source(contributor_client):
    html = contributor_client.get(reverse(ADD_URL)).content.decode()
    add_source = reverse("admin:articles_source_add")
    assert add_source in html
    response = contributor_client.post(
        f"{add_source}?_popup=1", {"name": "وكالة جديدة", "slug": "wakala", "_popup": "1"}
    )
    assert response.status_code == 200
    assert Source.objects.filter(name="وكالة جديدة").exists()


# Preview ----------------------------------------------------------------------------


def test_staff_preview_a_withdrawn_story_with_a_banner(editor_client, make_article):
    story = make_article(status=Article.Status.WITHDRAWN, headline="خبر سُحب")
    response = editor_client.get(story.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "خبر سُحب" in html
    assert "يرى القراء على هذا الرابط أن الخبر سُحب (الرمز 410)" in html
    assert "noindex" in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_readers_still_get_gone_for_a_withdrawn_story(client, make_article):
    story = make_article(status=Article.Status.WITHDRAWN)
    assert client.get(story.get_absolute_url()).status_code == 410


def test_the_preview_link_names_a_withdrawn_storys_state(editor_client, make_article):
    story = make_article(status=Article.Status.WITHDRAWN)
    html = editor_client.get(change_url(story)).content.decode()
    assert f'href="{story.get_absolute_url()}"' in html
    assert "الخبر مسحوب" in html
