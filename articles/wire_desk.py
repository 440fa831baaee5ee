"""The wire desk: the copy that arrived in the last hours, for editors to release.

``/admin/articles/article/wire/`` lists the stories whose copy arrived (was
created or updated by an import) in the last 1, 3, 6, 12 or 24 hours
(``?hours=``, WIRE_DESK_HOURS by default), newest arrival first: headline,
credited source, the ingest source it came in from (the import log's
``ingest_source``; "استيراد يدوي" and the file for the command line and
uploads), when it arrived, its state as editors say it, and for editors a
«نشر» button. Below the list, how many stories arrived today from each
source and each ingest source.

Bounded: at most MAX_ROWS rows, read in one query (the import log's newest
arrival per story in the window, with its story, source and ingest source);
today's counts are two grouped counts. ``wire/rows/`` answers the same list
as JSON holding the table body's HTML, which static/js/wire-desk.js fetches
every few seconds to replace the body and announce new copy; the page works
without it.

Publishing asks what the admin's bulk «نشر» action asks
(``ArticleAdmin.has_publish_permission``, that is ``permissions.can_publish``,
then ``transitions.refusal``) and goes through ``articles.transitions``, which
keeps the revision, logs the history line and announces the change. Only a
draft is released from here; a withdrawn or scheduled story is handled in its
form. A refusal is said in Arabic, never a server error.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, Subquery
from django.http import HttpResponseRedirect, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from articles import dates, transitions
from articles.arabic import count_phrase
from articles.models import Article, ImportRecord, IngestSource
from articles.permissions import can_publish
from articles.templatetags.newsroom_desk import today_bounds
from articles.workflow_wording import PUBLISHED, SCHEDULED, history_line, message

# The windows an editor may choose (?hours=), and the default (a setting).
HOUR_CHOICES = (1, 3, 6, 12, 24)
DEFAULT_HOURS = 6
# The most rows the page shows: a narrower window or a filter shows the rest.
MAX_ROWS = 200
# What in the import log is copy arriving: a new story, or a newer version of one.
ARRIVALS = (ImportRecord.Action.CREATED, ImportRecord.Action.UPDATED)
# The ingest filter's value for the command line and the admin's uploads.
MANUAL = "manual"
MANUAL_LABEL = "استيراد يدوي"
STATE_CHANGED = "لم يعد هذا الخبر مسودة، فلم يُنشر من هنا. افتحه لترى حالته الآن."
# What the live region says when the list brings new copy, by Intl.PluralRules("ar")
# category, with {n} for the number (the page hands them to the script).
ANNOUNCEMENT_FORMS = {
    "one": "وصل خبر جديد",
    "two": "وصل خبران جديدان",
    "few": "وصلت {n} أخبار جديدة",
    "many": "وصل {n} خبرًا جديدًا",
    "other": "وصل {n} خبر جديد",
}


def announcement(count: int) -> str:
    """What the live region says of ``count`` new stories: "وصلت 3 أخبار جديدة"."""
    if count <= 0:
        return ""
    form = count_phrase(count, "", "one", "two", "few", "many", "other").rpartition(" ")[2]
    return dates.digits(ANNOUNCEMENT_FORMS[form].format(n=count), settings.ARABIC_DIGITS)


@dataclasses.dataclass(frozen=True)
class Filters:
    """The desk's choices, read from a query string; anything unknown is the default."""

    hours: int
    ingest: str = ""  # an IngestSource id, MANUAL, or "" for all
    state: str = ""  # a key of the admin's WORKFLOW_STATES, or "" for all

    @classmethod
    def read(cls, query: QueryDict, states) -> Filters:
        default = settings.WIRE_DESK_HOURS
        if default not in HOUR_CHOICES:
            default = DEFAULT_HOURS
        try:
            hours = int(query.get("hours", default))
        except ValueError:
            hours = default
        ingest = query.get("ingest", "")
        if ingest != MANUAL and not (ingest.isascii() and ingest.isdigit() and len(ingest) < 10):
            ingest = ""
        state = query.get("state", "")
        return cls(
            hours=hours if hours in HOUR_CHOICES else default,
            ingest=ingest,
            state=state if state in states else "",
        )

    def query_string(self) -> str:
        chosen = {"hours": self.hours, "ingest": self.ingest, "state": self.state}
        return urlencode({name: value for name, value in chosen.items() if value})


@dataclasses.dataclass(frozen=True)
class Row:
    """One story on the desk: its latest arrival (an ImportRecord) and the story."""

    record: ImportRecord
    article: Article
    state: str
    state_label: str
    may_publish: bool

    @property
    def key(self) -> str:
        # A story updated by a newer copy comes back as new: its arrival changed.
        return f"{self.article.pk}:{self.record.pk}"


def arrivals(filters: Filters, now=None):
    """The import log's newest arrival of each story in the window, newest first, unbounded.

    One query: the newest record per story (DISTINCT ON) among the window's
    arrivals, then those records with their story, source and ingest source.
    """
    now = now or timezone.now()
    since = now - datetime.timedelta(hours=filters.hours)
    newest_per_story = (
        ImportRecord.objects.filter(
            created_at__gte=since, action__in=ARRIVALS, article__isnull=False
        )
        .order_by("article_id", "-created_at", "-id")
        .distinct("article_id")
        .values("pk")
    )
    records = ImportRecord.objects.filter(pk__in=Subquery(newest_per_story))
    if filters.ingest == MANUAL:
        records = records.filter(ingest_source__isnull=True)
    elif filters.ingest:
        records = records.filter(ingest_source_id=int(filters.ingest))
    records = records.filter(_state_condition(filters.state, now))
    return (
        records.select_related("article__source", "ingest_source")
        .only(
            "created_at",
            "file_name",
            "line",
            "format",
            "article__headline",
            "article__guid",
            "article__status",
            "article__published_at",
            "article__source__name",
            "ingest_source__name",
        )
        .order_by("-created_at", "-id")
    )


def _state_condition(state: str, now) -> Q:
    published = Q(article__status=Article.Status.PUBLISHED)
    match state:
        case "draft" | "withdrawn":
            return Q(article__status=state)
        case "scheduled":
            return published & Q(article__published_at__gt=now)
        case "published":
            return published & Q(article__published_at__lte=now)
    return Q()


def desk_rows(filters: Filters, user, states) -> tuple[list[Row], bool]:
    """At most MAX_ROWS rows (one query), and whether the window holds more."""
    records = list(arrivals(filters)[: MAX_ROWS + 1])
    may_publish = can_publish(user)
    rows = []
    for record in records[:MAX_ROWS]:
        article = record.article
        state = transitions.state(article)
        rows.append(
            Row(
                record=record,
                article=article,
                state=state,
                state_label=states.get(state, state),
                may_publish=may_publish and state == "draft",
            )
        )
    return rows, len(records) > MAX_ROWS


def today_counts() -> dict[str, list[tuple[str, int]]]:
    """Stories that arrived today (site's day), per credited source and per ingest source.

    Two grouped counts over today's arrivals in the import log; a story that
    arrived twice counts once in each list.
    """
    start, end = today_bounds()
    today = ImportRecord.objects.filter(
        created_at__gte=start, created_at__lt=end, action__in=ARRIVALS, article__isnull=False
    )
    by_source = (
        today.values_list("article__source__name")
        .annotate(stories=Count("article", distinct=True))
        .order_by("-stories", "article__source__name")
    )
    by_ingest = (
        today.values_list("ingest_source__name")
        .annotate(stories=Count("article", distinct=True))
        .order_by("-stories", "ingest_source__name")
    )
    return {
        "sources": list(by_source),
        "ingest": [(name or MANUAL_LABEL, count) for name, count in by_ingest],
    }


def wire_desk_urls(model_admin: admin.ModelAdmin, states: dict[str, str]) -> list:
    """The desk's URLs, for ArticleAdmin.get_urls to put before its own.

    ``states`` is the admin's WORKFLOW_STATES (state key: what editors call it).
    """
    site = model_admin.admin_site
    desk = _Desk(model_admin, states)
    return [
        path("wire/", site.admin_view(desk.page), name="articles_article_wire_desk"),
        path("wire/rows/", site.admin_view(desk.rows), name="articles_article_wire_desk_rows"),
        path(
            "wire/<int:pk>/publish/",
            site.admin_view(require_POST(desk.publish)),
            name="articles_article_wire_desk_publish",
        ),
    ]


class _Desk:
    def __init__(self, model_admin: admin.ModelAdmin, states: dict[str, str]):
        self.model_admin = model_admin
        self.states = states

    def _allowed(self, request) -> None:
        # Staff (admin_view) who may see stories: articles.view_article or change.
        if not self.model_admin.has_view_or_change_permission(request):
            raise PermissionDenied

    def _fragments(self, request, filters: Filters) -> dict:
        rows, more = desk_rows(filters, request.user, self.states)
        context = {
            "rows": rows,
            "more": more,
            "max_rows": MAX_ROWS,
            "filters": filters,
            "return_query": filters.query_string(),
            "manual_label": MANUAL_LABEL,
            "today": today_counts(),
            "refreshed_at": timezone.now(),
        }
        return context

    def page(self, request):
        self._allowed(request)
        filters = Filters.read(request.GET, self.states)
        context = {
            **self.model_admin.admin_site.each_context(request),
            **self._fragments(request, filters),
            "opts": Article._meta,
            "title": "الوارد من الوكالات",
            "hour_choices": HOUR_CHOICES,
            "state_choices": list(self.states.items()),
            "ingest_choices": _ingest_choices(),
            "manual": MANUAL,
            "rows_url": f"{reverse('admin:articles_article_wire_desk_rows')}?"
            f"{filters.query_string()}",
            "refresh_seconds": settings.WIRE_DESK_REFRESH_SECONDS,
            "announcement_forms": ANNOUNCEMENT_FORMS,
            "digit_style": settings.ARABIC_DIGITS,
        }
        return TemplateResponse(request, "admin/articles/wire_desk.html", context)

    def rows(self, request):
        """The table body and today's counts as HTML, in JSON, for the page's script."""
        self._allowed(request)
        filters = Filters.read(request.GET, self.states)
        context = self._fragments(request, filters)
        return JsonResponse(
            {
                "rows": render_to_string(
                    "admin/articles/wire_desk_rows.html", context, request=request
                ),
                "today": render_to_string(
                    "admin/articles/wire_desk_today.html", context, request=request
                ),
                "status": render_to_string(
                    "admin/articles/wire_desk_status.html", context, request=request
                ),
                "keys": [row.key for row in context["rows"]],
            },
            headers={"Cache-Control": "no-store"},
        )

    def publish(self, request, pk: int):
        """Release one draft, as the bulk «نشر» action would; JSON for the script, else back."""
        self._allowed(request)
        filters = Filters.read(QueryDict(request.POST.get("return_query", "")), self.states)
        back = f"{reverse('admin:articles_article_wire_desk')}?{filters.query_string()}"
        wants_json = "application/json" in request.headers.get("Accept", "")
        ok, said = self._release(request, pk)
        if wants_json:
            answer = {"ok": ok, "message": str(said), "text": strip_tags(said)}
            return JsonResponse(answer, status=200 if ok else 403)
        messages.add_message(request, messages.SUCCESS if ok else messages.ERROR, said)
        return HttpResponseRedirect(back, status=303)

    def _release(self, request, pk: int):
        # As the bulk action: its permissions=["publish"], then transitions.refusal.
        if not self.model_admin.has_publish_permission(request):
            return False, transitions.refusal(request.user, None, transitions.PUBLISH)
        with transaction.atomic():
            article = get_object_or_404(Article.objects.select_for_update(), pk=pk)
            why = transitions.refusal(request.user, article, transitions.PUBLISH)
            if why:
                return False, why
            if transitions.state(article) != "draft":
                return False, STATE_CHANGED
            outcome = transitions.release(article, timezone.now())
            if outcome == transitions.SCHEDULED:
                change = (article, history_line(SCHEDULED, article.published_at))
            else:
                change = (article, history_line(PUBLISHED))
            transitions.save([change], ["status", "published_at", "released_at"], request.user)
        said = message(SCHEDULED if outcome == transitions.SCHEDULED else PUBLISHED, article)
        return True, said


def _ingest_choices() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in IngestSource.objects.values_list("pk", "name")]
