"""The admin's Import page, and the import log (ImportRecord) as editors read it.

The Import page (``/admin/articles/article/import/``) takes uploaded files
or zip archives, stores them in the database (articles/import_jobs.py) and
queues their import for a background worker (``manage.py ingest``,
``articles.ingest.jobs.import_upload_job``), then answers at once with the
upload's progress page (``import/<id>/``), which follows the job through a
JSON endpoint (``import/<id>/status/``) and, once it is done, shows the same
outcome per story as ``import_articles``: no upload holds a web worker. An
upload past the bounds is refused on the form, before anything is stored.
Only staff who may add articles reach these pages, and each upload's page
only its uploader (and superusers); what they may do beyond that is decided
by ``articles.permissions``, asked by the importer inside the job about the
uploading user, never from what the form posts: without
``articles.publish_article`` every story is saved as a draft, and a change
to a published, scheduled or withdrawn story (or a withdrawal) is refused
story by story.

The import log is read-only: every row is evidence of what arrived. Only a
superuser may delete rows (to purge a file uploaded by mistake).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from procrastinate.contrib.django.models import ProcrastinateJob

from articles import permissions
from articles.import_jobs import ImportJob, store_upload
from articles.importers.base import ImportTooLarge
from articles.importers.outcomes import ACTION_LABELS, Action
from articles.ingest import jobs
from articles.models import Article, ImportRecord

# Rows of the outcome table shown after an upload; the import log has them all.
MAX_ROWS_SHOWN = 1000
FORMAT_LABELS = {
    "text": "نص عادي",
    "jsonl": "JSON Lines",
    "newsml": "NewsML-G2",
    "nitf": "NITF",
    "ninjs": "ninjs",
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, as Django's documentation shows it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            if not data and self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportForm(forms.Form):
    files = MultipleFileField(
        label="الملفات",
        help_text="ملف أو أكثر، أو أرشيف zip: نص عادي، JSON Lines، NewsML-G2، NITF أو ninjs. "
        "تُكتشف الصيغة من محتوى كل ملف.",
    )
    source = forms.CharField(
        label="المصدر",
        required=False,
        max_length=100,
        help_text="يُنسب إليه كل خبر لا يذكر مصدره.",
    )
    publish = forms.BooleanField(
        label="انشر الأخبار فور استيرادها", required=False, help_text="وإلا حُفظت مسودات للمراجعة."
    )
    overwrite = forms.BooleanField(
        label="استبدل تعديلات المحررين",
        required=False,
        help_text="الخبر الذي عدّله محرر بعد استيراده يُترك عادةً ويُبلَّغ عنه تعارضاً.",
    )
    dry_run = forms.BooleanField(
        label="افحص فقط", required=False, help_text="تحقق من الملفات دون حفظ شيء."
    )

    def __init__(self, *args, may_publish: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_publish:
            # Not shown; and ignored if posted anyway (see import_view).
            del self.fields["publish"]
            del self.fields["overwrite"]


def import_urls(model_admin: admin.ModelAdmin) -> list:
    """The Import page's URLs, for ArticleAdmin.get_urls to put before its own."""
    site = model_admin.admin_site
    return [
        path("import/", site.admin_view(_import_view(model_admin)), name="articles_article_import"),
        path(
            "import/<int:job_id>/",
            site.admin_view(_progress_view(model_admin)),
            name="articles_article_import_job",
        ),
        path(
            "import/<int:job_id>/status/",
            site.admin_view(_status_view),
            name="articles_article_import_job_status",
        ),
    ]


def _import_view(model_admin: admin.ModelAdmin):
    def import_view(request):
        if not permissions.may_create(request.user):
            raise PermissionDenied
        may_publish = permissions.can_publish(request.user)
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES, may_publish=may_publish)
            if form.is_valid():
                try:
                    job = _enqueue(request.user, form.cleaned_data, may_publish)
                except ImportTooLarge as refusal:
                    # Refused whole, before anything was stored: nothing to log.
                    form.add_error(None, refusal.message)
                else:
                    return redirect("admin:articles_article_import_job", job_id=job.pk)
        else:
            form = ImportForm(may_publish=may_publish)
        context = {
            **_page_context(model_admin, request, "استيراد أخبار"),
            "form": form,
            "may_publish": may_publish,
            "max_file_bytes": settings.IMPORT_MAX_FILE_BYTES,
            "upload_max_bytes": settings.IMPORT_UPLOAD_MAX_BYTES,
            "upload_max_files": settings.IMPORT_UPLOAD_MAX_FILES,
            "upload_max_stories": settings.IMPORT_UPLOAD_MAX_STORIES,
        }
        return TemplateResponse(request, "admin/articles/article/import.html", context)

    return import_view


def _page_context(model_admin: admin.ModelAdmin, request, title: str) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "title": title,
        "can_view_log": permissions.may_read_import_log(request.user),
    }


def _enqueue(user, data: dict, may_publish: bool) -> ImportJob:
    """Store the upload and queue its import, in one transaction: a worker runs it."""
    options = {
        "source": " ".join(data["source"].split()),
        # The server decides: a contributor's post of publish=on changes nothing.
        "publish": may_publish and data.get("publish", False),
        "overwrite": may_publish and data.get("overwrite", False),
        "dry_run": data["dry_run"],
    }
    with transaction.atomic():
        job = store_upload(user, data["files"], options)
        job.procrastinate_job_id = jobs.import_upload_job.defer(import_job_id=job.pk)
        job.save(update_fields=["procrastinate_job_id"])
    return job


def _own_job(request, job_id: int) -> ImportJob:
    """The upload ``job_id`` if the signed-in user made it (or is a superuser); else 404."""
    if not permissions.may_create(request.user):
        raise PermissionDenied
    jobs_seen = ImportJob.objects.all()
    if not request.user.is_superuser:
        jobs_seen = jobs_seen.filter(created_by=request.user)
    return get_object_or_404(jobs_seen, pk=job_id)


def _progress_view(model_admin: admin.ModelAdmin):
    def progress_view(request, job_id: int):
        job = _own_job(request, job_id)
        context = {
            **_page_context(model_admin, request, "نتيجة الاستيراد"),
            "job": job,
            "status_url": reverse("admin:articles_article_import_job_status", args=[job.pk]),
        }
        if job.status == ImportJob.Status.DONE:
            context.update(_results(job, request.user))
        return TemplateResponse(request, "admin/articles/article/import_job.html", context)

    return progress_view


def _status_view(request, job_id: int):
    """The upload's status as JSON, for the progress page's script."""
    job = _own_job(request, job_id)
    return JsonResponse(
        {
            "status": job.status,
            "label": job.get_status_display(),
            "processed": job.processed,
            "finished": job.is_finished,
        }
    )


def _results(job: ImportJob, user) -> dict:
    outcomes = jobs.stored_outcomes(job)
    record_ids = [outcome.record_id for outcome in outcomes if outcome.record_id]
    log_url = None
    if record_ids and permissions.may_read_import_log(user):
        query = urlencode({"id__gte": min(record_ids), "id__lte": max(record_ids)})
        log_url = f"{reverse('admin:articles_importrecord_changelist')}?{query}"
    counts = job.summary
    return {
        "rows": [
            (outcome, FORMAT_LABELS.get(outcome.format, outcome.format))
            for outcome in outcomes[:MAX_ROWS_SHOWN]
        ],
        "hidden_count": max(0, job.total_outcomes - min(len(outcomes), MAX_ROWS_SHOWN)),
        # ImportRecord.Action's order, which the command's summary line follows too.
        "summary": [
            (label, counts.get(action, 0), action) for action, label in ACTION_LABELS.items()
        ],
        "failed_count": counts.get(Action.FAILED, 0),
        "refused_count": counts.get(Action.REFUSED, 0),
        "dry_run": bool(job.options.get("dry_run")),
        "log_url": log_url,
    }


# procrastinate's own page of its jobs is in English and for operators, who have
# `manage.py procrastinate`; an upload's page shows its editor what the job did.
if admin.site.is_registered(ProcrastinateJob):
    admin.site.unregister(ProcrastinateJob)


class FormatFilter(admin.SimpleListFilter):
    title = "الصيغة"
    parameter_name = "format"

    def lookups(self, request, model_admin):
        return list(FORMAT_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(format=self.value()) if self.value() else queryset


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "headline", "file_place", "importer"]
    list_display_links = ["created_at", "action"]
    list_filter = ["action", FormatFilter]
    list_select_related = ["imported_by"]
    search_fields = ["file_name", "headline", "guid"]
    date_hierarchy = "created_at"
    list_per_page = 100

    class Media:
        css = {"all": ["css/admin-import.css"]}

    fieldsets = [
        (None, {"fields": ["created_at", "importer", "file_place", "format_label", "action"]}),
        ("الخبر", {"fields": ["headline", "guid", "version", "article_link", "story_log"]}),
        ("التفاصيل", {"fields": ["message_text"]}),
        ("النص الوارد", {"fields": ["original_text"]}),
    ]
    readonly_fields = [
        "created_at",
        "importer",
        "file_place",
        "format_label",
        "action",
        "headline",
        "guid",
        "version",
        "article_link",
        "story_log",
        "message_text",
        "original_text",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description="الملف", ordering="file_name")
    def file_place(self, record):
        where = f"{record.file_name}:{record.line}" if record.line else record.file_name
        return format_html('<bdi dir="ltr" class="import-file">{}</bdi>', where)

    @admin.display(description="الصيغة", ordering="format")
    def format_label(self, record):
        return FORMAT_LABELS.get(record.format, record.format or "—")

    @admin.display(description="المستورِد", ordering="imported_by")
    def importer(self, record):
        return record.imported_by or "سطر الأوامر"

    @admin.display(description="الخبر")
    def article_link(self, record):
        if record.article_id is None:
            return "—"
        url = reverse("admin:articles_article_change", args=[record.article_id])
        return format_html('<a href="{}">فتح الخبر في غرفة الأخبار</a>', url)

    @admin.display(description="سجل الخبر")
    def story_log(self, record):
        """Every import of this story, each version's text among them."""
        if not record.guid:
            return "—"
        url = reverse("admin:articles_importrecord_changelist")
        return format_html(
            '<a href="{}?{}">كل ما ورد بهذا المعرّف (النسخ السابقة)</a>',
            url,
            urlencode({"guid": record.guid}),
        )

    @admin.display(description="التفاصيل")
    def message_text(self, record):
        return _preformatted(record.message)

    @admin.display(description="النص كما ورد")
    def original_text(self, record):
        return _preformatted(record.original)


def _preformatted(text: str):
    if not text:
        return "—"
    # format_html escapes the wire's text; line breaks are kept by CSS.
    return format_html('<div dir="auto" class="import-text">{}</div>', text)
