from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve

from articles import feeds, sitemaps

admin.site.site_header = f"إدارة {settings.SITE_NAME}"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "غرفة الأخبار"

# Inside the admin an error is an Arabic page in the admin's design; elsewhere
# the site's own 404.html and 500.html (newsportal/error_views.py).
handler403 = "newsportal.error_views.permission_denied"
handler404 = "newsportal.error_views.page_not_found"
handler500 = "newsportal.error_views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
    # Syndication, sitemaps and robots.txt. After the include above, which
    # registers the "uslug" converter these routes use.
    path("feed/", feeds.LatestStoriesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestStoriesAtomFeed(), name="feed-atom"),
    path("source/<uslug:slug>/feed/", feeds.SourceStoriesFeed(), name="source-feed"),
    path("source/<uslug:slug>/feed/atom/", feeds.SourceStoriesAtomFeed(), name="source-feed-atom"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<str:section>.xml", sitemaps.section, name="sitemap-section"),
    path("news-sitemap.xml", sitemaps.news_sitemap, name="news-sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots",
    ),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
