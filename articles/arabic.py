"""Arabic text helpers: normalisation for search, digits, whitespace, and counted nouns.

This module is the one place where Arabic text is normalised for search. What
is indexed and what is asked both go through ``tokenize`` and ``light_stem``
(``search_words`` and ``search_stems`` for a whole text), so a spelling variant
folded here matches everywhere, and one not folded here matches nowhere.

Callers store ``to_tsvector('simple', ...)`` of what this returns rather than
use PostgreSQL's ``arabic`` configuration, whose snowball stemmer strips a
word-initial و as if it were always the conjunction (so وزير never meets
الوزير) and which has no stop words; the embedded server has neither unaccent
nor pg_trgm. Pure Python: no Django, no ORM.
"""

from __future__ import annotations

import re
import unicodedata

# The C0 and C1 control characters, but those str.split() takes for whitespace
# (tab, line feed, vertical tab, form feed, carriage return, the separators
# U+001C-U+001F and NEL): no text has a use for them, and binary files are full
# of them.
CONTROL_CHARACTERS: frozenset[str] = frozenset(
    character
    for character in map(chr, [*range(0x20), *range(0x7F, 0xA0)])
    if not character.isspace()
)

# What a reader never sees: the control characters, the soft hyphen, the
# zero-width space, non-joiner and joiner, the bidi controls (ALM, LRM, RLM,
# embeddings, overrides, isolates), the word joiner and invisible operators, and
# the BOM. Two copies of a word that differ only by them are the same word.
# Cleaning wire copy keeps a joiner between two letters and reads a zero-width
# space as a space (articles.importers.wire_text.drop_invisible).
INVISIBLE_CHARACTERS: frozenset[str] = CONTROL_CHARACTERS | frozenset(
    map(
        chr,
        [
            0x00AD,
            0x061C,
            *range(0x200B, 0x2010),
            *range(0x202A, 0x202F),
            *range(0x2060, 0x2065),
            *range(0x2066, 0x206A),
            0xFEFF,
        ],
    )
)

# Tashkeel, Quranic annotation marks, superscript alef and tatweel: writers add
# or leave them out freely, so they must not distinguish two words in search.
_MARKS = [
    *range(0x0610, 0x061B),
    *range(0x064B, 0x0660),
    0x0670,
    *range(0x06D6, 0x06DD),
    *range(0x06DF, 0x06E5),
    0x06E7,
    0x06E8,
    *range(0x06EA, 0x06EE),
    0x0640,
]

# What normalize() drops from inside a word, so that a search helper that finds
# written words (articles.search.highlight) keeps them as part of the word.
DROPPED_IN_WORDS: frozenset[str] = INVISIBLE_CHARACTERS | frozenset(map(chr, _MARKS))

_WESTERN_DIGITS = {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}

_FOLD = (
    dict.fromkeys(_MARKS)
    | dict.fromkeys(map(ord, "أإآٱٲٳ"), "ا")
    # Alef maqsura and ya are confused in Egyptian and wire copy; Persian ya
    # (U+06CC) arrives from Persian keyboards.
    | dict.fromkeys(map(ord, "ىی"), "ي")
    # Ta marbuta is often typed as ha (مدرسه); the Persian and Urdu forms of
    # ha come from those keyboards.
    | dict.fromkeys(map(ord, "ةۀۃہ"), "ه")
    # Hamza on a waw or ya seat: the seat varies with the writer (مسئول and
    # مسؤول are both common), but the hamza does not, so keep the hamza and
    # drop the seat. Folding ؤ to و and ئ to ي would leave the pair apart.
    | dict.fromkeys(map(ord, "ؤئ"), "ء")
    | {ord("ک"): "ك"}
    | _WESTERN_DIGITS
)

_WORD = re.compile(r"[^\W_]+")


# Text made only of these (the basic Arabic letters, tatweel, digits and common
# punctuation, no space) is left as it is by NFKC and casefold, so folding it is
# all there is to do: the common case of a written word, and twice as fast.
# The basic letters are written in two ranges around tatweel (U+0640).
_PLAIN_LETTERS = r"\u0621-\u063a\u0641-\u064a"
_PLAIN_OTHERS = r"\u0660-\u06690-9.,:;!?()«»،؛؟\"'/-"
_PLAIN = re.compile(rf"[{_PLAIN_LETTERS}\u0640{_PLAIN_OTHERS}]+")
# Runs of them without tatweel, one space apart: the whitespace is already as
# normalize() leaves it, so a plain paragraph is only folded too (37 us
# against 14 for the bench's paragraphs, which the search page normalises by
# the dozen). Tatweel is left out because a run of it alone would fold to
# nothing and leave two spaces side by side.
_PLAIN_WORDS = re.compile(
    rf"[{_PLAIN_LETTERS}{_PLAIN_OTHERS}]+(?: [{_PLAIN_LETTERS}{_PLAIN_OTHERS}]+)*"
)

# _FOLD and INVISIBLE_CHARACTERS are not applied by str.translate: translate
# looks every character up in the table and raises (and catches) a KeyError
# for each one not in it, 35 us a table for a paragraph. The dropped
# characters go by one regular expression; each swapped one by str.replace,
# where it occurs: a regular expression calling back into Python for each of
# the many ة, ى and أ took half as long again (12 us a paragraph against 8).
# The search page normalises each result's paragraphs (articles.search.highlight).
_DROPPED = re.compile(
    "[" + re.escape("".join(chr(c) for c, to in _FOLD.items() if to is None)) + "]+"
)
_SWAPS = tuple((chr(code), to) for code, to in _FOLD.items() if to is not None)
_INVISIBLE_RUNS = re.compile("[" + re.escape("".join(sorted(INVISIBLE_CHARACTERS))) + "]+")


def _fold(text: str) -> str:
    """``text.translate(_FOLD)``, faster."""
    text = _DROPPED.sub("", text)
    for character, replacement in _SWAPS:
        if character in text:
            text = text.replace(character, replacement)
    return text


def normalize(text: str) -> str:
    """Return ``text`` folded for search comparison.

    Drop invisible characters, apply NFKC (which also folds the presentation
    forms), drop tashkeel and tatweel, fold the alef, ya, ta marbuta and hamza
    variants, the Persian letters and the Arabic-Indic and Persian digits,
    casefold Latin and collapse whitespace. Idempotent, and total on any
    string.
    """
    if _PLAIN.fullmatch(text) or _PLAIN_WORDS.fullmatch(text):
        return _fold(text)
    return _normalize_any(text)


def folded_in_place(text: str) -> str | None:
    """``normalize(text)`` if it keeps every character where it stands in ``text``, else None.

    So for plain text without tatweel (``_PLAIN_WORDS``): folding swaps
    letters one for one, and the whitespace is already as normalize() leaves
    it. A search helper can then find in the normalised text where words of
    the original stand.
    """
    return _fold(text) if _PLAIN_WORDS.fullmatch(text) else None


def _normalize_any(text: str) -> str:
    text = unicodedata.normalize("NFKC", _INVISIBLE_RUNS.sub("", text))
    text = _fold(text.casefold())
    # Dropping a mark can bring a base letter next to a mark it composes with
    # (or casefold can decompose one); a second NFKC makes this idempotent.
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def tokenize(text: str) -> list[str]:
    """Return the normalised words of ``text``.

    A word is a run of letters and digits, Arabic or not; everything else
    (spaces, Latin and Arabic punctuation such as ، ؛ ؟ « », hyphens)
    separates words.
    """
    return _WORD.findall(normalize(text))


# Function words too common to help a search, written as readers write them and
# normalised below. Left out on purpose, because normalisation merges them with
# content words: على (with the name علي), أمام (with إمام), أم (with "mother"),
# وإلى (with والي, "governor").
_STOP_WORDS_TEXT = """
في من إلى عن مع عند لدى منذ حتى ضد عبر خلال بين نحو حول دون بدون سوى غير حسب بحسب وفق
وفقا أثناء بعد قبل تحت فوق ضمن حوالي
و ف ثم أو بل لكن لكنه لكنها إذ إذا إن أن لأن كي حين عندما بينما كلما لما لو
إلا أما إنما ربما قد لقد سوف لا لم لن ليس ليست ما ماذا لماذا متى أين كيف هل كم يا
هو هي هم هما أنا نحن أنت هذا هذه هؤلاء ذلك تلك أولئك هنا هناك
الذي التي الذين اللذين اللتين اللواتي
كان كانت كانوا يكون تكون تم يتم يزال تزال
كل بعض جميع كافة أي أيضا فقط جدا حيث كذلك لذلك لذا الآن
فيه فيها منه منها عنه عنها له لها لهم به بها إليه عليه عليها معه لديه
وفي وقد ولا ولم وهو وهي وكان وكانت وأن وإن فإن فقد ولكن وما ومن ومع وبعد وذلك وهذا وهذه
بأن بأنه لأنه إنه إنها أنه أنها كما فيما مما
"""

STOP_WORDS: frozenset[str] = frozenset(normalize(_STOP_WORDS_TEXT).split())

# Definite article forms, longest first, each with the fewest letters that must
# remain. Plain ال and لل leave two (الدم, للاب); with a conjunction or
# preposition in front they leave three, so that والد and بالون keep theirs.
_ARTICLES = (
    ("وبال", 3),
    ("ولل", 3),
    ("وال", 3),
    ("بال", 3),
    ("كال", 3),
    ("فال", 3),
    ("لل", 2),
    ("ال", 2),
)
# Light10's suffixes (ة and ية are ه and يه once normalised), tried once each in
# this order, so a plural and a pronoun both go (سياساتها); Larkey, Ballesteros
# and Connell, "Light Stemming for Arabic Information Retrieval" (2007). Added:
# the accusative alef (وزيرا), before ي so that روسيا meets الروسي.
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ا", "ي")
# One conjunction or preposition, stripped last and only if four letters remain:
# و, ف, ب, ك and ل also begin many stems. Leaving three would wreck far more
# words (وزير to زير, وطن to طن, كبير to بير) than it would help (وقال stays
# apart from قال). With four or more, a stem that really starts with one of
# them (واشنطن, برنامج) loses it the same way in every form of the word, so
# matches survive and clashes are rare. Coming after the suffixes, the test sees
# the stem, so وزارة and الوزارة both keep وزار. The exact normalised word is
# indexed too, so an exact match still ranks above a stem match.
_PREFIXES = "وفبكل"


def strip_article(word: str) -> str:
    """Return ``word``, a single normalised word, without its definite article.

    Only the longest article form that starts the word is tried, and only if
    enough letters remain (see ``_ARTICLES``).
    """
    for article, keep in _ARTICLES:
        if word.startswith(article):
            if len(word) - len(article) >= keep:
                return word[len(article) :]
            break
    return word


def light_stem(word: str) -> str:
    """Return the light stem of ``word``, a single normalised word.

    Strip one definite article form, then Light10's suffixes (each only if
    three letters remain), then one conjunction or preposition (و ف ب ك ل) only
    if four letters remain.
    """
    word = strip_article(word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
    if len(word) >= 5 and word[0] in _PREFIXES:
        word = word[1:]
    return word


# What a reader may write onto a word: a conjunction, then a preposition
# (وب، فل، ك ...). لل is ل before the article, whose alef it drops (للمدرسة:
# ل + المدرسة).
_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ك", "ل")
# Letters a bare form must keep: مصر of بمصر, no fewer.
BARE_FORM_MIN_LENGTH = 3


def particle_strippings(word: str) -> list[str]:
    """Every form of ``word`` without the particles it may begin with, longest first.

    For the search's query side (articles.search.lexicon decides which, if
    any, to ask by how common each is): ولتلوثها gives لتلوثها and تلوثها;
    للمدرسة gives المدرسة. ``word`` itself is not among them.
    """
    forms = []
    for conjunction in _CONJUNCTIONS:
        if not word.startswith(conjunction):
            continue
        rest = word[len(conjunction) :]
        for preposition in _PREPOSITIONS:
            if not rest.startswith(preposition):
                continue
            bare = rest[len(preposition) :]
            if preposition == "ل" and bare.startswith("ل"):
                forms.append("ا" + bare)
            forms.append(bare)
    kept = [
        form for form in dict.fromkeys(forms) if form != word and len(form) >= BARE_FORM_MIN_LENGTH
    ]
    return sorted(kept, key=len, reverse=True)


def search_words(text: str) -> list[str]:
    """Return the normalised words of ``text`` that are not stop words."""
    return [word for word in tokenize(text) if word not in STOP_WORDS]


def search_stems(text: str) -> list[str]:
    """Return the light stems of ``search_words(text)``, in order."""
    return [light_stem(word) for word in search_words(text)]


_ARABIC_DIGITS = {ord(str(i)): chr(0x0660 + i) for i in range(10)} | {
    0x06F0 + i: chr(0x0660 + i) for i in range(10)
}


def to_arabic_digits(text: str) -> str:
    """Write the Western and Persian digits of ``text`` as Arabic-Indic digits.

    Separators are left alone: a "." between digits may be a date or a version
    number as well as a decimal point.
    """
    return text.translate(_ARABIC_DIGITS)


_WESTERN_NUMBERS = _WESTERN_DIGITS | {0x066B: ".", 0x066C: ","}


def to_western_digits(text: str) -> str:
    """Write the Arabic-Indic and Persian digits of ``text`` as 0-9.

    The Arabic decimal and thousands separators (٫ ٬) become "." and ",", as
    they only ever appear inside numbers.
    """
    return text.translate(_WESTERN_NUMBERS)


def clean_whitespace(text: str) -> str:
    """Return ``text`` on one line with single spaces and no invisible controls.

    Replace every Unicode space (no-break, narrow no-break, ideographic, line
    and paragraph separators, tabs and newlines) with a space, drop the
    ``INVISIBLE_CHARACTERS`` (zero-width, bidi and control characters),
    collapse runs of spaces and strip. Letters and marks are kept as written:
    this cleans structure, not words.
    """
    return " ".join(_INVISIBLE_RUNS.sub("", text).split())


# The forms count_phrase takes (after 0, 1, 2, 3-10, 11-99 and 100) of the
# nouns the site and the newsroom count in more than one place.
STORY_FORMS = ("لا أخبار", "خبر واحد", "خبران", "أخبار", "خبرًا", "خبر")
FILE_FORMS = ("لا ملفات", "ملف واحد", "ملفان", "ملفات", "ملفًا", "ملف")
COPY_FORMS = ("لا نسخ", "نسخة واحدة", "نسختان", "نسخ", "نسخةً", "نسخة")


def count_phrase(
    count: int, none: str, one: str, two: str, few: str, many: str, hundreds: str
) -> str:
    """``count`` with its noun in the form Arabic grammar asks for after that number.

    For example ("لا أخبار", "خبر واحد", "خبران", "أخبار", "خبرًا", "خبر"):
    0 لا أخبار, 1 خبر واحد, 2 خبران, 3-10 أخبار, 11-99 خبرًا, 100 خبر,
    103 أخبار, 111 خبرًا.
    """
    if count == 0:
        return none
    if count == 1:
        return one
    if count == 2:
        return two
    rest = count % 100
    if 3 <= rest <= 10:
        return f"{count} {few}"
    if 11 <= rest <= 99:
        return f"{count} {many}"
    return f"{count} {hundreds}"
