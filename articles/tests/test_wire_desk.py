"""The wire desk (articles/wire_desk.py): recent copy, its ingest source, one-click publish."""

import datetime
import json

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import permissions, wire_desk
from articles.models import Article, ImportRecord, IngestSource
from articles.templatetags.newsroom_desk import today_bounds
from articles.tests.admin_support import changelist_url, reloaded
from articles.tests.import_support import import_file

DESK = reverse("admin:articles_article_wire_desk")
ROWS = reverse("admin:articles_article_wire_desk_rows")


def publish_url(article) -> str:
    return reverse("admin:articles_article_wire_desk_publish", args=[article.pk])


@pytest.fixture
def feed(db):
    return IngestSource.objects.create(name="مجلد رويترز", location="/srv/wire/reuters")


@pytest.fixture
def arrived(make_article):
    """A story whose copy arrived ``minutes`` ago: the story, and its import log entry."""

    def make(headline, *, minutes=5, ingest=None, file_name="wire.xml", when=None, **fields):
        fields.setdefault("status", Article.Status.DRAFT)
        article = make_article(headline, **fields)
        record = ImportRecord.objects.create(
            file_name=file_name,
            action=ImportRecord.Action.CREATED,
            guid=article.guid,
            headline=headline,
            article=article,
            ingest_source=ingest,
        )
        moment = when or timezone.now() - datetime.timedelta(minutes=minutes)
        ImportRecord.objects.filter(pk=record.pk).update(created_at=moment)
        return article

    return make


def headlines_in(html: str, *candidates: str) -> list[str]:
    """The ``candidates`` found in ``html``, in the order they appear."""
    return sorted((c for c in candidates if c in html), key=html.index)


# The list ------------------------------------------------------------------


def test_the_desk_lists_recent_copy_newest_first_with_its_ingest_source(
    editor_client, arrived, feed
):
    arrived("الخبر الأقدم", minutes=90, ingest=feed, source="رويترز")
    arrived("الخبر الأحدث", minutes=2, file_name="upload.txt", source="بترا")
    arrived("الخبر الأوسط", minutes=30, ingest=feed, source="رويترز")

    page = editor_client.get(DESK)

    assert page.status_code == 200
    html = page.content.decode()
    assert headlines_in(html, "الخبر الأقدم", "الخبر الأحدث", "الخبر الأوسط") == [
        "الخبر الأحدث",
        "الخبر الأوسط",
        "الخبر الأقدم",
    ]
    rows = {row.article.headline: row for row in page.context["rows"]}
    assert rows["الخبر الأوسط"].record.ingest_source == feed
    assert rows["الخبر الأحدث"].record.ingest_source is None
    assert "مجلد رويترز" in html
    # Copy from the command line or an upload: "استيراد يدوي" and its file.
    assert "استيراد يدوي" in html and "upload.txt" in html
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html
    assert 'aria-live="polite"' in html


def test_each_row_links_to_the_story_and_says_its_source_and_state(editor_client, arrived):
    story = arrived("زلزال في الشمال", source="أ ف ب")
    html = editor_client.get(DESK).content.decode()
    assert reverse("admin:articles_article_change", args=[story.pk]) in html
    assert "أ ف ب" in html
    assert "مسودة" in html


def test_a_story_arriving_through_a_polled_ingest_source_shows_it(editor_client, feed, db):
    data = json.dumps(
        {
            "guid": "desk:1",
            "headline": "خبر من مجلد الإسقاط",
            "source": "رويترز",
            "published_at": timezone.now().isoformat(),
            "paragraphs": ["نص الخبر."],
        },
        ensure_ascii=False,
    ).encode()
    list(import_file("drop.jsonl", data, ingest_source_id=feed.pk))

    page = editor_client.get(DESK)

    (row,) = page.context["rows"]
    assert row.article.headline == "خبر من مجلد الإسقاط"
    assert row.record.ingest_source == feed
    assert "مجلد رويترز" in page.content.decode()


def test_older_copy_is_left_out_unless_a_longer_window_is_chosen(editor_client, arrived):
    arrived("خبر حديث", minutes=10)
    arrived("خبر قديم", minutes=7 * 60)

    six = editor_client.get(DESK).content.decode()
    twelve = editor_client.get(DESK, {"hours": "12"}).content.decode()
    one = editor_client.get(DESK, {"hours": "1"}).content.decode()

    assert "خبر حديث" in six and "خبر قديم" not in six
    assert "خبر حديث" in twelve and "خبر قديم" in twelve
    assert "خبر حديث" in one


def test_the_default_window_is_a_setting_and_an_unknown_choice_falls_back_to_it(
    editor_client, arrived, settings
):
    arrived("خبر قبل ساعتين", minutes=120)
    settings.WIRE_DESK_HOURS = 1
    assert "خبر قبل ساعتين" not in editor_client.get(DESK).content.decode()
    assert "خبر قبل ساعتين" not in editor_client.get(DESK, {"hours": "5"}).content.decode()
    assert "خبر قبل ساعتين" not in editor_client.get(DESK, {"hours": "x"}).content.decode()
    assert "خبر قبل ساعتين" in editor_client.get(DESK, {"hours": "3"}).content.decode()


def test_a_story_updated_by_newer_copy_shows_once_at_its_latest_arrival(
    editor_client, arrived, feed
):
    story = arrived("خبر تكرر وصوله", minutes=50, file_name="first.txt")
    arrived("خبر بينهما", minutes=20)
    update = ImportRecord.objects.create(
        file_name="second.xml",
        action=ImportRecord.Action.UPDATED,
        guid=story.guid,
        article=story,
        ingest_source=feed,
    )

    page = editor_client.get(DESK)

    assert [row.article.headline for row in page.context["rows"]] == [
        "خبر تكرر وصوله",
        "خبر بينهما",
    ]
    assert page.context["rows"][0].record == update


def test_what_did_not_arrive_is_not_listed(editor_client, arrived, make_article):
    story = arrived("خبر وصل")
    ImportRecord.objects.create(
        file_name="again.txt", action=ImportRecord.Action.UNCHANGED, article=story
    )
    ImportRecord.objects.create(file_name="bad.txt", action=ImportRecord.Action.FAILED)
    make_article("خبر كتبه محرر", guid="newsroom:1")

    rows = editor_client.get(DESK).context["rows"]

    assert [row.article.headline for row in rows] == ["خبر وصل"]


def test_filters_by_ingest_source_and_by_state(editor_client, arrived, feed):
    arrived("من المجلد", ingest=feed)
    arrived("مرفوع يدوياً")
    arrived("منشور من المجلد", ingest=feed, status=Article.Status.PUBLISHED)

    def listed(**query):
        return {row.article.headline for row in editor_client.get(DESK, query).context["rows"]}

    assert listed(ingest=str(feed.pk)) == {"من المجلد", "منشور من المجلد"}
    assert listed(ingest="manual") == {"مرفوع يدوياً"}
    assert listed(state="draft") == {"من المجلد", "مرفوع يدوياً"}
    assert listed(state="published", ingest=str(feed.pk)) == {"منشور من المجلد"}
    assert listed(ingest="²") == listed(ingest="99999999999999999999") == listed()
    assert listed(state="nonsense", ingest="nonsense") == {
        "من المجلد",
        "مرفوع يدوياً",
        "منشور من المجلد",
    }


def test_the_list_is_bounded_and_says_there_is_more(editor_client, arrived, monkeypatch):
    monkeypatch.setattr(wire_desk, "MAX_ROWS", 3)
    for number in range(5):
        arrived(f"خبر رقم {number}", minutes=number + 1)

    page = editor_client.get(DESK)

    assert [row.article.headline for row in page.context["rows"]] == [
        "خبر رقم 0",
        "خبر رقم 1",
        "خبر رقم 2",
    ]
    assert "أكثر من" in page.content.decode()


# Counts for today ------------------------------------------------------------


def test_counts_per_source_and_per_ingest_source_for_today(editor_client, arrived, feed):
    start, _ = today_bounds()
    early = start + datetime.timedelta(minutes=1)
    arrived("أ", when=early, source="رويترز", ingest=feed)
    arrived("ب", when=early, source="رويترز", ingest=feed)
    arrived("ج", when=early, source="بترا")
    arrived("أمس", when=start - datetime.timedelta(hours=1), source="وام", ingest=feed)

    assert wire_desk.today_counts() == {
        "sources": [("رويترز", 2), ("بترا", 1)],
        "ingest": [("مجلد رويترز", 2), ("استيراد يدوي", 1)],
    }
    assert "ما وصل اليوم" in editor_client.get(DESK).content.decode()
    today = editor_client.get(ROWS).json()["today"]
    assert "رويترز" in today and "خبران" in today and "خبر واحد" in today
    assert "وام" not in today


# The JSON endpoint the script refreshes from ------------------------------------


def test_the_rows_endpoint_answers_the_table_body_and_todays_counts(editor_client, arrived, feed):
    story = arrived("خبر للتحديث", ingest=feed)
    arrived("خبر قديم جداً", minutes=30 * 60)

    answer = editor_client.get(ROWS, {"hours": "6"})

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json"
    assert "no-store" in answer["Cache-Control"]
    data = answer.json()
    assert "خبر للتحديث" in data["rows"] and "خبر قديم جداً" not in data["rows"]
    assert data["rows"].lstrip().startswith("<tr")
    assert publish_url(story) in data["rows"] and "csrfmiddlewaretoken" in data["rows"]
    assert "مجلد رويترز" in data["today"]
    assert len(data["keys"]) == 1 and data["keys"][0].startswith(f"{story.pk}:")


def test_the_page_hands_its_script_the_rows_address_and_the_announcements(editor_client, db):
    html = editor_client.get(DESK, {"hours": "3", "state": "draft"}).content.decode()
    assert 'data-rows-url="/admin/articles/article/wire/rows/?hours=3&amp;state=draft"' in html
    assert 'data-refresh-seconds="15"' in html
    assert "js/wire-desk.js" in html
    assert "wire-desk-announcements" in html


@pytest.mark.parametrize(
    ("count", "said"),
    [
        (1, "وصل خبر جديد"),
        (2, "وصل خبران جديدان"),
        (3, "وصلت 3 أخبار جديدة"),
        (10, "وصلت 10 أخبار جديدة"),
        (11, "وصل 11 خبرًا جديدًا"),
        (100, "وصل 100 خبر جديد"),
        (103, "وصلت 103 أخبار جديدة"),
    ],
)
def test_new_copy_is_announced_with_the_noun_agreeing_with_the_number(count, said):
    assert wire_desk.announcement(count) == said


# Publishing ---------------------------------------------------------------------


def test_an_editor_publishes_a_draft_in_one_click(editor_client, editor, arrived):
    story = arrived("خبر للنشر", published_at=timezone.now() - datetime.timedelta(minutes=3))

    answer = editor_client.post(
        publish_url(story), {"return_query": "hours=3&state=draft"}, follow=False
    )

    assert answer.status_code == 303
    assert answer["Location"] == f"{DESK}?hours=3&state=draft"
    story = reloaded(story)
    assert story.status == Article.Status.PUBLISHED and story.released_at is not None
    # As the bulk action: the revision kept, the history's line, by this editor.
    assert Version.objects.get_for_object(story).filter(revision__user=editor).exists()
    assert LogEntry.objects.filter(object_id=str(story.pk), change_message="نُشر").exists()
    followed = editor_client.get(answer["Location"])
    assert "نُشر الخبر «خبر للنشر»" in followed.content.decode()


def test_a_story_whose_time_is_ahead_is_scheduled(editor_client, arrived):
    ahead = timezone.now() + datetime.timedelta(hours=2)
    story = arrived("خبر لموعد لاحق", published_at=ahead)

    answer = editor_client.post(publish_url(story), HTTP_ACCEPT="application/json")

    assert answer.status_code == 200 and answer.json()["ok"]
    assert "جُدول الخبر" in answer.json()["text"]
    assert reloaded(story).status == Article.Status.PUBLISHED
    assert reloaded(story).published_at == ahead


def test_the_script_hears_the_outcome_as_json(editor_client, arrived):
    story = arrived("خبر بالسكربت")
    answer = editor_client.post(publish_url(story), HTTP_ACCEPT="application/json")
    assert answer.json()["ok"] is True
    assert "نُشر الخبر «خبر بالسكربت»" in answer.json()["text"]


def test_a_contributor_is_refused_in_arabic_and_the_story_stays_a_draft(
    contributor_client, arrived
):
    story = arrived("خبر يحاول مساهم نشره")

    page = contributor_client.get(DESK)
    assert page.status_code == 200
    assert publish_url(story) not in page.content.decode()

    answer = contributor_client.post(publish_url(story), follow=True)
    assert answer.status_code == 200
    assert permissions.PUBLISH_REFUSAL in answer.content.decode()
    as_json = contributor_client.post(publish_url(story), HTTP_ACCEPT="application/json")
    assert as_json.status_code == 403
    assert as_json.json() == {
        "ok": False,
        "message": permissions.PUBLISH_REFUSAL,
        "text": permissions.PUBLISH_REFUSAL,
    }
    assert reloaded(story).status == Article.Status.DRAFT
    assert not LogEntry.objects.filter(object_id=str(story.pk)).exists()


def test_only_a_draft_is_published_from_the_desk(editor_client, arrived):
    withdrawn = arrived("خبر مسحوب", status=Article.Status.WITHDRAWN)

    html = editor_client.get(DESK).content.decode()
    assert publish_url(withdrawn) not in html
    answer = editor_client.post(publish_url(withdrawn), HTTP_ACCEPT="application/json")

    assert answer.status_code == 403
    assert answer.json()["message"] == wire_desk.STATE_CHANGED
    assert reloaded(withdrawn).status == Article.Status.WITHDRAWN


def test_publishing_needs_the_csrf_token(editor, arrived):
    story = arrived("خبر بلا رمز")
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    assert client.post(publish_url(story)).status_code == 403
    assert reloaded(story).status == Article.Status.DRAFT

    # The token the page's own form carries is accepted.
    client.get(DESK)
    token = client.cookies["csrftoken"].value
    answer = client.post(publish_url(story), {"csrfmiddlewaretoken": token})
    assert answer.status_code == 303
    assert reloaded(story).status == Article.Status.PUBLISHED


def test_publish_answers_only_a_post(editor_client, arrived):
    story = arrived("خبر")
    assert editor_client.get(publish_url(story)).status_code == 405
    assert reloaded(story).status == Article.Status.DRAFT


def test_publishing_a_story_that_is_gone_is_not_found(editor_client, db):
    for pk in (999999, 2**70):
        gone = reverse("admin:articles_article_wire_desk_publish", args=[pk])
        assert editor_client.post(gone).status_code == 404


# Who reaches it ------------------------------------------------------------


@pytest.mark.parametrize("url", [DESK, ROWS])
def test_anonymous_visitors_are_sent_to_sign_in(client, db, url):
    answer = client.get(url)
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("admin:login"))


def test_anonymous_publish_is_sent_to_sign_in(client, arrived):
    story = arrived("خبر")
    answer = client.post(publish_url(story))
    assert answer.status_code == 302
    assert reloaded(story).status == Article.Status.DRAFT


def test_staff_who_may_not_see_stories_are_refused(client, db):
    user = User.objects.create_user("visitor", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(DESK).status_code == 403
    assert client.get(ROWS).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(User.objects.get(pk=user.pk))
    assert client.get(DESK).status_code == 200


def test_the_article_list_and_the_dashboard_link_to_the_desk(editor_client, db):
    assert DESK in editor_client.get(changelist_url()).content.decode()
    assert DESK in editor_client.get(reverse("admin:index")).content.decode()


# Bounded work ------------------------------------------------------------------


def test_the_list_is_one_query_whatever_its_length(
    editor, arrived, feed, django_assert_num_queries
):
    for number in range(30):
        arrived(f"خبر {number}", ingest=feed if number % 2 else None, source=f"وكالة {number % 4}")
    filters = wire_desk.Filters(hours=6)
    assert permissions.can_publish(editor)  # the user's permissions, read once and kept

    with django_assert_num_queries(1):
        rows, more = wire_desk.desk_rows(filters, editor, {"draft": "مسودة"})
        cells = [(r.article.source.name, r.record.ingest_source, r.state) for r in rows]

    assert len(cells) == 30 and not more


@pytest.mark.parametrize("stories", [2, 40])
def test_the_page_costs_the_same_few_queries_for_any_number_of_stories(
    editor_client, arrived, feed, stories, django_assert_max_num_queries
):
    for number in range(stories):
        arrived(f"خبر {number}", ingest=feed if number % 2 else None, source=f"وكالة {number % 5}")

    with django_assert_max_num_queries(12):
        assert editor_client.get(DESK).status_code == 200
    with django_assert_max_num_queries(10):
        assert editor_client.get(ROWS).status_code == 200
