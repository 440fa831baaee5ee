"""The import log's rows (articles.importers.import_log), as the loader writes them."""

from types import SimpleNamespace

import pytest

from articles.importers.import_log import write_records
from articles.importers.outcomes import Action, Outcome
from articles.models import ImportRecord

pytestmark = pytest.mark.django_db


def item(action: str, message: str, *, previous: str | None = None, headline: str = "عنوان"):
    plan = None if previous is None else SimpleNamespace(previous=previous)
    return SimpleNamespace(
        file="wire.jsonl",
        line=3,
        format="jsonl",
        guid="afp:1",
        original='{"guid": "afp:1"}',
        story=SimpleNamespace(headline=headline),
        plan=plan,
        outcome=Outcome(action, "wire.jsonl", message, line=3, version=2),
    )


def test_each_item_gets_a_row_and_its_outcome_the_rows_id():
    items = [item(Action.CREATED, "أُنشئ"), item(Action.FAILED, "خبر بلا عنوان", headline="")]
    write_records(items, user=None, ingest_source_id=None)
    records = list(ImportRecord.objects.order_by("pk"))
    assert [r.pk for r in records] == [i.outcome.record_id for i in items]
    assert [(r.action, r.message, r.headline, r.line) for r in records] == [
        (Action.CREATED, "أُنشئ", "عنوان", 3),
        (Action.FAILED, "خبر بلا عنوان", "", 3),
    ]
    assert records[0].original == '{"guid": "afp:1"}' and records[0].version == 2


def test_an_update_keeps_the_text_it_replaced_below_its_message():
    write_records([item(Action.UPDATED, "حُدّث", previous="النص السابق")], user=None,
                  ingest_source_id=None)  # fmt: skip
    assert ImportRecord.objects.get().message == "حُدّث\n\nالنص السابق"
