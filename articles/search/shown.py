"""A page of search results as the page shows it: its stories, read in one query.

``articles.search.retrieval.SearchResults`` finds the ids of a search's
matches under the reader's filters; the page's own stories are read here:
each one's headline, address, time and source, and its paragraphs' texts
for the snippet (``articles.search.highlight``), ranked best first
(``articles.search.ranking``) or in the order given. Nothing else is read:
the ids are what the search found a moment before, under the filters.

The SQL is written here once, not compiled by the ORM for each page: the
join, the paragraphs' subquery and the rank took the ORM longer to compile
than PostgreSQL took to answer (some 2.4 ms against 2.1 a page, at 100,000
stories).
"""

from __future__ import annotations

from django.db import connections, router

from articles.models import Article, Paragraph, Source
from articles.search import ranking
from articles.search.query import ParsedQuery

# What a result shows (templates/articles/search_results.html); the rest of a
# story's columns are left unread, and load on their own if ever asked for.
# In the models' order of fields, as Model.from_db takes them.
_STORY_FIELDS = ("id", "headline", "slug", "published_at")
_SOURCE_FIELDS = ("id", "name", "slug")

# A story's paragraphs' texts in order (or only the first, for the search
# box's suggestions): evaluated for the page's rows alone, past the sort and
# the limit, as PostgreSQL does for such a subquery.
_SELECT = f"""
SELECT {", ".join(f"a.{name}" for name in _STORY_FIELDS)},
       {", ".join(f"s.{name}" for name in _SOURCE_FIELDS)},
       ARRAY(SELECT p.text FROM {Paragraph._meta.db_table} p
             WHERE p.article_id = a.id ORDER BY p.position {{limit}})
FROM {Article._meta.db_table} a JOIN {Source._meta.db_table} s ON s.id = a.source_id
WHERE a.id = ANY(%s)
"""  # noqa: S608 (table names from the models; every value is a parameter)
_LISTED = _SELECT.format(limit="")
_OPENINGS = _SELECT.format(limit="LIMIT 1")
_RANKED = _LISTED + (
    f"ORDER BY {ranking.rank_sql('a.search_vector')} DESC, a.published_at DESC, a.id DESC "
    "OFFSET %s LIMIT %s"
)


def listed(ids: list[int], *, openings_only: bool = False) -> list[Article]:
    """The stories of ``ids``, in that order (any that no longer exist left out).

    With ``openings_only``, each story's ``paragraph_texts`` hold its first
    paragraph alone (or nothing).
    """
    sql = _OPENINGS if openings_only else _LISTED
    by_id = {story.pk: story for story in _read(sql, [ids])}
    return [by_id[pk] for pk in ids if pk in by_id]


def ranked(ids: list[int], query: ParsedQuery, start: int, stop: int) -> list[Article]:
    """The stories ``start`` to ``stop`` of ``ids`` ranked best first for ``query``."""
    return _read(_RANKED, [ids, *ranking.rank_params(query), start, max(stop - start, 0)])


def _read(sql: str, params: list) -> list[Article]:
    # The reader's connection: a replica's when the request was let onto one.
    alias = router.db_for_read(Article)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    stories = []
    count = len(_STORY_FIELDS)
    for row in rows:
        story = Article.from_db(alias, _STORY_FIELDS, row[:count])
        story.source = Source.from_db(alias, _SOURCE_FIELDS, row[count:-1])
        story.paragraph_texts = row[-1]
        stories.append(story)
    return stories
