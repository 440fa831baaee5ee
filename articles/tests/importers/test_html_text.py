"""HTML in wire copy read as text, for scraped plain text and ninjs bodies alike."""

import time

from hypothesis import given
from hypothesis import strategies as st

from articles.importers.body_blocks import body_paragraphs, plain_paragraphs
from articles.importers.html_text import strip_markup


def test_strip_markup_turns_br_and_p_into_line_and_paragraph_separators():
    assert strip_markup("<p>أولى<br/>ثانية</p>") == "\u2029أولى\u2028ثانية\u2029"


def test_strip_markup_removes_inline_tags_without_a_space():
    assert strip_markup('وزير <span class="x">الخارجية</span>') == "وزير الخارجية"


def test_strip_markup_drops_scripts_styles_and_comments_with_their_content():
    markup = "قبل<script>alert(1)</script><style>p{}</style><!-- تعليق -->بعد"

    assert strip_markup(markup) == "قبلبعد"


def test_strip_markup_keeps_the_newlines_inside_removed_markup():
    assert strip_markup('أ<span\nclass="x">ب</span>\n<!--\n-->ج') == "أ\nب\n\nج"


def test_strip_markup_decodes_entities_after_removing_tags():
    assert strip_markup("&quot;نص&quot;&nbsp;&lt;br&gt; &#1575;") == '"نص"\u00a0<br> ا'


def test_strip_markup_leaves_a_less_than_sign_in_copy():
    assert strip_markup("أقل من <5 بالمئة") == "أقل من <5 بالمئة"


def test_strip_markup_breaks_a_line_at_any_br_tag():
    assert strip_markup('أ<br class="x">ب</br>ج') == "أ\u2028ب\u2028ج"


def test_strip_markup_reads_a_quoted_greater_than_sign_as_part_of_the_tag():
    assert strip_markup('<a title="أ > ب">نص</a>') == "نص"


def test_strip_markup_drops_declarations_and_cdata():
    assert strip_markup("<!DOCTYPE html><![CDATA[x]]><?xml version='1.0'?>نص") == "نص"


def test_strip_markup_keeps_an_address_in_angle_brackets():
    assert strip_markup("للتواصل <info@example.com>") == "للتواصل <info@example.com>"


def test_strip_markup_without_newlines_drops_those_inside_tags():
    assert strip_markup('أ<span\nclass="x">ب</span>', keep_newlines=False) == "أب"


def test_strip_markup_is_linear_on_tags_that_never_close():
    started = time.perf_counter()
    for piece in ("<a ", "<a x='", "<script ", "<!--", "<![ "):
        strip_markup(piece * 50_000)
    # A quadratic reading takes minutes here.
    assert time.perf_counter() - started < 5


# Markup-heavy text; no digits or "#", so no entity decodes to a newline.
markup_text = st.text(alphabet=st.sampled_from("<>/!?-=\"' apbrscit\nب&;"))


@given(markup_text)
def test_strip_markup_keeps_the_lines_of_any_text(text):
    assert strip_markup(text).count("\n") == text.count("\n")


@given(markup_text)
def test_body_paragraphs_of_any_text_are_clean_and_not_empty(text):
    paragraphs = body_paragraphs(text).paragraphs

    assert all(paragraph and paragraph == paragraph.strip() for paragraph in paragraphs)


def test_body_paragraphs_reads_each_p_and_a_br_inside_as_a_space():
    markup = "<p>الأولى<br>تكملة</p>\n<p> </p><p>الثانية <em>هنا</em></p>"

    assert body_paragraphs(markup).paragraphs == ["الأولى تكملة", "الثانية هنا"]


def test_body_paragraphs_keeps_a_subhead_and_drops_a_figure():
    markup = "<h2>عنوان فرعي</h2><p>فقرة</p><figure><figcaption>تعليق</figcaption></figure>"

    assert body_paragraphs(markup).paragraphs == ["عنوان فرعي", "فقرة"]


def test_body_paragraphs_reads_lines_of_a_div_as_paragraphs():
    assert body_paragraphs("<div>أولى</div><div>ثانية<br>ثالثة</div>").paragraphs == [
        "أولى",
        "ثانية",
        "ثالثة",
    ]


def test_body_paragraphs_drops_scripts_inside_a_paragraph():
    markup = "<p>قبل<script>alert('<p>')</script> بعد</p>"

    assert body_paragraphs(markup).paragraphs == ["قبل بعد"]


def test_body_paragraphs_decodes_entities_once():
    assert body_paragraphs("<p>&amp;lt;b&amp;gt; &amp;</p>").paragraphs == ["&lt;b&gt; &"]


def test_body_paragraphs_survives_a_bogus_marked_section():
    assert body_paragraphs("<![ نص").paragraphs == ["<![ نص"]


def test_body_paragraphs_reads_every_block_of_the_body():
    markup = (
        "نص قائم في الجسم<h3>عنوان فرعي</h3><ul><li>بند أول</li><li>بند ثان</li></ul>"
        "<blockquote>قال الوزير</blockquote><table><tr><th>المدينة</th><th>الحرارة</th></tr>"
        "<tr><td>عمّان</td><td>٢٠</td></tr></table><pre>سطر أول\n\nسطر ثان</pre>"
    )

    assert body_paragraphs(markup).paragraphs == [
        "نص قائم في الجسم",
        "عنوان فرعي",
        "بند أول",
        "بند ثان",
        "قال الوزير",
        "المدينة | الحرارة",
        "عمّان | ٢٠",
        "سطر أول",
        "سطر ثان",
    ]


def test_body_paragraphs_warns_in_arabic_about_an_element_it_does_not_know():
    body = body_paragraphs("<p>فقرة <blink>وامضة</blink></p>")

    assert body.paragraphs == ["فقرة وامضة"]
    assert body.warnings == ["عنصر غير معروف <blink> في نص الخبر: قُرئ نصه كما هو؛ راجع الفقرات"]


def test_body_paragraphs_reads_entity_escaped_html_as_html():
    markup = "&lt;div&gt;&lt;p&gt;الفقرة الأولى&lt;/p&gt;&lt;p&gt;الثانية&lt;/p&gt;&lt;/div&gt;"

    assert body_paragraphs(markup).paragraphs == ["الفقرة الأولى", "الثانية"]


def test_strip_markup_removes_tags_whose_name_has_a_dot():
    assert strip_markup("<body.content><p>نص</p></body.content>") == "\u2029نص\u2029"


def test_plain_paragraphs_reads_tags_in_a_plain_text_body_as_markup():
    assert plain_paragraphs("<p>أولى</p>\n<p>ثانية</p>").paragraphs == ["أولى", "ثانية"]


def test_plain_paragraphs_starts_a_paragraph_at_a_blank_or_indented_line():
    text = "\n    أولى تمتد\n    على سطرين\n\n    ثانية\n      ثالثة مزاحة\n    تكملتها\n  "

    assert plain_paragraphs(text).paragraphs == [
        "أولى تمتد على سطرين",
        "ثانية",
        "ثالثة مزاحة تكملتها",
    ]
