"""Lighthouse on the story page, as a phone sees it: fast, accessible, sound, findable.

Lighthouse (package-lock.json, `npm ci`) drives Debian's Chromium with its
default mobile profile: a mid-range phone on a slow 4G network, simulated
("simulate" throttling), so the scores hardly depend on this machine's speed.
Performance may read a few points lower on a busy machine, hence 95 rather
than 100; the other three categories do not depend on timing and must be 100.

One fixture serves a realistic story (headline, photo with caption, several
paragraphs, stories before it) from its own pytest-django ``LiveServer``, as
``test_reader_pages.py`` does, runs Lighthouse once and keeps its report; each
test asserts one category's score and names the audits that cost points.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import subprocess

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw
from pytest_django.live_server_helper import LiveServer

from articles.images import generate_renditions
from articles.models import Article, Paragraph, Source, unicode_slug
from articles.tests.browser import support

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Category: the lowest score the test accepts.
THRESHOLDS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
HEADLINE = "افتتاح أكبر محطة لتحلية مياه البحر بالطاقة الشمسية على ساحل الخليج"
PARAGRAPHS = (
    "افتتحت السلطات اليوم أكبر محطة لتحلية مياه البحر تعمل بالطاقة الشمسية في المنطقة، "
    "بطاقة إنتاجية تبلغ 120 ألف متر مكعب يوميا، تكفي لتزويد نحو ثلاثمئة ألف نسمة بمياه الشرب.",
    "وقال وزير الطاقة في كلمة خلال حفل الافتتاح إن المحطة تخفض استهلاك الوقود في إنتاج المياه "
    "بنحو الثلثين، وإن كلفة المتر المكعب ستنخفض تدريجيا مع توسيع حقول الألواح الشمسية المجاورة.",
    "وتعتمد المحطة على تقنية التناضح العكسي، وتمتد ألواحها الشمسية على مساحة أربعة كيلومترات "
    "مربعة في الصحراء القريبة من الساحل، وتخزن فائض الكهرباء في بطاريات لتشغيلها ليلا.",
    "وأوضح مدير المشروع أن الأعمال استغرقت ثلاث سنوات، شارك فيها أكثر من ألفي عامل ومهندس، "
    "وأن المرحلة الثانية ستبدأ العام المقبل لرفع الطاقة الإنتاجية إلى مثليها.",
    "ويرى خبراء في شؤون المياه أن المشروع يقدم نموذجا يمكن تكراره في دول المنطقة التي تعاني "
    "شحا متزايدا في مصادر المياه العذبة، مع ارتفاع الطلب وتراجع مخزون المياه الجوفية.",
    "وأشار الخبراء إلى أن التحدي الأكبر يبقى في التخلص من المياه شديدة الملوحة الناتجة عن "
    "التحلية، إذ تعيدها المحطة إلى البحر عبر أنابيب تنشرها على مسافة بعيدة من الشاطئ.",
)


def photo_bytes() -> bytes:
    """A landscape JPEG we draw ourselves: sky, a row of solar panels, the sea."""
    image = Image.new("RGB", (1600, 1000), (135, 180, 225))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 640, 1600, 1000), fill=(25, 85, 135))
    for left in range(40, 1600, 160):
        draw.polygon(
            [(left, 600), (left + 120, 600), (left + 100, 520), (left + 20, 520)],
            fill=(30, 40, 70),
        )
    draw.ellipse((1180, 90, 1340, 250), fill=(250, 215, 95))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


def build_story(now: datetime.datetime) -> list[Article]:
    """The story under test, and two earlier ones from its source (its "previous" link)."""
    source = Source.objects.create(name="وام")
    photo = default_storage.save("articles/lighthouse/plant.jpg", io.BytesIO(photo_bytes()))
    renditions = generate_renditions(photo).as_record()
    made = []
    for number, (headline, paragraphs, extra) in enumerate(
        [
            ("ارتفاع الطلب على المياه في الصيف بنسبة 8%", PARAGRAPHS[4:], {}),
            ("بدء تشغيل حقل الألواح الشمسية قرب الساحل", PARAGRAPHS[2:4], {}),
            (
                HEADLINE,
                PARAGRAPHS,
                {
                    "dateline": "أبوظبي",
                    "image": photo,
                    "image_renditions": renditions,
                    "image_alt": "ألواح شمسية على الساحل وخلفها البحر",
                    "image_caption": "حقل الألواح الشمسية الذي يغذي المحطة بالكهرباء",
                },
            ),
        ],
        1,
    ):
        article = Article.objects.create(
            guid=f"lighthouse-test:{number}",
            headline=headline,
            slug=f"{unicode_slug(headline, max_length=100)}-{number}",
            source=source,
            status=Article.Status.PUBLISHED,
            published_at=now - datetime.timedelta(hours=6 - number),
            **extra,
        )
        Paragraph.objects.bulk_create(
            Paragraph(article=article, position=position, text=text)
            for position, text in enumerate(paragraphs, 1)
        )
        made.append(article)
    return made


def install_lighthouse() -> None:
    """Install the test tools from package-lock.json if this checkout has not yet."""
    if not support.LIGHTHOUSE.exists():
        subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=support.ROOT,
            check=True,
            timeout=600,
        )


def run_lighthouse(url: str, report: os.PathLike) -> dict:
    """Lighthouse's JSON result (its "lhr") for ``url``, with its default mobile profile."""
    completed = support.run_lighthouse(url, report, list(THRESHOLDS))
    # Its log says why a run failed (Chromium would not start, the page did not load).
    assert completed.returncode == 0, completed.stderr[-3000:]
    with open(report, encoding="utf-8") as file:
        return json.load(file)


@pytest.fixture(scope="module")
def story_report(django_db_setup, django_db_blocker, tmp_path_factory) -> dict:
    install_lighthouse()
    folder = tmp_path_factory.mktemp("lighthouse")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
    ):
        stories = build_story(timezone.localtime())
        server = LiveServer("127.0.0.1")
        try:
            lhr = run_lighthouse(server.url + stories[-1].get_absolute_url(), folder / "story.json")
        finally:
            server.stop()
            source = stories[0].source
            Article.objects.filter(pk__in=[story.pk for story in stories]).delete()
            source.delete()
    support.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (support.ARTIFACTS / "lighthouse-story.json").write_text(json.dumps(lhr), encoding="utf-8")
    return lhr


def score(lhr: dict, category: str) -> int:
    return round(lhr["categories"][category]["score"] * 100)


def failing_audits(lhr: dict, category: str) -> str:
    """One line per audit of ``category`` that cost points, with what it measured."""
    lines = []
    for ref in lhr["categories"][category]["auditRefs"]:
        audit = lhr["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            value = audit.get("displayValue", "")
            lines.append(f"{ref['id']} ({audit['score']:.2f}) {audit['title']} {value}".strip())
    return f"{category} {score(lhr, category)}; audits that cost points:\n" + "\n".join(lines)


def assert_scores_at_least_its_threshold(lhr: dict, category: str) -> None:
    assert score(lhr, category) >= THRESHOLDS[category], failing_audits(lhr, category)


def test_story_page_loads_fast_on_a_phone(story_report):
    assert_scores_at_least_its_threshold(story_report, "performance")


def test_story_page_is_accessible(story_report):
    assert_scores_at_least_its_threshold(story_report, "accessibility")


def test_story_page_follows_best_practices(story_report):
    assert_scores_at_least_its_threshold(story_report, "best-practices")


def test_story_page_is_findable_by_search_engines(story_report):
    assert_scores_at_least_its_threshold(story_report, "seo")
