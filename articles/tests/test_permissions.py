"""articles.permissions: the one answer to who may do what to a story."""

import pytest

from articles import permissions
from articles.models import Article

pytestmark = pytest.mark.django_db

STATES = [Article.Status.DRAFT, Article.Status.PUBLISHED, Article.Status.WITHDRAWN]


def story(status):
    return Article(guid="test:permissions", headline="خبر", status=status)


def test_the_command_line_acts_as_an_editor():
    assert permissions.can_publish(None)
    assert permissions.may_create(None)
    assert all(permissions.may_change(None, story(status)) for status in STATES)


def test_an_editor_may_publish_and_change_any_story(editor):
    assert permissions.can_publish(editor)
    assert all(permissions.may_change(editor, story(status)) for status in STATES)


def test_a_contributor_may_not_publish(contributor):
    assert not permissions.can_publish(contributor)
    assert permissions.may_create(contributor)


@pytest.mark.parametrize(("status", "allowed"), [(s, s == Article.Status.DRAFT) for s in STATES])
def test_a_contributor_changes_drafts_only(contributor, status, allowed):
    assert permissions.may_change(contributor, story(status)) is allowed
    assert permissions.is_editable_by(contributor, story(status)) is allowed


def test_a_new_story_is_editable_by_anyone_who_may_add_one(contributor):
    assert permissions.is_editable_by(contributor, None)


def test_staff_without_the_model_permissions_may_neither_add_nor_change(django_user_model):
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    assert not permissions.may_create(staff)
    assert not permissions.may_change(staff, story(Article.Status.DRAFT))


def test_staff_who_may_view_stories_may_preview(contributor, django_user_model):
    assert permissions.may_preview(contributor)
    reader = django_user_model.objects.create_user("reader")
    assert not permissions.may_preview(reader)
    inactive = django_user_model.objects.create_user("gone", is_staff=True, is_active=False)
    assert not permissions.may_preview(inactive)


def test_only_editors_read_the_import_log(editor, contributor):
    assert permissions.may_read_import_log(editor)
    assert not permissions.may_read_import_log(contributor)
