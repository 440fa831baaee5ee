"""The only importer code that touches the database: save, dedupe, versions, import log.

``Importer.run`` takes ``InputFile`` objects (articles/importers/inputs.py),
has them parsed (articles/importers/reading.py, in worker processes for big
imports), and saves the stories in batches: one query finds which of a
batch's stories exist already, then articles (with their search vectors),
paragraphs and import-log rows are written with a few bulk statements in one
transaction. If anything in a batch fails at the database, the batch is
rolled back and redone story by story, each in a savepoint of its own, so a
story is always saved whole or not at all and one bad story never stops the
others. The management command and the admin upload both call it.

What becomes of each story (exactly once, versions, conflicts,
cancellations, who may do what) is decided in ``decisions.py``; this module
reads what the database holds for the decision and writes the result.

Publishing: new stories are drafts unless ``publish`` (a JSON Lines line's own
status wins), and ``publish`` releases a stored draft whose text is unchanged.
A story keeps the wire's date when released (articles.transitions).

Every change to a stored story goes through ``transitions.record``: a
revision in its history under the importing user's name, an entry in the
admin's history, and the announcement that reader pages listen to.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Iterable, Iterator

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import JSONField
from django.utils import timezone
from psycopg.types.json import Jsonb

from articles import permissions, transitions
from articles.arabic import STORY_FORMS, count_phrase
from articles.bulk_rows import update_rows
from articles.group_settling import settle
from articles.importers.base import ALL_FORMATS, ImportTooLarge
from articles.importers.bulk_insert import insert_paragraphs
from articles.importers.decisions import Decider, Plan, join, story_hash
from articles.importers.import_log import write_records
from articles.importers.inputs import LARGER_IMPORTS_HINT, InputFile
from articles.importers.outcomes import Action, Outcome
from articles.importers.reading import Item, ReadSettings, read_inputs
from articles.importers.slugs import insert_with_free_slugs, source_named, sources_named
from articles.importers.statistics import FreshStatistics
from articles.importers.versions import known_versions, remember
from articles.models import (
    UNKNOWN_SOURCE_NAME,
    Article,
    Paragraph,
    Source,
    unicode_slug,
)
from articles.search.index import (
    count_lexicon_backlog,
    lexicon_counted_after_commit,
)
from articles.story_groups import Pending, group_new, group_stories, store_fingerprints

logger = logging.getLogger(__name__)

# Stories saved per transaction: big enough that the per-statement cost
# vanishes, small enough that memory stays flat and a failed batch is cheap to redo.
BATCH_SIZE = 500
# A long import counts its new stories in the search lexicon this many at a
# time (count_lexicon_backlog), and the rest at its end.
LEXICON_COUNTED_AT_ONCE = 1000


@dataclasses.dataclass(frozen=True)
class ImportOptions:
    """How to import; the command's options and the admin form's fields."""

    # "auto" (detect from the content) or one of base.ALL_FORMATS.
    format: str = "auto"
    # Forced encoding for plain text; None detects it.
    encoding: str | None = None
    # Credit for copy that names no source.
    source: str = ""
    publish: bool = False
    dry_run: bool = False
    overwrite: bool = False
    # Who imports: the admin user who uploaded the files, or None for the
    # operator's command line. articles.permissions decides what they may do;
    # the log and the stories' history name them.
    user: object = None
    batch_size: int = BATCH_SIZE
    # Processes that parse while the loader writes (reading.default_workers);
    # 0 parses in this process.
    workers: int = 0
    # Stories one import may hold, or None for any number. Set for an upload
    # (one web request, which must end before the server's timeout): every
    # story is then read and counted before any is written, and past the
    # bound ImportTooLarge is raised with nothing saved.
    max_stories: int | None = None
    # Group copies of one wire story (articles.story_groups); off only to
    # measure what grouping costs (bench/cluster_bench.py).
    group_copies: bool = True
    # The ingest source a worker polled the copy from (the import log's, for the wire desk).
    ingest_source_id: int | None = None
    # The new stories' words are counted in the search lexicon by the workers'
    # periodic job (articles.ingest.jobs.count_lexicon), with every import's of
    # the last seconds, not at the end of this import.
    lexicon_counted_by_worker: bool = False


@dataclasses.dataclass
class _Item(Item):
    """One story (or one failure) on its way through a batch."""

    outcome: Outcome | None = None
    plan: Plan | None = None


class Importer:
    """Import files with one set of options; keeps a cache of sources between batches."""

    def __init__(self, options: ImportOptions | None = None):
        self.options = options or ImportOptions()
        if self.options.format != "auto" and self.options.format not in ALL_FORMATS:
            raise ValueError(f"unknown format {self.options.format!r}")
        self._sources: dict[str, Source] = {}
        self._decider = Decider(self.options, permissions.can_publish(self.options.user))
        self._statistics = FreshStatistics()

    def run(self, inputs: Iterable[InputFile]) -> Iterator[Outcome]:
        """Import every story of every input, in order; yield one outcome per story.

        With ``max_stories``, raise ImportTooLarge, having written nothing, if
        the inputs hold more stories than that.
        """
        options = self.options
        settings = ReadSettings(
            options.format, options.encoding, options.source, options.group_copies
        )
        batch: list[_Item] = []
        guids: set[str] = set()
        reading = read_inputs(inputs, settings, options.workers)
        items: Iterable[Item] = reading
        if options.max_stories is not None:
            # Streaming would have written the first batches before the count
            # is known. Holding them is cheap: the upload's byte bound keeps
            # them few, and the count stops one story past the bound.
            held: list[Item] = []
            for read in reading:
                held.append(read)
                if len(held) > options.max_stories:
                    reading.close()
                    bound = count_phrase(options.max_stories, *STORY_FORMS)
                    raise ImportTooLarge(
                        f"يحوي الرفع أكثر من {bound}، والحد {bound} لكل رفع؛ {LARGER_IMPORTS_HINT}"
                    )
            items = held
        for read in items:
            item = _Item(**vars(read))
            if item.error:
                item.outcome = _outcome(item, Action.FAILED, item.error)
            # A later version of a story in the same batch must see the
            # earlier one saved: start a new batch.
            elif item.guid in guids:
                yield from self._flush(batch)
                batch, guids = [], set()
            batch.append(item)
            guids.add(item.guid)
            if len(batch) >= options.batch_size:
                yield from self._flush(batch)
                batch, guids = [], set()
        yield from self._flush(batch)
        if not options.dry_run:
            self._statistics.finished()
            if not options.lexicon_counted_by_worker:
                count_lexicon_backlog()

    # Saving ------------------------------------------------------------------

    def _flush(self, batch: list[_Item]) -> Iterator[Outcome]:
        if not batch:
            return
        if self.options.dry_run:
            self._plan(batch, lock=False)
        else:
            try:
                with transaction.atomic(), lexicon_counted_after_commit():
                    self._statistics.batch_settings()
                    self._save(batch)
            except DatabaseError:
                logger.debug("Batch failed; saving story by story", exc_info=True)
                self._sources.clear()
                for item in batch:
                    self._save_alone(item)
            if not self.options.lexicon_counted_by_worker:
                count_lexicon_backlog(at_least=LEXICON_COUNTED_AT_ONCE)
            written = (Action.CREATED, Action.UPDATED)
            self._statistics.wrote(sum(1 for item in batch if item.outcome.action in written))
        for item in batch:
            yield item.outcome

    def _save_alone(self, item: _Item, retry: bool = True) -> None:
        if item.plan is not None:  # decide again: the batch's decision was rolled back
            item.outcome, item.plan = None, None
        try:
            with transaction.atomic():
                self._save([item])
        except DatabaseError as error:
            self._sources.clear()
            # Another import stored the story meanwhile: decide once more, against it.
            if retry and isinstance(error, IntegrityError):
                return self._save_alone(item, retry=False)
            item.outcome = _outcome(item, Action.FAILED, _database_message(error))
            try:
                with transaction.atomic():
                    self._write_records([item])
            except DatabaseError:
                logger.warning("Could not log the failure of %s", item.file, exc_info=True)

    def _save(self, items: list[_Item]) -> None:
        planned = self._plan(items, lock=True)
        # Grouping's part that waits for other imports, done last (articles.group_settling).
        pending = Pending()
        # Every copy decided is remembered, so versions win by number in any order.
        remember(
            (item.guid, item.plan.version or 1, item.story.is_canceled)
            for item in items
            if item.plan is not None and item.plan.action not in _NOT_APPLIED
        )
        now = timezone.now()
        changed = [item for item in planned if item.plan.kind != "create"]
        # The stories as they stood before this import, if nothing has kept
        # them yet, so each change can be compared and undone.
        transitions.keep_before(item.plan.article for item in changed)
        created = self._create([i for i in planned if i.plan.kind == "create"], now, pending)
        updated = self._update([item for item in planned if item.plan.kind == "update"], now)
        self._withdraw([item for item in planned if item.plan.kind == "withdraw"], now)
        self._release([item for item in planned if item.plan.kind == "publish"], now)
        self._write_records(items)
        # Copies of one wire story from other outlets: new stories were written in
        # their groups (_create); updated ones are grouped again, in this transaction.
        if self.options.group_copies:
            prints = [item.fingerprint for item in planned if item.plan.kind == "update"]
            group_stories(zip(updated, prints, strict=True), pending)
        transitions.record(
            [(item.plan.article, self._revision_comment(item)) for item in changed],
            self.options.user,
        )
        # Stories whose group the settling joined with another: their lists of copies changed.
        transitions.announce([*created, *settle(pending)])

    def _plan(self, items: list[_Item], *, lock: bool) -> list[_Item]:
        """Decide what becomes of each story against what the database holds.

        Return the items that need writing.
        """
        pending = [item for item in items if item.outcome is None and item.story]
        queryset = Article.objects.filter(guid__in={item.guid for item in pending})
        if lock:
            # In one order, so two imports of overlapping files cannot deadlock.
            queryset = queryset.select_for_update().order_by("guid")
        existing = {article.guid: article for article in queryset}
        known = known_versions(item.guid for item in pending)
        hashes = {id(item): story_hash(item.story) for item in pending}
        # The current text is needed only where the copy differs from what was
        # last imported; an unchanged re-import reads no paragraphs at all.
        compare = {
            article.pk
            for item in pending
            if (article := existing.get(item.guid)) is not None
            and not item.story.is_canceled
            and hashes[id(item)] != article.content_hash
        }
        paragraphs: dict[int, list[str]] = {pk: [] for pk in compare}
        rows = Paragraph.objects.filter(article_id__in=compare).order_by("article_id", "position")
        for article_id, paragraph in rows.values_list("article_id", "text"):
            paragraphs[article_id].append(paragraph)
        for item in pending:
            article = existing.get(item.guid)
            current = paragraphs.get(article.pk, []) if article else []
            item.plan = self._decider.decide(
                item.story, article, hashes[id(item)], current, known.get(item.guid)
            )
            item.outcome = _outcome(item, item.plan.action, item.plan.message, article=article)
            item.outcome.version = item.plan.version
        return [item for item in pending if item.plan.kind != "skip"]

    def _create(self, items: list[_Item], now: datetime.datetime, pending: Pending) -> list[int]:
        if not items:
            return []
        # The batch's sources in one query; the new ones made in name order (sources_named).
        names = {self._source_name(item.story) for item in items} - self._sources.keys()
        self._sources.update(sources_named(names))
        rows, times = [], []
        for item in items:
            story, plan = item.story, item.plan
            published_at = story.published_at or now
            if story.embargoed_until and story.embargoed_until > published_at:
                published_at = story.embargoed_until
            source = self._source(self._source_name(story))
            released_at = None
            if plan.status == Article.Status.PUBLISHED:
                released_at = transitions.release_moment(published_at, now)
            times.append(published_at)
            rows.append(
                (
                    item.guid,
                    story.headline,
                    source.pk,
                    story.publisher,
                    Jsonb(list(story.credits)),
                    story.section,
                    story.byline,
                    story.dateline,
                    published_at,
                    released_at,
                    plan.status,
                    "",  # image: agencies' photos are not imported
                    story.caption,
                    "",  # image_alt
                    "",  # description: the standfirst stands in (articles.sharing)
                    "",  # social_title: the headline stands in
                    plan.version,
                    now,
                    now,
                    plan.text_hash,
                    item.vector,
                )
            )
        prints = [item.fingerprint for item in items]
        groups: list[int | None] = [None] * len(rows)
        if self.options.group_copies:
            # Each new story is written in its group: setting it afterwards rewrote the rows.
            groups = group_new(list(zip(times, prints, strict=True)), pending)
        # The slug's place is kept; _insert_articles fills it.
        rows = [
            (guid, headline, None, *rest, group)
            for (guid, headline, *rest), group in zip(rows, groups, strict=True)
        ]
        ids = self._insert_articles(items, rows)
        if self.options.group_copies:
            pending.created(ids)
            store_fingerprints(zip(ids, times, prints, strict=True), replace=False)
        insert_paragraphs(
            (article_id, item.story.paragraphs) for item, article_id in zip(items, ids, strict=True)
        )
        for item, article_id in zip(items, ids, strict=True):
            item.outcome.article_id = article_id
        return ids

    def _insert_articles(self, items: list[_Item], rows: list[tuple]) -> list[int]:
        """Insert the new stories' rows with free slugs (insert_with_free_slugs); their ids."""
        bases = [item.story.slug or unicode_slug(item.story.headline) or "خبر" for item in items]
        ids, slugs = insert_with_free_slugs(_ARTICLE_FIELDS, rows, bases)
        for item, base, slug in zip(items, bases, slugs, strict=True):
            if item.story.slug and slug != item.story.slug:
                note = f"المعرّف «{base}» مستخدم لخبر آخر؛ استُعمل «{slug}»"
                item.outcome.message = join([item.outcome.message, note])
        return ids

    def _source_name(self, story) -> str:
        return story.source or self.options.source or UNKNOWN_SOURCE_NAME

    def _source(self, name: str) -> Source:
        source = self._sources.get(name)
        if source is None:
            source = source_named(name)
            self._sources[name] = source
        return source

    def _update(self, items: list[_Item], now: datetime.datetime) -> list[int]:
        if not items:
            return []
        articles = []
        for item in items:
            story, plan, article = item.story, item.plan, item.plan.article
            article.headline = story.headline
            article.dateline = story.dateline
            article.image_caption = story.caption
            article.publisher = story.publisher
            article.credits = list(story.credits)
            article.section = story.section
            article.byline = story.byline
            if story.source or self.options.source:
                article.source = self._source(story.source or self.options.source)
            article.version = plan.version
            before = (article.status, article.published_at)
            article.status = plan.status
            article.published_at = plan.published_at
            transitions.note_release(article, before, now)
            article.content_hash = plan.text_hash
            article.updated_at = now
            # With its new vector: one new version of the row, one set of index entries.
            article.search_vector = item.vector
            articles.append(article)
        update_rows(Article, _UPDATED_FIELDS, [_updated_row(article) for article in articles])
        ids = [article.pk for article in articles]
        Paragraph.objects.filter(article_id__in=ids).delete()
        insert_paragraphs((item.plan.article.pk, item.story.paragraphs) for item in items)
        return ids

    def _withdraw(self, items: list[_Item], now: datetime.datetime) -> None:
        articles = [item.plan.article for item in items]
        for item, article in zip(items, articles, strict=True):
            article.status = Article.Status.WITHDRAWN
            article.version = item.plan.version
            article.updated_at = now
        if articles:
            Article.objects.bulk_update(articles, ["status", "version", "updated_at"])

    def _release(self, items: list[_Item], now: datetime.datetime) -> None:
        """Publish stored drafts whose text this import left as it was."""
        articles = [item.plan.article for item in items]
        for item, article in zip(items, articles, strict=True):
            if transitions.release(article, now) == transitions.SCHEDULED:
                item.outcome.message = join([item.outcome.message, "جُدول للنشر"])
            article.updated_at = now
        if articles:
            Article.objects.bulk_update(
                articles, ["status", "published_at", "released_at", "updated_at"]
            )

    def _revision_comment(self, item: _Item) -> str:
        """What the story's history says of this import's change."""
        who = "صفحة الاستيراد" if self.options.user is not None else "import_articles"
        where = f"{item.file}:{item.line}" if item.line else item.file
        what = {
            "update": f"حُدِّث إلى النسخة {item.plan.version} من الوارد",
            "withdraw": "سُحب لأن مرسله ألغاه",
            "publish": "نُشر بطلب المستورد",
        }[item.plan.kind]
        return f"{who}: {what} ({where})"

    def _write_records(self, items: list[_Item]) -> None:
        options = self.options
        write_records(items, user=options.user, ingest_source_id=options.ingest_source_id)


# Outcomes whose copy the wire's record of versions does not take in.
_NOT_APPLIED = {Action.REFUSED, Action.CONFLICT, Action.FAILED}

# Every column an imported article is given (Article.save() does nothing more).
# Its search vector goes in with the row: writing it afterwards, as
# refresh_search_vectors does, rewrites every new row and all its index
# entries once more, which was half the import's database time.
# fmt: off
_ARTICLE_FIELDS = [
    "guid", "headline", "slug", "source", "publisher", "credits", "section", "byline",
    "dateline", "published_at", "released_at", "status", "image", "image_caption", "image_alt",
    "description", "social_title", "version", "created_at", "updated_at", "content_hash",
    "search_vector", "story_group",
]
# fmt: on


# What an update of a story writes (Importer._update).
# fmt: off
_UPDATED_FIELDS = [
    "headline", "dateline", "image_caption", "publisher", "credits", "section", "byline",
    "source", "version", "status", "published_at", "released_at", "content_hash", "updated_at",
    "search_vector",
]
# fmt: on
_UPDATED_COLUMNS = [Article._meta.get_field(name) for name in _UPDATED_FIELDS]


def _updated_row(article: Article) -> tuple:
    """The story's id and its _UPDATED_FIELDS' values, as update_rows takes them."""
    # psycopg sends a list as an array; a JSON column's value must say it is JSON.
    values = [
        Jsonb(getattr(article, field.attname))
        if isinstance(field, JSONField)
        else getattr(article, field.attname)
        for field in _UPDATED_COLUMNS
    ]
    return (article.pk, *values)


def _outcome(item: _Item, action: str, message: str, article: Article | None = None) -> Outcome:
    story = item.story
    return Outcome(
        action,
        item.file,
        message,
        line=item.line,
        headline=story.headline if story else "",
        article_id=article.pk if article is not None else None,
        format=item.format,
        guid=item.guid,
        version=story.version if story else None,
    )


def _database_message(error: DatabaseError) -> str:
    detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if isinstance(error, IntegrityError):
        return f"تعذّر الحفظ: تعارض مع خبر محفوظ ({detail})"
    return f"تعذّر الحفظ في قاعدة البيانات: {detail}"
