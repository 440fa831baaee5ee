"""Datelines that open the first paragraph of plain-text copy: every shape, and what is not one.

Each story is a headline, a blank line and the body: no credit line, so the
dateline alone names the place, the agency and (for an agency's header) the date.
"""

import datetime

from articles.importers import text

RIYADH = datetime.timezone(datetime.timedelta(hours=3))
STORY = "أعلنت الحكومة اليوم خطة جديدة لدعم المزارعين."
SECOND = "وقال الوزير إن الخطة تبدأ الشهر المقبل."


def parse_body(first_paragraph, header=""):
    copy = "\n".join(["خطة حكومية لدعم المزارعين", header, first_paragraph, "", SECOND])
    (story,) = text.parse(copy.encode(), tz=RIYADH)
    return story


def on(year, month, day):
    return datetime.datetime(year, month, day, tzinfo=RIYADH)


def test_place_then_agency_closed_by_a_colon():
    story = parse_body(f"القاهرة - أ ش أ: {STORY}")

    assert (story.dateline, story.source, story.paragraphs) == ("القاهرة", "أ ش أ", (STORY, SECOND))


def test_agency_then_place_with_a_hyphen_against_the_agency():
    story = parse_body(f"أ ف ب- تونس: {STORY}")

    assert (story.dateline, story.source, story.paragraphs) == ("تونس", "أ ف ب", (STORY, SECOND))


def test_place_then_agency_with_a_hyphen_against_the_place():
    story = parse_body(f"موسكو- رويترز: {STORY}")

    assert (story.dateline, story.source, story.paragraphs) == ("موسكو", "رويترز", (STORY, SECOND))


def test_place_and_agency_joined_by_an_en_dash_without_spaces():
    story = parse_body(f"موسكو–رويترز: {STORY}")

    assert (story.dateline, story.source, story.paragraphs) == ("موسكو", "رويترز", (STORY, SECOND))


def test_place_and_agency_joined_by_an_em_dash():
    story = parse_body(f"دمشق — سانا: {STORY}")

    assert (story.dateline, story.source, story.paragraphs) == ("دمشق", "سانا", (STORY, SECOND))


def test_place_and_agency_joined_by_a_tatweel_dash():
    story = parse_body(f"مسقط ـ العمانية: {STORY}")

    assert (story.dateline, story.source, story.paragraphs) == ("مسقط", "العمانية", (STORY, SECOND))


def test_place_with_its_country_in_parentheses():
    story = parse_body(f"بنغازي (ليبيا): {STORY}")

    assert (story.dateline, story.source, story.paragraphs) == ("بنغازي", "", (STORY, SECOND))


def test_agency_then_place_with_its_country_in_parentheses():
    story = parse_body(f"رويترز - طرابلس (ليبيا): {STORY}")

    assert (story.dateline, story.source, story.paragraphs) == ("طرابلس", "رويترز", (STORY, SECOND))


def test_place_and_country_after_a_comma_then_a_channel_and_a_double_hyphen():
    story = parse_body(f"لندن، المملكة المتحدة (CNN)-- {STORY}")

    assert (story.dateline, story.source, story.paragraphs) == ("لندن", "CNN", (STORY, SECOND))


def test_place_then_a_channel_and_an_em_dash():
    story = parse_body(f"واشنطن (CNN)— {STORY}")

    assert (story.dateline, story.source, story.paragraphs) == ("واشنطن", "CNN", (STORY, SECOND))


def test_a_channel_alone_and_a_double_hyphen_credit_without_a_place():
    story = parse_body(f"(CNN)-- {STORY}")

    assert (story.dateline, story.source, story.paragraphs) == ("", "CNN", (STORY, SECOND))


def test_a_national_agency_header_opening_the_first_paragraph():
    story = parse_body(f"الرياض 12 رجب 1446 هـ الموافق 12 يناير 2025 م واس {STORY}")

    assert (story.dateline, story.source, story.published_at, story.paragraphs) == (
        "الرياض",
        "واس",
        on(2025, 1, 12),
        (STORY, SECOND),
    )


def test_a_national_agency_header_under_the_headline_gives_the_gregorian_date():
    story = parse_body(STORY, header="الرياض 12 رجب 1446 هـ الموافق 12 يناير 2025 م واس")

    assert (story.dateline, story.source, story.published_at, story.paragraphs) == (
        "الرياض",
        "واس",
        on(2025, 1, 12),
        (STORY, SECOND),
    )
    assert story.warnings == ()


def test_place_date_and_agency_in_parentheses_opening_the_first_paragraph():
    story = parse_body(f"تونس 3 مارس 2025 (وات) - {STORY}")

    assert (story.dateline, story.source, story.published_at, story.paragraphs) == (
        "تونس",
        "وات",
        on(2025, 3, 3),
        (STORY, SECOND),
    )


def test_place_and_a_maghreb_date_with_its_weekday_and_time():
    story = parse_body(f"الجزائر الأحد 12 جانفي 2025 على الساعة 14:30 (واج) - {STORY}")

    assert (story.dateline, story.source, story.published_at) == (
        "الجزائر",
        "واج",
        datetime.datetime(2025, 1, 12, 14, 30, tzinfo=RIYADH),
    )
    assert story.paragraphs == (STORY, SECOND)


def test_a_parenthetical_dash_phrase_after_a_verb_is_not_a_dateline():
    first = "وصل - بحفظ الله - ولي العهد إلى الرياض مساء الثلاثاء."
    story = parse_body(first)

    assert (story.dateline, story.source, story.paragraphs) == ("", "", (first, SECOND))


def test_a_parenthetical_dash_phrase_after_an_unlisted_verb_is_not_a_dateline():
    first = "تمكنت - بفضل الله - فرق الإنقاذ من انتشال العالقين."
    story = parse_body(first)

    assert (story.dateline, story.source, story.paragraphs) == ("", "", (first, SECOND))


def test_a_sentence_that_starts_with_a_city_name_is_not_a_dateline():
    first = "القاهرة تستضيف القمة العربية المقبلة - بحسب مصادر دبلوماسية."
    story = parse_body(first)

    assert (story.dateline, story.paragraphs) == ("", (first, SECOND))


def test_a_city_that_opens_a_sentence_before_a_dash_is_not_a_dateline():
    first = "القاهرة تستضيف القمة - وهي الأولى منذ عقد - بمشاركة عشرين دولة."
    story = parse_body(first)

    assert (story.dateline, story.paragraphs) == ("", (first, SECOND))


def test_a_city_and_its_verb_before_a_single_dash_are_not_a_dateline():
    first = "القاهرة تستضيف القمة - وهي الأولى على أرضها منذ عقد من الزمن."
    story = parse_body(first)

    assert (story.dateline, story.paragraphs) == ("", (first, SECOND))


def test_kuna_day_and_month_before_the_agency_and_a_double_hyphen():
    story = parse_body(f"الكويت - 5 - 1 (كونا) -- {STORY}")

    assert (story.dateline, story.source, story.paragraphs) == ("الكويت", "كونا", (STORY, SECOND))


def test_a_city_and_a_date_opening_a_sentence_are_not_a_dateline():
    first = "دمشق 3 مارس 2025 شهدت أمطاراً غزيرة لم تعرفها منذ سنوات."
    story = parse_body(first)

    assert (story.dateline, story.paragraphs) == ("", (first, SECOND))


def test_place_then_an_agency_in_parentheses_after_the_dash():
    story = parse_body(f"الدوحة - (قنا): {STORY}")

    assert (story.dateline, story.source, story.paragraphs) == ("الدوحة", "قنا", (STORY, SECOND))


def test_place_and_agency_joined_by_a_slash():
    story = parse_body(f"غزة/ الأناضول {STORY}")

    assert (story.dateline, story.source, story.paragraphs) == ("غزة", "الأناضول", (STORY, SECOND))


def test_place_and_agency_joined_by_a_hyphen_without_spaces():
    story = parse_body(f"دمشق-سانا {STORY}")

    assert (story.dateline, story.source, story.paragraphs) == ("دمشق", "سانا", (STORY, SECOND))


def test_place_then_an_outlet_in_guillemets_credits_the_outlet():
    story = parse_body(f"بيروت ـ «القدس العربي»: {STORY}")

    assert (story.dateline, story.source, story.paragraphs) == (
        "بيروت",
        "القدس العربي",
        (STORY, SECOND),
    )


def test_a_date_line_after_the_caption_is_the_date_not_a_paragraph():
    copy = "\n".join(
        [
            "خطة حكومية لدعم المزارعين",
            "أ ف ب",
            "صورة: الوزير خلال جولة في الحقول",
            "الأحد 12 جانفي 2025",
            f"تونس - {STORY}",
            SECOND,
        ]
    )
    (story,) = text.parse(copy.encode(), tz=RIYADH)

    assert (story.published_at, story.dateline, story.caption, story.paragraphs) == (
        on(2025, 1, 12),
        "تونس",
        "صورة: الوزير خلال جولة في الحقول",
        (STORY, SECOND),
    )


def test_a_hijri_date_alone_in_the_dateline_is_converted_and_says_so():
    story = parse_body(f"الرياض 12 رجب 1446 هـ (واس) - {STORY}")

    assert (story.dateline, story.source, story.published_at) == ("الرياض", "واس", on(2025, 1, 12))
    assert any("1446" in warning and "2025-01-12" in warning for warning in story.warnings)
