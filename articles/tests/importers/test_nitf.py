"""The NITF parser, on documents we wrote from the NITF 3.6 specification."""

import datetime
from pathlib import Path

import pytest

from articles.importers import nitf
from articles.importers.base import DTD_MESSAGE, ParsedStory, StoryParseError

DATA = Path(__file__).resolve().parents[1] / "data" / "nitf"
UTC_PLUS_3 = datetime.timezone(datetime.timedelta(hours=3))


def parse_file(name):
    return list(nitf.parse((DATA / name).read_bytes()))


def document(docdata="", body_head="<hedline><hl1>خبر تجريبي</hl1></hedline>", content=""):
    """Return a minimal NITF document with the given pieces, as bytes."""
    return f"""<nitf><head><docdata>{docdata}</docdata></head>
      <body><body.head>{body_head}</body.head><body.content>{content}</body.content></body>
    </nitf>""".encode()


def only(data):
    (story,) = nitf.parse(data)
    return story


def test_reads_namespaced_nitf_with_a_media_caption():
    assert parse_file("tripoli_library_ns.xml") == [
        ParsedStory(
            headline="افتتاح مكتبة عامة تضم ثلاثين ألف كتاب في طرابلس",
            paragraphs=(
                "افتتحت بلدية طرابلس الثلاثاء مكتبة عامة جديدة تضم نحو ثلاثين ألف كتاب في وسط"
                " المدينة.",
                "وقال مدير المكتبة إنها ستفتح أبوابها حتى العاشرة مساءً لطلاب الجامعات.",
            ),
            source="رويترز",
            byline="نادر الشريف",
            published_at=datetime.datetime(2024, 11, 26, 10, 15, tzinfo=UTC_PLUS_3),
            dateline="طرابلس",
            caption="قاعة القراءة الرئيسية في المكتبة العامة الجديدة في طرابلس",
            guid="WIRE-20241126-0042",
            version=2,
        )
    ]


def test_reads_nitf_without_a_namespace():
    assert parse_file("tunis_marathon_plain.xml") == [
        ParsedStory(
            headline="آلاف العدائين يشاركون في ماراثون تونس السنوي",
            paragraphs=(
                "شارك آلاف العدائين صباح السبت في ماراثون تونس السنوي.",
                "وانطلق السباق من شارع الحبيب بورقيبة وانتهى في ضاحية قرطاج.",
            ),
            source="وات",
            credits=("وات", "الامة برس"),
            byline="سامي الهادي",
            publisher="الامة برس",
            published_at=datetime.datetime(2024, 11, 30, 8, 0, tzinfo=datetime.UTC),
            dateline="تونس",
            guid="WIRE-20241130-0007",
        )
    ]


def test_takes_the_byline_for_the_byline_never_for_the_source():
    story = only(document(body_head="<hedline><hl1>عنوان</hl1></hedline><byline>نادر</byline>"))

    assert (story.source, story.publisher, story.byline) == ("", "", "نادر")


def test_takes_the_place_of_a_dateline_location_without_a_city():
    body_head = (
        "<hedline><hl1>عنوان</hl1></hedline>"
        "<dateline><location>بنغازي، ليبيا</location> 3 كانون الأول</dateline>"
    )

    assert only(document(body_head=body_head)).dateline == "بنغازي"


@pytest.mark.parametrize(
    "norm", ["20241126T101500+0300", "20241126T071500Z", "2024-11-26T10:15:00+03:00"]
)
def test_reads_compact_and_extended_issue_dates(norm):
    story = only(document(f'<date.issue norm="{norm}"/>'))

    assert story.published_at == datetime.datetime(2024, 11, 26, 7, 15, tzinfo=datetime.UTC)


def test_notes_an_unreadable_issue_date_in_the_warnings():
    story = only(document('<date.issue norm="26/11/2024"/>'))

    assert story.published_at is None
    assert story.warnings == ("تاريخ النشر «26/11/2024» غير مفهوم فأُهمل",)


def test_notes_an_unreadable_version_in_the_warnings():
    story = only(document('<du-key version="ثانية"/>'))

    assert story.version is None
    assert story.warnings == ("رقم الإصدار «ثانية» ليس عدداً صحيحاً فأُهمل",)


def test_skips_captions_of_media_that_are_not_images():
    content = (
        '<p>فقرة.</p><media media-type="video"><media-caption>مقطع مصور</media-caption></media>'
    )

    assert only(document(content=content)).caption == ""


def test_rejects_a_root_that_is_not_nitf():
    with pytest.raises(StoryParseError) as error:
        list(nitf.parse("<html><body><p>نص</p></body></html>".encode()))

    assert error.value.message == "هذا ليس ملف NITF: العنصر الجذر <html> وليس nitf"


def test_rejects_a_document_without_headline_or_paragraphs():
    with pytest.raises(StoryParseError) as error:
        only(document(body_head=""))

    assert error.value.message == "الخبر بلا عنوان (hedline/hl1) وبلا فقرات (body.content/p)"


def test_reads_a_document_that_names_the_nitf_dtd_file():
    data = b'<?xml version="1.0"?>\n<!DOCTYPE nitf SYSTEM "nitf-3-6.dtd">\n' + document(
        content="<p>فقرة&nbsp;أولى.</p>"
    )

    assert only(data) == ParsedStory(headline="خبر تجريبي", paragraphs=("فقرة أولى.",))


def test_refuses_a_document_whose_doctype_declares_entities():
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE nitf SYSTEM "nitf-3-6.dtd" [<!ENTITY wire "x">]>\n'
        + document(content="<p>&wire;</p>")
    )

    with pytest.raises(StoryParseError) as error:
        list(nitf.parse(data))

    assert error.value.message == DTD_MESSAGE


def test_reads_subheads_lists_and_bare_text_of_the_body_content():
    (story,) = parse_file("sfax_harbour_blocks.xml")

    assert story.paragraphs == (
        "بدأت أشغال توسعة ميناء الصيد البحري في صفاقس.",
        "أرصفة جديدة للمراكب",
        "وتشمل الأشغال بناء ثلاثة أرصفة جديدة.",
        "رصيف للمراكب الصغيرة",
        "رصيف للتفريغ",
    )
    assert story.caption == "مراكب في ميناء صفاقس"


def test_reads_a_body_sent_without_its_nitf_root():
    (story,) = parse_file("kairouan_carpets_fragment.xml")

    assert story.headline == "القيروان تحتفي بصناعة الزرابي"
    assert story.paragraphs == ("افتتح في القيروان معرض الزربية التقليدية.",)


def test_reads_a_body_content_sent_alone():
    (story,) = nitf.parse("<body.content><p>نص وحيد</p></body.content>".encode())

    assert story.paragraphs == ("نص وحيد",)


def test_reads_bare_text_wrapped_over_lines_as_one_paragraph():
    (story,) = nitf.parse(document(content="\n  نص قائم يمتد\n  على سطرين\n\n  وفقرة ثانية\n"))

    assert story.paragraphs == ("نص قائم يمتد على سطرين", "وفقرة ثانية")


def test_a_dateline_of_only_a_story_date_names_no_place_and_the_lead_gives_it():
    (story,) = parse_file("salalah_story_date_lead.xml")

    assert story.dateline == "صلالة"
    assert story.paragraphs[0] == "افتتحت بلدية ظفار مهرجاناً للتراث البحري على شاطئ الحافة."


def test_takes_a_latin_dated_dateline_off_the_first_paragraph():
    (story,) = parse_file("tegucigalpa_latin_efe_lead.xml")

    assert story.dateline == "Tegucigalpa"
    assert story.paragraphs[0] == (
        "Coffee growers in the western valleys expect a larger harvest this season."
    )


def test_reads_a_distributor_naming_two_agencies_and_the_byline_apart():
    (story,) = parse_file("gabes_oasis_two_agencies.xml")

    assert (story.source, story.credits, story.byline) == (
        "رويترز",
        ("رويترز", "أ ف ب"),
        "منير الطرابلسي",
    )
