"""The body-first story form in a real browser: paste a story, the headline's count,
boxes that grow, the order kept after an error, and axe-core on the form."""

import pytest
from playwright.sync_api import Page, expect

from articles.models import Article, Paragraph, Source
from articles.tests.admin_support import EDITORS, newsroom_user
from articles.tests.browser.support import describe_violations, serious_violations
from articles.tests.browser.test_admin_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = ".paragraphs-inline tbody tr.form-row.has_original"


def _draft(paragraphs=("فقرة أولى قصيرة.",)) -> Article:
    article = Article.objects.create(
        guid="test:story-form",
        headline="الحكومة تقر موازنة العام المقبل",
        slug="الحكومة-تقر-الموازنة",
        source=Source.objects.create(name="بترا"),
        dateline="عمّان",
    )
    Paragraph.objects.bulk_create(
        Paragraph(article=article, position=number, text=text)
        for number, text in enumerate(paragraphs, 1)
    )
    return article


def _open(page: Page, live_server, article: Article) -> None:
    newsroom_user("muharrir", EDITORS)
    sign_in(page, live_server.url, "muharrir")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    expect(page.locator("#id_headline")).to_be_visible()


def _texts(page: Page) -> list[str]:
    rows = page.locator(ROWS)
    return [rows.nth(i).locator("textarea").input_value() for i in range(rows.count())]


def _save(page: Page) -> None:
    page.locator("[name=_continue], [name=_save]").first.click()


def test_a_story_pasted_into_the_first_box_becomes_its_paragraphs(page, live_server):
    article = _draft()
    _open(page, live_server, article)
    page.locator(ROWS).first.locator("textarea").fill(
        "أقرت الحكومة اليوم موازنة العام المقبل.\n\n"
        "وتتضمن الموازنة زيادة في الرواتب.\n\n\n"
        "وقال وزير المالية إن العجز سينخفض."
    )
    _save(page)
    expect(page.locator(".messagelist")).to_be_visible()
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    expect(page.locator(ROWS)).to_have_count(3)
    assert _texts(page) == [
        "أقرت الحكومة اليوم موازنة العام المقبل.",
        "وتتضمن الموازنة زيادة في الرواتب.",
        "وقال وزير المالية إن العجز سينخفض.",
    ]


def test_the_headline_count_follows_the_typing(page, live_server):
    _open(page, live_server, _draft())
    count = page.locator("#headline-count")
    expect(count).to_have_attribute("aria-live", "polite")
    expect(count).to_contain_text("31 حرفاً")  # الحكومة تقر موازنة العام المقبل
    headline = page.locator("#id_headline")
    headline.fill("")
    headline.press_sequentially("خبر")
    expect(count).to_contain_text("3 أحرف")
    expect(count).to_contain_text("حتى 90")
    expect(count).not_to_have_class("headline-count headline-count--over")
    headline.fill("ع" * 95)
    expect(count).to_contain_text("95 حرفاً")
    expect(count).to_have_class("headline-count headline-count--over headline-count--far-over")
    # The social title's placeholder, its default, follows the headline too.
    expect(page.locator("#id_social_title")).to_have_attribute("placeholder", "ع" * 95)


def test_a_paragraph_box_grows_with_its_text(page, live_server):
    _open(page, live_server, _draft())
    box = page.locator(ROWS).first.locator("textarea")
    before = box.bounding_box()["height"]
    box.fill("\n".join(f"السطر {n} من فقرة طويلة كتبها المحرر." for n in range(12)))
    page.wait_for_function(
        "([el, h]) => el.getBoundingClientRect().height > h * 2",
        arg=[box.element_handle(), before],
    )
    # Readable at a phone's width: the box takes the row, not a sliver of it.
    page.set_viewport_size({"width": 390, "height": 844})
    assert box.bounding_box()["width"] > 300
    expect(page.locator(".paragraphs-inline tr.empty-form")).to_be_hidden()


def test_the_order_made_survives_a_form_error(page, live_server):
    _open(page, live_server, _draft(paragraphs=("الأولى", "الثانية", "الثالثة")))
    page.locator(ROWS).first.get_by_role("button", name="انقل الفقرة إلى الأسفل").click()
    assert _texts(page) == ["الثانية", "الأولى", "الثالثة"]
    page.locator("#id_headline").fill("")
    _save(page)
    expect(page.locator(".errornote")).to_be_visible()
    assert _texts(page) == ["الثانية", "الأولى", "الثالثة"]
    positions = page.locator(f"{ROWS} input.paragraph-position")
    assert [positions.nth(i).input_value() for i in range(3)] == ["1", "2", "3"]


def test_the_story_form_has_no_serious_accessibility_violation(page, live_server, axe, screenshots):
    article = _draft(
        paragraphs=(
            "أقرت الحكومة اليوم موازنة العام المقبل بعد نقاش استمر ثلاثة أيام في مجلس الوزراء.",
            "وتتضمن الموازنة زيادة في رواتب موظفي القطاع العام ودعماً للمشتقات النفطية.",
        )
    )
    _open(page, live_server, article)
    # Body first: the source and dateline's section open, the others folded.
    expect(page.locator("fieldset.open-by-default details")).to_have_attribute("open", "")
    expect(page.locator("#id_slug")).to_be_hidden()
    violations = serious_violations(axe(page))
    assert violations == [], describe_violations(violations)
    screenshots(page, "admin-story-form")
