"""The index's lexicon: counts the database keeps, bounded prefixes, particles on any word."""

import hypothesis
import pytest
from django.db import connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from articles.importers import loader
from articles.models import Article, SearchLexeme, StoryGroup
from articles.search.index import (
    count_lexicon_backlog,
    document_vector,
    lexicon_counted_after_commit,
    refresh_search_vectors,
)
from articles.search.lexicon import completions, resolve
from articles.search.query import parse_query
from articles.tests.import_support import import_file, jsonl_stories
from articles.tests.search.support import ago, found, frame

pytestmark = pytest.mark.django_db


def count(lexeme: str) -> int:
    row = SearchLexeme.objects.filter(lexeme=lexeme).first()
    return row.stories if row else 0


# --- Kept by the database -------------------------------------------------------


def test_writing_a_story_counts_its_lexemes_once(story):
    story(paragraphs=("الزلزال ضرب المدينة، والزلزال قوي.",))
    story(paragraphs=("الزلزال في الأخبار.",))
    assert count("الزلزال") == 2
    assert count("~زلزال") == 2
    assert count("") == 2  # the stories themselves


def test_a_changed_text_moves_the_counts(story):
    article = story(paragraphs=("الزلزال ضرب المدينة.",))
    article.paragraphs.update(text="الفيضان غمر المدينة.")
    refresh_search_vectors([article.pk])
    assert count("الزلزال") == 0
    assert count("الفيضان") == 1
    assert count("المدينه") == 1


def test_a_status_change_leaves_the_counts_alone(story):
    article = story(paragraphs=("الزلزال ضرب المدينة.",))
    Article.objects.filter(pk=article.pk).update(status=Article.Status.WITHDRAWN)
    assert count("الزلزال") == 1


def test_a_deleted_story_is_no_longer_counted(story):
    article = story(paragraphs=("الزلزال ضرب المدينة.",))
    story(paragraphs=("الزلزال مرة أخرى.",))
    article.delete()
    assert count("الزلزال") == 1
    assert count("") == 1


def test_an_import_counts_its_stories_by_its_end(db):
    data = jsonl_stories(5, "lexicon", "الزلزال ضرب المدينة.")
    list(import_file("stories.jsonl", data, batch_size=2))
    assert Article.objects.count() == 5
    assert count("الزلزال") == 5
    assert count("#d20261120") == 5


def test_a_long_import_counts_a_thousand_stories_at_a_time(db, monkeypatch):
    monkeypatch.setattr(loader, "LEXICON_COUNTED_AT_ONCE", 4)
    seen = []
    data = jsonl_stories(10, "lexicon", "الزلزال ضرب المدينة.")
    for outcome in import_file("stories.jsonl", data, batch_size=2):
        seen.append((outcome.guid, count("الزلزال")))
    # Counted after the batches that made the backlog four; the last two at the end.
    assert [counted for _, counted in seen] == [0, 0, 4, 4, 4, 4, 8, 8, 8, 8]
    assert count("الزلزال") == 10


def test_an_import_whose_words_a_worker_counts_leaves_them_in_the_backlog(db):
    data = jsonl_stories(3, "lexicon", "الزلزال ضرب المدينة.")
    list(import_file("stories.jsonl", data, lexicon_counted_by_worker=True))
    assert (count("الزلزال"), backlog()) == (0, 3)


# --- An import's stories, counted after its commit -------------------------------


def backlog() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM articles_lexiconbacklog")
        return cursor.fetchone()[0]


@pytest.fixture
def inserted(make_article):
    """A story inserted with its vector, in one statement, as the importer inserts."""

    def insert(text: str) -> Article:
        vector = document_vector("خبر", "", [text])
        return make_article(paragraphs=(text,), search_vector=vector)

    return insert


def test_an_imports_stories_wait_in_the_backlog_until_counted(inserted):
    with transaction.atomic(), lexicon_counted_after_commit():
        inserted("الزلزال ضرب المدينة.")
        inserted("الزلزال مرة أخرى.")
    assert (count("الزلزال"), count(""), backlog()) == (0, 0, 2)
    # What the block set is off again: a story written after it counts at once.
    inserted("الزلزال ثالثاً.")
    assert count("الزلزال") == 1
    count_lexicon_backlog()
    assert (count("الزلزال"), count(""), backlog()) == (3, 3, 0)
    count_lexicon_backlog()  # Nothing is counted twice.
    assert count("الزلزال") == 3


def test_a_story_deleted_before_it_was_counted_is_not_subtracted(inserted):
    inserted("الزلزال ضرب المدينة.")
    with transaction.atomic(), lexicon_counted_after_commit():
        waiting = inserted("الزلزال مرة أخرى.")
    waiting.delete()
    count_lexicon_backlog()
    assert (count("الزلزال"), count(""), backlog()) == (1, 1, 0)


def test_a_story_edited_before_it_was_counted_is_counted_as_edited(inserted):
    with transaction.atomic(), lexicon_counted_after_commit():
        waiting = inserted("الزلزال ضرب المدينة.")
    waiting.paragraphs.update(text="الفيضان غمر المدينة.")
    refresh_search_vectors([waiting.pk])
    assert (count("الفيضان"), count("الزلزال"), backlog()) == (1, 0, 0)
    count_lexicon_backlog()
    assert (count("الفيضان"), count("الزلزال"), count("")) == (1, 0, 1)


def test_a_story_moved_to_another_group_before_it_was_counted_waits_in_the_backlog(inserted):
    with transaction.atomic(), lexicon_counted_after_commit():
        waiting = inserted("الزلزال ضرب المدينة.")
    # Grouping's merges change a story's group only: nothing to count yet.
    group = StoryGroup.objects.create()
    Article.objects.filter(pk=waiting.pk).update(story_group=group)
    assert (count("الزلزال"), count(""), backlog()) == (0, 0, 1)
    count_lexicon_backlog()
    assert (count("الزلزال"), count(""), backlog()) == (1, 1, 0)


def test_the_backlogs_count_is_what_counting_at_once_gives(inserted):
    texts = [
        "قال وزير الخارجية إن المحادثات ستستأنف في 12 آذار، وإن المحادثات ستكون صعبة.",
        "أعلنت وزارة الصحة تسجيل 340 إصابة جديدة، وقال الوزير إن الوضع تحت السيطرة.",
        "المحادثات في جنيف: الوزير يلتقي نظيره، والوزارة تصدر بيانا.",
    ]
    for text in texts:
        inserted(text)
    at_once = lexicon()
    Article.objects.all().delete()
    assert lexicon() == {}
    with transaction.atomic(), lexicon_counted_after_commit():
        for text in texts:
            inserted(text)
    count_lexicon_backlog()
    assert lexicon() == at_once


def lexicon() -> dict[str, int]:
    """Every counted lexeme, but the sources' (each story here has a source of its own)."""
    return {
        lexeme: stories
        for lexeme, stories in SearchLexeme.objects.values_list("lexeme", "stories")
        if stories and not lexeme.startswith("@")
    }


def test_a_count_asked_for_at_least_n_stories_waits_until_the_backlog_holds_them(inserted):
    with transaction.atomic(), lexicon_counted_after_commit():
        inserted("الزلزال ضرب المدينة.")
        inserted("الزلزال مرة أخرى.")
    count_lexicon_backlog(at_least=3)
    assert (count("الزلزال"), backlog()) == (0, 2)
    with transaction.atomic(), lexicon_counted_after_commit():
        inserted("الزلزال ثالثاً.")
    count_lexicon_backlog(at_least=3)
    assert (count("الزلزال"), count(""), backlog()) == (3, 3, 0)


def test_a_block_that_fails_leaves_nothing_in_the_backlog(inserted):
    with pytest.raises(RuntimeError), transaction.atomic(), lexicon_counted_after_commit():
        inserted("الزلزال ضرب المدينة.")
        raise RuntimeError
    assert backlog() == 0
    inserted("الزلزال مرة أخرى.")
    assert count("الزلزال") == 1


# --- Prefixes, bounded ------------------------------------------------------------


def test_completions_come_most_frequent_first(story):
    for word, times in [("الحكومة", 3), ("الحكم", 2), ("الحكيم", 1)]:
        for _ in range(times):
            story(paragraphs=frame(word))
    assert completions("الحك", limit=2) == [("الحكومه", 3), ("الحكم", 2)]


@given(
    counts=st.lists(st.integers(min_value=-2, max_value=5000), min_size=0, max_size=60),
    limit=st.integers(min_value=1, max_value=20),
)
@hypothesis.settings(max_examples=60, deadline=None)
def test_completions_read_by_level_are_exactly_the_commonest(counts, limit):
    # Counts over many orders of magnitude, ties, and counts at 0 or below
    # (stories deleted), beside another prefix's words that must not count.
    with transaction.atomic():
        SearchLexeme.objects.bulk_create(
            [SearchLexeme(lexeme=f"وال{n:03d}", stories=c) for n, c in enumerate(counts)]
            + [SearchLexeme(lexeme=f"بال{n:03d}", stories=c + 1) for n, c in enumerate(counts)]
        )
        everything = sorted(
            ((f"وال{n:03d}", c) for n, c in enumerate(counts) if c > 0),
            key=lambda pair: (-pair[1], pair[0]),
        )
        assert completions("وال", limit=limit) == everything[:limit]
        transaction.set_rollback(True)


def test_a_prefix_is_expanded_to_its_commonest_completions_only(story, settings):
    settings.SEARCH_PREFIX_EXPANSIONS = 2
    for n in range(3):
        story(headline=f"حكومة {n}", paragraphs=frame("الحكومة"))
    for n in range(2):
        story(headline=f"حكم {n}", paragraphs=frame("الحكم"))
    story(headline="حكيم", paragraphs=frame("الحكيم"))
    # The rarest completion is the price of a bounded prefix (articles.search.lexicon).
    assert "حكيم" not in found("الحك")
    assert len(found("الحك")) == 5
    # Typed whole, it is found.
    assert found("الحكيم") == ["حكيم"]


def test_three_letters_with_the_article_are_a_prefix(story):
    story(headline="حكومة", paragraphs=frame("الحكومة"))
    assert found("الح") == ["حكومة"]


def test_two_letters_are_not_a_prefix(story):
    story(headline="حكومة", paragraphs=frame("الحكومة"))
    assert parse_query("ال").terms == () or not parse_query("ال").terms[0].prefix
    assert not parse_query("حك").terms[0].prefix
    assert found("حك") == []


def test_resolving_reads_the_counts_in_few_queries(story, django_assert_max_num_queries):
    story(paragraphs=frame("الحكومة"))
    with django_assert_max_num_queries(3):
        query, stats = resolve(parse_query("وزير الحكو"))
    assert stats.stories == 1
    assert "الحكومه" in query.terms[-1].expansions


# --- Particles on any word ----------------------------------------------------------

# A reader's word with particles finds the story's word without them, although
# the index never saw it with them: the pairs, and ten more.
PARTICLE_PAIRS = [
    ("وتركيا", "تركيا"),
    ("فالحكومة", "الحكومة"),
    ("بمصر", "مصر"),
    ("للمدرسة", "المدرسة"),
    ("ولتلوثها", "تلوثها"),
    ("لمصر", "مصر"),
    ("وبغزة", "غزة"),
    ("فليبيا", "ليبيا"),
    ("كمدير", "مدير"),
    ("وللحكومة", "الحكومة"),
    ("بعمان", "عمان"),
    ("لتونس", "تونس"),
    ("وبتركيا", "تركيا"),
    ("فبيروت", "بيروت"),
    ("ولسوريا", "سوريا"),
]


@pytest.mark.parametrize(("typed", "written"), PARTICLE_PAIRS)
def test_particles_are_stripped_on_the_query_side(story, typed, written):
    story(headline="القصة", paragraphs=frame(written))
    story(headline="أخرى", paragraphs=frame("الطقس"))
    assert found(typed) == ["القصة"]


# Words that begin with those letters stay themselves where they are common.
@pytest.mark.parametrize(
    ("word", "bare"),
    [("وزير", "زير"), ("كبير", "بير"), ("فيلم", "يلم"), ("بيان", "يان"), ("كلمة", "لمة")],
)
def test_a_common_word_is_not_taken_for_particles(story, word, bare):
    for n in range(3):
        story(headline=f"{word} {n}", paragraphs=frame(word))
    story(headline=bare, paragraphs=frame(bare))
    assert bare not in found(word)


def test_the_word_as_typed_ranks_above_its_bare_form(story):
    story(headline="بمصر", paragraphs=frame("بمصر"), published_at=ago(days=2))
    for n in range(3):
        story(headline=f"مصر {n}", paragraphs=frame("مصر"), published_at=ago(hours=n + 1))
    results = found("بمصر")
    assert results[0] == "بمصر"
    assert sorted(results[1:]) == ["مصر 0", "مصر 1", "مصر 2"]
