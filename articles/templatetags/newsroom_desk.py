"""The desk at a glance: what the newsroom's dashboard counts, and where each count leads.

    {% load newsroom_desk %}
    {% desk_cards as cards %}   one DeskCard per count the signed-in user may see

Two queries at most, whatever the size of the tables: one conditional
aggregate over the stories, and one count of today's failed imports for
those who may read the import log (``permissions.may_read_import_log``).
Each card links to the list that shows exactly the stories it counts; the
story list's ``state`` filter (``admin.WorkflowStatusFilter``) takes the
same definitions from here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import template
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from articles import permissions
from articles.models import Article, ImportRecord, scheduled, visible_to_readers

register = template.Library()

# The import log's outcomes a desk must look at: nothing was saved.
FAILED_IMPORT_ACTIONS = (ImportRecord.Action.FAILED, ImportRecord.Action.REFUSED)


@dataclass(frozen=True)
class DeskCard:
    key: str
    label: str
    count: int
    url: str


def today_bounds() -> tuple[datetime.datetime, datetime.datetime]:
    """Start of today and of tomorrow in the site's time zone (TIME_ZONE), as aware datetimes."""
    today = timezone.localdate()
    start = datetime.datetime.combine(today, datetime.time.min)
    end = start + datetime.timedelta(days=1)
    return timezone.make_aware(start), timezone.make_aware(end)


def released_today() -> Q:
    """Stories readers see that went live on this site today, whatever the wire's date."""
    start, end = today_bounds()
    return visible_to_readers() & Q(released_at__gte=start, released_at__lt=end)


def story_counts() -> dict[str, int]:
    """Drafts, scheduled, released today and withdrawn, in one query."""
    return Article.objects.aggregate(
        draft=Count("pk", filter=Q(status=Article.Status.DRAFT)),
        scheduled=Count("pk", filter=scheduled()),
        published_today=Count("pk", filter=released_today()),
        withdrawn=Count("pk", filter=Q(status=Article.Status.WITHDRAWN)),
    )


def failed_imports_today() -> int:
    start, end = today_bounds()
    return ImportRecord.objects.filter(
        action__in=FAILED_IMPORT_ACTIONS, created_at__gte=start, created_at__lt=end
    ).count()


def failed_imports_url() -> str:
    """The import log, filtered to today's failed and refused entries.

    The day goes through the log's date hierarchy (created_at), which reads
    it in the site's time zone, so the list shows today highlighted there.
    """
    today = timezone.localdate()
    query = urlencode(
        {
            "action__in": ",".join(FAILED_IMPORT_ACTIONS),
            "created_at__year": today.year,
            "created_at__month": today.month,
            "created_at__day": today.day,
        }
    )
    return f"{reverse('admin:articles_importrecord_changelist')}?{query}"


# The story list's state filter value for each count, and the card's label.
STORY_CARDS = [
    ("draft", "مسودات"),
    ("scheduled", "مجدولة"),
    ("published_today", "نُشرت اليوم"),
    ("withdrawn", "مسحوبة"),
]


@register.simple_tag(takes_context=True)
def desk_cards(context) -> list[DeskCard]:
    """The dashboard's cards for the signed-in user; none for those who may not see stories."""
    user = context["request"].user
    cards = []
    if user.has_perm("articles.view_article"):
        counts = story_counts()
        stories = reverse("admin:articles_article_changelist")
        cards = [
            DeskCard(key, label, counts[key], f"{stories}?{urlencode({'state': key})}")
            for key, label in STORY_CARDS
        ]
    if permissions.may_read_import_log(user):
        cards.append(
            DeskCard(
                "failed_imports",
                "تعذّر استيرادها اليوم",
                failed_imports_today(),
                failed_imports_url(),
            )
        )
    return cards
