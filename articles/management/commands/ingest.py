"""python manage.py ingest — the background worker; ``--once`` polls every source once and exits.

Without ``--once``: runs procrastinate workers (articles/ingest/jobs.py) until
SIGTERM or SIGINT, one a queue, in one process: the ``ingest`` queue's (it
polls each enabled source when it is due: ``--concurrency`` polls at once)
and the ``imports`` queue's (it imports the chunks of files those polls
claim and the admin's uploads: ``--import-concurrency`` at once). Start as
many processes as you like, on as many machines (the jobs and their locks
live in the database). A folder's files are claimed in chunks that any
worker imports (articles/ingest/claims.py). On SIGTERM it finishes the files
in hand (the rest of a chunk stays claimed and its job is queued again),
stops taking jobs, and exits 0, within seconds.

Why a worker a queue: a poll mostly waits (for a feed's answer, up to its
timeout), an import computes (parsing, search vectors, fingerprints, in
Python). Sharing one set of slots, slow polls could hold every slot while
chunks waited; and many imports in threads of one process share one
interpreter lock, so they slow each other, the one holding grouping's lock
(every other import's wait) too. One or two imports a process, and more
processes, store more stories a second (bench/ingest_bench.py).

``--once``: prints one Arabic line per source, then a summary line. Exit
status: 0, or 1 if any source failed (a file refused, a folder unreadable).
"""

import asyncio
import gc
import signal
import sys
from concurrent.futures import ThreadPoolExecutor

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
            help="عدد مهام طابور ingest (الاستطلاعات) التي ينفذها العامل معاً "
            f"(الافتراضي INGEST_WORKER_CONCURRENCY={settings.INGEST_WORKER_CONCURRENCY})",
        )
        parser.add_argument(
            "--import-concurrency",
            type=int,
            default=None,
            help="عدد مهام طابور imports (استيراد الملفات والرفعات) التي ينفذها العامل معاً "
            f"(الافتراضي INGEST_IMPORT_CONCURRENCY={settings.INGEST_IMPORT_CONCURRENCY})",
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
        from articles.ingest import jobs

        slots = {
            jobs.INGEST_QUEUE: _positive(
                options["concurrency"], settings.INGEST_WORKER_CONCURRENCY, "--concurrency"
            ),
            jobs.IMPORTS_QUEUE: _positive(
                options["import_concurrency"],
                settings.INGEST_IMPORT_CONCURRENCY,
                "--import-concurrency",
            ),
        }
        queues = options["queues"] or list(jobs.QUEUES)
        self.run_worker({queue: slots[queue] for queue in jobs.QUEUES if queue in queues})

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

    def run_worker(self, slots: dict[str, int]) -> None:
        """Serve each queue of ``slots`` with its own worker, running that many jobs at once."""
        from procrastinate.contrib.django import app

        shutdown.clear()
        settle_garbage_collector()
        # The Django connector serves the web processes; a worker listens for new
        # jobs (LISTEN/NOTIFY) on a pool of its own to the same database.
        with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
            lanes = "، ".join(f"{queue} ({count} معاً)" for queue, count in slots.items())
            self.stdout.write(f"العامل يعمل على الطوابير: {lanes}؛ أوقفه بـ Ctrl-C أو SIGTERM")
            self.stdout.flush()
            asyncio.run(self.serve(worker_app, slots))
        self.stdout.write("توقف العامل بعد أن أنهى ما كان في يده")

    async def serve(self, worker_app, slots: dict[str, int]) -> None:
        loop = asyncio.get_running_loop()
        # Synchronous jobs run in the loop's default executor, whose size is
        # otherwise the machine's cores plus four, whatever the slots say.
        loop.set_default_executor(
            ThreadPoolExecutor(max_workers=sum(slots.values()), thread_name_prefix="ingest-job")
        )
        stalled_after = settings.INGEST_STALLED_WORKER_SECONDS
        async with worker_app.open_async():
            workers = [
                asyncio.create_task(
                    worker_app.run_worker_async(
                        queues=[queue],
                        concurrency=count,
                        name=f"ingest-{queue}",
                        # Ours, below: a poll in hand must hear of the stop too.
                        install_signal_handlers=False,
                        # A poll runs every second: keep only the jobs that failed.
                        delete_jobs="successful",
                        update_heartbeat_interval=max(1.0, stalled_after / 3),
                        stalled_worker_timeout=stalled_after,
                    )
                )
                for queue, count in slots.items()
            ]

            def stop() -> None:
                if shutdown.requested():
                    return
                # The poll in hand ends after its current file; the worker then
                # waits for its running jobs and takes no new one.
                shutdown.request()
                for worker in workers:
                    worker.cancel()

            for number in STOP_SIGNALS:
                loop.add_signal_handler(number, stop)
            try:
                await asyncio.gather(*workers)
            except asyncio.CancelledError:
                if not shutdown.requested():
                    raise
                # Each worker finishes its jobs in hand before it ends.
                await asyncio.gather(*workers, return_exceptions=True)
            finally:
                for number in STOP_SIGNALS:
                    loop.remove_signal_handler(number)


def _positive(given: int | None, default: int, flag: str) -> int:
    count = default if given is None else given
    if count < 1:
        raise CommandError(f"{flag} عدد صحيح موجب، مثل 2", returncode=2)
    return count


def settle_garbage_collector() -> None:
    """Keep the collector off what lives as long as the worker, and run it less often.

    An import makes and drops many small objects, and CPython's collector
    runs every 700 allocations, each time over the young objects and now and
    then over everything, the word caches of tens of thousands of entries
    too: about a tenth of a worker's CPU on bench/ingest_bench.py. Frozen
    objects (what Django and the caches hold at start) are never scanned
    again; the higher threshold still collects cycles, less often. Freeing
    by reference counting, most of what an import drops, is unchanged.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 1000)
