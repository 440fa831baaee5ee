"""Never lose an edit, through the admin: the conflict on save, and the edit lock's URLs."""

import threading

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from reversion.models import Revision, Version

from articles import edit_conflicts, edit_locks
from articles.models import Article
from articles.tests.admin_support import (
    CONTRIBUTORS,
    EDITORS,
    change_url,
    form_data,
    paragraph_texts,
    reloaded,
)
from articles.tests.conftest import DATA
from articles.tests.import_support import import_file

pytestmark = pytest.mark.django_db


def _signed_in(username, group=EDITORS, first_name=""):
    from articles.tests.admin_support import newsroom_user

    user = newsroom_user(username, group)
    user.first_name = first_name
    user.save()
    client = Client()
    client.force_login(user)
    return client, user


@pytest.fixture
def amal():
    return _signed_in("amal", first_name="أمل")


@pytest.fixture
def badr():
    return _signed_in("badr", first_name="بدر")


def _written(article):
    """Everything a save writes, to check a refused one wrote nothing."""
    article = reloaded(article)
    return (
        article.headline,
        article.updated_at,
        paragraph_texts(article),
        Revision.objects.count(),
        Version.objects.count(),
        LogEntry.objects.count(),
    )


def _amal_saves_a_headline_after_badr_opened(amal, badr, article):
    client_a, client_b = amal[0], badr[0]
    form_a = form_data(client_a.get(change_url(article)))
    form_b = form_data(client_b.get(change_url(article)))
    form_a["headline"] = "عنوان جديد كتبته أمل"
    assert client_a.post(change_url(article), form_a).status_code == 302
    form_b["paragraphs-1-text"] = "فقرة ثانية عدّلها بدر."
    return form_b


# The conflict -----------------------------------------------------------------


def test_the_change_form_carries_the_story_version(editor_client, make_article):
    article = make_article()
    data = form_data(editor_client.get(change_url(article)))
    assert data[edit_conflicts.VERSION_FIELD] == edit_conflicts.token_of(article)


def test_a_save_from_a_form_opened_before_another_save_is_refused(amal, badr, make_article):
    article = make_article()
    loaded_headline = article.headline
    form_b = _amal_saves_a_headline_after_badr_opened(amal, badr, article)
    before = _written(article)

    response = badr[0].post(change_url(article), form_b)

    assert response.status_code == 200
    assert _written(article) == before
    assert reloaded(article).headline == "عنوان جديد كتبته أمل"
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "عدّله غيرك بعد أن فتحته" in html
    assert "أمل" in response.context["edit_guard"]["conflict"].who
    changes = response.context["edit_guard"]["conflict"].changes
    assert [(c.label, c.old, c.new) for c in changes] == [
        ("العنوان", loaded_headline, "عنوان جديد كتبته أمل")
    ]
    assert "عنوان جديد كتبته أمل" in html
    # Bader's own edit is still in the form, and both ways on are offered.
    assert "فقرة ثانية عدّلها بدر." in html
    assert "أعد تحميل الخبر" in html and "احفظ نسختي فوق تعديلاته" in html
    assert f'href="{change_url(article)}"' in html
    # The box says it; Django's "correct the errors below" would only mislead.
    assert "errornote" not in html


@pytest.mark.django_db(transaction=True)
def test_a_save_waits_for_one_in_flight_then_is_refused(badr, make_article):
    article = make_article()
    form_b = form_data(badr[0].get(change_url(article)))
    form_b["paragraphs-1-text"] = "فقرة ثانية عدّلها بدر."
    answers = []

    def save():
        try:
            answers.append(badr[0].post(change_url(article), form_b))
        finally:
            connection.close()

    with transaction.atomic():
        # Another save holds the row, its change not committed yet.
        stored = Article.objects.select_for_update().get(pk=article.pk)
        saving = threading.Thread(target=save)
        saving.start()
        saving.join(timeout=1)
        assert saving.is_alive(), "the save did not wait for the row"
        stored.headline = "عنوان حُفظ أولًا"
        stored.save()
    saving.join(timeout=30)

    assert answers[0].status_code == 200
    assert answers[0].context["edit_guard"]["conflict"] is not None
    assert reloaded(article).headline == "عنوان حُفظ أولًا"
    assert paragraph_texts(article)[1] == "وتنتج المحطة مياه الشرب لآلاف الأسر."


def test_the_refused_form_keeps_its_edits_marked_unsaved(amal, badr, make_article):
    article = make_article()
    form_b = _amal_saves_a_headline_after_badr_opened(amal, badr, article)
    html = badr[0].post(change_url(article), form_b).content.decode()
    # admin-story-guard.js asks before leaving it, except by the reload link.
    assert "data-unsaved" in html
    assert "data-discard-edits" in html


def test_another_error_in_the_refused_form_is_still_shown(amal, badr, make_article):
    article = make_article()
    form_b = _amal_saves_a_headline_after_badr_opened(amal, badr, article)
    response = badr[0].post(change_url(article), form_b | {"headline": ""})
    html = response.content.decode()
    assert response.context["edit_guard"]["conflict"] is not None
    assert "errornote" in html
    assert response.context["adminform"].form.has_error("headline")


def test_saving_again_without_choosing_is_refused_again(amal, badr, make_article):
    article = make_article()
    form_b = _amal_saves_a_headline_after_badr_opened(amal, badr, article)
    again = form_data(badr[0].post(change_url(article), form_b))
    before = _written(article)
    response = badr[0].post(change_url(article), again)
    assert response.status_code == 200
    assert response.context["edit_guard"]["conflict"] is not None
    assert _written(article) == before


def test_the_explicit_overwrite_goes_through(amal, badr, make_article):
    article = make_article()
    form_b = _amal_saves_a_headline_after_badr_opened(amal, badr, article)
    refused = badr[0].post(change_url(article), form_b)
    again = form_data(refused) | {
        edit_conflicts.OVERWRITE_FIELD: refused.context["edit_guard"]["conflict_token"]
    }

    assert badr[0].post(change_url(article), again).status_code == 302
    article = reloaded(article)
    assert paragraph_texts(article)[1] == "فقرة ثانية عدّلها بدر."
    # His version, whole: the headline he had.
    assert article.headline == "وزير الري يفتتح محطة جديدة لتحلية المياه"


def test_every_workflow_button_is_checked(amal, badr, make_article):
    article = make_article(status=Article.Status.DRAFT)
    form_b = _amal_saves_a_headline_after_badr_opened(amal, badr, article)
    before = _written(article)
    response = badr[0].post(change_url(article), form_b | {"_publish": "نشر الآن"})
    assert response.status_code == 200
    assert _written(article) == before
    assert reloaded(article).status == Article.Status.DRAFT


def test_an_import_between_loading_and_saving_counts(editor_client, make_article):
    list(import_file("amman.xml", (DATA / "newsml" / "amman_water_xhtml.xml").read_bytes()))
    article = Article.objects.get()
    form = form_data(editor_client.get(change_url(article)))
    list(import_file("amman.xml", (DATA / "newsml" / "amman_water_v2.xml").read_bytes()))
    before = _written(article)

    form["paragraphs-0-text"] = "فقرة عدّلها المحرر."
    response = editor_client.post(change_url(article), form)

    assert response.status_code == 200
    assert _written(article) == before
    assert response.context["edit_guard"]["conflict"].who == "الاستيراد"
    assert "الاستيراد" in response.content.decode()


def test_no_conflict_when_nothing_changed_in_between(editor_client, make_article):
    article = make_article()
    form = form_data(editor_client.get(change_url(article)))
    form["headline"] = "عنوان معدّل"
    assert editor_client.post(change_url(article), form).status_code == 302
    assert reloaded(article).headline == "عنوان معدّل"


def test_the_add_form_has_no_version(editor_client):
    response = editor_client.get(reverse("admin:articles_article_add"))
    assert edit_conflicts.VERSION_FIELD not in form_data(response)
    assert "edit-conflict" not in response.content.decode()


# The lock on the change form ---------------------------------------------------------


def test_opening_a_story_takes_its_lock(amal, make_article):
    article = make_article()
    amal[0].get(change_url(article))
    assert edit_locks.holder(article.pk).user_id == amal[1].pk


def test_the_next_editor_sees_who_is_editing(amal, badr, make_article):
    article = make_article()
    amal[0].get(change_url(article))
    html = badr[0].get(change_url(article)).content.decode()
    assert "يحرّر <bdi data-lock-name>أمل</bdi> هذا الخبر الآن" in html
    assert "منذ لحظات" in html
    assert "قد تتعارض تعديلاتكما" in html


def test_an_editor_alone_sees_no_notice(amal, make_article):
    article = make_article()
    html = amal[0].get(change_url(article)).content.decode()
    assert "data-edit-lock-notice hidden" in html


def test_saving_lets_the_lock_go(amal, make_article, django_capture_on_commit_callbacks):
    article = make_article()
    form = form_data(amal[0].get(change_url(article)))
    with django_capture_on_commit_callbacks(execute=True):
        assert amal[0].post(change_url(article), form).status_code == 302
    assert edit_locks.holder(article.pk) is None


def test_a_reader_of_a_story_they_cannot_change_takes_no_lock(make_article):
    client, _ = _signed_in("musahim", CONTRIBUTORS)
    article = make_article(status=Article.Status.PUBLISHED)
    assert client.get(change_url(article)).status_code == 200
    assert edit_locks.holder(article.pk) is None


# The lock's URLs ----------------------------------------------------------------------


def _lock_url(article, view="lock"):
    return reverse(f"admin:articles_article_{view}", args=[article.pk])


def test_the_heartbeat_refreshes_and_names_another_editor(amal, badr, make_article):
    article = make_article()
    assert amal[0].post(_lock_url(article)).json() == {"holder": None}
    answer = badr[0].post(_lock_url(article)).json()
    assert answer["holder"]["name"] == "أمل"
    assert answer["holder"]["since"] == "منذ لحظات"


def test_unlock_lets_the_next_editor_in(amal, badr, make_article):
    article = make_article()
    amal[0].post(_lock_url(article))
    assert amal[0].post(_lock_url(article, "unlock")).json() == {"released": True}
    assert badr[0].post(_lock_url(article)).json() == {"holder": None}


@pytest.mark.parametrize("view", ["lock", "unlock"])
def test_the_lock_urls_answer_post_only(amal, make_article, view):
    article = make_article()
    assert amal[0].get(_lock_url(article, view)).status_code == 405


@pytest.mark.parametrize("view", ["lock", "unlock"])
def test_the_lock_urls_check_csrf(make_article, view):
    _, user = _signed_in("amal")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    article = make_article()
    assert client.post(_lock_url(article, view)).status_code == 403
    assert edit_locks.holder(article.pk) is None


def test_the_lock_urls_need_change_permission(make_article):
    client, _ = _signed_in("musahim", CONTRIBUTORS)
    published = make_article(status=Article.Status.PUBLISHED)
    draft = make_article(status=Article.Status.DRAFT)
    assert client.post(_lock_url(published)).status_code == 403
    assert edit_locks.holder(published.pk) is None
    assert client.post(_lock_url(draft)).status_code == 200


def test_the_lock_urls_are_for_staff_only(client, make_article):
    article = make_article()
    response = client.post(_lock_url(article))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert edit_locks.holder(article.pk) is None


def test_the_lock_of_a_missing_story_is_not_found(amal):
    assert amal[0].post(reverse("admin:articles_article_lock", args=[987654])).status_code == 404
