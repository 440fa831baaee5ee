"""Copies of one wire story in the story list: a column, a filter, and the editor's corrections.

``StoryGroupAdminMixin`` gives ``ArticleAdmin``

* the column ``story_copies``: how many copies the story's group holds,
  linking to the list of them (``?story_group__id__exact=N``); "—" for a
  story alone. Counted in the list's own query (``group_size``), not one
  query a row;
* the filter ``StoryGroupFilter``: stories with copies, stories alone,
  stories an editor grouped or split;
* the actions ``split_from_group`` and ``merge_groups``
  (``articles.group_decisions``), offered to editors only
  (``permissions.may_regroup``); a request that names one without the
  right is refused with a message, and nothing changes;
and restoring a revision keeps the story's group as it is now
(``admin.KEPT_ON_RESTORE``): a text restored never undoes a split or merge.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from articles import group_decisions
from articles.arabic import COPY_FORMS, count_phrase
from articles.models import Article
from articles.permissions import REGROUP_REFUSAL, may_regroup

# The query parameter of the column's link: the admin's own lookup, no filter needed.
GROUP_PARAMETER = "story_group__id__exact"
REGROUP_ACTIONS = {"split_from_group", "merge_groups"}


def group_url(group_id: int) -> str:
    """The story list narrowed to the copies of one group."""
    return f"{reverse('admin:articles_article_changelist')}?{GROUP_PARAMETER}={group_id}"


def with_group_sizes(queryset):
    """``queryset`` with ``group_size``: how many stories its group holds (1: no group).

    A story in no group counts itself, so sorting by the column puts it with
    the stories alone, not above the largest groups.
    """
    size = (
        Article.objects.filter(story_group=OuterRef("story_group"))
        .order_by()
        .values("story_group")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return queryset.annotate(group_size=Coalesce(Subquery(size, output_field=IntegerField()), 1))


def _has_copies():
    # In the (story_group, published_at) index; a story in no group has none.
    return Exists(
        Article.objects.filter(story_group=OuterRef("story_group")).exclude(pk=OuterRef("pk"))
    )


class StoryGroupFilter(admin.SimpleListFilter):
    """Stories printed by other outlets too, stories alone, and the editors' decisions."""

    title = "نسخ الخبر نفسه"
    parameter_name = "copies"

    def lookups(self, request, model_admin):
        return [
            ("grouped", "له نسخ أخرى"),
            ("alone", "منفرد"),
            ("by_editor", "بقرار محرر"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "grouped":
                return queryset.filter(_has_copies())
            case "alone":
                return queryset.exclude(_has_copies())
            case "by_editor":
                return queryset.filter(is_grouped_by_editor=True)
        return queryset


class StoryGroupChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # Annotated before the list filters and orders it, so the column sorts.
        if "group_size" not in self.root_queryset.query.annotations:
            self.root_queryset = with_group_sizes(self.root_queryset)
        return super().get_queryset(request, exclude_parameters)


class StoryGroupAdminMixin:
    """The story list's column, filter and actions for copies of one story (module docstring)."""

    def get_changelist(self, request, **kwargs):
        return StoryGroupChangeList

    # A short heading: the list has little room beside the sidebar and filters.
    @admin.display(description="النسخ", ordering="group_size")
    def story_copies(self, obj):
        size = getattr(obj, "group_size", None) or 0
        if obj.story_group_id is None or size < 2:
            if obj.is_grouped_by_editor:
                return format_html('<span title="{}">—</span>', "فصله محرر عن نسخه")
            return "—"
        return format_html(
            '<a href="{}" title="{}">{}</a>',
            group_url(obj.story_group_id),
            "جمعها محرر" if obj.is_grouped_by_editor else "عرض نسخ الخبر نفسه",
            count_phrase(size, *COPY_FORMS),
        )

    # Split and merge -----------------------------------------------------------

    def has_regroup_permission(self, request):
        return may_regroup(request.user)

    def changelist_view(self, request, extra_context=None):
        # Django offers no action a user may not run, and ignores a post that
        # names one; say why instead, and change nothing.
        if (
            request.method == "POST"
            and REGROUP_ACTIONS.intersection(request.POST.getlist("action"))
            and not may_regroup(request.user)
        ):
            self.message_user(request, REGROUP_REFUSAL, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().changelist_view(request, extra_context)

    @admin.action(description="فصل عن المجموعة", permissions=["regroup"])
    def split_from_group(self, request, queryset):
        done = group_decisions.split(queryset.values_list("pk", flat=True), request.user)
        if not done.split_out and not done.kept_alone:
            self.message_user(
                request, "الأخبار المختارة منفردة بقرار محرر أصلًا: لم يتغير شيء.", messages.INFO
            )
            return
        parts = []
        if done.split_out:
            parts.append(f"عدد الأخبار المفصولة عن نسخها: {len(done.split_out)}")
        if done.kept_alone:
            parts.append(f"عدد الأخبار المنفردة أصلًا المثبتة منفردة: {len(done.kept_alone)}")
        self.message_user(
            request,
            "، و".join(parts) + ". لن يُضم أي منها إلى مجموعة مهما وصل من نسخ.",
            messages.SUCCESS,
        )

    @admin.action(description="دمج في مجموعة واحدة", permissions=["regroup"])
    def merge_groups(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        if len(ids) < 2:
            self.message_user(
                request, "اختر خبرين على الأقل لدمج مجموعتيهما: لم يتغير شيء.", messages.WARNING
            )
            return
        done = group_decisions.merge(ids, request.user)
        if not done.moved and done.group is not None:
            self.message_user(
                request,
                format_html(
                    'الأخبار المختارة في مجموعة واحدة أصلًا: لم يتغير شيء. <a href="{}">{}</a>',
                    group_url(done.group),
                    "عرض نسخها",
                ),
                messages.INFO,
            )
            return
        self.message_user(
            request,
            format_html(
                'دُمجت في مجموعة واحدة تضم {}، وتبقى معًا مهما وصل من نسخ. <a href="{}">{}</a>',
                count_phrase(done.size, *COPY_FORMS),
                group_url(done.group),
                "عرض نسخها",
            ),
            messages.SUCCESS,
        )
