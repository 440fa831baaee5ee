"""Run the queued procrastinate jobs inside a test, as a worker would, on the test's database.

The jobs are fetched and finished by procrastinate's own queries (its job
manager, on the Django connector), in this thread and this transaction, so a
test that is rolled back leaves no job behind. (Django's psycopg setup
hands jsonb columns back as text, so the arguments are decoded here.) The
worker itself, in a process of its own, is tested in articles/tests/ingest/test_ingest_worker.py.
"""

import inspect
import json
import logging

from asgiref.sync import async_to_sync
from procrastinate import jobs as procrastinate_jobs
from procrastinate.contrib.django import app

logger = logging.getLogger(__name__)


def run_queued_jobs(queues: list[str] | None = None) -> list[tuple[str, str]]:
    """Run every job waiting in ``queues`` (all by default), oldest first; return (task, status)."""
    manager = app.job_manager
    worker_id = async_to_sync(manager.register_worker)()
    ran = []
    try:
        while job := async_to_sync(manager.fetch_job)(queues=queues, worker_id=worker_id):
            task = app.tasks[job.task_name]
            # Django's psycopg setup hands jsonb back as text (its fields decode it).
            kwargs = job.task_kwargs
            if isinstance(kwargs, str):
                kwargs = json.loads(kwargs)
            status = procrastinate_jobs.Status.SUCCEEDED
            try:
                if inspect.iscoroutinefunction(task.func):
                    async_to_sync(task.func)(**kwargs)
                else:
                    task.func(**kwargs)
            except Exception:
                logger.exception("Job %s of %s failed", job.id, job.task_name)
                status = procrastinate_jobs.Status.FAILED
            async_to_sync(manager.finish_job)(job, status=status, delete_job=False)
            ran.append((job.task_name, status.value))
    finally:
        async_to_sync(manager.unregister_worker)(worker_id)
    return ran
