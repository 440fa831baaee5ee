"""The plain-text parser on the layout of real copy: chrome after the story, captions, lines.

One test per shape the issue lists (issue 12), and one per hard negative:
copy that looks like chrome, a caption or a desk label and is not.
"""

import pytest

from articles.importers.base import StoryParseError
from articles.importers.text import parse_text

HEADLINE = "افتتاح مستشفى جديد في جدة بطاقة 500 سرير"
CREDIT = "جدة - واس"
FIRST = "افتتح وزير الصحة اليوم مستشفى جديداً في جدة بطاقة استيعابية تبلغ 500 سرير."
LAST = "وقال الوزير إن المستشفى سيخدم آلاف المرضى من المنطقة الغربية كل عام."
BODY = [FIRST, LAST]


def story(*lines, headline=HEADLINE, credit=CREDIT):
    """A story as a site prints it: headline, credit line, then ``lines``, blank lines between."""
    return "\n\n".join([headline, *([credit] if credit else []), *lines])


# Trailing chrome


@pytest.mark.parametrize(
    "chrome",
    [
        [f"رابط الخبر بصحيفة الوئام: {HEADLINE}"],
        ["رابط مختصر", "https://example.com/s/a1b2"],
        ["يمكنكم استلام إشعارات بآخر الأخبار عبر تطبيق الصحيفة."],
        ["حمّل تطبيق الصحيفة الآن"],
        ["شارك الخبر", "فيسبوك", "واتساب"],
        ["اقرأ أيضا:", "وزير الصحة يتفقد مستشفيات المنطقة الشرقية", "افتتاح مركز للقلب في الرياض"],
        ["اقرأ أيضاً: وزير الصحة يتفقد مستشفيات المنطقة الشرقية."],
        ["تابعونا على تويتر وفيسبوك ويوتيوب"],
        ["// انتهى //", "15:48 ت م", "0042"],
        ["انتهى"],
        ["جميع الحقوق محفوظة © 2025 صحيفة الوئام"],
        ["-----", "أخبار ذات صلة في قسم الصحة من الموقع.", "مقال رأي عن المستشفيات"],
        ["كاريكاتير", "إستطلاعات الرأي"],
    ],
)
def test_trailing_chrome_on_lines_of_its_own_is_dropped(chrome):
    assert parse_text(story(*BODY, *chrome)).paragraphs == tuple(BODY)


@pytest.mark.parametrize(
    "glued",
    [f"رابط الخبر بصحيفة الوئام: {HEADLINE}", "رابط مختصر https://example.com/s/a1b2"],
)
def test_a_link_back_glued_to_the_last_paragraph_is_cut_off(glued):
    assert parse_text(story(FIRST, f"{LAST} {glued}")).paragraphs == tuple(BODY)


def test_an_end_credit_is_dropped_and_still_credits_its_agency():
    parsed = parse_text(story(*BODY, "فرانس24/ أ ف ب", credit=None))

    assert parsed.paragraphs == tuple(BODY)
    assert parsed.source == "أ ف ب"


def test_the_standfirst_repeated_as_the_last_line_is_dropped():
    standfirst = "المستشفى الجديد يخدم المنطقة الغربية كلها."
    text = "\n\n".join([HEADLINE, standfirst, CREDIT, *BODY, standfirst])

    assert parse_text(text).paragraphs == (standfirst, *BODY)


def test_a_last_paragraph_quoting_an_agency_is_kept():
    last = "وقالت رويترز إن كلفة المستشفى بلغت مليار ريال"

    assert parse_text(story(FIRST, last)).paragraphs == (FIRST, last)


def test_a_last_paragraph_ending_with_a_date_is_kept():
    last = "ومن المقرر أن يستقبل المستشفى أول مرضاه في 12 يناير 2025"

    assert parse_text(story(*BODY, last)).paragraphs == (*BODY, last)


def test_a_short_last_paragraph_is_kept():
    assert parse_text(story(*BODY, "ولم يعلق الوزير.")).paragraphs == (*BODY, "ولم يعلق الوزير.")


# Captions and photo items


def test_a_caption_with_its_credit_on_the_next_line_is_one_caption():
    parsed = parse_text(story("وزير الصحة خلال افتتاح المستشفى في جدة", "(رويترز)", *BODY))

    assert parsed.caption == "وزير الصحة خلال افتتاح المستشفى في جدة (رويترز)"
    assert parsed.paragraphs == tuple(BODY)


@pytest.mark.parametrize("credit", ["(الصورة: رويترز)", "(تصوير: أحمد سالم)", "(أرشيفية)"])
def test_a_caption_takes_any_photo_credit_on_the_next_line(credit):
    parsed = parse_text(story("وزير الصحة خلال افتتاح المستشفى في جدة.", credit, *BODY))

    assert parsed.caption == f"وزير الصحة خلال افتتاح المستشفى في جدة. {credit}"
    assert parsed.paragraphs == tuple(BODY)


def test_a_caption_fused_to_the_first_paragraph_is_split_from_it():
    caption = "وزير الصحة خلال افتتاح المستشفى في جدة (واس)"
    parsed = parse_text(story(f"{caption} جدة - {FIRST}", LAST, credit="واس"))

    assert parsed.caption == caption
    assert parsed.dateline == "جدة"
    assert parsed.paragraphs == tuple(BODY)


def test_a_photo_item_is_its_caption_alone_credited_to_the_caption_agency():
    text = f"{HEADLINE}\n\nوزير الصحة خلال افتتاح المستشفى في جدة\n(رويترز)\n"
    parsed = parse_text(text)

    assert parsed.caption == "وزير الصحة خلال افتتاح المستشفى في جدة (رويترز)"
    assert parsed.paragraphs == ()
    assert parsed.source == "رويترز"


def test_a_first_paragraph_followed_by_a_parenthesis_line_is_not_a_caption_when_long():
    long_first = " ".join([FIRST] * 6)
    parsed = parse_text(story(long_first, "(رويترز)", LAST))

    assert parsed.caption == ""
    assert parsed.paragraphs[0] == long_first


# Layout


def test_a_body_on_one_long_line_stays_one_paragraph():
    assert parse_text(story(f"{FIRST} {LAST}")).paragraphs == (f"{FIRST} {LAST}",)


def test_runs_of_no_break_spaces_between_sentences_are_spaces():
    parsed = parse_text(story(f"{FIRST}\u00a0\u00a0\u00a0{LAST}"))

    assert parsed.paragraphs == (f"{FIRST} {LAST}",)


def test_windows_line_endings_and_leading_spaces_and_no_break_spaces_on_every_line():
    text = "\r\n".join(
        [HEADLINE, "", f"  {CREDIT}", "", f"\u00a0 {FIRST}", "", f"\u00a0\u00a0{LAST}  "]
    )
    parsed = parse_text(text)

    assert parsed.headline == HEADLINE
    assert parsed.paragraphs == tuple(BODY)


def test_html_entities_are_decoded():
    parsed = parse_text(story("قال الوزير: &quot;نحن فخورون&quot;&nbsp;و&#39;سعداء&#39;."))

    assert parsed.paragraphs == ("قال الوزير: \"نحن فخورون\" و'سعداء'.",)


def test_tashkeel_is_kept_and_zero_width_characters_dropped():
    parsed = parse_text(story("افتُتِح\u200f المستشفى\u200e\ufeff الجديدُ اليوم."))

    assert parsed.paragraphs == ("افتُتِح المستشفى الجديدُ اليوم.",)


def test_an_invisible_character_between_cr_and_lf_leaves_one_line_break():
    with pytest.raises(StoryParseError) as error:
        parse_text("\n\r\u200f\n" + "عنوان طويل " * 100)

    assert error.value.line == 3


def test_a_joiner_after_a_letter_that_never_joins_is_dropped():
    parsed = parse_text(story("شارك مُنشد\u200cون في إحياء التراث اللا\u200cمادي."))

    assert parsed.paragraphs == ("شارك مُنشدون في إحياء التراث اللامادي.",)


# Headlines


@pytest.mark.parametrize(
    ("line", "section"),
    [
        (f"اقتصادي / {HEADLINE}", "اقتصادي"),
        (f"رياضة / {HEADLINE}", "رياضة"),
        (f"برلماني / {HEADLINE}", "برلماني"),
        (f"عام / {HEADLINE}", ""),
        (f"عام / اقتصادي / {HEADLINE}", "اقتصادي"),
    ],
)
def test_a_desk_label_leaves_the_headline_and_names_its_section(line, section):
    parsed = parse_text(story(*BODY, headline=line))

    assert (parsed.headline, parsed.section) == (HEADLINE, section)


@pytest.mark.parametrize(
    "headline",
    ["ترامب/بايدن: مناظرة ثانية في أكتوبر", "السعودي / الإماراتي: شراكة جديدة", "فتح 24/7"],
)
def test_a_slash_inside_a_headline_is_not_a_desk_label(headline):
    parsed = parse_text(story(*BODY, headline=headline))

    assert (parsed.headline, parsed.section) == (headline, "")
