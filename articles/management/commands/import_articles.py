"""python manage.py import_articles PATH... — thin around articles.importers.loader."""

from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.importers.loader import Action, Outcome, import_file

SUMMARY = [
    ("created", Action.CREATED),
    ("updated", Action.UPDATED),
    ("unchanged", Action.UNCHANGED),
    ("conflicts", Action.CONFLICT),
    ("failed", Action.FAILED),
]


class Command(BaseCommand):
    help = "يستورد أخبار الوكالات من ملفات أو مجلدات."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="ملف أو مجلد")
        parser.add_argument("--publish", action="store_true", help="انشر الأخبار فور استيرادها")
        parser.add_argument("--dry-run", action="store_true", help="افحص الملفات دون حفظ شيء")

    def handle(self, *paths, **options):
        files = list(_files(options["paths"]))
        counts = Counter()
        for path in files:
            for outcome in self._import(path, options):
                counts[outcome.action] += 1
                self._report(outcome, options["verbosity"])
        summary = ", ".join(f"{label} {counts[action]}" for label, action in SUMMARY)
        self.stdout.write(summary)
        if counts[Action.FAILED]:
            raise SystemExit(1)

    def _import(self, path: Path, options):
        try:
            size = path.stat().st_size
            if size > settings.IMPORT_MAX_FILE_BYTES:
                limit = settings.IMPORT_MAX_FILE_BYTES
                message = f"الملف أكبر من الحد المسموح ({size} بايت، والحد {limit})"
                return [Outcome(Action.FAILED, str(path), message)]
            data = path.read_bytes()
        except OSError as error:
            return [Outcome(Action.FAILED, str(path), f"تعذّرت قراءة الملف: {error.strerror}")]
        return import_file(str(path), data, publish=options["publish"], dry_run=options["dry_run"])

    def _report(self, outcome: Outcome, verbosity: int):
        if outcome.action == Action.FAILED:
            self.stderr.write(str(outcome))
        elif verbosity >= 2 or (verbosity >= 1 and outcome.message):
            self.stdout.write(str(outcome))


def _files(paths):
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
            )
        elif path.exists():
            yield path
        else:
            raise CommandError(f"لا يوجد ملف أو مجلد بهذا الاسم: {name}", returncode=2)
