"""The search index: the tsvector each story is found by.

``refresh_search_vectors(article_ids)`` is the contract every write path (the
importer, the admin, paragraph edits) calls after it changes a story's text.
``articles.search.query`` asks this index and builds its queries from the same
lexemes (``quote_lexeme``, ``STEM_MARK``, ``chunk_lexemes``).

``articles.arabic`` is the one normalisation: the same ``tokenize`` and
``light_stem`` run over the stories here and over the reader's query. For
each word that is not a stop word, the vector holds the exact normalised
word and, when it differs, its light stem behind ``STEM_MARK`` ("~",
which no word can contain), so a stem never collides with an exact word
(the stem of الوزير is ~وزير, apart from وزير itself). A stem shares its
word's position and is weighted one class below it: headline A (stem B),
caption B (stem C), body C (stem D). A word that is its own stem (وزير)
is not indexed twice: that saves a fifth of the vector, which every
ranked result has to read back. Positions count the stop words, so a
quoted phrase keeps its gaps, and jump by ``FIELD_GAP`` between the
headline, the caption and each paragraph, so a phrase never spans two.

The vector is written as a tsvector literal built in Python, not with
``to_tsvector('simple', text)``: PostgreSQL's parser would split the text
again by its own rules (which depend on the database's locale), drop the
stem marker and lose the shared positions. A literal is read the same way
by every server, the embedded 16 and a 15 alike. The ``arabic`` snowball
configuration is not used at all: it strips a word-initial و as if it were
the conjunction, so وزير never meets الوزير.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import itertools
import logging
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db import DatabaseError, connection, transaction

from articles.arabic import STOP_WORDS, light_stem, tokenize
from articles.models import Article, Paragraph

logger = logging.getLogger(__name__)

STEM_MARK = "~"
# Positions skipped between the headline, the caption and each paragraph.
FIELD_GAP = 5
# PostgreSQL keeps positions up to 16383; words beyond are not indexed. A
# lexeme may not exceed 2 KB: words longer than this (a run of letters with no
# space) are not words anyone searches for.
MAX_POSITION = 16383
MAX_WORD_LENGTH = 60
# A tsvector may not exceed 1 MB; stop adding lexemes well before.
MAX_VECTOR_BYTES = 900_000

# The day, month and year of publication are in the vector too, in UTC, as
# '#d20261129', '#m202611' and '#y2026': the mark, the unit and the first 8, 6
# or 4 digits of the day written YYYYMMDD (no word can contain "#"). The
# trigger of migration 0005 adds them with the SQL function
# articles_time_lexemes; time_lexeme() writes them in Python, for the spans
# articles.search.retrieval asks and the estimates of articles.search.stats,
# and nothing else does (tests/search/test_index.py compares the two).
TIME_MARK = "#"
_TIME_DIGITS = {"d": 8, "m": 6, "y": 4}

# The story's source is in the vector too, as '@' and the source's id ('@12'),
# added by the same trigger (migration 0020), so that a search narrowed to a
# source is intersected inside the GIN index rather than filtered on the heap.
# source_lexeme() writes it in Python, for articles.search.retrieval.
SOURCE_MARK = "@"

# Word pairs, for quoted phrases. A phrase of two common words (الحكومة
# السورية) has both words in thousands of stories, and the GIN index cannot
# tell which hold them side by side: PostgreSQL reads each such story's
# vector back to check the positions (650 ms at 1,000,000 stories). So the
# vector also holds, for each two successive indexed words of a field (stop
# words between them or not), a pair lexeme: '+' and three characters naming
# one of 2**16 buckets the pair hashes to. A phrase asks its pairs' buckets
# too, and the index intersects them with its words before any vector is
# read: only the stories holding both words and the bucket are checked,
# the phrase's own and about one in 360 others (a story of bench/
# search_bench.py has some 180 distinct pairs). This is Elasticsearch's
# index_phrases, hashed: full word pairs would add some 5 KB to each vector,
# which every ranked result reads back; the buckets add 1.5 KB (6.2 KB to
# 7.7 KB on average), carry no positions, and are not counted in the lexicon
# (migration 0015). The price is paid at import, some 180 more GIN entries a
# story: 20,000 stories took 38 s to import without pairs, 53 s with, and
# the GIN index grew from 38 to 53 MB (65 MB with 2**18 buckets, for no
# faster import: the entries cost, not their spread). No word can contain "+".
PAIR_MARK = "+"
PAIR_BUCKET_BITS = 16
_PAIR_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
_PAIR_HIGH = [a + b for a in _PAIR_DIGITS for b in _PAIR_DIGITS]
_PAIR_MASK = (1 << PAIR_BUCKET_BITS) - 1
_PAIR_MULTIPLIER = 0x9E3779B1

cached_stem = functools.lru_cache(maxsize=200_000)(light_stem)


def word_hash(quoted: str) -> int:
    """The 32-bit hash of a word (its quoted lexeme) that its pairs' buckets are made of."""
    return zlib.crc32(quoted.encode())


def pair_buckets(hashes: list[int]) -> set[int]:
    """The buckets of each two successive words, given by their ``word_hash``.

    Multiplying the first by an odd constant makes the bucket depend on the
    order of the words. Written as one comprehension: it runs for every
    word the importer indexes.
    """
    mask, multiplier = _PAIR_MASK, _PAIR_MULTIPLIER
    return {(first * multiplier + second) & mask for first, second in itertools.pairwise(hashes)}


def bucket_lexeme(bucket: int) -> str:
    """The quoted pair lexeme of a bucket."""
    return f"'{PAIR_MARK}{_PAIR_HIGH[bucket >> 6]}{_PAIR_DIGITS[bucket & 63]}'"


def pair_lexeme(first: str, second: str) -> str:
    """The quoted pair lexeme of two successive words, each given as its quoted lexeme."""
    (bucket,) = pair_buckets([word_hash(first), word_hash(second)])
    return bucket_lexeme(bucket)


def quote_lexeme(lexeme: str) -> str:
    """Quote a lexeme for a tsvector or tsquery literal."""
    if "'" in lexeme or "\\" in lexeme:  # never from tokenize; kept for safety
        lexeme = lexeme.replace("\\", "\\\\").replace("'", "''")
    return f"'{lexeme}'"


class _ChunkCache(dict):
    """Map a whitespace-free chunk of text to the lexemes of its words.

    Each value holds, for each word of the chunk, its quoted exact lexeme,
    its quoted stem lexeme as indexed (None when the word is its own stem)
    and as searched (always), and the ``word_hash`` its pairs are made of;
    or None for a stop word (or a word too long to index), which still
    takes a position. Wire copy repeats the same written
    words, so normalising each chunk once is what makes indexing cheap enough
    for the importer; a plain dict (emptied when full) is faster here than
    lru_cache.
    """

    MAX_SIZE = 100_000

    def __missing__(self, chunk: str) -> tuple[tuple[str, str | None, str, int] | None, ...]:
        if len(self) >= self.MAX_SIZE:
            self.clear()
        value = self[chunk] = tuple(map(_lexemes, tokenize(chunk)))
        return value


def _lexemes(word: str) -> tuple[str, str | None, str, int] | None:
    """The quoted word, its indexed stem (None if the word is its own stem), the stem, the hash."""
    if word in STOP_WORDS or len(word) > MAX_WORD_LENGTH:
        return None
    stem = cached_stem(word)
    marked = quote_lexeme(STEM_MARK + stem)
    quoted = quote_lexeme(word)
    return quoted, None if stem == word else marked, marked, word_hash(quoted)


chunk_lexemes = _ChunkCache()
# Position labels ("12C") for the first positions, made once: formatting them
# for every word was a third of the indexing time.
_LABELS = {weight: [f"{p}{weight}" for p in range(2048)] for weight in "ABCD"}
_STEM_WEIGHT = {"A": "B", "B": "C", "C": "D"}


def document_vector(headline: str, caption: str, paragraphs: Iterable[str]) -> str:
    """Return the tsvector literal a story is found by (see the module docstring).

    The text is split on whitespace before it is normalised: ``tokenize`` of
    a text is the words of its whitespace-separated chunks in order, and the
    chunks repeat from story to story, so ``chunk_lexemes`` serves most of them
    from its cache. PostgreSQL sorts the positions, keeps the first 256 of a
    lexeme and clamps those past 16383.
    """
    exact: defaultdict[str, list[str]] = defaultdict(list)
    stems: defaultdict[str, list[str]] = defaultdict(list)
    buckets: set[int] = set()
    analyse = chunk_lexemes.__getitem__
    position = 1
    fields = [(headline, "A"), (caption, "B"), *((text, "C") for text in paragraphs)]
    for text, weight in fields:
        if position > MAX_POSITION:
            break
        pairs = [pair for chunk in map(analyse, text.split()) for pair in chunk]
        stem_weight = _STEM_WEIGHT[weight]
        field_words = []
        if position + len(pairs) < len(_LABELS[weight]):
            labels, stem_labels = _LABELS[weight], _LABELS[stem_weight]
            for pair in pairs:
                if pair is not None:
                    exact[pair[0]].append(labels[position])
                    field_words.append(pair[3])
                    if pair[1] is not None:
                        stems[pair[1]].append(stem_labels[position])
                position += 1
        else:
            for pair in pairs[: max(0, MAX_POSITION + 1 - position)]:
                if pair is not None:
                    exact[pair[0]].append(f"{position}{weight}")
                    field_words.append(pair[3])
                    if pair[1] is not None:
                        stems[pair[1]].append(f"{position}{stem_weight}")
                position += 1
        position += FIELD_GAP
        # A phrase never spans two fields: nor does a pair.
        buckets |= pair_buckets(field_words)
    entries = [f"{lexeme}:{','.join(labels)}" for lexeme, labels in exact.items()]
    entries += [f"{lexeme}:{','.join(labels)}" for lexeme, labels in stems.items()]
    entries += map(bucket_lexeme, buckets)
    # Below this many lexemes a vector cannot reach PostgreSQL's 1 MB limit.
    if len(entries) > 4000:
        entries = _cap_size(entries)
    return " ".join(entries)


def _cap_size(entries: list[str]) -> list[str]:
    """Keep the first entries that fit in a tsvector (only huge texts need this).

    An entry's text is longer than its stored form, so the count errs safe.
    """
    kept, size = [], 0
    for entry in entries:
        size += len(entry.encode()) + 8
        if size > MAX_VECTOR_BYTES:
            break
        kept.append(entry)
    return kept


_TEXTS_SQL = """
SELECT a.id, a.headline, a.image_caption,
       ARRAY(SELECT p.text FROM {paragraph} p WHERE p.article_id = a.id ORDER BY p.position)
FROM {article} a
WHERE a.id = ANY(%s)
"""

_UPDATE_SQL = """
UPDATE {article} AS a SET search_vector = v.vector::tsvector
FROM unnest(%s::bigint[], %s::text[]) AS v(id, vector)
WHERE a.id = v.id
"""


def refresh_search_vectors(article_ids: Iterable[int]) -> None:
    """Recompute the stored search vector of each article in ``article_ids``.

    Two queries whatever the number of articles: one reads the headlines,
    captions and paragraphs, one writes every vector.
    """
    ids = sorted(set(article_ids))
    if not ids:
        return
    tables = {"article": Article._meta.db_table, "paragraph": Paragraph._meta.db_table}
    with connection.cursor() as cursor:
        cursor.execute(_TEXTS_SQL.format(**tables), [ids])
        rows = cursor.fetchall()
        vectors = [document_vector(*row[1:]) for row in rows]
        cursor.execute(_UPDATE_SQL.format(**tables), [[row[0] for row in rows], vectors])


# The lexicon (models.SearchLexeme, kept by triggers: migrations 0011, 0031) of
# an import's new stories, counted after its batch commits.
_AFTER_COMMIT_SETTING = "articles.lexicon_after_commit"


@contextlib.contextmanager
def lexicon_counted_after_commit() -> Iterator[None]:
    """Leave the stories inserted in the block to ``count_lexicon_backlog``, in the lexicon.

    Inside a transaction. The trigger only notes their ids; counting them
    (some 0.2 ms a story) would happen while an import holds grouping's lock,
    which the other imports wait for (migration 0031). If the block raises,
    the transaction's rollback undoes the setting.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [_AFTER_COMMIT_SETTING])
    yield
    # Off for what follows in the same transaction (a test's, or a caller's).
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'off', true)", [_AFTER_COMMIT_SETTING])


def count_lexicon_backlog(at_least: int = 1) -> None:
    """Count in the lexicon the stories ``lexicon_counted_after_commit`` left, committed or own.

    The database's function does it (migrations 0031, 0034): the backlog
    rows no other count holds, in lexeme order as the triggers count, so two
    at once neither wait nor deadlock. With ``at_least``, only once the
    backlog holds that many stories: a thousand stories share most of their
    lexemes, so counting them at once cost half what ten counts of a hundred
    did (0.24 ms a story, not 0.43, at 400 words a story; since ts_stat reads
    the lexemes, 0.1 ms). A failure is logged and leaves the backlog to
    the next count: the stories themselves are stored, and the counts only
    rank and suggest.
    """
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if at_least > 1:
                cursor.execute(
                    "SELECT count(*) FROM (SELECT FROM articles_lexiconbacklog LIMIT %s) AS b",
                    [at_least],
                )
                if cursor.fetchone()[0] < at_least:
                    return
            cursor.execute("SELECT articles_lexicon_count_backlog()")
    except DatabaseError:
        logger.warning(
            "Counting the lexicon's backlog failed; the next import counts it", exc_info=True
        )


def source_lexeme(source_id: int) -> str:
    """The lexeme every story of the source ``source_id`` carries (unquoted)."""
    return f"{SOURCE_MARK}{int(source_id)}"


def time_day(moment: datetime.datetime) -> datetime.date:
    """The day whose time lexemes a story published at ``moment`` carries: its day in UTC."""
    return moment.astimezone(datetime.UTC).date()


def time_lexeme(unit: str, day: datetime.date) -> str:
    """The time lexeme of the day, month or year (``unit``: "d", "m", "y") that holds ``day``."""
    digits = f"{day.year:04d}{day.month:02d}{day.day:02d}"
    return TIME_MARK + unit + digits[: _TIME_DIGITS[unit]]


def time_lexemes(first: datetime.date, last: datetime.date) -> tuple[datetime.date, list[str]]:
    """A few time lexemes that cover the days ``first`` to ``last`` (UTC).

    Each tsquery item costs time for every candidate story the GIN index
    tests, so a span is covered by whole units: days up to two weeks, months
    up to about a year, years beyond. The cover begins at the start of the
    unit of ``first``, returned with the lexemes, and may run past ``last`` to
    the end of its unit.
    """
    span = (last - first).days + 1
    if span <= 14:
        days = (first + datetime.timedelta(days=n) for n in range(span))
        return first, [time_lexeme("d", day) for day in days]
    if span <= 400:
        months = range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
        firsts = (datetime.date(m // 12, m % 12 + 1, 1) for m in months)
        return first.replace(day=1), [time_lexeme("m", day) for day in firsts]
    years = (datetime.date(year, 1, 1) for year in range(first.year, last.year + 1))
    return first.replace(month=1, day=1), [time_lexeme("y", day) for day in years]
