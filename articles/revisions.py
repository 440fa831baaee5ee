"""Story revisions (django-reversion): registration and what changed between two.

Every save through the admin stores the story with its paragraphs as one
revision, and so does every change an import makes (``record_revisions``).
``changes_since`` tells an editor, before restoring an old revision, what
restoring it would change in the text.
"""

import difflib
from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import router
from django.utils import timezone
from reversion.models import Revision, Version
from reversion.revisions import _get_options

from articles.models import Article, Paragraph

# The story's text and photo details; workflow fields (status, time) are not
# restored with the text: an editor changes those on purpose, in the form.
TEXT_FIELDS = ["headline", "publisher", "dateline", "image", "image_caption", "image_alt"]

FIRST_REVISION_COMMENT = "النص كما كان قبل أول تعديل في غرفة الأخبار."

reversion.register(Paragraph)
# released_at records when the story went out; restoring a text must not move it.
reversion.register(Article, follow=["paragraphs"], exclude=["search_vector", "released_at"])


@dataclass(frozen=True)
class Change:
    label: str  # what changed, in Arabic
    old: str  # in the revision
    new: str  # now


def ensure_first_revision(article: Article) -> None:
    """Keep the story as it is now as a revision, if it has none yet.

    Stories arrive from the importer, outside the admin; without this their
    text as it came off the wire could not be restored after an edit.
    """
    if Version.objects.get_for_object(article).exists():
        return
    with reversion.create_revision():
        reversion.add_to_revision(article)
        reversion.set_comment(FIRST_REVISION_COMMENT)


def record_revisions(changes: list[tuple[Article, str]], user=None) -> None:
    """Keep each article as it is now, with its paragraphs, as a revision of its own.

    For changes made outside the admin's views (an import), which reversion
    does not record by itself; ``changes`` pairs each article with what its
    history should say, ``user`` None is the operator's command line. Each
    story gets its own revision, so restoring one never touches another.

    What ``reversion.create_revision`` and ``add_to_revision`` store, written
    for a whole batch with two bulk inserts: one revision at a time cost about
    ten queries per story, ten times the rest of an update (a test checks that
    the rows are the ones reversion writes).
    """
    if not changes:
        return
    now = timezone.now()
    revisions = Revision.objects.bulk_create(
        [Revision(date_created=now, user=user, comment=comment) for _, comment in changes]
    )
    ids = [article.pk for article, _ in changes]
    paragraphs: dict[int, list[Paragraph]] = {pk: [] for pk in ids}
    stored = Paragraph.objects.filter(article_id__in=ids).order_by("article_id", "position")
    for paragraph in stored:
        paragraphs[paragraph.article_id].append(paragraph)
    versions = []
    for (article, _), revision in zip(changes, revisions, strict=True):
        versions.append(_version(revision, article))
        versions.extend(_version(revision, paragraph) for paragraph in paragraphs[article.pk])
    Version.objects.bulk_create(versions)


def keep_first_revisions(article_ids: list[int]) -> None:
    """``ensure_first_revision`` for many stories at once, before a change to them is saved.

    The stories are read as stored, whatever their objects in memory hold already.
    """
    kept = set(
        Version.objects.get_for_model(Article)
        .filter(object_id__in=[str(pk) for pk in article_ids])
        .values_list("object_id", flat=True)
    )
    unkept = [pk for pk in article_ids if str(pk) not in kept]
    stored = Article.objects.filter(pk__in=unkept).order_by("pk")
    record_revisions([(article, FIRST_REVISION_COMMENT) for article in stored])


def _version(revision: Revision, obj) -> Version:
    # reversion's registration of the model (fields, format), as add_to_revision reads it.
    options = _get_options(type(obj))
    return Version(
        revision=revision,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        db=router.db_for_write(type(obj), instance=obj),
        format=options.format,
        serialized_data=serializers.serialize(
            options.format,
            (obj,),
            fields=options.fields,
            use_natural_foreign_keys=options.use_natural_foreign_keys,
        ),
        object_repr=str(obj),
    )


def changes_since(version: Version, article: Article) -> list[Change]:
    """What restoring ``version`` would change in ``article``'s text, field by field."""
    old = version.field_dict
    changes = []
    for name in TEXT_FIELDS:
        field = Article._meta.get_field(name)
        before, after = str(old.get(name) or ""), str(getattr(article, name) or "")
        if before != after:
            changes.append(Change(str(field.verbose_name), before, after))
    old_paragraphs = _paragraphs_in(version)
    new_paragraphs = list(article.paragraphs.order_by("position").values_list("text", flat=True))
    if old_paragraphs != new_paragraphs and sorted(old_paragraphs) == sorted(new_paragraphs):
        changes.append(
            Change("ترتيب الفقرات", _numbered(old_paragraphs), _numbered(new_paragraphs))
        )
        return changes
    matcher = difflib.SequenceMatcher(a=old_paragraphs, b=new_paragraphs, autojunk=False)
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        before = "\n\n".join(old_paragraphs[a_start:a_end])
        after = "\n\n".join(new_paragraphs[b_start:b_end])
        if tag == "insert":
            label = "فقرات لم تكن في هذه النسخة"
        elif tag == "delete":
            label = "فقرات حُذفت منذ هذه النسخة"
        elif b_end - b_start == 1:
            label = f"الفقرة {b_start + 1}"
        else:
            label = f"الفقرات {b_start + 1}–{b_end}"
        changes.append(Change(label, before, after))
    return changes


def _numbered(paragraphs: list[str]) -> str:
    return "\n\n".join(f"{number}. {text}" for number, text in enumerate(paragraphs, 1))


def _paragraphs_in(version: Version) -> list[str]:
    content_type = ContentType.objects.get_for_model(Paragraph)
    versions = version.revision.version_set.filter(content_type=content_type)
    article_id = int(version.object_id)
    paragraphs = [v.field_dict for v in versions if v.field_dict.get("article_id") == article_id]
    return [p["text"] for p in sorted(paragraphs, key=lambda p: p["position"])]
