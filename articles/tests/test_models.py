import datetime
from urllib.parse import unquote

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from articles.models import Article, Paragraph, Source, unicode_slug

pytestmark = pytest.mark.django_db


def test_published_includes_released_stories_whose_time_has_passed(make_article):
    visible = make_article()
    assert list(Article.objects.published()) == [visible]


def test_published_excludes_drafts_and_withdrawn(make_article):
    make_article(status=Article.Status.DRAFT)
    make_article(status=Article.Status.WITHDRAWN)
    assert not Article.objects.published().exists()


def test_scheduled_story_is_hidden_until_its_time(make_article):
    article = make_article(published_at=timezone.now() + datetime.timedelta(minutes=5))
    assert not Article.objects.published().exists()
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert list(Article.objects.published()) == [article]


def test_paragraphs_come_back_in_position_order(make_article):
    article = make_article(paragraphs=("أولا", "ثانيا", "ثالثا"))
    Paragraph.objects.filter(article=article, position=1).update(position=9)
    assert [p.text for p in article.paragraphs.all()] == ["ثانيا", "ثالثا", "أولا"]


def test_two_paragraphs_may_swap_positions_in_one_transaction(make_article):
    article = make_article(paragraphs=("أولا", "ثانيا"))
    first, second = article.paragraphs.all()
    with transaction.atomic():
        first.position, second.position = 2, 1
        first.save()
        second.save()
    assert [p.text for p in article.paragraphs.all()] == ["ثانيا", "أولا"]


def test_two_paragraphs_may_not_end_up_in_one_position(make_article):
    article = make_article(paragraphs=("أولا", "ثانيا"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Paragraph.objects.filter(article=article).update(position=1)
        # The check is deferred to the commit; ask for it now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_guid_is_unique(make_article):
    article = make_article()
    with pytest.raises(IntegrityError):
        Article.objects.create(guid=article.guid, headline="آخر", slug="آخر", source=article.source)


def test_unicode_slug_keeps_arabic_and_cuts_at_a_word():
    assert unicode_slug("وزير الري يفتتح محطة") == "وزير-الري-يفتتح-محطة"
    long = unicode_slug("كلمة " * 60)
    assert len(long) <= 120 and long.endswith("كلمة")


def test_source_gets_an_arabic_slug():
    assert Source.objects.create(name="أ ف ب").slug == "أ-ف-ب"


def test_story_url_carries_its_arabic_slug(make_article):
    article = make_article(slug="محطة-تحلية")
    assert unquote(article.get_absolute_url()) == "/story/محطة-تحلية/"


def test_the_visible_property_and_the_query_agree(make_article):
    hour = datetime.timedelta(hours=1)
    stories = [
        make_article(status=status, published_at=timezone.now() + offset)
        for status in Article.Status.values
        for offset in (-hour, hour)
    ]
    visible = set(Article.objects.published().values_list("pk", flat=True))
    assert visible == {story.pk for story in stories if story.is_visible_to_readers}
    scheduled = set(Article.objects.scheduled().values_list("pk", flat=True))
    assert len(visible) == len(scheduled) == 1
