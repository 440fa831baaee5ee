"""Tests for articles.search.highlight: the marked passage of a result. Pure text, no database."""

import dataclasses
import random
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.arabic import folded_in_place
from articles.search.highlight import _Needles, highlight, snippet
from articles.search.query import parse_query


def test_highlight_marks_original_words_and_escapes_the_rest():
    html = highlight("<b>الأفغانيّة</b> & الوزير", parse_query("الافغانية"))
    assert html == "&lt;b&gt;<mark>الأفغانيّة</mark>&lt;/b&gt; &amp; الوزير"


def test_highlight_marks_stems_and_prefixes():
    html = highlight("التقى الوزيرة مسؤولين من أفغانستان", parse_query("وزير مسئول أفغا"))
    assert html == ("التقى <mark>الوزيرة</mark> <mark>مسؤولين</mark> من <mark>أفغانستان</mark>")


def test_highlight_leaves_stop_words_unmarked():
    assert "<mark>" not in highlight("في من إلى", parse_query("في"))


def test_snippet_picks_the_paragraph_with_most_query_words():
    paragraphs = ["افتتح الوزير المعرض.", "زار الوزير المستشفى الجديد.", "وانتهت الزيارة."]
    html = snippet(paragraphs, parse_query("الوزير المستشفى"))
    assert html == "زار <mark>الوزير</mark> <mark>المستشفى</mark> الجديد."


def test_snippet_cuts_a_long_paragraph_around_the_match():
    words = [f"كلمة{n}" for n in range(200)]
    words[120] = "الزلزال"
    html = snippet([" ".join(words)], parse_query("الزلزال"))
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>الزلزال</mark>" in html
    assert len(html.split()) < 50


def test_snippet_shows_the_first_paragraph_when_only_the_headline_matched():
    html = snippet(["<b>مقدمة</b> الخبر.", "تفاصيل."], parse_query("الزلزال"))
    assert html == "&lt;b&gt;مقدمة&lt;/b&gt; الخبر."


def test_snippet_of_a_story_without_paragraphs_is_empty():
    assert snippet([], parse_query("الزلزال")) == ""


def test_highlight_keeps_the_diacritics_of_the_marked_word():
    html = highlight("قال الوزيرُ كلمته", parse_query("الوزير"))
    assert html == "قال <mark>الوزيرُ</mark> كلمته"


def test_highlight_marks_the_words_of_a_phrase():
    html = highlight("اجتمع مجلس الأمن اليوم", parse_query('"مجلس الأمن"'))
    assert html == "اجتمع <mark>مجلس</mark> <mark>الأمن</mark> اليوم"


# --- Only texts that hold one of the query's needles are read word by word ------------
# Each test puts the match after a paragraph without one: had the needle test
# dropped the paragraph that matches, the first would be shown unmarked.

NO_MATCH = "افتتح المعرض أبوابه صباح اليوم."


def test_snippet_finds_a_word_written_with_diacritics_and_tatweel():
    html = snippet([NO_MATCH, "قال الوَزِيــرُ إن"], parse_query("الوزير"))
    assert html == "قال <mark>الوَزِيــرُ</mark> إن"


def test_snippet_finds_a_word_with_invisible_characters_inside():
    html = snippet([NO_MATCH, "قال الوز\u200cير\u200f إن"], parse_query("وزير"))
    assert html == "قال <mark>الوز\u200cير\u200f</mark> إن"


def test_snippet_finds_a_word_in_presentation_forms():
    html = snippet([NO_MATCH, "قال ﺍﻟﻮﺯﻳﺮ إن"], parse_query("وزير"))
    assert html == "قال <mark>ﺍﻟﻮﺯﻳﺮ</mark> إن"


def test_snippet_finds_a_word_in_a_ligature():
    html = snippet([NO_MATCH, "وقال ﻻعبون إن"], parse_query("لاعب"))
    assert html == "وقال <mark>ﻻعبون</mark> إن"


def test_snippet_finds_a_hamza_on_another_seat():
    html = snippet([NO_MATCH, "أعلن المسؤولون أن"], parse_query("مسئول"))
    assert html == "أعلن <mark>المسؤولون</mark> أن"


def test_snippet_finds_alef_and_ta_marbuta_variants():
    html = snippet([NO_MATCH, "في إدارة المدرسة"], parse_query("اداره"))
    assert html == "في <mark>إدارة</mark> المدرسة"


def test_snippet_finds_arabic_indic_digits():
    html = snippet([NO_MATCH, "قُتل ٣٥ شخصًا"], parse_query("35"))
    assert html == "قُتل <mark>٣٥</mark> شخصًا"


def test_snippet_finds_words_a_prefix_begins():
    html = snippet([NO_MATCH, "عاد إلى أفغانستان"], parse_query("الأفغا"))
    assert html == "عاد إلى <mark>أفغانستان</mark>"


def test_snippet_finds_the_stem_a_prefix_shares():
    # The prefix والاستثما finds والاستثمارات by its stem, استثمار.
    html = snippet([NO_MATCH, "نمت الاستثمارات كثيرًا"], parse_query("والاستثما"))
    assert html == "نمت <mark>الاستثمارات</mark> كثيرًا"


def test_snippet_finds_the_words_of_a_phrase():
    html = snippet([NO_MATCH, "اجتمع مجلسُ الأمن اليوم"], parse_query('"مجلس الأمن"'))
    assert html == "اجتمع <mark>مجلسُ</mark> <mark>الأمن</mark> اليوم"


def test_snippet_finds_a_word_joined_to_punctuation():
    html = snippet([NO_MATCH, "قال:«الوزير»، ثم"], parse_query("وزير"))
    assert html == "قال:«<mark>الوزير</mark>»، ثم"


def test_highlight_marks_a_written_word_that_nfkc_joins_to_the_next_character():
    # か and the combining voiced mark are two written words but one normalised
    # word, が: the written word か is found though the normalised text has no か.
    html = highlight("ن \u304b\u3099 ن", parse_query("\u304b"))
    assert html == "ن <mark>\u304b</mark>\u3099 ن"


def test_snippet_of_a_headline_hit_marks_the_first_paragraph_as_written():
    # No whitespace chunk of the paragraph holds か, but one of its written words does.
    html = snippet(["ن \u304b\u3099 ن", "تفاصيل."], parse_query("\u304b"))
    assert html == "ن <mark>\u304b</mark>\u3099 ن"


# Words made of a few stems, written with the article, conjunctions and suffixes,
# and dressed as wire copy writes them: marks, tatweel, invisible characters,
# presentation forms, other seats and shapes of alef, hamza and ya.
STEMS = ["وزير", "كتب", "مسؤول", "أمن", "استثمار", "سلام", "لاعب", "مدرسة", "ايران"]
AFFIXES_BEFORE = ["", "", "ال", "وال", "بال", "لل", "و", "ف", "ب", "ك", "ل"]
AFFIXES_AFTER = ["", "", "ة", "ات", "ون", "ين", "ها", "ية", "ان", "ي", "ا", "هم"]
DRESSING = [
    "\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u064b", "\u0670", "\u0640",
    "\u200c", "\u200d", "\u200f", "\u00ad", "\ufeff", "\u0654", "\u0301",
]  # fmt: skip
SWAPS = {
    "ا": "اأإآٱﺍ", "ي": "يىیﻳ", "ة": "ةهﺔ", "ؤ": "ؤئءو", "ك": "كکﻛ", "ل": "لﻟ",
    "و": "وﻮ", "ز": "زﺯ", "ر": "رﺮ", "م": "مﻣ", "ن": "نﻧ", "س": "سﺳ",
}  # fmt: skip
OTHER_WORDS = [
    "ﻻ", "ﷺ", "ﷲ", "\ufe70", "\ufe7c\u0651", "\u304b\u3099", "\u304c", "e\u0301", "é",
    "=\u0338", "ß", "İ", "٣٥", "۳۵", "35", "x_y", "a'b", "\\", "&", "<b>", "\U0001d400", "\u304b",
]  # fmt: skip
SEPARATORS = [" ", " ", " ", "  ", "\u00a0", "\u2009", "\n", "، ", ".", "-", "«", "» ", "/"]


def written_word(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return rng.choice(OTHER_WORDS)
    word = rng.choice(AFFIXES_BEFORE) + rng.choice(STEMS) + rng.choice(AFFIXES_AFTER)
    letters = [rng.choice(SWAPS.get(letter, letter)) for letter in word]
    for _ in range(rng.randint(0, 3)):
        letters.insert(rng.randint(0, len(letters)), rng.choice(DRESSING))
    return "".join(letters)


def text(rng: random.Random) -> str:
    words = [written_word(rng) for _ in range(rng.randint(1, 12))]
    return "".join(word + rng.choice(SEPARATORS) for word in words)


def plain_text(rng: random.Random) -> str:
    """Text as most wire copy comes: basic letters, one space apart, some punctuation.

    Normalised letter for letter (``arabic.folded_in_place``), it takes the
    highlighter's shortcut for plain text.
    """
    words = []
    for _ in range(rng.randint(1, 12)):
        word = rng.choice(AFFIXES_BEFORE) + rng.choice(STEMS) + rng.choice(AFFIXES_AFTER)
        word = "".join(rng.choice(SWAPS.get(letter, letter)[:2]) for letter in word)
        words.append(word + rng.choice(["", "", "", ".", "،", "؟"]))
    return rng.choice(["", "«"]) + " ".join(words)


def query_text(rng: random.Random) -> str:
    """A reader's query: words of the texts' kind, the last often cut short, or a phrase."""
    words = [written_word(rng) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.5:
        words[-1] = words[-1][: rng.randint(1, len(words[-1]))]
    if len(words) > 1 and rng.random() < 0.3:
        return f'"{words[0]} {words[1]}" ' + " ".join(words[2:])
    return " ".join(words)


# Drawn with Python's random from a seed Hypothesis chooses: drawing each letter
# through Hypothesis took a second per hundred examples.
texts = st.randoms(use_true_random=True).map(text)
plain_texts = st.randoms(use_true_random=True).map(plain_text)
queries = st.randoms(use_true_random=True).map(query_text)


def read_word_by_word():
    """Read every text word by word, as before the needles: the output to match."""
    return mock.patch.multiple(
        "articles.search.highlight._Needles",
        __contains__=lambda needles, normalized: True,
        words_in=lambda needles, normalized: set(normalized.split()),
        starts_in=lambda needles, normalized: list(range(len(normalized))),
    )


@given(st.lists(st.one_of(texts, plain_texts), min_size=1, max_size=4), queries)
@settings(max_examples=500)
def test_needles_never_change_a_snippet(paragraphs, words):
    query = parse_query(words)
    with read_word_by_word():
        expected = snippet(paragraphs, query)
    assert snippet(paragraphs, query) == expected


@given(st.one_of(texts, plain_texts), queries)
@settings(max_examples=500)
def test_needles_never_change_a_highlight(headline, words):
    query = parse_query(words)
    with read_word_by_word():
        expected = highlight(headline, query)
    assert highlight(headline, query) == expected


@given(
    st.text(alphabet="ابتسم \n\t", max_size=40),
    st.frozensets(st.text(alphabet="ابتسم", min_size=1, max_size=3), min_size=1, max_size=3),
)
def test_words_in_are_the_words_that_hold_a_needle(text, needles):
    expected = {word for word in text.split() if any(needle in word for needle in needles)}
    assert _Needles(needles).words_in(text) == expected


def test_plain_text_takes_the_shortcut_and_marks_the_same_words():
    text = "«قال الوزير، إن الوزارة أعدت خطة. والوزير وافق"
    assert folded_in_place(text) is not None
    html = highlight(text, parse_query("وزير"))
    assert html == "«قال <mark>الوزير</mark>، إن الوزارة أعدت خطة. <mark>والوزير</mark> وافق"


def test_the_snippet_is_the_paragraph_with_a_word_found_by_its_bare_form():
    # What the lexicon resolves for وخشاه when the stories hold خشاه without و
    # (articles.search.lexicon): its bare form's lexemes, matched too.
    query = parse_query("وخشاه").whole_words()
    bare = dataclasses.replace(query.terms[0], also=("خشاه", "~خشا", "خشا"))
    query = dataclasses.replace(query, terms=(bare,))
    html = snippet(["فقرة أولى بلا شيء.", "قال إن الخشاهات بدأت"], query)
    assert html == "قال إن <mark>الخشاهات</mark> بدأت"
