"""The admin's Import page, and the import log (ImportRecord) as editors read it.

The Import page (``/admin/articles/article/import/``) runs the same
``articles.importers.loader.Importer`` as ``import_articles``, on uploaded
files or zip archives, and shows the same outcome per story. Only staff who
may add articles reach it; what they may do beyond that is decided by
``articles.permissions``, asked by the importer about the uploading user,
never from what the form posts: without ``articles.publish_article`` every
story is saved as a draft, and a change to a published, scheduled or
withdrawn story (or a withdrawal) is refused story by story.

The import log is read-only: every row is evidence of what arrived. Only a
superuser may delete rows (to purge a file uploaded by mistake).
"""

from __future__ import annotations

from collections import Counter

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from articles import permissions
from articles.importers.base import ImportTooLarge
from articles.importers.inputs import UploadLimits, from_uploads
from articles.importers.loader import Importer, ImportOptions
from articles.importers.outcomes import ACTION_LABELS, Action
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
    """The Import page's URL, for ArticleAdmin.get_urls to put before its own."""
    view = model_admin.admin_site.admin_view(_import_view(model_admin))
    return [path("import/", view, name="articles_article_import")]


def _import_view(model_admin: admin.ModelAdmin):
    def import_view(request):
        if not permissions.may_create(request.user):
            raise PermissionDenied
        may_publish = permissions.can_publish(request.user)
        outcomes = None
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES, may_publish=may_publish)
            if form.is_valid():
                try:
                    outcomes = _run_import(request.user, form.cleaned_data, may_publish)
                except ImportTooLarge as refusal:
                    # Refused whole, before anything was written: nothing to log.
                    form.add_error(None, refusal.message)
        else:
            form = ImportForm(may_publish=may_publish)
        context = {
            **model_admin.admin_site.each_context(request),
            "opts": Article._meta,
            "title": "استيراد أخبار",
            "form": form,
            "may_publish": may_publish,
            "max_file_bytes": settings.IMPORT_MAX_FILE_BYTES,
            "upload_max_bytes": settings.IMPORT_UPLOAD_MAX_BYTES,
            "upload_max_files": settings.IMPORT_UPLOAD_MAX_FILES,
            "upload_max_stories": settings.IMPORT_UPLOAD_MAX_STORIES,
            "can_view_log": permissions.may_read_import_log(request.user),
        }
        if outcomes is not None:
            context.update(_results(outcomes, request.user, form.cleaned_data["dry_run"]))
        return TemplateResponse(request, "admin/articles/article/import.html", context)

    return import_view


def _run_import(user, data: dict, may_publish: bool) -> list:
    options = ImportOptions(
        source=" ".join(data["source"].split()),
        # The server decides: a contributor's post of publish=on changes nothing.
        publish=may_publish and data.get("publish", False),
        overwrite=may_publish and data.get("overwrite", False),
        dry_run=data["dry_run"],
        user=user,
        # One web request: bounded, so it ends well before the server's timeout.
        max_stories=settings.IMPORT_UPLOAD_MAX_STORIES,
    )
    limits = UploadLimits(
        max_bytes=settings.IMPORT_UPLOAD_MAX_BYTES, max_files=settings.IMPORT_UPLOAD_MAX_FILES
    )
    inputs = from_uploads(data["files"], max_bytes=settings.IMPORT_MAX_FILE_BYTES, limits=limits)
    return list(Importer(options).run(inputs))


def _results(outcomes: list, user, dry_run: bool) -> dict:
    counts = Counter(outcome.action for outcome in outcomes)
    record_ids = [outcome.record_id for outcome in outcomes if outcome.record_id]
    log_url = None
    if record_ids and permissions.may_read_import_log(user):
        query = urlencode({"id__gte": min(record_ids), "id__lte": max(record_ids)})
        log_url = f"{reverse('admin:articles_importrecord_changelist')}?{query}"
    return {
        "rows": [
            (outcome, FORMAT_LABELS.get(outcome.format, outcome.format))
            for outcome in outcomes[:MAX_ROWS_SHOWN]
        ],
        "hidden_count": max(0, len(outcomes) - MAX_ROWS_SHOWN),
        # ImportRecord.Action's order, which the command's summary line follows too.
        "summary": [(label, counts[action], action) for action, label in ACTION_LABELS.items()],
        "failed_count": counts[Action.FAILED],
        "refused_count": counts[Action.REFUSED],
        "dry_run": dry_run,
        "log_url": log_url,
    }


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
