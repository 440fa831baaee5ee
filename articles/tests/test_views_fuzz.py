"""Every reader URL that takes a parameter, fuzzed: whatever is typed, never a 500.

The addresses are built as a client sends them, percent-encoded bytes, so
the fuzz reaches what a hostile reader can: NUL bytes, invalid UTF-8 (%ff,
encoded lone surrogates), dates at the ends of the calendar, page numbers
of twenty digits, repeated parameters. Django's test client re-raises a
view's exception, so a 500 fails the test with its traceback.
"""

import datetime
import zoneinfo
from urllib.parse import quote_from_bytes

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article
from articles.search.index import refresh_search_vectors
from articles.views import archive_day_url

pytestmark = pytest.mark.django_db

RIYADH = zoneinfo.ZoneInfo("Asia/Riyadh")

# The stories are made once per test, not per example: the requests only
# read, so every example sees the same site.
fuzz = settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any character, lone surrogates included (encoded as the invalid UTF-8 a
# client can send), and raw bytes.
any_text = st.text(st.characters(exclude_categories=()), max_size=30)
any_value = st.one_of(any_text, st.binary(max_size=20))

TRICKY = [
    "",
    "\x00",
    "%00",
    "-1",
    "0",
    "1e9",
    "1.5",
    "nan",
    "inf",
    "٢",
    "99999999999999999999",
    "9" * 4000,
    "0001-01-01",
    "9999-12-31",
    "1899-12-31",
    "1900-01-01",
    "10000-01-01",
    "2024-02-30",
    "الوزير",
    "خبر-1",
    "بترا",
    "date",
    "\ud800",
    b"\xff",
    b"\xed\xa0\x80",
    "a" * 3000,
]
tricky_value = st.sampled_from(TRICKY)


def dates_around_the_window():
    """Dates inside, at the edges of and far outside the window a story may carry."""
    today = timezone.localdate()
    edges = [
        datetime.date(1900, 1, 1),
        datetime.date(1899, 12, 31),
        today + datetime.timedelta(days=366),
        today + datetime.timedelta(days=367),
        datetime.date.min,
        datetime.date.max,
    ]
    return st.one_of(st.sampled_from(edges), st.dates()).map(datetime.date.isoformat)


def page_numbers():
    return st.one_of(st.integers().map(str), st.floats().map(str), tricky_value, any_value)


def encode(value: str | bytes) -> str:
    """``value`` percent-encoded as a client sends it; surrogates as the bytes they would be."""
    if isinstance(value, str):
        value = value.encode("utf-8", "surrogatepass")
    return quote_from_bytes(value, safe="")


def query_string(pairs: list[tuple[str, str | bytes]]) -> str:
    return "&".join(f"{encode(name)}={encode(value)}" for name, value in pairs)


def with_query(path: str, pairs: list[tuple[str, str | bytes]]) -> str:
    return f"{path}?{query_string(pairs)}" if pairs else path


def paged(path: str, page: str | bytes | None, name: str = "page") -> str:
    """``path`` asking for ``page`` (None: no page parameter at all)."""
    return with_query(path, [] if page is None else [(name, page)])


@pytest.fixture
def site(make_article):
    """A few stories, indexed: two sources, one on the window's first day, one withdrawn."""
    stories = [
        make_article(headline="الوزير يفتتح محطة", source="بترا"),
        make_article(
            headline="الوزير يزور المدرسة",
            source="واس",
            published_at=timezone.now() - datetime.timedelta(days=3),
        ),
        make_article(
            headline="أقدم خبر في الأرشيف",
            published_at=datetime.datetime(1900, 1, 1, 12, tzinfo=RIYADH),
        ),
        make_article(headline="خبر مسحوب", status=Article.Status.WITHDRAWN),
        make_article(headline="مسودة", status=Article.Status.DRAFT),
    ]
    refresh_search_vectors([story.pk for story in stories])
    return stories


def assert_answers(client, url: str, expected: set[int]):
    response = client.get(url)
    assert response.status_code in expected, (url, response.status_code)


SEARCH_PARAMETERS = {
    "q": st.one_of(st.sampled_from(["الوزير", "الوز", '"الوزير يفتتح"', "Reuters"]), any_value),
    "source": st.one_of(st.sampled_from(["بترا", "واس"]), any_value),
    "from": st.one_of(dates_around_the_window(), any_value),
    "to": st.one_of(dates_around_the_window(), any_value),
    "sort": st.one_of(st.sampled_from(["", "date"]), any_value),
    "page": page_numbers(),
}


@st.composite
def search_pairs(draw):
    """Any of the search page's parameters, some repeated, with valid and hostile values."""
    names = draw(st.lists(st.sampled_from(sorted(SEARCH_PARAMETERS)), max_size=8))
    return [
        (name, draw(st.one_of(SEARCH_PARAMETERS[name], tricky_value))) for name in ["q", *names]
    ]


@fuzz
@given(pairs=search_pairs())
def test_search_never_fails(client, site, pairs):
    assert_answers(client, with_query("/search/", pairs), {200})


def archive_days():
    """Any address the day archive's route accepts: real dates, the window's edges, any digits."""
    digits = st.tuples(st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99))
    real = dates_around_the_window().map(lambda day: tuple(map(int, day.split("-"))))
    return st.one_of(real, digits).map(lambda ymd: "/archive/{:04d}/{:02d}/{:02d}/".format(*ymd))


@fuzz
@given(path=archive_days(), page=st.one_of(st.none(), page_numbers()))
def test_archive_day_never_fails(client, site, path, page):
    assert_answers(client, paged(path, page), {200, 404})


@fuzz
@given(day=st.sampled_from([0, 2, 3]), page=page_numbers())
def test_archive_day_with_stories_never_fails(client, site, day, page):
    path = archive_day_url(timezone.localdate(site[day].published_at))
    assert_answers(client, paged(path, page), {200, 404})


@fuzz
@given(page=page_numbers())
def test_front_page_never_fails(client, site, page):
    assert_answers(client, paged("/", page), {200, 404})


def slugs():
    """Existing slugs, text the slug converter accepts, and anything at all."""
    return st.one_of(
        st.sampled_from(["بترا", "واس", "خبر-1", "خبر-4", "خبر-5"]),
        st.from_regex(r"[-\w]{1,120}", fullmatch=True),
        any_value,
    )


@fuzz
@given(slug=slugs(), page=st.one_of(st.none(), page_numbers()))
def test_source_page_never_fails(client, site, slug, page):
    path = f"/source/{encode(slug)}/"
    assert_answers(client, paged(path, page), {200, 404})


@fuzz
@given(slug=slugs())
def test_story_page_never_fails(client, site, slug):
    assert_answers(client, f"/story/{encode(slug)}/", {200, 404, 410})


@fuzz
@given(slug=slugs(), atom=st.booleans())
def test_source_feed_never_fails(client, site, slug, atom):
    path = f"/source/{encode(slug)}/feed/{'atom/' if atom else ''}"
    assert_answers(client, path, {200, 404})


@fuzz
@given(
    name=st.one_of(
        st.sampled_from(["sitemap.xml", "news-sitemap.xml"]),
        st.sampled_from(["stories", "sources", "archive", "news"]).map("sitemap-{}.xml".format),
        any_value.map(lambda section: f"sitemap-{encode(section)}.xml"),
    ),
    page=st.one_of(st.none(), page_numbers()),
)
def test_sitemaps_never_fail(client, site, name, page):
    assert_answers(client, paged(f"/{name}", page, name="p"), {200, 404})


@pytest.mark.parametrize("page", ["²", "9" * 5000, "٢", "02", "+2"])
@pytest.mark.parametrize("path", ["/", "/search/", "/story/لا-يوجد/"])
def test_a_page_number_int_cannot_read_gives_no_500(client, site, path, page):
    # The canonical URL of every HTML page called int() on any str.isdigit() text.
    assert client.get(path, {"page": page}).status_code in {200, 404}
