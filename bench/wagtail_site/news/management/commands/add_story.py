"""Add a story, given as JSON, under the site's home page and print its address."""

import datetime
import html
import json

from django.core.management.base import BaseCommand
from wagtail.models import Page, Site

from news.models import StoryPage


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("story", help="a JSON file: headline, slug, source, date, paragraphs")

    def handle(self, *args, **options):
        with open(options["story"], encoding="utf-8") as file:
            story = json.load(file)
        body = "".join(f"<p>{html.escape(text)}</p>" for text in story["paragraphs"])
        home = Site.objects.get(is_default_site=True).root_page
        page = StoryPage(
            title=story["headline"],
            slug=story["slug"],
            date=datetime.datetime.fromisoformat(story["date"]),
            source=story["source"],
            body=body,
        )
        home.add_child(instance=page)
        # As an editor's Publish does: a revision, then the live page.
        page.save_revision().publish()
        self.stdout.write(Page.objects.get(pk=page.pk).specific.get_url())
