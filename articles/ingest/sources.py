"""IngestSource: where copy arrives without anyone running a command, and how its polls went.

Defined here and imported by ``articles.models`` (which is near the 500-line
bound); the model belongs to the ``articles`` app all the same.
"""

import os

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, URLValidator
from django.db import models

# The importer's formats (articles.importers.base.FORMATS), plus the feeds a
# later slice reads. Listed here, not imported: the model layer does not
# import the wire layer; a test holds the two lists together.
IMPORT_FORMATS = ("text", "jsonl", "newsml", "nitf", "ninjs")
FEED_FORMATS = ("rss", "atom")
DEFAULT_POLL_SECONDS = 60


class IngestSource(models.Model):
    """A drop folder or a URL polled for wire copy, with what its last polls found."""

    class Kind(models.TextChoices):
        FOLDER = "folder", "مجلد إسقاط"
        URL = "url", "رابط"

    class Format(models.TextChoices):
        AUTO = "auto", "تُكتشف من المحتوى"
        TEXT = "text", "نص عادي"
        JSONL = "jsonl", "JSON Lines"
        NEWSML = "newsml", "NewsML-G2"
        NITF = "nitf", "NITF"
        NINJS = "ninjs", "ninjs"
        RSS = "rss", "RSS 2.0"
        ATOM = "atom", "Atom"

    name = models.CharField("الاسم", max_length=100, unique=True)
    kind = models.CharField("النوع", max_length=10, choices=Kind, default=Kind.FOLDER)
    location = models.CharField(
        "المجلد أو الرابط",
        max_length=1000,
        help_text="المسار الكامل لمجلد الإسقاط على الخادم، أو رابط http(s)",
    )
    format = models.CharField("الصيغة", max_length=10, choices=Format, default=Format.AUTO)
    poll_interval_seconds = models.PositiveIntegerField(
        "الاستطلاع كل (ثانية)", default=DEFAULT_POLL_SECONDS, validators=[MinValueValidator(1)]
    )
    default_credit = models.CharField(
        "المصدر الافتراضي",
        max_length=100,
        blank=True,
        help_text="المصدر الذي يُنسب إليه كل خبر لا يذكر مصدره",
    )
    is_published_on_arrival = models.BooleanField(
        "يُنشر فور وصوله", default=False, help_text="وإلا يُحفظ كل خبر مسودة يراجعها محرر"
    )
    is_enabled = models.BooleanField("مفعّل", default=True)

    last_polled_at = models.DateTimeField("آخر استطلاع", null=True, blank=True)
    last_success_at = models.DateTimeField("آخر نجاح", null=True, blank=True)
    last_error = models.TextField("آخر خطأ", blank=True)
    last_http_status = models.PositiveSmallIntegerField("رمز HTTP الأخير", null=True, blank=True)
    created_count = models.PositiveBigIntegerField("أخبار أُنشئت", default=0)
    updated_count = models.PositiveBigIntegerField("أخبار حُدِّثت", default=0)
    failed_count = models.PositiveBigIntegerField("أخبار فشلت", default=0)
    # A feed's validators from its last answer, sent back as If-None-Match and
    # If-Modified-Since so that an unchanged feed costs a 304 and nothing more.
    feed_etag = models.CharField("ETag الأخير", max_length=500, blank=True)
    feed_last_modified = models.CharField("Last-Modified الأخير", max_length=100, blank=True)
    # The SHA-256 of the last answer read whole: a publisher that sends no
    # validators (or ignores them) answers 200 with the same bytes, which
    # then cost the fetch and nothing more (no parsing, no import log rows).
    feed_body_sha256 = models.CharField("بصمة آخر جواب", max_length=64, blank=True)

    class Meta:
        app_label = "articles"
        ordering = ["name"]
        verbose_name = "مصدر استيراد تلقائي"
        verbose_name_plural = "مصادر الاستيراد التلقائي"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Refuse a location that does not fit the kind, with how to fix it."""
        self.location = self.location.strip()
        if self.kind == self.Kind.FOLDER:
            if not os.path.isabs(self.location):
                raise ValidationError(
                    {"location": "اكتب المسار الكامل للمجلد على الخادم، مثل /srv/wire/drop"}
                )
            if not os.path.isdir(self.location):
                raise ValidationError(
                    {"location": f"لا يوجد مجلد بهذا المسار على الخادم: {self.location}"}
                )
        else:
            try:
                URLValidator(schemes=["http", "https"])(self.location)
            except ValidationError:
                raise ValidationError(
                    {"location": f"الرابط «{self.location}» غير صالح؛ اكتبه كاملاً يبدأ بـ https://"}
                ) from None
