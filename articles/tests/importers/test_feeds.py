"""The RSS 2.0 and Atom parser, on feeds we wrote as Arabic outlets publish them."""

import contextlib
import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from articles.importers import feeds
from articles.importers.base import DTD_MESSAGE, ParsedStory, StoryParseError, detect_format
from articles.importers.reading import ReadSettings, read_file
from articles.models import Article

DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"
RIYADH = datetime.timezone(datetime.timedelta(hours=3))
UTC_PLUS_1 = datetime.timezone(datetime.timedelta(hours=1))
UTC_PLUS_2 = datetime.timezone(datetime.timedelta(hours=2))
RSS = (DATA / "rss_amman_culture.xml").read_bytes()
ATOM = (DATA / "atom_tunis_economy.xml").read_bytes()


def parse(data: bytes) -> list:
    return list(feeds.parse(data, tz=RIYADH))


def fields(story: ParsedStory) -> dict:
    """The story's fields that are set, but the text it arrived as."""
    unset = ("", (), None, False)
    return {k: v for k, v in vars(story).items() if v not in unset and k != "original"}


def rss(items: str, namespaces: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" {namespaces}>'
        f"<channel><title>خلاصة</title>{items}</channel></rss>"
    ).encode()


def test_reads_an_rss_item_with_full_html_content():
    story = parse(RSS)[0]
    assert fields(story) == {
        "headline": "افتتاح مهرجان جرش للثقافة والفنون بمشاركة فرق من عشر دول",
        "paragraphs": (
            "افتتح مساء الثلاثاء مهرجان جرش للثقافة والفنون في دورته الثامنة والثلاثين، "
            "بمشاركة فرق من عشر دول عربية وأجنبية.",
            "وقال مدير المهرجان إن البرنامج يضم أمسيات شعرية وعروضاً مسرحية & موسيقية "
            "على المسرح الجنوبي الأثري.",
            "أمسية شعرية في المسرح الشمالي",
            "عرض للفرقة الوطنية للفنون الشعبية",
            "ويستمر المهرجان عشرة أيام – حتى السادس من كانون الأول.",
        ),
        "source": "بترا",
        "published_at": datetime.datetime(2024, 11, 26, 19, 30, tzinfo=UTC_PLUS_2),
        "dateline": "جرش",
        "guid": "alrai-culture-20241126-jerash",
        "line": 11,
    }
    assert story.original.startswith("<item>") and story.original.endswith("</item>")
    assert "جرش" in story.original


def test_content_encoded_wins_over_the_description():
    assert "..." not in " ".join(parse(RSS)[0].paragraphs)


def test_an_rss_author_is_a_byline_without_their_address_and_the_link_a_guid():
    story = parse(RSS)[1]
    assert story.byline == "سارة الخطيب" and story.source == ""
    assert story.guid == "https://alrai.example/culture/library-hours"
    assert story.paragraphs == (
        "أعلنت أمانة عمّان الكبرى تمديد ساعات عمل المكتبة العامة حتى منتصف الليل.",
        "ويشمل القرار فروع المكتبة في الأحياء الشرقية.",
    )
    assert story.published_at == datetime.datetime(2024, 11, 27, 8, 0, tzinfo=datetime.UTC)


def test_an_entry_with_neither_title_nor_text_fails_alone_naming_its_line():
    stories = parse(RSS)
    assert [type(story) for story in stories] == [
        ParsedStory,
        ParsedStory,
        StoryParseError,
        ParsedStory,
    ]
    error = stories[2]
    assert error.line == 36 and "alrai-culture-20241127-empty" in error.message
    assert "بلا عنوان وبلا نص" in error.message


def test_an_arabic_pub_date_is_read_in_the_newsrooms_zone():
    assert parse(RSS)[3].published_at == datetime.datetime(2024, 11, 27, tzinfo=RIYADH)


def test_reads_atom_html_title_and_content_with_the_feeds_author():
    story = parse(ATOM)[0]
    assert fields(story) == {
        "headline": "تونس تطلق برنامجاً لدعم صغار مزارعي الزيتون",
        "paragraphs": (
            "أطلقت وزارة الفلاحة الخميس برنامجاً لدعم صغار مزارعي الزيتون في ولايات الوسط.",
            "ويشمل البرنامج قروضاً ميسّرة ومعدات للري قطرة قطرة.",
        ),
        "source": "وات",
        # published, not the later updated: the time of first publication.
        "published_at": datetime.datetime(2024, 11, 28, 9, 15, tzinfo=UTC_PLUS_1),
        "dateline": "تونس",
        "guid": "tag:assabah.example,2024-11-28:/economy/olive-farmers",
        "line": 8,
    }


def test_reads_atom_xhtml_content_and_an_entrys_own_author():
    story = parse(ATOM)[1]
    assert story.paragraphs == (
        "سجّلت صادرات التمور التونسية ارتفاعاً بنسبة خمسة عشر بالمئة في الأشهر العشرة الأولى "
        "من العام.",
        "وتتصدر دقلة النور قائمة الأصناف المصدّرة.",
    )
    assert (story.byline, story.source) == ("منى بن علي", "")
    assert story.published_at == datetime.datetime(2024, 11, 28, 12, 0, tzinfo=datetime.UTC)


def test_atom_content_by_reference_falls_back_to_the_summary_and_a_bad_date_is_noted():
    story = parse(ATOM)[2]
    assert story.paragraphs == (
        "رست في ميناء رادس صباح اليوم أكبر سفينة حاويات تستقبلها الموانئ التونسية.",
        "ويبلغ طول السفينة ثلاثمئة متر.",
    )
    assert story.guid == "https://assabah.example/economy/rades-port"
    assert story.published_at is None
    assert story.warnings == ("تاريخ النشر «not a date» غير مفهوم فأُهمل",)


def test_the_agency_of_the_lead_is_the_credit_when_the_author_is_a_reporter():
    data = rss(
        "<item><title>الدوحة تستضيف منتدى للطاقة النظيفة</title><guid>qna-1</guid>"
        "<dc:creator>خالد المري</dc:creator>"
        "<content:encoded><![CDATA[<p>الدوحة (قنا) - تستضيف الدوحة الأسبوع المقبل "
        "منتدى دولياً للطاقة النظيفة.</p>]]></content:encoded></item>",
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"',
    )
    (story,) = parse(data)
    assert (story.source, story.byline, story.dateline) == ("قنا", "خالد المري", "الدوحة")
    assert story.paragraphs == ("تستضيف الدوحة الأسبوع المقبل منتدى دولياً للطاقة النظيفة.",)


def test_an_outlet_and_an_agency_in_the_author_are_both_credited():
    data = rss(
        "<item><title>بيروت: إعادة افتتاح المتحف الوطني</title>"
        "<author>أ ف ب-الامة برس</author>"
        "<description>أعيد افتتاح المتحف الوطني في بيروت بعد أعمال ترميم.</description></item>"
    )
    (story,) = parse(data)
    assert (story.source, story.publisher) == ("أ ف ب", "الامة برس")
    assert story.credits == ("أ ف ب", "الامة برس")


def test_an_item_with_only_a_title_and_a_plain_description():
    data = rss("<item><title>خبر عاجل من الرباط</title><description>نص قصير.</description></item>")
    (story,) = parse(data)
    assert fields(story) == {
        "headline": "خبر عاجل من الرباط",
        "paragraphs": ("نص قصير.",),
        "line": 2,
    }


def test_markup_left_in_a_title_is_removed():
    title = "&lt;b&gt;عاجل&lt;/b&gt;: أمطار غزيرة في عمّان"
    (story,) = parse(rss(f"<item><title>{title}</title><description>نص.</description></item>"))
    assert story.headline == "عاجل: أمطار غزيرة في عمّان"


def test_an_rss_atom_link_is_not_taken_for_the_items_link():
    data = rss(
        '<item><title>عنوان</title><atom:link href="https://x.example/self" rel="self"/>'
        "<link>https://x.example/story</link><description>نص.</description></item>",
        'xmlns:atom="http://www.w3.org/2005/Atom"',
    )
    assert parse(data)[0].guid == "https://x.example/story"


def test_a_guid_too_long_to_store_is_kept_as_a_stable_digest():
    link = "https://x.example/story?" + "q=1&amp;" * 60
    data = rss(
        f"<item><title>عنوان</title><link>{link}</link><description>نص.</description></item>"
    )
    first, again = parse(data)[0].guid, parse(data)[0].guid
    assert first == again and first.startswith("feed:") and len(first) <= feeds.MAX_GUID_LENGTH


def test_an_unreadable_pub_date_is_noted_and_the_story_kept():
    date = "<pubDate>أمس مساءً</pubDate>"
    (story,) = parse(rss(f"<item><title>عنوان</title>{date}<description>نص.</description></item>"))
    assert story.published_at is None
    assert story.warnings == ("تاريخ النشر «أمس مساءً» غير مفهوم فأُهمل",)


def test_dc_date_stands_in_for_a_missing_pub_date():
    data = rss(
        "<item><title>عنوان</title><dc:date>2024-11-29T10:00:00+03:00</dc:date>"
        "<description>نص.</description></item>",
        'xmlns:dc="http://purl.org/dc/elements/1.1/"',
    )
    assert parse(data)[0].published_at == datetime.datetime(2024, 11, 29, 10, tzinfo=RIYADH)


def test_malformed_xml_is_refused_with_its_line():
    data = rss("<item><title>عنوان</title>\n<description>نص</descripton></item>")
    with pytest.raises(StoryParseError, match="XML غير سليم") as error:
        parse(data)
    assert error.value.line == 3 and str(error.value).startswith("السطر 3: ")


def test_another_kind_of_xml_is_refused_saying_what_it_is():
    with pytest.raises(StoryParseError, match="ليست خلاصة RSS ولا Atom: العنصر الجذر <newsItem>"):
        parse(b"<newsItem><itemMeta/></newsItem>")


@pytest.mark.parametrize(
    "data",
    [
        rss(""),
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>',
        b'<rss version="2.0"></rss>',
    ],
)
def test_a_feed_without_entries_is_refused(data):
    with pytest.raises(StoryParseError, match="الخلاصة لا تحوي أي خبر"):
        parse(data)


def test_billion_laughs_is_refused():
    data = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><item><title>&lol3;</title></item></channel></rss>"""
    with pytest.raises(StoryParseError) as error:
        parse(data)
    assert error.value.message == DTD_MESSAGE and error.value.line == 2


def test_an_external_entity_is_refused():
    data = b"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&secret;</title></entry></feed>"""
    with pytest.raises(StoryParseError) as error:
        parse(data)
    assert error.value.message == DTD_MESSAGE


@pytest.mark.parametrize(("data", "kind"), [(RSS, "rss"), (ATOM, "atom")])
def test_feeds_are_detected_by_their_root(data, kind):
    assert detect_format(data, "feed.xml") == kind


def test_either_feed_is_read_whichever_feed_format_was_named():
    (item,) = read_file("economy.xml", ATOM, ReadSettings(format="rss"))[:1]
    assert item.format == "rss" and item.error == ""
    assert item.guid == "tag:assabah.example,2024-11-28:/economy/olive-farmers"


_FEEDISH = st.sampled_from(
    [RSS, ATOM, b"<rss><channel><item>", b"<feed><entry><content type='xhtml'>", b"]]>", b"&amp;"]
)


@given(
    st.lists(
        st.one_of(_FEEDISH, st.binary(max_size=40), st.text(max_size=40).map(str.encode)),
        max_size=6,
    )
)
def test_the_parser_only_ever_raises_its_parse_error(pieces):
    data = b"".join(pieces)
    try:
        stories = list(feeds.parse(data))
    except StoryParseError:
        return
    assert all(isinstance(story, ParsedStory | StoryParseError) for story in stories)


@given(st.integers(min_value=0, max_value=len(RSS) - 1), st.binary(min_size=1, max_size=8))
def test_a_damaged_feed_only_ever_raises_the_parse_error(position, damage):
    data = RSS[:position] + damage + RSS[position + len(damage) :]
    with contextlib.suppress(StoryParseError):
        list(feeds.parse(data))


@pytest.mark.django_db
def test_import_articles_reads_a_saved_feed(tmp_path):
    path = tmp_path / "culture.rss"
    path.write_bytes(RSS)
    out = io.StringIO()
    with pytest.raises(SystemExit):  # One entry has nothing to import: exit 1.
        call_command("import_articles", str(path), "--source", "الرأي", stdout=out, stderr=out)
    assert Article.objects.count() == 3
    jerash = Article.objects.get(guid="alrai-culture-20241126-jerash")
    assert (jerash.source.name, jerash.dateline) == ("بترا", "جرش")
    assert Article.objects.get(guid__endswith="library-hours").source.name == "الرأي"
