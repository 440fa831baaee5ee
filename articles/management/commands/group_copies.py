"""Group the stored stories that have no fingerprint yet: those from before grouping existed."""

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.arabic import STORY_FORMS, count_phrase
from articles.group_settling import settle
from articles.models import Article, Paragraph
from articles.story_groups import Pending, group_stories


class Command(BaseCommand):
    help = (
        "يجمع نسخ الخبر الواحد بين الأخبار المخزنة التي لم تُجمع بعد (المستوردة قبل التجميع)، "
        "من الأقدم إلى الأحدث، كما يجمعها الاستيراد."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=500, help="عدد الأخبار في كل دفعة (500 افتراضياً)"
        )

    def handle(self, *args, batch_size: int, verbosity: int, **options):
        done = 0
        while True:
            # Oldest first, as an import meets them, so each copy finds the earlier ones.
            ids = list(
                Article.objects.filter(fingerprint__isnull=True)
                .order_by("published_at", "id")
                .values_list("id", flat=True)[:batch_size]
            )
            if not ids:
                break
            bodies: dict[int, list[str]] = {pk: [] for pk in ids}
            rows = Paragraph.objects.filter(article_id__in=ids).order_by("article_id", "position")
            for article_id, text in rows.values_list("article_id", "text"):
                bodies[article_id].append(text)
            with transaction.atomic():
                # Logged as an import's are, for the imports running meanwhile.
                pending = Pending()
                group_stories(bodies.items(), pending)
                settle(pending)
            done += len(ids)
            if verbosity > 1:
                self.stdout.write(f"جُمّع {count_phrase(done, *STORY_FORMS)} حتى الآن")
        if done:
            self.stdout.write(f"جُمّع {count_phrase(done, *STORY_FORMS)}")
        else:
            self.stdout.write("لا أخبار تنتظر التجميع")
