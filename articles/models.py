"""Sources, articles and their paragraphs.

``Article.objects.published()`` is the one definition of what a reader may
see; every reader-facing view, feed and sitemap starts from it.
"""

from django.db import models
from django.db.models.constraints import Deferrable
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

SLUG_MAX_LENGTH = 120


def unicode_slug(text: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    """Return a URL slug that keeps Arabic letters, cut at a word boundary."""
    slug = slugify(text, allow_unicode=True)
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


class Source(models.Model):
    """The agency credited for a story, e.g. أ ف ب."""

    name = models.CharField("الاسم", max_length=100, unique=True)
    slug = models.SlugField("المعرّف في الرابط", max_length=100, unique=True, allow_unicode=True)

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


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Stories a reader may see: released, and their time has come.

        A published story whose time is still ahead is *scheduled*; it appears
        by itself when the time passes, with no job to flip a flag.
        """
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())


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
    dateline = models.CharField(
        "مكان الخبر", max_length=100, blank=True, help_text="المدينة التي كُتب منها الخبر."
    )
    published_at = models.DateTimeField("وقت النشر", default=timezone.now, db_index=True)
    status = models.CharField(
        "الحالة", max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    image = models.ImageField("الصورة", upload_to="articles/%Y/%m/", blank=True)
    image_caption = models.TextField("تعليق الصورة", blank=True)
    version = models.PositiveIntegerField("رقم النسخة", default=1)
    created_at = models.DateTimeField("وقت الإنشاء", auto_now_add=True)
    updated_at = models.DateTimeField("آخر تعديل", auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = "خبر"
        verbose_name_plural = "الأخبار"
        indexes = [models.Index(fields=["status", "-published_at"], name="article_status_time")]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def is_visible_to_readers(self) -> bool:
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
