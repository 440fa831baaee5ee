"""The admin's counts and list titles in Arabic, with the noun in the form its number asks for.

Django prints "12 الأخبار" (a number before a definite plural) and "اختر خبر
لتغييره" (an object without its accusative ending): its templates only know a
model's verbose_name and verbose_name_plural. Here each model the newsroom
lists has the forms Arabic needs, and ``articles.arabic.count_phrase`` (the
reader's counts too) picks one:

    {{ cl|admin_count }}          "خبر واحد", "خبران", "3 أخبار", "12 خبرًا", "100 خبر"
    {% changelist_title cl %}     "اختر خبرًا لتغييره"
    {{ limit|arabic_count:"files" }}   "3 ملفات" ("stories": "3 أخبار")

A model not in NOUNS keeps a wording that needs no agreement: "الأخبار: 12".
"""

from typing import NamedTuple

from django import template

from articles.arabic import FILE_FORMS, STORY_FORMS, count_phrase

register = template.Library()


class Noun(NamedTuple):
    # After 0, 1, 2, 3-10, 11-99 and 100: the arguments of count_phrase.
    counts: tuple[str, str, str, str, str, str]
    # The noun as an indefinite object ("اختر خبرًا"), and the pronoun that
    # refers back to it ("لتغييره", "لتغييرها").
    accusative: str
    pronoun: str


NOUNS = {
    "articles.article": Noun(STORY_FORMS, "خبرًا", "ه"),
    "articles.source": Noun(
        ("لا مصادر", "مصدر واحد", "مصدران", "مصادر", "مصدرًا", "مصدر"), "مصدرًا", "ه"
    ),
    "articles.importrecord": Noun(
        (
            "لا سجلات استيراد",
            "سجل استيراد واحد",
            "سجلا استيراد",
            "سجلات استيراد",
            "سجل استيراد",
            "سجل استيراد",
        ),
        "سجل استيراد",
        "ه",
    ),
    "auth.user": Noun(
        ("لا مستخدمين", "مستخدم واحد", "مستخدمان", "مستخدمين", "مستخدمًا", "مستخدم"),
        "مستخدمًا",
        "ه",
    ),
    "auth.group": Noun(
        ("لا مجموعات", "مجموعة واحدة", "مجموعتان", "مجموعات", "مجموعةً", "مجموعة"),
        "مجموعةً",
        "ها",
    ),
}


def count_of(opts, count: int) -> str:
    """``count`` things of the model ``opts`` describes, in Arabic."""
    noun = NOUNS.get(opts.label_lower)
    if noun is None:
        return f"{opts.verbose_name_plural}: {count}"
    return count_phrase(count, *noun.counts)


# The nouns arabic_count may be asked for.
COUNTED = {"files": FILE_FORMS, "stories": STORY_FORMS}


@register.filter
def arabic_count(value, noun):
    """``value`` ``noun`` (a key of COUNTED), the noun agreeing with the number."""
    return count_phrase(int(value), *COUNTED[noun])


@register.filter
def admin_count(cl):
    """How many rows the change list ``cl`` found, the noun agreeing with the number."""
    return count_of(cl.opts, cl.result_count)


@register.simple_tag(takes_context=True)
def changelist_title(context, cl):
    """The change list's heading, "اختر خبرًا لتغييره"; Django's own for a popup or another model."""
    noun = NOUNS.get(cl.opts.label_lower)
    if noun is None or cl.is_popup:
        return cl.title
    # The same question Django's ChangeList asks to choose its title.
    can_change = cl.model_admin.has_change_permission(context["request"])
    verb = "لتغيير" if can_change else "لعرض"
    return f"اختر {noun.accusative} {verb}{noun.pronoun}"
