"""The newsroom on a phone and right to left: the desk, the story list, forms that fit, icons."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from articles.tests.admin_support import EDITORS, newsroom_user
from articles.tests.browser import support
from articles.tests.browser.test_admin_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LONG_HEADLINE = "وزير الري يفتتح محطة جديدة لتحلية المياه في المحافظة الجنوبية لخدمة آلاف الأسر"
STORY_LIST = "/admin/articles/article/"


@pytest.fixture
def newsroom(live_server, make_article):
    """An editor's desk with stories in each state; returns the live server's URL."""
    newsroom_user("muharrir", EDITORS)
    now = timezone.now()
    for number, status in enumerate(
        [Article.Status.DRAFT, Article.Status.PUBLISHED, Article.Status.WITHDRAWN] * 3
    ):
        make_article(
            headline=f"{LONG_HEADLINE} {number}",
            status=status,
            source="وكالة الأنباء الأردنية بترا",
            released_at=now if status == Article.Status.PUBLISHED else None,
        )
    make_article(status=Article.Status.PUBLISHED, published_at=now + datetime.timedelta(hours=2))
    return live_server.url


def _on_phone(page, base_url, path):
    sign_in(page, base_url, "muharrir")
    page.set_viewport_size(PHONE)
    page.goto(base_url + path)
    page.evaluate("() => document.fonts.ready.then(() => true)")


def _page_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def _open_folded_sections(page) -> None:
    for summary in page.locator("fieldset.collapse summary, details > summary").all():
        if summary.is_visible() and summary.evaluate("s => !s.parentElement.open"):
            summary.click()


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not rendered"
    return box


def test_the_story_list_reads_on_a_phone(page, newsroom, screenshots):
    _on_phone(page, newsroom, STORY_LIST)
    row = page.locator("#result_list tbody tr").first
    headline = row.locator("th.field-headline")
    expect(row.locator("td.field-workflow_status")).to_be_visible()
    expect(row.locator("td.field-published_at")).to_be_visible()
    # Wide enough to read: no longer a word or two per line.
    assert _box(headline)["width"] >= 0.45 * PHONE["width"]
    # The source and the last change give way to it.
    expect(row.locator("td.field-source")).to_be_hidden()
    expect(row.locator("td.field-updated_at")).to_be_hidden()
    # The filters come first, and nothing scrolls sideways.
    assert _box(page.locator("#changelist-filter"))["y"] < _box(page.locator("#result_list"))["y"]
    assert _page_width(page) <= PHONE["width"]
    for control in ["#searchbar", "select[name=action]", "nav.toplinks"]:
        box = _box(page.locator(control).first)
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], control
    screenshots(page, "admin-story-list")


def test_no_column_of_the_story_list_is_cut_off_beside_the_sidebar(page, newsroom):
    sign_in(page, newsroom, "muharrir")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(newsroom + STORY_LIST)
    results = page.locator("#changelist .results")
    assert results.evaluate("r => r.scrollWidth <= r.clientWidth")
    assert _box(page.locator("#result_list tbody th.field-headline").first)["width"] >= 200


def test_the_story_list_on_a_phone_has_no_serious_accessibility_fault(page, newsroom, axe):
    _on_phone(page, newsroom, STORY_LIST)
    violations = support.serious_violations(axe(page))
    assert violations == [], support.describe_violations(violations)


def test_the_dashboard_on_a_phone_shows_the_desk_and_no_serious_fault(
    page, newsroom, axe, screenshots
):
    _on_phone(page, newsroom, "/admin/")
    cards = page.locator(".desk-card")
    expect(cards).to_have_count(5)
    expect(page.locator(".desk-card--draft")).to_contain_text("3 أخبار")
    expect(page.locator(".desk-card--scheduled")).to_contain_text("خبر واحد")
    assert _page_width(page) <= PHONE["width"]
    violations = support.serious_violations(axe(page))
    assert violations == [], support.describe_violations(violations)
    screenshots(page, "admin-dashboard")


def test_a_desk_card_opens_the_list_of_its_stories(page, newsroom):
    _on_phone(page, newsroom, "/admin/")
    page.locator(".desk-card--published_today a").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(3)
    expect(page.locator("#changelist-filter li.selected", has_text="نُشر اليوم")).to_be_visible()


@pytest.mark.parametrize("form", ["change", "add"])
def test_no_box_of_the_story_form_is_clipped_on_a_phone(page, newsroom, form):
    story = Article.objects.filter(status=Article.Status.DRAFT).first()
    path = f"{story.pk}/change/" if form == "change" else "add/"
    _on_phone(page, newsroom, f"/admin/articles/article/{path}")
    # Every folded section open, so their fields are measured too.
    _open_folded_sections(page)
    assert _page_width(page) <= PHONE["width"]
    clipped = page.evaluate(
        """width => [...document.querySelectorAll('#content :is(input, textarea, select)')]
            .filter(el => el.type !== 'hidden' && el.getClientRects().length)
            .map(el => [el.name, el.getBoundingClientRect()])
            .filter(([, box]) => box.left < 0 || box.right > width)
            .map(([name]) => name)""",
        PHONE["width"],
    )
    assert clipped == []


def test_the_calendar_shows_the_whole_week_on_a_phone(page, newsroom):
    story = Article.objects.filter(status=Article.Status.DRAFT).first()
    _on_phone(page, newsroom, f"/admin/articles/article/{story.pk}/change/")
    _open_folded_sections(page)
    page.locator("input[name=published_at_0] ~ .datetimeshortcuts a[id^=calendarlink]").click()
    box = page.locator(".calendarbox >> visible=true")
    expect(box).to_be_visible()
    # Saturday to Friday, none cut off by the box or the screen.
    outer = _box(box)
    days = box.locator("th")
    expect(days).to_have_count(7)
    for day in days.all():
        cell = _box(day)
        assert outer["x"] <= cell["x"] and cell["x"] + cell["width"] <= outer["x"] + outer["width"]
    assert outer["x"] >= 0 and outer["x"] + outer["width"] <= PHONE["width"]


def test_icons_that_point_a_way_point_the_reading_way(page, newsroom):
    story = Article.objects.filter(status=Article.Status.PUBLISHED).first()
    sign_in(page, newsroom, "muharrir")
    page.goto(f"{newsroom}/admin/articles/article/{story.pk}/change/")
    assert page.evaluate("() => document.documentElement.dir") == "rtl"
    preview = page.locator(".object-tools a.viewsitelink").first
    assert "arrowleft" in preview.evaluate("a => getComputedStyle(a).backgroundImage")
    page.goto(f"{newsroom}{STORY_LIST}")
    summary = page.locator("#changelist-filter details > summary").first
    summary.click()  # closed now: the arrow points along the line, right to left
    arrow = summary.evaluate("s => getComputedStyle(s, '::before').content")
    assert arrow == '"←"'
