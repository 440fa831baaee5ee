"""The NewsML-G2 parser, on news items we wrote from the IPTC specification."""

import datetime
from pathlib import Path

import pytest

from articles.importers import newsml
from articles.importers.base import DTD_MESSAGE, ParsedStory, StoryParseError

DATA = Path(__file__).resolve().parents[1] / "data" / "newsml"
AMMAN_GUID = "urn:newsml:wire.example:20241126:amman-water"
UTC_PLUS_2 = datetime.timezone(datetime.timedelta(hours=2))
UTC_PLUS_3 = datetime.timezone(datetime.timedelta(hours=3))


def parse_file(name):
    return list(newsml.parse((DATA / name).read_bytes()))


def item(content="", meta="", body="", guid="urn:test:1"):
    """Return a minimal newsItem with the given pieces, as bytes."""
    return f"""<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="{guid}" version="1">
      <itemMeta><itemClass qcode="ninat:text"/>{meta}</itemMeta>
      <contentMeta>{content}</contentMeta>
      <contentSet>{body}</contentSet>
    </newsItem>""".encode()


def only(data):
    (story,) = newsml.parse(data)
    return story


HEADLINE = "<headline>خبر تجريبي</headline>"


def test_reads_item_with_xhtml_body():
    assert parse_file("amman_water_xhtml.xml") == [
        ParsedStory(
            headline="عمّان تبدأ تشغيل خط جديد لنقل المياه إلى أحيائها الشرقية",
            paragraphs=(
                "بدأت سلطة المياه الأردنية الثلاثاء تشغيل خط جديد ينقل المياه إلى الأحياء"
                " الشرقية من العاصمة، بعد أشهر من أعمال الحفر والتمديد.",
                "وقال مسؤول في السلطة إن الخط يرفع حصة الأسر من المياه خلال أشهر الصيف،"
                " ويخفف الاعتماد على الصهاريج & الآبار الخاصة.",
                "ومن المتوقع أن يستفيد من المشروع نحو أربعين ألف أسرة في مرحلته الأولى.",
            ),
            source="أ ف ب",
            credits=("أ ف ب", "الامة برس"),
            byline="سلمى الخطيب",
            publisher="الامة برس",
            published_at=datetime.datetime(2024, 11, 26, 10, 15, tzinfo=UTC_PLUS_3),
            dateline="عمّان",
            caption="عمال يفحصون أنابيب خط المياه الجديد في شرق عمّان في 26 تشرين الثاني/نوفمبر"
            " 2024 (أ ف ب)",
            guid=AMMAN_GUID,
            version=1,
        )
    ]


def test_reads_item_with_nitf_inline_body():
    assert parse_file("cairo_book_fair_nitf.xml") == [
        ParsedStory(
            headline="معرض القاهرة للكتاب يخصص جناحاً لكتب الأطفال المصورة",
            paragraphs=(
                "أعلنت إدارة معرض القاهرة الدولي للكتاب تخصيص جناح كامل لكتب الأطفال المصورة"
                " في دورته المقبلة.",
                "وقالت الإدارة إن الجناح سيضم ورشاً للرسم والقراءة الجماعية.",
            ),
            source="أ ش أ",
            published_at=datetime.datetime(2024, 11, 27, 9, 0, tzinfo=datetime.UTC),
            dateline="القاهرة",
            guid="urn:newsml:wire.example:20241127:cairo-book-fair",
            version=1,
        )
    ]


def test_yields_each_item_of_a_news_message():
    assert parse_file("message_two_items.xml") == [
        ParsedStory(
            headline="أمطار غزيرة متوقعة على الساحل اللبناني نهاية الأسبوع",
            paragraphs=(
                "توقعت مصلحة الأرصاد الجوية هطول أمطار غزيرة على الساحل اللبناني.",
                "ودعت المصلحة السائقين إلى الحذر على الطرق الجبلية.",
            ),
            source="الوكالة الوطنية للإعلام",
            published_at=datetime.datetime(2024, 11, 29, 6, 30, tzinfo=UTC_PLUS_2),
            dateline="بيروت",
            guid="urn:newsml:wire.example:20241129:beirut-weather",
            version=1,
        ),
        ParsedStory(
            headline="مزارعو إربد يتوقعون موسم زيتون أوفر من العام الماضي",
            paragraphs=(
                "قال مزارعون في محافظة إربد إن أمطار الخريف المبكرة حسّنت حمل الأشجار.",
                "وتبدأ المعاصر استقبال المحصول مطلع الشهر المقبل.",
            ),
            source="بترا",
            published_at=datetime.datetime(2024, 11, 29, 6, 45, tzinfo=UTC_PLUS_2),
            dateline="إربد",
            guid="urn:newsml:wire.example:20241129:irbid-olives",
            version=1,
        ),
    ]


def test_reads_a_later_version_with_its_first_publication_time():
    assert parse_file("amman_water_v2.xml") == [
        ParsedStory(
            headline="عمّان تشغّل خطاً جديداً للمياه يخدم خمسين ألف أسرة",
            paragraphs=(
                "بدأت سلطة المياه الأردنية الثلاثاء تشغيل خط جديد ينقل المياه إلى الأحياء"
                " الشرقية من العاصمة.",
                "وعدّلت السلطة بعد الظهر عدد الأسر المستفيدة إلى خمسين ألف أسرة.",
            ),
            source="أ ف ب",
            credits=("أ ف ب", "الامة برس"),
            publisher="الامة برس",
            published_at=datetime.datetime(2024, 11, 26, 10, 15, tzinfo=UTC_PLUS_3),
            dateline="عمّان",
            guid=AMMAN_GUID,
            version=2,
        )
    ]


def test_marks_a_canceled_item():
    assert parse_file("amman_water_canceled.xml") == [
        ParsedStory(
            headline="ملغى: عمّان تشغّل خطاً جديداً للمياه",
            source="أ ف ب",
            credits=("أ ف ب", "الامة برس"),
            publisher="الامة برس",
            published_at=datetime.datetime(2024, 11, 26, 10, 15, tzinfo=UTC_PLUS_3),
            guid=AMMAN_GUID,
            version=3,
            is_canceled=True,
        )
    ]


def test_keeps_a_canceled_item_that_carries_only_its_guid():
    story = only(item(meta='<pubStatus qcode="stat:canceled"/>', guid="urn:test:gone"))

    assert story == ParsedStory(headline="", guid="urn:test:gone", version=1, is_canceled=True)


def test_reads_an_embargo():
    assert parse_file("literacy_report_embargoed.xml") == [
        ParsedStory(
            headline="تقرير إقليمي: نسبة الإلمام بالقراءة ترتفع بين الفتيات في المنطقة",
            paragraphs=(
                "أظهر تقرير إقليمي يصدر الأحد ارتفاع نسبة الإلمام بالقراءة بين الفتيات.",
                "ويغطي التقرير اثنتي عشرة دولة على مدى عشر سنوات.",
            ),
            source="واس",
            published_at=datetime.datetime(2024, 11, 28, 16, 0, tzinfo=datetime.UTC),
            dateline="الرياض",
            guid="urn:newsml:wire.example:20241128:literacy-report",
            version=1,
            embargoed_until=datetime.datetime(2024, 12, 1, 0, 1, tzinfo=datetime.UTC),
        )
    ]


def test_rejects_an_embargo_it_cannot_read():
    with pytest.raises(StoryParseError) as error:
        only(item(HEADLINE, meta="<embargoed>بعد الظهر</embargoed>"))

    assert error.value.message == (
        "الخبر urn:test:1: موعد رفع الحظر «بعد الظهر» غير مفهوم؛ صحّحه ثم أعد الاستيراد"
    )


def test_notes_a_withheld_item_in_its_warnings():
    story = only(item(HEADLINE, meta='<pubStatus qcode="stat:withheld"/>'))

    assert story.is_canceled is False
    assert story.warnings == (newsml.WITHHELD_WARNING,)


def test_notes_an_unreadable_date_and_uses_the_next_one():
    meta = (
        "<versionCreated>2024-11-26T08:00:00Z</versionCreated>"
        "<firstCreated>صباح الثلاثاء</firstCreated>"
    )

    story = only(item(HEADLINE, meta=meta))

    assert story.published_at == datetime.datetime(2024, 11, 26, 8, 0, tzinfo=datetime.UTC)
    assert story.warnings == ("تاريخ النشر «صباح الثلاثاء» غير مفهوم فأُهمل",)


def test_falls_back_to_content_created_for_the_date():
    story = only(item(HEADLINE + "<contentCreated>2024-11-25T22:00:00+02:00</contentCreated>"))

    assert story.published_at == datetime.datetime(2024, 11, 25, 22, 0, tzinfo=UTC_PLUS_2)


def test_leaves_the_date_empty_when_the_item_has_none():
    assert only(item(HEADLINE)).published_at is None


def test_prefers_the_arabic_headline():
    content = (
        '<headline xml:lang="en">Water line</headline>'
        '<headline xml:lang="ar-JO">خط المياه الجديد</headline>'
    )

    assert only(item(content)).headline == "خط المياه الجديد"


def test_takes_the_first_headline_when_none_is_arabic():
    content = "<headline>  </headline><headline>العنوان الأول</headline><headline>ثانٍ</headline>"

    assert only(item(content)).headline == "العنوان الأول"


def test_takes_the_source_from_the_info_source_without_a_creditline():
    story = only(item(HEADLINE + '<infoSource role="cpnat:originfo" literal="بترا"/>'))

    assert (story.source, story.publisher) == ("بترا", "")


def test_takes_the_source_from_the_provider_name_as_a_last_resort():
    story = only(item(HEADLINE, meta='<provider qcode="nprov:W"><name>كونا</name></provider>'))

    assert (story.source, story.publisher) == ("كونا", "")


def test_does_not_take_a_byline_for_the_source():
    assert only(item(HEADLINE + "<by>سلمى الخطيب</by>")).source == ""


def test_reads_only_caption_descriptions_as_the_caption():
    content = (
        HEADLINE + '<description role="drol:summary">ملخص</description>'
        '<description role="xyz:caption">شرح الصورة</description>'
    )

    assert only(item(content)).caption == "شرح الصورة"


def test_rejects_a_root_that_is_not_a_news_item():
    with pytest.raises(StoryParseError) as error:
        list(newsml.parse(b'<packageItem xmlns="http://iptc.org/std/nar/2006-10-01/"/>'))

    assert error.value.message == (
        "هذا ليس ملف NewsML-G2: العنصر الجذر <packageItem> وليس newsItem ولا newsMessage"
    )


def test_rejects_an_item_without_headline_or_body():
    with pytest.raises(StoryParseError) as error:
        only(item())

    assert error.value.message == (
        "الخبر urn:test:1: الخبر بلا عنوان وبلا نص (لا headline في contentMeta ولا contentSet)"
    )


def test_yields_an_error_in_place_of_a_bad_item_in_a_message():
    items = item(HEADLINE).decode() + item(guid="urn:test:empty").decode()
    message = f"""<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/">
      <itemSet>{items}</itemSet></newsMessage>""".encode()

    good, bad = newsml.parse(message)

    assert good.headline == "خبر تجريبي"
    assert isinstance(bad, StoryParseError)
    assert bad.message.startswith("الخبر urn:test:empty: ")


def test_rejects_a_message_without_news_items():
    message = b'<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet/></newsMessage>'

    with pytest.raises(StoryParseError) as error:
        list(newsml.parse(message))

    assert error.value.message == "رسالة NewsML-G2 هذه لا تحوي أي newsItem داخل itemSet"


@pytest.mark.parametrize("name", ["xxe.xml", "billion_laughs.xml"])
def test_refuses_a_file_with_a_dtd(name):
    with pytest.raises(StoryParseError) as error:
        parse_file(name)

    assert error.value.message == DTD_MESSAGE


def test_reads_every_block_of_an_xhtml_body_as_a_paragraph():
    (story,) = parse_file("irbid_olives_blocks.xml")

    assert story.paragraphs == (
        "بلغ موسم قطاف الزيتون في محافظة إربد ذروته هذا الأسبوع.",
        "المعاصر تعمل على مدار الساعة",
        "وتعمل معاصر المحافظة ليلاً ونهاراً لاستيعاب المحصول.",
        "ارتفاع سعر الزيت",
        "وفرة في اليد العاملة",
        "الموسم أفضل من العام الماضي، قال أحد المزارعين.",
        "الصنف | السعر",
        "زيت بكر | ٦ دنانير",
        "تنكة ١٦ كيلوغراماً",
    )
    assert story.warnings == ()


def test_keeps_the_paragraphs_of_plain_inline_data_apart():
    (story,) = parse_file("jerash_festival_inline_data.xml")

    assert story.paragraphs == (
        "أعلنت إدارة مهرجان جرش برنامج دورته الشتوية التي تفتتح الشهر المقبل.",
        "وتشارك في الدورة فرق من عشر دول عربية.",
        "وتقام العروض في المسرح الجنوبي الأثري.",
    )


def test_reads_tags_in_plain_inline_data_as_markup():
    (story,) = parse_file("salt_museum_tags_in_data.xml")

    assert story.paragraphs == (
        "افتتح متحف السلط قاعة جديدة للحرف التقليدية.",
        "وتضم القاعة أدوات النسيج والفخار.",
    )


def test_reads_an_entity_escaped_html_body_as_html():
    (story,) = parse_file("aqaba_port_escaped_html.xml")

    assert story.paragraphs == (
        "استقبل ميناء العقبة أكبر سفينة حاويات في تاريخه.",
        "ويبلغ طول السفينة أربعمئة متر.",
    )


def test_warns_about_an_element_it_does_not_know():
    data = (
        (DATA / "irbid_olives_blocks.xml")
        .read_bytes()
        .replace(b"<pre>", b"<marquee>", 1)
        .replace(b"</pre>", b"</marquee>", 1)
    )

    (story,) = newsml.parse(data)

    assert story.paragraphs[-1] == "تنكة ١٦ كيلوغراماً"
    assert any("<marquee>" in warning for warning in story.warnings)


def test_reads_item_parts_sent_without_their_news_item():
    data = (
        "<contentMeta><headline>مادبا ترمم فسيفساء الخريطة</headline></contentMeta>"
        "<contentSet><inlineData>بدأ ترميم خريطة مادبا.</inlineData></contentSet>"
    ).encode()

    (story,) = newsml.parse(data)

    assert (story.headline, story.paragraphs) == (
        "مادبا ترمم فسيفساء الخريطة",
        ("بدأ ترميم خريطة مادبا.",),
    )


def test_reads_a_located_literal_takes_the_lead_off_and_skips_the_header():
    (story,) = parse_file("zarqa_literal_header_lead.xml")

    assert story.dateline == "الزرقاء"
    assert story.paragraphs == (
        "افتتحت بلدية الزرقاء حديقة عامة على مساحة عشرين دونماً.",
        "وتضم الحديقة ممرات للمشي وملاعب للأطفال.",
    )


def test_reads_the_content_dateline_and_takes_a_latin_lead_off():
    (story,) = parse_file("london_content_dateline_dpa.xml")

    assert story.dateline == "London"
    assert story.paragraphs[0] == (
        "A footbridge over the canal reopened on Tuesday after a year of repairs."
    )


def test_maps_a_provider_qcode_to_its_credit_and_keeps_the_reporter_as_byline():
    (story,) = parse_file("zarqa_library_provider_qcode.xml")

    assert (story.source, story.byline) == ("أ ف ب", "ليلى العمري")


def test_reads_a_creditline_naming_two_agencies():
    story = only(item(HEADLINE + "<creditline>رويترز / أ ف ب</creditline>"))

    assert (story.source, story.credits) == ("رويترز", ("رويترز", "أ ف ب"))


# Items with no text of their own; a headline only inside the document (issue 13.3, 13.8)


@pytest.mark.parametrize("kind", ["picture", "graphic"])
def test_a_picture_or_graphic_item_is_no_story(kind):
    data = item(HEADLINE, body="", guid=f"urn:test:{kind}").replace(
        b"ninat:text", f"ninat:{kind}".encode()
    )
    with pytest.raises(StoryParseError) as refusal:
        list(newsml.parse(data))
    assert f"urn:test:{kind}" in refusal.value.message
    assert f"ninat:{kind}" in refusal.value.message
    assert "ليس خبراً نصياً" in refusal.value.message


def test_a_headline_only_in_the_embedded_nitf_is_read():
    body = (
        '<inlineXML contenttype="application/nitf+xml"><nitf><body><body.head>'
        "<hedline><hl1>افتتاح سوق للمزارعين في إربد</hl1></hedline></body.head>"
        "<body.content><p>افتتحت البلدية سوقاً أسبوعياً للمزارعين.</p></body.content>"
        "</body></nitf></inlineXML>"
    )
    assert only(item(body=body)).headline == "افتتاح سوق للمزارعين في إربد"


def test_a_headline_only_in_the_xhtml_title_is_read():
    body = (
        '<inlineXML contenttype="application/xhtml+xml">'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>مهرجان للتمور في الأحساء</title>'
        "</head><body><p>انطلق مهرجان التمور السنوي في الأحساء.</p></body></html></inlineXML>"
    )
    assert only(item(body=body)).headline == "مهرجان للتمور في الأحساء"
