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


@pytest.mark.parametrize(
    "line",
    [
        "رابط الخبر بصحيفة الوئام: افتتاح حديقة عامة جديدة",
        "رابط مختصر",
        "يمكنكم استلام إشعارات بآخر الأخبار عبر تطبيق الصحيفة.",
        "حمّل تطبيق الصحيفة الآن على هاتفك.",
        "اقرأ أيضاً: البلدية تعلن خطة لتشجير الشوارع.",
        "تابعونا على تويتر وفيسبوك.",
        "جميع الحقوق محفوظة © 2025 الصحيفة.",
        "© الصحيفة 2025",
    ],
)
def test_lines_that_name_themselves_chrome_are_dropped_even_with_a_full_stop(line):
    assert split_trailing_chrome([*BODY, line]) == (BODY, [line])


def test_a_link_back_glued_to_the_last_paragraph_is_cut_off():
    glued = f"{BODY[-1]} رابط الخبر بصحيفة الوئام: افتتاح حديقة عامة جديدة"

    assert split_trailing_chrome([BODY[0], glued]) == (
        BODY,
        ["رابط الخبر بصحيفة الوئام: افتتاح حديقة عامة جديدة"],
    )


def test_a_short_link_glued_to_an_unpunctuated_last_paragraph_is_cut_off():
    body = [BODY[0], "وتضم الحديقة ملاعب للأطفال ومسارات للمشي"]
    glued = f"{body[-1]} رابط مختصر https://example.com/a1"

    assert split_trailing_chrome([body[0], glued]) == (body, ["رابط مختصر https://example.com/a1"])


def test_follow_us_glued_after_the_last_sentence_is_cut_off():
    glued = f"{BODY[-1]} تابعونا على تويتر وفيسبوك"

    assert split_trailing_chrome([BODY[0], glued]) == (BODY, ["تابعونا على تويتر وفيسبوك"])


def test_a_rule_under_the_story_and_what_follows_it_are_dropped():
    chrome = ["-----", "أخبار ذات صلة بالبلدية في هذا القسم من الموقع.", "مقال آخر عن الحدائق"]

    assert split_trailing_chrome(BODY + chrome) == (BODY, chrome)


def test_an_end_credit_an_end_mark_a_time_and_a_serial_number_are_dropped():
    chrome = ["فرانس24/ أ ف ب", "// انتهى //", "15:48 ت م", "0123"]

    assert split_trailing_chrome(BODY + chrome) == (BODY, chrome)


@pytest.mark.parametrize(
    "last",
    [
        "وقالت رويترز إن الحديقة كلفت مليون دينار",
        "ومن المقرر أن تفتح الحديقة أبوابها في 12 يناير 2025",
        "وتفتح الحديقة أبوابها يومياً.",
    ],
)
def test_a_real_last_paragraph_is_kept_though_short(last):
    assert split_trailing_chrome([*BODY, last]) == ([*BODY, last], [])


def test_a_paragraph_that_only_mentions_a_link_is_kept():
    last = "وأضاف أن رابط الخبر الذي نشرته الصحيفة كان خاطئاً، مؤكداً أنه سيصحح اليوم."

    assert split_trailing_chrome([*BODY, last]) == ([*BODY, last], [])


def test_a_link_back_glued_without_a_space_after_the_full_stop_is_cut_off():
    glued = f"{BODY[-1]}رابط الخبر بصحيفة الوادي: افتتاح حديقة عامة جديدة"

    assert split_trailing_chrome([BODY[0], glued]) == (
        BODY,
        ["رابط الخبر بصحيفة الوادي: افتتاح حديقة عامة جديدة"],
    )


def test_an_end_mark_glued_to_the_last_sentence_is_cut_off():
    assert split_trailing_chrome([BODY[0], f"{BODY[-1]} // انتهى //", "15:48 ت م"]) == (
        BODY,
        ["// انتهى //", "15:48 ت م"],
    )


def test_a_line_of_share_buttons_is_dropped_even_with_no_paragraph_before_it():
    assert split_trailing_chrome(["شارك الخبر", "فيسبوك تويتر واتساب"]) == (
        [],
        ["شارك الخبر", "فيسبوك تويتر واتساب"],
    )


def test_a_last_paragraph_ending_with_a_numeric_date_is_kept():
    last = "وسيعقد المجلس اجتماعه المقبل يوم 30/04/2025"

    assert split_trailing_chrome([*BODY, last]) == ([*BODY, last], [])


def test_a_related_heading_takes_its_headlines_even_when_they_end_with_full_stops():
    chrome = [
        "أخبار ذات صلة",
        "البلدية تعلن خطة لتشجير الشوارع.",
        "افتتاح سوق شعبي جديد في الحي القديم.",
    ]

    assert split_trailing_chrome(BODY + chrome) == (BODY, chrome)


@pytest.mark.parametrize("glued", ["المصدر: رويترز", "اضغط هنا لمتابعة آخر الأخبار."])
def test_a_source_note_or_a_prompt_glued_after_the_last_sentence_is_cut_off(glued):
    assert split_trailing_chrome([BODY[0], f"{BODY[-1]} {glued}"]) == (BODY, [glued])


def test_a_credit_in_parentheses_inside_the_last_sentence_stays():
    last = "وقالت الوكالة العربية السورية للأنباء (سانا) إن الحديقة افتتحت أمس."

    assert split_trailing_chrome([*BODY, last]) == ([*BODY, last], [])


def test_an_end_mark_set_off_by_its_dashes_is_cut_off_even_without_a_full_stop():
    last = "وسيعقد المجلس اجتماعه المقبل يوم 30/04/2025"

    assert split_trailing_chrome([*BODY, f"{last} ـ انتهى ـ"]) == ([*BODY, last], ["ـ انتهى ـ"])


def test_a_bare_end_word_after_an_unfinished_sentence_is_a_word_of_it():
    last = "وقال المدير إن العمل في المشروع لم ينته بعد ولكنه قارب وانتهى"

    assert split_trailing_chrome([*BODY, last]) == ([*BODY, last], [])


def test_a_related_list_under_a_photo_caption_is_all_chrome():
    chrome = ["اقرأ أيضاً:", "البلدية تعلن خطة لتشجير الشوارع.", "افتتاح سوق شعبي جديد."]

    assert split_trailing_chrome(chrome) == ([], chrome)


@pytest.mark.parametrize(
    "last",
    [
        "تابعنا على مدى أسبوع عمل الفرق الميدانية في الحديقة.",
        "شارك هذا العام أكثر من ألف متطوع في أعمال التشجير.",
    ],
)
def test_a_last_sentence_opening_like_a_prompt_is_kept(last):
    assert split_trailing_chrome([*BODY, last]) == ([*BODY, last], [])
