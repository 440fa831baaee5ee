"""What the newsroom says of a workflow action: the editor's message and the history line.

One wording for the story form's bar (``articles.admin_workflow``) and the
list's bulk actions (``articles.admin``), so that the history reads the same
whichever was used, and says what happened in words («نُشر»، «جُدول لـ…»)
rather than which field changed. Times are the site's (``settings.TIME_ZONE``)
written as the admin writes them: ``4 ديسمبر 2026، 9:18 م``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

# What a save did to a story's state; "" left it as it was.
PUBLISHED = "published"
SCHEDULED = "scheduled"
UNPUBLISHED = "unpublished"
WITHDRAWN = "withdrawn"

# The cities the zones of the Arab world are known by; another zone is named as it is.
ZONE_CITIES = {
    "Asia/Riyadh": "الرياض",
    "Asia/Amman": "عمّان",
    "Africa/Cairo": "القاهرة",
    "Asia/Dubai": "دبي",
    "Asia/Qatar": "الدوحة",
    "Asia/Kuwait": "الكويت",
    "Asia/Bahrain": "المنامة",
    "Asia/Muscat": "مسقط",
    "Asia/Baghdad": "بغداد",
    "Asia/Damascus": "دمشق",
    "Asia/Beirut": "بيروت",
    "Asia/Gaza": "غزة",
    "Asia/Hebron": "الخليل",
    "Asia/Aden": "عدن",
    "Africa/Khartoum": "الخرطوم",
    "Africa/Tripoli": "طرابلس",
    "Africa/Tunis": "تونس",
    "Africa/Algiers": "الجزائر",
    "Africa/Casablanca": "الدار البيضاء",
    "Africa/Nouakchott": "نواكشوط",
    "UTC": "غرينتش",
}


def format_moment(moment: datetime.datetime) -> str:
    """``moment`` in the site's zone as the admin writes every date and time.

    Django's DATETIME_FORMAT of newsportal/formats/ar, with the month names
    in the site's style: "4 كانون الأول/ديسمبر 2026، 9:18 م" by default.
    """
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def zone_label(moment: datetime.datetime | None = None) -> str:
    """The site's time zone as an editor knows it, e.g. "بتوقيت الرياض (غرينتش+3)".

    The offset is the one at ``moment`` (now by default): summer time changes it.
    """
    offset = timezone.localtime(moment or timezone.now()).utcoffset() or datetime.timedelta()
    minutes = int(offset.total_seconds()) // 60
    hours, rest = divmod(abs(minutes), 60)
    gmt = "غرينتش"
    if minutes:
        gmt += ("+" if minutes > 0 else "-") + str(hours) + (f":{rest:02d}" if rest else "")
    city = ZONE_CITIES.get(settings.TIME_ZONE, settings.TIME_ZONE)
    return f"بتوقيت {city} ({gmt})"


def and_list(items: list[str]) -> str:
    """Arabic's "a وb وc": the conjunction joins each item to the one before."""
    return " و".join(items)


def history_line(
    outcome: str,
    when: datetime.datetime | None = None,
    edited: list[str] | tuple = (),
    *,
    created: bool = False,
) -> str:
    """The history's line for one save: what happened to the story, then what was edited.

    E.g. "نُشر، وعُدّل العنوان والفقرات", "جُدول لـ 4 ديسمبر 2026، 9:18 م", "أُنشئ".
    """
    said = {
        PUBLISHED: "نُشر",
        SCHEDULED: f"جُدول لـ {format_moment(when)}" if when else "جُدول",
        UNPUBLISHED: "أُعيد إلى المسودات",
        WITHDRAWN: "سُحب",
    }.get(outcome, "")
    if created:
        said = f"أُنشئ و{said}" if said else "أُنشئ"
    edits = f"عُدّل {and_list(list(edited))}" if edited and not created else ""
    if said and edits:
        return f"{said}، و{edits}"
    return said or edits or "حُفظ دون تعديل"


def message(outcome: str, article, *, drafted_for_review: bool = False) -> str:
    """The message an editor reads after the save: what happened, with the headline in « »."""
    headline = article.headline
    if outcome == PUBLISHED:
        return format_html(
            'نُشر الخبر «{}» وهو الآن على الموقع. <a href="{}" target="_blank" rel="noopener">'
            "اعرضه كما يراه القراء</a>",
            headline,
            article.get_absolute_url(),
        )
    if outcome == SCHEDULED:
        return format_html(
            "جُدول الخبر «{}» للنشر في {}", headline, format_moment(article.published_at)
        )
    if outcome == UNPUBLISHED:
        return format_html("أُعيد الخبر «{}» إلى المسودات ولم يعد على الموقع", headline)
    if outcome == WITHDRAWN:
        return format_html("سُحب الخبر «{}» ويرد رابطه الآن بالرمز 410", headline)
    if drafted_for_review:
        return format_html("حُفظ الخبر «{}» مسودةً. {}", headline, NEXT_STEP)
    return format_html("حُفظ الخبر «{}»", headline)


# What happens to a contributor's draft next: they cannot release it themselves.
NEXT_STEP = "يراجع محرر الخبر ثم ينشره أو يجدوله."
