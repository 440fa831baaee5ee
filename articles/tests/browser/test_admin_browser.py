"""The newsroom in a real browser: import, reorder, publish; and a contributor cannot publish."""

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from articles.models import Article, Source
from articles.tests.admin_support import CONTRIBUTORS, EDITORS, PASSWORD, newsroom_user
from articles.tests.job_support import run_queued_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(__file__).resolve().parents[3] / "samples" / "000_cd5be3f60da65570.txt"
PUBLISHING_ACTIONS = {"publish", "unpublish", "withdraw"}
PARAGRAPH_ROWS = ".paragraphs-inline tbody tr.form-row.has_original"


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_be_visible()  # only once signed in
    expect(page.locator("#site-name")).to_contain_text("إدارة بوابة الأخبار")


def paragraph_texts(page: Page) -> list[str]:
    rows = page.locator(PARAGRAPH_ROWS)
    return [rows.nth(i).locator("textarea").input_value() for i in range(rows.count())]


def test_editor_imports_reorders_and_publishes_the_seed(page, live_server, screenshots):
    newsroom_user("muharrir", EDITORS)
    sign_in(page, live_server.url, "muharrir")

    # Import the seed through the Import page, linked from the article list.
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.get_by_role("link", name="استيراد أخبار").click()
    page.set_input_files("input[name=files]", SEED)
    page.get_by_role("button", name="استيراد").click()
    # The upload is queued and the page follows it; a worker (here, the test) imports it.
    expect(page).to_have_url(re.compile(r"/admin/articles/article/import/\d+/$"))
    # In a thread of its own: Playwright's event loop runs in this one.
    with ThreadPoolExecutor(1) as worker:
        ran = worker.submit(run_queued_jobs).result()
    assert ran == [("articles.ingest.jobs.import_upload_job", "succeeded")]
    expect(page.locator(".import-results")).to_be_visible(timeout=15_000)
    page.locator(".import-outcomes").get_by_role("link", name="الخبر").first.click()

    # Swap the first two paragraphs with the form's buttons, then publish.
    expect(page.locator("input[name=headline]")).to_be_visible()
    expect(page.locator(PARAGRAPH_ROWS).first).to_be_visible()
    first, second, *rest = before = paragraph_texts(page)
    page.locator(PARAGRAPH_ROWS).first.get_by_role("button", name="انقل الفقرة إلى الأسفل").click()
    assert paragraph_texts(page) == [second, first, *rest]
    screenshots(page, "admin-article-change-form")
    page.get_by_role("button", name="نشر الآن").first.click()
    expect(page.locator(".messagelist")).to_contain_text("وهو الآن على الموقع")

    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED
    assert list(article.paragraphs.values_list("text", flat=True)) == [second, first, *rest]
    assert len(before) > 2

    # Readers find it on the front page, opening with its new first paragraph...
    reader = page.context.browser.new_context(locale="ar").new_page()
    reader.goto(f"{live_server.url}/")
    lead = reader.locator(".lead")
    expect(lead).to_contain_text(article.headline)
    expect(lead).to_contain_text(second[:40])
    # ...and the story in the new order.
    lead.get_by_role("link", name=article.headline).click()
    body = reader.locator(".story__body p")
    expect(body.nth(0)).to_contain_text(second[:40])
    expect(body.nth(1)).to_contain_text(first[:40])
    reader.context.close()


def test_contributor_finds_no_way_to_publish(page, live_server):
    newsroom_user("musahim", CONTRIBUTORS)
    source = Source.objects.create(name="أ ف ب")
    draft = Article.objects.create(
        guid="test:draft", headline="مسودة للمراجعة", slug="مسودة-للمراجعة", source=source
    )
    published = Article.objects.create(
        guid="test:published",
        headline="خبر منشور",
        slug="خبر-منشور",
        source=source,
        status=Article.Status.PUBLISHED,
    )
    sign_in(page, live_server.url, "musahim")

    page.goto(f"{live_server.url}/admin/articles/article/")
    options = page.locator("select[name=action] option")
    values = {options.nth(i).get_attribute("value") for i in range(options.count())}
    assert not values & PUBLISHING_ACTIONS

    page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/change/")
    expect(page.locator("input[name=headline]")).to_be_editable()
    expect(page.locator("select[name=status]")).to_have_count(0)
    expect(page.locator(".workflow-note--draft")).to_contain_text("مسودة")
    expect(page.locator("button[name=_publish]")).to_have_count(0)
    expect(page.locator(".workflow-bar__next").first).to_contain_text("يراجع محرر الخبر")

    page.goto(f"{live_server.url}/admin/articles/article/add/")
    expect(page.locator("select[name=status]")).to_have_count(0)
    expect(page.locator("button[name=_publish]")).to_have_count(0)

    page.goto(f"{live_server.url}/admin/articles/article/{published.pk}/change/")
    expect(page.locator("input[name=headline]")).to_have_count(0)
    expect(page.locator("[name=_save]")).to_have_count(0)
    expect(page.locator(".workflow-note--locked")).to_be_visible()
