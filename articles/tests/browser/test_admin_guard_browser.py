"""Never lose an edit, in Chromium: two editors on one story, the unsaved-changes prompt, Ctrl+S."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from articles.models import Article, Paragraph, Source
from articles.tests.admin_support import EDITORS, newsroom_user, paragraph_texts, reloaded
from articles.tests.browser.support import describe_violations, serious_violations
from articles.tests.browser.test_admin_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTICE = "[data-edit-lock-notice]"
CONFLICT = ".edit-conflict"


def _editor(username: str, first_name: str):
    user = newsroom_user(username, EDITORS)
    user.first_name = first_name
    user.save()
    return user


def _story() -> Article:
    article = Article.objects.create(
        guid="test:guard",
        headline="وزير الري يفتتح محطة لتحلية المياه",
        slug="محطة-تحلية",
        source=Source.objects.create(name="بترا"),
        status=Article.Status.DRAFT,
        published_at=timezone.now(),
    )
    Paragraph.objects.bulk_create(
        Paragraph(article=article, position=number, text=text)
        for number, text in enumerate(["افتتح الوزير المحطة اليوم.", "وتنتج المحطة مياه الشرب."], 1)
    )
    return article


def _second_editor(page: Page, base_url: str, username: str) -> Page:
    other = page.context.browser.new_context(locale="ar").new_page()
    sign_in(other, base_url, username)
    return other


def _change_url(base_url: str, article: Article) -> str:
    return f"{base_url}/admin/articles/article/{article.pk}/change/"


def _wait_for(page: Page, condition, seconds: float = 5) -> None:
    for _ in range(int(seconds * 10)):
        if condition():
            return
        page.wait_for_timeout(100)


def _save(page: Page) -> None:
    page.locator("button[name=_save]").first.click()


def test_two_editors_on_one_story(page, live_server, screenshots, axe):
    _editor("amal", "أمل")
    _editor("badr", "بدر")
    article = _story()
    url = _change_url(live_server.url, article)
    sign_in(page, live_server.url, "amal")
    page.goto(url)
    bader = _second_editor(page, live_server.url, "badr")
    bader.goto(url)

    # Bader is told Amal has it open, without being stopped.
    notice = bader.locator(NOTICE)
    expect(notice).to_be_visible()
    expect(notice).to_have_attribute("role", "status")
    expect(notice).to_contain_text("يحرّر أمل هذا الخبر الآن")
    expect(notice).to_contain_text("قد تتعارض تعديلاتكما")

    # Amal changes the headline and saves; Bader, from his earlier form, a paragraph.
    page.fill("input[name=headline]", "عنوان كتبته أمل")
    _save(page)
    expect(page.locator(".messagelist")).to_be_visible()
    bader.locator("textarea[name=paragraphs-1-text]").fill("فقرة ثانية عدّلها بدر.")
    _save(bader)

    conflict = bader.locator(CONFLICT)
    expect(conflict).to_be_visible()
    expect(conflict).to_have_attribute("role", "alert")
    expect(conflict).to_contain_text("عدّله غيرك بعد أن فتحته")
    expect(conflict).to_contain_text("أمل")
    expect(conflict.locator("table")).to_contain_text("العنوان")
    expect(conflict.locator("table")).to_contain_text("عنوان كتبته أمل")
    expect(conflict.get_by_role("link", name="أعد تحميل الخبر")).to_have_attribute(
        "href", f"/admin/articles/article/{article.pk}/change/"
    )
    expect(conflict.get_by_role("button", name="احفظ نسختي فوق تعديلاته")).to_be_visible()
    expect(bader.locator("textarea[name=paragraphs-1-text]")).to_have_value("فقرة ثانية عدّلها بدر.")
    screenshots(bader, "admin-edit-conflict")
    violations = serious_violations(axe(bader))
    assert violations == [], describe_violations(violations)
    article = reloaded(article)
    assert article.headline == "عنوان كتبته أمل"
    assert paragraph_texts(article)[1] == "وتنتج المحطة مياه الشرب."

    # Enter in a field is a plain save, refused again: only the button overwrites.
    bader.locator("input[name=headline]").press("Enter")
    expect(bader.locator(CONFLICT)).to_be_visible()
    assert paragraph_texts(article)[1] == "وتنتج المحطة مياه الشرب."

    # He chooses to overwrite, on purpose.
    bader.get_by_role("button", name="احفظ نسختي فوق تعديلاته").click()
    expect(bader.locator(".messagelist")).to_be_visible()
    expect(bader.locator(CONFLICT)).to_have_count(0)
    assert paragraph_texts(article)[1] == "فقرة ثانية عدّلها بدر."
    bader.context.close()


def test_the_editing_notice_follows_the_other_editor_live(page, live_server, settings):
    settings.EDIT_LOCK_SECONDS = 3  # a refresh every second
    _editor("amal", "أمل")
    _editor("badr", "بدر")
    article = _story()
    url = _change_url(live_server.url, article)
    sign_in(page, live_server.url, "amal")
    page.goto(url)
    bader = _second_editor(page, live_server.url, "badr")
    bader.goto(url)
    expect(bader.locator(NOTICE)).to_be_visible()

    # Amal leaves: her page lets the lock go, and Bader's next refresh takes it.
    page.goto(f"{live_server.url}/admin/articles/article/")
    expect(bader.locator(NOTICE)).to_be_hidden(timeout=5000)

    # Back on the story, Amal is the one told.
    page.goto(url)
    expect(page.locator(NOTICE)).to_contain_text("يحرّر بدر هذا الخبر الآن")
    bader.context.close()


def test_leaving_with_unsaved_changes_asks_first(page, live_server):
    _editor("amal", "أمل")
    article = _story()
    url = _change_url(live_server.url, article)
    sign_in(page, live_server.url, "amal")
    page.goto(url)
    headline = page.locator("input[name=headline]")
    headline.press("End")
    headline.press_sequentially(" عاجل")

    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    page.locator(".breadcrumbs a").first.click()
    _wait_for(page, lambda: dialogs)
    assert dialogs == ["beforeunload"]
    assert page.url == url
    expect(headline).to_have_value(article.headline + " عاجل")

    # Saved, nothing is left to lose: the same link leaves at once.
    _save(page)
    expect(page.locator(".messagelist")).to_be_visible()
    page.on("dialog", lambda dialog: dialogs.append(dialog.type) or dialog.dismiss())
    page.locator(".breadcrumbs a").first.click()
    page.wait_for_url(lambda address: "/change/" not in address)
    assert dialogs == ["beforeunload"]


def test_moving_a_paragraph_is_a_change_to_keep(page, live_server):
    _editor("amal", "أمل")
    article = _story()
    sign_in(page, live_server.url, "amal")
    page.goto(_change_url(live_server.url, article))
    page.get_by_role("button", name="انقل الفقرة إلى الأسفل").first.click()
    dialogs = []
    page.once("dialog", lambda dialog: dialogs.append(dialog.type) or dialog.dismiss())
    page.locator(".breadcrumbs a").first.click()
    _wait_for(page, lambda: dialogs)
    assert dialogs == ["beforeunload"]
    assert "/change/" in page.url


def test_choosing_a_photo_is_a_change_to_keep(page, live_server):
    _editor("amal", "أمل")
    article = _story()
    sign_in(page, live_server.url, "amal")
    page.goto(_change_url(live_server.url, article))
    page.set_input_files(
        "input[name=image]",
        files=[{"name": "photo.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n"}],
    )
    dialogs = []
    page.once("dialog", lambda dialog: dialogs.append(dialog.type) or dialog.dismiss())
    page.locator(".breadcrumbs a").first.click()
    _wait_for(page, lambda: dialogs)
    assert dialogs == ["beforeunload"]


def test_closing_the_tab_with_unsaved_changes_asks_first(page, live_server):
    _editor("amal", "أمل")
    article = _story()
    sign_in(page, live_server.url, "amal")
    page.goto(_change_url(live_server.url, article))
    page.locator("textarea[name=paragraphs-0-text]").press_sequentially(" وأكثر")
    dialogs = []
    page.once("dialog", lambda dialog: dialogs.append(dialog.type) or dialog.dismiss())
    page.close(run_before_unload=True)
    _wait_for(page, lambda: dialogs)
    assert dialogs == ["beforeunload"]
    assert not page.is_closed()


def test_a_change_undone_is_no_change(page, live_server):
    _editor("amal", "أمل")
    article = _story()
    sign_in(page, live_server.url, "amal")
    page.goto(_change_url(live_server.url, article))
    headline = page.locator("input[name=headline]")
    headline.press_sequentially("!")
    headline.press("Backspace")
    page.on("dialog", lambda dialog: pytest.fail(f"asked: {dialog.type}"))
    page.locator(".breadcrumbs a").first.click()
    page.wait_for_url(lambda address: "/change/" not in address)


def test_ctrl_s_saves(page, live_server):
    _editor("amal", "أمل")
    article = _story()
    sign_in(page, live_server.url, "amal")
    page.goto(_change_url(live_server.url, article))
    page.on("dialog", lambda dialog: pytest.fail(f"asked: {dialog.type}"))
    headline = page.locator("input[name=headline]")
    headline.fill("عنوان حُفظ من لوحة المفاتيح")
    headline.press("Control+s")
    expect(page.locator(".messagelist")).to_be_visible()
    assert reloaded(article).headline == "عنوان حُفظ من لوحة المفاتيح"
