"""python manage.py ingest — the background worker; ``--once`` polls every source once and exits.

Without ``--once``: runs a procrastinate worker (articles/ingest/jobs.py) on
the ``ingest`` and ``imports`` queues until SIGTERM or SIGINT. It polls each
enabled source when it is due and imports the admin's uploads; start as many
as you like, on as many machines (the jobs and their locks live in the
database). A folder's files are claimed in chunks that any worker imports
(articles/ingest/claims.py). On SIGTERM it finishes the files in hand (the
rest of a chunk stays claimed and its job is queued again), stops taking
jobs, and exits 0, within seconds.

``--once``: prints one Arabic line per source, then a summary line. Exit
status: 0, or 1 if any source failed (a file refused, a folder unreadable).
"""

import asyncio
import signal
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.ingest import shutdown
from articles.ingest.polling import poll_enabled_sources

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Command(BaseCommand):
    help = (
        "يشغّل عامل الخلفية: يستطلع مصادر الاستيراد التلقائي في مواعيدها ويستورد رفعات "
        "لوحة الإدارة حتى SIGTERM؛ أو يستطلع كل مصدر مفعّل مرة واحدة (--once) ثم ينتهي."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="استطلع كل مصدر مفعّل مرة واحدة ثم انتهِ"
        )
        parser.add_argument(
            "--concurrency",
            type=int,
            default=None,
            help="عدد المهام التي ينفذها العامل معاً "
            f"(الافتراضي INGEST_WORKER_CONCURRENCY={settings.INGEST_WORKER_CONCURRENCY})",
        )
        parser.add_argument(
            "--queue",
            action="append",
            dest="queues",
            choices=["ingest", "imports"],
            help="طابور يخدمه العامل (يُكرّر)؛ الافتراضي الطابوران: ingest وimports",
        )

    def handle(self, *args, **options):
        if options["once"]:
            return self.poll_once(options["verbosity"])
        concurrency = options["concurrency"] or settings.INGEST_WORKER_CONCURRENCY
        if concurrency < 1:
            raise CommandError("--concurrency عدد صحيح موجب، مثل 4", returncode=2)
        self.run_worker(concurrency, options["queues"])

    def poll_once(self, verbosity: int) -> None:
        results = poll_enabled_sources()
        for result in results:
            stream = self.stderr if result.is_failure else self.stdout
            if result.is_failure or verbosity >= 1:
                stream.write(result.summary())
        failed = sum(result.is_failure for result in results)
        self.stdout.write(f"المصادر المستطلعة: {len(results)}، فشل منها: {failed}")
        if failed:
            sys.exit(1)

    def run_worker(self, concurrency: int, queues: list[str] | None) -> None:
        from procrastinate.contrib.django import app

        from articles.ingest import jobs

        queues = queues or list(jobs.QUEUES)
        shutdown.clear()
        # The Django connector serves the web processes; a worker listens for new
        # jobs (LISTEN/NOTIFY) on a pool of its own to the same database.
        with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
            self.stdout.write(
                f"العامل يعمل على الطوابير: {'، '.join(queues)} ({concurrency} مهام معاً)؛ "
                "أوقفه بـ Ctrl-C أو SIGTERM"
            )
            self.stdout.flush()
            asyncio.run(self.serve(worker_app, concurrency, queues))
        self.stdout.write("توقف العامل بعد أن أنهى ما كان في يده")

    async def serve(self, worker_app, concurrency: int, queues: list[str]) -> None:
        loop = asyncio.get_running_loop()
        stalled_after = settings.INGEST_STALLED_WORKER_SECONDS
        async with worker_app.open_async():
            worker = asyncio.create_task(
                worker_app.run_worker_async(
                    queues=queues,
                    concurrency=concurrency,
                    name="ingest",
                    # Ours, below: a poll in hand must hear of the stop too.
                    install_signal_handlers=False,
                    # A poll runs every second: keep only the jobs that failed.
                    delete_jobs="successful",
                    update_heartbeat_interval=max(1.0, stalled_after / 3),
                    stalled_worker_timeout=stalled_after,
                )
            )

            def stop() -> None:
                if shutdown.requested():
                    return
                # The poll in hand ends after its current file; the worker then
                # waits for its running jobs and takes no new one.
                shutdown.request()
                worker.cancel()

            for number in STOP_SIGNALS:
                loop.add_signal_handler(number, stop)
            try:
                await worker
            except asyncio.CancelledError:
                if not shutdown.requested():
                    raise
            finally:
                for number in STOP_SIGNALS:
                    loop.remove_signal_handler(number)
