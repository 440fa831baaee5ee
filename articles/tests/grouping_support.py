"""Stories written for the grouping tests: a dispatch, another on the same topic, a trailer."""

import json

from articles.models import Article
from articles.tests.import_support import import_file

# A dispatch.
DISPATCH = [
    "الرباط (أ ف ب) - أعلنت وزارة الفلاحة المغربية الثلاثاء خطة لإنقاذ الموسم الزراعي بعد "
    "سنة سادسة من الجفاف، تشمل دعم مربي الماشية وتوزيع الأعلاف المدعومة في الأرياف.",
    "وقال الوزير في مؤتمر صحافي إن الخطة ستكلف نحو ثلاثة مليارات درهم وستمول من صندوق "
    "الكوارث الطبيعية ومن مساهمات البنوك العمومية، على أن تنطلق مطلع الشهر المقبل.",
    "وتراجع منسوب السدود إلى أقل من ربع طاقتها الاستيعابية، بحسب أرقام رسمية نشرت الأسبوع "
    "الماضي، ما دفع السلطات إلى قطع المياه ليلا عن أحياء في عدد من المدن الكبرى.",
    "ويشكو المزارعون الصغار في السهول الداخلية من ارتفاع أسعار البذور والأسمدة، ويقول كثيرون "
    "منهم إنهم باعوا جزءا من قطعانهم لتسديد ديونهم المتراكمة منذ سنوات.",
    "ويساهم القطاع الزراعي بنحو أربعة عشر في المئة من الناتج الداخلي ويشغل قرابة ثلث اليد "
    "العاملة في البلاد، وفق معطيات المندوبية السامية للتخطيط.",
    "وتعول الحكومة على محطات تحلية مياه البحر التي يجري بناؤها على الساحل الأطلسي لتأمين "
    "مياه الشرب للمدن الساحلية بحلول نهاية العقد الجاري.",
]

# Another dispatch on the same day about the same ministry and the drought.
SAME_TOPIC = [
    "الرباط (أ ف ب) - خرج مئات من مربي الماشية الثلاثاء في مسيرة إلى مقر وزارة الفلاحة "
    "المغربية للمطالبة بتعويضات عن خسائرهم بعد سنة سادسة من الجفاف في الأرياف.",
    "ورفع المحتجون لافتات تندد بغلاء الأعلاف وتطالب بإلغاء ديون صغار الفلاحين، فيما طوقت "
    "قوات الأمن محيط الوزارة دون أن تسجل مواجهات تذكر بين الطرفين.",
    "وقال أحد المحتجين القادمين من سهل سايس إنه فقد نصف قطيعه خلال الشتاء الماضي ولم يتلق "
    "أي دعم من السلطات المحلية رغم الوعود المتكررة.",
    "ويساهم القطاع الزراعي بنحو أربعة عشر في المئة من الناتج الداخلي ويشغل قرابة ثلث اليد "
    "العاملة في البلاد، وفق معطيات المندوبية السامية للتخطيط.",
]

TRAILER = "تابعوا آخر الأخبار العاجلة على قناتنا في تلغرام وعلى صفحاتنا في مواقع التواصل الاجتماعي."

# An outlet's stock paragraph, long enough on its own to make two short stories look alike.
LONG_TRAILER = (
    "وتأسست الشبكة قبل عشرين عاما في العاصمة، وتضم اليوم أكثر من مئتي مراسل في المحافظات "
    "والخارج، وتنشر أخبارها على مدار الساعة بالعربية والإنجليزية لقرائها في أنحاء العالم "
    "العربي والمهجر."
)

# Two short stories of one outlet that share nothing but its stock paragraph,
# so much longer than their own sentence that it is most of their opening
# too: by the check alone, copies (grouping.is_copy).
SHORT_WITH_LONG_TRAILER = (
    [
        "أغلقت البلدية السوق المركزي ثلاثة أيام للصيانة.",
        LONG_TRAILER,
    ],
    [
        "فاز النادي المحلي على ضيفه بهدفين مقابل هدف.",
        LONG_TRAILER,
    ],
)


def results_story(team: str, rival: str, coach: str) -> list[str]:
    """A results story of an outlet's formula: the same words, other names in every paragraph."""
    return [
        f"حقق فريق {team} فوزا ثمينا على ضيفه فريق {rival} في المباراة التي جمعت بينهما مساء "
        "أمس على الملعب البلدي ضمن منافسات الجولة الجديدة من بطولة الدوري الممتاز لكرة القدم.",
        "وشهدت المباراة حضورا جماهيريا كبيرا وأداء قويا من اللاعبين طوال شوطي اللقاء، "
        "وسيطر أصحاب الأرض على مجريات اللعب منذ صافرة البداية حتى نهاية الوقت الأصلي.",
        f"وقال مدرب الفريق {coach} في تصريحات عقب المباراة إن فريقه يسعى إلى مواصلة الانتصارات "
        "في الجولات المقبلة من أجل المنافسة على لقب البطولة هذا الموسم.",
    ]


# Clubs and coaches for results_story: two for each story.
TEAMS = [
    "الوداد", "الرجاء", "الجيش", "الفتح", "المغرب", "الحسنية", "النهضة", "الاتحاد",
    "الشباب", "الوحدة", "الأهلي", "الزمالك", "النجم", "الترجي", "الصفاقسي", "الهلال",
    "المريخ", "الشرطة", "الرمثا", "الفيصلي", "الجزيرة", "الوحدات", "السلام", "الأمل",
    "الكرامة", "الطليعة", "العربي", "القادسية",
]  # fmt: skip
COACHES = [
    "سمير", "كريم", "حسن", "يوسف", "عادل", "منير", "طارق",
    "نبيل", "رشيد", "جمال", "فؤاد", "هشام", "وليد", "ماجد",
]  # fmt: skip


def wire_story(guid: str, paragraphs: list[str], **fields) -> dict:
    """One story of a JSON Lines wire file, from AFP on 20 November 2026 unless told."""
    return {
        "guid": guid,
        "headline": f"عنوان {guid}",
        "source": "فرانس برس",
        "published_at": "2026-11-20T10:00:00+03:00",
        "paragraphs": paragraphs,
        **fields,
    }


def import_stories(*stories: dict, **options) -> None:
    """Import ``stories`` as one wire file, through the loader every import path uses."""
    data = "\n".join(json.dumps(story, ensure_ascii=False) for story in stories).encode()
    list(import_file("copies.jsonl", data, **options))


def stored(guid: str) -> Article:
    """The stored story of ``guid``."""
    return Article.objects.get(guid=guid)


def group_of(guid: str) -> int | None:
    """The group the story of ``guid`` is in."""
    return stored(guid).story_group_id


def ids(*guids: str) -> list[int]:
    """The ids of the stories of ``guids``, in order."""
    return [stored(guid).pk for guid in guids]
