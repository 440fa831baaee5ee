"""Copies of one wire story: fingerprints, candidates by LSH bands, and the check that confirms.

An agency's dispatch is printed by many outlets, each with its own headline,
credit line, dateline, cuts, trailer and spelling. Two printed stories are
copies when the text of one is, for the most part, inside the other: the body
is reduced to word shingles over the project's one normalisation
(``articles.arabic.tokenize``: hamza seats, ة/ه, ى/ي, diacritics and digits
folded), a MinHash signature of them is cut into LSH bands whose keys find
candidates without a scan, and a direct comparison of the shingle sets decides.

What is compared is the body without what outlets add around a dispatch:
paragraphs too short to be news (credit lines such as "أ ف ب - الأمة برس",
"المصدر: رويترز") and the dateline that opens the first paragraph. Trailers,
and the background paragraphs agencies paste into many dispatches, cannot be
told apart by their shape, so the check asks two things: most of the shorter
story is inside the longer (containment, so a copy cut at the end still
matches), and the opening of one of them is inside the other (trailers and
background come last, and two dispatches about one event open differently).
Stock text is wording repeated across stories (agencies' background
paragraphs, outlets' trailers, the fixed words of results formulas): each
fingerprint carries its passages, chunks of its shingles cut where the
content says (``chunk_passages``) with a key each, and the shingles of a
passage seen in many groups (``PassageCounts``) count for neither.

Which copy stands for a group: the earliest published (``representative``).
Pure: no Django, no ORM.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from typing import NamedTuple

import numpy as np
from datasketch import MinHash

from articles.arabic import tokenize

# Words per shingle. Three-word shingles are shared by stories that only name
# the same minister ("وزير الخارجية محمد"); five-word shingles lose five for
# every word an outlet changes. 3, 4 and 5 score alike on bench/cluster_quality.py
# (precision 1.0, recall 0.997 to 1.0); 4 is the middle.
SHINGLE_WORDS = 4
# A paragraph of fewer words is a credit line, a byline or a label, not news.
MIN_PARAGRAPH_WORDS = 6
# The opening compared by the check: the first shingles of the body.
LEAD_SHINGLES = 40
# Containment of the shorter story in the longer, and of either opening in the
# other story, that make two stories copies (bench/cluster_quality.py). The
# opening's bound was 0.6, which same-topic dispatches sharing a formula's
# figures met with 0.60-0.68 over bench/ingest_bench.py's 10,000 stories
# (pairwise precision 0.92); at 0.75 it is 0.997, recall 0.996 as before, and
# cluster_quality.py's seeds keep their recall (bench/ingest_bench.py says more).
MIN_CONTAINMENT = 0.45
MIN_LEAD_CONTAINMENT = 0.75
# Shingles, not boilerplate, two copies must share: a passage of some twenty
# words. A short story that is mostly stock text is nobody's copy.
MIN_SHARED = 20
# A passage (a chunk of shingles) seen in this many groups is boilerplate (PassageCounts).
COMMON_GROUPS = 12
# Passages are cut before each shingle whose id this divides (chunk_passages):
# chunks of some eight shingles, eleven words. Shorter chunks fit between the
# names and numbers of a formula, longer ones cost fewer counts. On
# bench/cluster_quality.py seeds 19, 7, 123, 2024 and 8 score the same with 8
# and 16; in a simulated store of 20,000 stories (grouping_profile's draws,
# in memory) 8 groups pairs with precision 0.9995 where 16 gives 0.9985 (recall
# 0.994 both), for some 18 counts written a new group where 16 writes 10.
# Whole-paragraph keys beside the chunks added nothing (a repeated paragraph
# is repeated chunks): precision on seed 8 fell to 0.991, 24 counts a group.
CHUNK_DIVISOR = 8
# Fewer shingles than this and a story is too short to call anything its copy.
MIN_SHINGLES = 8

# MinHash: BANDS bands of ROWS hash functions over the body. Two stories share
# a band key with probability 1 - (1 - J**ROWS)**BANDS for Jaccard J: with 16
# bands of 2 rows, 0.88 at J = 0.35 (a copy cut to half, with a trailer) and
# 0.04 at J = 0.05 (two dispatches about one event); the opening's own bands
# find the copies the body's miss, and the check that follows is exact and cheap.
ROWS = 2
BANDS = 16
NUM_PERM = BANDS * ROWS
# Band keys a stored story must share with a new one to be checked. One or two
# shared bands of two rows are often chance between two stories of one kind
# (results, weather, a minister's visits); copies share many (seven of the
# opening's eight alone, on average, on the corpus).
#
# Half the bands there were (32 body, 16 opening, four keys needed) score the
# same on bench/cluster_quality.py (commit e148133 has the figures) and halve
# the band rows written and read, most of grouping's cost. The bands kept are
# the first of each, so the keys stored before stay valid.
MIN_SHARED_BANDS = 3
# Of the stories holding one band key, only the latest this many are counted
# (an import meets stories in time order, so the latest are the nearest; among
# stories of the very same time, which ones is left to the database). Text
# built from a few stock phrases (a results formula, a generated benchmark)
# gives keys that hundreds of the window's stories hold: read in
# full, they were most of a small import's grouping (some 1,100 rows for one
# story against 10,000 of bench/ingest_bench.py's). The latest keep a copy's
# recent copies, so a story printed by more outlets than this is still found,
# unlike a key skipped for being common. On twelve draws of the corpus in one
# index, 32 counted a key leaves recall as it was (0.962, as with every key's
# stories; 12 too), and reads 66 a story where all were 86.
NEAREST_PER_KEY = 32
# The opening has bands of its own: a copy cut to its first three paragraphs
# has a low Jaccard with the whole dispatch (0.25) but keeps its opening.
LEAD_BANDS = 8
# The number of the opening's first band, which goes into its keys: 32 since
# the body had 32 bands, so the opening's keys stored then are found now.
LEAD_FIRST_BAND = 32
# Seeds fixed forever: band keys are stored with the stories. The permutations
# come from datasketch's generator, one more reason its version is pinned;
# generated for 64 hash functions, as before, of which the first NUM_PERM are used.
_SEED = 19
_PERMUTATIONS = MinHash(num_perm=64, seed=_SEED, scheme="affine32").permutations[:, :NUM_PERM]

# "كابول (أ ف ب) - ", "القاهرة - أ ش أ: ", "(رويترز) - بيروت - ": a few words,
# maybe a bracketed agency, then a dash or a colon, at most twice.
_DATELINE = re.compile(
    r"^(?:[^\s.،,:–—-]+(?:[،,]?\s+[^\s.،,:–—-]+){0,3}\s*(?:\([^()]{1,30}\))?\s*(?:[-–—]+|:)\s*){1,2}"
)
# No more of the opening than this is taken for a dateline.
_DATELINE_MAX_WORDS = 8
_CHUNK_CACHE_SIZE = 200_000  # Chunks of text whose words _chunk_words remembers, at most.


class Passage(NamedTuple):
    """One chunk of a body's shingles (``chunk_passages``): its key, and where it is in ``ids``.

    ``ids[start:stop]`` are the chunk's shingles, exactly those the key was
    made of: taking a passage out of a comparison takes out those shingles.
    """

    key: int
    start: int
    stop: int


@dataclasses.dataclass(frozen=True)
class Fingerprint:
    """What grouping keeps of a story's body: shingles, its opening, band keys, passages.

    Made in the import's worker processes and sent back pickled: the passages
    are a few integers each, not sets. Candidates read from the database have
    none: only a new story's passages are looked up.
    """

    ids: tuple[int, ...]
    shingles: frozenset[int]
    lead: frozenset[int]
    band_keys: tuple[int, ...]
    passages: tuple[Passage, ...] = ()

    @classmethod
    def from_ids(
        cls, ids: Iterable[int], band_keys: Iterable[int] = (), passages: Iterable[Passage] = ()
    ) -> Fingerprint:
        """The fingerprint of a body whose shingle ids (in order) and band keys were stored."""
        ids = tuple(ids)
        lead = frozenset(ids[:LEAD_SHINGLES])
        return cls(ids, frozenset(ids), lead, tuple(band_keys), tuple(passages))

    @property
    def passage_keys(self) -> frozenset[int]:
        """The keys of the body's passages, each once."""
        return frozenset(passage.key for passage in self.passages)


def body_words(paragraphs: Iterable[str]) -> list[str]:
    """Return the normalised words of the body, credit lines and the dateline left out."""
    return [word.decode() for tokens in _encoded_body(paragraphs) for word in tokens]


def _encoded_body(paragraphs: Iterable[str]) -> list[list[bytes]]:
    """The normalised words, in UTF-8, of each paragraph of the body that counts.

    Credit lines (paragraphs of fewer than ``MIN_PARAGRAPH_WORDS`` words) are
    left out, and the dateline of the first paragraph that counts.
    """
    kept: list[list[bytes]] = []
    words_of = _chunk_words.__getitem__
    for paragraph in paragraphs:
        if not kept:
            paragraph = strip_dateline(paragraph)
        tokens = [word for chunk in paragraph.split() for word in words_of(chunk)]
        if len(tokens) >= MIN_PARAGRAPH_WORDS:
            kept.append(tokens)
    return kept


class _ChunkWords(dict):
    """Map a whitespace-separated chunk of text to its normalised words, in UTF-8.

    ``tokenize`` of a text is the words of its chunks in order (it never
    splits across whitespace), and chunks repeat from story to story, as
    ``articles.search.index.chunk_lexemes`` found: most are served by the
    dict's own lookup, each word encoded once, not once a story.
    """

    def __missing__(self, chunk: str) -> tuple[bytes, ...]:
        if len(self) >= _CHUNK_CACHE_SIZE:
            self.clear()
        words = self[chunk] = tuple(word.encode() for word in tokenize(chunk))
        return words


_chunk_words = _ChunkWords()


def strip_dateline(paragraph: str) -> str:
    """Return ``paragraph`` without the dateline that may open it."""
    match = _DATELINE.match(paragraph)
    if match and len(match.group().split()) <= _DATELINE_MAX_WORDS:
        return paragraph[match.end() :]
    return paragraph


def shingle_ids(words: list[str]) -> list[int]:
    """Return the 32-bit ids of the word shingles of ``words``, in order."""
    return _shingle_ids([word.encode() for word in words])


def _shingle_ids(encoded: list[bytes]) -> list[int]:
    """``shingle_ids`` of words in UTF-8: the CRC-32 of each shingle's words joined by a space."""
    if len(encoded) < SHINGLE_WORDS:
        return [zlib.crc32(b" ".join(encoded))] if encoded else []
    # Each shingle's words side by side (the shorter tails end it), joined and
    # hashed without a line of Python a shingle.
    shingles = zip(*(encoded[start:] for start in range(SHINGLE_WORDS)), strict=False)
    return list(map(zlib.crc32, map(b" ".join, shingles)))


def fingerprint(paragraphs: Iterable[str]) -> Fingerprint:
    """Return the fingerprint of a story's body paragraphs."""
    ids = _shingle_ids([word for tokens in _encoded_body(paragraphs) for word in tokens])
    return Fingerprint.from_ids(ids, story_band_keys(ids), chunk_passages(ids))


def chunk_passages(ids: list[int]) -> tuple[Passage, ...]:
    """The body's chunks: its shingles cut before each one whose id ``CHUNK_DIVISOR`` divides.

    The cuts depend only on the shingles' ids, so a stretch of words that
    recurs gives the same chunks, and the same keys, in every story whatever
    surrounds it (content-defined chunking, as rsync and backup tools cut
    files): a stock sentence inside paragraphs that differ, the fixed words of
    a formula whose names and numbers change, which whole-paragraph keys never
    matched. The first chunk starts and the last ends where the body does. A
    chunk's key is the CRC-32 of its ids: stored with the counts, it must be
    the same in every process and release, which Python's ``hash()`` is not.
    """
    if not ids:
        return ()
    data = np.asarray(ids, dtype="<u4")
    # Cut before each shingle the divisor divides, but never before the first.
    cuts = np.flatnonzero(data % CHUNK_DIVISOR == 0)
    bounds = [0, *cuts[cuts > 0].tolist(), len(ids)]
    raw = data.tobytes()  # Sliced as bytes: a numpy slice's tobytes() costs more.
    return tuple(
        Passage(zlib.crc32(raw[4 * start : 4 * stop]), start, stop)
        for start, stop in itertools.pairwise(bounds)
    )


def story_band_keys(ids: list[int]) -> tuple[int, ...]:
    """The body's ``BANDS`` band keys, then the opening's ``LEAD_BANDS``.

    datasketch's MinHash (scheme affine32) of the body and of its first
    ``LEAD_SHINGLES`` shingles, made from one matrix of permuted hashes: the
    opening's signature is the minimum over its first rows. Equal, value for
    value, to ``MinHash.update_batch`` (tests/test_grouping.py checks it), in
    a third of the time the two MinHash objects took.
    """
    if len(set(ids)) < MIN_SHINGLES:
        return ()
    # MurmurHash3's 32-bit finaliser, as datasketch mixes each input first.
    hashes = np.asarray(ids, dtype=np.uint32)
    hashes = (hashes ^ (hashes >> np.uint32(16))) * np.uint32(0x85EBCA6B)
    hashes = (hashes ^ (hashes >> np.uint32(13))) * np.uint32(0xC2B2AE35)
    hashes = hashes ^ (hashes >> np.uint32(16))
    # Every permutation of every shingle: a * h + b, wrapping at 2**32.
    permuted = hashes[:, None] * _PERMUTATIONS[0] + _PERMUTATIONS[1]
    keys = _keys(permuted.min(axis=0), BANDS)
    if len(set(ids[:LEAD_SHINGLES])) >= MIN_SHINGLES:
        opening = permuted[:LEAD_SHINGLES, : LEAD_BANDS * ROWS].min(axis=0)
        keys += _keys(opening, LEAD_BANDS, first_band=LEAD_FIRST_BAND)
    return keys


def band_keys(ids: list[int], bands: int, first_band: int = 0) -> tuple[int, ...]:
    """Return one signed 64-bit key for each of the first ``bands`` LSH bands of ``ids``.

    The band's number (from ``first_band``) goes into its key, so equal values
    in two bands, or in the body's and the opening's bands, are different keys.
    The reference ``story_band_keys`` is held to, through datasketch's MinHash.
    """
    if len(set(ids)) < MIN_SHINGLES:
        return ()
    minhash = MinHash(
        num_perm=NUM_PERM, hashfunc=int, scheme="affine32", permutations=_PERMUTATIONS
    )
    minhash.update_batch(ids)
    return _keys(minhash.hashvalues, bands, first_band)


def _keys(signature: np.ndarray, bands: int, first_band: int = 0) -> tuple[int, ...]:
    """The keys of the first ``bands`` bands of a MinHash ``signature``."""
    rows = np.asarray(signature, dtype=np.uint64)[: bands * ROWS].reshape(bands, ROWS)
    # Each band's values folded into its number with splitmix64's finaliser, all
    # bands at once: hashing them one by one took as long as the MinHash.
    keys = np.arange(first_band, first_band + bands, dtype=np.uint64)
    for row in rows.T:
        keys = _mix(keys * np.uint64(0x9E3779B97F4A7C15) + row)
    return tuple(keys.view(np.int64).tolist())


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser over an array of uint64 (multiplications wrap, as meant)."""
    values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


@dataclasses.dataclass(frozen=True)
class Similarity:
    containment: float
    lead: float


def similarity(a: Fingerprint, b: Fingerprint, common: frozenset[int] = frozenset()) -> Similarity:
    """How much of the shorter story, and of the better-kept opening, is in the other.

    Shingles in ``common`` (boilerplate: see ``PassageCounts``) are left out of both.
    """
    a_shingles, b_shingles, a_lead, b_lead = a.shingles, b.shingles, a.lead, b.lead
    if common:
        a_shingles, b_shingles = a_shingles - common, b_shingles - common
        a_lead, b_lead = a_lead - common, b_lead - common
    shorter = min(len(a_shingles), len(b_shingles))
    if shorter < MIN_SHINGLES or not a_lead or not b_lead:
        return Similarity(0.0, 0.0)
    shared = len(a_shingles & b_shingles)
    if shared < MIN_SHARED:
        return Similarity(0.0, 0.0)
    return Similarity(
        shared / shorter,
        max(len(a_lead & b_shingles) / len(a_lead), len(b_lead & a_shingles) / len(b_lead)),
    )


def is_copy(a: Fingerprint, b: Fingerprint, common: frozenset[int] = frozenset()) -> bool:
    """Whether ``a`` and ``b`` are copies of one text."""
    found = similarity(a, b, common)
    return found.containment >= MIN_CONTAINMENT and found.lead >= MIN_LEAD_CONTAINMENT


def candidates(story: Fingerprint, by_band: dict[int, list]) -> list:
    """The keys filed under at least ``MIN_SHARED_BANDS`` of ``story``'s band keys.

    ``by_band``: each band key's list in time order, of which the last
    ``NEAREST_PER_KEY`` are counted.
    """
    shared = Counter(
        key for band_key in story.band_keys for key in by_band.get(band_key, ())[-NEAREST_PER_KEY:]
    )
    return [key for key, count in shared.items() if count >= MIN_SHARED_BANDS]


def confirmed_copies(
    story: Fingerprint,
    candidates: Iterable[tuple[object, Fingerprint]],
    common: frozenset[int] = frozenset(),
) -> list[object]:
    """Return the keys of the candidates ``story`` is a copy of, the surest first."""
    found = []
    for key, candidate in candidates:
        measured = similarity(story, candidate, common)
        if measured.containment >= MIN_CONTAINMENT and measured.lead >= MIN_LEAD_CONTAINMENT:
            found.append((measured.containment, key))
    found.sort(key=lambda pair: pair[0], reverse=True)
    return [key for _, key in found]


def copies_among(story: Fingerprint, candidates: list, groups: Callable[[int], int]) -> list:
    """``confirmed_copies``, confirmed again without ``story``'s boilerplate (``common_shingles``
    by ``groups``), which only ever takes a copy away: asked only when there is a copy."""
    if not (copies := confirmed_copies(story, candidates)):
        return []
    by_key = dict(candidates)
    kept = [(key, by_key[key]) for key in copies]
    return confirmed_copies(story, kept, common_shingles(story, groups))


class Copy(NamedTuple):
    """What the rule of ``representative`` looks at."""

    key: object
    published_at: datetime.datetime


def representative(copies: Iterable[Copy]) -> Copy:
    """Return the copy a group shows: the earliest published, then the first stored (lowest key).

    The earliest is the agency's own or the first outlet's, which cut the
    least; and a card that never moves when later copies arrive keeps the
    front page, its caches and readers' links steady. The database asks the
    same (``ArticleQuerySet.one_per_group``).
    """
    return min(copies, key=lambda copy: (copy.published_at, copy.key))


def common_shingles(story: Fingerprint, groups: Callable[[int], int]) -> frozenset[int]:
    """The shingles of the passages of ``story`` seen in ``COMMON_GROUPS`` groups or more.

    ``groups``: in how many groups a passage key was seen. Shingle ids are
    hashes of the words, so these are the same ids in every story holding the
    passage, and ``similarity`` leaves them out of both stories compared.
    """
    common: set[int] = set()
    for key, start, stop in story.passages:
        if groups(key) >= COMMON_GROUPS:
            common.update(story.ids[start:stop])
    return frozenset(common)


class PassageCounts:
    """In how many groups each passage was seen: boilerplate is what many groups share.

    Stock text is wording many stories share: an agency's background
    paragraphs, an outlet's trailer, the fixed words of a results formula,
    which say nothing about whether two stories are one. Copies of one story
    share their passages, but they are one group, so only a group's first
    story is counted. The shingles of a passage in ``COMMON_GROUPS`` groups or
    more are boilerplate. The database keeps the same counts
    (``BoilerplatePassage``), some twenty a new group where counting shingles
    kept some 250.
    """

    def __init__(self) -> None:
        self.counts: dict[int, int] = {}

    def common(self, story: Fingerprint) -> frozenset[int]:
        """The shingles of ``story`` that are boilerplate."""
        counts = self.counts
        return common_shingles(story, lambda key: counts.get(key, 0))

    def add_group(self, story: Fingerprint) -> None:
        """Count the passages of the first story of a new group."""
        for key in story.passage_keys:
            self.counts[key] = self.counts.get(key, 0) + 1


class MemoryIndex:
    """Band keys to stories, in memory: the same lookup the database's table makes."""

    def __init__(self) -> None:
        self.by_band: dict[int, list[object]] = {}
        self.fingerprints: dict[object, Fingerprint] = {}
        self.group_of: dict[object, object] = {}
        self.members: dict[object, list[object]] = {}
        self.founded: dict[object, int] = {}
        self.counts = PassageCounts()
        # How many candidates the band keys gave, in all: what the check costs.
        self.checked = 0

    def add(self, key: object, story: Fingerprint) -> object:
        """Index ``story`` under ``key`` and return the group it joins (a story's key).

        A story that is a copy of stories in two groups joins them into the
        older: they were one story all along, missed because neither of its
        first two copies had enough of the other (one cut short, one with a
        paragraph of its own).
        """
        found = candidates(story, self.by_band)
        self.checked += len(found)
        common = self.counts.common(story)
        copies = confirmed_copies(story, ((k, self.fingerprints[k]) for k in found), common)
        groups = list(dict.fromkeys(self.group_of[k] for k in copies))
        if not groups:
            group = key
            self.counts.add_group(story)
            self.members[key] = []
        else:
            group = min(groups, key=self.founded.__getitem__)
            for other in groups:
                if other != group:
                    for member in self.members.pop(other):
                        self.group_of[member] = group
                        self.members[group].append(member)
        for band_key in story.band_keys:
            self.by_band.setdefault(band_key, []).append(key)
        self.fingerprints[key] = story
        self.founded[key] = len(self.founded)
        self.group_of[key] = group
        self.members[group].append(key)
        return group
