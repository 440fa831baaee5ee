"""Template filters and tags for reader pages (articles.templatetags)."""

import datetime
import json
import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import escape

from articles.models import Source
from articles.templatetags.reader import excerpt, json_ld

# 2024-11-25 22:30 UTC is already the 26th, 01:30, in Riyadh (the default TIME_ZONE).
LATE_UTC = datetime.datetime(2024, 11, 25, 22, 30, tzinfo=datetime.UTC)


def render(source, **context):
    return Template("{% load arabic_dates reader %}" + source).render(Context(context))


@pytest.fixture
def date_settings(settings):
    settings.TIME_ZONE = "Asia/Riyadh"
    settings.ARABIC_MONTH_STYLE = "both"
    settings.ARABIC_DIGITS = "western"
    settings.SHOW_HIJRI = True
    return settings


def test_arabic_date_is_a_time_element_in_the_site_time_zone(date_settings):
    html = render("{{ moment|arabic_date }}", moment=LATE_UTC)
    assert '<time datetime="2024-11-26T01:30:00+03:00">' in html
    assert "الثلاثاء 26" in html


def test_arabic_date_keeps_the_month_pair_on_one_line(date_settings):
    html = render("{{ moment|arabic_date }}", moment=LATE_UTC)
    assert '<span class="nowrap">تشرين الثاني/نوفمبر</span> 2024' in html


@pytest.mark.parametrize(
    ("style", "month"),
    [("gregorian", "نوفمبر"), ("levantine", "تشرين الثاني"), ("both", "تشرين الثاني/نوفمبر")],
)
def test_arabic_date_follows_the_month_style_setting(date_settings, style, month):
    date_settings.ARABIC_MONTH_STYLE = style
    html = render("{{ moment|arabic_date }}", moment=LATE_UTC)
    assert f'<span class="nowrap">{month}</span>' in html


def test_arabic_date_shows_the_hijri_date_when_set(date_settings):
    html = render("{{ moment|arabic_date }}", moment=LATE_UTC)
    assert '<span class="date-hijri">، 24 جمادى الأولى 1446 هـ</span>' in html


def test_arabic_date_leaves_out_the_hijri_date_when_set_off(date_settings):
    date_settings.SHOW_HIJRI = False
    html = render("{{ moment|arabic_date }}", moment=LATE_UTC)
    assert "هـ" not in html
    assert "date-hijri" not in html


def test_arabic_date_writes_arabic_indic_digits_when_set(date_settings):
    date_settings.ARABIC_DIGITS = "arabic"
    html = render("{{ moment|arabic_datetime }}", moment=LATE_UTC)
    text = re.sub(r"<[^>]+>", "", html)
    assert "الثلاثاء ٢٦ تشرين الثاني/نوفمبر ٢٠٢٤، الساعة ٠١:٣٠" in text
    assert "٢٤ جمادى الأولى ١٤٤٦ هـ" in text
    # The machine-readable attribute keeps ISO digits.
    assert 'datetime="2024-11-26T01:30:00+03:00"' in html


def test_arabic_datetime_adds_the_local_time(date_settings):
    text = re.sub(r"<[^>]+>", "", render("{{ moment|arabic_datetime }}", moment=LATE_UTC))
    assert "2024، الساعة 01:30" in text


def test_arabic_datetime_leaves_out_a_midnight_that_only_means_no_time_given(date_settings):
    midnight = datetime.datetime(2024, 11, 25, 21, 0, tzinfo=datetime.UTC)  # 00:00 in Riyadh
    text = re.sub(r"<[^>]+>", "", render("{{ moment|arabic_datetime }}", moment=midnight))
    assert "الساعة" not in text
    assert text.startswith("الثلاثاء 26 تشرين الثاني/نوفمبر 2024")


def test_arabic_date_short_has_no_day_name_and_no_hijri(date_settings):
    text = re.sub(r"<[^>]+>", "", render("{{ moment|arabic_date_short }}", moment=LATE_UTC))
    assert text == "26 تشرين الثاني/نوفمبر 2024، الساعة 01:30"


def test_arabic_date_text_is_plain_text(date_settings):
    date_settings.ARABIC_MONTH_STYLE = "gregorian"
    assert render("{{ moment|arabic_date_text }}", moment=LATE_UTC) == "الثلاثاء 26 نوفمبر 2024"


def test_arabic_date_only_has_no_hijri_date(date_settings):
    html = render("{{ moment|arabic_date_only }}", moment=LATE_UTC)
    assert "الثلاثاء 26" in html
    assert "هـ" not in html


def test_arabic_date_of_a_plain_date_has_a_date_only_attribute(date_settings):
    html = render("{{ day|arabic_date }}", day=datetime.date(2024, 12, 1))
    assert '<time datetime="2024-12-01">' in html


def test_arabic_date_of_nothing_is_empty(date_settings):
    assert render("{{ moment|arabic_date }}", moment=None) == ""


def test_story_count_uses_the_digit_setting(date_settings):
    date_settings.ARABIC_DIGITS = "arabic"
    assert render("{{ n|story_count }}", n=25) == "٢٥ خبرًا"


class _Results:
    """What result_count reads of a search's results."""

    def __init__(self, total, is_capped=False):
        self.total, self.is_capped = total, is_capped


@pytest.mark.parametrize(
    ("total", "text"),
    [(0, "لا نتائج"), (1, "نتيجة واحدة"), (2, "نتيجتان"), (3, "3 نتائج"), (25, "25 نتيجةً")],
)
def test_result_count_gives_the_noun_its_form_after_the_number(date_settings, total, text):
    assert render("{{ results|result_count }}", results=_Results(total)) == text


def test_result_count_of_a_lower_bound_says_more_than(date_settings):
    date_settings.ARABIC_DIGITS = "arabic"
    html = render("{{ results|result_count }}", results=_Results(300, is_capped=True))
    assert html == "أكثر من ٣٠٠ نتيجة"


def test_excerpt_cuts_at_a_whole_word_and_marks_the_cut():
    text = "هطلت أمطار غزيرة على العاصمة، وأغلقت بعض الطرق"
    assert excerpt(text, 20) == "هطلت أمطار غزيرة…"


def test_excerpt_leaves_a_short_text_whole():
    assert excerpt("نص قصير", 20) == "نص قصير"


def test_json_ld_cannot_be_broken_out_of_by_a_string():
    html = str(json_ld({"headline": "</script><script>alert(1)</script> & <!--"}))
    assert html.count("</script>") == 1
    body = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert json.loads(body) == {"headline": "</script><script>alert(1)</script> & <!--"}


def test_page_url_keeps_the_other_query_parameters():
    request = RequestFactory().get("/search/", {"q": "مطر", "page": "2"})
    html = Template("{% load reader %}{% page_url 3 %}").render(Context({"request": request}))
    assert html == "?q=%D9%85%D8%B7%D8%B1&amp;page=3"


def test_page_url_writes_the_parameters_as_the_query_dict_does():
    request = RequestFactory().get("/search/?q=مطر+غزير&page=2&source=a&source=ب&x=")
    html = Template("{% load reader %}{% page_url 4 %}").render(Context({"request": request}))
    expected = request.GET.copy()
    expected["page"] = "4"
    assert html == escape(f"?{expected.urlencode()}")


def test_page_url_of_the_first_page_drops_the_page_number():
    request = RequestFactory().get("/", {"page": "2"})
    html = Template("{% load reader %}{% page_url 1 %}").render(Context({"request": request}))
    assert html == "/"


def test_source_page_is_the_reversed_address_of_the_source():
    source = Source(name="وكالة النيل", slug="وكالة-النيل")
    html = Template("{% load reader %}{{ source|source_page }}").render(Context({"source": source}))
    assert html == reverse("articles:source", args=[source.slug])
