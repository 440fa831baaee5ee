"""python manage.py export_articles [--status all|published|draft] [--output FILE].

Writes JSON Lines, one story per line, in the schema ``import_articles`` reads
(articles/exporters.py). ``--status all`` (the default) exports every story,
withdrawn ones with status "withdrawn"; ``published`` exports the stories
released to readers, scheduled ones included (their published_at is ahead);
``draft`` the drafts. A file named by ``--output`` is written whole or not at
all: to a temporary file first, renamed over the target at the end.
"""

import os
import tempfile

from django.core.management.base import BaseCommand, CommandError

from articles.exporters import export_queryset, json_lines

STATUSES = ("all", "published", "draft")


class Command(BaseCommand):
    help = "يصدّر الأخبار بصيغة JSON Lines، خبراً في كل سطر، بالصيغة التي يقرؤها import_articles."

    def add_arguments(self, parser):
        parser.add_argument(
            "--status",
            default="all",
            help="all (الافتراضي، ومعها المسحوبة بالحالة withdrawn) أو published أو draft",
        )
        parser.add_argument(
            "--output", metavar="FILE", help="الملف الذي يُكتب فيه؛ وإلا فالمخرج القياسي"
        )

    def handle(self, *args, **options):
        status = options["status"]
        if status not in STATUSES:
            raise CommandError(
                f"الحالة «{status}» غير معروفة؛ استعمل all أو published أو draft", returncode=2
            )
        lines = json_lines(export_queryset(status))
        output = options["output"]
        if output:
            count = self._write_file(output, lines)
            if options["verbosity"] >= 1:
                self.stdout.write(f"صُدِّر {count} خبراً إلى {output}")
            return
        count = 0
        for line in lines:
            self.stdout.write(line)
            count += 1
        if options["verbosity"] >= 1:
            # Standard output carries the data; the count goes to the side.
            self.stderr.write(f"صُدِّر {count} خبراً")

    def _write_file(self, output: str, lines) -> int:
        directory = os.path.dirname(os.path.abspath(output))
        if not os.path.isdir(directory):
            raise CommandError(f"المجلد {directory} غير موجود", returncode=2)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".export-", suffix=".jsonl")
        count = 0
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                for line in lines:
                    stream.write(line + "\n")
                    count += 1
            os.replace(temporary, output)
        except BaseException:
            os.unlink(temporary)
            raise
        return count
