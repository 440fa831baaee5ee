"""The plain-text parser, on the seed story and on copy we wrote ourselves."""

import datetime
from pathlib import Path

import pytest

from articles.importers import text
from articles.importers.base import StoryParseError

SEED = Path(__file__).resolve().parents[3] / "samples" / "000_cd5be3f60da65570.txt"
RIYADH = datetime.timezone(datetime.timedelta(hours=3))


@pytest.fixture(scope="module")
def seed():
    (story,) = text.parse(SEED.read_bytes(), tz=RIYADH)
    return story


def test_seed_headline(seed):
    assert seed.headline == "الحكومة الافغانية تلتقي سكرتير مجلس الأمن الروسي في كابول"


def test_seed_credit_line_gives_agency_and_publisher(seed):
    assert seed.source == "أ ف ب"
    assert seed.publisher == "الامة برس"


def test_seed_date_is_read_in_the_given_zone(seed):
    assert seed.published_at == datetime.datetime(2024, 11, 26, tzinfo=RIYADH)


def test_seed_caption_is_split_from_the_first_paragraph(seed):
    assert seed.caption == (
        "صورة وزّعها مكتب نائب رئيس الوزراء للشؤون الاقتصادية لجانب من اللقاء بين الوفدين "
        "الروسي والأفغاني في كابول في 25 تشرين الثاني/نوفمبر 2024 (أ ف ب)"
    )


def test_seed_dateline_is_split_from_the_first_paragraph(seed):
    assert seed.dateline == "كابول"
    assert seed.paragraphs[0].startswith("زار سكرتير مجلس الأمن الروسي سيرغي شويغو")


def test_seed_has_fourteen_body_paragraphs_in_order(seed):
    assert len(seed.paragraphs) == 14
    assert seed.paragraphs[1].startswith("ومنذ عودة طالبان")
    assert seed.paragraphs[-1].startswith("وقال السفير الروسي لدى أفغانستان")
    assert seed.paragraphs[-1].endswith('الخلايا الإرهابية".')


def test_seed_site_chrome_is_dropped(seed):
    body = "\n".join(seed.paragraphs)
    assert "كاريكاتير" not in body
    assert "إستطلاعات الرأي" not in body


def test_seed_paragraphs_keep_their_words_and_lose_stray_spaces(seed):
    assert 'روابط "بنّاءة"' in seed.paragraphs[7]
    assert all(p == p.strip() and "  " not in p for p in seed.paragraphs)


def test_seed_carries_no_guid_so_the_loader_derives_one(seed):
    assert seed.guid == ""
    assert seed.warnings == ()


def test_story_without_date_says_so():
    data = "مهرجان للكتاب في عمّان\n\nبترا\n\nعمّان - افتتح اليوم معرض للكتاب.\n".encode()
    (story,) = text.parse(data)
    assert story.published_at is None
    assert story.warnings


def test_crlf_line_endings_and_bom_are_read():
    data = "\ufeffعنوان الخبر\r\n\r\nرويترز\r\n2024-05-01\r\n\r\nبيروت - نص الخبر هنا.\r\n"
    (story,) = text.parse(data.encode())
    assert story.headline == "عنوان الخبر"
    assert story.source == "رويترز"
    assert story.dateline == "بيروت"
    assert story.paragraphs == ("نص الخبر هنا.",)


def test_empty_file_is_an_error():
    with pytest.raises(StoryParseError):
        list(text.parse(b" \n\xc2\xa0\n"))


def test_binary_junk_is_an_error():
    with pytest.raises(StoryParseError):
        list(text.parse(b"\x00\x01\x02\xff\xfe\x00garbage"))


def test_parentheses_in_a_first_paragraph_are_not_a_caption():
    data = "عنوان\n\nواس\n2024-05-01\n\nالرياض - قال المتحدث (باسم الوزارة) إن العمل مستمر.\n"
    (story,) = text.parse(data.encode())
    assert story.caption == ""
    assert story.dateline == "الرياض"
    assert story.paragraphs == ("قال المتحدث (باسم الوزارة) إن العمل مستمر.",)
