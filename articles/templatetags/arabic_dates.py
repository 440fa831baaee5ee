"""Template filters that write dates and numbers in Arabic, as the site is set.

The settings (newsportal/settings.py): ARABIC_MONTH_STYLE, ARABIC_DIGITS and
SHOW_HIJRI. Datetimes are shown in the site's time zone (TIME_ZONE).

    {{ article.published_at|arabic_date }}        <time> with day name, and the Hijri date
    {{ article.published_at|arabic_datetime }}    the same with the time of day
    {{ article.published_at|arabic_date_text }}   plain text, for <title> and meta tags
    {{ page_obj.number|digits }}                  digits as the site writes them
    {{ results|result_count }}                    how many stories a search found
"""

import datetime

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html

from articles import dates
from articles.arabic import STORY_FORMS, count_phrase

register = template.Library()


def _local(value):
    """``value`` in the site's time zone, and the calendar day it falls on there."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value, value.date()
    return value, value


def _machine_readable(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def _date_html(value, *, with_time: bool, with_day_name: bool = True, with_hijri: bool = True):
    if not value:
        return ""
    value, day = _local(value)
    name, number, month, year = dates.date_parts(
        day, month_style=settings.ARABIC_MONTH_STYLE, digit_style=settings.ARABIC_DIGITS
    )
    # Wire copy dated without a time arrives at midnight exactly: "الساعة 00:00"
    # would state a time nobody gave.
    time = ""
    if with_time and isinstance(value, datetime.datetime) and value.time() != datetime.time.min:
        time = "، الساعة " + dates.format_time(value, digit_style=settings.ARABIC_DIGITS)
    hijri = ""
    if with_hijri and settings.SHOW_HIJRI:
        hijri = dates.hijri_date(day, digit_style=settings.ARABIC_DIGITS)
    # One format_html for the whole element: a list writes one for each story.
    # The month (a pair such as تشرين الثاني/نوفمبر, or two words) never breaks
    # across lines: the class sets white-space: nowrap.
    return format_html(
        '<time datetime="{}">{}{} <span class="nowrap">{}</span> {}{}</time>{}',
        _machine_readable(value),
        f"{name} " if with_day_name else "",
        number,
        month,
        year,
        time,
        format_html('<span class="date-hijri">، {}</span>', hijri) if hijri else "",
    )


@register.filter(is_safe=True)
def arabic_date(value):
    """A ``<time>`` element: "الثلاثاء 26 تشرين الثاني/نوفمبر 2024", then the Hijri date."""
    return _date_html(value, with_time=False)


@register.filter(is_safe=True)
def arabic_datetime(value):
    """As ``arabic_date``, with the time of day: "…2024، الساعة 14:30"."""
    return _date_html(value, with_time=True)


@register.filter(is_safe=True)
def arabic_date_only(value):
    """As ``arabic_date`` without the Hijri date, for headings (show it apart with hijri_text)."""
    return _date_html(value, with_time=False, with_hijri=False)


@register.filter(is_safe=True)
def arabic_date_short(value):
    """A compact ``<time>`` for lists: day, month, year and time, no day name or Hijri date."""
    return _date_html(value, with_time=True, with_day_name=False, with_hijri=False)


@register.filter
def arabic_date_text(value):
    """The date as plain text (no markup, no Hijri date), for titles and meta tags."""
    if not value:
        return ""
    _, day = _local(value)
    return dates.format_date(
        day, month_style=settings.ARABIC_MONTH_STYLE, digit_style=settings.ARABIC_DIGITS
    )


@register.simple_tag
def hijri_text(value):
    """The Hijri date of ``value`` as plain text, or "" when the site does not show it."""
    if not value or not settings.SHOW_HIJRI:
        return ""
    _, day = _local(value)
    return dates.hijri_date(day, digit_style=settings.ARABIC_DIGITS) or ""


@register.filter
def digits(value):
    """``value`` as text, with its digits written as the site writes them."""
    return dates.digits(str(value), settings.ARABIC_DIGITS)


@register.filter
def arabic_month_year(value):
    """The month and year of ``value``: "تشرين الثاني/نوفمبر 2024"."""
    if not value:
        return ""
    _, day = _local(value)
    return dates.digits(
        f"{dates.month_name(day.month, settings.ARABIC_MONTH_STYLE)} {day.year}",
        settings.ARABIC_DIGITS,
    )


@register.filter
def story_count(value):
    """``value`` stories, with the noun in the form Arabic gives it after that number."""
    return dates.digits(count_phrase(int(value), *STORY_FORMS), settings.ARABIC_DIGITS)


# "other copy" after 0, 1, 2, 3-10, 11-99 and 100 (arabic.count_phrase).
_OTHER_COPY_FORMS = (
    "لا نسخ أخرى",
    "نسخة أخرى",
    "نسختان أخريان",
    "نسخ أخرى",
    "نسخةً أخرى",
    "نسخة أخرى",
)


@register.filter
def other_copies(value):
    """How many other outlets' copies of a story a search found: "3 نسخ أخرى"."""
    return dates.digits(count_phrase(int(value), *_OTHER_COPY_FORMS), settings.ARABIC_DIGITS)


# "result" after 0, 1, 2, 3-10, 11-99 and 100: the forms arabic.count_phrase takes.
_RESULT_FORMS = ("لا نتائج", "نتيجة واحدة", "نتيجتان", "نتائج", "نتيجةً", "نتيجة")


@register.filter
def result_count(results):
    """How many stories ``results`` (a search's) found: "أكثر من N" when only a lower bound."""
    count = results.total
    capped = f"أكثر من {count} نتيجة"
    text = capped if results.is_capped else count_phrase(count, *_RESULT_FORMS)
    return dates.digits(text, settings.ARABIC_DIGITS)
