"""Never lose an edit: the story form's conflict message and its quiet edit lock.

The refusal itself is the form's (``forms.EditConflictCheck``, through
``articles.edit_conflicts``), checked inside the transaction the admin wraps
every save in; this mixin tells the refused editor who changed the story, when
and what, with the two ways on (reload, or overwrite on purpose).

The lock (``articles.edit_locks``) is taken when an editor opens a story's
form, refreshed by ``static/js/admin-story-guard.js`` through ``<id>/lock/``,
and let go on leaving (``<id>/unlock/``) and after a save. Both URLs answer
POST only, CSRF-checked, to whoever may change the story, with small JSON.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.http import JsonResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from articles import edit_conflicts, edit_locks


class EditGuardMixin:
    """ArticleAdmin's conflict message and edit lock."""

    # URLs ----------------------------------------------------------------------

    def get_urls(self):
        # Before the admin's own: "<id>/" alone would take "<id>/lock/" for an id.
        site = self.admin_site
        return [
            path(
                "<path:object_id>/lock/",
                site.admin_view(require_POST(self.lock_view)),
                name=_url_name(self, "lock", namespaced=False),
            ),
            path(
                "<path:object_id>/unlock/",
                site.admin_view(require_POST(self.unlock_view)),
                name=_url_name(self, "unlock", namespaced=False),
            ),
            *super().get_urls(),
        ]

    def lock_view(self, request, object_id):
        """Take or refresh the editor's lock; say who else holds it, if anyone."""
        article, refusal = self._lockable(request, object_id)
        if refusal is not None:
            return refusal
        return JsonResponse(_lock_notice(edit_locks.hold(article.pk, request.user)))

    def unlock_view(self, request, object_id):
        """Let go of the editor's lock (the page is being left)."""
        article, refusal = self._lockable(request, object_id)
        if refusal is not None:
            return refusal
        edit_locks.release(article.pk, request.user)
        return JsonResponse({"released": True})

    def _lockable(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return None, JsonResponse({"error": "لا يوجد هذا الخبر."}, status=404)
        if not self.has_change_permission(request, article):
            return None, JsonResponse({"error": "لا تملك تعديل هذا الخبر."}, status=403)
        return article, None

    # The form -----------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        editing = obj is not None and obj.pk and self.has_change_permission(request, obj)
        guard = {
            # A form shown again after a refused save holds edits not saved yet.
            "unsaved": form.is_bound and bool(context.get("errors")),
        }
        if editing:
            other = edit_locks.hold(obj.pk, request.user)
            guard |= {
                "lock_url": reverse(_url_name(self, "lock"), args=[obj.pk]),
                "unlock_url": reverse(_url_name(self, "unlock"), args=[obj.pk]),
                "heartbeat": edit_locks.heartbeat_seconds(),
                "other": _lock_notice(other)["holder"],
            }
        conflict = getattr(form, "edit_conflict", None)
        if conflict is not None:
            guard["conflict"] = edit_conflicts.describe(conflict)
            guard["conflict_token"] = conflict.current_token
            guard["overwrite_field"] = edit_conflicts.OVERWRITE_FIELD
            guard["reload_url"] = reverse(_url_name(self, "change"), args=[obj.pk])
            _drop_conflict_error(form, context)
        context["edit_guard"] = guard
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            # Saved: the next editor need not wait. Once committed, as a cache
            # write never rolls back.
            article_id, user = form.instance.pk, request.user
            transaction.on_commit(lambda: edit_locks.release(article_id, user))


def _url_name(model_admin, view: str, namespaced: bool = True) -> str:
    name = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}_{view}"
    return f"{model_admin.admin_site.name}:{name}" if namespaced else name


def _lock_notice(lock) -> dict:
    """What the page shows of another editor's lock (None: nobody else)."""
    if lock is None:
        return {"holder": None}
    return {"holder": {"name": lock.name, "since": lock.since_phrase()}}


def _drop_conflict_error(form, context) -> None:
    # The conflict box says it all, above the form: Django's own "correct the
    # error below" and the bare error line would only repeat it less well.
    errors = form.errors.get(NON_FIELD_ERRORS)
    if errors is None:
        return
    errors.data = [
        error for error in errors.as_data() if error.code != edit_conflicts.CONFLICT_CODE
    ]
    if not errors.data:
        del form.errors[NON_FIELD_ERRORS]
        context["errors"].data = [
            listed for listed in context["errors"].data if listed is not errors
        ]
