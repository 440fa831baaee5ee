"""The header's search box in Chromium: suggestions as the reader types, by keyboard, accessible."""

import pytest
from playwright.sync_api import expect

from articles.search.index import refresh_search_vectors
from articles.tests.browser import support

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stories(make_article):
    made = [
        make_article(
            headline="الحكومة تقر الموازنة العامة", paragraphs=("أقرت الحكومة الموازنة.",)
        ),
        make_article(headline="الحكومة الجديدة تؤدي اليمين", paragraphs=("أدت الحكومة اليمين.",)),
        make_article(headline="الحكم في القضية غداً", paragraphs=("يصدر الحكم غداً.",)),
    ]
    refresh_search_vectors([article.pk for article in made])
    return made


def open_suggestions(served_page, text):
    visit = served_page("/")
    box = visit.page.get_by_role("combobox", name="ابحث في الأخبار")
    box.click()
    box.press_sequentially(text, delay=30)
    expect(visit.page.get_by_role("listbox", name="اقتراحات البحث")).to_be_visible()
    return visit, box


def test_suggestions_appear_and_a_word_searches(served_page, stories):
    visit, box = open_suggestions(served_page, "الحك")
    page = visit.page
    options = page.get_by_role("option")
    expect(options.first).to_have_text("الحكومة")
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "search-suggestion-0")
    expect(options.first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    expect(page.locator(".search-result").first).to_contain_text("الحكومة")
    assert visit.console_errors == []


def test_a_story_is_opened_from_the_keyboard(served_page, stories):
    visit, box = open_suggestions(served_page, "الموازن")
    page = visit.page
    story = page.get_by_role("option").filter(has_text="الحكومة تقر الموازنة العامة")
    expect(story).to_be_visible()
    while box.get_attribute("aria-activedescendant") != story.get_attribute("id"):
        box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(f"**{stories[0].get_absolute_url()}")


def test_escape_closes_and_the_form_still_submits(served_page, stories):
    visit, box = open_suggestions(served_page, "الحك")
    box.press("Escape")
    expect(visit.page.get_by_role("listbox", name="اقتراحات البحث")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Enter")
    visit.page.wait_for_url("**/search/?q=*")


def test_open_suggestions_are_accessible(served_page, stories, axe, assert_no_external_requests):
    visit, _ = open_suggestions(served_page, "الحك")
    assert support.serious_violations(axe(visit.page)) == []
    assert_no_external_requests(visit)
