"""Tests for articles.arabic: pure text, no database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.arabic import (
    _FOLD,
    _INVISIBLE_RUNS,
    CONTROL_CHARACTERS,
    INVISIBLE_CHARACTERS,
    STOP_WORDS,
    _fold,
    _normalize_any,
    clean_whitespace,
    count_phrase,
    light_stem,
    normalize,
    search_stems,
    search_words,
    strip_article,
    to_arabic_digits,
    to_western_digits,
    tokenize,
)

# Text heavy in what normalize() folds: Arabic and its presentation forms,
# combining marks, invisible controls and odd spaces.
arabic_text = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
        st.characters(min_codepoint=0x0300, max_codepoint=0x036F),
        st.sampled_from(" \u00a0\u200b\u200c\u200d\u200e\u200f\u202b\u2066\ufeffAaİß1٫٬"),
    )
)


def match(query: str, document: str) -> bool:
    """Say whether a search for ``query`` finds ``document`` by word or by stem."""
    if normalize(query) == normalize(document):
        return True
    return bool(set(search_stems(query)) & set(search_stems(document)))


MUST_MATCH = [
    # Article, conjunction and preposition.
    ("وزير", "الوزير"),
    ("وزير", "والوزير"),
    ("الوزير", "والوزير"),
    ("وزير", "للوزير"),
    ("وزير", "بالوزير"),
    ("وزير", "وزيرا"),
    ("وزير", "وزيرًا"),
    ("وكالة", "الوكالة"),
    ("وزارة", "الوزارة"),
    ("الرئيس", "والرئيس"),
    ("رئيس", "الرئيس"),
    ("وطن", "الوطن"),
    # Ta marbuta, alef maqsura.
    ("مدرسة", "المدرسة"),
    ("المدرسة", "المدرسه"),
    ("مدرسة", "مدرسه"),
    ("قرية", "قريه"),
    ("مستشفى", "مستشفي"),
    # Hamza seats and alef forms.
    ("مسئول", "مسؤول"),
    ("مسئولية", "مسؤولية"),
    ("الافغانية", "الأفغانية"),
    ("أفغانستان", "افغانستان"),
    ("إسلام", "اسلام"),
    ("آثار", "اثار"),
    ("ٱلرحمن", "الرحمن"),
    # Plural, dual and feminine suffixes.
    ("مسؤولين", "مسؤول"),
    ("مسؤولون", "مسؤول"),
    ("مسؤولة", "مسؤول"),
    ("مسؤولين", "مسؤولون"),
    ("معلمات", "معلم"),
    ("معلمة", "معلم"),
    ("معلمات", "معلمة"),
    ("سياساتها", "السياسة"),
    ("روسيا", "الروسي"),
    # Marks, tatweel, presentation forms, invisible characters.
    ("مُسْؤُولِين", "مسؤولين"),
    ("الرَّحْمٰنِ", "الرحمن"),
    ("مـــدرسة", "مدرسة"),
    ("ﻻ", "لا"),
    ("ﺍﻟﺴﻼﻡ", "السلام"),
    ("ﷲ", "الله"),
    ("مدر\u200cسة", "مدرسة"),
    ("\u200fالوزير\u200f", "الوزير"),
    ("\u2067وزير\u2069", "وزير"),
    # Digits.
    ("٢٠٢٤", "2024"),
    ("۲۰۲۴", "2024"),
    ("كوفيد-١٩", "كوفيد 19"),
    # Persian letters.
    ("ایران", "ايران"),
    ("کتاب", "كتاب"),
    ("علی", "علي"),
    # Latin case.
    ("Reuters", "REUTERS"),
]


@pytest.mark.parametrize(("first", "second"), MUST_MATCH)
def test_variants_match_both_ways(first, second):
    assert match(first, second)
    assert match(second, first)


# Different words that careless folding (dropping long vowels, hamza or a
# letter that looks like a prefix) would merge.
MUST_NOT_MATCH = [
    ("كتب", "كاتب"),
    ("علم", "عالم"),
    ("ملك", "مالك"),
    ("قتل", "قاتل"),
    ("سر", "سير"),
    ("جمل", "جميل"),
    ("سؤال", "سال"),
    ("رئيس", "ريس"),
    ("ضل", "ظل"),
    ("وطن", "طن"),
    ("وزير", "زير"),
    ("وصل", "صل"),
    ("كبير", "بير"),
    ("بلد", "لد"),
    ("فرح", "رح"),
    ("لبن", "بن"),
    ("بيان", "بي"),
    ("أمان", "أم"),
    ("وكالة", "كالة"),
    ("والد", "د"),
]


@pytest.mark.parametrize(("first", "second"), MUST_NOT_MATCH)
def test_different_words_do_not_match(first, second):
    assert not match(first, second)
    assert not match(second, first)


def test_normalize_folds_marks_and_hamza_seats():
    assert normalize("مُسْؤُولِين") == "مسءولين"


def test_normalize_keeps_standalone_hamza():
    assert normalize("سماء") == "سماء"


def test_normalize_folds_presentation_form_ligature():
    assert normalize("ﻻ") == "لا"


def test_normalize_collapses_whitespace_and_casefolds():
    assert normalize("  AFP\u00a0\u00a0\t وكالة\nالأنباء  ") == "afp وكاله الانباء"


@given(
    st.text(
        alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
        | st.sampled_from(".,:;!?()«»،؛؟\"'/-0123456789  \u0640")
    )
)
def test_normalize_shortcut_agrees_with_the_full_path(text):
    # Spaces and tatweel (twice as likely) reach the shortcut for paragraphs.
    assert normalize(text) == _normalize_any(text)


def test_normalize_leaves_one_space_where_a_run_of_tatweel_stood_alone():
    assert normalize("قال ـ الوزير") == "قال الوزير"
    assert normalize("ـ قال الوزير ـ") == "قال الوزير"


@given(st.one_of(st.text(), arabic_text))
def test_fold_does_what_its_table_says(text):
    assert _fold(text) == text.translate(_FOLD)


@given(st.one_of(st.text(), arabic_text))
def test_invisible_characters_are_dropped_as_their_list_says(text):
    kept = "".join(character for character in text if character not in INVISIBLE_CHARACTERS)
    assert _INVISIBLE_RUNS.sub("", text) == kept


def test_control_characters_are_c0_and_c1_but_whitespace():
    c0 = set(map(chr, [*range(0x00, 0x09), *range(0x0E, 0x1C), 0x7F]))
    c1 = set(map(chr, [*range(0x80, 0x85), *range(0x86, 0xA0)]))
    assert c0 | c1 == CONTROL_CHARACTERS


def test_normalize_drops_control_characters_inside_a_word():
    assert normalize("الو\x07زير\x1b") == "الوزير"


@given(st.text())
def test_normalize_is_idempotent_on_any_text(text):
    once = normalize(text)
    assert normalize(once) == once


@given(arabic_text)
def test_normalize_is_idempotent_on_arabic_text(text):
    once = normalize(text)
    assert normalize(once) == once


def test_tokenize_splits_on_arabic_punctuation():
    text = "قال الوزير، في بيان؛ هل تنتهي الأزمة؟ «نعم» (قريبا)."
    assert tokenize(text) == [
        "قال",
        "الوزير",
        "في",
        "بيان",
        "هل",
        "تنتهي",
        "الازمه",
        "نعم",
        "قريبا",
    ]


def test_tokenize_keeps_latin_words_and_digits():
    assert tokenize("نشرت Reuters الخبر عام ٢٠٢٤.") == ["نشرت", "reuters", "الخبر", "عام", "2024"]


@given(st.one_of(st.text(), arabic_text))
def test_tokenize_of_a_text_is_tokenize_of_its_chunks(text):
    # articles.search.index normalises whitespace-separated chunks one at a time (and
    # caches them); that must give exactly the words of the whole text.
    assert [word for chunk in text.split() for word in tokenize(chunk)] == tokenize(text)


@given(arabic_text)
def test_tokenize_is_stable_on_its_own_output(text):
    words = tokenize(text)
    assert tokenize(" ".join(words)) == words


def test_stop_words_alone_give_no_search_words():
    assert search_words("في من إلى عن هذا هذه التي الذي كان قد لا و ثم أو إن أن وفي") == []


def test_every_stop_word_is_one_normalised_word():
    assert all(tokenize(word) == [word] for word in STOP_WORDS)


def test_stop_words_leave_content_words_searchable():
    # علي is also how على is spelled once normalised; the name must stay findable.
    assert search_words("قال الوزير علي أمام الإمام") == ["قال", "الوزير", "علي", "امام", "الامام"]


def test_search_stems_strip_article_and_suffix():
    assert search_stems("وقالت الوزيرة إن المعلمات في المدارس") == [
        "قالت",
        "وزير",
        "معلم",
        "مدارس",
    ]


@pytest.mark.parametrize(
    ("word", "stripped"),
    [("الوزير", "وزير"), ("والوزير", "وزير"), ("للوزير", "وزير"), ("والد", "والد"), ("الم", "الم")],
)
def test_strip_article(word, stripped):
    assert strip_article(word) == stripped


def test_light_stem_leaves_latin_and_digits_alone():
    assert [light_stem(word) for word in ("reuters", "2024")] == ["reuters", "2024"]


@given(arabic_text)
def test_light_stem_returns_a_non_empty_part_of_the_word(text):
    for word in tokenize(text):
        stem = light_stem(word)
        assert stem and stem in word


def test_to_arabic_digits():
    assert to_arabic_digits("عام 2024 و۲۰۲۵") == "عام ٢٠٢٤ و٢٠٢٥"


def test_to_western_digits_reads_arabic_separators():
    assert to_western_digits("١٬٢٣٤٫٥ و۶") == "1,234.5 و6"


@given(st.text())
def test_digits_round_trip(text):
    assert to_western_digits(to_arabic_digits(text)) == to_western_digits(text)
    assert to_arabic_digits(to_western_digits(text)) == to_arabic_digits(text)


@given(st.from_regex(r"[0-9]+", fullmatch=True))
def test_western_digits_round_trip_exactly(number):
    assert to_western_digits(to_arabic_digits(number)) == number


def test_clean_whitespace_replaces_unicode_spaces_and_controls():
    text = "\u00a0 الوزير\u202fقال\u2003\u200fاليوم\n\n\u200bفي\u2029 "
    assert clean_whitespace(text) == "الوزير قال اليوم في"


def test_clean_whitespace_drops_control_characters():
    assert clean_whitespace("\x01\x7f\x9f") == ""


def test_clean_whitespace_keeps_letters_and_marks():
    assert clean_whitespace("  الأفغانيّة  مـدرسة ") == "الأفغانيّة مـدرسة"


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "لا أخبار"),
        (1, "خبر واحد"),
        (2, "خبران"),
        (3, "3 أخبار"),
        (10, "10 أخبار"),
        (11, "11 خبرًا"),
        (99, "99 خبرًا"),
        (100, "100 خبر"),
        (102, "102 خبر"),
        (105, "105 أخبار"),
        (120, "120 خبرًا"),
    ],
)
def test_count_phrase_gives_the_noun_the_form_arabic_asks_for(count, expected):
    forms = ("لا أخبار", "خبر واحد", "خبران", "أخبار", "خبرًا", "خبر")
    assert count_phrase(count, *forms) == expected
