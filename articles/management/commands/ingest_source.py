"""python manage.py ingest_source add|list|disable — the ingest sources from the command line.

``add NAME (--folder DIR | --url URL) [--format F] [--every SECONDS]
[--publish] [--source CREDIT]`` adds a source (the same checks as the
admin's form: ``IngestSource.full_clean``); ``list`` prints one line per
source with its state and last error; ``disable NAME`` stops its polling.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.formats import date_format

from articles.ingest.sources import DEFAULT_POLL_SECONDS, IngestSource

FORMATS = IngestSource.Format.values


class Command(BaseCommand):
    help = "يدير مصادر الاستيراد التلقائي: add لإضافة مصدر، list لعرضها، disable لإيقاف أحدها."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="add|list|disable")
        add = actions.add_parser("add", help="أضف مصدراً")
        add.add_argument("name", metavar="NAME", help="اسم المصدر، فريد")
        where = add.add_mutually_exclusive_group(required=True)
        where.add_argument("--folder", metavar="DIR", help="مجلد إسقاط على هذا الخادم")
        where.add_argument("--url", metavar="URL", help="رابط http(s) يُستطلع")
        add.add_argument(
            "--format", default="auto", help=f"الصيغة: {' أو '.join(FORMATS)} (الافتراضي auto)"
        )
        add.add_argument(
            "--every",
            type=int,
            default=DEFAULT_POLL_SECONDS,
            metavar="SECONDS",
            help=f"الاستطلاع كل كم ثانية (الافتراضي {DEFAULT_POLL_SECONDS})",
        )
        add.add_argument("--publish", action="store_true", help="انشر الأخبار فور وصولها")
        add.add_argument(
            "--source", default="", metavar="CREDIT", help="المصدر لكل خبر لا يذكر مصدره"
        )
        actions.add_parser("list", help="اعرض المصادر وحالتها")
        disable = actions.add_parser("disable", help="أوقف استطلاع مصدر")
        disable.add_argument("name", metavar="NAME")

    def handle(self, *args, **options):
        getattr(self, f"_{options['action']}")(options)

    def _add(self, options):
        name = " ".join(options["name"].split())
        if options["format"] not in FORMATS:
            raise CommandError(
                f"الصيغة «{options['format']}» غير معروفة؛ استعمل {' أو '.join(FORMATS)}"
            )
        if IngestSource.objects.filter(name=name).exists():
            raise CommandError(f"يوجد مصدر باسم «{name}»؛ اختر اسماً آخر")
        source = IngestSource(
            name=name,
            kind=IngestSource.Kind.FOLDER if options["folder"] else IngestSource.Kind.URL,
            location=options["folder"] or options["url"],
            format=options["format"],
            poll_interval_seconds=options["every"],
            default_credit=" ".join(options["source"].split()),
            is_published_on_arrival=options["publish"],
        )
        try:
            source.full_clean()
        except ValidationError as error:
            raise CommandError(_messages(error)) from None
        source.save()
        self.stdout.write(f"أُضيف المصدر «{source.name}»: {_line(source)}")

    def _list(self, options):
        sources = list(IngestSource.objects.all())
        for source in sources:
            self.stdout.write(f"{source.name}: {_line(source)}")
        self.stdout.write(f"المصادر: {len(sources)}")

    def _disable(self, options):
        updated = IngestSource.objects.filter(name=options["name"]).update(is_enabled=False)
        if not updated:
            raise CommandError(f"لا يوجد مصدر باسم «{options['name']}»؛ انظر ingest_source list")
        self.stdout.write(f"أُوقف المصدر «{options['name']}»")


def _line(source: IngestSource) -> str:
    """The source's settings and state on one line."""
    parts = [
        source.get_kind_display(),
        source.location,
        source.format,
        f"كل {source.poll_interval_seconds} ث",
        "ينشر" if source.is_published_on_arrival else "مسودات",
        "مفعّل" if source.is_enabled else "معطّل",
        f"آخر استطلاع {_time(source.last_polled_at)}",
        f"آخر نجاح {_time(source.last_success_at)}",
        f"أُنشئ {source.created_count}، حُدّث {source.updated_count}، فشل {source.failed_count}",
    ]
    if source.last_error:
        status = f" (HTTP {source.last_http_status})" if source.last_http_status else ""
        parts.append(f"آخر خطأ{status}: {' '.join(source.last_error.split())}")
    return " | ".join(parts)


def _time(value) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else "—"


def _messages(error: ValidationError) -> str:
    return "؛ ".join(message for messages in error.message_dict.values() for message in messages)
