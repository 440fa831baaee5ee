"""The story form's workflow bar: publish now, schedule, unpublish, withdraw, save as draft.

(Filled in by the workflow work of issue 14.)
"""


class WorkflowButtonsMixin:
    """ArticleAdmin's explicit workflow actions in the form's own bar."""
