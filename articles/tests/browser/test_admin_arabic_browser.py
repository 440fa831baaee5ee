"""The admin's Arabic in the browser: what its scripts print, dates, counts, the Arabic 403."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from playwright.sync_api import expect

from articles import dates
from articles.models import Article
from articles.tests.admin_support import CONTRIBUTORS, EDITORS, PASSWORD, newsroom_user
from articles.tests.browser import support
from articles.tests.browser.test_admin_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY_LIST = "/admin/articles/article/"
EVENING = datetime.datetime(2026, 12, 4, 21, 18, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def test_the_story_list_counts_and_dates_in_arabic(page, live_server, make_article, screenshots):
    newsroom_user("muharrir", EDITORS)
    for number in range(12):
        make_article(headline=f"خبر رقم {number}", published_at=EVENING)
    sign_in(page, live_server.url, "muharrir")
    page.goto(live_server.url + STORY_LIST)

    expect(page.locator(".paginator .result-count")).to_have_text("12 خبرًا")
    month = dates.month_name(12, settings.ARABIC_MONTH_STYLE)
    expect(page.locator("#result_list td.field-published_at").first).to_have_text(
        f"4 {month} 2026، 9:18 م"
    )
    # The action bar's counter is written by the admin's script, from the djangojs catalogue.
    counter = page.locator(".action-counter")
    expect(counter).to_have_text("لا شيء محدد من 12")
    for box in page.locator("#result_list input.action-select").all()[:3]:
        box.check()
    expect(counter).to_have_text("حُدِّد 3 من 12")
    screenshots(page, "admin-arabic-story-list")


def test_the_clock_note_counts_the_hours_in_agreement(browser, live_server):
    User.objects.create_superuser("raees", password=PASSWORD)
    user = User.objects.get(username="raees")
    # A browser three hours behind the site's clock (Asia/Riyadh, UTC+3, by default).
    site_offset = zoneinfo.ZoneInfo(settings.TIME_ZONE).utcoffset(datetime.datetime.now())
    behind = int(site_offset.total_seconds() // 3600) - 3
    context = browser.new_context(locale="ar", timezone_id=f"Etc/GMT{-behind:+d}")
    try:
        page = context.new_page()
        sign_in(page, live_server.url, "raees")
        page.goto(f"{live_server.url}/admin/auth/user/{user.pk}/change/")
        expect(page.locator(".timezonewarning").first).to_have_text(
            "ملاحظة: أنت متأخر بـ 3 ساعات عن وقت الخادم."
        )
    finally:
        context.close()


def test_a_refused_contributor_sees_the_admins_arabic_403(
    page, live_server, make_article, axe, screenshots
):
    newsroom_user("musahim", CONTRIBUTORS)
    draft = make_article(status=Article.Status.DRAFT)
    sign_in(page, live_server.url, "musahim")
    response = page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/delete/")

    assert response.status == 403
    expect(page.locator("#site-name")).to_contain_text("إدارة بوابة الأخبار")
    expect(page.locator("#content h1")).to_have_text("لا تملك صلاحية هذه الصفحة")
    page.get_by_role("link", name="العودة إلى غرفة الأخبار").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")
    page.go_back()
    violations = support.serious_violations(axe(page))
    assert violations == [], support.describe_violations(violations)
    screenshots(page, "admin-arabic-403")
