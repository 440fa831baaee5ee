"""Copies of one wire story on the reader's pages: one card each, the story page's list,
search results counted once (issue 19)."""

import datetime

import pytest
from defusedxml import ElementTree as ET
from django.utils import timezone

from articles.http_cache import group_key, seconds_to_next_scheduled
from articles.models import Article, StoryGroup

pytestmark = pytest.mark.django_db


def ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture
def copies(story):
    """One dispatch printed by three outlets, earliest first, and a story of its own."""
    group = StoryGroup.objects.create()
    text = ("أعلنت وزارة الزراعة خطة لدعم مربي الماشية بعد موسم جاف.", "وتشمل الخطة أعلافًا مدعومة.")
    printed = [
        story(
            headline=headline,
            source=source,
            published_at=ago(hours),
            paragraphs=text,
            story_group=group,
            **fields,
        )
        for headline, source, hours, fields in [
            ("الحكومة تعلن خطة لإنقاذ الموسم الزراعي", "فرانس برس", 5, {}),
            ("خطة حكومية لدعم مربي الماشية", "الأمة برس", 4, {"publisher": "صحيفة الأمة"}),
            ("دعم مربي الماشية بعد الجفاف", "وكالة المغرب", 3, {"credits": ["أ ف ب", "وم ع"]}),
        ]
    ]
    alone = story(
        headline="افتتاح معرض الكتاب في الرباط", source="وكالة المغرب", published_at=ago(1)
    )
    return printed, alone


def cards(html: str) -> list[str]:
    return [line for line in html.splitlines() if "card__headline" in line]


def test_the_front_page_shows_a_story_once_by_its_earliest_copy(client, copies):
    (first, second, third), alone = copies
    html = client.get("/").content.decode()
    assert first.headline in html and alone.headline in html
    assert second.headline not in html and third.headline not in html


def test_a_withdrawn_first_copy_gives_its_place_to_the_next(client, copies):
    (first, second, third), _ = copies
    Article.objects.filter(pk=first.pk).update(status=Article.Status.WITHDRAWN)
    html = client.get("/").content.decode()
    assert second.headline in html
    assert first.headline not in html and third.headline not in html


def test_a_source_page_lists_its_own_copy(client, copies):
    (first, _, third), alone = copies
    html = client.get(f"/source/{third.source.slug}/").content.decode()
    assert third.headline in html and alone.headline in html
    assert first.headline not in html


def test_feeds_carry_one_entry_a_story(client, copies):
    (first, _, third), alone = copies
    titles = [
        item.findtext("title") for item in ET.fromstring(client.get("/feed/").content).iter("item")
    ]
    assert sorted(titles) == sorted([first.headline, alone.headline])
    source_feed = ET.fromstring(client.get(f"/source/{third.source.slug}/feed/").content)
    assert sorted(item.findtext("title") for item in source_feed.iter("item")) == sorted(
        [third.headline, alone.headline]
    )


def test_the_story_page_lists_the_other_copies_with_outlet_credit_and_time(client, copies):
    (first, second, third), _ = copies
    html = client.get(first.get_absolute_url()).content.decode()
    section = html[
        html.index('id="same-story"') : html.index("</section>", html.index('id="same-story"'))
    ]
    assert "نُشر أيضاً في" in section
    assert second.get_absolute_url() in section and third.get_absolute_url() in section
    assert first.get_absolute_url() not in section
    # The outlet that printed it (the publisher when named), the credits, the time.
    assert "صحيفة الأمة" in section and "وكالة المغرب" in section
    assert "أ ف ب" in section and "وم ع" in section
    moment = timezone.localtime(second.published_at).strftime("%Y-%m-%dT%H:%M:%S%z")
    assert f'datetime="{moment}"' in section
    assert section.index("صحيفة الأمة") < section.index("وكالة المغرب")


def test_a_story_alone_has_no_list(client, copies):
    _, alone = copies
    assert 'id="same-story"' not in client.get(alone.get_absolute_url()).content.decode()


def test_a_draft_copy_is_never_listed(client, copies, story):
    (first, _, _), _ = copies
    draft = story(
        headline="مسودة نسخة", status=Article.Status.DRAFT, story_group_id=first.story_group_id
    )
    html = client.get(first.get_absolute_url()).content.decode()
    assert draft.get_absolute_url() not in html


def test_the_story_page_with_its_copies_stays_within_four_queries(
    client, copies, django_assert_max_num_queries
):
    (first, _, _), _ = copies
    seconds_to_next_scheduled()
    client.get(first.get_absolute_url())  # the navigation's sources, then kept
    with django_assert_max_num_queries(4):
        response = client.get(first.get_absolute_url())
    assert 'id="same-story"' in response.content.decode()


def test_a_new_copy_changes_the_story_pages_etag_and_its_keys_name_the_group(client, copies, story):
    (first, _, _), _ = copies
    before = client.get(first.get_absolute_url())
    assert group_key(first.story_group_id) in before["Surrogate-Key"].split()
    story(headline="نسخة رابعة", source="وكالة رابعة", story_group_id=first.story_group_id)
    after = client.get(first.get_absolute_url(), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "نسخة رابعة" not in after.content.decode()  # the outlet is listed, not the headline
    assert "وكالة رابعة" in after.content.decode()


def test_search_shows_a_story_once_with_its_copies_counted(client, copies):
    printed, _ = copies
    html = client.get("/search/", {"q": "مربي الماشية"}).content.decode()
    shown = [copy for copy in printed if copy.get_absolute_url() in html]
    assert len(shown) == 1
    assert "نسختان أخريان من الخبر نفسه" in html
    assert f"{shown[0].get_absolute_url()}#same-story" in html
    assert "نتيجة واحدة" in html


def test_the_pagers_count_of_cards_is_kept_until_a_story_changes(
    client, copies, story, django_assert_num_queries
):
    from articles.selectors import card_count

    (first, _, _), _ = copies
    assert card_count() == 2  # one card for the three copies, one for the story alone
    with django_assert_num_queries(0):
        assert card_count() == 2
    assert card_count(first.source) == 1
    story(headline="خبر جديد منفرد", source="وكالة المغرب")  # saved: the counts are forgotten
    assert card_count() == 3
