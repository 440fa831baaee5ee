"""The only importer code that touches the database.

``import_file`` turns the bytes of one file into stories: it picks the
parser, then saves each story in a transaction of its own, so a failure in
the middle of a story leaves no partial rows and one bad story or file never
stops the others. The management command and the admin upload both call it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator

from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.arabic import normalize
from articles.importers import text
from articles.importers.base import ParsedStory, StoryParseError
from articles.models import Article, Paragraph, Source, unicode_slug

# Used when the copy credits nobody; an editor can correct it in the admin.
UNKNOWN_SOURCE = "مصدر غير محدد"


class Action:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    FAILED = "failed"


@dataclasses.dataclass
class Outcome:
    """What happened to one story (or to a whole file that could not be read)."""

    action: str
    file: str
    message: str = ""
    line: int | None = None
    headline: str = ""
    article_id: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        detail = self.message or self.headline
        return f"{where}: {self.action}: {detail}" if detail else f"{where}: {self.action}"


def import_file(
    name: str, data: bytes, *, publish: bool = False, dry_run: bool = False
) -> Iterator[Outcome]:
    """Import every story in one file; yield one outcome per story."""
    try:
        for item in text.parse(data, tz=timezone.get_current_timezone()):
            if isinstance(item, StoryParseError):
                yield Outcome(Action.FAILED, name, item.message, line=item.line)
                continue
            yield _import_story(name, item, publish=publish, dry_run=dry_run)
    except StoryParseError as error:
        yield Outcome(Action.FAILED, name, error.message, line=error.line)


def _import_story(name: str, story: ParsedStory, *, publish: bool, dry_run: bool) -> Outcome:
    guid = story.guid or derived_guid(story)
    if dry_run:
        exists = Article.objects.filter(guid=guid).exists()
        action = Action.UNCHANGED if exists else Action.CREATED
        return Outcome(action, name, line=story.line, headline=story.headline)
    try:
        with transaction.atomic():
            article, action = save_story(story, guid, publish=publish)
    except IntegrityError as error:
        return Outcome(Action.FAILED, name, f"تعذّر الحفظ: {error}", line=story.line)
    message = "؛ ".join(story.warnings)
    return Outcome(
        action, name, message, line=story.line, headline=story.headline, article_id=article.pk
    )


def derived_guid(story: ParsedStory) -> str:
    """A stable key for copy that carries no id: source, day and headline."""
    day = story.published_at.date().isoformat() if story.published_at else ""
    key = "|".join([normalize(story.source), day, normalize(story.headline)])
    return "text:" + hashlib.sha256(key.encode()).hexdigest()[:32]


def save_story(story: ParsedStory, guid: str, *, publish: bool) -> tuple[Article, str]:
    """Create or refresh one article from ``story``; the caller holds a transaction."""
    existing = Article.objects.select_for_update().filter(guid=guid).first()
    if existing is not None:
        return existing, Action.UNCHANGED

    source, _ = Source.objects.get_or_create(name=story.source or UNKNOWN_SOURCE)
    article = Article.objects.create(
        guid=guid,
        headline=story.headline,
        slug=_unique_slug(story.slug or unicode_slug(story.headline) or "خبر"),
        source=source,
        publisher=story.publisher,
        dateline=story.dateline,
        published_at=story.published_at or timezone.now(),
        status=Article.Status.PUBLISHED if publish else Article.Status.DRAFT,
        image_caption=story.caption,
        version=story.version or 1,
    )
    Paragraph.objects.bulk_create(
        Paragraph(article=article, position=position, text=paragraph)
        for position, paragraph in enumerate(story.paragraphs, 1)
    )
    return article, Action.CREATED


def _unique_slug(base: str) -> str:
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, counter = base, 2
    while slug in taken:
        suffix = f"-{counter}"
        slug = base[: 120 - len(suffix)] + suffix
        counter += 1
    return slug
