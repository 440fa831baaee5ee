"""The newsroom: the Arabic admin where editors review, fix and release stories.

Editors (``articles.publish_article``) publish, schedule, unpublish and
withdraw; contributors create and edit drafts only. ``articles.permissions``
decides, and the server asks it on every path a request can take, not only
to hide buttons: the form's ``clean``, ``has_change_permission`` (a released
story is read-only to contributors), ``save_model`` (whatever a contributor
saves is a draft), the bulk actions (``permissions=["publish"]``), and the
history's revert and recover views. The Import page asks the same rules
through the importer.
"""

import logging
import uuid

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles import transitions
from articles.admin_guard import EditGuardMixin
from articles.admin_workflow import WorkflowButtonsMixin
from articles.forms import (
    HEADLINE_FIELDS,
    LINK_FIELDS,
    PHOTO_FIELDS,
    PUBLISHING_FIELDS,
    SHARING_FIELDS,
    SOURCE_FIELDS,
    ArticleAdminForm,
    ParagraphForm,
    ParagraphFormSet,
)
from articles.group_admin import StoryGroupAdminMixin, StoryGroupFilter
from articles.images import generate_renditions
from articles.import_admin import import_urls
from articles.ingest_admin import IngestSourceAdmin  # noqa: F401 (registers it)
from articles.models import NEWSROOM_GUID_PREFIX, Article, Paragraph, Source
from articles.permissions import can_publish, is_editable_by, may_add_source
from articles.revisions import (
    changes_since,
    compare_paragraphs,
    current_paragraphs,
    ensure_first_revision,
    field_changes,
    paragraphs_in,
)
from articles.search.index import refresh_search_vectors
from articles.search.query import parse_query
from articles.search.retrieval import newest_matches
from articles.templatetags.article_images import article_picture
from articles.templatetags.newsroom_desk import released_today
from articles.wire_desk import wire_desk_urls
from articles.workflow_wording import (
    PUBLISHED,
    SCHEDULED,
    UNPUBLISHED,
    WITHDRAWN,
    history_line,
)

logger = logging.getLogger(__name__)


# What an editor sees a story as: a published story whose time is ahead is scheduled.
WORKFLOW_STATES = {
    "draft": "مسودة",
    "scheduled": "مجدول",
    "published": "منشور",
    "withdrawn": "مسحوب",
}


def workflow_state(article) -> str:
    """``article``'s key in WORKFLOW_STATES (``transitions.state``, which the workflow bar asks)."""
    return transitions.state(article)


def workflow_note(article):
    """(state, sentence) telling an editor who can see ``article`` now."""
    state = workflow_state(article)
    if state == "draft":
        return state, "مسودة: لا يراها القراء حتى ينشرها محرر."
    if state == "withdrawn":
        return state, "مسحوب: اختفى من صفحات الموقع، ورابطه يخبر القراء بأنه سُحب."
    when = date_format(timezone.localtime(article.published_at), "DATETIME_FORMAT")
    if state == "scheduled":
        return state, f"مجدول: يظهر للقراء وحده في {when}."
    released = article.released_at
    if released and timezone.localdate(released) != timezone.localdate(article.published_at):
        # An old dispatch released late: readers see it under its own date, not at the top.
        out = date_format(timezone.localtime(released), "DATETIME_FORMAT")
        return state, (
            f"منشور منذ {out} بتاريخه الأصلي {when}: يظهر للقراء في القوائم والأرشيف بهذا التاريخ."
        )
    return state, f"منشور: يراه القراء منذ {when}."


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    form = ParagraphForm
    formset = ParagraphFormSet
    extra = 0
    fields = ["position", "text"]
    ordering = ["position"]
    classes = ["paragraphs-inline"]

    class Media:
        js = ["js/admin-paragraphs.js"]

    def get_extra(self, request, obj=None, **kwargs):
        # A new story opens with an empty first paragraph to type (or paste a story) into.
        return 1 if obj is None else 0

    # The parent story decides: a contributor may not touch a released story's paragraphs.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and is_editable_by(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and is_editable_by(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and is_editable_by(request.user, obj)


class WorkflowStatusFilter(admin.SimpleListFilter):
    """Filter by what readers see: a published story whose time is ahead is scheduled."""

    title = "الحالة"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        # "Released today" is the dashboard's count of the same name; not a state of its own.
        return [*WORKFLOW_STATES.items(), ("published_today", "نُشر اليوم")]

    def queryset(self, request, queryset):
        match self.value():
            case "draft" | "withdrawn" as status:
                return queryset.filter(status=status)
            case "scheduled":
                return queryset.scheduled()
            case "published":
                return queryset.published()
            case "published_today":
                return queryset.filter(released_today())
        return queryset


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def has_add_permission(self, request):
        # A contributor suggests the source their story needs (articles.permissions).
        return may_add_source(request.user)


# What restoring a revision never puts back, though reversion stored it: where
# the story stands in the workflow (transitions own it: status, time, when it
# was released) and in its group of copies (an editor's split or merge stays).
KEPT_ON_RESTORE = (
    "status",
    "published_at",
    "released_at",
    "story_group_id",
    "is_grouped_by_editor",
)


@admin.register(Article)
class ArticleAdmin(StoryGroupAdminMixin, WorkflowButtonsMixin, EditGuardMixin, VersionAdmin):
    form = ArticleAdminForm
    inlines = [ParagraphInline]
    list_display = [
        "headline",
        "source",
        "workflow_status",
        "story_copies",
        "published_at",
        "updated_at",
    ]
    list_filter = [WorkflowStatusFilter, StoryGroupFilter, "source"]
    list_select_related = ["source"]
    list_per_page = 50
    date_hierarchy = "published_at"
    search_fields = ["headline"]
    autocomplete_fields = ["source"]
    prepopulated_fields = {"slug": ["headline"]}
    actions = ["publish", "unpublish", "withdraw", "split_from_group", "merge_groups"]
    # The preview link in the change form replaces Django's "view on site".
    view_on_site = False
    save_on_top = True
    # Django's lookup finds the article list's own template (the Import
    # button); reversion would otherwise impose its own.
    change_list_template = None
    change_form_template = "admin/articles/article/change_form.html"
    object_history_template = "admin/articles/article/object_history.html"
    revision_form_template = "admin/articles/article/revision_form.html"
    recover_list_template = "admin/articles/article/recover_list.html"
    recover_form_template = "admin/articles/article/recover_form.html"
    history_latest_first = True
    # Body first: the headline, then the paragraphs (story_form_body.html puts
    # the inline there), then the rest in sections that fold away. The source
    # and dateline open by default (admin-story-form.js): readers see them
    # above the text, and a new story needs its source.
    fieldsets = [
        (None, {"fields": HEADLINE_FIELDS}),
        ("المصدر والمكان", {"fields": SOURCE_FIELDS, "classes": ["collapse", "open-by-default"]}),
        ("النشر", {"fields": [*PUBLISHING_FIELDS, "released_at"], "classes": ["collapse"]}),
        ("الصورة", {"fields": ["current_photo", *PHOTO_FIELDS], "classes": ["collapse"]}),
        ("الوصف ومشاركة الروابط", {"fields": SHARING_FIELDS, "classes": ["collapse"]}),
        ("الرابط", {"fields": LINK_FIELDS, "classes": ["collapse"]}),
        (
            "بيانات الاستيراد",
            {
                "fields": ["credits_shown", "guid", "version", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]
    base_readonly_fields = [
        "current_photo",
        "released_at",
        "credits_shown",
        "guid",
        "version",
        "created_at",
        "updated_at",
    ]

    class Media:
        css = {"all": ["css/admin-newsroom.css"]}
        js = ["js/admin-story-form.js", "js/admin-story-guard.js", "js/admin-workflow.js"]

    def get_urls(self):
        # The Import page and the wire desk go first, or "import/" and "wire/"
        # would be taken for an object id.
        return import_urls(self) + wire_desk_urls(self, WORKFLOW_STATES) + super().get_urls()

    # Workflow permission -------------------------------------------------

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and is_editable_by(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        if can_publish(request.user):
            return self.base_readonly_fields
        return [*self.base_readonly_fields, "status", "published_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # modelform_factory made this class (and its _meta) for this request alone.
        form.user = request.user
        if not can_publish(request.user):
            form._meta.help_texts = {
                "status": "ينشر المحررون الخبر أو يجدولونه بعد مراجعته.",
                "published_at": "يحدده المحرر حين ينشر الخبر.",
            }
        return form

    # List ----------------------------------------------------------------

    def get_search_results(self, request, queryset, search_term):
        # The site's search engine (articles.search), every status included:
        # the reader's normalisation, stems and prefix, so الافغانية finds
        # الأفغانية (the newest 1,000 matches, which keeps a common word
        # fast); or-ed with search_fields' plain substring match.
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        query = parse_query(search_term)
        if query:
            found = found | queryset.filter(pk__in=newest_matches(queryset, query))
        return found, may_have_duplicates

    @admin.display(description="الجهات المذكورة في النص")
    def credits_shown(self, obj):
        return "، ".join(obj.credits) or "—"

    @admin.display(description="الصورة الحالية")
    def current_photo(self, obj):
        if not obj.image:
            return "لا صورة لهذا الخبر."
        alt = obj.image_alt or "لا نص بديل بعد: اكتبه أدناه."
        return format_html(
            '<span class="current-photo">{}<span class="current-photo__alt">'
            "النص البديل: <bdi>{}</bdi></span></span>",
            article_picture(obj, sizes="12rem", css_class="current-photo__image"),
            alt,
        )

    @admin.display(description="الحالة", ordering="status")
    def workflow_status(self, obj):
        return WORKFLOW_STATES[workflow_state(obj)]

    # Saving ----------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not obj.guid:
            # Stories written in the newsroom have no agency identifier of their own.
            obj.guid = f"{NEWSROOM_GUID_PREFIX}{uuid.uuid4()}"
        if not can_publish(request.user):
            # Whatever a contributor saves stays a draft, even a restored revision.
            obj.status = Article.Status.DRAFT
        kept = getattr(request, "_newsroom_kept_on_restore", None)
        if kept is not None:
            # reversion has already rolled the row back: the story stood as kept.
            stored = (kept["status"], kept["published_at"])
        else:
            stored = Article.objects.filter(pk=obj.pk).values_list("status", "published_at").first()
        transitions.note_release(obj, stored)
        super().save_model(request, obj, form, change)
        if "image" in form.changed_data:
            obj.image_renditions = None
            if obj.image:
                try:
                    photo = generate_renditions(obj.image.name, obj.image.storage)
                    obj.image_renditions = photo.as_record()
                except OSError:
                    logger.exception("Could not make renditions of %s", obj.image.name)
                    messages.warning(
                        request,
                        "حُفظت الصورة، لكن تعذّر إعداد نسخها المصغّرة؛ ستُعرض بحجمها الأصلي.",
                    )
            # Not save(): the story's version token (updated_at) stays the one just written.
            Article.objects.filter(pk=obj.pk).update(image_renditions=obj.image_renditions)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_search_vectors([form.instance.pk])
        # reversion and the admin's log have recorded the save; what reader
        # pages need to hear of it goes out as for every transition.
        transitions.announce([form.instance.pk])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            article = self.get_object(request, unquote(object_id))
            if article is not None and self.has_change_permission(request, article):
                # An imported story's text as it came in becomes its first revision.
                ensure_first_revision(article)
        return super().change_view(request, object_id, form_url, extra_context)

    # Actions ---------------------------------------------------------------

    @admin.action(
        description="نشر الأخبار المختارة (تُجدول إن كان وقت نشرها في المستقبل)",
        permissions=["publish"],
    )
    def publish(self, request, queryset):
        now = timezone.now()
        changes = []
        published = scheduled = 0
        for article in queryset.exclude(status=Article.Status.PUBLISHED):
            if transitions.release(article, now) == transitions.SCHEDULED:
                scheduled += 1
                changes.append((article, history_line(SCHEDULED, article.published_at)))
            else:
                published += 1
                changes.append((article, history_line(PUBLISHED)))
        self._save_transitions(request, changes, transitions.PUBLISH)
        self.message_user(
            request,
            f"عدد الأخبار المنشورة الآن: {published}، والمجدولة: {scheduled}.",
            messages.SUCCESS,
        )

    @admin.action(description="إعادة الأخبار المختارة إلى المسودات", permissions=["publish"])
    def unpublish(self, request, queryset):
        changes = []
        for article in queryset.exclude(status=Article.Status.DRAFT):
            transitions.unpublish(article)
            changes.append((article, history_line(UNPUBLISHED)))
        self._save_transitions(request, changes, transitions.UNPUBLISH)
        self.message_user(
            request, f"عدد الأخبار المعادة إلى المسودات: {len(changes)}.", messages.SUCCESS
        )

    @admin.action(description="سحب الأخبار المختارة من الموقع", permissions=["publish"])
    def withdraw(self, request, queryset):
        changes = []
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            transitions.withdraw(article)
            changes.append((article, history_line(WITHDRAWN)))
        self._save_transitions(request, changes, transitions.WITHDRAW)
        skipped = "" if len(changes) == queryset.count() else " لا يُسحب إلا خبر منشور أو مجدول."
        self.message_user(
            request, f"عدد الأخبار المسحوبة: {len(changes)}.{skipped}", messages.SUCCESS
        )

    def _save_transitions(self, request, changes, transition) -> None:
        # The action's permissions=["publish"] already kept others out; asked
        # again here, of the one module, as every path asks it.
        for article, _ in changes:
            if transitions.refusal(request.user, article, transition):
                raise PermissionDenied
        transitions.save(changes, ["status", "published_at", "released_at"], request.user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["workflow_state"], context["workflow_note"] = workflow_note(obj)
        # A hidden field no section lists (the edit guard's token) still goes out with the form.
        adminform = context.get("adminform")
        if adminform is not None:
            placed = set(flatten_fieldsets(adminform.fieldsets))
            context["unplaced_hidden_fields"] = [
                field for field in adminform.form.hidden_fields() if field.name not in placed
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    # History ---------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        context = {
            "can_restore": article is not None and self.has_change_permission(request, article)
        }
        context.update(extra_context or {})
        return super().history_view(request, object_id, context)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        kept = getattr(request, "_newsroom_kept_on_restore", None)
        if obj is not None and kept is not None:
            # Restoring a revision restores the text; the rest stays as it is now.
            for name, value in kept.items():
                setattr(obj, name, value)
        return obj

    def revision_view(self, request, object_id, version_id, extra_context=None):
        article = get_object_or_404(Article, pk=unquote(object_id))
        # Checked on the story as it is now, before reversion rolls it back.
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_for_object(article), pk=version_id)
        request._newsroom_kept_on_restore = {n: getattr(article, n) for n in KEPT_ON_RESTORE}
        comparison = compare_paragraphs(paragraphs_in(version), current_paragraphs(article))
        context = {
            "changes": changes_since(version, article),
            "field_changes": field_changes(version, article),
            "paragraph_comparison": comparison,
            "paragraph_comparison_differs": any(row.kind != "same" for row in comparison),
            "version": version,
            "title": f"مراجعة نسخة سابقة من «{article.headline}»",
        }
        context.update(extra_context or {})
        return super().revision_view(request, object_id, version_id, context)

    # Restoring a deleted story would bring back its status too: editors only.
    def recoverlist_view(self, request, extra_context=None):
        if not can_publish(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not can_publish(request.user):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)
