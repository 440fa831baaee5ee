"""Site chrome and end-of-copy markers after the last paragraph, recognised by shape."""

import pytest

from articles.importers.chrome import ends_sentence, is_marker, split_trailing_chrome

BODY = [
    "افتتحت البلدية الثلاثاء حديقة عامة جديدة في وسط المدينة على مساحة واسعة.",
    "وتضم الحديقة ملاعب للأطفال.",
]


def test_short_lines_without_sentence_punctuation_after_the_story_are_dropped():
    chrome = ["الرئيسية", "أخبار محلية", "الطقس اليوم", "تابعنا على المنصات"]

    assert split_trailing_chrome(BODY + chrome) == (BODY, chrome)


def test_a_short_final_paragraph_that_ends_a_sentence_is_kept():
    body = [*BODY, "وتفتح أبوابها يومياً."]

    assert split_trailing_chrome([*body, "كاريكاتير"]) == (body, ["كاريكاتير"])


def test_a_read_also_heading_and_its_headlines_are_dropped_even_with_question_marks():
    chrome = [
        "اقرأ أيضا:",
        "البلدية تعلن خطة لتشجير الشوارع الرئيسية في المدينة خلال العام المقبل",
        "هل تنجح الحدائق في خفض حرارة المدن؟",
    ]

    assert split_trailing_chrome(BODY + chrome) == (BODY, chrome)


def test_a_repeat_of_the_headline_or_an_earlier_paragraph_is_dropped():
    headline = "افتتاح حديقة عامة جديدة"

    assert split_trailing_chrome([*BODY, BODY[0], headline], seen=[headline]) == (
        BODY,
        [BODY[0], headline],
    )


def test_link_lines_are_dropped():
    chrome = ["رابط الخبر: https://example.com/news/123", "www.example.com"]

    assert split_trailing_chrome(BODY + chrome) == (BODY, chrome)


def test_known_chrome_words_are_dropped_even_when_no_paragraph_ends_a_sentence():
    body = ["افتتاح حديقة عامة جديدة في وسط المدينة"]

    assert split_trailing_chrome([*body, "شارك الخبر", "فيسبوك"]) == (
        body,
        ["شارك الخبر", "فيسبوك"],
    )


def test_unpunctuated_lines_are_kept_when_no_paragraph_ends_a_sentence():
    body = ["افتتاح حديقة عامة جديدة في وسط المدينة", "تضم الحديقة ملاعب للأطفال"]

    assert split_trailing_chrome(body) == (body, [])


def test_a_long_final_paragraph_without_a_full_stop_is_kept():
    last = " ".join(["كلمة"] * 25)

    assert split_trailing_chrome([*BODY, last]) == ([*BODY, last], [])


@pytest.mark.parametrize(
    "line",
    [
        "انتهى",
        "ـ انتهى ـ",
        "//انتهى//",
        "(النهاية)",
        "انتهى / 12:30 ت م",
        "ع ا / ح م",
        "كونا261030 جمت نوف 24",
        "26/11/2024 10:30",
        "***",
        "انتهى.",
    ],
)
def test_is_marker_recognises_end_of_copy_markers_and_stamps(line):
    assert is_marker(line)


@pytest.mark.parametrize("line", ["وانتهى الاجتماع مساءً.", "لا تعليق.", "كاريكاتير"])
def test_is_marker_leaves_words_of_the_story(line):
    assert not is_marker(line)


def test_end_markers_are_dropped_even_after_a_final_sentence():
    chrome = ["(النهاية)", "ع ا / ح م"]

    assert split_trailing_chrome(BODY + chrome) == (BODY, chrome)


@pytest.mark.parametrize("line", ["انتهى.", 'وقال: "نعم."', "لماذا؟", "رائع!»", "بعدها…"])
def test_ends_sentence_sees_punctuation_before_closing_quotes(line):
    assert ends_sentence(line)


@pytest.mark.parametrize("line", ["اقرأ أيضا:", "كاريكاتير", "صورة (أ ف ب)", ""])
def test_ends_sentence_is_false_for_headings_and_credits(line):
    assert not ends_sentence(line)
