"""The search engine on real PostgreSQL: index, matching, ranking, highlighting."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import search
from articles.models import Article, Paragraph
from articles.search import (
    document_vector,
    parse_query,
    refresh_search_vectors,
    search_articles,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(make_article):
    """Create a story and index it, as every write path does."""

    def make(*args, **kwargs):
        article = make_article(*args, **kwargs)
        refresh_search_vectors([article.pk])
        return article

    return make


def frame(word):
    """A body sentence around ``word`` whose other words no test searches for."""
    return (f"قال مصدر مطلع إن {word} حاضر منذ الصباح.",)


def found(text, queryset=None, **filters):
    """The headlines a reader's search for ``text`` finds, best first."""
    queryset = Article.objects.published() if queryset is None else queryset
    results = search_articles(queryset, parse_query(text), **filters)
    return [article.headline for article in results[:100]]


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


# Every spelling variant of the issue, and the forms a light stemmer joins.
MUST_MATCH = [
    ("وزير", "الوزير"),
    ("وزير", "والوزير"),
    ("الوزير", "والوزير"),
    ("وزير", "بالوزير"),
    ("وكالة", "الوكالة"),
    ("الرئيس", "والرئيس"),
    ("المدرسة", "المدرسه"),
    ("مستشفى", "مستشفي"),
    ("مسئول", "مسؤول"),
    ("الافغانية", "الأفغانية"),
    ("أفغانستان", "افغانستان"),
    ("مُسْؤُولِين", "مسؤولين"),
    ("٢٠٢٤", "2024"),
    ("۲۰۲۴", "2024"),
    ("إسلام", "اسلام"),
    ("آثار", "اثار"),
    ("ٱلرحمن", "الرحمن"),
    ("الرَّحْمٰنِ", "الرحمن"),
    ("مـــدرسة", "مدرسة"),
    ("ﺍﻟﺴﻼﻡ", "السلام"),
    ("مدر\u200cسة", "مدرسة"),
    ("\u200fالوزير\u200f", "الوزير"),
    ("\u2067الحكومة\u2069", "الحكومة"),
    ("ایران", "ايران"),
    ("کتاب", "كتاب"),
    ("مسؤولين", "مسؤول"),
    ("معلمات", "معلمة"),
    ("Reuters", "REUTERS"),
]


@pytest.mark.parametrize(("first", "second"), MUST_MATCH)
def test_variants_find_each_other_both_ways(story, first, second):
    story(headline="الأول", paragraphs=frame(first))
    story(headline="الثاني", paragraphs=frame(second))
    assert "الثاني" in found(first)
    assert "الأول" in found(second)


# Different words that careless folding or prefix stripping would merge.
MUST_NOT_MATCH = [
    ("كتب", "كاتب"),
    ("علم", "عالم"),
    ("ملك", "مالك"),
    ("سؤال", "سال"),
    ("رئيس", "ريس"),
    ("ضل", "ظل"),
    ("سر", "سير"),
    ("جمل", "جميل"),
    ("وطن", "طن"),
    ("وزير", "زير"),
    ("كبير", "بير"),
    ("وكالة", "كالة"),
    ("أمان", "أم"),
]


@pytest.mark.parametrize(("first", "second"), MUST_NOT_MATCH)
def test_different_words_do_not_find_each_other(story, first, second):
    story(headline="الأول", paragraphs=frame(first))
    story(headline="الثاني", paragraphs=frame(second))
    assert found(first) == ["الأول"]
    assert found(second) == ["الثاني"]


def test_stop_words_alone_find_nothing(story):
    story(paragraphs=("قال الوزير في بيان إن هذا من التي كان قد أعلنها.",))
    query = parse_query("في من هذا التي")
    assert query.stop_words_only
    assert found("في من هذا التي") == []


def test_stop_words_do_not_narrow_a_query(story):
    story(headline="الوزير يصل", paragraphs=("وصل الوزير صباحا.",))
    assert found("في الوزير من") == ["الوزير يصل"]


def test_every_word_must_match(story):
    story(headline="زيارة الوزير", paragraphs=frame("الوزير"))
    story(headline="زيارة السفير", paragraphs=frame("السفير"))
    assert found("زيارة الوزير") == ["زيارة الوزير"]


# --- Ranking -----------------------------------------------------------------


def test_headline_hit_ranks_above_body_hits(story):
    story(headline="أمطار غزيرة", paragraphs=("الفيضان والفيضان ثم الفيضان.",), published_at=ago())
    story(headline="الفيضان يغمر القرى", paragraphs=("مياه كثيرة.",), published_at=ago(days=30))
    assert found("الفيضان") == ["الفيضان يغمر القرى", "أمطار غزيرة"]


def test_caption_hit_ranks_above_body_hit(story):
    story(headline="في الجسم", paragraphs=("عاصفة رملية.",), published_at=ago())
    story(
        headline="في التعليق",
        image_caption="عاصفة فوق المدينة",
        paragraphs=("رياح.",),
        published_at=ago(days=30),
    )
    assert found("عاصفة") == ["في التعليق", "في الجسم"]


def test_exact_word_ranks_above_stem(story):
    story(headline="الأحدث", paragraphs=("التقت الوزيرة الوفد.",), published_at=ago())
    story(headline="الأقدم", paragraphs=("التقى الوزير الوفد.",), published_at=ago(days=30))
    assert found("الوزير") == ["الأقدم", "الأحدث"]


def test_equal_matches_go_newest_first(story):
    story(headline="قديم", paragraphs=frame("الزلزال"), published_at=ago(days=3))
    story(headline="جديد", paragraphs=frame("الزلزال"), published_at=ago(hours=2))
    story(headline="أوسط", paragraphs=frame("الزلزال"), published_at=ago(days=1))
    assert found("الزلزال") == ["جديد", "أوسط", "قديم"]


def test_sort_by_date_ignores_relevance(story):
    story(headline="الزلزال في العنوان", paragraphs=("نص.",), published_at=ago(days=3))
    story(headline="خبر جديد", paragraphs=frame("الزلزال"), published_at=ago(hours=1))
    assert found("الزلزال", by_date=True) == ["خبر جديد", "الزلزال في العنوان"]


def test_relevance_ranks_the_newest_window_then_follows_by_date(story, monkeypatch):
    monkeypatch.setattr(search, "RANK_WINDOW", 2)
    story(headline="الإعصار قديم جدا", paragraphs=("نص.",), published_at=ago(days=9))
    story(headline="ثالث", paragraphs=frame("الإعصار"), published_at=ago(days=3))
    story(headline="ثان", paragraphs=frame("الإعصار"), published_at=ago(days=2))
    story(headline="الإعصار حديث", paragraphs=("نص.",), published_at=ago(days=1))
    story(headline="أحدث", paragraphs=frame("الإعصار"), published_at=ago(hours=1))
    # The newest two ranked (the headline hit first), then the rest by date:
    # the old headline hit is outside the window.
    assert found("الإعصار") == ["الإعصار حديث", "أحدث", "ثان", "ثالث", "الإعصار قديم جدا"]


# --- Phrases and prefixes ----------------------------------------------------


def test_quoted_phrase_matches_words_in_order(story):
    story(headline="متجاورتان", paragraphs=("اجتمع مجلس الأمن الدولي.",))
    story(headline="متباعدتان", paragraphs=("الأمن مستتب في مجلس المدينة.",))
    assert found('"مجلس الأمن"') == ["متجاورتان"]
    assert sorted(found("مجلس الأمن")) == ["متباعدتان", "متجاورتان"]


def test_guillemets_quote_a_phrase(story):
    story(headline="متجاورتان", paragraphs=("اجتمع مجلس الأمن الدولي.",))
    story(headline="متباعدتان", paragraphs=("الأمن مستتب في مجلس المدينة.",))
    assert found("«مجلس الأمن»") == ["متجاورتان"]


def test_phrase_keeps_the_gap_of_a_stop_word(story):
    story(headline="بفاصل", paragraphs=("عقد وزير في الحكومة مؤتمرا.",))
    story(headline="بلا فاصل", paragraphs=("عقد وزير الحكومة مؤتمرا.",))
    assert found('"وزير في الحكومة"') == ["بفاصل"]


def test_phrase_does_not_span_paragraphs(story):
    story(paragraphs=("انعقد اليوم مجلس", "الأمن مستتب."))
    assert found('"مجلس الأمن"') == []


def test_phrase_matches_spelling_variants(story):
    story(headline="المسؤولون", paragraphs=("قال المسئولون الأفغان إن الوضع هادئ.",))
    assert found('"المسؤولون الافغان"') == ["المسؤولون"]


def test_last_word_matches_as_prefix(story):
    story(paragraphs=("عاد الوفد من أفغانستان.",))
    story(headline="آخر", paragraphs=("عاد الوفد من باكستان.",))
    assert found("أفغا") == ["وزير الري يفتتح محطة جديدة لتحلية المياه"]


def test_prefix_with_the_article_finds_other_forms(story):
    story(headline="الحكومة", paragraphs=("قالت الحكومة الأفغانية.",))
    story(headline="البلد", paragraphs=("عاد الوفد من أفغانستان.",))
    assert sorted(found("الأفغا")) == ["البلد", "الحكومة"]


def test_only_the_last_word_is_a_prefix(story):
    story(paragraphs=("عاد الوفد من أفغانستان إلى كابول.",))
    assert found("أفغا كابول") == []
    assert found("كابول أفغا") != []


def test_whole_word_ranks_above_words_it_begins(story):
    story(headline="مصرف", paragraphs=frame("المصرف"), published_at=ago())
    story(headline="مصر", paragraphs=frame("مصر"), published_at=ago(days=30))
    assert found("مصر") == ["مصر", "مصرف"]


def test_short_last_word_is_not_a_prefix(story):
    story(paragraphs=("الوزير والمدير والسفير.",))
    assert parse_query("ال").terms[0].prefix is False
    assert found("ال") == []


# --- Filters ------------------------------------------------------------------


def test_filter_by_source(story):
    story(headline="من بترا", source="بترا", paragraphs=frame("الانتخابات"))
    story(headline="من وفا", source="وفا", paragraphs=frame("الانتخابات"))
    source = Article.objects.get(headline="من وفا").source
    assert found("الانتخابات", source=source) == ["من وفا"]


def test_filter_by_date_range_includes_both_days(story):
    today = timezone.localdate()
    for days in (0, 2, 5, 9):
        moment = timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time(0, 30))
        )
        story(headline=f"قبل {days}", paragraphs=frame("الانتخابات"), published_at=moment)
    headlines = found(
        "الانتخابات",
        date_from=today - datetime.timedelta(days=5),
        date_to=today - datetime.timedelta(days=2),
    )
    assert sorted(headlines) == ["قبل 2", "قبل 5"]


# --- Readers and editors --------------------------------------------------------


def test_readers_find_only_published_stories(client, story):
    story(headline="خبر منشور", paragraphs=frame("الانتخابات"))
    story(headline="مسودة", status=Article.Status.DRAFT, paragraphs=frame("الانتخابات"))
    story(headline="مسحوب", status=Article.Status.WITHDRAWN, paragraphs=frame("الانتخابات"))
    story(headline="مجدول", published_at=ago(hours=-2), paragraphs=frame("الانتخابات"))
    html = client.get("/search/", {"q": "الانتخابات"}).content.decode()
    assert "خبر منشور" in html
    for hidden in ("مسودة", "مسحوب", "مجدول"):
        assert hidden not in html


def test_admin_search_finds_drafts_with_the_same_normalisation(admin_client, story):
    story(headline="مسودة عن كابول", status=Article.Status.DRAFT, paragraphs=frame("الأفغانية"))
    story(headline="خبر آخر", paragraphs=frame("العراقية"))
    response = admin_client.get("/admin/articles/article/", {"q": "الافغانيه"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "مسودة عن كابول" in html
    assert "خبر آخر" not in html


def test_admin_search_still_matches_part_of_a_headline(admin_client, story):
    story(headline="مسودة عن كابول", status=Article.Status.DRAFT)
    html = admin_client.get("/admin/articles/article/", {"q": "ودة عن"}).content.decode()
    assert "مسودة عن كابول" in html


# --- The index ------------------------------------------------------------------


def test_refresh_reads_and_writes_a_batch_in_two_queries(make_article, django_assert_num_queries):
    ids = [make_article(headline=f"خبر {n}").pk for n in range(30)]
    with django_assert_num_queries(2):
        refresh_search_vectors(ids)
    assert not Article.objects.filter(pk__in=ids, search_vector__isnull=True).exists()


def test_refresh_follows_a_paragraph_edit(story):
    article = story(paragraphs=("هطلت الثلوج.",))
    Paragraph.objects.filter(article=article).update(text="اشتد الحر.")
    refresh_search_vectors([article.pk])
    assert found("الثلوج") == []
    assert found("الحر") == [article.headline]


def test_refresh_of_nothing_is_harmless(django_assert_num_queries):
    with django_assert_num_queries(0):
        refresh_search_vectors([])


def test_search_vector_is_stored_uncompressed():
    # Migration 0004: reading vectors back is most of a search's cost.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'articles_article'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone()[0] == "e"


def test_vector_weights_headline_caption_body_and_stems():
    vector = document_vector("الوزير", "الوزير", ["الوزير"])
    assert "'الوزير':1A,7B,13C" in vector
    assert "'~وزير':1B,7C,13D" in vector


def test_vector_leaves_out_stop_words_but_counts_their_positions():
    vector = document_vector("", "", ["وزير في الحكومة"])
    assert "'في'" not in vector
    assert "'وزير':11C" in vector
    assert "'الحكومه':13C" in vector


def test_huge_story_is_indexed_without_error(story):
    words = [f"كلمة{n}" for n in range(40_000)]
    article = story(paragraphs=(" ".join(words),))
    assert found("كلمة5") == [article.headline]


def test_overlong_word_is_not_indexed(story):
    story(paragraphs=("ب" * 3000 + " الوزير",))
    assert found("الوزير") != []


# --- Highlighting on the page --------------------------------------------------


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
    for n in range(search.PAGE_SIZE):
        story(headline=f"خبر {n}", paragraphs=("زار الوفد مصر ثم المصرف.",))
    html = client.get("/search/", {"q": "مصر"}).content.decode()
    assert "زار الوفد <mark>مصر</mark> ثم المصرف." in html


def test_search_page_marks_the_words_a_prefix_found(client, story):
    story(paragraphs=("زار الوفد المصرف.",))
    html = client.get("/search/", {"q": "مصر"}).content.decode()
    assert "زار الوفد <mark>المصرف</mark>." in html


# --- The search page ----------------------------------------------------------------


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
    assert html.count('class="card search-result"') == search.PAGE_SIZE == 10
    assert "page=2" in html and "sort=date" in html
    second = client.get("/search/", {"q": "الانتخابات", "sort": "date", "page": 2})
    assert second.content.decode().count('class="card search-result"') == 3


def test_count_is_exact_but_paging_stops_at_the_browse_cap(client, story, monkeypatch):
    monkeypatch.setattr(search, "BROWSE_CAP", 3)
    for n in range(5):
        story(headline=f"انتخابات {n}", paragraphs=frame("الانتخابات"), published_at=ago(days=n))
    results = search_articles(Article.objects.published(), parse_query("الانتخابات"))
    assert (results.count(), results.total, results.has_more) == (3, 5, True)
    html = client.get("/search/", {"q": "الانتخابات"}).content.decode()
    assert "5 نتائج" in html
    assert "هذه أحدث 3 نتيجة" in html


# --- Finding the newest matches -----------------------------------------------------


@pytest.fixture
def spans(monkeypatch):
    """Make the engine search span by span, as for a common word, and stop at 2 matches."""
    monkeypatch.setattr(search, "FETCH_ALL_BELOW", -1)
    monkeypatch.setattr(search, "ENOUGH_MATCHES", 2)


def newest(text, queryset=None, **filters):
    """The headlines found for ``text`` newest first, with the count and whether it is capped."""
    queryset = Article.objects.published() if queryset is None else queryset
    results = search_articles(queryset, parse_query(text), by_date=True, **filters)
    return [a.headline for a in results[0:50]], results.total, results.is_capped


def test_common_words_stop_at_the_newest_matches(story, spans):
    for n in range(6):
        story(headline=f"انتخابات {n}", paragraphs=frame("الانتخابات"), published_at=ago(days=n))
    headlines, total, capped = newest("الانتخابات")
    # The first span (a day, as no statistics say how common the word is)
    # finds one; the next, ten times as long, the others.
    assert headlines == [f"انتخابات {n}" for n in range(6)]
    assert capped and total == 6 // 100 * 100


def test_spans_go_back_until_the_rest_and_count_exactly(story, spans):
    story(headline="حديث", paragraphs=frame("الانتخابات"), published_at=ago(hours=1))
    story(headline="طقس", paragraphs=frame("الطقس"), published_at=ago(days=3))
    story(headline="قديم", paragraphs=frame("الانتخابات"), published_at=ago(days=3000))
    assert newest("الانتخابات") == (["حديث", "قديم"], 2, False)


def test_spans_and_fetching_all_find_the_same_stories(story, monkeypatch):
    words = ["الانتخابات", "الطقس", "المطر"]
    for n in range(40):
        text = " ".join(words[: n % 3 + 1])
        story(headline=f"خبر {n}", paragraphs=frame(text), published_at=ago(hours=n * n * 7))
    for text in ["الانتخابات", "الطقس", "المطر", "الطقس المطر", '"الانتخابات الطقس"']:
        fetched = newest(text)
        monkeypatch.setattr(search, "FETCH_ALL_BELOW", -1)
        assert newest(text) == fetched
        monkeypatch.undo()


def test_spans_keep_the_filters(story, spans):
    story(headline="بترا", paragraphs=frame("الانتخابات"), source="بترا", published_at=ago(days=1))
    story(headline="وفا", paragraphs=frame("الانتخابات"), source="وفا", published_at=ago(days=2))
    story(
        headline="وفا قديم", paragraphs=frame("الانتخابات"), source="وفا", published_at=ago(days=40)
    )
    wafa = Article.objects.get(headline="وفا").source
    assert newest("الانتخابات", source=wafa) == (["وفا", "وفا قديم"], 2, False)
    day = timezone.localdate(ago(days=40))
    assert newest("الانتخابات", date_to=day) == (["وفا قديم"], 1, False)


def test_spans_find_scheduled_and_draft_stories_for_the_admin(story, spans):
    story(headline="مجدول", paragraphs=frame("الانتخابات"), published_at=ago(days=-30))
    story(headline="مسودة", paragraphs=frame("الانتخابات"), status=Article.Status.DRAFT)
    headlines, _, _ = newest("الانتخابات", queryset=Article.objects.all())
    assert headlines == ["مجدول", "مسودة"]
    assert newest("الانتخابات") == ([], 0, False)


def test_spans_reach_the_ends_of_the_calendar(story, spans):
    story(
        headline="أول",
        paragraphs=frame("الانتخابات"),
        published_at=datetime.datetime(1, 1, 2, tzinfo=datetime.UTC),
    )
    story(
        headline="آخر",
        paragraphs=frame("الانتخابات"),
        published_at=datetime.datetime(9999, 12, 30, tzinfo=datetime.UTC),
    )
    headlines, total, _ = newest("الانتخابات", queryset=Article.objects.all())
    assert (headlines, total) == (["آخر", "أول"], 2)


@pytest.fixture
def walk(spans, monkeypatch):
    """Make the engine read the newest two stories one by one for any prefix."""
    monkeypatch.setattr(search, "WALK_FIRST", 2)
    monkeypatch.setattr(search, "WALK_SHARE", 0)


def test_a_common_prefix_is_read_from_the_newest_stories(story, walk):
    for n in range(4):
        story(headline=f"انتخابات {n}", paragraphs=frame("الانتخابات"), published_at=ago(days=n))
    headlines, _, capped = newest("الانتخا")
    assert headlines == ["انتخابات 0", "انتخابات 1", "انتخابات 2"] and capped


def test_a_prefix_goes_on_in_spans_from_the_last_story_read(story, walk):
    story(headline="أول", paragraphs=frame("الانتخابات"), published_at=ago(hours=1))
    story(headline="طقس", paragraphs=frame("الطقس"), published_at=ago(hours=2))
    story(headline="ثان", paragraphs=frame("الانتخابات"), published_at=ago(hours=3))
    story(headline="قديم", paragraphs=frame("الانتخابات"), published_at=ago(days=300))
    assert newest("الانتخا")[0] == ["أول", "ثان", "قديم"]


def test_a_rare_prefix_is_not_read_story_by_story(story, spans):
    for n in range(3):
        story(headline=f"انتخابات {n}", paragraphs=frame("الانتخابات"), published_at=ago(days=n))
    results = search_articles(Article.objects.published(), parse_query("الانتخا"))
    # Without statistics nothing is expected common: no story is tested alone.
    with CaptureQueriesContext(connection) as queries:
        assert len(results[0:10]) == 3
    assert not any('AS "hit"' in query["sql"] for query in queries.captured_queries)


def test_reading_every_story_gives_an_exact_count(story, walk):
    story(headline="وحيد", paragraphs=frame("الانتخابات"))
    assert newest("الانتخا") == (["وحيد"], 1, False)


def test_a_whole_word_with_a_page_of_matches_is_not_a_prefix(story):
    for n in range(search.PAGE_SIZE):
        story(headline=f"مصر {n}", paragraphs=frame("مصر"), published_at=ago(hours=n + 1))
    story(headline="مصرف", paragraphs=frame("مصرف"))
    results = search_articles(Article.objects.published(), parse_query("مصر"))
    assert "مصرف" not in [a.headline for a in results[0:20]]
    # The results are marked by the query that found them.
    assert not any(term.prefix for term in results.query.terms)


def test_a_word_with_fewer_matches_is_also_a_prefix(story):
    story(headline="مصر", paragraphs=frame("مصر"), published_at=ago(hours=2))
    story(headline="مصرف", paragraphs=frame("مصرف"))
    assert found("مصر") == ["مصر", "مصرف"]


def test_empty_query_invites_a_search(client):
    response = client.get("/search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "اكتب كلمة أو أكثر" in html
    assert "search-result" not in html


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
    assert len(parse_query(words + " " + "ب" * 300).text) == search.MAX_QUERY_CHARS


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
    with django_assert_max_num_queries(8):
        response = client.get("/search/", {"q": "الانتخابات", "source": source.slug})
    assert response.content.decode().count('class="card search-result"') == search.PAGE_SIZE


@pytest.mark.parametrize("fetch_all_below", [search.FETCH_ALL_BELOW, -1])
def test_planner_settings_do_not_outlive_the_search(story, monkeypatch, fetch_all_below):
    monkeypatch.setattr(search, "FETCH_ALL_BELOW", fetch_all_below)
    story(paragraphs=frame("الانتخابات"), published_at=ago(days=2))
    story(paragraphs=frame("الطقس"), published_at=ago(days=1))
    with transaction.atomic(), connection.cursor() as cursor:
        results = search_articles(Article.objects.published(), parse_query("الانتخابات"))
        assert results.count() == 1
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


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
