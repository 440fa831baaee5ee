"""IngestSchedule: when the workers poll a source next, pushed back while it keeps failing.

One row per source that the workers have polled (articles/ingest/jobs.py):
each failed poll in a row doubles the wait (the source's interval times 2,
4, 8..., at most INGEST_MAX_BACKOFF_SECONDS), and a poll that succeeds
brings it back to the interval. The source's own fields say how the polls
went (polling.py records them); this says only when the next one is due.
"""

from django.db import models


class IngestSchedule(models.Model):
    source = models.OneToOneField(
        "articles.IngestSource",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="schedule",
        verbose_name="المصدر",
    )
    next_poll_at = models.DateTimeField("الاستطلاع التالي", null=True, blank=True)
    failures_in_a_row = models.PositiveIntegerField("إخفاقات متتالية", default=0)

    class Meta:
        app_label = "articles"
        verbose_name = "موعد استطلاع"
        verbose_name_plural = "مواعيد الاستطلاع"

    def __str__(self) -> str:
        return f"{self.source_id}: {self.next_poll_at}"
