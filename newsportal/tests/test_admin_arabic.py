"""The admin in Arabic that reads right: dates in Arabic order, counts that agree, fixed strings.

Django's Arabic catalogue and its ``ar`` formats are corrected by the project's
locale/ar (LOCALE_PATHS) and newsportal/formats/ar (FORMAT_MODULE_PATH).
"""

import ast
import datetime
import gettext
import json
import re
import zoneinfo
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation
from django.utils.dateformat import format as date_format
from django.utils.html import strip_tags
from reversion.models import Revision, Version

from articles import dates
from articles.models import Article, Paragraph, Source
from articles.revisions import ensure_first_revision
from articles.tests.admin_support import EDITORS, PASSWORD, newsroom_user

LOCALE_ROOT = Path(settings.BASE_DIR) / "locale"
LOCALE = LOCALE_ROOT / "ar" / "LC_MESSAGES"
# 21:18 on 4 December 2026 in the site's zone: the example.
EVENING = datetime.datetime(2026, 12, 4, 21, 18, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
EVENING_TEXT = "4 ديسمبر 2026، 9:18 م"


@pytest.fixture(autouse=True)
def gregorian_months(settings):
    """The issue's example names months as Egypt and the Gulf do (ARABIC_MONTH_STYLE)."""
    settings.ARABIC_MONTH_STYLE = "gregorian"
    settings.LOCALE_PATHS = [LOCALE_ROOT]


@pytest.fixture
def editor_client(db):
    client = Client()
    client.force_login(newsroom_user("muharrir", EDITORS))
    return client


def make_story(number, *, published_at=EVENING, headline=None):
    source, _ = Source.objects.get_or_create(name="بترا")
    article = Article.objects.create(
        guid=f"arabic-admin:{number}",
        headline=headline or f"خبر الاختبار رقم {number}",
        slug=f"خبر-{number}",
        source=source,
        status=Article.Status.PUBLISHED,
        published_at=published_at,
    )
    Paragraph.objects.create(article=article, position=1, text="فقرة الخبر الأولى.")
    return article


def page_text(response) -> str:
    """What a reader of the page sees: tags gone, entities decoded, spaces collapsed."""
    return " ".join(unescape(strip_tags(response.content.decode())).split())


# --- dates and times -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("DATETIME_FORMAT", EVENING_TEXT),
        ("DATE_FORMAT", "4 ديسمبر 2026"),
        ("TIME_FORMAT", "9:18 م"),
        ("SHORT_DATETIME_FORMAT", "4/12/2026، 9:18 م"),
        ("YEAR_MONTH_FORMAT", "ديسمبر 2026"),
        ("MONTH_DAY_FORMAT", "4 ديسمبر"),
    ],
)
def test_the_admin_formats_write_day_month_year_then_a_twelve_hour_time(name, expected):
    with translation.override("ar"):
        assert date_format(EVENING, formats.get_format(name)) == expected


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("levantine", "4 كانون الأول 2026، 9:18 م"),
        ("both", "4 كانون الأول/ديسمبر 2026، 9:18 م"),
    ],
)
def test_the_admin_names_months_in_the_sites_month_style(settings, style, expected):
    settings.ARABIC_MONTH_STYLE = style
    settings.LOCALE_PATHS = [LOCALE_ROOT, LOCALE_ROOT / "months" / style]
    with translation.override("ar"):
        assert formats.date_format(EVENING, "DATETIME_FORMAT") == expected


# The msgids of Django's month names.
ENGLISH_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@pytest.mark.parametrize("style", ["levantine", "both"])
@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_each_month_styles_catalogue_names_months_as_reader_pages_do(style, domain):
    path = LOCALE_ROOT / "months" / style / "ar" / "LC_MESSAGES" / f"{domain}.mo"
    with path.open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    for number in range(1, 13):
        english = ENGLISH_MONTHS[number - 1]
        assert catalogue.gettext(english) == dates.month_name(number, style)


def test_a_morning_time_is_marked_as_before_noon():
    with translation.override("ar"):
        assert formats.date_format(EVENING.replace(hour=9), "TIME_FORMAT") == "9:18 ص"


def test_midnight_is_a_time_and_not_a_word():
    with translation.override("ar"):
        assert formats.date_format(EVENING.replace(hour=0, minute=0), "TIME_FORMAT") == "12:00 ص"


def test_the_date_widgets_iso_dates_and_times_still_parse():
    with translation.override("ar"):
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%Y-%m-%d"
        assert formats.get_format("TIME_INPUT_FORMATS")[0] == "%H:%M:%S"
        assert "%Y-%m-%d %H:%M:%S" in formats.get_format("DATETIME_INPUT_FORMATS")


def test_a_file_size_uses_the_arabic_decimal_separator():
    from django.template.defaultfilters import filesizeformat

    with translation.override("ar"):
        assert filesizeformat(10 * 1024 * 1024) == "10٫0\N{NO-BREAK SPACE}م.ب"


def test_the_import_page_states_its_limits_in_arabic_numbers_and_agreement(editor_client, settings):
    settings.IMPORT_MAX_FILE_BYTES = 10 * 1024 * 1024
    settings.IMPORT_UPLOAD_MAX_FILES = 12
    settings.IMPORT_UPLOAD_MAX_STORIES = 3
    text = page_text(editor_client.get(reverse("admin:articles_article_import")))
    assert "الحد الأقصى للملف الواحد 10٫0 م.ب." in text
    assert "لـ12 ملفًا على الأكثر" in text
    assert "و3 أخبار" in text


def test_the_change_list_shows_the_publication_time_in_arabic_order(editor_client):
    make_story(1)
    text = page_text(editor_client.get(reverse("admin:articles_article_changelist")))
    assert EVENING_TEXT in text
    assert "ديسمبر 4," not in text


def test_the_date_hierarchy_names_months_and_days_in_arabic_order(editor_client):
    make_story(1)
    url = reverse("admin:articles_article_changelist")
    by_year = page_text(editor_client.get(url, {"published_at__year": 2026}))
    assert "ديسمبر 2026" in by_year
    by_month = page_text(
        editor_client.get(url, {"published_at__year": 2026, "published_at__month": 12})
    )
    assert "4 ديسمبر" in by_month


def test_the_history_page_dates_each_revision_in_arabic_order(editor_client):
    story = make_story(1)
    ensure_first_revision(story)
    Revision.objects.filter(pk__in=Version.objects.get_for_object(story).values("revision")).update(
        date_created=EVENING
    )
    response = editor_client.get(reverse("admin:articles_article_history", args=[story.pk]))
    assert EVENING_TEXT in page_text(response)


def test_the_last_change_field_reads_in_arabic_order(editor_client):
    story = make_story(1)
    Article.objects.filter(pk=story.pk).update(updated_at=EVENING)
    text = page_text(editor_client.get(reverse("admin:articles_article_change", args=[story.pk])))
    assert EVENING_TEXT in text


# --- counts -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("stories", "count"),
    [
        (1, "خبر واحد"),
        (2, "خبران"),
        (3, "3 أخبار"),
        (11, "11 خبرًا"),
        (12, "12 خبرًا"),
        (100, "100 خبر"),
    ],
)
def test_the_change_list_count_agrees_with_its_number(editor_client, stories, count):
    for number in range(stories):
        make_story(number)
    response = editor_client.get(reverse("admin:articles_article_changelist"))
    found = re.search(r'<span class="result-count">([^<]*)</span>', response.content.decode())
    assert found and found.group(1) == count


def superuser_client():
    client = Client()
    client.force_login(User.objects.create_superuser("raees", password=PASSWORD))
    return client


def test_a_search_counts_its_results_in_agreement(db):
    client = superuser_client()
    for number in range(12):
        User.objects.create_user(f"kateb{number}")
    response = client.get(reverse("admin:auth_user_changelist"), {"q": "kateb"})
    # 12 of the 13 users (the superuser too) match.
    assert "12 نتيجةً (من 13)" in page_text(response)


def test_the_change_list_asks_for_a_story_in_the_accusative(editor_client):
    text = page_text(editor_client.get(reverse("admin:articles_article_changelist")))
    assert "اختر خبرًا لتغييره" in text
    assert "اختر خبر لتغييره" not in text


def test_a_feminine_model_is_referred_to_as_feminine(db):
    text = page_text(superuser_client().get(reverse("admin:auth_group_changelist")))
    assert "اختر مجموعةً لتغييرها" in text


def test_every_inline_has_a_feminine_name_as_the_add_link_assumes():
    # "أضِف %(verbose_name)s أخرى": right for فقرة; a masculine inline would read wrong.
    for model_admin in admin.site._registry.values():
        for inline in model_admin.inlines:
            assert str(inline.model._meta.verbose_name).endswith("ة"), inline


# --- Django's strings, corrected -------------------------------------------


def test_the_story_form_offers_another_paragraph_in_the_feminine(editor_client):
    story = make_story(1)
    html = editor_client.get(
        reverse("admin:articles_article_change", args=[story.pk])
    ).content.decode()
    # The inline's script reads its add link from this attribute.
    data = re.search(r'data-inline-formset="([^"]*)"', html)
    assert data and json.loads(unescape(data.group(1)))["options"]["addText"] == "أضِف فقرة أخرى"


def test_the_delete_confirmation_says_no_take_me_back(db):
    story = make_story(1)
    url = reverse("admin:articles_article_delete", args=[story.pk])
    text = page_text(superuser_client().get(url))
    assert "لا، تراجع" in text
    assert f"«{story.headline}»" in text


def test_the_bulk_delete_confirmation_reads_for_one_or_many(db):
    stories = [make_story(number) for number in range(2)]
    response = superuser_client().post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [story.pk for story in stories]},
    )
    assert "أتريد حقًّا حذف ما اخترته (الأخبار)؟" in page_text(response)


def test_the_add_button_names_a_story_without_a_missing_case_ending(editor_client):
    html = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    add_url = reverse("admin:articles_article_add")
    links = re.findall(rf'href="{add_url}"[^>]*>\s*([^<]*?)\s*<', html)
    assert "إضافة خبر" in links
    assert "أضف خبر" not in page_text(editor_client.get(add_url))


def test_a_failed_sign_in_says_both_fields_are_case_sensitive(db):
    newsroom_user("muharrir", EDITORS)
    response = Client().post(
        reverse("admin:login"), {"username": "muharrir", "password": "not-the-password"}
    )
    text = page_text(response)
    assert "الحقلان حسّاسان لحالة الأحرف" in text
    assert "الحقلين حسّاسين" not in text


def test_signing_out_says_so_plainly(editor_client):
    text = page_text(editor_client.post(reverse("admin:logout")))
    assert "سُجّل خروجك من غرفة الأخبار." in text
    assert "الدخول من جديد" in text


def test_the_password_change_page_asks_in_plain_arabic(editor_client):
    text = page_text(editor_client.get(reverse("admin:password_change")))
    assert "أدخل كلمة المرور الحالية للتحقق من أنك صاحب الحساب" in text


def test_a_saved_story_is_named_in_arabic_quotation_marks(editor_client):
    story = make_story(1)
    with translation.override("ar"):
        message = translation.gettext("The {name} “{obj}” was added successfully.")
    assert message.format(name="الخبر", obj=story.headline) == f"أُضيف الخبر «{story.headline}»."


def test_history_is_called_one_word_everywhere(editor_client):
    story = make_story(1)
    ensure_first_revision(story)
    form = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    history = page_text(
        editor_client.get(reverse("admin:articles_article_history", args=[story.pk]))
    )
    link = re.search(r'class="historylink"[^>]*>([^<]*)<', form.content.decode())
    assert link and link.group(1).strip() == "السجل"
    assert f"سجل «{story.headline}»" in history
    assert "تاريخ التغيير" not in history


BEHIND = "Note: You are %s hour behind server time."
AHEAD = "Note: You are %s hour ahead of server time."


@pytest.mark.parametrize(
    ("message", "count", "expected"),
    [
        (BEHIND, 3, "ملاحظة: أنت متأخر بـ %s ساعات عن وقت الخادم."),
        (AHEAD, 2, "ملاحظة: أنت متقدم بساعتين عن وقت الخادم."),
        ("%(sel)s of %(cnt)s selected", 0, "لا شيء محدد من %(cnt)s"),
        ("%(sel)s of %(cnt)s selected", 3, "حُدِّد %(sel)s من %(cnt)s"),
    ],
)
def test_the_admin_scripts_catalogue_agrees_with_numbers(editor_client, message, count, expected):
    response = editor_client.get(reverse("admin:jsi18n"))
    catalogue = response.context["catalog"] if response.context else None
    plural_forms = catalogue[message] if catalogue else None
    assert plural_forms is not None
    # The plural form Arabic's rule picks for ``count`` (0, 1, 2, 3-10, 11-99, 100+).
    index = 0 if count == 0 else 1 if count == 1 else 2 if count == 2 else 3 if count <= 10 else 4
    assert plural_forms[index] == expected


def test_the_admin_clock_writes_times_as_the_admin_does(editor_client):
    catalogue = editor_client.get(reverse("admin:jsi18n")).context["catalog"]
    assert (catalogue["6 a.m."], catalogue["6 p.m."]) == ("6 ص", "6 م")


# --- the compiled catalogues ----------------------------------------------


def _po_entries(path: Path) -> dict[str, str | tuple[str, ...]]:
    """msgid (with its plural, as gettext keys them) -> msgstr, read from a .po file."""
    entries, current, field = {}, {}, None

    def flush():
        if current.get("msgid"):
            # gettext keys an entry with a context as "context\x04msgid".
            key = current["msgid"]
            if "msgctxt" in current:
                key = f"{current['msgctxt']}\x04{key}"
            if "msgid_plural" in current:
                forms = sorted(k for k in current if k.startswith("msgstr["))
                entries[key] = tuple(current[k] for k in forms)
            else:
                entries[key] = current.get("msgstr", "")

    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            if line.strip() == "" and current:
                flush()
                current = {}
            continue
        if line.startswith('"'):
            current[field] += ast.literal_eval(line)  # a C string literal reads as Python's
            continue
        field, _, value = line.partition(" ")
        current[field] = ast.literal_eval(value)
    flush()
    return entries


@pytest.mark.parametrize(
    "source",
    sorted(LOCALE_ROOT.rglob("*.po")),
    ids=lambda path: str(path.relative_to(LOCALE_ROOT)),
)
def test_the_committed_catalogue_is_compiled_from_its_source(source):
    with source.with_suffix(".mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    for msgid, msgstr in _po_entries(source).items():
        if isinstance(msgstr, tuple):
            assert tuple(catalogue[(msgid, n)] for n in range(len(msgstr))) == msgstr, msgid
        else:
            assert catalogue[msgid] == msgstr, f"{msgid!r}: run `make messages`"
