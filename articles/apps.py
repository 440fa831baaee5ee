from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "الأخبار"

    def ready(self):
        from articles.models import Article, Source
        from articles.selectors import forget_navigation

        # A story published, withdrawn or moved, a source renamed: the header's
        # sources may change. The importer, which writes in bulk, forgets them itself.
        for model in (Article, Source):
            post_save.connect(forget_navigation, sender=model, dispatch_uid=f"nav-{model.__name__}")
            post_delete.connect(
                forget_navigation, sender=model, dispatch_uid=f"nav-del-{model.__name__}"
            )
