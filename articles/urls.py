from django.urls import path, re_path, register_converter

from articles import views
from articles.converters import UnicodeSlugConverter

register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="index"),
    path("story/<uslug:slug>/", views.article_detail, name="detail"),
    path("source/<uslug:slug>/", views.source_detail, name="source"),
    path("archive/", views.archive_index, name="archive"),
    path("search/", views.search, name="search"),
    path("search/suggest/", views.search_suggest, name="search-suggest"),
    # Zero-padded, one address per day: reverse it through views.archive_day_url(date).
    re_path(
        r"^archive/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/$",
        views.archive_day,
        name="archive_day",
    ),
]
