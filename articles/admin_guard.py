"""Never lose an edit: conflict detection on save and the short edit lock.

(Filled in by the edit-guard work of issue 14.)
"""


class EditGuardMixin:
    """ArticleAdmin's conflict check and edit lock."""
