"""Two imports at once (two ingest workers) that make the same things: each keeps its batch.

A batch that fails is rolled back and saved again story by story, a
hundred times slower; two imports of one agency's new copy must not fail
each other's batches over the source they both create or a headline they share.
"""

import logging
import threading
import time

import pytest
from django.db import connection, transaction

from articles.models import Article, Source
from articles.tests.grouping_support import DISPATCH, SAME_TOPIC
from articles.tests.import_support import import_file
from articles.tests.importers.test_loader_grouping import jsonl, story

# Real commits, seen by both threads' connections.
pytestmark = pytest.mark.django_db(transaction=True)

NEW_SOURCE = "وكالة لم تُعرف من قبل"
HEADLINE = "الحكومة تعلن خطة جديدة لدعم المزارعين"


def in_thread(work, errors: list, started: threading.Event) -> threading.Thread:
    def target():
        try:
            work()
        except Exception as error:  # reported by the test, not lost in the thread
            errors.append(error)
            started.set()
        finally:
            connection.close()

    return threading.Thread(target=target)


def test_two_imports_of_a_new_source_and_one_headline_keep_their_batches(caplog):
    caplog.set_level(logging.DEBUG, logger="articles.importers.loader")
    first_written, errors = threading.Event(), []

    def first():
        with transaction.atomic():
            list(import_file("first.jsonl", jsonl(story("first", DISPATCH, source=NEW_SOURCE,
                                                        headline=HEADLINE))))  # fmt: skip
            first_written.set()
            time.sleep(1.0)  # the second import reaches the source and the slug meanwhile

    def second():
        first_written.wait(10)
        list(import_file("second.jsonl", jsonl(story("second", SAME_TOPIC, source=NEW_SOURCE,
                                                      headline=HEADLINE))))  # fmt: skip

    threads = [in_thread(work, errors, first_written) for work in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert not [record for record in caplog.records if "Batch failed" in record.getMessage()]
    assert Source.objects.filter(name=NEW_SOURCE).count() == 1
    first_story, second_story = (Article.objects.get(guid=guid) for guid in ("first", "second"))
    assert first_story.source == second_story.source
    assert first_story.slug != second_story.slug
    assert second_story.slug == first_story.slug + "-2"


def test_a_batchs_new_sources_are_made_in_name_order():
    # Two imports making the same new sources in one order never wait for each
    # other crosswise (a deadlock, which PostgreSQL ends by failing one batch).
    names = ["وكالة ثالثة", "وكالة أولى", "وكالة ثانية"]
    list(import_file("three.jsonl", jsonl(*(story(f"s{n}", DISPATCH, source=name)
                                             for n, name in enumerate(names)))))  # fmt: skip
    made = list(Source.objects.filter(name__in=names).order_by("pk").values_list("name", flat=True))
    assert made == sorted(names)
