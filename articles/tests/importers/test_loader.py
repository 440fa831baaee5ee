"""The loader: every story once, nothing partial."""

import pytest
from django.utils import timezone

from articles.importers.loader import Action, derived_guid, import_file
from articles.importers.text import parse
from articles.models import Article, Paragraph, Source

pytestmark = pytest.mark.django_db


def test_seed_import_creates_one_draft_with_every_field(seed_bytes):
    (outcome,) = import_file("seed.txt", seed_bytes)
    assert outcome.action == Action.CREATED
    article = Article.objects.get()
    assert article.headline == "الحكومة الافغانية تلتقي سكرتير مجلس الأمن الروسي في كابول"
    assert article.source.name == "أ ف ب"
    assert article.publisher == "الامة برس"
    assert article.dateline == "كابول"
    assert article.image_caption.endswith("(أ ف ب)")
    assert article.status == Article.Status.DRAFT
    assert article.version == 1
    assert article.guid.startswith("text:")
    assert article.slug == "الحكومة-الافغانية-تلتقي-سكرتير-مجلس-الأمن-الروسي-في-كابول"
    assert timezone.localtime(article.published_at).date().isoformat() == "2024-11-26"
    paragraphs = list(article.paragraphs.values_list("position", "text"))
    assert [position for position, _ in paragraphs] == list(range(1, 15))
    assert paragraphs[0][1].startswith("زار سكرتير")


def test_seed_import_with_publish_is_published(seed_bytes):
    list(import_file("seed.txt", seed_bytes, publish=True))
    assert Article.objects.published().count() == 1


def test_importing_the_same_file_twice_leaves_one_article(seed_bytes):
    list(import_file("seed.txt", seed_bytes))
    (second,) = import_file("seed.txt", seed_bytes)
    assert second.action == Action.UNCHANGED
    assert Article.objects.count() == 1
    assert Paragraph.objects.count() == 14


def test_derived_guid_ignores_spelling_variants_of_the_headline(seed_bytes):
    (story,) = parse(seed_bytes)
    variant = story.__class__(**{**story.__dict__, "headline": story.headline.replace("ا", "أ", 1)})
    assert derived_guid(story) == derived_guid(variant)


def test_dry_run_writes_nothing(seed_bytes):
    (outcome,) = import_file("seed.txt", seed_bytes, dry_run=True)
    assert outcome.action == Action.CREATED
    assert not Article.objects.exists()
    assert not Source.objects.exists()


def test_unreadable_file_fails_with_its_name_and_writes_nothing():
    (outcome,) = import_file("broken.txt", b"\xff\xfe\x00\xd8")
    assert outcome.action == Action.FAILED
    assert str(outcome).startswith("broken.txt")
    assert not Article.objects.exists()


def test_same_headline_on_another_day_gets_its_own_slug(seed_bytes):
    list(import_file("seed.txt", seed_bytes))
    other_day = seed_bytes.replace(b"2024-11-26", b"2024-11-27")
    (outcome,) = import_file("seed-next-day.txt", other_day)
    assert outcome.action == Action.CREATED
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    assert slugs[1] == slugs[0] + "-2"
