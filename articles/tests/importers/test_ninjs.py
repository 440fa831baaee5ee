"""The ninjs parser, on items we wrote from the ninjs 1.4 and 2.0 schemas."""

import datetime
import json
from pathlib import Path

import pytest

from articles.importers import ninjs
from articles.importers.base import ParsedStory, StoryParseError

DATA = Path(__file__).resolve().parents[1] / "data" / "ninjs"
UTC_PLUS_1 = datetime.timezone(datetime.timedelta(hours=1))
UTC_PLUS_3 = datetime.timezone(datetime.timedelta(hours=3))
UTC_PLUS_4 = datetime.timezone(datetime.timedelta(hours=4))
SHARJAH_URI = "http://wire.example/ninjs/20241125-sharjah-calligraphy"


def parse_file(name):
    return list(ninjs.parse((DATA / name).read_bytes()))


def only(**fields):
    """Parse one ninjs object made of ``fields``."""
    (story,) = ninjs.parse(json.dumps({"uri": "urn:test:1", **fields}).encode())
    return story


def test_reads_ninjs_1_with_body_html_and_associations():
    assert parse_file("v1_sharjah_calligraphy.json") == [
        ParsedStory(
            headline="معرض للخط العربي في الشارقة يجمع أعمال خطاطين من عشرين بلداً",
            paragraphs=(
                "افتتح في الشارقة الاثنين معرض للخط العربي يضم أعمال خطاطين من عشرين بلداً.",
                "ويعرض المعرض لوحات بخط الثلث والديواني والكوفي.",
                "ويستمر المعرض حتى نهاية الشهر المقبل.",
            ),
            source="وام",
            byline="ريم المنصوري",
            published_at=datetime.datetime(2024, 11, 25, 8, 0, tzinfo=UTC_PLUS_4),
            dateline="الشارقة",
            caption="زوار يتأملون لوحة بخط الثلث في معرض الشارقة للخط العربي",
            guid=SHARJAH_URI,
            version=1,
        )
    ]


def test_reads_ninjs_2_with_headlines_and_bodies():
    assert parse_file("v2_rabat_tram.json") == [
        ParsedStory(
            headline="الرباط تفتتح خط ترام ثالثاً يربط الأحياء الجنوبية بوسط المدينة",
            paragraphs=(
                "افتتحت السلطات المحلية الأربعاء خطاً ثالثاً للترام.",
                "ويبلغ طول الخط الجديد اثني عشر كيلومتراً.",
            ),
            byline="هالة بنعلي",
            published_at=datetime.datetime(2024, 11, 27, 12, 0, tzinfo=UTC_PLUS_1),
            dateline="الرباط",
            caption="عربة ترام في محطة الانطلاق جنوب الرباط",
            guid="http://wire.example/ninjs/20241127-rabat-tram",
            version=2,
        )
    ]


def test_marks_a_canceled_item():
    assert parse_file("canceled.json") == [
        ParsedStory(
            headline="ملغى: معرض للخط العربي في الشارقة",
            source="وام",
            published_at=datetime.datetime(2024, 11, 25, 8, 0, tzinfo=UTC_PLUS_4),
            guid=SHARJAH_URI,
            version=2,
            is_canceled=True,
        )
    ]


def test_reads_an_embargo():
    assert parse_file("embargoed.json") == [
        ParsedStory(
            headline="متحف في الدوحة يعرض مخطوطات علمية نادرة للمرة الأولى",
            paragraphs=(
                "يعرض متحف في الدوحة اعتباراً من السبت مخطوطات علمية نادرة.",
                "وتعود أقدم المخطوطات إلى القرن العاشر الميلادي.",
            ),
            source="قنا",
            published_at=datetime.datetime(2024, 11, 29, 10, 0, tzinfo=UTC_PLUS_3),
            dateline="الدوحة",
            guid="http://wire.example/ninjs/20241129-doha-museum",
            version=1,
            embargoed_until=datetime.datetime(2024, 11, 30, 18, 0, tzinfo=UTC_PLUS_3),
        )
    ]


def test_yields_each_object_of_an_array():
    assert parse_file("array_two.json") == [
        ParsedStory(
            headline="صيادو مسقط يسجلون موسماً جيداً لسمك الكنعد",
            paragraphs=(
                "سجل صيادو مسقط موسماً جيداً لسمك الكنعد هذا العام.",
                "وعزا الصيادون ذلك إلى اعتدال حرارة المياه.",
            ),
            source="العمانية",
            published_at=datetime.datetime(2024, 11, 28, 7, 0, tzinfo=datetime.UTC),
            dateline="مسقط",
            guid="http://wire.example/ninjs/20241128-muscat-fish",
            version=1,
        ),
        ParsedStory(
            headline="الكويت تستعد لأول أمطار الموسم",
            paragraphs=("توقعت إدارة الأرصاد أمطاراً متفرقة مساء الخميس.",),
            source="كونا",
            published_at=datetime.datetime(2024, 11, 28, 8, 15, tzinfo=UTC_PLUS_3),
            guid="http://wire.example/ninjs/20241128-kuwait-rain",
            version=1,
        ),
    ]


def test_reports_the_line_and_column_of_invalid_json():
    with pytest.raises(StoryParseError) as error:
        parse_file("invalid.json")

    assert error.value.line == 4
    assert error.value.message == "ملف JSON غير سليم: فاصلة ناقصة (العمود 3)"


def test_rejects_a_file_that_is_not_utf8():
    data = '{\n"headline": "عنوان"}'.encode("cp1256")

    with pytest.raises(StoryParseError) as error:
        list(ninjs.parse(data))

    assert error.value.message == "الملف ليس بترميز UTF-8؛ احفظه بترميز UTF-8 ثم أعد رفعه"
    assert error.value.line == 2


def test_accepts_a_byte_order_mark():
    data = '\ufeff{"uri": "urn:test:1", "headline": "عنوان"}'.encode()

    assert [story.headline for story in ninjs.parse(data)] == ["عنوان"]


def test_rejects_json_that_is_neither_object_nor_array():
    with pytest.raises(StoryParseError) as error:
        list(ninjs.parse(b'"headline"'))

    assert error.value.message == "ملف ninjs يجب أن يحوي كائن JSON واحداً أو مصفوفة كائنات"


def test_rejects_an_empty_array():
    with pytest.raises(StoryParseError) as error:
        list(ninjs.parse(b"[]"))

    assert error.value.message == "ملف ninjs هذا مصفوفة فارغة لا تحوي أي خبر"


def test_rejects_an_object_without_headline_or_body():
    with pytest.raises(StoryParseError) as error:
        only()

    assert error.value.message == (
        "الخبر urn:test:1: الخبر بلا عنوان وبلا نص (لا headline/headlines ولا body)"
    )


def test_yields_errors_in_place_of_bad_objects_in_an_array():
    data = json.dumps([{"uri": "urn:test:1", "headline": "عنوان"}, {"uri": "urn:test:2"}, 7])

    good, empty, number = ninjs.parse(data.encode())

    assert good.headline == "عنوان"
    assert empty.message.startswith("الخبر urn:test:2: ")
    assert number.message == "العنصر رقم 3 في المصفوفة ليس كائن ninjs"


def test_splits_body_text_on_single_newlines():
    story = only(headline="عنوان", body_text="الفقرة الأولى.\nالفقرة الثانية.\n\n\nالثالثة.")

    assert story.paragraphs == ("الفقرة الأولى.", "الفقرة الثانية.", "الثالثة.")


def test_reads_lines_of_body_html_that_has_no_paragraphs():
    story = only(headline="عنوان", body_html="السطر الأول<br>السطر &amp; الثاني")

    assert story.paragraphs == ("السطر الأول", "السطر & الثاني")


def test_reads_a_plain_text_body_of_ninjs_2():
    story = only(headlines=[{"value": "عنوان"}], bodies=[{"value": "فقرة أولى.\nفقرة ثانية."}])

    assert story.paragraphs == ("فقرة أولى.", "فقرة ثانية.")


def test_prefers_the_copyright_holder_over_the_byline_for_the_source():
    story = only(headline="عنوان", copyrightholder="أ ف ب-الامة برس", by="سلمى الخطيب")

    assert (story.source, story.publisher) == ("أ ف ب", "الامة برس")


def test_does_not_take_a_subject_place_for_the_dateline():
    story = only(headline="عنوان", places=[{"name": "المغرب"}])

    assert story.dateline == ""


def test_takes_a_place_marked_as_located_for_the_dateline():
    story = only(headline="عنوان", places=[{"name": "المغرب"}, {"name": "فاس", "rel": "located"}])

    assert story.dateline == "فاس"


def test_notes_a_withheld_item_in_its_warnings():
    story = only(headline="عنوان", pubstatus="withheld")

    assert story.is_canceled is False
    assert story.warnings == (ninjs.WITHHELD_WARNING,)


def test_rejects_an_embargo_it_cannot_read():
    with pytest.raises(StoryParseError) as error:
        only(headline="عنوان", embargoed="غداً")

    assert error.value.message == (
        "الخبر urn:test:1: موعد رفع الحظر «غداً» غير مفهوم؛ صحّحه ثم أعد الاستيراد"
    )


@pytest.mark.parametrize("version", ["3", 3, 3.0])
def test_reads_a_version_given_as_string_or_number(version):
    assert only(headline="عنوان", version=version).version == 3


def test_reads_every_block_of_an_html5_body_as_a_paragraph():
    (story,) = parse_file("tozeur_dates_blocks.json")

    assert story.paragraphs == (
        "صدّرت توزر أولى شحنات دقلة النور لهذا الموسم.",
        "أسواق جديدة",
        "وتتجه الشحنات إلى أوروبا وآسيا.",
        "ألمانيا",
        "ماليزيا",
        "المحصول ممتاز، قال مصدّر.",
        "السوق | الكمية",
        "ألمانيا | ٢٠٠ طن",
        "الشحنة الأولى",
    )
    assert story.warnings == ()


def test_reads_an_entity_escaped_html_body_as_html():
    story = only(headline="خبر", body_html="&lt;p&gt;أولى&lt;/p&gt;&lt;p&gt;ثانية&lt;/p&gt;")

    assert story.paragraphs == ("أولى", "ثانية")


def test_warns_about_an_element_it_does_not_know():
    story = only(headline="خبر", body_html="<p>نص <blink>وامض</blink></p>")

    assert story.paragraphs == ("نص وامض",)
    assert story.warnings == ("عنصر غير معروف <blink> في نص الخبر: قُرئ نصه كما هو؛ راجع الفقرات",)


@pytest.mark.parametrize("key", ["body_html5", "body_xhtml"])
def test_reads_an_html5_or_xhtml_body(key):
    story = only(headline="خبر", **{key: "<div><h2>فرعي</h2><p>فقرة</p></div>"})

    assert story.paragraphs == ("فرعي", "فقرة")


def test_takes_the_guid_for_the_id_and_the_html_body_over_a_first_plain_one():
    (story,) = parse_file("v2_guid_sousse_bodies.json")

    assert story.guid == "urn:newsroom.example:20241204:sousse-port"
    assert story.paragraphs == (
        "استقبل ميناء سوسة أول رحلة بحرية سياحية هذا الموسم.",
        "وعلى متنها ألف سائح.",
    )
    assert (story.source, story.byline) == ("STT", "سامية الجلاصي")


def test_prefers_uri_over_guid_for_the_id():
    story = only(headline="عنوان", guid="urn:other:9")

    assert story.guid == "urn:test:1"


def test_takes_a_by_naming_an_agency_for_the_source():
    story = only(headline="عنوان", by="وات")

    assert (story.source, story.byline) == ("وات", "")


def test_takes_a_dated_arabic_lead_off_and_gives_its_place_as_the_dateline():
    (story,) = parse_file("v2_fujairah_dated_lead.json")

    assert story.dateline == "الفجيرة"
    assert story.paragraphs == (
        "استقبل ميناء الفجيرة أكبر ناقلة نفط ترسو على أرصفته منذ افتتاحه.",
        "وقال مدير الميناء إن الأرصفة عُمّقت العام الماضي لاستقبال السفن الكبيرة.",
    )


def test_takes_a_latin_lead_off_and_keeps_the_located_place():
    (story,) = parse_file("v1_new_york_ap_lead.json")

    assert story.dateline == "New York"
    assert story.paragraphs[0] == (
        "The city's main library will stay open until midnight on weekdays, officials said."
    )


@pytest.mark.parametrize("kind", ["picture", "graphic", "video"])
def test_a_ninjs_item_that_is_no_text_is_no_story(kind):
    data = json.dumps(
        {"uri": "urn:test:photo", "type": kind, "headline": "صورة من الافتتاح"}, ensure_ascii=False
    ).encode()
    with pytest.raises(StoryParseError) as refusal:
        list(ninjs.parse(data))
    assert "urn:test:photo" in refusal.value.message
    assert "ليس خبراً نصياً" in refusal.value.message


def test_a_text_item_is_read_as_before():
    story = only(type="text", headline="خبر نصي", body_text="نص الخبر.")
    assert story.paragraphs == ("نص الخبر.",)
