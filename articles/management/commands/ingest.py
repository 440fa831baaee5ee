"""python manage.py ingest --once — poll every enabled ingest source once, then exit.

Prints one Arabic line per source, then a summary line. Exit status: 0, or
1 if any source failed (a file refused, a folder unreadable). URL sources
and feed formats are skipped with a note for now (recorded as the source's
last error); a later slice polls them, and runs ``ingest`` without
``--once`` as the workers.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from articles.ingest.polling import poll_enabled_sources


class Command(BaseCommand):
    help = "يستطلع مصادر الاستيراد التلقائي المفعّلة مرة واحدة (--once) ثم ينتهي."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="استطلع كل مصدر مفعّل مرة واحدة ثم انتهِ"
        )

    def handle(self, *args, **options):
        if not options["once"]:
            raise CommandError(
                "العمال الدائمون لم يُضافوا بعد؛ شغّل ingest --once (من cron مثلاً)", returncode=2
            )
        results = poll_enabled_sources()
        for result in results:
            stream = self.stderr if result.is_failure else self.stdout
            if result.is_failure or options["verbosity"] >= 1:
                stream.write(result.summary())
        failed = sum(result.is_failure for result in results)
        self.stdout.write(f"المصادر المستطلعة: {len(results)}، فشل منها: {failed}")
        if failed:
            sys.exit(1)
