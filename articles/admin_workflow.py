"""The story form's workflow bar: publish now, schedule, unpublish, withdraw, save.

The status is no field of the form: the button pressed says what to do with
the story, the form checks it (``ArticleAdminForm``: permission through
``transitions.refusal``, a schedule's time ahead), and ``save_form`` makes the
move through ``articles.transitions``. The editor then reads what happened in
words, stays on the story, and its history says the same
(``articles.workflow_wording``).

The one time the form has, ``published_at``, stands in the bar beside the
buttons (it is taken out of the fieldsets, whatever layout they have): it is
the schedule's time, and the date readers see.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from articles import transitions, workflow_wording
from articles.models import NEWSROOM_GUID_PREFIX
from articles.permissions import can_publish
from articles.workflow_actions import (
    ACTIONS_BY_STATE,
    PUBLISH_NOW,
    SCHEDULE,
    TRANSITION_OF,
    UNPUBLISH,
    WITHDRAW,
)

# The bar's buttons: the name each posts, and the action the form hears.
BUTTONS = {
    "_publish": PUBLISH_NOW,
    "_schedule": SCHEDULE,
    "_unpublish": UNPUBLISH,
    "_withdraw": WITHDRAW,
}
# "_save" (Django's own name) keeps the story in its state; its words say which.
SAVE_LABELS = {
    "draft": "حفظ كمسودة",
    "scheduled": "حفظ",
    "published": "حفظ التعديلات",
    "withdrawn": "حفظ",
}
ACTION_LABELS = {
    ("draft", PUBLISH_NOW): "نشر الآن",
    ("draft", SCHEDULE): "جدولة",
    ("scheduled", PUBLISH_NOW): "نشر الآن",
    ("scheduled", SCHEDULE): "تغيير الموعد",
    ("scheduled", UNPUBLISH): "إلغاء النشر",
    ("published", UNPUBLISH): "إلغاء النشر",
    ("published", WITHDRAW): "سحب",
    ("withdrawn", PUBLISH_NOW): "إعادة النشر",
    ("withdrawn", UNPUBLISH): "إعادة إلى المسودات",
}
# Withdrawing makes the story's address answer 410: the browser asks first.
WITHDRAW_CONFIRMATION = (
    "سحب الخبر يخفيه من كل صفحات الموقع، ويخبر رابطه القراء بأنه سُحب (الرمز 410). أتسحبه؟"
)
OUTCOME_OF = {
    PUBLISH_NOW: workflow_wording.PUBLISHED,
    UNPUBLISH: workflow_wording.UNPUBLISHED,
    WITHDRAW: workflow_wording.WITHDRAWN,
}
# What a contributor does not see: a draft's time, and how an import stored a story of theirs.
PUBLICATION_TIME_FIELDS = {"published_at", "released_at"}
IMPORT_DATA_FIELDS = {"credits_shown", "guid", "version", "created_at", "updated_at"}


def requested_action(request) -> str:
    """The action the pressed button asks for; "" for a plain save (or no POST)."""
    if request.method != "POST":
        return ""
    return next((action for name, action in BUTTONS.items() if name in request.POST), "")


def without_fields(fieldsets, hidden: set[str]):
    """``fieldsets`` less the ``hidden`` fields, and less any fieldset left empty."""
    kept_sets = []
    for name, options in fieldsets:
        kept = []
        for field in options.get("fields", ()):
            if isinstance(field, (list, tuple)):
                line = [name for name in field if name not in hidden]
                if line:
                    kept.append(tuple(line) if len(line) > 1 else line[0])
            elif field not in hidden:
                kept.append(field)
        if kept:
            kept_sets.append((name, {**options, "fields": kept}))
    return kept_sets


class WorkflowButtonsMixin:
    """ArticleAdmin's explicit workflow actions in the form's own bar."""

    # The form ------------------------------------------------------------------

    def _time_in_bar(self, request) -> bool:
        return can_publish(request.user)

    def get_fieldsets(self, request, obj=None):
        hidden = {"status", "published_at"}
        if not can_publish(request.user):
            if obj is None or obj.status == obj.Status.DRAFT:
                hidden |= PUBLICATION_TIME_FIELDS
            else:
                # A released story is read-only to them; its time is worth reading.
                hidden.discard("published_at")
            if obj is None or obj.guid.startswith(NEWSROOM_GUID_PREFIX):
                hidden |= IMPORT_DATA_FIELDS
        return without_fields(super().get_fieldsets(request, obj), hidden)

    def get_form(self, request, obj=None, change=False, **kwargs):
        fields = kwargs.get("fields")
        if fields is not None and self._time_in_bar(request) and "published_at" not in fields:
            # Out of the fieldsets, the time is still the form's: the bar shows it.
            kwargs["fields"] = [*fields, "published_at"]
        form = super().get_form(request, obj, change, **kwargs)
        form.workflow_action = requested_action(request)
        field = form.base_fields.get("published_at")
        if field is not None:
            field.label = f"وقت النشر {workflow_wording.zone_label()}"
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["workflow_bar"] = self._workflow_bar(request, context, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _workflow_bar(self, request, context, obj) -> dict:
        state = transitions.state(obj) if obj is not None and obj.pk else "draft"
        editable = self.has_change_permission(request, obj) if obj else True
        form = context["adminform"].form
        buttons = []
        if editable:
            buttons.append({"name": "_save", "label": SAVE_LABELS[state], "primary": True})
        if editable and can_publish(request.user):
            buttons += [
                {
                    "name": name,
                    "label": ACTION_LABELS[state, action],
                    "confirm": WITHDRAW_CONFIRMATION if action == WITHDRAW else "",
                    "schedule": action == SCHEDULE,
                }
                for name, action in BUTTONS.items()
                if action in ACTIONS_BY_STATE[state]
            ]
        return {
            "state": state,
            "buttons": buttons,
            "time": form["published_at"] if "published_at" in form.fields else None,
            "site_zone": timezone.get_current_timezone_name(),
            "next_step": ""
            if can_publish(request.user) or not editable
            else workflow_wording.NEXT_STEP,
        }

    # Saving -------------------------------------------------------------------

    def save_form(self, request, form, change):
        article = super().save_form(request, form, change)
        action = form.workflow_action
        if action and transitions.refusal(
            request.user, article if change else None, TRANSITION_OF[action]
        ):
            # The form refused it already; a path that skipped the form stops here.
            raise PermissionDenied
        article._workflow_outcome = self._move(article, action, form)
        return article

    def _move(self, article, action: str, form) -> str:
        """Make ``action``'s transition on ``article`` in memory; return its outcome."""
        now = timezone.now()
        if action == PUBLISH_NOW:
            typed = article.published_at
            # «Now» means now, whatever time ahead the form held.
            article.published_at = min(typed, now)
            transitions.release(article, now)
            if "published_at" in form.changed_data and typed <= now:
                # A time the editor typed in the past backdates the story.
                article.published_at = typed
            return workflow_wording.PUBLISHED
        if action == SCHEDULE:
            transitions.release(article, now)
            return workflow_wording.SCHEDULED
        if action == UNPUBLISH:
            transitions.unpublish(article)
        elif action == WITHDRAW:
            transitions.withdraw(article)
        elif form.workflow_state == "scheduled" and "published_at" in form.changed_data:
            # A scheduled story saved with a new time is rescheduled (the form checked it is ahead).
            return workflow_wording.SCHEDULED
        return OUTCOME_OF.get(action, "")

    def construct_change_message(self, request, form, formsets, add):
        outcome = getattr(form.instance, "_workflow_outcome", "")
        timed = outcome in (workflow_wording.PUBLISHED, workflow_wording.SCHEDULED)
        edited = [
            self._field_name_for_history(form, name)
            for name in form.changed_data
            if not form.fields[name].widget.is_hidden and not (timed and name == "published_at")
        ]
        for formset in formsets:
            if formset.new_objects or formset.changed_objects or formset.deleted_objects:
                edited.append(str(formset.model._meta.verbose_name_plural))
        return workflow_wording.history_line(
            outcome, form.instance.published_at, edited, created=add
        )

    def _field_name_for_history(self, form, name: str) -> str:
        # The model's own name ("وقت النشر"), not the form's label with its time zone.
        try:
            return str(self.opts.get_field(name).verbose_name)
        except FieldDoesNotExist:
            return str(form.fields[name].label or name)

    # After the save: say what happened, and stay on the story -----------------------

    def response_add(self, request, obj, post_url_continue=None):
        if IS_POPUP_VAR in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return self._stay_on_story(request, obj)

    def response_change(self, request, obj):
        if IS_POPUP_VAR in request.POST:
            return super().response_change(request, obj)
        return self._stay_on_story(request, obj)

    def _stay_on_story(self, request, obj):
        outcome = getattr(obj, "_workflow_outcome", "")
        said = workflow_wording.message(
            outcome, obj, drafted_for_review=not can_publish(request.user)
        )
        self.message_user(request, said, messages.SUCCESS)
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        filters = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        return HttpResponseRedirect(add_preserved_filters(filters, url))
