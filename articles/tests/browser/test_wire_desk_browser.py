"""The wire desk in Chromium: new copy appears without a reload and is announced; «نشر» in place."""

import pytest
from playwright.sync_api import expect

from articles.models import Article, ImportRecord, Source
from articles.tests.admin_support import EDITORS, newsroom_user
from articles.tests.browser import support
from articles.tests.browser.test_admin_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _arrives(headline: str) -> Article:
    article = Article.objects.create(
        guid=f"wire:{headline}",
        headline=headline,
        slug=f"wire-{Article.objects.count() + 1}",
        source=Source.objects.get_or_create(name="رويترز")[0],
        status=Article.Status.DRAFT,
    )
    article.paragraphs.create(position=1, text="نص الخبر.")
    ImportRecord.objects.create(
        file_name="wire.xml", action=ImportRecord.Action.CREATED, article=article
    )
    return article


def test_new_copy_appears_and_is_announced_and_published_in_place(
    page, live_server, settings, axe, screenshots
):
    settings.WIRE_DESK_REFRESH_SECONDS = 1  # the script waits at least 5 s between asks
    newsroom_user("muharrir", EDITORS)
    first = _arrives("الخبر الأول على المكتب")
    sign_in(page, live_server.url, "muharrir")
    page.goto(f"{live_server.url}/admin/articles/article/wire/")
    expect(page.locator("#wire-desk-table")).to_contain_text(first.headline)
    violations = support.serious_violations(axe(page))
    assert violations == [], support.describe_violations(violations)
    screenshots(page, "admin-wire-desk")

    _arrives("خبر وصل للتو")
    _arrives("خبر آخر وصل للتو")
    rows = page.locator("#wire-desk-rows tr")
    expect(rows).to_have_count(3, timeout=15_000)
    expect(rows.first).to_have_class("wire-desk__row wire-desk__row--draft wire-desk__row--new")
    expect(page.locator("#wire-desk-announcer")).to_have_text("وصل خبران جديدان")

    page.get_by_role("row", name=first.headline).get_by_role("button", name="نشر").click()
    expect(page.locator("#wire-desk-announcer")).to_contain_text("نُشر الخبر")
    expect(page.get_by_role("row", name=first.headline)).to_contain_text("منشور")
    first.refresh_from_db()
    assert first.status == Article.Status.PUBLISHED
