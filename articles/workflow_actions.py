"""What the story form's workflow buttons ask, and the form's checks of it.

The admin's bar (``articles.admin_workflow``) posts a button; the form hears
it as ``workflow_action`` and checks, before anything is saved, that its user
may make that move (``transitions.refusal``, as every path asks), that the
story's state still offers it, and that a schedule's time is ahead. The move
itself is made by the admin, through ``articles.transitions``, once the form
is valid.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from articles import transitions

# What the workflow bar's buttons ask the form for; "" saves the story as it stands.
PUBLISH_NOW = "publish"
SCHEDULE = "schedule"
UNPUBLISH = "unpublish"
WITHDRAW = "withdraw"
# The transition (articles.transitions) each action is, for the permission asked.
TRANSITION_OF = {
    PUBLISH_NOW: transitions.PUBLISH,
    SCHEDULE: transitions.PUBLISH,
    UNPUBLISH: transitions.UNPUBLISH,
    WITHDRAW: transitions.WITHDRAW,
}
# The actions a story offers in each state (transitions.state); a new story is a draft.
ACTIONS_BY_STATE = {
    "draft": (PUBLISH_NOW, SCHEDULE),
    "scheduled": (PUBLISH_NOW, SCHEDULE, UNPUBLISH),
    "published": (UNPUBLISH, WITHDRAW),
    "withdrawn": (PUBLISH_NOW, UNPUBLISH),
}


class WorkflowActionCheck:
    """The article form's part: the action asked, checked against who asks and the story's state.

    The form calls ``_action_allowed`` and, for editors,
    ``_settle_publication_time`` from its ``clean``.
    """

    # Set per request by the admin from the button pressed (articles.admin_workflow).
    workflow_action = ""

    @property
    def workflow_state(self) -> str:
        """The story's state before this save (transitions.state); a new story is a draft."""
        return transitions.state(self.instance) if self.instance.pk else "draft"

    def _action_allowed(self) -> bool:
        # Asked of the one module, as on every path; a contributor who posts
        # a release button hears why not, never a server error.
        action = self.workflow_action
        story = self.instance if self.instance.pk else None
        why = transitions.refusal(self.user, story, TRANSITION_OF[action])
        if why:
            self.add_error(None, ValidationError(why, code="publish_forbidden"))
            return False
        if action not in ACTIONS_BY_STATE[self.workflow_state]:
            # A form opened before someone else changed the story's state.
            self.add_error(
                None,
                ValidationError(
                    "تغيّرت حالة الخبر منذ فتحت النموذج، فلم يعد هذا الإجراء متاحًا له. "
                    "أعد تحميل الصفحة لترى حالته الآن.",
                    code="action_unavailable",
                ),
            )
            return False
        return True

    def _settle_publication_time(self, cleaned):
        # The time the form shows is the one source of the schedule: «جدولة»
        # releases the story at it; the admin settles «نشر الآن»'s date
        # (articles.admin_workflow, through articles.transitions.release).
        if "published_at" not in self.fields or "published_at" in self.errors:
            return
        when = cleaned.get("published_at")
        now = timezone.now()
        state = self.workflow_state
        moved = "published_at" in self.changed_data
        if self.workflow_action == SCHEDULE or (
            not self.workflow_action and state == "scheduled" and moved
        ):
            if when is None or when <= now:
                self.add_error(
                    "published_at",
                    ValidationError(
                        "اختر للجدولة موعدًا في المستقبل: هذا الموعد مضى. "
                        "لنشر الخبر فورًا اضغط «نشر الآن»."
                        if when
                        else "اكتب موعد النشر قبل أن تضغط «جدولة».",
                        code="schedule_in_past",
                    ),
                )
            return
        if not self.workflow_action and state == "published" and when and when > now:
            # Saved as it is, a published story with a time ahead would vanish until then.
            self.add_error(
                "published_at",
                ValidationError(
                    "وقت في المستقبل يخفي الخبر المنشور عن القراء حتى يحين. لتأجيله "
                    "اضغط «إلغاء النشر» ثم «جدولة».",
                    code="published_into_future",
                ),
            )
            return
        if when is None:
            when = self.instance.published_at if self.instance.pk else now
        cleaned["published_at"] = when
