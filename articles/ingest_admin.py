"""The ingest sources in the admin: editors add, change and watch them; nobody else sees them.

Which folders and feeds publish into the site, and whether their copy goes
out unreviewed, is a publishing decision: ``permissions.may_manage_ingest_sources``
decides every view (list, form, delete). The state columns (last poll, last
success, last error, counts) are the pollers' to write, read-only here.
Registered by ``articles.admin``, which imports this module.
"""

from django.contrib import admin
from django.utils.html import format_html

from articles.ingest.sources import IngestSource
from articles.permissions import may_manage_ingest_sources

STATE_FIELDS = (
    "last_polled_at",
    "last_success_at",
    "last_error",
    "last_http_status",
    "created_count",
    "updated_count",
    "failed_count",
)


@admin.register(IngestSource)
class IngestSourceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "shown_location",
        "format",
        "is_enabled",
        "last_polled_at",
        "last_success_at",
        "shown_error",
        "created_count",
        "updated_count",
        "failed_count",
    ]
    list_filter = ["is_enabled", "kind", "format"]
    search_fields = ["name", "location"]
    readonly_fields = STATE_FIELDS
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "kind",
                    "location",
                    "format",
                    "poll_interval_seconds",
                    "default_credit",
                    "is_published_on_arrival",
                    "is_enabled",
                ]
            },
        ),
        ("الحالة", {"fields": STATE_FIELDS}),
    ]

    @admin.display(description="المجلد أو الرابط", ordering="location")
    def shown_location(self, source):
        # Paths and URLs are Latin inside an Arabic page: keep their order.
        return format_html('<bdi dir="ltr">{}</bdi>', source.location)

    @admin.display(description="آخر خطأ")
    def shown_error(self, source):
        if not source.last_error:
            return "—"
        status = f"HTTP {source.last_http_status}: " if source.last_http_status else ""
        return f"{status}{source.last_error}"

    def has_module_permission(self, request):
        return may_manage_ingest_sources(request.user)

    def has_view_permission(self, request, obj=None):
        return may_manage_ingest_sources(request.user)

    def has_add_permission(self, request):
        return may_manage_ingest_sources(request.user)

    def has_change_permission(self, request, obj=None):
        return may_manage_ingest_sources(request.user)

    def has_delete_permission(self, request, obj=None):
        return may_manage_ingest_sources(request.user)
