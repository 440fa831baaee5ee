"""/search/suggest/: what the header's search box offers as the reader types."""

import pytest
from hypothesis import HealthCheck, given, settings, strategies

from articles.models import Article
from articles.tests.search.support import ago

pytestmark = pytest.mark.django_db


def suggest(client, text):
    response = client.get("/search/suggest/", {"q": text})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_completions_of_the_last_word_as_the_stories_spell_them(client, story):
    story(headline="الحكومة الجديدة تؤدي اليمين", paragraphs=("أدت الحكومة اليمين.",))
    story(headline="الحكومة تقر الموازنة", paragraphs=("أقرت الحكومة الموازنة.",))
    story(headline="الحكم في القضية غداً", paragraphs=("يصدر الحكم غداً.",))
    answer = suggest(client, "الحك")
    assert answer["q"] == "الحك"
    # The commonest first, written with its ta marbuta, not as the index folds it.
    assert answer["words"] == ["الحكومة", "الحكم"]


def test_matching_stories_with_their_address_source_and_date(client, story):
    article = story(headline="الحكومة تقر الموازنة", paragraphs=("أقرت الحكومة الموازنة.",))
    (found,) = suggest(client, "الموازن")["stories"]
    assert found["headline"] == "الحكومة تقر الموازنة"
    assert found["url"] == article.get_absolute_url()
    assert found["source"] == article.source.name
    assert found["date"]


def test_at_most_five_stories_newest_first(client, story):
    for n in range(7):
        story(headline=f"الانتخابات {n}", paragraphs=("جرت الانتخابات.",), published_at=ago(days=n))
    stories = suggest(client, "الانتخا")["stories"]
    assert [s["headline"] for s in stories] == [f"الانتخابات {n}" for n in range(5)]


def test_drafts_are_never_suggested(client, story):
    story(headline="الحكومة تستقيل", status=Article.Status.DRAFT, paragraphs=("استقالت الحكومة.",))
    answer = suggest(client, "الحك")
    assert answer == {"q": "الحك", "words": [], "stories": []}


def test_too_little_typed_suggests_nothing(client, story):
    story(headline="الحكومة تقر الموازنة")
    assert suggest(client, "")["words"] == []
    assert suggest(client, "ا")["stories"] == []


def test_the_same_letters_are_worked_out_once(client, story, django_assert_num_queries):
    story(headline="الحكومة تقر الموازنة")
    suggest(client, "الحك")
    with django_assert_num_queries(0):
        suggest(client, "الحك")


def test_a_word_typed_whole_gets_stories_and_no_words(client, story):
    story(headline="وزير الخارجية يصل", paragraphs=("وصل وزير الخارجية.",))
    answer = suggest(client, "وزير ")
    assert [s["headline"] for s in answer["stories"]] == ["وزير الخارجية يصل"]


# The client keeps nothing between requests that matters here: no session, no cookies.
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(strategies.text(max_size=400))
def test_any_text_gets_a_json_answer(client, text):
    if "\x00" in text:
        text = text.replace("\x00", "")
    answer = client.get("/search/suggest/", {"q": text}).json()
    assert set(answer) == {"q", "words", "stories"}
