"""Story revisions (django-reversion): registration and what changed between two.

Every save through the admin stores the story with its paragraphs as one
revision, and so does every change an import makes (``record_revisions``).
``changes_since`` tells an editor, before restoring an old revision, what
restoring it would change in the text; ``compare_paragraphs`` shows the
body side by side, paragraph by paragraph, with the words that differ marked.
"""

import difflib
import json
import re
from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import router
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Revision, Version
from reversion.revisions import _get_options

from articles.bulk_rows import insert_rows
from articles.models import Article, Paragraph

# The story's text and photo details; workflow fields (status, time) are not
# restored with the text: an editor changes those on purpose, in the form.
TEXT_FIELDS = [
    "headline",
    "publisher",
    "dateline",
    "image",
    "image_caption",
    "image_alt",
    "social_title",
    "description",
]

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
    the rows are the ones reversion writes). The objects are serialized in
    one pass (``_each_serialized``) and the rows inserted as arrays
    (articles.bulk_rows): through the ORM, the two took 9 ms of an updated
    story's 12 (bench/ingest_bench.py's stories, some 20 paragraphs each).
    """
    if not changes:
        return
    now = timezone.now()
    user_id = getattr(user, "pk", None)
    revision_ids = insert_rows(
        Revision,
        ["date_created", "user", "comment"],
        [(now, user_id, comment) for _, comment in changes],
        returning=True,
    )
    ids = [article.pk for article, _ in changes]
    paragraphs: dict[int, list[Paragraph]] = {pk: [] for pk in ids}
    stored = Paragraph.objects.filter(article_id__in=ids).order_by("article_id", "position")
    for paragraph in stored:
        paragraphs[paragraph.article_id].append(paragraph)
    revised = list(zip(revision_ids, (article for article, _ in changes), strict=True))
    kept = {
        Article: revised,
        Paragraph: [(revision, paragraph) for revision, article in revised
                    for paragraph in paragraphs[article.pk]],
    }  # fmt: skip
    rows = []
    for model, objects in kept.items():
        texts = _each_serialized(model, [obj for _, obj in objects])
        content_type = ContentType.objects.get_for_model(model).pk
        database = router.db_for_write(model)
        rows += [
            (revision, content_type, str(obj.pk), database, "json", text, str(obj))
            for (revision, obj), text in zip(objects, texts, strict=True)
        ]
    insert_rows(Version, _VERSION_FIELDS, rows)


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


_VERSION_FIELDS = [
    "revision", "content_type", "object_id", "db", "format", "serialized_data", "object_repr",
]  # fmt: skip


class _EachObjectJSON(JSONSerializer):
    """Django's JSON serializer, keeping each object's text apart.

    Each text is what ``serializers.serialize("json", (obj,))`` gives, as
    reversion stores it, for many objects in one pass: one call an object,
    with ``json.dump`` writing a stream, took most of recording a revision.
    """

    def start_serialization(self):
        self._init_options()
        self.texts = []

    def end_object(self, obj):
        self.texts.append("[" + json.dumps(self.get_dump_object(obj), **self.json_kwargs) + "]")
        self._current = None

    def end_serialization(self):
        pass


def _each_serialized(model, objects: list) -> list[str]:
    """Each object's text as reversion serializes it, for objects of one registered model."""
    options = _get_options(model)
    if options.format != "json" or options.use_natural_foreign_keys:
        raise ValueError(f"{model.__name__} is registered to be serialized otherwise")
    serializer = _EachObjectJSON()
    serializer.serialize(objects, fields=options.fields)
    return serializer.texts


def field_changes(version: Version, article: Article) -> list[Change]:
    """What restoring ``version`` would change in ``article``'s fields other than its body."""
    old = version.field_dict
    changes = []
    for name in TEXT_FIELDS:
        field = Article._meta.get_field(name)
        before, after = str(old.get(name) or ""), str(getattr(article, name) or "")
        if before != after:
            changes.append(Change(str(field.verbose_name), before, after))
    return changes


def changes_since(version: Version, article: Article) -> list[Change]:
    """What restoring ``version`` would change in ``article``'s text, field by field."""
    changes = field_changes(version, article)
    old_paragraphs = paragraphs_in(version)
    new_paragraphs = current_paragraphs(article)
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


def current_paragraphs(article: Article) -> list[str]:
    """``article``'s paragraphs as stored, in order."""
    return list(article.paragraphs.order_by("position").values_list("text", flat=True))


@dataclass(frozen=True)
class ParagraphComparison:
    """One row of the side-by-side body: a paragraph in the revision, now, or both.

    ``kind`` is "same", "changed", "removed" (only in the revision: restoring
    brings it back) or "added" (only now: restoring drops it). The texts are
    HTML, escaped, with the words that differ in <del> (revision) and <ins> (now).
    """

    kind: str
    old_number: int | None
    new_number: int | None
    old: SafeString
    new: SafeString


# Below this similarity two paragraphs are told apart as one removed and one
# added, not as one paragraph changed.
SAME_PARAGRAPH_RATIO = 0.5
_TOKENS = re.compile(r"\s+|\S+")


def compare_paragraphs(old: list[str], new: list[str]) -> list[ParagraphComparison]:
    """``old`` (a revision's paragraphs) beside ``new`` (now's), paragraph by paragraph."""
    rows = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(a_end - a_start):
                text = escape(old[a_start + offset])
                rows.append(
                    ParagraphComparison(
                        "same", a_start + offset + 1, b_start + offset + 1, text, text
                    )
                )
        else:
            rows += _align(old, new, range(a_start, a_end), range(b_start, b_end))
    return rows


def _similar(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(a=a, b=b, autojunk=False).ratio() >= SAME_PARAGRAPH_RATIO


def _align(old, new, olds: range, news: range) -> list[ParagraphComparison]:
    # A greedy walk through a block that differs: a paragraph like the one
    # across is the same paragraph changed; one that is not was removed or added.
    rows, i, j = [], olds.start, news.start
    while i < olds.stop and j < news.stop:
        if _similar(old[i], new[j]):
            rows.append(_changed(old, new, i, j))
            i, j = i + 1, j + 1
        elif j + 1 < news.stop and _similar(old[i], new[j + 1]):
            rows.append(_added(new, j))
            j += 1
        elif i + 1 < olds.stop and _similar(old[i + 1], new[j]):
            rows.append(_removed(old, i))
            i += 1
        else:
            rows.append(_changed(old, new, i, j))
            i, j = i + 1, j + 1
    rows += [_removed(old, k) for k in range(i, olds.stop)]
    rows += [_added(new, k) for k in range(j, news.stop)]
    return rows


def _changed(old, new, i: int, j: int) -> ParagraphComparison:
    before, after = _word_diff(old[i], new[j])
    return ParagraphComparison("changed", i + 1, j + 1, before, after)


def _removed(old, i: int) -> ParagraphComparison:
    return ParagraphComparison(
        "removed", i + 1, None, mark_safe(f"<del>{escape(old[i])}</del>"), mark_safe("")
    )


def _added(new, j: int) -> ParagraphComparison:
    return ParagraphComparison(
        "added", None, j + 1, mark_safe(""), mark_safe(f"<ins>{escape(new[j])}</ins>")
    )


def _word_diff(before: str, after: str) -> tuple[SafeString, SafeString]:
    """Both texts escaped; words only in ``before`` in <del>, only in ``after`` in <ins>."""
    a, b = _TOKENS.findall(before), _TOKENS.findall(after)
    old_html, new_html = [], []
    for tag, a_start, a_end, b_start, b_end in difflib.SequenceMatcher(
        a=a, b=b, autojunk=False
    ).get_opcodes():
        removed, added = "".join(a[a_start:a_end]), "".join(b[b_start:b_end])
        if tag == "equal":
            old_html.append(escape(removed))
            new_html.append(escape(added))
            continue
        if removed:
            old_html.append(f"<del>{escape(removed)}</del>")
        if added:
            new_html.append(f"<ins>{escape(added)}</ins>")
    # Everything that went in was escaped above; the marks are ours.
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))


def _numbered(paragraphs: list[str]) -> str:
    return "\n\n".join(f"{number}. {text}" for number, text in enumerate(paragraphs, 1))


def paragraphs_in(version: Version) -> list[str]:
    """The paragraphs of the story ``version`` holds, in order."""
    content_type = ContentType.objects.get_for_model(Paragraph)
    versions = version.revision.version_set.filter(content_type=content_type)
    article_id = int(version.object_id)
    paragraphs = [v.field_dict for v in versions if v.field_dict.get("article_id") == article_id]
    return [p["text"] for p in sorted(paragraphs, key=lambda p: p["position"])]
