"""Two `import_articles` processes at once on overlapping files: each story once, both succeed.

How it holds (deploy/README.md, "Importers side by side"): the unique guid
makes a second copy impossible; a batch that meets the other import's rows
(a unique violation once the other commits, or a deadlock PostgreSQL breaks)
is rolled back and saved again story by story, each decided afresh against
what is now stored, with the stories that exist locked in guid order.
"""

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count

from articles.models import Article, ImportRecord, Paragraph, WireVersion
from newsportal.database_urls import database_url

# Real commits, seen by the two processes; emptied after the test.
pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = "redis://127.0.0.1:6379/9"
STORIES = 1200
TEXT = (
    "أعلنت الحكومة اليوم عن خطة جديدة لدعم المزارعين في المناطق الريفية وتحسين شبكات الري "
    "وافتتح الوزير معرضا للكتاب يشارك فيه ناشرون من عشرين دولة عربية وأجنبية "
    "وشهدت الأسواق المالية ارتفاعا ملحوظا في أسعار الأسهم بعد صدور بيانات النمو "
    "وقررت البلدية إغلاق الطريق الساحلي لأعمال الصيانة حتى نهاية الأسبوع المقبل"
)
WORDS = TEXT.split()


def story(number: int, rng: random.Random) -> dict:
    return {
        "guid": f"concurrent:{number:04d}",
        "headline": f"{' '.join(rng.sample(WORDS, 6))} {number}",
        "source": "وكالة الاختبار المتزامن",
        "published_at": f"2024-12-{1 + number % 28:02d}T08:00:00+03:00",
        "paragraphs": [" ".join(rng.sample(WORDS, 14)) for _ in range(3)],
    }


def write_jsonl(path: Path, stories: list[dict]) -> Path:
    path.write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in stories), "utf-8")
    return path


@pytest.fixture
def shared_cache():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield
    client.flushdb()


def test_two_imports_at_once_on_overlapping_files_create_each_story_once(tmp_path, shared_cache):
    # Not for secrets: the same stories on every run.
    rng = random.Random(17)  # noqa: S311
    stories = [story(number, rng) for number in range(STORIES)]
    # Three quarters each, the middle half in both, in opposite orders: the
    # processes meet on the same new guids from both ends, in several batches.
    first = write_jsonl(tmp_path / "first.jsonl", stories[: STORIES * 3 // 4])
    second = write_jsonl(tmp_path / "second.jsonl", stories[STORIES // 4 :][::-1])
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "DATABASE_REPLICA_URLS": "",
        "CACHE_URL": REDIS_URL,
        "ENV_FILE": "",
    }
    command = [sys.executable, "manage.py", "import_articles", "--publish", "--verbosity", "0"]
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    processes = [
        subprocess.Popen([*command, str(path)], cwd=ROOT, env=env, **pipes)
        for path in (first, second)
    ]
    try:
        outputs = [process.communicate(timeout=240) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()

    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, out + err
    guids = Article.objects.filter(guid__startswith="concurrent:")
    assert guids.count() == STORIES
    assert not guids.values("guid").annotate(n=Count("id")).filter(n__gt=1).exists()
    # The log: every story each import read, created by exactly one of them.
    records = ImportRecord.objects.filter(guid__startswith="concurrent:")
    assert records.count() == 2 * STORIES * 3 // 4
    assert records.filter(action=ImportRecord.Action.CREATED).count() == STORIES
    assert not records.filter(action=ImportRecord.Action.FAILED).exists()
    assert WireVersion.objects.filter(guid__startswith="concurrent:").count() == STORIES
    paragraphs = Paragraph.objects.filter(article__guid__startswith="concurrent:")
    assert paragraphs.count() == STORIES * 3
