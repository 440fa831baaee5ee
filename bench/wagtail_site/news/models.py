"""A news story as a Wagtail page: a title, a date, a source and a rich-text body."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class StoryPage(Page):
    date = models.DateTimeField()
    source = models.CharField(max_length=200, blank=True)
    body = RichTextField()

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("source"),
        FieldPanel("body"),
    ]
