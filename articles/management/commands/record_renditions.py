"""Record the renditions of photos that have no record: those from before records existed.

Reader pages show a story's photo from the record alone (``Article.image_renditions``);
a photo without one is shown as its original, without ``srcset`` nor its size.
The admin records every new upload; this command records the rest, once, after
the deploy that brought the records (or after photos are moved between storages).
It checks the storage for the renditions a photo should have and makes only the
missing ones, so it can be stopped and run again.

A command rather than a data migration: it reads every photo from the storage
(over S3, a request or more each), which must not hold up ``migrate`` nor make
it fail when the storage is unreachable; meanwhile pages show the originals.
"""

from django.core.management.base import BaseCommand
from django.db.models import F, Q
from django.db.models.fields.json import KT

from articles.arabic import STORY_FORMS, count_phrase
from articles.images import generate_renditions
from articles.models import Article


class Command(BaseCommand):
    help = (
        "يسجّل النسخ المصغّرة لصور الأخبار التي لا سجلّ لنسخها (المرفوعة قبل التسجيل)، "
        "ويصنع الناقص منها، لتعرضها صفحات القراء دون سؤال التخزين."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--remake",
            action="store_true",
            help="يعيد صنع نسخ كل الصور وتسجيلها، وإن كانت مسجّلة",
        )

    def handle(self, *args, remake: bool, verbosity: int, **options):
        stories = Article.objects.exclude(image="")
        if not remake:
            stories = stories.annotate(recorded=KT("image_renditions__name")).filter(
                Q(recorded__isnull=True) | ~Q(recorded=F("image"))
            )
        done = failed = 0
        for story in stories.only("pk", "image").order_by("pk").iterator():
            try:
                photo = generate_renditions(
                    story.image.name, story.image.storage, keep_existing=not remake
                )
            except OSError as error:
                failed += 1
                self.stderr.write(
                    f"تعذّرت قراءة صورة الخبر {story.pk} ({story.image.name}): {error}"
                )
                continue
            # Only this column: the story's version token (updated_at) is left alone.
            Article.objects.filter(pk=story.pk, image=story.image.name).update(
                image_renditions=photo.as_record()
            )
            done += 1
            if verbosity > 1:
                self.stdout.write(f"سُجّلت نسخ صورة الخبر {story.pk}: {story.image.name}")
        parts = []
        if done:
            parts.append(f"سُجّلت نسخ الصور في {count_phrase(done, *STORY_FORMS)}")
        if failed:
            parts.append(f"تعذّر تسجيلها في {count_phrase(failed, *STORY_FORMS)}")
        self.stdout.write("، و".join(parts) or "لا صور تنتظر تسجيل نسخها")
