"""Tests for articles.highlight: the marked passage of a result. Pure text, no database."""

from articles.highlight import highlight, snippet
from articles.search import parse_query


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
