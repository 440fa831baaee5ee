from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ArticlesConfig(AppConfig):
    name = "articles"
    # The section of the admin, apart from its first model (الأخبار) in the breadcrumbs.
    verbose_name = "التحرير"

    def ready(self):
        from articles.models import Article, Source
        from articles.page_cache import forget_pages
        from articles.purges import purge_changed_stories, purge_deleted_story, purge_source
        from articles.selectors import forget_navigation
        from articles.transitions import story_changed

        # Every reader page kept in the shared cache goes once a change is
        # committed (a new generation, articles.page_cache). First: the purges
        # below make the HTTP caches fetch pages again, which must not be the
        # page cache's old ones.
        story_changed.connect(forget_pages, dispatch_uid="pages-story-changed")
        for model in (Article, Source):
            post_save.connect(forget_pages, sender=model, dispatch_uid=f"pages-{model.__name__}")
            post_delete.connect(
                forget_pages, sender=model, dispatch_uid=f"pages-del-{model.__name__}"
            )
        # A story published, withdrawn or moved, a source renamed: the header's
        # sources may change. Bulk writes (imports, the admin's actions) send
        # no per-object signals; articles.transitions announces them instead.
        story_changed.connect(forget_navigation, dispatch_uid="nav-story-changed")
        for model in (Article, Source):
            post_save.connect(forget_navigation, sender=model, dispatch_uid=f"nav-{model.__name__}")
            post_delete.connect(
                forget_navigation, sender=model, dispatch_uid=f"nav-del-{model.__name__}"
            )
        # The HTTP caches in front of the site (HTTP_CACHE_PURGE_URLS) drop the
        # pages that show what changed, by surrogate key, off the request path.
        story_changed.connect(purge_changed_stories, dispatch_uid="purge-story-changed")
        post_save.connect(purge_source, sender=Source, dispatch_uid="purge-source")
        post_delete.connect(purge_source, sender=Source, dispatch_uid="purge-source-del")
        post_delete.connect(purge_deleted_story, sender=Article, dispatch_uid="purge-story-del")
