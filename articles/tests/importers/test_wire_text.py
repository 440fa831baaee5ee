"""The text clean-up, agency names and credit lines shared by every wire parser."""

import pytest

from articles.importers.wire_text import (
    KNOWN_AGENCIES,
    Credit,
    FormatCredit,
    agency_name,
    clean_line,
    clean_text,
    format_credit,
    provider_credit,
    read_credit,
    read_version,
    split_credit,
    text_paragraphs,
)


def test_clean_text_decodes_entities_and_collapses_whitespace():
    assert clean_text("  المياه\n\t &amp;  الطاقة&nbsp;&#1575;  ") == "المياه & الطاقة ا"


def test_clean_text_removes_zero_width_and_bidi_controls():
    text = "\ufeff\u200fعمّان\u200b \u202bتفتتح\u202c\u2066 خطاً\u2069\u200d\u200c\u200e\u061c\u2060"

    assert clean_text(text) == "عمّان تفتتح خطاً"


def test_clean_line_keeps_a_zero_width_non_joiner_between_two_letters():
    assert clean_line("\u200cعلي\u200cرضا \u200c") == "علي\u200cرضا"


def test_clean_line_reads_a_zero_width_space_as_a_space():
    assert clean_line("وزير\u200bالخارجية") == "وزير الخارجية"


def test_clean_line_keeps_tashkeel_and_tatweel():
    assert clean_line("\u00a0مُـحـمَّد\u202f") == "مُـحـمَّد"


def test_clean_line_drops_control_characters_and_soft_hyphens():
    assert clean_line("نص\x07 الخبر\u00ad") == "نص الخبر"


def test_clean_line_of_only_invisible_characters_is_empty():
    assert clean_line("\u00a0\u200f\u200b\u2066") == ""


def test_text_paragraphs_splits_on_blank_lines_or_every_newline():
    text = "أولى\r\nتكملة\r\n\r\nثانية"

    assert text_paragraphs(text) == ["أولى تكملة", "ثانية"]
    assert text_paragraphs(text, blank_lines_only=False) == ["أولى", "تكملة", "ثانية"]


@pytest.mark.parametrize(
    ("spelling", "agency"),
    [
        ("أ ف ب", "أ ف ب"),
        ("أ.ف.ب", "أ ف ب"),
        ("ا ف ب", "أ ف ب"),
        ("وكالة فرانس برس", "أ ف ب"),
        ("AFP", "أ ف ب"),
        ("رويترز", "رويترز"),
        ("د.ب.أ", "د ب أ"),
        ("وكالة الأنباء السعودية", "واس"),
        ("الاناضول", "الأناضول"),
        ("أ ش أ", "أ ش أ"),
        ("قنا", "قنا"),
        ("وام", "وام"),
        ("وكالة كونا", "كونا"),
        ("MAP", "ومع"),
    ],
)
def test_agency_name_gives_the_usual_credit_of_every_spelling(spelling, agency):
    assert agency_name(spelling) == agency


def test_agency_name_is_empty_for_an_unknown_name():
    assert agency_name("الامة برس") == ""


def test_every_known_agency_reads_as_itself():
    assert all(agency_name(agency) == agency for agency in KNOWN_AGENCIES)


def test_split_credit_separates_agency_and_publisher():
    assert split_credit("أ ف ب-الامة برس") == ("أ ف ب", "الامة برس")


def test_split_credit_keeps_a_credit_without_a_dash():
    assert split_credit(" أ ش أ ") == ("أ ش أ", "")


def test_split_credit_keeps_a_hyphenated_latin_name():
    assert split_credit("Agence France-Presse") == ("Agence France-Presse", "")


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("رويترز", Credit(agency="رويترز", is_certain=True)),
        ("(أ ف ب)", Credit(agency="أ ف ب", is_certain=True)),
        ("أ ف ب-الامة برس", Credit(agency="أ ف ب", outlet="الامة برس", is_certain=True)),
        ("أ ف ب-الأيام", Credit(agency="أ ف ب", outlet="الأيام", is_certain=True)),
        ("القاهرة - أ ش أ", Credit(agency="أ ش أ", place="القاهرة", is_certain=True)),
        ("أ ش أ - القاهرة", Credit(agency="أ ش أ", place="القاهرة", is_certain=True)),
        ("القاهرة (أ ش أ)", Credit(agency="أ ش أ", place="القاهرة", is_certain=True)),
        ("أ ش أ ـ القاهرة", Credit(agency="أ ش أ", place="القاهرة", is_certain=True)),
        ("وكالة الأنباء السعودية (واس)", Credit(agency="واس", is_certain=True)),
        ("المصدر: رويترز", Credit(agency="رويترز", is_certain=True)),
        ("رويترز - صحيفة الغد", Credit(agency="رويترز", outlet="صحيفة الغد", is_certain=True)),
        ("وكالة الأنباء الليبية - طرابلس", Credit(agency="وال", place="طرابلس", is_certain=True)),
        ("الشرق الأوسط - لندن", Credit(agency="الشرق الأوسط", place="لندن")),
        ("وكالة أنباء الجنوب - عدن", Credit(agency="وكالة أنباء الجنوب", place="عدن")),
        ("الإمارات 24", Credit(outlet="الإمارات 24")),
        ("كتب: محمد علي", Credit(reporter="محمد علي", is_certain=True)),
        ("بقلم سارة الأحمد", Credit(reporter="سارة الأحمد", is_certain=True)),
        ("تقرير - رويترز", Credit(agency="رويترز", is_certain=True)),
        ("جدة - واس:", Credit(agency="واس", place="جدة", is_certain=True)),
        ("بغداد : (ا ف ب)", Credit(agency="أ ف ب", place="بغداد", is_certain=True)),
        ("المنامة بنا", Credit(agency="بنا", place="المنامة", is_certain=True)),
        ("رويترز - طرابلس (ليبيا):", Credit(agency="رويترز", place="طرابلس", is_certain=True)),
        (
            "عمّان، القدس - أ ف ب، رويترز",
            Credit(agency="أ ف ب", more_agencies=("رويترز",), place="عمّان", is_certain=True),
        ),
        ("الجريدة.نت، فرانس برس", Credit(agency="أ ف ب", outlet="الجريدة.نت", is_certain=True)),
        ("دبي ـ القناة.نت", Credit(outlet="القناة.نت", place="دبي", is_certain=True)),
        ("قناة 24", Credit(outlet="قناة 24", is_certain=True)),
        ("محمد علي", Credit(reporter="محمد علي")),
        ("(تصوير: أحمد خالد)", Credit(photographer="أحمد خالد", is_certain=True)),
        (
            "كتب: محمد علي (تصوير: أحمد خالد)",
            Credit(reporter="محمد علي", photographer="أحمد خالد", is_certain=True),
        ),
        ("جنين الحلبي", Credit(reporter="جنين الحلبي")),
        ("دمشق-سانا", Credit(agency="سانا", place="دمشق", is_certain=True)),
        ("بيروت - «الشرق الأوسط»", Credit(outlet="الشرق الأوسط", place="بيروت")),
        ("لندن – بي بي سي", Credit(outlet="بي بي سي", place="لندن")),
        (
            "أخبار الواحة - كتب: خالد المنصوري",
            Credit(outlet="أخبار الواحة", reporter="خالد المنصوري", is_certain=True),
        ),
    ],
)
def test_read_credit_tells_agency_outlet_place_and_reporter_apart(line, credit):
    assert read_credit(line) == credit


def test_credits_lists_every_agency_and_outlet_in_the_order_given():
    assert read_credit("أ ف ب، رويترز - الجريدة.نت").credits == ("أ ف ب", "رويترز", "الجريدة.نت")
    assert read_credit("الجريدة.نت، فرانس برس").credits == ("الجريدة.نت", "أ ف ب")


@pytest.mark.parametrize(
    ("spelling", "agency"),
    [
        ("أ. ف. ب", "أ ف ب"),
        ("وكالة الصحافة الفرنسية", "أ ف ب"),
        ("اسوشييتد برس", "أ ب"),
        ("أسوشيتد برس", "أ ب"),
        ("سي إن إن", "CNN"),
        ("وكالة الأنباء العمانية", "العمانية"),
        ("و.م.ع", "ومع"),
        ("شينخوا", "شينخوا"),
        ("سبوتنيك", "سبوتنيك"),
    ],
)
def test_agency_name_reads_the_spellings_copy_uses(spelling, agency):
    assert agency_name(spelling) == agency


@pytest.mark.parametrize(
    "line",
    [
        "",
        "افتتح الوزير المعرض.",
        "قال الوزير إن المشروع سيكتمل قبل نهاية العام الحالي بحسب الخطة الموضوعة",
        "2024-11-26",
        "أ - ب - ج - د",
        "كتب:",
        "وقالت رويترز إن الاجتماع انتهى",
    ],
)
def test_read_credit_refuses_a_line_that_is_not_a_credit(line):
    assert read_credit(line) is None


def test_read_version_reads_numbers_and_notes_the_rest():
    warnings = []

    assert [read_version(value, warnings) for value in (3, 2.0, " 4 ", None, "ثانية")] == [
        3,
        2,
        4,
        None,
        None,
    ]
    assert warnings == ["رقم الإصدار «ثانية» ليس عدداً صحيحاً فأُهمل"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("رويترز / أ ف ب", FormatCredit("رويترز", "", ("رويترز", "أ ف ب"))),
        ("STT–", FormatCredit("STT")),
        ("أ ف ب-الامة برس", FormatCredit("أ ف ب", "الامة برس", ("أ ف ب", "الامة برس"))),
        ("كتب: خالد المنصوري", FormatCredit(byline="خالد المنصوري")),
        ("", FormatCredit()),
    ],
)
def test_format_credit_reads_an_agency_formats_credit_line(line, expected):
    assert format_credit(line) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [("nprov:AFP", "أ ف ب"), ("nprov:REUTERS", "رويترز"), ("Anadolu", "الأناضول"), ("x:W", "")],
)
def test_provider_credit_maps_an_agencys_qcode_or_literal(code, expected):
    assert provider_credit(code) == expected
