"""Tests for articles.grouping: copies of one story found, different stories kept apart. Pure."""

import datetime
import itertools
import json
import os
import pickle
import struct
import subprocess
import sys
import zlib
from pathlib import Path

from articles import grouping
from articles.grouping import (
    Copy,
    MemoryIndex,
    PassageCounts,
    body_words,
    candidates,
    fingerprint,
    is_copy,
    representative,
    shingle_ids,
    strip_dateline,
)
from articles.tests.grouping_support import (
    COACHES,
    DISPATCH,
    LONG_TRAILER,
    SAME_TOPIC,
    SHORT_WITH_LONG_TRAILER,
    TEAMS,
    TRAILER,
    results_story,
)


def test_a_copy_with_another_dateline_credit_and_trailer_is_a_copy():
    copy = ["أ ف ب - الأمة برس", "الرباط - " + DISPATCH[0].split(" - ", 1)[1], *DISPATCH[1:]]
    assert is_copy(fingerprint(DISPATCH), fingerprint([*copy, TRAILER]))


def test_a_copy_cut_after_three_paragraphs_is_a_copy():
    assert is_copy(fingerprint(DISPATCH), fingerprint([*DISPATCH[:3], "(أ ف ب)"]))


def test_a_copy_with_spelling_variants_digits_and_diacritics_is_a_copy():
    varied = [
        paragraph.replace("ة ", "ه ")
        .replace("أ", "ا")
        .replace("ى ", "ي ")
        .replace("الثلاثاء", "الثُّلاثاء")
        .replace("ثلاثة", "٣")
        for paragraph in DISPATCH
    ]
    assert is_copy(fingerprint(DISPATCH), fingerprint(varied))


def test_a_copy_with_a_paragraph_of_its_own_inserted_is_a_copy():
    inserted = (
        "وكانت صحيفتنا قد نشرت الأسبوع الماضي تحقيقا موسعا عن أوضاع الفلاحين في المنطقة الشرقية."
    )
    copy = [DISPATCH[0], inserted, *DISPATCH[1:4]]
    assert is_copy(fingerprint(DISPATCH), fingerprint(copy))


def test_a_different_dispatch_about_the_same_event_is_not_a_copy():
    assert not is_copy(fingerprint(DISPATCH), fingerprint(SAME_TOPIC))


def test_a_shared_background_paragraph_and_trailer_do_not_make_a_copy():
    assert not is_copy(fingerprint([*DISPATCH[:2], TRAILER]), fingerprint([*SAME_TOPIC, TRAILER]))


def counted(paragraphs: list[str], groups: int) -> PassageCounts:
    """Passage counts after ``groups`` new groups whose first stories hold ``paragraphs``."""
    counts = PassageCounts()
    for number in range(groups):
        counts.add_group(fingerprint([f"خبر رقم {number} عن موضوع مختلف تماما اليوم", *paragraphs]))
    return counts


def test_boilerplate_seen_in_many_groups_does_not_count():
    # Two short stories that open with the same background paragraphs look like
    # copies, until those paragraphs are known to be in many groups.
    background = DISPATCH[4:6]
    a = fingerprint([*background, DISPATCH[3]])
    b = fingerprint([*background, SAME_TOPIC[2]])
    assert is_copy(a, b)
    counts = counted(background, grouping.COMMON_GROUPS)
    assert not is_copy(a, b, counts.common(b))


def test_a_trailer_seen_in_many_groups_no_longer_makes_short_stories_copies():
    a, b = fingerprint(SHORT_WITH_LONG_TRAILER[0]), fingerprint(SHORT_WITH_LONG_TRAILER[1])
    assert is_copy(a, b)
    counts = counted([LONG_TRAILER], grouping.COMMON_GROUPS)
    assert not is_copy(a, b, counts.common(a))


def test_a_trailer_seen_in_fewer_groups_still_counts():
    a, b = fingerprint(SHORT_WITH_LONG_TRAILER[0]), fingerprint(SHORT_WITH_LONG_TRAILER[1])
    counts = counted([LONG_TRAILER], grouping.COMMON_GROUPS - 1)
    assert counts.common(a) == frozenset()
    assert is_copy(a, b, counts.common(a))


def test_a_group_counts_each_of_its_passages_once():
    story = fingerprint([LONG_TRAILER, DISPATCH[1], LONG_TRAILER])
    counts = PassageCounts()
    counts.add_group(story)
    # The trailer's inner chunks are there twice, and counted once.
    assert len(counts.counts) < len(story.passages)
    assert set(counts.counts.values()) == {1}


def test_the_common_shingles_are_exactly_those_of_the_common_chunks():
    story = fingerprint([DISPATCH[1], LONG_TRAILER, DISPATCH[2]])
    counts = counted([LONG_TRAILER], grouping.COMMON_GROUPS)
    chunks = [
        passage
        for passage in story.passages
        if counts.counts.get(passage.key, 0) >= grouping.COMMON_GROUPS
    ]
    common = counts.common(story)
    assert chunks
    assert common == frozenset(i for c in chunks for i in story.ids[c.start : c.stop])
    # Only the trailer's own wording: the chunks that run into its neighbours differ.
    assert common <= frozenset(shingle_ids(body_words([LONG_TRAILER])))


def test_passages_are_chunks_cut_before_each_shingle_the_divisor_divides():
    story = fingerprint(["أ ف ب - الأمة برس", DISPATCH[0], DISPATCH[1]])
    assert list(story.ids) == shingle_ids(body_words([DISPATCH[0], DISPATCH[1]]))
    divisor = grouping.CHUNK_DIVISOR
    cuts = [index for index, shingle in enumerate(story.ids) if shingle % divisor == 0 and index]
    bounds = [0, *cuts, len(story.ids)]
    assert [(p.start, p.stop) for p in story.passages] == list(itertools.pairwise(bounds))
    for passage in story.passages:
        chunk = story.ids[passage.start : passage.stop]
        assert passage.key == zlib.crc32(struct.pack(f"<{len(chunk)}I", *chunk))


def test_a_stock_sentence_has_the_same_chunks_inside_different_paragraphs():
    sentence = (
        "وتعول الحكومة على محطات تحلية مياه البحر التي يجري بناؤها على الساحل الأطلسي "
        "لتأمين مياه الشرب للمدن الساحلية بحلول نهاية العقد الجاري"
    )
    a = fingerprint([f"قال الوزير أمام البرلمان أمس إن الموسم صعب. {sentence}، وفق بيان رسمي."])
    b = fingerprint([f"{sentence}. ولم تعلق المعارضة على الخطة حتى مساء الثلاثاء في العاصمة."])
    assert a.passages[0].key != b.passages[0].key
    shared = [passage for passage in a.passages if passage.key in b.passage_keys]
    assert shared
    words = frozenset(shingle_ids(body_words([sentence])))
    assert all(frozenset(a.ids[p.start : p.stop]) <= words for p in shared)


def test_a_formula_seen_in_many_groups_with_other_names_does_not_count():
    # Every paragraph holds a name, so no paragraph is the same from one story
    # to the next: whole-paragraph keys never found this formula common.
    a = fingerprint(results_story(TEAMS[0], TEAMS[1], COACHES[0]))
    b = fingerprint(results_story(TEAMS[2], TEAMS[3], COACHES[1]))
    assert is_copy(a, b)
    counts = PassageCounts()
    for number in range(grouping.COMMON_GROUPS):
        counts.add_group(
            fingerprint(
                results_story(TEAMS[4 + 2 * number], TEAMS[5 + 2 * number], COACHES[2 + number])
            )
        )
    assert not is_copy(a, b, counts.common(b))


def test_passages_are_the_same_in_every_process():
    # Stored with the counts: a key must not depend on Python's salted hash().
    script = (
        "import json, sys; from articles.grouping import fingerprint;"
        "print(list(fingerprint(json.load(sys.stdin)).passages))"
    )
    other = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(DISPATCH),
        capture_output=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "PYTHONHASHSEED": "4321"},
        text=True,
    )
    assert other.stdout.strip() == str(list(fingerprint(DISPATCH).passages))


def test_a_fingerprint_with_its_passages_survives_pickling():
    # Made in the import's worker processes and sent back pickled.
    story = fingerprint(DISPATCH)
    assert pickle.loads(pickle.dumps(story)) == story  # noqa: S301 - our own bytes


def test_credit_lines_are_not_body_words():
    assert body_words(["أ ف ب - الأمة برس", "المصدر: رويترز"]) == []


def test_strip_dateline_removes_place_and_agency():
    assert strip_dateline("كابول (أ ف ب) - زار الوزير المدينة") == "زار الوزير المدينة"


def test_strip_dateline_keeps_a_paragraph_without_one():
    assert (
        strip_dateline("أعلنت الحكومة اليوم، في بيان رسمي") == "أعلنت الحكومة اليوم، في بيان رسمي"
    )


def test_copies_share_a_band_key():
    copy = fingerprint([*DISPATCH[:3], TRAILER])
    assert set(fingerprint(DISPATCH).band_keys) & set(copy.band_keys)


def test_band_keys_are_the_same_in_every_process():
    # Stored with the stories: a key must not depend on Python's salted hash().
    assert fingerprint(DISPATCH).band_keys[0] == fingerprint(list(DISPATCH)).band_keys[0]
    assert all(-(2**63) <= key < 2**63 for key in fingerprint(DISPATCH).band_keys)


def test_band_keys_are_datasketchs_minhash_bands():
    # story_band_keys makes both signatures from one matrix; the stored keys must not move.
    for paragraphs in (DISPATCH, SAME_TOPIC, [*DISPATCH[:2], TRAILER], [TRAILER * 3]):
        ids = grouping.shingle_ids(body_words(paragraphs))
        expected = grouping.band_keys(ids, grouping.BANDS) + grouping.band_keys(
            ids[: grouping.LEAD_SHINGLES], grouping.LEAD_BANDS, first_band=grouping.LEAD_FIRST_BAND
        )
        assert grouping.story_band_keys(ids) == expected


def test_a_body_repeating_a_few_shingles_has_no_band_keys_for_its_opening():
    ids = [1, 2, 3] * 20 + list(range(10, 60))
    keys = grouping.story_band_keys(ids)
    assert len(keys) == grouping.BANDS
    assert keys == grouping.band_keys(ids, grouping.BANDS)


def test_words_are_tokenized_as_arabic_tokenize_does():
    text = "قال «الوزير» في بيان، الثلاثاء: إن الخطة (الجديدة) ستكلف ٣ مليارات-درهم"
    assert body_words([text]) == grouping.tokenize(text)


def test_a_candidate_shares_enough_band_keys():
    keys = fingerprint(DISPATCH).band_keys
    needed = grouping.MIN_SHARED_BANDS
    by_band = {key: ["copy"] for key in keys[:needed]}
    by_band[keys[needed]] = ["copy", "chance"]
    assert candidates(fingerprint(DISPATCH), by_band) == ["copy"]


def test_only_the_nearest_stories_holding_a_key_are_counted():
    keys = fingerprint(DISPATCH).band_keys
    crowd = [f"crowd{i}" for i in range(grouping.NEAREST_PER_KEY - 1)]
    by_band = {key: ["earliest", *crowd, "latest"] for key in keys}
    found = grouping.candidates(fingerprint(DISPATCH), by_band)
    assert "latest" in found
    assert "earliest" not in found


def test_a_story_too_short_has_no_band_keys():
    assert fingerprint(["خبر قصير جدا من ست كلمات"]).band_keys == ()


def test_index_puts_copies_in_the_first_story_group():
    index = MemoryIndex()
    index.add("agency", fingerprint(DISPATCH))
    index.add("other", fingerprint(SAME_TOPIC))
    assert index.add("outlet", fingerprint([*DISPATCH[:4], TRAILER])) == "agency"


def test_index_keeps_a_different_story_apart():
    index = MemoryIndex()
    index.add("agency", fingerprint(DISPATCH))
    assert index.add("other", fingerprint(SAME_TOPIC)) == "other"


def test_index_joins_two_groups_a_later_copy_bridges():
    index = MemoryIndex()
    head = [*DISPATCH[:3]]
    tail = [*DISPATCH[2:]]
    index.add("head", fingerprint(head))
    assert index.add("tail", fingerprint(tail)) == "tail"
    index.add("whole", fingerprint(DISPATCH))
    assert index.group_of["tail"] == index.group_of["head"] == "head"


def test_representative_is_the_earliest_copy():
    at = datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)
    later = Copy(1, at + datetime.timedelta(hours=1))
    assert representative([later, Copy(2, at)]).key == 2


def test_representative_of_copies_published_together_is_the_first_stored():
    at = datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)
    assert representative([Copy(7, at), Copy(3, at)]).key == 3
