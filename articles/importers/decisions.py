"""What becomes of an incoming story, against what is stored. No queries of its own.

Exactly once: a story is known by its sender's id (NewsML-G2 guid, NITF
doc-id, ninjs uri, our export's guid) or, for plain text, by ``derived_guid``.
``Article.content_hash`` is the hash of the story's text as last imported:

* the same text again is *unchanged*, and nothing is written (but
  ``publish`` releases a stored draft);
* new text updates the story in place (the sender's version, or one more),
  and the update's import-log row keeps the text it replaced;
* new text for a story whose current text no longer hashes to content_hash
  (an editor has changed it since) is a *conflict*: the story is left alone,
  unless ``overwrite``;
* an update keeps the story's slug and publication time (links and schedules
  made in the newsroom survive), except that an embargo can only move it later;
* a cancellation (NewsML-G2 stat:canceled, ninjs canceled) withdraws the story;
* versions win by number whatever order the copies arrive in
  (``WireVersion``, articles/importers/versions.py): a cancellation of a
  story not yet seen is remembered, the story arriving after it at or below
  its version is created withdrawn, and a copy older than a version already
  known is ignored even when the story was deleted since.

Who may do what: ``articles.transitions.refusal`` (``articles.permissions``),
asked about the importing user exactly as the change form asks it. A user who
may not publish gets drafts only, and every change to a story they may not
change (a published, scheduled or withdrawn one, or any withdrawal) is
*refused*.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from collections.abc import Iterable

from django.utils import timezone

from articles import transitions
from articles.importers.base import NO_DATE_WARNING, ParsedStory
from articles.importers.outcomes import Action
from articles.models import Article, WireVersion

# Said after transitions.refusal's reason when an import is refused a change.
REFUSAL_ADVICE = "لم يُغيَّر شيء، واطلب من محرر استيراد الملف إن كان التغيير مقصوداً"
CONFLICT_NOTE = (
    "عدّل محرر هذا الخبر بعد استيراده، فلم تُستبدل تعديلاته بالنسخة الواردة؛ "
    "راجع الفرق، أو أعد الاستيراد مع خيار «استبدل تعديلات المحررين» "
    "(--overwrite في سطر الأوامر)"
)


@dataclasses.dataclass
class Plan:
    """What to do with one story, and what the import reports of it."""

    kind: str  # create, update, withdraw, publish, or skip (nothing to write)
    action: str  # the outcome: one of Action
    message: str
    version: int | None
    text_hash: str = ""
    status: str = ""
    article: Article | None = None
    published_at: datetime.datetime | None = None
    # The text an update replaces, for the import log; never shown in the outcome.
    previous: str = ""


class Decider:
    """Decides, for one import's options and user, what becomes of each story."""

    def __init__(self, options, may_publish: bool):
        # articles.importers.loader.ImportOptions: what the import was asked to do.
        self.options = options
        self.may_publish = may_publish

    def decide(
        self,
        story: ParsedStory,
        article: Article | None,
        new_hash: str,
        paragraphs: list[str],
        known: WireVersion | None = None,
    ) -> Plan:
        """What to do with ``story``, given the stored ``article`` and its current paragraphs.

        ``new_hash`` is ``story_hash(story)``; ``paragraphs`` are the article's
        current paragraphs, needed only when its text differs from the copy;
        ``known`` is what the wire has said of the story's versions before.
        """
        options = self.options
        if story.is_canceled:
            return self._decide_cancel(story, article)
        notes = list(story.warnings)
        if article is None:
            if refused := transitions.refusal(options.user, None, transitions.UPDATE):
                return Plan("skip", Action.REFUSED, _refusal(refused), story.version)
            if plan := self._decide_after_known(story, known, new_hash, notes):
                return plan
            if story.published_at is None and NO_DATE_WARNING not in notes:
                notes.append(NO_DATE_WARNING)
            status = self._status_for_new(story, notes)
            if story.embargoed_until and story.embargoed_until > (
                story.published_at or timezone.now()
            ):
                notes.extend(_embargo_notes(story.embargoed_until))
            return Plan("create", Action.CREATED, join(notes), story.version or 1, new_hash, status)
        if story.version and story.version < article.version:
            return Plan(
                "skip",
                Action.UNCHANGED,
                f"نسخة أقدم ({story.version}) من المحفوظة ({article.version}): أُهملت",
                article.version,
            )
        if new_hash == article.content_hash:
            # The copy as last imported: whatever an editor did since stays.
            return self._decide_unchanged(story, article)
        current = text_hash(article.headline, article.dateline, article.image_caption, paragraphs)
        # A story saved before content_hash existed counts as unedited.
        edited = bool(article.content_hash) and current != article.content_hash
        if new_hash == current:
            return self._decide_unchanged(story, article)
        if refused := transitions.refusal(options.user, article, transitions.UPDATE):
            return Plan("skip", Action.REFUSED, _refusal(refused), article.version)
        if edited and not options.overwrite:
            return Plan("skip", Action.CONFLICT, CONFLICT_NOTE, article.version)
        version = story.version if story.version and story.version > article.version else None
        version = version or article.version + 1
        notes.insert(0, f"حُدِّث من النسخة {article.version} إلى النسخة {version}")
        if edited:
            notes.append("استُبدلت تعديلات المحرر بطلب المستورد")
        status = self._status_for_update(story, article)
        published_at = article.published_at
        if story.embargoed_until and story.embargoed_until > published_at:
            published_at = story.embargoed_until
            notes.extend(_embargo_notes(story.embargoed_until))
        return Plan(
            "update",
            Action.UPDATED,
            join(notes),
            version,
            new_hash,
            status,
            article,
            published_at,
            previous=_render_previous(article, paragraphs),
        )

    def _decide_unchanged(self, story: ParsedStory, article: Article) -> Plan:
        """The text is the stored one: release a draft if asked to, else nothing to do."""
        wanted = self._status_for_update(story, article)
        if article.status == Article.Status.DRAFT and wanted == Article.Status.PUBLISHED:
            return Plan("publish", Action.PUBLISHED, "", article.version, article=article)
        return Plan("skip", Action.UNCHANGED, "", article.version)

    def _decide_after_known(
        self, story: ParsedStory, known: WireVersion | None, new_hash: str, notes: list[str]
    ) -> Plan | None:
        """A story not stored, whose guid the wire has sent before: None if nothing stops it."""
        if known is None or not story.version:
            return None
        if known.is_canceled and story.version <= known.version:
            # Created withdrawn rather than refused: readers never see it, but
            # the newsroom finds the story and why it is down, the log links
            # to it, and a copy sent again is known by its guid like any other.
            notes.insert(0, f"أُنشئ مسحوباً: ألغاه مرسله بالنسخة {known.version} قبل وصوله")
            status = Article.Status.WITHDRAWN
            return Plan("create", Action.CREATED, join(notes), known.version, new_hash, status)
        if story.version < known.version:
            message = (
                f"نسخة أقدم ({story.version}) من نسخة معروفة من قبل ({known.version}): "
                "أُهملت، ولو حُذف الخبر"
            )
            return Plan("skip", Action.UNCHANGED, message, known.version)
        return None

    def _decide_cancel(self, story: ParsedStory, article: Article | None) -> Plan:
        if article is None:
            message = (
                "إلغاء لخبر لم يصل بعد: حُفظ الإلغاء، فإن وصل الخبر بنسخة لا تزيد على "
                f"النسخة {story.version or 1} أُنشئ مسحوباً لا يراه القراء"
            )
            return Plan("skip", Action.UNCHANGED, message, story.version or 1)
        if article.status == Article.Status.WITHDRAWN:
            return Plan("skip", Action.UNCHANGED, "الخبر مسحوب من قبل", article.version)
        if transitions.refusal(self.options.user, article, transitions.WITHDRAW):
            message = "المرسل ألغى هذا الخبر، وسحبه يحتاج صلاحية النشر؛ اطلب من محرر استيراد الملف"
            return Plan("skip", Action.REFUSED, message, article.version)
        version = max(story.version or 0, article.version + 1)
        message = "سُحب الخبر لأن مرسله ألغاه"
        return Plan("withdraw", Action.UPDATED, message, version, article=article)

    def _status_for_new(self, story: ParsedStory, notes: list[str]) -> str:
        if story.status:
            status = story.status
        else:
            status = Article.Status.PUBLISHED if self.options.publish else Article.Status.DRAFT
        if status != Article.Status.DRAFT and not self.may_publish:
            notes.append("حُفظ مسودة: لا تملك صلاحية النشر")
            status = Article.Status.DRAFT
        return status

    def _status_for_update(self, story: ParsedStory, article: Article) -> str:
        if not self.may_publish:
            return article.status
        if story.status:
            return story.status
        if self.options.publish and article.status == Article.Status.DRAFT:
            return Article.Status.PUBLISHED
        return article.status


def text_hash(headline: str, dateline: str, caption: str, paragraphs: Iterable[str]) -> str:
    """SHA-256 of a story's text, blind to whitespace an admin form may add or trim."""
    fields = [headline, dateline, caption, *paragraphs]
    canonical = json.dumps([" ".join(field.split()) for field in fields], ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def story_hash(story: ParsedStory) -> str:
    return text_hash(story.headline, story.dateline, story.caption, story.paragraphs)


def _render_previous(article: Article, paragraphs: list[str]) -> str:
    """The text an update replaces, as the log keeps it."""
    lines = [f"النص السابق (النسخة {article.version}):", article.headline]
    if article.dateline:
        lines.append(f"المكان: {article.dateline}")
    if article.image_caption:
        lines.append(f"تعليق الصورة: {article.image_caption}")
    return "\n".join(lines) + "\n\n" + "\n\n".join(paragraphs)


def _embargo_notes(moment: datetime.datetime) -> list[str]:
    """What the log says of an embargo: nothing once it has lifted."""
    if moment <= timezone.now():
        return []
    local = timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    return [f"محظور النشر حتى {local}: لن يراه القراء قبل ذلك"]


def _refusal(reason: str) -> str:
    return f"{reason.rstrip('.')}؛ {REFUSAL_ADVICE}"


def join(parts: Iterable[str], separator: str = "؛ ") -> str:
    return separator.join(part for part in parts if part)
