from django.urls import path, register_converter

from articles import views
from articles.converters import UnicodeSlugConverter

register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="index"),
    path("story/<uslug:slug>/", views.article_detail, name="detail"),
]
