"""The version token and the conflict check, and what a refused editor is told."""

import datetime

import pytest
from django.db import transaction

from articles import edit_conflicts, transitions
from articles.models import Article
from articles.revisions import ensure_first_revision
from articles.tests.admin_support import EDITORS, newsroom_user
from articles.tests.conftest import DATA
from articles.tests.import_support import import_file

pytestmark = pytest.mark.django_db


def _bump(article, **fields):
    """Change the stored story as a bulk action does: a revision, a new updated_at."""
    for name, value in fields.items():
        setattr(article, name, value)
    transitions.save([(article, "غُيّر")], list(fields), None)


def test_the_token_keeps_every_microsecond(make_article):
    article = make_article()
    article.updated_at = article.updated_at.replace(microsecond=123456)
    Article.objects.filter(pk=article.pk).update(updated_at=article.updated_at)
    token = edit_conflicts.token_of(article)
    assert edit_conflicts.parse_token(token) == article.updated_at
    assert ".123456" in token


@pytest.mark.parametrize("text", ["", "yesterday", "2026-12-04T10:00:00", None])
def test_a_token_that_names_no_moment_is_none(text):
    assert edit_conflicts.parse_token(text) is None


def test_no_conflict_when_the_story_is_as_loaded(make_article):
    article = make_article()
    assert edit_conflicts.check(article.pk, edit_conflicts.token_of(article)) is None


def test_a_change_since_loading_is_a_conflict(make_article):
    article = make_article()
    token = edit_conflicts.token_of(article)
    _bump(Article.objects.get(pk=article.pk), headline="عنوان آخر")
    conflict = edit_conflicts.check(article.pk, token)
    assert conflict is not None
    assert conflict.loaded_at == article.updated_at
    assert conflict.stored_at == Article.objects.get(pk=article.pk).updated_at


def test_a_changed_microsecond_is_a_conflict(make_article):
    article = make_article()
    token = edit_conflicts.token_of(article)
    later = article.updated_at + datetime.timedelta(microseconds=1)
    Article.objects.filter(pk=article.pk).update(updated_at=later)
    assert edit_conflicts.check(article.pk, token) is not None


def test_posting_the_current_token_overwrites_on_purpose(make_article):
    article = make_article()
    token = edit_conflicts.token_of(article)
    _bump(Article.objects.get(pk=article.pk), headline="عنوان آخر")
    current = edit_conflicts.check(article.pk, token).current_token
    assert edit_conflicts.check(article.pk, token, overwrite=current) is None


def test_an_overwrite_shown_before_yet_another_change_is_refused(make_article):
    article = make_article()
    token = edit_conflicts.token_of(article)
    _bump(Article.objects.get(pk=article.pk), headline="عنوان آخر")
    shown = edit_conflicts.check(article.pk, token).current_token
    _bump(Article.objects.get(pk=article.pk), headline="عنوان ثالث")
    assert edit_conflicts.check(article.pk, token, overwrite=shown) is not None


def test_a_form_without_a_token_is_not_checked(make_article):
    article = make_article()
    _bump(Article.objects.get(pk=article.pk), headline="عنوان آخر")
    assert edit_conflicts.check(article.pk, None) is None


def test_an_unreadable_token_is_a_conflict(make_article):
    article = make_article()
    conflict = edit_conflicts.check(article.pk, "garbage")
    assert conflict is not None and conflict.loaded_at is None
    report = edit_conflicts.describe(conflict)
    assert not report.knows_changes


def test_the_check_locks_the_row_until_the_save_commits(make_article, django_assert_num_queries):
    article = make_article()
    with transaction.atomic(), django_assert_num_queries(3) as captured:
        edit_conflicts.check(article.pk, edit_conflicts.token_of(article))
    assert any("FOR UPDATE" in query["sql"] for query in captured.captured_queries)


def test_describe_names_the_editor_and_lists_each_change(make_article):
    amal = newsroom_user("amal", EDITORS)
    amal.first_name = "أمل"
    amal.save()
    article = make_article(paragraphs=("الفقرة الأولى.", "الفقرة الثانية."))
    ensure_first_revision(article)
    token = edit_conflicts.token_of(article)
    stored = Article.objects.get(pk=article.pk)
    stored.headline = "عنوان أمل"
    stored.byline = "أمل"
    stored.paragraphs.filter(position=2).update(text="الفقرة الثانية كما كتبتها أمل.")
    transitions.save([(stored, "غُيّر")], ["headline", "byline"], amal)

    report = edit_conflicts.describe(edit_conflicts.check(article.pk, token))
    assert report.who == "أمل"
    changes = {change.label: (change.old, change.new) for change in report.changes}
    assert changes["العنوان"] == (article.headline, "عنوان أمل")
    assert changes["الفقرة 2"] == ("الفقرة الثانية.", "الفقرة الثانية كما كتبتها أمل.")
    assert changes["الكاتب"][1] == "أمل"
    assert report.knows_changes


def test_describe_names_an_import_as_the_import(editor):
    amman_v1, amman_v2 = (
        (DATA / "newsml" / name).read_bytes()
        for name in ("amman_water_xhtml.xml", "amman_water_v2.xml")
    )
    list(import_file("amman.xml", amman_v1))
    article = Article.objects.get()
    token = edit_conflicts.token_of(article)
    list(import_file("amman.xml", amman_v2, user=editor))

    report = edit_conflicts.describe(edit_conflicts.check(article.pk, token))
    assert report.who == edit_conflicts.IMPORT_NAME
    assert "العنوان" in [change.label for change in report.changes]
