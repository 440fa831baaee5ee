"""The dashboard's desk: each count right, each card leading to exactly its stories."""

import datetime
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ImportRecord
from articles.templatetags.newsroom_desk import today_bounds
from articles.tests.admin_support import CONTRIBUTORS, newsroom_user

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)


class _Cards(HTMLParser):
    """{card key: (link, count text)} from the dashboard's desk."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cards: dict[str, list] = {}
        self._key = None
        self._in_count = False

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "li" and "desk-card" in classes:
            self._key = next(c for c in classes if c.startswith("desk-card--") and "busy" not in c)
            self._key = self._key.removeprefix("desk-card--")
            self.cards[self._key] = [None, ""]
        elif tag == "a" and self._key:
            self.cards[self._key][0] = dict(attrs)["href"]
        elif tag == "span" and "desk-card__count" in classes:
            self._in_count = True

    def handle_endtag(self, tag):
        if tag == "span":
            self._in_count = False
        elif tag == "li":
            self._key = None

    def handle_data(self, data):
        if self._in_count:
            self.cards[self._key][1] += data.strip()


def _cards(client) -> dict[str, list]:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    parser = _Cards()
    parser.feed(response.content.decode())
    return parser.cards


def _listed(client, url) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, url
    return {row.pk for row in response.context["cl"].result_list}


@pytest.fixture
def desk(make_article):
    """Stories in every state, on both sides of today's start in the site's time zone."""
    now = timezone.now()
    start, _ = today_bounds()
    published = Article.Status.PUBLISHED
    stories = {
        "draft": [
            make_article(status=Article.Status.DRAFT),
            make_article(status=Article.Status.DRAFT),
        ],
        "scheduled": [make_article(status=published, published_at=now + HOUR)],
        # An old dispatch released this morning is today's; a story of the
        # day released before midnight is not.
        "published_today": [
            make_article(status=published, published_at=now - 30 * HOUR, released_at=start),
            make_article(status=published, published_at=now - MINUTE, released_at=now - MINUTE),
        ],
        "withdrawn": [make_article(status=Article.Status.WITHDRAWN, released_at=now - MINUTE)],
    }
    make_article(status=published, released_at=start - MINUTE, published_at=start - MINUTE)
    return stories


def _record(action, created_at=None):
    record = ImportRecord.objects.create(file_name="wire.xml", action=action)
    if created_at:
        # auto_now_add sets the time on create; an older entry is moved back after.
        ImportRecord.objects.filter(pk=record.pk).update(created_at=created_at)
    return record


@pytest.fixture
def failed_imports():
    start, _ = today_bounds()
    today = [_record(ImportRecord.Action.FAILED), _record(ImportRecord.Action.REFUSED)]
    _record(ImportRecord.Action.FAILED, created_at=start - MINUTE)
    _record(ImportRecord.Action.CREATED)
    return today


def test_each_count_is_right_and_agrees_in_number(editor_client, desk, failed_imports):
    cards = _cards(editor_client)
    assert {key: count for key, (_, count) in cards.items()} == {
        "draft": "خبران",
        "scheduled": "خبر واحد",
        "published_today": "خبران",
        "withdrawn": "خبر واحد",
        "failed_imports": "خبران",
    }


def test_each_story_card_leads_to_a_list_of_exactly_its_stories(editor_client, desk):
    cards = _cards(editor_client)
    for key, stories in desk.items():
        assert _listed(editor_client, cards[key][0]) == {story.pk for story in stories}, key


def test_the_failed_imports_card_leads_to_todays_failed_and_refused_entries(
    editor_client, failed_imports
):
    url = _cards(editor_client)["failed_imports"][0]
    assert _listed(editor_client, url) == {record.pk for record in failed_imports}


def test_an_empty_desk_says_so_in_words(editor_client):
    cards = _cards(editor_client)
    assert {count for _, count in cards.values()} == {"لا أخبار"}


def test_many_drafts_take_the_accusative_singular(editor_client, make_article):
    for _ in range(11):
        make_article(status=Article.Status.DRAFT)
    assert _cards(editor_client)["draft"][1] == "11 خبرًا"


def test_a_contributor_sees_the_stories_but_not_the_import_log(client, desk, failed_imports):
    client.force_login(newsroom_user("musahim", CONTRIBUTORS))
    cards = _cards(client)
    assert list(cards) == ["draft", "scheduled", "published_today", "withdrawn"]


def test_the_desk_counts_in_two_queries(django_assert_num_queries, desk, failed_imports):
    request = RequestFactory().get("/admin/")
    # A superuser's permissions need no query, so only the counts are counted.
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    template = Template("{% load newsroom_desk %}{% desk_cards as cards %}{{ cards|length }}")
    with django_assert_num_queries(2):
        assert template.render(Context({"request": request})) == "5"


def test_the_dashboard_stays_within_its_query_budget(
    editor_client, django_assert_max_num_queries, desk, failed_imports
):
    with django_assert_max_num_queries(10):
        assert editor_client.get(reverse("admin:index")).status_code == 200


def test_no_desk_for_someone_who_may_see_no_stories():
    request = RequestFactory().get("/admin/")
    request.user = AnonymousUser()
    template = Template("{% load newsroom_desk %}{% desk_cards as cards %}{{ cards|length }}")
    assert template.render(Context({"request": request})) == "0"
