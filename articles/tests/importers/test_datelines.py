"""Datelines: finding the place and agency that open a story, and nothing else."""

import pytest

from articles.importers.datelines import (
    DatelineLead,
    dateline_place,
    looks_like_place,
    split_dateline,
    strip_dateline_lead,
)

STORY = "زار الوفد العاصمة."


@pytest.mark.parametrize(
    ("paragraph", "lead"),
    [
        ("كابول - زار الوفد العاصمة.", DatelineLead("كابول", "", "", STORY)),
        ("كابول (أ ف ب) - زار الوفد العاصمة.", DatelineLead("كابول", "أ ف ب", "", STORY)),
        ("(أ ف ب) - كابول - زار الوفد العاصمة.", DatelineLead("كابول", "أ ف ب", "", STORY)),
        ("(أ ف ب) - زار الوفد العاصمة.", DatelineLead("", "أ ف ب", "", STORY)),
        ("القاهرة – زار الوفد العاصمة.", DatelineLead("القاهرة", "", "", STORY)),
        ("بيروت- زار الوفد العاصمة.", DatelineLead("بيروت", "", "", STORY)),
        ("بيروت ـ زار الوفد العاصمة.", DatelineLead("بيروت", "", "", STORY)),
        ("الرباط: زار الوفد العاصمة.", DatelineLead("الرباط", "", "", STORY)),
        ("الدار البيضاء - زار الوفد العاصمة.", DatelineLead("الدار البيضاء", "", "", STORY)),
        ("القاهرة - أ ش أ - زار الوفد العاصمة.", DatelineLead("القاهرة", "أ ش أ", "", STORY)),
        ("رويترز - زار الوفد العاصمة.", DatelineLead("", "رويترز", "", STORY)),
        ("غزة (خاص) - زار الوفد العاصمة.", DatelineLead("غزة", "خاص", "", STORY)),
        (
            "القاهرة في 26 نوفمبر /أ ش أ/ - زار الوفد العاصمة.",
            DatelineLead("القاهرة", "أ ش أ", "26 نوفمبر", STORY),
        ),
        (
            "كابول، 26 تشرين الثاني/نوفمبر 2024 (أ ف ب) – زار الوفد العاصمة.",
            DatelineLead("كابول", "أ ف ب", "26 تشرين الثاني/نوفمبر 2024", STORY),
        ),
        ("كابول (أ ف ب) -", DatelineLead("كابول", "أ ف ب", "", "")),
        ("أ ف ب- تونس: زار الوفد العاصمة.", DatelineLead("تونس", "أ ف ب", "", STORY)),
        (
            "رويترز - طرابلس (ليبيا): زار الوفد العاصمة.",
            DatelineLead("طرابلس", "رويترز", "", STORY),
        ),
        (
            "بنغازي (ليبيا) - رويترز - زار الوفد العاصمة.",
            DatelineLead("بنغازي", "رويترز", "", STORY),
        ),
        (
            "لندن، المملكة المتحدة (CNN)-- زار الوفد العاصمة.",
            DatelineLead("لندن", "CNN", "", STORY),
        ),
        ("الخرطوم – (سونا) – زار الوفد العاصمة.", DatelineLead("الخرطوم", "سونا", "", STORY)),
        ("بغداد/ واع: زار الوفد العاصمة.", DatelineLead("بغداد", "واع", "", STORY)),
        ("غزة/ أحمد محمد/ الأناضول زار الوفد العاصمة.", DatelineLead("غزة", "الأناضول", "", STORY)),
        ("دمشق-سانا زار الوفد العاصمة.", DatelineLead("دمشق", "سانا", "", STORY)),
        ("القاهرة- أ ش أ زار الوفد العاصمة.", DatelineLead("القاهرة", "أ ش أ", "", STORY)),
        (
            "عمّان 27 أيار/مايو (بترا) - زار الوفد العاصمة.",
            DatelineLead("عمّان", "بترا", "27 أيار/مايو", STORY),
        ),
        (
            "الكويت - 5 - 1 (كونا) -- زار الوفد العاصمة.",
            DatelineLead("الكويت", "كونا", "5 - 1", STORY),
        ),
        (
            "الكويت – 5/1 (كونا) – زار الوفد العاصمة.",
            DatelineLead("الكويت", "كونا", "5/1", STORY),
        ),
        (
            "الرياض - 12 يناير 2025 (واس) - زار الوفد العاصمة.",
            DatelineLead("الرياض", "واس", "12 يناير 2025", STORY),
        ),
        (
            "دبي - العربية.نت: زار الوفد العاصمة.",
            DatelineLead("دبي", "", "", STORY, outlet="العربية.نت"),
        ),
        (
            "تونس 3 مارس 2025 (وات) - زار الوفد العاصمة.",
            DatelineLead("تونس", "وات", "3 مارس 2025", STORY),
        ),
        (
            "الرياض 12 رجب 1446 هـ الموافق 12 يناير 2025 م واس زار الوفد العاصمة.",
            DatelineLead("الرياض", "واس", "12 رجب 1446 هـ الموافق 12 يناير 2025 م", STORY),
        ),
        (
            "عمان، الأحد ١٢ يناير ٢٠٢٥ /بترا/ - زار الوفد العاصمة.",
            DatelineLead("عمان", "بترا", "الأحد ١٢ يناير ٢٠٢٥", STORY),
        ),
    ],
)
def test_split_dateline_finds_place_agency_and_date(paragraph, lead):
    assert split_dateline(paragraph) == lead


@pytest.mark.parametrize(
    "paragraph",
    [
        "وصل - بحفظ الله - إلى المدينة المنورة.",
        "زار الوفد العاصمة - وهي مدينة جبلية - أمس.",
        "المدينة المنورة – حيث - أعلن المسؤولون.",
        "قال الوزير: إن العمل مستمر.",
        "وأضاف: سنواصل العمل.",
        "أمريكية-إيرانية محادثات جديدة.",
        "القاهرة، عاصمة مصر - مدينة كبيرة.",
        "الحكومة الجديدة والبرلمان المنتخب والمجالس - كلها تعمل.",
        "عاجل: زلزال يضرب المنطقة.",
        "قال المتحدث (باسم الوزارة) إن العمل مستمر.",
        "كابول (وفقاً لمصادر محلية عدة ومتطابقة) - زار الوفد.",
        "زار الوفد العاصمة.",
        "تمكنت - بفضل الله - فرق الإنقاذ من انتشال العالقين.",
        "دمشق 3 مارس 2025 شهدت أمطاراً غزيرة.",
        "لندن، المملكة المتحدة - زار الوفد العاصمة.",
        "مصر-السودان: زار الوفد العاصمة.",
        "أخبار الواحة - كتب: خالد المنصوري",
        "القاهرة تستضيف القمة - وهي الأولى منذ عقد.",
        "اليوم 12 يناير 2025 - يوم لن ينساه الوفد.",
        "أمس: زار الوفد العاصمة.",
        "تمكنت - بفضل جهودها الكبيرة وتعاون الأهالي والمتطوعين الكثر - فرق الإنقاذ من انتشالهم.",
        "رعى - حفظه الله - حفل التخريج.",
    ],
)
def test_split_dateline_does_not_take_a_clause_or_an_aside_for_a_dateline(paragraph):
    assert split_dateline(paragraph) is None


@pytest.mark.parametrize("text", ["كابول", "رام الله", "بندر سري بكاوان"])
def test_looks_like_place_accepts_one_to_three_words(text):
    assert looks_like_place(text)


@pytest.mark.parametrize("text", ["قال الوزير", "مدينة على البحر الأحمر", "القاهرة 2024", ""])
def test_looks_like_place_refuses_clauses_long_names_and_numbers(text):
    assert not looks_like_place(text)


@pytest.mark.parametrize(
    "paragraph",
    [
        "كابول - زار الوفد العاصمة.",
        "كابول (أ ف ب) - زار الوفد العاصمة.",
        "كابول، 26 تشرين الثاني/نوفمبر (أ ف ب) – زار الوفد العاصمة.",
    ],
)
def test_strip_dateline_lead_removes_place_agency_and_dash(paragraph):
    assert strip_dateline_lead([paragraph, "فقرة ثانية."], "كابول") == [STORY, "فقرة ثانية."]


def test_strip_dateline_lead_keeps_a_paragraph_that_only_mentions_the_place():
    paragraphs = ["كابول مدينة جبلية - هكذا وصفها الوفد."]

    assert strip_dateline_lead(paragraphs, "كابول") == paragraphs


def test_strip_dateline_lead_drops_a_paragraph_that_is_only_the_lead():
    assert strip_dateline_lead(["كابول (أ ف ب) -", STORY], "كابول") == [STORY]


def test_dateline_place_keeps_the_place_before_the_comma():
    assert dateline_place("القاهرة، 26 تشرين الثاني/نوفمبر") == "القاهرة"
