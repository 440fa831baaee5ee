"""ImportJob: an upload from the admin's Import page, kept until a worker has imported it.

The Import page stores the uploaded bytes here (in the database: app servers
keep nothing on their disks) and enqueues ``articles.ingest.jobs.import_upload_job``,
which runs the importer as the uploading user and writes back the summary and
each story's outcome; the progress page reads them. The bytes are bounded by
the upload limits (IMPORT_UPLOAD_MAX_BYTES, IMPORT_UPLOAD_MAX_FILES), checked
before anything is stored, and are emptied once the job has ended: the import
log keeps every story's text as it arrived.

Defined here and imported by ``articles.models``; the models belong to the
``articles`` app all the same.
"""

from django.conf import settings
from django.db import models


class ImportJob(models.Model):
    """One upload of the Import page, and what became of it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "في الانتظار"
        RUNNING = "running", "قيد الاستيراد"
        DONE = "done", "انتهى"
        FAILED = "failed", "فشل"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="المستورِد",
    )
    created_at = models.DateTimeField("وقت الرفع", auto_now_add=True)
    started_at = models.DateTimeField("بدأ", null=True, blank=True)
    finished_at = models.DateTimeField("انتهى", null=True, blank=True)
    # The form's choices as the server decided them: source, publish, overwrite, dry_run.
    options = models.JSONField("الخيارات", default=dict)
    status = models.CharField("الحالة", max_length=10, choices=Status, default=Status.QUEUED)
    # Stories done so far, while it runs.
    processed = models.PositiveIntegerField("ما عولج", default=0)
    # Why the whole upload was refused or stopped (an upload bound, an error), or "".
    error = models.TextField("الخطأ", blank=True)
    # Outcomes by action ({"created": 2, ...}) and the first rows of the outcome
    # table (articles.import_admin.MAX_ROWS_SHOWN), each an Outcome's fields.
    summary = models.JSONField("الملخص", default=dict)
    outcomes = models.JSONField("النتائج", default=list)
    total_outcomes = models.PositiveIntegerField("عدد النتائج", default=0)
    procrastinate_job_id = models.BigIntegerField("رقم المهمة في الطابور", null=True, blank=True)

    class Meta:
        app_label = "articles"
        ordering = ["-created_at", "-id"]
        verbose_name = "عملية استيراد"
        verbose_name_plural = "عمليات الاستيراد"

    def __str__(self) -> str:
        return f"استيراد {self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ImportJobFile(models.Model):
    """One uploaded file (or zip archive) of an ImportJob, its bytes until the job ends."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=500)
    size = models.PositiveBigIntegerField()
    data = models.BinaryField()

    class Meta:
        app_label = "articles"
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="import_job_file_position")
        ]

    def __str__(self) -> str:
        return self.name


def store_upload(user, files: list, options: dict) -> ImportJob:
    """Store an upload (Django UploadedFile objects) as a queued ImportJob, and return it.

    Raises ``ImportTooLarge``, storing nothing, when the upload is past the
    bounds (IMPORT_UPLOAD_MAX_FILES, IMPORT_UPLOAD_MAX_BYTES: measured as
    ``articles.importers.inputs.check_upload`` measures them, without
    decompressing). The caller defers the job in the same transaction.
    """
    from articles.importers.inputs import UploadLimits, check_upload

    limits = UploadLimits(
        max_bytes=settings.IMPORT_UPLOAD_MAX_BYTES, max_files=settings.IMPORT_UPLOAD_MAX_FILES
    )
    check_upload(files, limits)
    job = ImportJob.objects.create(created_by=user, options=options)
    stored = []
    for position, upload in enumerate(files):
        upload.seek(0)
        data = upload.read()
        stored.append(
            ImportJobFile(job=job, position=position, name=upload.name, size=len(data), data=data)
        )
    ImportJobFile.objects.bulk_create(stored)
    return job
