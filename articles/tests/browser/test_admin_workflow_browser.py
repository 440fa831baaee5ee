"""The workflow bar in Chromium: each button, the message it leaves, the history it writes."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Source
from articles.tests.admin_support import EDITORS, newsroom_user
from articles.tests.browser.test_admin_browser import sign_in
from articles.workflow_wording import format_moment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADLINE = "افتتاح جسر الملك فهد الجديد"


@pytest.fixture
def london_page(browser):
    """A page in an editor's browser set to London's time, three hours behind Riyadh's."""
    context = browser.new_context(locale="ar", timezone_id="Europe/London")
    yield context.new_page()
    context.close()


def _draft() -> Article:
    source = Source.objects.create(name="واس")
    article = Article.objects.create(
        guid="newsroom:bridge",
        headline=HEADLINE,
        slug="افتتاح-جسر",
        source=source,
        status=Article.Status.DRAFT,
    )
    article.paragraphs.create(position=1, text="افتُتح الجسر اليوم بحضور المسؤولين.")
    return article


def _bar(page):
    return page.locator(".workflow-bar").first


def test_editor_uses_each_button_and_reads_what_happened(london_page, live_server, screenshots):
    page = london_page
    newsroom_user("muharrir", EDITORS)
    article = _draft()
    sign_in(page, live_server.url, "muharrir")
    change = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    page.goto(change)
    expect(_bar(page).get_by_role("button", name="حفظ كمسودة")).to_be_visible()
    expect(page.locator("select[name=status]")).to_have_count(0)
    screenshots(page, "admin-workflow-bar-draft")

    # نشر الآن: the story is live, the message says so and links to it.
    _bar(page).get_by_role("button", name="نشر الآن").click()
    message = page.locator(".messagelist")
    expect(message).to_contain_text(f"نُشر الخبر «{HEADLINE}» وهو الآن على الموقع")
    link = message.get_by_role("link", name="اعرضه كما يراه القراء")
    expect(link).to_have_attribute("href", article.get_absolute_url())
    assert page.url == change
    article.refresh_from_db()
    assert article in Article.objects.published()

    # إلغاء النشر: back to the drafts.
    _bar(page).get_by_role("button", name="إلغاء النشر").click()
    expect(message).to_contain_text(f"أُعيد الخبر «{HEADLINE}» إلى المسودات ولم يعد على الموقع")
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT

    # جدولة: the time typed in the bar, in Riyadh's time, shown in London's beside it.
    due = timezone.localtime(timezone.now() + datetime.timedelta(days=1)).replace(
        hour=21, minute=18, second=0, microsecond=0
    )
    page.fill("input[name=published_at_0]", due.strftime("%Y-%m-%d"))
    page.fill("input[name=published_at_1]", due.strftime("%H:%M:%S"))
    expect(page.locator(".workflow-time__browser")).to_be_visible()
    expect(page.locator(".workflow-time__browser")).to_contain_text("Europe/London")
    expect(page.locator(".workflow-time__browser")).to_contain_text("6:18")
    _bar(page).get_by_role("button", name="جدولة").click()
    expect(message).to_contain_text(f"جُدول الخبر «{HEADLINE}» للنشر في {format_moment(due)}")
    article.refresh_from_db()
    assert article.published_at == due
    assert article not in Article.objects.published()
    expect(_bar(page).get_by_role("button", name="تغيير الموعد")).to_be_visible()

    # نشر الآن from the schedule, then سحب: asked first; "no" keeps it published.
    _bar(page).get_by_role("button", name="نشر الآن").click()
    expect(message).to_contain_text("وهو الآن على الموقع")
    page.once("dialog", lambda dialog: dialog.dismiss())
    _bar(page).get_by_role("button", name="سحب").click()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    questions = []

    def accept(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    _bar(page).get_by_role("button", name="سحب").click()
    expect(message).to_contain_text(f"سُحب الخبر «{HEADLINE}» ويرد رابطه الآن بالرمز 410")
    assert "410" in questions[0]
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN
    screenshots(page, "admin-workflow-bar-withdrawn")

    # The history says the same, in words.
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/history/")
    history = page.locator("#change-history")
    for line in ("نُشر", "أُعيد إلى المسودات", f"جُدول لـ {format_moment(due)}", "سُحب"):
        expect(history).to_contain_text(line)
    expect(history).not_to_contain_text("تم تغيير")

    # The preview shows the withdrawn story to the editor, with what readers get.
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator(".preview-banner")).to_contain_text("الرمز 410")
    expect(page.locator("h1")).to_contain_text(HEADLINE)


def test_an_editor_in_the_sites_zone_sees_no_second_time(browser, live_server):
    context = browser.new_context(locale="ar", timezone_id="Asia/Riyadh")
    page = context.new_page()
    newsroom_user("muharrir", EDITORS)
    article = _draft()
    sign_in(page, live_server.url, "muharrir")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    expect(page.locator("input[name=published_at_0]")).to_be_visible()
    expect(page.locator(".workflow-time__browser")).to_be_hidden()
    context.close()
