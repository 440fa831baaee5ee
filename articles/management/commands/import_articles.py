"""python manage.py import_articles PATH... — thin around articles.importers.loader.

Exit status: 0 when nothing failed, 1 when any file or story failed or was
refused (the others still imported), 2 for wrong usage. The last line on
standard output is always the summary ``created N, updated N, published N,
unchanged N, conflicts N, refused N, failed N``.
"""

import codecs
import os
import re
import sys
from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.importers.base import ALL_FORMATS
from articles.importers.inputs import count_paths, from_paths
from articles.importers.loader import Importer, ImportOptions
from articles.importers.outcomes import Action, Outcome
from articles.importers.reading import default_workers

SUMMARY = [
    ("created", Action.CREATED),
    ("updated", Action.UPDATED),
    ("published", Action.PUBLISHED),
    ("unchanged", Action.UNCHANGED),
    ("conflicts", Action.CONFLICT),
    ("refused", Action.REFUSED),
    ("failed", Action.FAILED),
]
_SIZE = re.compile(r"^\s*(\d+)\s*([kKmMgG]?)[bB]?\s*$")
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


class Command(BaseCommand):
    help = (
        "يستورد أخبار الوكالات من ملفات أو مجلدات أو أرشيفات zip أو من المدخل القياسي (-): "
        "نص عادي، JSON Lines، NewsML-G2، NITF، ninjs، خلاصات RSS وAtom. "
        "تُحفظ الأخبار مسودات ما لم يُطلب النشر."
    )
    # Tests hand the command a stream for "-" in place of sys.stdin.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="ملف أو مجلد أو أرشيف zip، أو - للمدخل القياسي"
        )
        parser.add_argument(
            "--format",
            default="auto",
            help=f"صيغة الملفات: auto (تُكتشف من المحتوى، الافتراضي) أو {' أو '.join(ALL_FORMATS)}",
        )
        parser.add_argument(
            "--encoding", help="ترميز الملفات النصية، مثل cp1256 أو utf-16؛ يُكتشف إن لم يُذكر"
        )
        parser.add_argument(
            "--source", default="", help="المصدر الذي يُنسب إليه كل خبر لا يذكر مصدره"
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="انشر الأخبار فور استيرادها (خبر JSON Lines يبقى بالحالة التي يذكرها سطره)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="افحص الملفات وتحقق منها دون حفظ شيء"
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="استبدل بالنسخة الواردة حتى الأخبار التي عدّلها محرر بعد استيرادها",
        )
        parser.add_argument(
            "--workers",
            type=int,
            metavar="N",
            help="عدد العمليات التي تقرأ الملفات بالتوازي، و0 للقراءة في العملية نفسها "
            "(الافتراضي: بحسب عدد الملفات والمعالجات)",
        )
        parser.add_argument(
            "--no-grouping",
            action="store_true",
            help="لا تجمع نسخ الخبر الواحد الآن (لتحميل أرشيف كبير أسرع)؛ "
            "شغّل group_copies بعده ليجمعها",
        )
        parser.add_argument(
            "--max-size",
            metavar="BYTES",
            help="أكبر حجم مقبول للملف الواحد، مثل 10M أو 500K "
            "(الافتراضي IMPORT_MAX_FILE_BYTES في الإعدادات)",
        )

    def handle(self, *args, **options):
        paths = options["paths"]
        max_bytes = self._max_bytes(options["max_size"])
        format_ = self._format(options["format"])
        encoding = self._encoding(options["encoding"])
        source = self._source(options["source"])
        self._check_paths(paths)
        file_count = count_paths(paths)
        import_options = ImportOptions(
            format=format_,
            encoding=encoding,
            source=source,
            publish=options["publish"],
            dry_run=options["dry_run"],
            overwrite=options["overwrite"],
            workers=self._workers(options["workers"], file_count),
            # An archive loaded in bulk is grouped afterwards by group_copies,
            # which takes every story without a fingerprint, oldest first.
            group_copies=not options["no_grouping"],
        )
        stdin = options.get("stdin") or (sys.stdin.buffer if "-" in paths else None)
        verbosity = options["verbosity"]
        bar = self._progress_bar(file_count, verbosity)
        inputs = from_paths(paths, max_bytes=max_bytes, stdin=stdin)
        if bar is not None:
            inputs = _counted(inputs, bar)
        counts = Counter()
        try:
            for outcome in Importer(import_options).run(inputs):
                counts[outcome.action] += 1
                self._report(outcome, verbosity, bar)
        finally:
            if bar is not None:
                bar.close()
        if options["dry_run"]:
            self.stdout.write("تشغيل تجريبي: لم يُحفظ شيء في قاعدة البيانات.")
        self.stdout.write(", ".join(f"{label} {counts[action]}" for label, action in SUMMARY))
        if counts[Action.FAILED] or counts[Action.REFUSED]:
            # After the summary, so it stays the last line; CommandError would add its own.
            sys.exit(1)

    # Usage errors ------------------------------------------------------------

    def _format(self, value: str) -> str:
        if value != "auto" and value not in ALL_FORMATS:
            raise CommandError(
                f"الصيغة «{value}» غير معروفة؛ استعمل auto أو {' أو '.join(ALL_FORMATS)}",
                returncode=2,
            )
        return value

    def _encoding(self, value: str | None) -> str | None:
        if not value:
            return None
        try:
            codecs.lookup(value)
        except LookupError:
            raise CommandError(
                f"الترميز «{value}» غير معروف؛ جرّب utf-8 أو cp1256 أو utf-16", returncode=2
            ) from None
        return value

    def _source(self, value: str) -> str:
        value = " ".join(value.split())
        if len(value) > 100:
            raise CommandError("اسم المصدر في --source أطول من 100 محرف", returncode=2)
        return value

    def _max_bytes(self, value: str | None) -> int:
        if value is None:
            return settings.IMPORT_MAX_FILE_BYTES
        match = _SIZE.match(value)
        if not match or int(match[1]) == 0:
            raise CommandError(
                f"الحجم «{value}» غير مفهوم في --max-size؛ اكتبه بالبايت أو مثل 500K أو 10M",
                returncode=2,
            )
        return int(match[1]) * _UNITS[match[2].lower()]

    def _workers(self, value: int | None, file_count: int) -> int:
        if value is None:
            return default_workers(file_count)
        if value < 0:
            raise CommandError("عدد العمليات في --workers لا يكون سالباً", returncode=2)
        return value

    def _check_paths(self, paths: list[str]) -> None:
        if paths.count("-") > 1:
            raise CommandError("لا يُقرأ المدخل القياسي (-) إلا مرة واحدة", returncode=2)
        missing = [path for path in paths if path != "-" and not os.path.exists(path)]
        if missing:
            raise CommandError(
                f"لا يوجد ملف أو مجلد بهذا الاسم: {'، '.join(missing)}", returncode=2
            )

    # Output ------------------------------------------------------------------

    def _progress_bar(self, file_count: int, verbosity: int):
        """A bar on a terminal; None when the output goes to a file or a pipe."""
        if verbosity < 1 or not self.stderr.isatty():
            return None
        return tqdm(total=file_count, unit=" ملف", file=self.stderr._out, leave=False)

    def _report(self, outcome: Outcome, verbosity: int, bar) -> None:
        if outcome.action in (Action.FAILED, Action.REFUSED):
            self._write(self.stderr, str(outcome), bar)
            return
        # On a terminal the bar shows progress, so only what needs a look is
        # printed; in a log, every story gets its line.
        noteworthy = outcome.action == Action.CONFLICT or bool(outcome.message)
        if verbosity >= 2 or (verbosity == 1 and (bar is None or noteworthy)):
            self._write(self.stdout, str(outcome), bar)

    def _write(self, stream, line: str, bar) -> None:
        if bar is None:
            stream.write(line)
        else:
            bar.write(line, file=stream._out)


def _counted(inputs, bar):
    """Advance the bar as each file is taken up."""
    for input_file in inputs:
        yield input_file
        bar.update(1)
