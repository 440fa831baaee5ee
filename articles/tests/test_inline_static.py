"""``{% inline_stylesheet %}``: a static style sheet's text, inlined into reader pages."""

import pytest
from django.template import Context, Template

from articles.templatetags import inline_static


def render(name: str) -> str:
    return Template('{% load inline_static %}{% inline_stylesheet "' + name + '" %}').render(
        Context()
    )


@pytest.fixture
def sheet_folder(settings, tmp_path):
    """A static folder of the test's own, read afresh (DEBUG: nothing kept between reads)."""
    (tmp_path / "css").mkdir()
    settings.STATICFILES_DIRS = [tmp_path]
    settings.DEBUG = True
    return tmp_path / "css"


def test_relative_urls_point_where_the_linked_sheet_pointed():
    css = render("css/site.css")
    assert 'url("/static/fonts/noto-naskh-arabic-arabic-400-normal.woff2")' in css
    assert "../fonts/" not in css


def test_comments_and_indentation_are_left_out(sheet_folder):
    (sheet_folder / "a.css").write_text("/* why */\n.a {\n  color: red;\n}\n")
    assert render("css/a.css") == ".a {\ncolor: red;\n}"


def test_absolute_and_data_urls_are_kept(sheet_folder):
    rules = '.a { background: url(/static/x.png); }\n.b { background: url("data:,x"); }'
    (sheet_folder / "b.css").write_text(rules)
    assert render("css/b.css") == rules


def test_a_sheet_that_would_end_the_style_element_is_refused(sheet_folder):
    (sheet_folder / "c.css").write_text('.a::after { content: "</style><script>"; }')
    with pytest.raises(ValueError, match="</style"):
        render("css/c.css")


def test_a_missing_sheet_names_itself(sheet_folder):
    with pytest.raises(FileNotFoundError, match=r"css/missing\.css"):
        inline_static.inline_stylesheet("css/missing.css")


def test_the_sheet_is_read_once_outside_debug(settings, sheet_folder):
    settings.DEBUG = False
    inline_static._cached_stylesheet.cache_clear()
    sheet = sheet_folder / "d.css"
    sheet.write_text(".a { color: red; }")
    first = render("css/d.css")
    sheet.write_text(".a { color: blue; }")
    assert render("css/d.css") == first
    inline_static._cached_stylesheet.cache_clear()
