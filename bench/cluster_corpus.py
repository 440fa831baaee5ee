# ruff: noqa: E501 -- sentences of Arabic prose, kept whole on their lines so they read as written.
"""A composed corpus of wire copies and hard negatives, for grouping copies of one story.

Every sentence here was written for this corpus; nothing is copied from a
published article. ``corpus(seed)`` builds, reproducibly:

- groups of copies made the way outlets republish an agency's dispatch: the
  headline rewritten, the credit line and the dateline changed, the last
  paragraphs cut, a trailer added, a paragraph inserted or dropped, spellings
  varied (ة/ه, أ/ا, ى/ي, the seat of a hamza, diacritics, Arabic-Indic or
  Western digits);
- pairs of different stories on the same topic and the same day (the hard
  negatives): two dispatches about one event with the same people and places,
  a follow-up that reuses a paragraph of the first as background, two stories
  about the same minister, and stories that share an agency's boilerplate
  paragraph and an outlet's trailer.

Sentences are frames with ``{slot}`` fillers and ``[a|b]`` alternatives,
expanded with a seeded ``random.Random``, so the corpus is large and varied
but the same on every run. A few groups are written out by hand at the end.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
import re

# Places: (city, country). Datelines name the city.
PLACES = [
    ("القاهرة", "مصر"),
    ("الرياض", "السعودية"),
    ("بيروت", "لبنان"),
    ("بغداد", "العراق"),
    ("عمّان", "الأردن"),
    ("تونس", "تونس"),
    ("الرباط", "المغرب"),
    ("الجزائر", "الجزائر"),
    ("الخرطوم", "السودان"),
    ("دمشق", "سوريا"),
    ("الدوحة", "قطر"),
    ("أبوظبي", "الإمارات"),
    ("مسقط", "عُمان"),
    ("الكويت", "الكويت"),
    ("طرابلس", "ليبيا"),
    ("نواكشوط", "موريتانيا"),
    ("صنعاء", "اليمن"),
    ("المنامة", "البحرين"),
    ("جنيف", "سويسرا"),
    ("باريس", "فرنسا"),
    ("أنقرة", "تركيا"),
    ("طهران", "إيران"),
    ("كابول", "أفغانستان"),
    ("نيروبي", "كينيا"),
]
FIRST = [
    "محمد",
    "أحمد",
    "خالد",
    "سامي",
    "فؤاد",
    "عادل",
    "مروان",
    "هشام",
    "يوسف",
    "إبراهيم",
    "ليلى",
    "سعاد",
    "رانيا",
    "هدى",
    "منى",
    "عبد الرحمن",
    "عبد الله",
    "مصطفى",
    "طارق",
    "نبيل",
]
LAST = [
    "الحسيني",
    "العمري",
    "بن علي",
    "الشامي",
    "المصري",
    "الزعبي",
    "القاسمي",
    "الأنصاري",
    "الخطيب",
    "النجار",
    "السويدي",
    "الهاشمي",
    "المؤمن",
    "الرئيسي",
    "الطائي",
    "البزاز",
    "الفاسي",
    "العلوي",
    "الدباغ",
    "الكردي",
    "المهيري",
    "الجبوري",
    "الصافي",
    "القرشي",
]
MINISTRIES = [
    "الخارجية",
    "المالية",
    "الصحة",
    "الطاقة",
    "الزراعة",
    "التعليم",
    "الداخلية",
    "الاقتصاد",
    "النقل",
    "المياه والري",
    "الاتصالات",
    "العمل",
]
# (name, dateline credit, how outlets credit it)
AGENCIES = [
    ("فرانس برس", "أ ف ب", ["أ ف ب", "(أ ف ب)", "وكالة فرانس برس", "المصدر: أ ف ب"]),
    ("رويترز", "رويترز", ["رويترز", "(رويترز)", "وكالة رويترز للأنباء", "المصدر: رويترز"]),
    ("الأناضول", "الأناضول", ["الأناضول", "وكالة الأناضول", "المصدر: الأناضول"]),
    ("د ب أ", "د ب أ", ["د ب أ", "(د ب أ)", "الوكالة الألمانية"]),
    ("شينخوا", "شينخوا", ["شينخوا", "وكالة أنباء الصين الجديدة (شينخوا)"]),
    ("أسوشيتد برس", "أ ب", ["أ ب", "(أ ب)", "أسوشيتد برس"]),
]
# (outlet, its trailers)
OUTLETS = [
    ("الأمة برس", ["تابعوا آخر الأخبار العاجلة على قناة الأمة برس في تلغرام."]),
    ("صحيفة الوطن", ["لمتابعة المزيد من الأخبار حمّلوا تطبيق الوطن على هواتفكم الذكية."]),
    (
        "موقع الخبر اليوم",
        [
            "اشترك في النشرة البريدية للخبر اليوم لتصلك أهم الأخبار كل صباح.",
            "جميع الحقوق محفوظة لموقع الخبر اليوم، ويمنع النسخ دون إذن.",
        ],
    ),
    ("الشرق الجديد", ["تابعونا على فيسبوك وإكس ويوتيوب لمزيد من الأخبار والتقارير."]),
    ("بوابة النهار", ["هذا الخبر منقول من وكالات الأنباء ولم تحرره بوابة النهار."]),
    ("جريدة الصباح", []),
    ("المرصد نيوز", ["للإعلان في المرصد نيوز تواصلوا معنا عبر البريد الإلكتروني."]),
    ("شبكة الأفق", ["شاهد أيضاً: تغطية خاصة لأبرز أحداث الأسبوع على شبكة الأفق."]),
]
# Background paragraphs agencies paste into many different dispatches.
AGENCY_BOILERPLATE = [
    "وتأسست الوكالة عام 1944 وتوزع أخبارها على آلاف المشتركين من الصحف والإذاعات "
    "والتلفزيونات ومواقع الإنترنت في أنحاء العالم بست لغات.",
    "ويعاني {country} منذ سنوات من أزمة اقتصادية حادة فاقمها تراجع قيمة العملة المحلية "
    "وارتفاع معدلات التضخم والبطالة بين الشباب.",
    "وتشهد المنطقة منذ أشهر توترات متصاعدة تخشى الأمم المتحدة أن تتحول إلى نزاع أوسع يصعب احتواؤه.",
]

# Each domain: headlines, then paragraph frames. Frames of one domain share
# the slots of one event; a story takes some of them in order.
DOMAINS = {
    "visit": {
        "headlines": [
            "{person} يبحث في {city} تعزيز العلاقات الثنائية",
            "زيارة مفاجئة لوزير {ministry} إلى {city}",
            "{city} تستقبل {person} وسط ملفات شائكة",
            "مباحثات في {city} حول التعاون و{topic}",
        ],
        "frames": [
            "وصل وزير {ministry} {person} [صباح|مساء|ظهر] {day} إلى {city} في زيارة "
            "[رسمية|مفاجئة|لم يعلن عنها مسبقا] تستمر {n1} أيام، [هي الأولى له|هي الثانية له] "
            "منذ توليه منصبه، وفق ما أعلنت وزارته.",
            "والتقى {person} [نظيره|رئيس الحكومة] {other} في مقر [الوزارة|رئاسة الوزراء] "
            "حيث [بحث الجانبان|ناقش الطرفان] {topic} و[سبل|آليات] توسيع [التبادل التجاري|الاستثمارات المشتركة].",
            'وقال {other} في مؤتمر صحافي مشترك إن بلاده "ترحب بكل مبادرة تخدم الاستقرار"، '
            "مشيرا إلى أن [الاتفاقات|التفاهمات] التي جرى توقيعها ستدخل حيز التنفيذ خلال {n1} أشهر.",
            "وبحسب بيان [للوزارة|لمكتب الوزير]، وقع الجانبان {n1} مذكرات تفاهم تشمل "
            "[الطاقة المتجددة والنقل البحري|الزراعة والأمن الغذائي|التعليم العالي والبحث العلمي].",
            "ولم يتطرق البيان إلى الخلاف القائم حول {topic}، الذي [عطّل|أخّر] في العام الماضي "
            "[مشروعا مشتركا|اتفاقا تجاريا] تبلغ قيمته نحو {n2} مليون دولار.",
            "ويرى [مراقبون|محللون] أن الزيارة تأتي في توقيت حساس، إذ تسعى {city} إلى "
            "[تنويع شراكاتها|استعادة دورها الإقليمي] بعد سنوات من [الفتور|الجمود] الدبلوماسي.",
            "ومن المقرر أن يزور {person} [غدا|بعد غد] [ميناء المدينة|المنطقة الصناعية|جامعة العاصمة] "
            "قبل أن يتوجه إلى [محطته التالية|بلاده] مساء {day}.",
            "وكانت العلاقات بين البلدين قد [شهدت|عرفت] [توترا|برودا] في عام {year} إثر "
            "[خلاف على الحدود البحرية|تصريحات اعتبرت مسيئة|أزمة في ملف التأشيرات].",
            "وأكد {person} في تصريح [للصحافيين|لوسائل الإعلام] لدى وصوله أن بلاده "
            '"[لن تتخلى عن|تتمسك ب]حل الخلافات بالحوار"، [رافضا|ممتنعا عن] الخوض في التفاصيل.',
            "وتجمع عشرات المحتجين قرب [الفندق|مقر الوزارة] حيث [أقام|عقد] الوفد اجتماعاته، "
            "رافعين لافتات [تطالب|تنادي] ب{topic}.",
        ],
        "topics": [
            "ملف اللاجئين",
            "أمن الحدود",
            "إمدادات الغاز",
            "مياه النهر المشترك",
            "الرحلات الجوية المباشرة",
            "ديون الشركات",
        ],
    },
    "quake": {
        "headlines": [
            "زلزال بقوة {mag} درجات يضرب {region}",
            "قتلى وجرحى في هزة أرضية قرب {city}",
            "{region}: فرق الإنقاذ تبحث عن ناجين تحت الأنقاض",
        ],
        "frames": [
            "ضرب زلزال بلغت قوته {mag} درجات على مقياس ريختر {region} [فجر|صباح|مساء] {day}، "
            "ما أسفر عن مقتل {n1} أشخاص على الأقل وإصابة {n2} آخرين، وفق [حصيلة أولية|أرقام رسمية].",
            "وقال المركز الوطني [للرصد الزلزالي|لعلوم الأرض] إن مركز الهزة كان على عمق "
            "{n1} كيلومترا، على بعد [نحو|حوالي] {n2} كيلومترا [شمال|جنوب|شرق] {city}.",
            "وأظهرت [مقاطع مصورة|صور] نشرها سكان على مواقع التواصل [مباني منهارة|جدرانا متصدعة] "
            "وشوارع غطاها الركام، فيما [فرّ|خرج] الأهالي إلى الساحات [خوفا من|تحسبا ل]هزات ارتدادية.",
            "وأعلن [الدفاع المدني|جهاز الحماية المدنية] نشر {n1} فريقا للبحث والإنقاذ، مشيرا إلى أن "
            "[الطرق الجبلية|الانهيارات الصخرية] تعيق وصول [الآليات|سيارات الإسعاف] إلى [القرى النائية|المناطق المنكوبة].",
            'وقال المتحدث [باسم|بلسان] الحكومة {other} إن "الأولوية الآن لانتشال العالقين تحت الأنقاض"، '
            "معلنا [الحداد|الحداد الوطني] {n1} أيام.",
            "وسجلت [محطات الرصد|أجهزة القياس] {n2} هزة ارتدادية خلال الساعات التالية، بلغت قوة "
            "[أشدها|أقواها] {n1} درجات.",
            "وأرسلت [دول مجاورة|دول عدة] [طائرات محملة|شحنات من] [الخيام والأغطية|الأدوية والمعدات الطبية]، "
            "فيما دعت الأمم المتحدة إلى [تعبئة|حشد] المساعدات [بسرعة|دون إبطاء].",
            "وتقع {region} على [فالق|صدع] نشط، وقد شهدت في عام {year} زلزالا [مدمرا|عنيفا] "
            "[أودى بحياة|قتل فيه] أكثر من {n2} شخص.",
            'وقالت [إحدى الناجيات|سيدة من سكان المنطقة] لمراسل الوكالة: "[استيقظنا|صحونا] على صوت '
            '[هدير|ارتجاج] قوي، وخلال ثوان [سقط|انهار] سقف المنزل".',
            "وأغلقت السلطات المدارس في {city} والبلدات المحيطة [حتى إشعار آخر|لمدة {n1} أيام] "
            "ريثما [يتم فحص|تجري معاينة] سلامة المباني.",
        ],
        "topics": ["المنطقة الجبلية", "الساحل الشمالي", "الوادي الجنوبي"],
    },
    "economy": {
        "headlines": [
            "البنك المركزي في {country} [يرفع|يخفض] سعر الفائدة",
            "قرار مفاجئ للمركزي {country_adj} بشأن الفائدة",
            "{country}: التضخم يسجل {pct} في المئة",
        ],
        "frames": [
            "قرر البنك المركزي في {country} [يوم|في اجتماعه] {day} [رفع|خفض] سعر الفائدة "
            "الرئيسي بمقدار {n1} نقطة أساس إلى {pct} في المئة، في [خطوة|قرار] [توقعها|فاجأ] أغلب المحللين.",
            "وقال [محافظ البنك|البنك في بيان] {other} إن القرار [يهدف إلى|يرمي إلى] "
            "[كبح التضخم|دعم النمو] الذي بلغ {pct} في المئة على أساس سنوي في الشهر الماضي.",
            "وتراجعت العملة المحلية [بنسبة|بمقدار] {n1} في المئة أمام الدولار [فور|عقب] إعلان القرار، "
            "قبل أن تستعيد جزءا من خسائرها [في نهاية التداولات|بحلول المساء].",
            "ويواجه الاقتصاد [ضغوطا|صعوبات] متزايدة بسبب [ارتفاع أسعار الغذاء|تراجع عائدات السياحة|"
            "ديون خارجية تبلغ {n2} مليار دولار]، بحسب [صندوق النقد الدولي|البنك الدولي].",
            "وتوقع [اقتصاديون|خبراء] استطلعت الوكالة آراءهم أن [يواصل|يوقف] البنك [سياسة التشديد|دورة الخفض] "
            "في اجتماعه المقبل المقرر في [الربع الأول|منتصف العام].",
            'وقالت الخبيرة الاقتصادية {other} إن "المستثمرين [ينتظرون|يترقبون] إشارات أوضح بشأن '
            '[استقلالية البنك|مسار الإصلاحات]"، مضيفة أن [السوق|البورصة] تفاعلت [بحذر|بقلق].',
            "وارتفع مؤشر البورصة الرئيسي {n1} في المئة [عند الإغلاق|في ختام الجلسة]، [بقيادة|مدفوعا ب]أسهم "
            "[المصارف|شركات العقار|شركات الاتصالات].",
            "وكانت الحكومة قد [أعلنت|كشفت] في {month} عن [برنامج|حزمة] [إصلاحات|دعم] بقيمة {n2} مليون دولار "
            "[لتخفيف|للحد من] أثر [الغلاء|الأزمة] على [الأسر الفقيرة|ذوي الدخل المحدود].",
            "وأظهرت بيانات [رسمية|الجهاز الوطني للإحصاء] أن [البطالة|نسبة البطالة] [استقرت|ارتفعت] "
            "عند {n1} في المئة، [وهي|وتعد] من [أعلى|أدنى] المعدلات منذ عام {year}.",
        ],
        "topics": ["الفائدة"],
    },
    "match": {
        "headlines": [
            "{team1} يتغلب على {team2} ويقترب من اللقب",
            "فوز ثمين ل{team1} على حساب {team2}",
            "{team2} يسقط أمام {team1} في {city}",
        ],
        "frames": [
            "[حقق|أحرز] فريق {team1} فوزا [ثمينا|مستحقا] على ضيفه {team2} بنتيجة {n1}-{g2} "
            "[مساء|ليل] {day} على ملعب {city} [الدولي|البلدي]، [ضمن|في إطار] المرحلة {n2} من الدوري.",
            "وافتتح {other} التسجيل [للفريق المضيف|ل{team1}] في الدقيقة {min1} [بتسديدة قوية|برأسية] "
            "[من خارج المنطقة|إثر ركلة ركنية]، قبل أن [يضيف|يعزز] زميله الهدف الثاني [بعد الاستراحة|مطلع الشوط الثاني].",
            "وقلص {team2} الفارق [عبر|بواسطة] ركلة جزاء [احتسبها|منحها] الحكم بعد العودة إلى تقنية الفيديو "
            "[في الدقيقة|عند الدقيقة] {min2}.",
            "وبهذا الفوز رفع {team1} رصيده إلى {pts} نقطة [في صدارة|في المركز الثاني من] الترتيب، "
            "[بفارق|متقدما ب] {n1} نقاط عن أقرب [ملاحقيه|منافسيه].",
            'وقال مدرب {team1} {person} بعد المباراة إن فريقه "[قدم|لعب] مباراة [كبيرة|ناضجة] '
            '[رغم الغيابات|رغم الإرهاق]"، معربا عن أمله في [الحفاظ على|مواصلة] [الزخم|النسق] نفسه.',
            "في المقابل، [انتقد|اشتكى] مدرب {team2} [قرارات التحكيم|سوء أرضية الملعب]، معتبرا أن "
            '"[النتيجة لا تعكس|الأداء لم يكن يستحق] ما جرى على أرض الملعب".',
            "وغاب عن {team1} [مهاجمه|مدافعه] الأساسي [بسبب الإصابة|للإيقاف]، فيما [شارك|عاد] "
            "{other} [بعد غياب|إثر تعافيه من إصابة] [استمر|دام] {n2} أسابيع.",
            "وتابع المباراة نحو {n2} ألف متفرج، [وسط|في] أجواء [حماسية|احتفالية]، [فيما|بينما] "
            "[انتشرت|نشرت] قوات الأمن [بكثافة|بأعداد كبيرة] حول الملعب.",
            "ويلتقي {team1} في [الجولة المقبلة|المباراة المقبلة] [مضيفه|ضيفه] [نادي الشروق|نادي الاتحاد|نادي النجوم] "
            "[يوم|مساء] [السبت|الأحد|الأربعاء].",
        ],
        "topics": ["الدوري"],
    },
    "flood": {
        "headlines": [
            "سيول جارفة تغمر أحياء في {city}",
            "{country}: أمطار غزيرة تقطع الطرق وتعطل الدراسة",
            "قتلى في فيضانات {city} والسلطات تعلن الطوارئ",
        ],
        "frames": [
            "[تسببت|أدت] أمطار غزيرة [هطلت|تساقطت] على {city} [منذ ليل|طوال يوم] {day} في "
            "[سيول جارفة|فيضانات] غمرت [أحياء سكنية|شوارع رئيسية] وأودت بحياة {n1} أشخاص، بحسب الدفاع المدني.",
            "وقالت [هيئة الأرصاد|مصلحة الأرصاد الجوية] إن كمية الأمطار بلغت {n2} مليمترا في {n1} ساعات، "
            "[وهي|في] [الأعلى|أعلى كمية] منذ عام {year}.",
            "وأعلنت [وزارة التربية|السلطات المحلية] تعليق الدراسة [في المدارس والجامعات|في جميع المؤسسات التعليمية] "
            "[يومي|ليومين هما] [الأحد والاثنين|الثلاثاء والأربعاء].",
            "وأظهرت [مشاهد|لقطات] [بثها|نشرها] التلفزيون الرسمي [سيارات|مركبات] جرفتها المياه و"
            "[سكانا|أهالي] [يحتمون|يلجؤون] بأسطح المنازل.",
            'وقال {other}، وهو [تاجر|موظف] في [سوق|حي] [المدينة القديمة|الميناء]: "[خسرنا|فقدنا] كل شيء في '
            '[دقائق|لحظات]، ولم [يصل|يأت] أحد لمساعدتنا [قبل الفجر|إلا بعد ساعات]".',
            "ودعت [السلطات|الحماية المدنية] السكان إلى [تجنب|عدم] [التنقل|الخروج] [إلا للضرورة|ليلا] والابتعاد "
            "عن [مجاري الأودية|ضفاف الأنهار]، محذرة من [استمرار|تجدد] [التقلبات|الأمطار] حتى {day}.",
            "وانقطعت الكهرباء عن [نحو|قرابة] {n2} ألف منزل، [فيما|بينما] [أغلقت|قطعت] [السيول|المياه] "
            "{n1} طرق [رئيسية|سريعة] [تربط|تصل] {city} بالمدن المجاورة.",
            "و[انتقد|اتهم] [نواب|ناشطون] الحكومة [بالتقصير|بالإهمال] في صيانة شبكات [تصريف المياه|الصرف الصحي]، "
            "[وهي|وهو] [انتقاد|اتهام] [يتكرر|يتجدد] مع كل [موسم أمطار|شتاء].",
        ],
        "topics": ["الأمطار"],
    },
    "court": {
        "headlines": [
            "السجن {n1} سنوات لمسؤول سابق في قضية فساد",
            "حكم قضائي في قضية {topic} يثير الجدل في {country}",
            "محكمة في {city} تدين {person}",
        ],
        "frames": [
            "[أصدرت|قضت] محكمة [الجنايات|الاستئناف] في {city} [يوم|صباح] {day} حكما بسجن {person}، "
            "[الرئيس السابق|المدير العام السابق] ل[هيئة الموانئ|شركة الكهرباء الوطنية|صندوق الإسكان]، "
            "{n1} سنوات بتهمة {topic}.",
            "وقضت المحكمة [كذلك|أيضا] [بتغريمه|بإلزامه بدفع] {n2} ألف دولار و[مصادرة|حجز] [أملاكه|أصوله] "
            "[داخل البلاد وخارجها|المسجلة باسمه وباسم أقاربه].",
            'وقال محامي الدفاع {other} إن موكله "[سيستأنف|سيطعن في] الحكم"، معتبرا أن '
            '[الملف|القضية] "[سياسي بامتياز|تشوبه ثغرات إجرائية]".',
            "وبدأت [التحقيقات|القضية] في عام {year} [إثر|بعد] تقرير [لديوان المحاسبة|لهيئة الرقابة] "
            "[كشف|رصد] [مخالفات|تجاوزات] في [عقود|صفقات] بقيمة {n2} مليون دولار.",
            "و[حضر|تابع] الجلسة [عدد من|ممثلون عن] [المنظمات الحقوقية|السفارات الأجنبية]، فيما [منعت|حظرت] "
            "المحكمة [التصوير|دخول الكاميرات] [داخل القاعة|أثناء النطق بالحكم].",
            "ويعد هذا [الحكم|القرار] [الأشد|الأول من نوعه] بحق مسؤول [بهذه الرتبة|بهذا المستوى] منذ "
            "إطلاق [حملة مكافحة الفساد|حملة الإصلاح] قبل {n1} سنوات.",
            "وأدانت المحكمة [أيضا|كذلك] {n1} متهمين آخرين [بالمشاركة|بالتواطؤ] في [القضية|الصفقات] "
            "[وحكمت عليهم|وقضت بحقهم] بالسجن [بين سنة وثلاث سنوات|مع وقف التنفيذ].",
            "ونفى {person} طوال [جلسات|مراحل] المحاكمة [التهم|الاتهامات] الموجهة إليه، [مؤكدا|قائلا] إنه "
            '"[نفذ|طبق] التعليمات [بحذافيرها|كما وردت]".',
        ],
        "topics": ["الاختلاس", "غسل الأموال", "استغلال النفوذ", "تبديد المال العام"],
    },
    "health": {
        "headlines": [
            "{country} تسجل إصابات جديدة ب{topic}",
            "وزارة الصحة تطلق حملة تطعيم ضد {topic}",
            "تفشي {topic} في {city}: الحصيلة ترتفع",
        ],
        "frames": [
            "[أعلنت|سجلت] وزارة الصحة في {country} [يوم|مساء] {day} {n1} إصابة جديدة ب{topic}، "
            "[لترتفع|ليرتفع] [الحصيلة|العدد الإجمالي] منذ بداية [التفشي|الشهر] إلى {n2} إصابة.",
            "وقال وزير الصحة {person} إن [أغلب|معظم] الحالات [سجلت|رصدت] في [أحياء|ضواحي] {city} "
            "[الفقيرة|المكتظة]، [حيث|إذ] [تعاني|تشكو] [شبكات المياه|المرافق الصحية] من [الاهتراء|الإهمال].",
            "وأطلقت الوزارة حملة [تطعيم|تلقيح] [تستهدف|تشمل] {n2} ألف [طفل|شخص] [خلال|على مدى] {n1} أيام، "
            "[بدعم من|بالتعاون مع] منظمة الصحة العالمية.",
            "وحذرت [المنظمة|منظمة الصحة العالمية] في بيان من أن [خطر|احتمال] [انتشار|تمدد] المرض "
            "[إلى مناطق أخرى|عبر الحدود] [يبقى|لا يزال] [مرتفعا|قائما].",
            "وقالت الطبيبة {other} العاملة في [مستشفى|مركز] [الأطفال|الطوارئ] إن [الأسرة|الأقسام] "
            '"[امتلأت|اكتظت] خلال [أيام|ساعات]" وإن [الطاقم|الفريق الطبي] يعمل [دون توقف|على مدار الساعة].',
            "وأغلقت السلطات {n1} [أسواق شعبية|مطاعم] [للاشتباه|بعد الاشتباه] في [تلوث|فساد] [المياه|الأغذية] "
            "[المستخدمة فيها|التي تبيعها].",
            "وكان [البلد|{country}] قد [أعلن|سجل] في عام {year} [تفشيا|موجة] [مماثلة|مماثلا] [أودت|أودى] "
            "بحياة [العشرات|المئات] [قبل احتوائها|قبل السيطرة عليه].",
        ],
        "topics": ["الكوليرا", "الحصبة", "حمى الضنك", "الملاريا"],
    },
    "election": {
        "headlines": [
            "انتخابات {country}: نسبة المشاركة {pct} في المئة",
            "{country} تختار برلمانها وسط [منافسة حادة|مقاطعة]",
            "[إعلان|صدور] النتائج الأولية للانتخابات في {country}",
        ],
        "frames": [
            "[أعلنت|كشفت] الهيئة العليا للانتخابات في {country} [يوم|مساء] {day} أن نسبة المشاركة في "
            "الانتخابات [التشريعية|البلدية] بلغت {pct} في المئة، [مقابل|بعد] {n1} في المئة في [الاقتراع|الانتخابات] السابق.",
            'وقال رئيس الهيئة {person} في مؤتمر صحافي إن [عمليات الاقتراع|التصويت] [جرت|تمت] "[في ظروف|بصورة] '
            '[عادية|هادئة]"، مسجلا [بعض|عددا من] [التجاوزات|الخروقات] [المحدودة|البسيطة].',
            "وتنافس [في الانتخابات|في الاقتراع] [أكثر من|نحو] {n2} مرشح على {n1} مقعدا، [في حين|بينما] "
            "[قاطعت|امتنعت عن المشاركة] [أحزاب|قوى] [المعارضة الرئيسية|معارضة بارزة].",
            'وقال [المعارض|القيادي المعارض] {other} إن "[النسبة|الأرقام] [الضعيفة|المعلنة] [تؤكد|تعكس] '
            '[عزوف|فقدان ثقة] [المواطنين|الناخبين]".',
            "ومن المتوقع إعلان النتائج [النهائية|الرسمية] [خلال|في غضون] {n1} أيام، [على أن|و] "
            "[تعقد|يعقد] [الدورة الثانية|البرلمان الجديد جلسته الأولى] [الشهر المقبل|مطلع {month}].",
            "و[انتشر|نشر] [نحو|أكثر من] {n2} ألف [عنصر أمن|شرطي] [لتأمين|لحماية] [مراكز الاقتراع|مكاتب التصويت] "
            "[البالغ عددها|وعددها] {n1} ألف [مركز|مكتب].",
            "ورصد [مراقبون|مراقبو بعثة] [الاتحاد الأفريقي|جامعة الدول العربية] [تأخرا|تأخيرا] في [فتح|افتتاح] "
            "[بعض|عدد من] المراكز [في المناطق الريفية|في الجنوب] [بسبب|نتيجة] [نقص|تأخر وصول] [البطاقات|المواد الانتخابية].",
        ],
        "topics": ["الانتخابات"],
    },
}

# Reporting that is the dispatch's own: who said what, assembled from parts
# (some 10**6 sentences before names and numbers), so that two stories of one
# kind share their formulas but not their substance.
CONNECTORS = [
    "",
    "من جهته، ",
    "في المقابل، ",
    "بدوره، ",
    "إلى ذلك، ",
    "وفي تصريح لاحق، ",
    "ومن جانبه، ",
    "وفي السياق ذاته، ",
]
SPEAKERS = [
    "المتحدث باسم الحكومة",
    "رئيس البلدية",
    "النائب في البرلمان",
    "مصدر أمني",
    "الخبير في الشؤون الإقليمية",
    "ممثل النقابة",
    "نائب الوزير",
    "الباحث الجامعي",
    "مدير المكتب الإقليمي للمنظمة",
    "أحد سكان الحي",
    "رئيس لجنة المتابعة",
    "المحلل السياسي",
]
SAID = ["قال", "أكد", "أوضح", "اعتبر", "رأى", "ذكر", "صرح", "شدد على"]
SUBJECTS = [
    "الإجراءات الجديدة",
    "الخطة الحكومية",
    "الأرقام المعلنة",
    "المفاوضات الجارية",
    "الوضع الميداني",
    "الميزانية المخصصة",
    "ردود الفعل الشعبية",
    "التقارير الأولية",
    "الاتصالات مع الأطراف المعنية",
    "عملية التقييم",
    "حركة الأسواق",
    "الجهود الدولية",
]
PREDICATES = [
    "تحتاج إلى مزيد من الوقت قبل الحكم عليها",
    "لن تتضح نتائجها قبل نهاية العام",
    "تعكس حجم التحديات المتراكمة",
    "تجاوزت التوقعات الأولى بكثير",
    "لا تزال دون مستوى المطالب",
    "تسير في الاتجاه الصحيح رغم العقبات",
    "ستخضع لمراجعة شاملة خلال الأسابيع المقبلة",
    "أثارت قلقا واسعا لدى الخبراء",
    "تتطلب تنسيقا أكبر بين المؤسسات",
    "قد تتغير تبعا للمعطيات الجديدة",
    "لم تشمل حتى الآن المناطق الأكثر تضررا",
    "تمثل سابقة في تاريخ البلاد",
]
TAILS = [
    "بحسب تقديرات أولية",
    "في ظل الظروف الراهنة",
    "خلافا لما تداولته بعض وسائل الإعلام",
    "على حد تعبيره",
    "دون أن يقدم تفاصيل إضافية",
    "في انتظار صدور التقرير النهائي",
    "وفق ما نقلت عنه وسائل إعلام محلية",
    "في حديث لإذاعة محلية",
    "لدى خروجه من الاجتماع",
    "مضيفا أن الأيام المقبلة ستكون حاسمة",
]


def _reporting(rng: random.Random) -> str:
    """A sentence of reporting: who said what, with a name and a number."""
    speaker = f"{rng.choice(SPEAKERS)} {rng.choice(FIRST)} {rng.choice(LAST)}"
    return (
        f"{rng.choice(CONNECTORS)}{rng.choice(SAID)} {speaker} إن {rng.choice(SUBJECTS)} "
        f"{rng.choice(PREDICATES)}، {rng.choice(TAILS)}، مشيرا إلى أن {rng.randrange(3, 95)} "
        f"في المئة من {rng.choice(SUBJECTS)} {rng.choice(PREDICATES)}."
    )


SPELLING = [
    (re.compile(r"ة\b"), "ه"),
    (re.compile(r"\bأ"), "ا"),
    (re.compile(r"\bإ"), "ا"),
    (re.compile(r"ى\b"), "ي"),
    (re.compile(r"ي\b"), "ى"),
    (re.compile(r"ؤ"), "ئ"),
]
_ALTERNATIVE = re.compile(r"\[([^\[\]]*)\]")
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
DIACRITICS = ["\u064e", "\u064f", "\u0650", "\u0651", "\u0652"]


@dataclasses.dataclass
class Story:
    """One printed story: who printed it, and which group of copies it belongs to."""

    key: str
    group: str
    headline: str
    paragraphs: list[str]
    outlet: str
    published_at: datetime.datetime


def _expand(frame: str, slots: dict, rng: random.Random) -> str:
    text = _ALTERNATIVE.sub(lambda m: rng.choice(m.group(1).split("|")), frame)
    return text.format(**slots)


def _event(domain: str, rng: random.Random, day: datetime.date) -> dict:
    city, country = rng.choice(PLACES)
    return {
        "city": city,
        "country": country,
        "country_adj": "في " + country,
        "region": rng.choice(["المنطقة الجبلية", "الساحل الشمالي", "الوادي الجنوبي"])
        + " في "
        + country,
        "person": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "other": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "ministry": rng.choice(MINISTRIES),
        "topic": rng.choice(DOMAINS[domain]["topics"]),
        "day": ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"][
            day.weekday()
        ],
        "month": rng.choice(["يناير", "مارس", "مايو", "يوليو", "سبتمبر", "نوفمبر"]),
        "year": rng.randrange(1998, 2024),
        "n1": rng.randrange(2, 12),
        "n2": rng.randrange(15, 900),
        "g2": rng.randrange(0, 2),
        "min1": rng.randrange(5, 45),
        "min2": rng.randrange(50, 90),
        "pts": rng.randrange(20, 60),
        "pct": f"{rng.randrange(5, 60)}.{rng.randrange(10)}",
        "mag": f"{rng.randrange(4, 7)}.{rng.randrange(10)}",
        "team1": "نادي "
        + rng.choice(["الوحدة", "الرجاء", "الفيصلي", "الزمالك", "الترجي", "الهلال"]),
        "team2": "نادي " + rng.choice(["الأهلي", "الوداد", "الجيش", "النصر", "الصفاقسي", "الشرطة"]),
    }


def _dispatch(domain, slots, frame_ids, rng, agency, extra=()):
    """An agency's dispatch: headline, dateline, credit and paragraphs, from some frames."""
    spec = DOMAINS[domain]
    paragraphs = [_expand(spec["frames"][i], slots, rng) for i in frame_ids]
    for _ in range(rng.randrange(1, 4)):
        paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), _reporting(rng))
    paragraphs.extend(extra)
    return {
        "headline": _expand(rng.choice(spec["headlines"]), slots, rng),
        "paragraphs": paragraphs,
        "city": slots["city"],
        "agency": agency,
    }


def _dateline(city: str, agency, rng: random.Random) -> str:
    credit = agency[1]
    return rng.choice(
        [
            f"{city} ({credit}) - ",
            f"{city} - ",
            f"{city} - {credit}: ",
            f"({credit}) - {city} - ",
            f"{city}، {credit} – ",
            "",
        ]
    )


def _vary_spelling(text: str, rng: random.Random) -> str:
    for pattern, to in rng.sample(SPELLING, rng.randrange(1, 4)):
        text = pattern.sub(lambda m, to=to: to if rng.random() < 0.7 else m.group(), text)
    if rng.random() < 0.5:
        text = text.translate(INDIC)
    if rng.random() < 0.4:
        letters = list(text)
        for i in rng.sample(range(len(letters)), len(letters) // 25):
            if "\u0628" <= letters[i] <= "\u064a":
                letters[i] += rng.choice(DIACRITICS)
        text = "".join(letters)
    return text


def _print(dispatch, outlet, rng, *, original: bool, inserts: list[str]) -> tuple[str, list[str]]:
    """How one outlet prints the dispatch: its headline, credit, dateline, cuts and trailer."""
    paragraphs = list(dispatch["paragraphs"])
    headline = dispatch["headline"]
    if not original:
        headline = rng.choice(
            [
                headline,
                f"{dispatch['city']}: {headline}",
                headline + " (تفاصيل)",
                "عاجل | " + headline,
                headline.split(" ", 2)[-1] + " - " + dispatch["city"],
            ]
        )
        if rng.random() < 0.6 and len(paragraphs) > 4:  # the last paragraphs cut
            paragraphs = paragraphs[: rng.randrange(3, len(paragraphs))]
        if rng.random() < 0.25 and len(paragraphs) > 4:  # a paragraph dropped
            del paragraphs[rng.randrange(2, len(paragraphs))]
        if rng.random() < 0.35 and inserts:  # the outlet's own paragraph inserted
            paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), rng.choice(inserts))
    paragraphs[0] = _dateline(dispatch["city"], dispatch["agency"], rng) + paragraphs[0]
    credit = rng.choice(dispatch["agency"][2])
    if rng.random() < 0.5:
        paragraphs.insert(0, f"{credit} - {outlet[0]}" if rng.random() < 0.5 else credit)
    else:
        paragraphs.append(credit)
    if not original and outlet[1] and rng.random() < 0.8:
        paragraphs.append(rng.choice(outlet[1]))
    if not original and rng.random() < 0.7:
        headline = _vary_spelling(headline, rng)
        paragraphs = [_vary_spelling(p, rng) for p in paragraphs]
    return headline, paragraphs


INSERTS = [
    "ويأتي هذا التطور في وقت تتابع فيه الأوساط المحلية باهتمام ما ستسفر عنه الأيام المقبلة.",
    "وكانت صحيفتنا قد نشرت الأسبوع الماضي تقريرا موسعا عن خلفيات هذا الملف وتشعباته.",
    "وللاطلاع على مزيد من التفاصيل يمكن متابعة تغطيتنا الخاصة عبر موقعنا الإلكتروني.",
    "ولقي الخبر تفاعلا واسعا على مواقع التواصل الاجتماعي حيث تصدر وسم القضية قائمة الأكثر تداولا.",
]


def corpus(seed: int = 19, groups: int = 48, negative_pairs: int = 110):
    """Return (stories, hard_negative_pairs): the stories in time order, pairs of keys."""
    rng = random.Random(seed)
    stories: list[Story] = []
    negatives: list[tuple[str, str]] = []
    start = datetime.datetime(2026, 11, 2, 6, 0, tzinfo=datetime.UTC)

    def publish(group: str, dispatch, at: datetime.datetime, copies: int) -> list[str]:
        keys = []
        outlets = rng.sample(OUTLETS, min(copies, len(OUTLETS)))
        for number, outlet in enumerate(outlets):
            headline, paragraphs = _print(
                dispatch, outlet, rng, original=number == 0, inserts=INSERTS
            )
            key = f"{group}/{number}"
            stories.append(
                Story(
                    key,
                    group,
                    headline,
                    paragraphs,
                    outlet[0],
                    at + datetime.timedelta(minutes=rng.randrange(0, 600)),
                )
            )
            keys.append(key)
        return keys

    domains = sorted(DOMAINS)
    for number in range(groups):  # groups of copies: two to eight outlets
        domain = domains[number % len(domains)]
        day = start + datetime.timedelta(days=number // 8)
        slots = _event(domain, rng, day)
        count = len(DOMAINS[domain]["frames"])
        # The lede (the first frame) and most of the rest, in order.
        rest = rng.sample(range(1, count), rng.randrange(min(5, count - 1), count))
        frames = [0, *sorted(rest)]
        dispatch = _dispatch(domain, slots, frames, rng, rng.choice(AGENCIES))
        publish(f"g{number}", dispatch, day, rng.randrange(2, 9))

    for number in range(negative_pairs):  # hard negatives: same topic, same day
        domain = domains[number % len(domains)]
        day = start + datetime.timedelta(days=number // 10, hours=1)
        slots = _event(domain, rng, day)
        count = len(DOMAINS[domain]["frames"])
        order = rng.sample(range(count), count)
        half = count // 2
        kind = number % 4
        agency = rng.choice(AGENCIES)
        boiler = _expand(rng.choice(AGENCY_BOILERPLATE), slots, rng)
        first = _dispatch(domain, slots, sorted(order[:half]), rng, agency)
        if kind == 0:  # two dispatches about one event, different frames
            second = _dispatch(domain, slots, sorted(order[half:]), rng, rng.choice(AGENCIES))
        elif kind == 1:  # a follow-up that reuses one paragraph of the first as background
            reused = first["paragraphs"][-1]
            second = _dispatch(domain, slots, sorted(order[half:]), rng, agency, extra=[reused])
        elif kind == 2:  # the same minister or person, another event on the same day
            other = domains[(number + 3) % len(domains)]
            other_slots = _event(other, rng, day) | {
                k: slots[k] for k in ("person", "city", "country", "day", "ministry")
            }
            n = len(DOMAINS[other]["frames"])
            second = _dispatch(
                other, other_slots, sorted(rng.sample(range(n), n // 2 + 1)), rng, agency
            )
        else:  # shared agency boilerplate and the same outlet's trailer
            first["paragraphs"].append(boiler)
            second = _dispatch(domain, slots, sorted(order[half:]), rng, agency, extra=[boiler])
        if kind == 3 or rng.random() < 0.3:  # short dispatches make the boilerplate weigh more
            first["paragraphs"] = first["paragraphs"][:3] + first["paragraphs"][-1:]
            second["paragraphs"] = second["paragraphs"][:3] + second["paragraphs"][-1:]
        a = publish(f"n{number}a", first, day, rng.choice([1, 1, 2]))
        b = publish(f"n{number}b", second, day, rng.choice([1, 1, 2]))
        negatives.append((a[0], b[0]))

    stories.extend(_hand_written(start))
    stories.sort(key=lambda story: story.published_at)
    return stories, negatives


def _hand_written(start: datetime.datetime) -> list[Story]:
    """Copies written out by hand, each as a particular outlet printed it."""
    at = start + datetime.timedelta(days=3, hours=4)
    base = [
        "أعلنت شركة الطيران الوطنية استئناف رحلاتها إلى المطار الدولي اعتبارا من الأول من الشهر المقبل، "
        "بعد توقف دام أكثر من أربعة أشهر بسبب أعمال صيانة المدرج.",
        "وقال المدير التجاري للشركة في بيان إن الرحلات ستكون يومية في البداية على أن ترتفع إلى ثلاث "
        "رحلات في اليوم خلال موسم الصيف.",
        "وأضاف أن أسعار التذاكر ستبقى على حالها رغم ارتفاع تكاليف الوقود، مشيرا إلى أن الشركة تسلمت "
        "طائرتين جديدتين الشهر الماضي.",
        "وكان المطار قد أغلق في يوليو إثر تشققات ظهرت في المدرج الرئيسي، ما أجبر المسافرين على السفر "
        "برا إلى مطار المدينة المجاورة.",
        "ورحبت غرفة التجارة بالقرار، معتبرة أنه سيعيد الحركة إلى الفنادق والأسواق التي تضررت من الإغلاق.",
    ]
    stories = [
        Story(
            "h0/0",
            "h0",
            "استئناف الرحلات إلى المطار الدولي",
            ["المنامة (أ ف ب) - " + base[0], *base[1:], "(أ ف ب)"],
            "جريدة الصباح",
            at,
        ),
        Story(
            "h0/1",
            "h0",
            "بعد أربعة أشهر من التوقف.. عودة الطائرات",
            [
                "أ ف ب - الأمة برس",
                "المنامة - أعلنت شركه الطيران الوطنيه استئناف رحلاتها الى المطار الدولي اعتبارا من الاول "
                "من الشهر المقبل، بعد توقف دام اكثر من اربعة اشهر بسبب اعمال صيانة المدرج.",
                base[1],
                base[2],
                "تابعوا آخر الأخبار العاجلة على قناة الأمة برس في تلغرام.",
            ],
            "الأمة برس",
            at + datetime.timedelta(hours=2),
        ),
        Story(
            "h0/2",
            "h0",
            "الطيران الوطني يعود إلى المطار",
            [
                "المنامة: أَعلنت شركة الطَّيران الوطنية استئناف رحلاتها إلى المطار الدولي اعتباراً من الأول من "
                "الشهر المقبل، بعد توقف دام أكثر من أربعة أشهر بسبب أعمال صيانة المدرج.",
                "ولقي الخبر تفاعلا واسعا على مواقع التواصل الاجتماعي حيث تصدر وسم القضية قائمة الأكثر تداولا.",
                base[1],
                "المصدر: أ ف ب",
            ],
            "شبكة الأفق",
            at + datetime.timedelta(hours=5),
        ),
        # Another story about the same airline on the same day: not a copy.
        Story(
            "h1/0",
            "h1",
            "الطيران الوطني يرفع أسعار الشحن",
            [
                "المنامة (أ ف ب) - رفعت شركة الطيران الوطنية أسعار الشحن الجوي بنسبة عشرة في المئة اعتبارا من "
                "الأسبوع المقبل، مبررة القرار بارتفاع تكاليف الوقود والتأمين.",
                "وقال المدير التجاري للشركة إن الزيادة لن تشمل شحنات الأدوية والمواد الغذائية الأساسية.",
                "وكان المطار قد أغلق في يوليو إثر تشققات ظهرت في المدرج الرئيسي، ما أجبر المسافرين على السفر "
                "برا إلى مطار المدينة المجاورة.",
                "(أ ف ب)",
            ],
            "جريدة الصباح",
            at + datetime.timedelta(hours=3),
        ),
    ]
    return stories


if __name__ == "__main__":
    stories, negatives = corpus()
    groups = {story.group for story in stories}
    print(f"{len(stories)} stories, {len(groups)} groups, {len(negatives)} hard-negative pairs")
    print("\n".join(stories[0].paragraphs))
