"""Sources, articles and their paragraphs.

``Article.objects.published()`` is the one definition of what a reader may
see; every reader-facing view, feed and sitemap starts from it.
"""

import math

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.constraints import Deferrable
from django.db.models.functions import Cast, Floor, Greatest, Ln
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

SLUG_MAX_LENGTH = 120
# Who a story is filed under when its copy credits nobody. Readers never see
# it: it has no page, no feed, no place in the navigation or the sitemap, and
# a story under it shows no credit. An editor can correct it in the admin.
UNKNOWN_SOURCE_NAME = "مصدر غير محدد"
# The guid of a story written in the newsroom rather than received from the wire.
NEWSROOM_GUID_PREFIX = "newsroom:"


def unicode_slug(text: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    """Return a URL slug that keeps Arabic letters, cut at a word boundary."""
    slug = slugify(text, allow_unicode=True)
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


class SourceQuerySet(models.QuerySet):
    def named(self):
        """Sources readers may see: all but the one for copy that credits nobody."""
        return self.exclude(name=UNKNOWN_SOURCE_NAME)


class Source(models.Model):
    """The agency (or, for its own copy, the outlet) credited for a story, e.g. أ ف ب."""

    name = models.CharField("الاسم", max_length=100, unique=True)
    slug = models.SlugField("المعرّف في الرابط", max_length=100, unique=True, allow_unicode=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "مصدر"
        verbose_name_plural = "المصادر"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unicode_slug(self.name, max_length=100)
        super().save(*args, **kwargs)

    @property
    def is_named(self) -> bool:
        """Whether readers may see this source (``SourceQuerySet.named``)."""
        return self.name != UNKNOWN_SOURCE_NAME


def visible_to_readers() -> Q:
    """The condition for a story readers may see: released, and its time has come.

    A published story whose time is still ahead is *scheduled*; it appears by
    itself when the time passes, with no job to flip a flag. The one
    definition: querysets, aggregates and the model's own property use it.
    """
    return Q(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())


def scheduled() -> Q:
    """The condition for a story released for a time still ahead."""
    return Q(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Stories a reader may see (``visible_to_readers``)."""
        return self.filter(visible_to_readers())

    def scheduled(self):
        """Stories released for a time still ahead (``scheduled``)."""
        return self.filter(scheduled())

    def one_per_group(self, *, per_source: bool = False):
        """One story for each group of copies: its earliest copy readers may see.

        The rule of ``articles.grouping.representative``: the earliest, then the
        first stored. A story in no group stands alone; a copy withdrawn or
        unpublished does not count, so the next copy takes its place. With
        ``per_source``, the earliest of each source's copies: a source's page
        lists its own copy even when another outlet printed the story first.
        """
        earlier = Article.objects.filter(
            visible_to_readers(),
            Q(published_at__lt=OuterRef("published_at"))
            | Q(published_at=OuterRef("published_at"), pk__lt=OuterRef("pk")),
            story_group=OuterRef("story_group"),
        )
        if per_source:
            earlier = earlier.filter(source=OuterRef("source"))
        # A story in no group has no earlier copy: the subquery is not run for it.
        return self.exclude(Q(story_group__isnull=False) & Exists(earlier))


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "مسودة"
        PUBLISHED = "published", "منشور"
        WITHDRAWN = "withdrawn", "مسحوب"

    guid = models.CharField(
        "المعرّف الخارجي",
        max_length=255,
        unique=True,
        help_text="معرّف الخبر لدى مرسله، يمنع استيراده مرتين.",
    )
    headline = models.CharField("العنوان", max_length=500)
    slug = models.SlugField(
        "المعرّف في الرابط", max_length=SLUG_MAX_LENGTH, unique=True, allow_unicode=True
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="articles", verbose_name="المصدر"
    )
    publisher = models.CharField(
        "الناشر", max_length=200, blank=True, help_text="الموقع الذي نقل الخبر، إن ذُكر."
    )
    # Every agency or outlet the copy credits, in its order (the source is the
    # first); empty when it credits only the source.
    credits = models.JSONField(
        "الجهات المذكورة",
        default=list,
        blank=True,
        help_text="كل وكالة أو وسيلة ذكرها الخبر، بترتيبها؛ المصدر أولها.",
    )
    section = models.CharField(
        "القسم", max_length=50, blank=True, help_text="القسم الذي أُرسل الخبر تحته، إن ذُكر."
    )
    byline = models.CharField(
        "الكاتب", max_length=200, blank=True, help_text="اسم المراسل أو الكاتب، إن ذُكر."
    )
    dateline = models.CharField(
        "مكان الخبر", max_length=100, blank=True, help_text="المدينة التي كُتب منها الخبر."
    )
    # The story's date as readers see it: the one the wire gave it (or, for a
    # story written here, when it went out). A future time schedules it.
    published_at = models.DateTimeField("وقت النشر", default=timezone.now, db_index=True)
    # When the story went live on this site, set by articles.transitions each
    # time it is released; never shown as its date, so an old dispatch
    # released today does not read as today's news.
    released_at = models.DateTimeField(
        "وقت الإتاحة على الموقع",
        null=True,
        blank=True,
        editable=False,
        help_text="متى ظهر الخبر للقراء على الموقع؛ يبقى تاريخ الخبر ما أعطته الوكالة.",
    )
    # Indexed with the time (article_status_time): an index of its own, and
    # the LIKE index Django adds to it, cost every import's insert for no query.
    status = models.CharField("الحالة", max_length=10, choices=Status, default=Status.DRAFT)
    image = models.ImageField("الصورة", upload_to="articles/%Y/%m/", blank=True)
    image_caption = models.TextField("تعليق الصورة", blank=True)
    image_alt = models.CharField(
        "النص البديل للصورة",
        max_length=300,
        blank=True,
        help_text="وصف قصير للصورة لمن لا يراها، مطلوب إذا أُرفقت صورة.",
    )
    # What articles.images made of the photo (its size, its renditions), written
    # where they are made, so that rendering a page never asks the storage:
    # articles.images.Photo.as_record; `manage.py record_renditions` for older
    # photos. NULL, not {}, when there is none: the importer's INSERT names its
    # columns and leaves this one out.
    image_renditions = models.JSONField("نسخ الصورة", null=True, blank=True, editable=False)
    # How the story is shared: search results and link cards. Empty means the
    # default (articles.sharing): the standfirst, and the headline.
    description = models.CharField(
        "الوصف",
        max_length=300,
        blank=True,
        help_text="يظهر تحت الرابط في محركات البحث وبطاقات المشاركة؛ يُعرض منه نحو 160 حرفاً. "
        "اتركه فارغاً ليُستعمل مطلع الخبر.",
    )
    social_title = models.CharField(
        "عنوان المشاركة",
        max_length=120,
        blank=True,
        help_text="عنوان الخبر في بطاقات المشاركة على مواقع التواصل، إن أردته أقصر من العنوان. "
        "اتركه فارغاً ليُستعمل العنوان نفسه.",
    )
    version = models.PositiveIntegerField("رقم النسخة", default=1)
    created_at = models.DateTimeField("وقت الإنشاء", auto_now_add=True)
    updated_at = models.DateTimeField("آخر تعديل", auto_now=True)
    # SHA-256 of the story's text as it last came off the wire. When the
    # current text hashes differently, an editor has changed it since, and a
    # re-import must not overwrite it silently.
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Kept current on every write path by articles.search.index.refresh_search_vectors.
    search_vector = SearchVectorField(null=True, editable=False)
    # The copies of one wire story from several outlets (articles.story_groups).
    # Grouping sets only these two fields, never a story's text, status or guid.
    story_group = models.ForeignKey(
        "StoryGroup",
        verbose_name="نسخ الخبر نفسه",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        # article_group_time (group, time) serves every lookup by group.
        db_index=False,
    )
    # A database default, since the importer's INSERTs name their columns.
    is_grouped_by_editor = models.BooleanField(
        "جمعه محرر",
        default=False,
        db_default=False,
        help_text="قرار المحرر في تجميع هذا الخبر يبقى كما هو مهما وصل من نسخ.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = "خبر"
        verbose_name_plural = "الأخبار"
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_time"),
            GinIndex(fields=["search_vector"], name="article_search_vector"),
            # A group's earlier copies, asked for every story a list shows (one_per_group).
            models.Index(fields=["story_group", "published_at"], name="article_group_time"),
        ]
        permissions = [
            ("publish_article", "يستطيع نشر الأخبار وجدولتها وسحبها"),
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def credit_names(self) -> list[str]:
        """Who the story page credits, in order: nobody when the copy named nobody."""
        if self.credits:
            return list(self.credits)
        return [self.source.name] if self.source.is_named else []

    @property
    def is_from_wire(self) -> bool:
        """Whether the story came from the wire, and so carries the wire's date."""
        return not self.guid.startswith(NEWSROOM_GUID_PREFIX)

    @property
    def is_visible_to_readers(self) -> bool:
        """``visible_to_readers()`` for a story in memory; a test keeps the two alike."""
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()


class Paragraph(models.Model):
    """One paragraph of a story's body: a unit editors edit and reorder."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField("الترتيب")
    text = models.TextField("النص")

    class Meta:
        ordering = ["article", "position"]
        verbose_name = "فقرة"
        verbose_name_plural = "الفقرات"
        constraints = [
            # Deferred, so an edit that swaps two paragraphs' positions in one
            # transaction does not trip over itself half-way.
            models.UniqueConstraint(
                fields=["article", "position"],
                name="paragraph_unique_position",
                deferrable=Deferrable.DEFERRED,
            )
        ]

    def __str__(self):
        return self.text[:80]


class ImportRecord(models.Model):
    """One entry of the import log: what arrived, and what became of it."""

    class Action(models.TextChoices):
        CREATED = "created", "أُنشئ"
        UPDATED = "updated", "حُدِّث"
        # The text as stored, released by this import (import --publish of a draft).
        PUBLISHED = "published", "نُشر"
        UNCHANGED = "unchanged", "بلا تغيير"
        CONFLICT = "conflict", "تعارض"
        # The importing user may not make this change (articles.permissions).
        REFUSED = "refused", "رُفض"
        FAILED = "failed", "فشل"

    created_at = models.DateTimeField("وقت الاستيراد", auto_now_add=True, db_index=True)
    file_name = models.CharField("الملف", max_length=500)
    line = models.PositiveIntegerField("السطر", null=True, blank=True)
    format = models.CharField("الصيغة", max_length=20, blank=True)
    action = models.CharField("النتيجة", max_length=10, choices=Action, db_index=True)
    message = models.TextField("التفاصيل", blank=True)
    guid = models.CharField("المعرّف الخارجي", max_length=255, blank=True, db_index=True)
    version = models.PositiveIntegerField("رقم النسخة", null=True, blank=True)
    headline = models.CharField("العنوان", max_length=500, blank=True)
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_records",
        verbose_name="الخبر",
    )
    # The story exactly as it arrived (decoded text), so an editor can see it
    # and an earlier version stays retrievable after an update.
    original = models.TextField("النص الوارد", blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="المستورِد",
    )
    # The ingest source a worker polled it from; empty for the command and uploads.
    ingest_source = models.ForeignKey(
        "articles.IngestSource",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_records",
        verbose_name="مصدر الاستيراد التلقائي",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "سجل استيراد"
        verbose_name_plural = "سجل الاستيراد"

    def __str__(self):
        return f"{self.file_name}: {self.get_action_display()}"


class WireVersion(models.Model):
    """The highest version of a wire story known, and whether it cancels the story.

    Kept apart from Article so that what the wire said outlives the story: a
    cancellation that arrives before its story, and the version of a story an
    editor has deleted, still decide what a later copy may do
    (articles.importers.versions).
    """

    guid = models.CharField("المعرّف الخارجي", max_length=255, unique=True)
    version = models.PositiveIntegerField("أعلى نسخة معروفة")
    is_canceled = models.BooleanField("ألغاه المرسل", default=False)
    seen_at = models.DateTimeField("آخر وصول")

    class Meta:
        verbose_name = "نسخة واردة"
        verbose_name_plural = "النسخ الواردة"

    def __str__(self) -> str:
        return f"{self.guid} ({self.version})"


class SearchLexeme(models.Model):
    """How many stories hold each lexeme of the search index, kept by the database.

    Written only by the triggers of migration 0011 (the statements that write
    ``Article.search_vector`` keep it current, whichever path runs them);
    read by ``articles.search.lexicon``. The row of the empty lexeme counts
    the stories.
    """

    lexeme = models.TextField(primary_key=True)
    stories = models.IntegerField()
    # The count's base-2 logarithm, rounded down, for a prefix's look-up by
    # level (migration 0027): unlike the count, it seldom changes, so nearly
    # every count's update stays in place (a HOT update, migration 0014).
    magnitude = models.GeneratedField(
        expression=Cast(
            Floor(Ln(Cast(Greatest("stories", 1), models.FloatField())) / Value(math.log(2))),
            models.SmallIntegerField(),
        ),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )

    class Meta:
        indexes = [
            models.Index(
                F("magnitude"),
                OpClass(F("lexeme"), name="text_pattern_ops"),
                name="searchlexeme_by_magnitude",
            )
        ]
        verbose_name = "كلمة في الفهرس"
        verbose_name_plural = "كلمات الفهرس"

    def __str__(self) -> str:
        return f"{self.lexeme} ({self.stories})"


class StoryGroup(models.Model):
    """Copies of one wire story printed by several outlets: shown once, credited to all."""

    created_at = models.DateTimeField("وقت الإنشاء", auto_now_add=True)

    class Meta:
        verbose_name = "مجموعة نسخ"
        verbose_name_plural = "مجموعات النسخ"

    def __str__(self) -> str:
        return f"مجموعة {self.pk}"


class StoryFingerprint(models.Model):
    """What articles.grouping keeps of a story's body: its shingle ids in order.

    The check that confirms a copy reads them; the band keys that find the
    candidates are in ``StoryBand``. Packed as little-endian 32-bit integers:
    a few hundred a story, which as an integer[] psycopg handles one by one.
    """

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="fingerprint"
    )
    shingles = models.BinaryField()

    class Meta:
        verbose_name = "بصمة خبر"
        verbose_name_plural = "بصمات الأخبار"

    def __str__(self) -> str:
        return str(self.article_id)


class StoryBand(models.Model):
    """One LSH band key of a story (articles.grouping): its copies share some.

    A row a key, indexed with the story's time, so the stories of the window
    sharing enough keys with a new one are found in the index alone, however
    many stories outside the window share them. The time is the story's
    ``published_at`` when its fingerprint was stored (an import stores it
    again when it updates the story).
    """

    key = models.BigIntegerField()
    # No constraint in the database: its check, deferred to the commit, locked
    # the new story's row once for each of its 48 keys, which cost an import
    # more than writing them. The rows are written with the story, in its
    # transaction, and deleted with it (on_delete, through the article_id index).
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    published_at = models.DateTimeField()

    class Meta:
        verbose_name = "مفتاح نطاق"
        verbose_name_plural = "مفاتيح النطاقات"
        indexes = [
            models.Index(
                fields=["key", "published_at"], include=["article"], name="storyband_key_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.article_id})"


class BoilerplatePassage(models.Model):
    """In how many groups a passage was seen (articles.grouping.PassageCounts, stored)."""

    passage = models.IntegerField(primary_key=True)
    groups = models.IntegerField()

    class Meta:
        verbose_name = "فقرة شائعة"
        verbose_name_plural = "الفقرات الشائعة"

    def __str__(self) -> str:
        return f"{self.passage} ({self.groups})"


# Kept in its own module (this one is near the size bound); imported so Django sees it.
from articles.group_log import GroupingLog  # noqa: E402, F401
from articles.import_jobs import ImportJob, ImportJobFile  # noqa: E402, F401
from articles.ingest.schedule import IngestSchedule  # noqa: E402, F401
from articles.ingest.sources import IngestSource  # noqa: E402, F401
