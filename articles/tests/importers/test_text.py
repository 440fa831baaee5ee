"""The plain-text parser, on the seed story and on copy we wrote ourselves.

Each fixture in data/text/ shows one variant of real wire copy; its test
asserts every field of the story it gives.
"""

import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.importers import text
from articles.importers.base import NO_TEXT, ParsedStory, StoryParseError

SEED = Path(__file__).resolve().parents[3] / "samples" / "000_cd5be3f60da65570.txt"
DATA = Path(__file__).resolve().parents[1] / "data" / "text"
RIYADH = datetime.timezone(datetime.timedelta(hours=3))
NOV_26 = datetime.datetime(2024, 11, 26, tzinfo=RIYADH)


def parse_fixture(name, **options):
    (story,) = text.parse((DATA / name).read_bytes(), tz=RIYADH, **options)
    return story


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


# Encodings and line endings


def test_lf_utf8_with_bom_and_a_day_first_date():
    assert parse_fixture("lf_utf8_bom_dpa.txt") == ParsedStory(
        headline="برلين تفتتح معرضاً للخط العربي في متحفها الوطني",
        paragraphs=(
            "افتتح المتحف الوطني في برلين الثلاثاء معرضاً للخط العربي يضم أكثر من مئتي قطعة"
            " من مجموعات خاصة.",
            "ويستمر المعرض حتى نهاية شباط/فبراير المقبل، وترافقه ورش لتعليم الخط للأطفال.",
        ),
        source="د ب أ",
        published_at=NOV_26,
        dateline="برلين",
        line=1,
    )


def test_crlf_windows_1256_is_detected():
    assert parse_fixture("crlf_cp1256_reuters.txt") == ParsedStory(
        headline="ارتفاع صادرات الفوسفات المغربية في الربع الثالث",
        paragraphs=(
            "قال مكتب الصرف المغربي الثلاثاء إن صادرات الفوسفات ومشتقاته ارتفعت في الربع"
            " الثالث من العام مقارنة بالفترة نفسها من العام الماضي.",
            "وعزا المكتب الزيادة إلى ارتفاع الطلب على الأسمدة في أسواق آسيا وأمريكا الجنوبية.",
        ),
        source="رويترز",
        published_at=NOV_26,
        dateline="الرباط",
        line=1,
    )


def test_forced_encoding_overrides_detection():
    data = (DATA / "crlf_cp1256_reuters.txt").read_bytes()

    (story,) = text.parse(data, encoding="cp1256", tz=RIYADH)

    assert story.headline == "ارتفاع صادرات الفوسفات المغربية في الربع الثالث"


def test_a_wrong_forced_encoding_names_the_line_of_the_bad_byte():
    data = (DATA / "crlf_cp1256_reuters.txt").read_bytes()

    with pytest.raises(StoryParseError) as error:
        list(text.parse(data, encoding="utf-8"))

    assert error.value.line == 1
    assert error.value.message.startswith("الملف ليس بالترميز utf-8: بايت غير صالح")


def test_old_mac_cr_line_endings_and_a_date_with_time():
    assert parse_fixture("cr_utf8_petra_time.txt") == ParsedStory(
        headline="إطلاق حملة وطنية لزراعة مليون شجرة في الأردن",
        paragraphs=(
            "أطلقت وزارة الزراعة الأردنية الثلاثاء حملة وطنية لزراعة مليون شجرة خلال موسم"
            " الأمطار الحالي.",
            "وقالت الوزارة إن الأشجار ستُزرع في الغابات والحدائق العامة وعلى جوانب الطرق.",
        ),
        source="بترا",
        published_at=datetime.datetime(2024, 11, 26, 9, 15, tzinfo=RIYADH),
        dateline="عمّان",
        line=1,
    )


def test_utf16_with_bom_and_a_two_word_dateline():
    assert parse_fixture("utf16le_bom_crlf_anadolu.txt") == ParsedStory(
        headline="تركيا تدشن جسراً معلقاً جديداً فوق مضيق الدردنيل",
        paragraphs=(
            "دشنت السلطات التركية الثلاثاء جسراً معلقاً جديداً يربط ضفتي مضيق الدردنيل.",
            "ويبلغ طول الجسر أكثر من أربعة كيلومترات، ويختصر زمن العبور إلى دقائق.",
        ),
        source="الأناضول",
        published_at=NOV_26,
        dateline="جناق قلعة",
        line=1,
    )


def test_utf16_big_endian_without_bom_and_a_weekday_date():
    assert parse_fixture("utf16be_no_bom_qna.txt") == ParsedStory(
        headline="الدوحة تستضيف مؤتمراً دولياً عن الأمن الغذائي",
        paragraphs=(
            "بدأت في الدوحة الثلاثاء أعمال مؤتمر دولي عن الأمن الغذائي بمشاركة خبراء من أكثر"
            " من ثلاثين دولة.",
            "ويناقش المؤتمر سبل تقليل الهدر في سلاسل الإمداد.",
        ),
        source="قنا",
        published_at=NOV_26,
        dateline="الدوحة",
        line=1,
    )


def test_utf16_little_endian_without_bom_and_a_date_with_time():
    assert parse_fixture("utf16le_no_bom_wam.txt") == ParsedStory(
        headline="أبوظبي تطلق خدمة حافلات ذاتية القيادة",
        paragraphs=(
            "أطلقت دائرة البلديات والنقل في أبوظبي الثلاثاء خدمة تجريبية لحافلات ذاتية القيادة"
            " في جزيرة السعديات.",
            "وتعمل الحافلات على مسار محدد يربط المتاحف بالفنادق.",
        ),
        source="وام",
        published_at=datetime.datetime(2024, 11, 26, 14, 30, tzinfo=RIYADH),
        dateline="أبوظبي",
        line=1,
    )


def test_binary_junk_is_refused_with_a_clear_message():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256))

    with pytest.raises(StoryParseError) as error:
        list(text.parse(png))

    assert error.value.message.startswith("الملف ثنائي وليس نصاً")


# Markup and invisible characters


def test_html_entities_are_decoded_and_tags_stripped_with_br_and_p_as_breaks():
    assert parse_fixture("html_entities_and_tags_mena.txt") == ParsedStory(
        headline="مصر تفتتح أكبر محطة لمعالجة المياه في الدلتا",
        paragraphs=(
            "افتتح رئيس الوزراء المصري الثلاثاء محطة لمعالجة مياه الصرف الزراعي بطاقة"
            ' "مليون متر مكعب" يومياً.',
            "وقال وزير الري إن المحطة تخدم مساحات واسعة من الأراضي الزراعية في شمال الدلتا.",
            "وأضاف أن المياه المعالجة ستُستخدم في ري محاصيل مثل القطن والأرز.",
        ),
        source="أ ش أ",
        published_at=NOV_26,
        dateline="القاهرة",
        line=1,
    )


def test_nbsp_zero_width_and_bidi_marks_leave_structure_and_keep_words():
    assert parse_fixture("invisible_marks_kuna.txt") == ParsedStory(
        headline="الكويت تبدأ تشغيل أول محطة للطاقة الشمسية في الشقايا",
        paragraphs=(
            "بدأت وزارة الكهرباء والماء الكويتية الثلاثاء تشغيل المرحلة الأولى من محطة الشقايا"
            " للطاقة الشمسية.",
            # The ZWNJ inside the name is part of how it is written.
            "وقال المهندس علي\u200cرضا الكندري إن المحطة ستغذي الشبكة بنحو مئتي ميغاواط.",
        ),
        source="كونا",
        published_at=NOV_26,
        dateline="الكويت",
        line=1,
    )


# Credit lines


def test_credit_with_place_then_agency_gives_the_dateline():
    assert parse_fixture("credit_place_then_agency_mena.txt") == ParsedStory(
        headline="انطلاق معرض الكتاب في الإسكندرية",
        paragraphs=(
            "انطلقت اليوم فعاليات معرض الإسكندرية للكتاب بمشاركة أكثر من مئة دار نشر عربية"
            " وأجنبية.",
            "ويتضمن برنامج المعرض ندوات وأمسيات شعرية وورشاً للأطفال.",
        ),
        source="أ ش أ",
        published_at=NOV_26,
        dateline="القاهرة",
        line=1,
    )


def test_credit_with_agency_then_place():
    assert parse_fixture("credit_agency_then_place_spa.txt") == ParsedStory(
        headline="هيئة الأرصاد تتوقع أمطاراً رعدية على عدة مناطق",
        paragraphs=(
            "توقعت هيئة الأرصاد هطول أمطار رعدية متوسطة إلى غزيرة على مناطق جازان وعسير والباحة.",
            "ودعت الهيئة إلى الابتعاد عن مجاري السيول.",
        ),
        source="واس",
        published_at=NOV_26,
        dateline="الرياض",
        line=1,
    )


def test_credit_in_parentheses_and_a_levantine_month():
    assert parse_fixture("credit_in_parentheses_afp_levantine_month.txt") == ParsedStory(
        headline="نيجيريا تطلق قمراً صناعياً لرصد الطقس",
        paragraphs=(
            "أعلنت وكالة الفضاء النيجيرية الثلاثاء إطلاق قمر صناعي جديد لرصد الطقس والتغيرات"
            " المناخية.",
            "وقالت الوكالة إن القمر سيساعد المزارعين على التخطيط لمواسم الزراعة.",
        ),
        source="أ ف ب",
        published_at=NOV_26,
        dateline="أبوجا",
        line=1,
    )


def test_byline_leaves_the_source_empty_and_names_the_reporter():
    assert parse_fixture("byline_instead_of_agency.txt") == ParsedStory(
        headline="مكتبة الحي القديم تعيد فتح أبوابها بعد الترميم",
        paragraphs=(
            "أعادت مكتبة الحي القديم فتح أبوابها أمام القراء بعد أعمال ترميم استمرت عامين.",
            "وتضم المكتبة مخطوطات نادرة وكتباً مطبوعة منذ أكثر من قرن.",
        ),
        byline="محمد علي",
        published_at=NOV_26,
        line=1,
    )


def test_a_short_unpunctuated_first_paragraph_is_not_taken_for_a_place():
    data = "عنوان الخبر\n2024-11-26\nرويترز - قال الوزير كلمته\nوانتهى الاجتماع.\n".encode()

    (story,) = text.parse(data, tz=RIYADH)

    assert (story.source, story.dateline) == ("رويترز", "")
    assert story.paragraphs == ("قال الوزير كلمته", "وانتهى الاجتماع.")


def test_story_without_a_credit_line():
    assert parse_fixture("no_credit_line.txt") == ParsedStory(
        headline="افتتاح سوق شعبي للحرف اليدوية في صنعاء",
        paragraphs=(
            "افتتح في صنعاء القديمة الثلاثاء سوق شعبي للحرف اليدوية يعرض منتجات الحرفيين المحليين.",
            "ويهدف السوق إلى إحياء الحرف التقليدية المهددة بالاندثار.",
        ),
        published_at=NOV_26,
        dateline="صنعاء",
        line=1,
    )


# Dates


def test_month_name_date_with_a_morning_time():
    assert parse_fixture("date_month_name_morning_time_sana.txt") == ParsedStory(
        headline="دمشق تستعد لمعرض الصناعات التقليدية",
        paragraphs=(
            "تستعد دمشق لاستضافة معرض الصناعات التقليدية في دورته الجديدة بمشاركة حرفيين من"
            " مختلف المحافظات.",
        ),
        source="سانا",
        published_at=datetime.datetime(2024, 11, 26, 10, 30, tzinfo=RIYADH),
        dateline="دمشق",
        line=1,
    )


def test_weekday_with_levantine_and_gregorian_month_and_time():
    assert parse_fixture("date_weekday_levantine_and_gregorian_wafa.txt") == ParsedStory(
        headline="رام الله تستضيف مهرجاناً للموسيقى التراثية",
        paragraphs=(
            "انطلق في رام الله مساء الثلاثاء مهرجان للموسيقى التراثية تشارك فيه فرق محلية وعربية.",
        ),
        source="وفا",
        published_at=datetime.datetime(2024, 11, 26, 14, 5, tzinfo=RIYADH),
        dateline="رام الله",
        line=1,
    )


def test_arabic_indic_digits_with_an_evening_time():
    assert parse_fixture("date_arabic_indic_digits_evening_oman.txt") == ParsedStory(
        headline="مسقط تحتفل باليوم الوطني بعروض ضوئية",
        paragraphs=("شهدت مسقط مساء الثلاثاء عروضاً ضوئية احتفالاً باليوم الوطني.",),
        source="العمانية",
        published_at=datetime.datetime(2024, 11, 26, 22, 30, tzinfo=RIYADH),
        dateline="مسقط",
        line=1,
    )


def test_maghreb_month_name_and_initials_credit():
    assert parse_fixture("date_maghreb_month_map.txt") == ParsedStory(
        headline="الرباط تحتضن ملتقى وطنياً للصناعة التقليدية",
        paragraphs=(
            "انطلقت بالرباط الثلاثاء فعاليات ملتقى وطني للصناعة التقليدية بمشاركة تعاونيات من"
            " مختلف الجهات.",
        ),
        source="ومع",
        published_at=NOV_26,
        dateline="الرباط",
        line=1,
    )


def test_agency_header_with_hijri_and_gregorian_dates_and_end_marker():
    assert parse_fixture("agency_header_hijri_and_gregorian_spa.txt") == ParsedStory(
        headline="أمانة الرياض تفتتح حديقة جديدة في حي النرجس",
        paragraphs=(
            "افتتحت أمانة منطقة الرياض اليوم حديقة جديدة في حي النرجس على مساحة تتجاوز عشرين"
            " ألف متر مربع.",
            "وتضم الحديقة ممرات للمشي وملاعب للأطفال ومساحات خضراء.",
        ),
        source="واس",
        published_at=datetime.datetime(2024, 11, 27, tzinfo=RIYADH),
        dateline="الرياض",
        line=1,
    )


def test_story_without_a_date_is_dated_at_import_and_says_so():
    assert parse_fixture("no_date.txt") == ParsedStory(
        headline="تطوع مئات الشباب لتنظيف شاطئ المدينة",
        paragraphs=("شارك مئات الشباب في حملة تطوعية لتنظيف شاطئ جميرا صباح السبت.",),
        source="وام",
        dateline="دبي",
        warnings=(text.NO_DATE_WARNING,),
        line=1,
    )


def test_an_impossible_date_is_dropped_with_a_warning():
    data = "عنوان الخبر\nرويترز\n31/02/2024\n\nبيروت - نص الخبر.\n".encode()

    (story,) = text.parse(data, tz=RIYADH)

    assert story.published_at is None
    assert story.warnings == ("التاريخ «31/02/2024» غير صالح فأُهمل", text.NO_DATE_WARNING)
    assert story.paragraphs == ("نص الخبر.",)


def test_a_hijri_date_alone_is_converted_and_the_warning_says_so():
    data = "عنوان الخبر\nواس\n25 جمادى الأولى 1446 هـ\n\nالرياض - نص الخبر.\n".encode()

    (story,) = text.parse(data, tz=RIYADH)

    assert story.published_at == datetime.datetime(2024, 11, 27, tzinfo=RIYADH)
    assert story.warnings == (
        "لا تاريخ ميلادي في النص: حُوِّل التاريخ الهجري «25 جمادى الأولى 1446 هـ» إلى "
        "2024-11-27 بتقويم أم القرى",
    )


# Captions


def test_caption_on_its_own_paragraph_ending_with_an_agency_credit():
    assert parse_fixture("caption_own_paragraph_agency_credit.txt") == ParsedStory(
        headline="عمال الإغاثة يوزعون الخيام على النازحين",
        paragraphs=(
            "بدأت منظمات الإغاثة الثلاثاء توزيع الخيام والبطانيات على آلاف النازحين مع اقتراب"
            " فصل الشتاء.",
            "وقالت إحدى المنظمات إن الاحتياجات تفوق بكثير ما وصل من مساعدات.",
        ),
        source="رويترز",
        published_at=NOV_26,
        dateline="الخرطوم",
        caption="عمال إغاثة يفرغون شاحنة محملة بالخيام في مخيم للنازحين (رويترز)",
        line=1,
    )


def test_a_first_paragraph_ending_a_sentence_before_an_agency_credit_is_not_a_caption():
    data = "عنوان\nرويترز\n2024-11-26\n\nأعلنت الحكومة اليوم خطة جديدة. (رويترز)\n".encode()

    (story,) = text.parse(data, tz=RIYADH)

    assert story.caption == ""
    assert story.paragraphs == ("أعلنت الحكومة اليوم خطة جديدة. (رويترز)",)


def test_caption_starting_with_the_word_photo():
    assert parse_fixture("caption_starting_with_photo_word.txt") == ParsedStory(
        headline="البرلمان الأردني يقر موازنة العام المقبل",
        paragraphs=(
            "أقر مجلس النواب الأردني الثلاثاء مشروع قانون الموازنة العامة للعام المقبل بالأغلبية.",
        ),
        source="بترا",
        published_at=NOV_26,
        dateline="عمّان",
        caption="الصورة: جانب من جلسة مجلس النواب الأردني",
        line=1,
    )


def test_photo_item_with_only_a_caption_has_no_paragraphs():
    assert parse_fixture("photo_item_caption_only.txt") == ParsedStory(
        headline="غروب الشمس فوق قلعة صلاح الدين",
        source="أ ف ب",
        published_at=NOV_26,
        caption="صورة التقطت من حي المقطم لغروب الشمس فوق قلعة صلاح الدين في القاهرة في 26"
        " تشرين الثاني/نوفمبر 2024 (أ ف ب)",
        line=1,
    )


# Datelines


def test_dateline_agency_in_parentheses_credits_the_story():
    assert parse_fixture("dateline_agency_in_parentheses_no_credit_line.txt") == ParsedStory(
        headline="أفغانستان تعيد فتح معبر حدودي مع باكستان",
        paragraphs=(
            "أعادت السلطات الأفغانية الثلاثاء فتح معبر طورخم الحدودي مع باكستان بعد إغلاقه أسبوعاً.",
            "وقال مسؤول محلي إن مئات الشاحنات عبرت في الساعات الأولى.",
        ),
        source="أ ف ب",
        published_at=NOV_26,
        dateline="كابول",
        line=1,
    )


def test_dateline_with_the_agency_before_the_place():
    assert parse_fixture("dateline_agency_before_place.txt") == ParsedStory(
        headline="موريتانيا تطلق برنامجاً لمحو الأمية في الأرياف",
        paragraphs=(
            "أطلقت الحكومة الموريتانية الثلاثاء برنامجاً لمحو الأمية يستهدف سكان المناطق الريفية.",
        ),
        source="أ ف ب",
        published_at=NOV_26,
        dateline="نواكشوط",
        line=1,
    )


def test_dateline_closed_by_an_en_dash():
    assert parse_fixture("dateline_en_dash.txt") == ParsedStory(
        headline="القاهرة تستضيف بطولة عربية للشطرنج",
        paragraphs=(
            "انطلقت في القاهرة الثلاثاء البطولة العربية للشطرنج بمشاركة لاعبين من خمس عشرة دولة.",
        ),
        source="أ ش أ",
        published_at=NOV_26,
        dateline="القاهرة",
        line=1,
    )


def test_dateline_closed_by_a_hyphen_without_a_space():
    assert parse_fixture("dateline_hyphen_without_space.txt") == ParsedStory(
        headline="بيروت تحيي ذكرى فنان راحل بحفل موسيقي",
        paragraphs=(
            "أحيت فرقة موسيقية في بيروت مساء الثلاثاء ذكرى فنان لبناني راحل بحفل ضم أشهر أغانيه.",
        ),
        source="الوكالة الوطنية للإعلام",
        published_at=NOV_26,
        dateline="بيروت",
        line=1,
    )


def test_dateline_closed_by_a_colon():
    assert parse_fixture("dateline_closed_by_colon.txt") == ParsedStory(
        headline="تونس تطلق منصة رقمية لحجز مواعيد المستشفيات",
        paragraphs=(
            "أطلقت وزارة الصحة التونسية الثلاثاء منصة رقمية تتيح للمرضى حجز مواعيدهم في"
            " المستشفيات العمومية.",
        ),
        source="وات",
        published_at=NOV_26,
        dateline="تونس",
        line=1,
    )


def test_dateline_with_its_date_and_agency_dates_and_credits_the_story():
    assert parse_fixture("dateline_with_date_and_agency_between_slashes.txt") == ParsedStory(
        headline="وزير التعليم يتفقد سير الامتحانات",
        paragraphs=(
            "تفقد وزير التربية والتعليم اليوم سير امتحانات نصف العام في عدد من مدارس القاهرة.",
        ),
        source="أ ش أ",
        published_at=NOV_26,
        dateline="القاهرة",
        line=1,
    )


def test_a_dash_aside_in_the_first_sentence_is_not_a_dateline():
    assert parse_fixture("dash_aside_is_not_a_dateline.txt") == ParsedStory(
        headline="وصول الوفد الرياضي إلى الدوحة",
        paragraphs=(
            "وصل - بحفظ الله ورعايته - الوفد الرياضي المشارك في البطولة الخليجية إلى الدوحة"
            " مساء الثلاثاء.",
            "ويضم الوفد ثلاثين لاعباً وعدداً من المدربين والإداريين.",
        ),
        source="قنا",
        published_at=NOV_26,
        line=1,
    )


# Site chrome and end-of-copy markers


def test_site_chrome_is_dropped_and_a_short_final_sentence_kept():
    assert parse_fixture("site_chrome_read_also_share_link.txt") == ParsedStory(
        headline="المغرب يدشن المرحلة الثانية من القطار فائق السرعة",
        paragraphs=(
            "دشن المغرب الثلاثاء المرحلة الثانية من خط القطار فائق السرعة الذي يربط طنجة بمراكش.",
            "وقالت الشركة المشغلة إن الرحلة بين المدينتين ستستغرق أقل من أربع ساعات.",
            "وتبلغ كلفة المشروع مليارات الدراهم.",
        ),
        source="رويترز",
        publisher="المغرب اليوم",
        published_at=NOV_26,
        dateline="طنجة",
        line=1,
    )


def test_end_of_copy_markers_and_stamps_are_dropped():
    assert parse_fixture("end_of_copy_markers_kuna.txt") == ParsedStory(
        headline="الكويت تستضيف اجتماعاً خليجياً لوزراء الصحة",
        paragraphs=(
            "بدأ في الكويت الثلاثاء اجتماع وزراء الصحة في دول مجلس التعاون الخليجي لبحث التعاون"
            " في مجال الأمن الدوائي.",
            "وقال وزير الصحة الكويتي إن الاجتماع سيناقش إنشاء مخزون دوائي مشترك.",
        ),
        source="كونا",
        published_at=NOV_26,
        dateline="الكويت",
        line=1,
    )


def test_source_named_only_in_the_chrome_is_kept():
    data = "عنوان الخبر\n2024-11-26\n\nنص الخبر كاملاً.\nالمصدر: رويترز\n".encode()

    (story,) = text.parse(data, tz=RIYADH)

    assert story.source == "رويترز"
    assert story.paragraphs == ("نص الخبر كاملاً.",)


# Paragraph layouts


def test_paragraphs_separated_by_single_line_breaks():
    assert parse_fixture("paragraphs_on_single_lines.txt") == ParsedStory(
        headline="اليمن: افتتاح مستشفى ميداني في مأرب",
        paragraphs=(
            "افتتح في مأرب الثلاثاء مستشفى ميداني بسعة خمسين سريراً لخدمة النازحين.",
            "ويضم المستشفى قسماً للطوارئ وآخر لرعاية الأمهات والأطفال.",
            "وقال مدير المستشفى إن الطواقم الطبية ستعمل على مدار الساعة.",
        ),
        source="سبأ",
        published_at=NOV_26,
        dateline="مأرب",
        line=1,
    )


def test_body_on_one_line_stays_one_paragraph():
    assert parse_fixture("body_on_one_line.txt") == ParsedStory(
        headline="الجزائر تطلق قمراً صناعياً للاتصالات",
        paragraphs=(
            "أطلقت الجزائر الثلاثاء قمراً صناعياً جديداً للاتصالات. وقالت وكالة الفضاء الجزائرية"
            " إن القمر سيحسن خدمات الإنترنت في المناطق النائية. ويأتي الإطلاق ضمن برنامج فضائي"
            " وطني.",
        ),
        source="واج",
        published_at=NOV_26,
        dateline="الجزائر",
        line=1,
    )


def test_standfirst_before_the_credit_is_the_first_paragraph_and_its_repeat_dropped():
    assert parse_fixture("standfirst_before_credit_and_repeated_at_end.txt") == ParsedStory(
        headline="السودان: استئناف الدراسة في جامعة الخرطوم",
        paragraphs=(
            "الجامعة تستأنف المحاضرات عن بعد بعد توقف استمر عاماً.",
            "أعلنت جامعة الخرطوم الثلاثاء استئناف الدراسة عن بعد لطلاب السنوات النهائية.",
            "وقالت إدارة الجامعة إن المحاضرات ستُبث عبر منصة إلكترونية.",
        ),
        source="سونا",
        published_at=NOV_26,
        dateline="الخرطوم",
        line=1,
    )


# Bad input


def test_headline_only_is_an_error_on_its_line():
    with pytest.raises(StoryParseError) as error:
        list(text.parse("\n\nعنوان بلا نص\nرويترز\n2024-11-26\n".encode()))

    assert error.value.message == NO_TEXT
    assert error.value.line == 3


def test_a_first_line_too_long_for_a_headline_is_an_error():
    with pytest.raises(StoryParseError) as error:
        list(text.parse(("كلمة " * 200).encode()))

    assert error.value.line == 1
    assert "أطول من أن يكون عنواناً" in error.value.message


def test_a_date_in_place_of_the_headline_is_an_error():
    with pytest.raises(StoryParseError) as error:
        list(text.parse("2024-11-26\nرويترز\n\nبيروت - نص.\n".encode()))

    assert error.value.message.startswith("السطر الأول تاريخ وليس عنواناً")


_WIRE_LINES = st.sampled_from(
    [
        "أ ف ب-الامة برس",
        "2024-11-26 10:30",
        "الثلاثاء 26 تشرين الثاني/نوفمبر 2024",
        "الرياض 25 جمادى الأولى 1446 هـ الموافق 27 نوفمبر 2024 م واس",
        "كابول (أ ف ب) - زار الوفد العاصمة.",
        "(أ ف ب) - كابول - ",
        "صورة أرشيفية (رويترز)   بيروت - نص",
        "كتب: محمد علي",
        "اقرأ أيضا",
        "انتهى / 12:30 ت م",
        "<br>&nbsp;&#1575;<p>",
        "\u200f\u00a0\u200b",
        "",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), st.lists(_WIRE_LINES | st.text(max_size=30)).map("\n".join)))
def test_arbitrary_text_raises_nothing_but_story_parse_error(value):
    try:
        story = text.parse_text(value)
    except StoryParseError as error:
        assert error.message
    else:
        assert story.headline
        assert story.paragraphs or story.caption


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary())
def test_arbitrary_bytes_raise_nothing_but_story_parse_error(data):
    try:
        list(text.parse(data))
    except StoryParseError as error:
        assert error.message
