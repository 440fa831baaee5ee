"""The search page: what readers find, marked; count and paging; the filter form; hostile input."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.http_cache import seconds_to_next_scheduled
from articles.models import Article
from articles.search import retrieval
from articles.search.query import MAX_QUERY_CHARS, parse_query
from articles.search.retrieval import Tuning, search_articles
from articles.tests.search.support import ago, frame

pytestmark = pytest.mark.django_db


def test_readers_find_only_published_stories(client, story):
    story(headline="خبر منشور", paragraphs=frame("الانتخابات"))
    story(headline="مسودة", status=Article.Status.DRAFT, paragraphs=frame("الانتخابات"))
    story(headline="مسحوب", status=Article.Status.WITHDRAWN, paragraphs=frame("الانتخابات"))
    story(headline="مجدول", published_at=ago(hours=-2), paragraphs=frame("الانتخابات"))
    html = client.get("/search/", {"q": "الانتخابات"}).content.decode()
    assert "خبر منشور" in html
    for hidden in ("مسودة", "مسحوب", "مجدول"):
        assert hidden not in html


# --- Highlighting on the page -------------------------------------------------


def test_search_page_marks_headline_and_snippet(client, story):
    story(
        headline="الوزير <يصل> إلى كابول",
        paragraphs=("مقدمة.", "قال الوزير إن <script>alert(1)</script> انتهى."),
    )
    html = client.get("/search/", {"q": "وزير"}).content.decode()
    assert "<mark>الوزير</mark> &lt;يصل&gt; إلى كابول" in html
    assert "قال <mark>الوزير</mark> إن &lt;script&gt;alert(1)&lt;/script&gt; انتهى." in html
    assert "<script>alert(1)" not in html


def test_search_page_marks_the_words_the_results_were_found_by(client, story):
    # A page of stories with مصر itself: the last word is not asked as a
    # prefix, so المصرف, which it begins, is not marked either.
    for n in range(retrieval.RESULTS_PER_PAGE):
        story(headline=f"خبر {n}", paragraphs=("زار الوفد مصر ثم المصرف.",))
    html = client.get("/search/", {"q": "مصر"}).content.decode()
    assert "زار الوفد <mark>مصر</mark> ثم المصرف." in html


def test_search_page_marks_the_words_a_prefix_found(client, story):
    story(paragraphs=("زار الوفد المصرف.",))
    html = client.get("/search/", {"q": "مصر"}).content.decode()
    assert "زار الوفد <mark>المصرف</mark>." in html


# --- The count and the pages --------------------------------------------------


def test_search_page_shows_count_and_results(client, story):
    for n in range(3):
        story(headline=f"انتخابات {n}", paragraphs=frame("الانتخابات"))
    response = client.get("/search/", {"q": "الانتخابات"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 نتائج" in html
    assert html.count('class="card search-result"') == 3


def test_search_page_writes_the_count_in_the_sites_digits(client, story, settings):
    settings.ARABIC_DIGITS = "arabic"
    for n in range(3):
        story(headline=f"انتخابات {n}", paragraphs=frame("الانتخابات"))
    assert "٣ نتائج" in client.get("/search/", {"q": "الانتخابات"}).content.decode()


def test_search_page_paginates_keeping_the_query(client, story):
    for n in range(13):
        story(headline=f"انتخابات {n}", paragraphs=frame("الانتخابات"))
    html = client.get("/search/", {"q": "الانتخابات", "sort": "date"}).content.decode()
    assert html.count('class="card search-result"') == retrieval.RESULTS_PER_PAGE == 10
    assert "page=2" in html and "sort=date" in html
    second = client.get("/search/", {"q": "الانتخابات", "sort": "date", "page": 2})
    assert second.content.decode().count('class="card search-result"') == 3


def test_count_is_exact_but_paging_stops_at_the_browse_cap(client, story, monkeypatch):
    cap_of_three = Tuning(browse_cap=3)
    for n in range(5):
        story(headline=f"انتخابات {n}", paragraphs=frame("الانتخابات"), published_at=ago(days=n))
    query = parse_query("الانتخابات")
    results = search_articles(Article.objects.published(), query, tuning=cap_of_three)
    assert (results.count(), results.total, results.has_more) == (3, 5, True)
    # The page searches with the site's default tuning: made the small one here.
    monkeypatch.setattr(retrieval, "DEFAULT_TUNING", cap_of_three)
    html = client.get("/search/", {"q": "الانتخابات"}).content.decode()
    assert "5 نتائج" in html
    assert "هذه أحدث 3 نتيجة" in html


# --- What the page tells the reader -------------------------------------------


def test_empty_query_invites_a_search(client):
    response = client.get("/search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "اكتب كلمة أو أكثر" in html
    assert 'class="card search-result"' not in html


def test_no_results_say_so_and_suggest(client, story):
    story(headline="خبر", paragraphs=frame("الانتخابات"))
    html = client.get("/search/", {"q": "البراكين", "source": "بترا"}).content.decode()
    assert "لم نجد أخبارًا تطابق «<bdi>البراكين</bdi>»" in html
    assert "تتأكد من كتابة الكلمات" in html
    assert "تبحث في كل المصادر وكل التواريخ" in html


def test_stop_words_query_explains(client):
    html = client.get("/search/", {"q": "في من"}).content.decode()
    assert "شائعة جدًّا" in html


def test_long_query_is_cut_with_a_note(client, story):
    story(headline="خبر", paragraphs=frame("الانتخابات"))
    words = " ".join(["الانتخابات"] + [f"كلمة{n}" for n in range(12)])
    html = client.get("/search/", {"q": words + " " + "ب" * 300}).content.decode()
    assert "فاقتصرنا على أول 10 كلمات" in html or "فاقتصرنا على أول ١٠ كلمات" in html
    assert len(parse_query(words + " " + "ب" * 300).text) == MAX_QUERY_CHARS


def test_invalid_filters_are_ignored_with_a_note(client, story):
    story(headline="خبر الاقتراع", paragraphs=frame("الانتخابات"))
    response = client.get(
        "/search/", {"q": "الانتخابات", "from": "2024-13-45", "source": "لا-يوجد", "sort": "x"}
    )
    html = response.content.decode()
    assert "خبر الاقتراع" in html
    assert "تاريخ البداية غير صالح" in html
    assert "لم نجد المصدر المطلوب" in html
    assert "طريقة الترتيب غير معروفة" in html


def test_reversed_dates_are_swapped(client, story):
    story(headline="خبر الاقتراع", paragraphs=frame("الانتخابات"), published_at=ago(days=3))
    today = timezone.localdate()
    html = client.get(
        "/search/",
        {
            "q": "الانتخابات",
            "from": today.isoformat(),
            "to": (today - datetime.timedelta(days=7)).isoformat(),
        },
    ).content.decode()
    assert "خبر الاقتراع" in html
    assert "فبدّلنا بينهما" in html


@pytest.mark.parametrize(
    ("params", "note"),
    [({"to": "9999-12-31"}, "تاريخ النهاية"), ({"from": "0001-01-01"}, "تاريخ البداية")],
)
def test_date_outside_the_archive_is_ignored_with_a_note(client, story, params, note):
    # To 9999-12-31 overflowed a day on (a 500); from 0001-01-01 went to the
    # search unchecked. Both are outside the dates a story may carry.
    story(headline="خبر الاقتراع", paragraphs=frame("الانتخابات"))
    response = client.get("/search/", {"q": "الانتخابات", **params})
    assert response.status_code == 200
    html = response.content.decode()
    assert "خبر الاقتراع" in html
    assert f"{note} خارج المدة التي يغطيها الأرشيف" in html


def test_dates_at_the_edges_of_the_archive_are_kept(client, story):
    story(headline="خبر الاقتراع", paragraphs=frame("الانتخابات"))
    last = timezone.localdate() + datetime.timedelta(days=366)
    params = {"q": "الانتخابات", "from": "1900-01-01", "to": last.isoformat()}
    html = client.get("/search/", params).content.decode()
    assert "خبر الاقتراع" in html
    assert "فتجاهلناه" not in html


def test_query_with_a_nul_is_ignored_with_a_note(client, story):
    # PostgreSQL text cannot hold NUL; the form refuses it before any query.
    story(paragraphs=frame("الوزير"))
    response = client.get("/search/?q=%D8%A7%D9%84%D9%88%D8%B2%D9%8A%D8%B1%00")
    assert response.status_code == 200
    assert "في البحث محارف غير مقبولة" in response.content.decode()


# --- The filter form ----------------------------------------------------------


def filter_form(html):
    """The search page's filter form."""
    start = html.index('<form class="search-filters"')
    return html[start : html.index("</form>", start)]


def test_filter_form_echoes_the_query_escaped(client, story):
    story(paragraphs=frame("الوزير"))
    html = client.get("/search/", {"q": "الوزير \"<b>'&"}).content.decode()
    assert 'name="q" value="الوزير &quot;&lt;b&gt;&#x27;&amp;" dir="auto"' in filter_form(html)


def test_filter_form_marks_the_chosen_source_and_sort(client, story):
    story(paragraphs=frame("الوزير"), source="بترا")
    story(paragraphs=frame("الوزير"), source="واس")
    params = {"q": "الوزير", "source": "واس", "sort": "date"}
    form = filter_form(client.get("/search/", params).content.decode())
    assert '<option value="واس" selected>واس</option>' in form
    assert '<option value="بترا">بترا</option>' in form
    assert '<option value="date" selected>الأحدث</option>' in form
    assert '<option value="" selected>' not in form


def test_filter_form_marks_every_source_and_relevance_by_default(client, story):
    story(paragraphs=frame("الوزير"))
    form = filter_form(client.get("/search/", {"q": "الوزير"}).content.decode())
    assert '<option value="" selected>كل المصادر</option>' in form
    assert '<option value="" selected>الأكثر صلة</option>' in form


def test_filter_form_offers_only_sources_with_published_stories(client, story):
    story(paragraphs=frame("الوزير"), source="بترا")
    story(paragraphs=frame("الوزير"), source="واس", status=Article.Status.DRAFT)
    html = client.get("/search/", {"q": "الوزير", "source": "واس"}).content.decode()
    assert 'value="واس"' not in filter_form(html)
    assert "لم نجد المصدر المطلوب" in html


def test_filter_form_shows_the_dates_searched(client, story):
    story(paragraphs=frame("الوزير"))
    params = {"q": "الوزير", "from": "2024-11-30", "to": "2024-11-01"}
    form = filter_form(client.get("/search/", params).content.decode())
    assert 'name="from" value="2024-11-01"' in form
    assert 'name="to" value="2024-11-30"' in form


def test_filter_form_leaves_out_a_date_it_ignored(client, story):
    story(paragraphs=frame("الوزير"))
    form = filter_form(
        client.get("/search/", {"q": "الوزير", "from": "2024-13-45"}).content.decode()
    )
    assert 'name="from" value=""' in form


def test_search_page_reads_the_sources_once(client, story):
    story(paragraphs=frame("الوزير"), source="بترا")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/search/", {"q": "الوزير", "source": "بترا"}).content.decode()
    assert sum('FROM "articles_source"' in q["sql"] for q in queries.captured_queries) == 1
    assert "<bdi>بترا</bdi>" in html  # the navigation
    assert '<option value="بترا" selected>بترا</option>' in html  # the filter


# --- Hostile input and the query budget ---------------------------------------


HOSTILE = [
    "' OR 1=1 --",
    "&|!:*()",
    "وزير & !الوزير | (",
    "'وزير':*",
    "\\",
    "ُ",
    "ًٌٍَُِّْ",
    "<script>alert(1)</script>",
    "وزير\x00",
    "\u202e\u200f",
    '"""',
    "«",
    "a" * 5000,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_give_a_normal_page(client, story, text):
    story(paragraphs=frame("الوزير"))
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


@pytest.mark.parametrize(
    "params",
    [{"page": "abc"}, {"page": "99999"}, {"page": "-1"}, {"from": "'; DROP"}, {"sort": "<x>"}],
)
def test_hostile_parameters_give_a_normal_page(client, story, params):
    story(paragraphs=frame("الوزير"))
    assert client.get("/search/", {"q": "الوزير", **params}).status_code == 200


def test_search_page_query_budget(client, story, django_assert_max_num_queries):
    for n in range(25):
        story(headline=f"انتخابات {n}", paragraphs=(*frame("الانتخابات"), "فقرة ثانية."))
    source = Article.objects.first().source
    # The statistics (once in a while), the matches (with the planner
    # settings, in a savepoint here: five statements), the page with its
    # stories' paragraphs, the sources (one query for the navigation and the
    # filter, then kept in the cache).
    # The next scheduled time, known for the generation after its first request.
    seconds_to_next_scheduled()
    with django_assert_max_num_queries(8):
        response = client.get("/search/", {"q": "الانتخابات", "source": source.slug})
    shown = response.content.decode().count('class="card search-result"')
    assert shown == retrieval.RESULTS_PER_PAGE
