"""The query language on real PostgreSQL: spellings and stems, stop words, phrases, prefixes."""

import pytest

from articles.search.query import parse_query
from articles.tests.search.support import found, frame

pytestmark = pytest.mark.django_db


# Every spelling variant of the issue, and the forms a light stemmer joins.
MUST_MATCH = [
    ("وزير", "الوزير"),
    ("وزير", "والوزير"),
    ("الوزير", "والوزير"),
    ("وزير", "بالوزير"),
    ("وكالة", "الوكالة"),
    ("الرئيس", "والرئيس"),
    ("المدرسة", "المدرسه"),
    ("مستشفى", "مستشفي"),
    ("مسئول", "مسؤول"),
    ("الافغانية", "الأفغانية"),
    ("أفغانستان", "افغانستان"),
    ("مُسْؤُولِين", "مسؤولين"),
    ("٢٠٢٤", "2024"),
    ("۲۰۲۴", "2024"),
    ("إسلام", "اسلام"),
    ("آثار", "اثار"),
    ("ٱلرحمن", "الرحمن"),
    ("الرَّحْمٰنِ", "الرحمن"),
    ("مـــدرسة", "مدرسة"),
    ("ﺍﻟﺴﻼﻡ", "السلام"),
    ("مدر\u200cسة", "مدرسة"),
    ("\u200fالوزير\u200f", "الوزير"),
    ("\u2067الحكومة\u2069", "الحكومة"),
    ("ایران", "ايران"),
    ("کتاب", "كتاب"),
    ("مسؤولين", "مسؤول"),
    ("معلمات", "معلمة"),
    ("Reuters", "REUTERS"),
]


@pytest.mark.parametrize(("first", "second"), MUST_MATCH)
def test_variants_find_each_other_both_ways(story, first, second):
    story(headline="الأول", paragraphs=frame(first))
    story(headline="الثاني", paragraphs=frame(second))
    assert "الثاني" in found(first)
    assert "الأول" in found(second)


# Different words that careless folding or prefix stripping would merge.
MUST_NOT_MATCH = [
    ("كتب", "كاتب"),
    ("علم", "عالم"),
    ("ملك", "مالك"),
    ("سؤال", "سال"),
    ("رئيس", "ريس"),
    ("ضل", "ظل"),
    ("سر", "سير"),
    ("جمل", "جميل"),
    ("وطن", "طن"),
    ("وزير", "زير"),
    ("كبير", "بير"),
    ("وكالة", "كالة"),
    ("أمان", "أم"),
]


@pytest.mark.parametrize(("first", "second"), MUST_NOT_MATCH)
def test_different_words_do_not_find_each_other(story, first, second):
    story(headline="الأول", paragraphs=frame(first))
    story(headline="الثاني", paragraphs=frame(second))
    assert found(first) == ["الأول"]
    assert found(second) == ["الثاني"]


def test_stop_words_alone_find_nothing(story):
    story(paragraphs=("قال الوزير في بيان إن هذا من التي كان قد أعلنها.",))
    query = parse_query("في من هذا التي")
    assert query.stop_words_only
    assert found("في من هذا التي") == []


def test_stop_words_do_not_narrow_a_query(story):
    story(headline="الوزير يصل", paragraphs=("وصل الوزير صباحا.",))
    assert found("في الوزير من") == ["الوزير يصل"]


def test_every_word_must_match(story):
    story(headline="زيارة الوزير", paragraphs=frame("الوزير"))
    story(headline="زيارة السفير", paragraphs=frame("السفير"))
    assert found("زيارة الوزير") == ["زيارة الوزير"]


# --- Phrases and prefixes -----------------------------------------------------


def test_quoted_phrase_matches_words_in_order(story):
    story(headline="متجاورتان", paragraphs=("اجتمع مجلس الأمن الدولي.",))
    story(headline="متباعدتان", paragraphs=("الأمن مستتب في مجلس المدينة.",))
    assert found('"مجلس الأمن"') == ["متجاورتان"]
    assert sorted(found("مجلس الأمن")) == ["متباعدتان", "متجاورتان"]


def test_guillemets_quote_a_phrase(story):
    story(headline="متجاورتان", paragraphs=("اجتمع مجلس الأمن الدولي.",))
    story(headline="متباعدتان", paragraphs=("الأمن مستتب في مجلس المدينة.",))
    assert found("«مجلس الأمن»") == ["متجاورتان"]


def test_phrase_keeps_the_gap_of_a_stop_word(story):
    story(headline="بفاصل", paragraphs=("عقد وزير في الحكومة مؤتمرا.",))
    story(headline="بلا فاصل", paragraphs=("عقد وزير الحكومة مؤتمرا.",))
    assert found('"وزير في الحكومة"') == ["بفاصل"]


def test_phrase_does_not_span_paragraphs(story):
    story(paragraphs=("انعقد اليوم مجلس", "الأمن مستتب."))
    assert found('"مجلس الأمن"') == []


def test_phrase_matches_spelling_variants(story):
    story(headline="المسؤولون", paragraphs=("قال المسئولون الأفغان إن الوضع هادئ.",))
    assert found('"المسؤولون الافغان"') == ["المسؤولون"]


def test_last_word_matches_as_prefix(story):
    story(paragraphs=("عاد الوفد من أفغانستان.",))
    story(headline="آخر", paragraphs=("عاد الوفد من باكستان.",))
    assert found("أفغا") == ["وزير الري يفتتح محطة جديدة لتحلية المياه"]


def test_prefix_with_the_article_finds_other_forms(story):
    story(headline="الحكومة", paragraphs=("قالت الحكومة الأفغانية.",))
    story(headline="البلد", paragraphs=("عاد الوفد من أفغانستان.",))
    assert sorted(found("الأفغا")) == ["البلد", "الحكومة"]


def test_only_the_last_word_is_a_prefix(story):
    story(paragraphs=("عاد الوفد من أفغانستان إلى كابول.",))
    assert found("أفغا كابول") == []
    assert found("كابول أفغا") != []


def test_short_last_word_is_not_a_prefix(story):
    story(paragraphs=("الوزير والمدير والسفير.",))
    assert parse_query("ال").terms[0].prefix is False
    assert found("ال") == []
