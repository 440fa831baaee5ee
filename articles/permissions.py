"""Who may do what to a story: the one place every path asks.

Editors (``articles.publish_article``) release stories: they publish,
schedule, unpublish and withdraw, and they alone change a story that readers
can see, will see or have seen. Contributors write drafts and change drafts,
never anything else. The admin's change form and inlines, its bulk actions,
its history and recovery views, the Import page and the importer all decide
through these functions, so a rule cannot hold on one path and not another.

``user`` is None for the operator's own tools (``manage.py import_articles``,
background jobs the operator configured): whoever runs manage.py can already
do anything to the database, so they act as an editor.
"""

from __future__ import annotations

from articles.models import Article

PUBLISH_PERMISSION = "articles.publish_article"
ADD_PERMISSION = "articles.add_article"
CHANGE_PERMISSION = "articles.change_article"
VIEW_PERMISSION = "articles.view_article"
VIEW_IMPORT_LOG_PERMISSION = "articles.view_importrecord"
SOURCE_ADD_PERMISSION = "articles.add_source"

# What a user is told when a rule refuses them, wherever they tried.
RELEASED_STORY_REFUSAL = "هذا الخبر منشور أو مجدول أو مسحوب، ولا يعدّله إلا المحررون."
CREATE_REFUSAL = "لا يملك حسابك صلاحية إضافة الأخبار."
PUBLISH_REFUSAL = "لا يملك حسابك صلاحية النشر أو الجدولة أو السحب: احفظ الخبر مسودة وسيراجعه محرر."
REGROUP_REFUSAL = (
    "لا يملك حسابك صلاحية فصل نسخ الخبر نفسه أو دمجها: يقرر ذلك المحررون، ولم يتغير شيء."
)


def can_publish(user) -> bool:
    """Whether ``user`` may publish, schedule, unpublish and withdraw stories."""
    return user is None or user.has_perm(PUBLISH_PERMISSION)


def may_regroup(user) -> bool:
    """Whether ``user`` may split a story out of its group of copies, or merge groups.

    Editors: which copies readers see as one story is a publishing decision.
    """
    return can_publish(user)


def is_editable_by(user, article: Article | None) -> bool:
    """Whether ``article``'s workflow state lets ``user`` change it (None: a new story).

    Contributors change drafts only: a released or withdrawn story is the
    editors'. The model permissions (add, change) are asked separately, by the
    admin's own checks or by ``may_change``.
    """
    return article is None or article.status == Article.Status.DRAFT or can_publish(user)


def may_create(user) -> bool:
    """Whether ``user`` may add a story (it arrives as a draft unless they may publish)."""
    return user is None or user.has_perm(ADD_PERMISSION)


def may_change(user, article: Article) -> bool:
    """Whether ``user`` may change the stored ``article``: the change form's rule, whole."""
    if user is None:
        return True
    return user.has_perm(CHANGE_PERMISSION) and is_editable_by(user, article)


def may_add_source(user) -> bool:
    """Whether ``user`` may add a source to the list: editors, and any story's writer.

    A contributor whose story comes from a source not yet listed adds it
    beside the story (the form's "+"), and the editor sees it when reviewing
    the draft; readers see a source only once a story of it is published.
    """
    return user is None or user.has_perm(SOURCE_ADD_PERMISSION) or may_create(user)


def may_manage_ingest_sources(user) -> bool:
    """Whether ``user`` may see, add, change and delete ingest sources: editors only.

    A source decides what reaches the site and whether it goes out unreviewed.
    """
    return can_publish(user)


def may_preview(user) -> bool:
    """Whether ``user`` may see a story readers cannot see yet (a draft, a scheduled one)."""
    return user.is_active and user.is_staff and user.has_perm(VIEW_PERMISSION)


def may_read_import_log(user) -> bool:
    """Whether ``user`` may read the import log (what arrived, and its original text)."""
    return user.has_perm(VIEW_IMPORT_LOG_PERMISSION)
