"""Never lose an edit: the story's version token, the check on save, and what changed meanwhile.

A story's ``updated_at`` is its version token. Every write path sets it: the
admin's save (a paragraph change saves the story row too), the bulk actions
(``transitions.save``) and the importer. The change form carries the value it
was loaded with (``token_of``, full microseconds); on save, inside the admin's
own transaction, ``check`` locks the row and compares. A story changed since
the form was loaded refuses the save, unless the editor posts the *current*
token on purpose (the conflict message's overwrite button): overwriting only
what they have been shown.

``EditConflictCheck`` is the form's side of it (the hidden field and the
refusal). ``describe`` tells the refused editor who changed the story, when, and what,
field by field and paragraph by paragraph, from django-reversion's stored
version of the story as they loaded it (every write path keeps one, see
``articles.revisions``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version

from articles.models import Article, ImportRecord, Source
from articles.revisions import Change, changes_since

# The change form's hidden field, and the overwrite button's name: the button
# posts the token the editor was shown in the conflict message.
VERSION_FIELD = "edit_token"
OVERWRITE_FIELD = "_overwrite"
CONFLICT_CODE = "edit_conflict"

CONFLICT_REFUSAL = "عدّل غيرك هذا الخبر بعد أن فتحته، فلم يُحفظ شيء من تعديلاتك."
IMPORT_NAME = "الاستيراد"

# How far back in a story's history its loaded version is looked for: a
# story edited more often than this while one form stayed open gets the
# plainer message (bounded work on every refused save).
VERSIONS_SEARCHED = 50

# The form's fields that revisions.changes_since leaves out (it compares the
# text a restore would bring back), in the form's order.
OTHER_FIELDS = ["slug", "section", "source", "byline", "status", "published_at"]


@dataclass(frozen=True)
class Conflict:
    """A refused save: the version the form was loaded with, and the one stored."""

    article_id: int
    loaded_at: datetime.datetime | None  # None: the form's token could not be read
    stored_at: datetime.datetime

    @property
    def current_token(self) -> str:
        """What the overwrite button posts."""
        return self.stored_at.isoformat()


@dataclass(frozen=True)
class ConflictReport:
    """What the refused editor is told."""

    who: str
    when: str
    changes: list[Change] = field(default_factory=list)
    # False when the version the form was loaded with is not in the history.
    knows_changes: bool = True


def token_of(article: Article) -> str:
    """The version token a change form for ``article`` carries."""
    return article.updated_at.isoformat()


def parse_token(text: str) -> datetime.datetime | None:
    """The moment a token names; None for anything else."""
    try:
        moment = datetime.datetime.fromisoformat(text.strip())
    except (AttributeError, ValueError):
        return None
    return moment if timezone.is_aware(moment) else None


def check(article_id: int, token: str | None, overwrite: str | None = None) -> Conflict | None:
    """Lock the story's row and say whether a save from a form carrying ``token`` must be refused.

    Call it inside the transaction that saves: the row stays locked until it
    commits, so no other save slips in between the check and the write.
    ``token`` None (a form posted by a script, without the field) is not
    checked. ``overwrite`` is the token the overwrite button posted: equal to
    the stored one, the save goes through on purpose.
    """
    with transaction.atomic():
        stored = (
            Article.objects.select_for_update()
            .filter(pk=article_id)
            .values_list("updated_at", flat=True)
            .first()
        )
    if stored is None or token is None:
        return None
    if overwrite and parse_token(overwrite) == stored:
        return None
    loaded = parse_token(token)
    if loaded == stored:
        return None
    return Conflict(article_id, loaded, stored)


def describe(conflict: Conflict) -> ConflictReport:
    """Who changed the story since the form was loaded, when, and what."""
    article = Article.objects.select_related("source").get(pk=conflict.article_id)
    when = date_format(timezone.localtime(conflict.stored_at), "DATETIME_FORMAT")
    who = _last_writer(article, conflict.loaded_at)
    loaded = _version_at(article, conflict.loaded_at)
    if loaded is None:
        return ConflictReport(who, when, knows_changes=False)
    changes = changes_since(loaded, article) + _other_changes(loaded.field_dict, article)
    return ConflictReport(who, when, changes)


class VersionTokenField(forms.CharField):
    """The change form's hidden version token."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        # Not part of the story: never named in the history's "changed" line.
        return False


class EditConflictCheck:
    """Form mixin: a change form that refuses to save over a story changed since it was loaded.

    For ``forms.ArticleAdminForm``. The token is read from the posted data
    itself: a form posted without it (by a script) is not checked.
    ``edit_conflict`` holds the refusal, for the admin's message
    (``admin_guard``).
    """

    edit_conflict: Conflict | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[VERSION_FIELD] = VersionTokenField(
                required=False, initial=token_of(self.instance)
            )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            self.edit_conflict = check(
                self.instance.pk,
                self.data.get(self.add_prefix(VERSION_FIELD)),
                self.data.get(OVERWRITE_FIELD),
            )
            if self.edit_conflict is not None:
                self.add_error(None, ValidationError(CONFLICT_REFUSAL, code=CONFLICT_CODE))
        return cleaned


def display_name(user) -> str:
    """How the newsroom names ``user``: their full name, else their user name."""
    return user.get_full_name() or user.get_username()


def _last_writer(article: Article, since: datetime.datetime | None) -> str:
    # reversion's newest revision of the story names whoever saved it (an
    # import without a user: the command line); the admin's log is asked when
    # a write kept no revision.
    version = Version.objects.get_for_object(article).select_related("revision__user").first()
    revision = version.revision if version is not None else None
    if revision is not None and (since is None or revision.date_created >= since):
        if revision.user is None or _imported_by(article, revision.user, since):
            return IMPORT_NAME
        return display_name(revision.user)
    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Article), object_id=str(article.pk)
        )
        .select_related("user")
        .order_by("-action_time")
        .first()
    )
    if entry is not None and (since is None or entry.action_time >= since):
        return display_name(entry.user)
    return IMPORT_NAME if _imported_by(article, None, since) else "محرر آخر"


def _imported_by(article: Article, user, since: datetime.datetime | None) -> bool:
    # An upload on the Import page records its user on the revision: the
    # import log says it was an import.
    records = ImportRecord.objects.filter(article=article).exclude(
        action__in=[
            ImportRecord.Action.UNCHANGED,
            ImportRecord.Action.CONFLICT,
            ImportRecord.Action.REFUSED,
            ImportRecord.Action.FAILED,
        ]
    )
    if since is not None:
        records = records.filter(created_at__gte=since)
    if user is not None:
        records = records.filter(imported_by=user)
    return records.exists()


def _version_at(article: Article, moment: datetime.datetime | None) -> Version | None:
    # Revisions are serialised as JSON, whose datetimes keep milliseconds.
    if moment is None:
        return None
    wanted = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    for version in Version.objects.get_for_object(article)[:VERSIONS_SEARCHED]:
        kept = version.field_dict.get("updated_at")
        if kept is not None and kept.replace(microsecond=kept.microsecond // 1000 * 1000) == wanted:
            return version
    return None


def _other_changes(old: dict, article: Article) -> list[Change]:
    changes = []
    for name in OTHER_FIELDS:
        model_field = Article._meta.get_field(name)
        before = _shown(name, old.get(model_field.attname))
        after = _shown(name, getattr(article, model_field.attname))
        # Compared as shown: a revision keeps times to the millisecond, the row to the microsecond.
        if before != after:
            changes.append(Change(str(model_field.verbose_name), before, after))
    return changes


def _shown(name: str, value) -> str:
    if value is None or value == "":
        return "—"
    if name == "status":
        return str(Article.Status(value).label)
    if name == "source":
        return str(Source.objects.filter(pk=value).values_list("name", flat=True).first() or "—")
    if name == "published_at":
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return str(value)
