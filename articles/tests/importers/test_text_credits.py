"""Credit and byline lines of plain-text copy, and who a story is credited to.

Each story is a headline, the credit line under test, a date line and a body
whose first paragraph has no dateline of its own, so the credit line alone
names the place, the agencies, the outlet and the reporter.
"""

import datetime

import pytest

from articles.importers import text

RIYADH = datetime.timezone(datetime.timedelta(hours=3))
DATE = "2025-01-12"
STORY = "أعلنت الحكومة اليوم خطة جديدة لدعم المزارعين."
SECOND = "وقال الوزير إن الخطة تبدأ الشهر المقبل."


def parse_story(*lines, body=(STORY, SECOND)):
    copy = "\n".join(["خطة حكومية لدعم المزارعين", "", *lines, "", *body])
    (story,) = text.parse(copy.encode(), tz=RIYADH)
    return story


def credited(story):
    return story.source, story.publisher, story.dateline, story.credits


# Place then agency, however they are joined


@pytest.mark.parametrize(
    ("line", "place", "agency"),
    [
        ("جدة - واس:", "جدة", "واس"),
        ("مسقط ـ العمانية", "مسقط", "العمانية"),
        ("بغداد : (ا ف ب)", "بغداد", "أ ف ب"),
        ("الدوحة - (قنا):", "الدوحة", "قنا"),
        ("حلب– سانا", "حلب", "سانا"),
        ("الكويت — كونا", "الكويت", "كونا"),
        ("المنامة بنا", "المنامة", "بنا"),
    ],
)
def test_place_then_agency(line, place, agency):
    story = parse_story(line, DATE)

    assert credited(story) == (agency, "", place, ())
    assert story.paragraphs == (STORY, SECOND)


# Agency then place


@pytest.mark.parametrize(
    ("line", "place", "agency"),
    [
        ("د ب أ - برلين:", "برلين", "د ب أ"),
        ("رويترز - طرابلس (ليبيا):", "طرابلس", "رويترز"),
        ("أ ف ب- الرباط:", "الرباط", "أ ف ب"),
    ],
)
def test_agency_then_place(line, place, agency):
    story = parse_story(line, DATE)

    assert credited(story) == (agency, "", place, ())
    assert story.paragraphs == (STORY, SECOND)


def test_several_places_and_several_agencies_credit_every_agency_in_order():
    story = parse_story("عمّان، القدس - أ ف ب، رويترز", DATE)

    assert credited(story) == ("أ ف ب", "", "عمّان", ("أ ف ب", "رويترز"))


def test_outlet_and_agency_credit_the_agency_and_name_the_outlet_as_publisher():
    story = parse_story("الجريدة.نت، فرانس برس", DATE)

    assert credited(story) == ("أ ف ب", "الجريدة.نت", "", ())


def test_agency_and_the_outlet_that_ran_it():
    story = parse_story("أ ف ب-الامة برس", DATE)

    assert credited(story) == ("أ ف ب", "الامة برس", "", ())


# No agency: the outlet is the source


@pytest.mark.parametrize(
    ("line", "place", "outlet"),
    [
        ("بيروت - موقع الخبر", "بيروت", "موقع الخبر"),
        ("دبي ـ القناة.نت", "دبي", "القناة.نت"),
        ("الصحيفة نت", "", "الصحيفة نت"),
        ("قناة 24", "", "قناة 24"),
    ],
)
def test_an_outlet_without_an_agency_is_the_source(line, place, outlet):
    story = parse_story(line, DATE)

    assert credited(story) == (outlet, "", place, ())
    assert story.paragraphs == (STORY, SECOND)


def test_an_outlet_alone_without_a_date_line_is_still_its_credit():
    story = parse_story("الصحيفة نت")

    assert credited(story) == ("الصحيفة نت", "", "", ())
    assert story.paragraphs == (STORY, SECOND)


# Reporters and photographers are never the source


@pytest.mark.parametrize("line", ["محمد علي", "كتب: محمد علي", "بقلم محمد علي"])
def test_a_reporter_is_never_the_source(line):
    story = parse_story(line, DATE)

    assert credited(story) == ("", "", "", ())
    assert story.byline == "محمد علي"
    assert story.paragraphs == (STORY, SECOND)


def test_a_byline_that_looks_like_a_place_is_not_the_dateline():
    story = parse_story("عبدالله الرياض", DATE)

    assert (story.source, story.dateline) == ("", "")
    assert story.paragraphs == (STORY, SECOND)


def test_a_reporter_whose_first_name_is_a_town_is_no_dateline():
    story = parse_story("جنين الحلبي", DATE)

    assert (story.source, story.dateline) == ("", "")
    assert story.paragraphs == (STORY, SECOND)


def test_a_short_first_paragraph_opening_with_a_name_is_copy_without_a_date_beside_it():
    story = parse_story("محمد صلاح يقود فريقه", body=(STORY,))

    assert (story.source, story.publisher) == ("", "")
    assert story.paragraphs == ("محمد صلاح يقود فريقه", STORY)


def test_an_outlet_then_its_reporter_and_photographer_credit_the_outlet():
    story = parse_story("أخبار الواحة - كتب: خالد المنصوري (تصوير: فيصل الرشيد)", DATE)

    assert credited(story) == ("أخبار الواحة", "", "", ())
    assert story.byline == "خالد المنصوري"
    assert story.paragraphs == (STORY, SECOND)


def test_a_reporter_beside_an_outlet_is_not_its_publisher():
    story = parse_story("بقلم: سيناء عبد الرحمن", "نافذة الشرق", DATE)

    assert credited(story) == ("نافذة الشرق", "", "", ())


def test_a_photographer_in_parentheses_is_not_the_source():
    story = parse_story("كتب: محمد علي (تصوير: أحمد خالد)", DATE)

    assert credited(story) == ("", "", "", ())
    assert story.byline == "محمد علي"
    assert story.paragraphs == (STORY, SECOND)


def test_a_photographer_alone_is_not_the_source():
    story = parse_story("(تصوير: أحمد خالد)", DATE)

    assert story.source == ""
    assert story.paragraphs == (STORY, SECOND)


# Agencies named elsewhere in the copy


def test_an_agency_in_the_dateline_follows_the_credit_line_agency():
    story = parse_story("الرياض - واس", DATE, body=(f"جدة (رويترز) - {STORY}", SECOND))

    assert credited(story) == ("واس", "", "جدة", ("واس", "رويترز"))


def test_the_dateline_agency_is_the_source_of_an_outlet_story():
    story = parse_story("القناة.نت", DATE, body=(f"القاهرة - أ ش أ: {STORY}", SECOND))

    assert credited(story) == ("أ ش أ", "القناة.نت", "القاهرة", ())


def test_an_end_credit_names_the_source():
    story = parse_story(DATE, body=(STORY, SECOND, "فرانس24/ أ ف ب"))

    assert story.source == "أ ف ب"
    assert story.paragraphs == (STORY, SECOND)


def test_an_end_credit_names_the_outlet_that_ran_the_agency_story():
    story = parse_story("قناة الأفق", DATE, body=(STORY, SECOND, "قناة الأفق/ أ ف ب"))

    assert credited(story) == ("أ ف ب", "قناة الأفق", "", ())
    assert story.paragraphs == (STORY, SECOND)


def test_a_source_label_at_the_end_names_the_source():
    story = parse_story(DATE, body=(STORY, SECOND, "المصدر: رويترز"))

    assert story.source == "رويترز"


def test_a_source_label_naming_two_agencies_credits_both_after_the_outlet():
    story = parse_story("الجريدة.نت", DATE, body=(STORY, SECOND, "المصدر: رويترز، أ ف ب"))

    assert credited(story) == ("رويترز", "الجريدة.نت", "", ("رويترز", "أ ف ب"))
    assert story.paragraphs == (STORY, SECOND)


def test_a_caption_credit_names_the_agency_of_an_outlet_story():
    caption = "زوار يتجولون بين أجنحة المعرض في يومه الأول (الأناضول)"
    story = parse_story("صحيفة الضفتين", DATE, body=(caption, f"إسطنبول - {STORY}", SECOND))

    assert credited(story) == ("الأناضول", "صحيفة الضفتين", "إسطنبول", ())
    assert story.caption == caption


def test_nothing_named_leaves_the_source_empty():
    story = parse_story(DATE)

    assert credited(story) == ("", "", "", ())


# Hard negatives


def test_a_last_paragraph_quoting_an_agency_is_no_credit():
    quote = "وقالت رويترز إن الاجتماع انتهى دون اتفاق"
    story = parse_story(DATE, body=(STORY, quote))

    assert story.source == ""
    assert story.paragraphs == (STORY, quote)


def test_a_first_paragraph_quoting_an_agency_is_no_credit():
    quote = "وقالت رويترز إن الاجتماع انتهى دون اتفاق"
    story = parse_story(DATE, body=(quote, SECOND))

    assert story.source == ""
    assert story.paragraphs == (quote, SECOND)


# A place alone above the date, and a photo's caption there, are no credits


@pytest.mark.parametrize("place", ["بيروت", "مكة المكرمة", "الدار البيضاء"])
def test_a_known_place_alone_above_the_date_is_the_dateline_not_the_source(place):
    story = parse_story(place, DATE)

    assert (story.source, story.dateline) == ("", place)
    assert story.paragraphs == (STORY, SECOND)


def test_an_unknown_name_alone_above_the_date_stays_a_credit():
    assert parse_story("الغد", DATE).source == "الغد"


def test_a_photo_caption_above_the_date_is_no_credit_line():
    story = parse_story("صورة: الوزير خلال الافتتاح (وكالات)", DATE)

    assert (story.source, story.publisher) == ("", "")
    assert story.caption == "صورة: الوزير خلال الافتتاح (وكالات)"
