"""Time the admin's Import page on uploads of N generated stories, to choose the upload bounds.

Usage (against the machine's PostgreSQL; the bench never touches the data of
the database DATABASE_URL names):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/np_b \\
        .venv/bin/python bench/upload_bench.py [--counts 100 250 500 1000]

What it does:

1. creates a throwaway database ``<name>_upload_bench`` beside the configured
   one and migrates it, and signs a superuser in with Django's test client;
2. for each N, posts a zip of N plain-text stories (the seed's shape, about
   3 KB of Arabic each, as ``bench/import_bench.py`` writes them) to
   ``/admin/articles/article/import/`` with "publish" on, exactly as an
   editor's browser does, and prints the seconds the request took: first with
   every story new, then the same zip again (every story unchanged), then
   with a paragraph added to every story (every story updated), then N other
   stories as a check only ("افحص فقط"). The upload bounds are lifted for
   these posts;
3. with the configured bounds (``IMPORT_UPLOAD_MAX_*``), times uploads just
   at each bound and the refusal of uploads past them: a zip of one member
   more than the file bound, a JSON Lines file of tiny stories past the story
   bound (everything up to the bound is parsed before the refusal), and a
   zip declaring more bytes than the byte bound;
4. drops the throwaway database.

The request runs in this process, as one gunicorn worker runs it (parsing in
no extra process); gunicorn kills a worker after 30 s, and a bound should
leave an upload at it well under 10 s on the machine that serves it.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import resource
import time
import zipfile

from bench_django import setup_django

setup_django()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from import_bench import sentence, story  # noqa: E402

from articles.models import Article  # noqa: E402

IMPORT_URL = "/admin/articles/article/import/"
# The bench's own posts must not meet the bounds it is measuring.
UNBOUNDED = {
    "IMPORT_UPLOAD_MAX_BYTES": 2**40,
    "IMPORT_UPLOAD_MAX_FILES": 10**9,
    "IMPORT_UPLOAD_MAX_STORIES": 10**9,
}
PLAIN_STATIC = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def story_zip(first: int, count: int, revised: bool = False) -> tuple[bytes, int]:
    """A zip of ``count`` stories numbered from ``first``, and their uncompressed size.

    ``revised`` adds a paragraph to each: the same stories, with new text.
    """
    rng = random.Random(first)
    archive = io.BytesIO()
    size = 0
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for number in range(first, first + count):
            text = story(number, rng)
            if revised:
                headline, rest = text.split("\n\n", 1)
                text = f"{headline}\n\n{rest.rstrip()}\n\nوأضاف المصدر تفاصيل جديدة عن الحدث.\n"
            data = text.encode()
            zipped.writestr(f"{number:06d}.txt", data)
            size += len(data)
    return archive.getvalue(), size


def tiny_jsonl(first: int, count: int) -> bytes:
    """``count`` one-sentence stories in JSON Lines: the most stories per byte."""
    lines = (
        json.dumps({"headline": f"خبر قصير {n}", "paragraphs": ["نص."]}, ensure_ascii=False)
        for n in range(first, first + count)
    )
    return "\n".join(lines).encode()


def long_story_zip(first: int, count: int, size: int, revised: bool = False) -> bytes:
    """A zip of ``count`` stories of about ``size`` bytes each: few stories, many bytes.

    ``revised`` adds a paragraph to each, as story_zip does.
    """
    rng = random.Random(first)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for number in range(first, first + count):
            text = story(number, rng)
            while True:
                paragraph = "\n\n" + " ".join(sentence(rng) for _ in range(4))
                if len((text + paragraph).encode()) > size:
                    break
                text += paragraph
            if revised:
                text += "\n\nوأضاف المصدر تفاصيل جديدة عن الحدث."
            zipped.writestr(f"{number:06d}.txt", text)
    return archive.getvalue()


def post(client: Client, name: str, data: bytes, **fields) -> tuple[float, str]:
    """Seconds the Import page took to answer, and its page."""
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    started = time.perf_counter()
    response = client.post(IMPORT_URL, {"files": [upload], **fields})
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"the Import page answered {response.status_code}")
    return seconds, response.content.decode()


def refused(page: str) -> bool:
    return 'class="errornote"' in page and "import-results" not in page


def outcomes(page: str) -> str:
    """The page's summary line, e.g. "created 500", to check each row did what it says."""
    counts = re.findall(r'<li class="action-(\w+)">[^<]*<strong>(\d+)</strong>', page)
    return ", ".join(f"{action} {count}" for action, count in counts if count != "0")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_sizes(client: Client, counts: list[int]) -> None:
    print(
        f"{'stories':>7} {'MB':>5} {'new':>7} {'again':>7} {'update':>7} {'check':>7}"
        "   (seconds per request)"
    )
    first = 1
    with override_settings(**UNBOUNDED):
        for count in counts:
            data, size = story_zip(first, count)
            new, page = post(client, "wire.zip", data, publish="on")
            summary = [outcomes(page)]
            again, page = post(client, "wire.zip", data, publish="on")
            summary.append(outcomes(page))
            revised = story_zip(first, count, revised=True)[0]
            update, page = post(client, "wire.zip", revised, publish="on")
            summary.append(outcomes(page))
            check, _ = post(client, "wire.zip", story_zip(first + count, count)[0], dry_run="on")
            print(
                f"{count:7d} {size / 1024 / 1024:5.1f} {new:7.2f} {again:7.2f} {update:7.2f}"
                f" {check:7.2f}   {count / new:5.0f} new stories/s ({'; '.join(summary)})"
            )
            first += 2 * count
    print(f"articles in the bench database: {Article.objects.count()}")


def report(label: str, seconds: float, page: str) -> None:
    verdict = "refused" if refused(page) else outcomes(page)
    print(f"  {label}: {seconds:.2f} s ({verdict})")


def measure_bounds(client: Client) -> None:
    max_files = settings.IMPORT_UPLOAD_MAX_FILES
    max_stories = settings.IMPORT_UPLOAD_MAX_STORIES
    max_bytes = settings.IMPORT_UPLOAD_MAX_BYTES
    print(
        f"configured bounds: {max_files} files, {max_stories} stories, "
        f"{max_bytes / 1024 / 1024:.1f} MB uncompressed per upload"
    )
    first = 10_000_000
    count = min(max_files, max_stories)
    data, size = story_zip(first, count)
    label = f"zip of {count} new stories ({size / 1024 / 1024:.1f} MB), at the bound"
    report(label, *post(client, "wire.zip", data, publish="on"))
    data = story_zip(first, count, revised=True)[0]
    label = f"the same {count} stories with new text, at the bound"
    report(label, *post(client, "wire.zip", data, publish="on"))
    first += count
    # At the byte bound: a few long stories, then as many stories as the bounds let in.
    for stories in sorted({min(count, 8), count}):
        data = long_story_zip(first, stories, max_bytes // stories)
        label = (
            f"zip of {stories} new stories of {max_bytes // stories // 1024} KB, at the byte bound"
        )
        report(label, *post(client, "long.zip", data, publish="on"))
        data = long_story_zip(first, stories, max_bytes // stories, revised=True)
        label = f"the same {stories} stories with new text"
        report(label, *post(client, "long.zip", data, publish="on"))
        first += stories
    data = story_zip(first, max_files + 1)[0]
    label = f"zip of {max_files + 1} members, past the file bound"
    report(label, *post(client, "wire.zip", data, publish="on"))
    jsonl = tiny_jsonl(first, max_stories)
    label = f"JSON Lines of {max_stories} tiny new stories, at the story bound"
    report(label, *post(client, "tiny.jsonl", jsonl, publish="on"))
    first += max_stories
    # The most stories the byte bound lets into one file: all parsed before the refusal.
    count = max_bytes // (len(jsonl) // max_stories + 1)
    jsonl = tiny_jsonl(first, count)
    megabytes = len(jsonl) / 1024 / 1024
    label = f"JSON Lines of {count} tiny stories ({megabytes:.1f} MB), past the story bound"
    report(label, *post(client, "tiny.jsonl", jsonl, publish="on"))
    # One member declaring the whole byte bound and a byte more (it compresses to little).
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("big.txt", " " * (max_bytes + 1))
    label = "zip declaring more bytes than the byte bound"
    report(label, *post(client, "big.zip", archive.getvalue(), publish="on"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[100, 250, 500, 1000])
    args = parser.parse_args()
    print(f"load average before starting: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    database = settings.DATABASES["default"]
    database.setdefault("TEST", {})["NAME"] = f"{database['NAME']}_upload_bench"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(STORAGES=PLAIN_STATIC):
            user = User.objects.create_superuser("bench", password=None)
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            measure_sizes(client, args.counts)
            measure_bounds(client)
        print(f"peak memory: {peak_mb():.0f} MB resident")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
