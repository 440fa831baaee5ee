"""Property: whatever the input, import_articles never crashes and never leaves half a story.

Each input either imports (and its stories are whole) or gets a clear,
one-line error naming the file; the summary line always ends the output.
"""

import io
import re

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from articles.models import Article, ImportRecord

pytestmark = pytest.mark.django_db

SUMMARY = re.compile(
    r"^created (?P<created>\d+), updated \d+, published \d+, unchanged \d+, conflicts \d+, "
    r"refused \d+, failed (?P<failed>\d+)$"
)
PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text that looks enough like wire copy to reach the parsers' deeper paths:
# Arabic words, digits, dashes, brackets, line breaks, markup and JSON/XML openers.
WIRE_ALPHABET = st.sampled_from(
    [
        *"ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإةى ٠١٢٣٤٥٦٧٨٩0123456789-–:()،.«»\n\r\t<>{}[]\"'&;/",
        *["أ ف ب", "رويترز", "2024-11-26", "كابول - ", "\u00a0", "\u200f", "&nbsp;", "<p>", "\n\n"],
    ]
)
wire_text = st.lists(WIRE_ALPHABET, max_size=80).map("".join)


WORDS = st.sampled_from(
    [
        *("الحكومة", "تفتتح", "مشروعاً", "جديداً", "في", "المدينة", "وقال", "الوزير", "إن"),
        *("العمل", "سيستمر", "حتى", "نهاية", "العام", "٢٠٢٤", "2024", "-", "–", ":"),
        *("(أ ف ب)", "«بنّاء»", "&quot;", "<b>", "</b>", "\u200f", "\u00a0", "صورة", "انتهى"),
    ]
)
LINE = st.lists(WORDS, min_size=1, max_size=14).map(" ".join)


@st.composite
def wire_stories(draw):
    """Copy in the shape of the seed, with the variants real wires send, in some encoding."""
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    gap = draw(st.sampled_from([newline, newline * 2]))
    credit = draw(st.sampled_from(["", "أ ف ب-الامة برس", "رويترز", "(أ ف ب)", "القاهرة - أ ش أ"]))
    date = draw(
        st.sampled_from(["", "2024-11-26", "26/11/2024", "٢٦/١١/٢٠٢٤", "26 نوفمبر 2024 10:30"])
    )
    header = [draw(LINE), "", credit, date, ""]
    body = draw(st.lists(LINE, max_size=6))
    text = newline.join(header) + gap.join(body)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1256"]))
    return text.encode(encoding, errors="replace")


def import_one(tmp_path, data: bytes):
    path = tmp_path / "input.dat"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", str(path), stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue(), err.getvalue(), str(path)


def check(tmp_path, data: bytes):
    status, out, err, name = import_one(tmp_path, data)
    summary = SUMMARY.match(out.strip().splitlines()[-1])
    assert summary, out
    failed = int(summary["failed"])
    event("imported" if int(summary["created"]) else "refused" if failed else "unchanged")
    assert status == (1 if failed else 0)
    assert "Traceback" not in out + err
    errors = err.strip().splitlines()
    assert len(errors) == failed
    for line in errors:
        assert line.startswith(name)
        assert line.split(": ", 2)[-1].strip(), line  # says what is wrong
    # No partial story: every article is whole, with its log row.
    for article in Article.objects.prefetch_related("paragraphs"):
        positions = [paragraph.position for paragraph in article.paragraphs.all()]
        assert positions == list(range(1, len(positions) + 1))
        assert positions or article.image_caption
        assert article.headline.strip()
        assert ImportRecord.objects.filter(article=article).exists()


@PROPERTY_SETTINGS
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_the_command(tmp_path, data):
    check(tmp_path, data)


@PROPERTY_SETTINGS
@given(text=st.text(max_size=400), encoding=st.sampled_from(["utf-8", "utf-16", "cp1256"]))
def test_arbitrary_text_never_crashes_the_command(tmp_path, text, encoding):
    check(tmp_path, text.encode(encoding, errors="replace"))


@PROPERTY_SETTINGS
@given(text=wire_text)
def test_wire_like_text_never_crashes_the_command(tmp_path, text):
    check(tmp_path, text.encode())


@PROPERTY_SETTINGS
@given(data=wire_stories())
def test_wire_stories_never_crash_the_command(tmp_path, data):
    check(tmp_path, data)


@PROPERTY_SETTINGS
@given(
    prefix=st.sampled_from(
        [b"<newsItem guid='g'>", b"<nitf>", b'{"uri": "u", ', b'{"headline": "\xd8\xb9", ', b"["]
    ),
    rest=st.binary(max_size=300),
)
def test_broken_structured_files_never_crash_the_command(tmp_path, prefix, rest):
    check(tmp_path, prefix + rest)
