"""What follows the last real paragraph of scraped copy: site chrome and end markers.

A page scraped off a partner site ends with whatever came after the story:
menu words and widget titles (كاريكاتير، إستطلاعات الرأي), "اقرأ أيضا" and its
list of headlines, share prompts, the standfirst again, "رابط مختصر" with a
URL. Agency copy ends with a marker and a time stamp (انتهى، ـ انتهى ـ،
"انتهى / 12:30 ت م"، "ع ا / ح م"، (النهاية)). No list can name every site's
chrome, so it is recognised by its shape: short lines with no sentence
punctuation after the last real paragraph, lines that are only markers, time
stamps or URLs, a heading followed by headline-like lines. Some chrome
says what it is in its first words, whatever its punctuation ("رابط الخبر
بصحيفة ...:"، "يمكنكم استلام إشعارات"، "تابعونا على"، "جميع الحقوق محفوظة")
and is cut off even where the scraper glued it to the last paragraph. A rule
("-----") ends the story. A short final paragraph that ends a sentence is never
chrome, and neither is one that opens a clause ("وقالت رويترز إن ...") or ends
with a date. Pure: no Django.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from articles.arabic import normalize

# Longest line of site chrome with no sentence punctuation, in words.
CHROME_MAX_WORDS = 12
# Longest headline in a "read also" list, in words.
HEADLINE_MAX_WORDS = 16
# A line this long is a paragraph even without a full stop.
PARAGRAPH_MIN_WORDS = 20
# Longest line that its first words make chrome ("يمكنكم استلام إشعارات ...").
LEAD_MAX_WORDS = 30
# Longest chrome glued to the end of a paragraph, in characters.
GLUED_MAX_LENGTH = 300
# Most headlines a "read also" heading lists.
RELATED_MAX_ITEMS = 6

_CLOSERS = "\"'»”’)]}"
_SENTENCE_END = ".!؟?…۔"
_URL = re.compile(r"https?://\S+|www\.\S+|\b[\w-]+\.(?:com|net|org|info|news|me|co|ly)\b\S*", re.I)
# What every URL above has in it. _URL tries each word of a line as a domain
# name; this is found far faster, so a paragraph without a URL is told at once.
_URL_PART = re.compile(r"://|www\.|\.(?:com|net|org|info|news|me|co|ly)", re.I)
_TOKEN = re.compile(r"[^\W_]+")
_MARK = "[\u064b-\u065f\u0670\u0640]*"
_LOOSE_LETTERS = {
    "ا": "[اأإآ]",
    "أ": "[اأإآ]",
    "إ": "[اأإآ]",
    "ي": "[يى]",
    "ى": "[يى]",
    "ة": "[ةه]",
}


def _loose(phrase: str) -> str:
    """A pattern for ``phrase`` as copy spells it: any tashkeel, tatweel, alef or ya form."""
    return r"\s+".join(
        "".join(_LOOSE_LETTERS.get(letter, re.escape(letter)) + _MARK for letter in word)
        for word in phrase.split()
    )


# Chrome that names itself in its first words. Links come first: they are cut
# off wherever they are glued, the rest only after a sentence ends. Only words
# no story opens a sentence with: "تابعونا" but not "تابعنا" (we followed).
_LINK_LEADS = ("رابط الخبر", "رابط المادة", "رابط المقال", "رابط مختصر", "الرابط المختصر")
_OTHER_LEADS = (
    "اقرأ أيضا",
    "اقرأ المزيد",
    "للمزيد من الأخبار",
    "لمزيد من الأخبار",
    "اضغط هنا",
    "انقر هنا",
    "يمكنكم استلام",
    "يمكنك استلام",
    "لاستلام إشعارات",
    "فعل الإشعارات",
    "حمل تطبيق",
    "حملوا تطبيق",
    "نزل تطبيق",
    "تابعونا على",
    "تابعونا عبر",
    "تابعوا آخر الأخبار",
    "اشترك الآن",
    "اشتركوا في",
    "انضموا إلى قناتنا",
    "انضم إلى قناتنا",
    "شارك الخبر",
    "شارك المقال",
    "جميع الحقوق محفوظة",
    "كل الحقوق محفوظة",
)
_LINK_LEAD = re.compile("|".join(_loose(lead) for lead in _LINK_LEADS))
_LEAD = re.compile(
    r"(?:\W*(?:"
    + "|".join(_loose(lead) for lead in (*_LINK_LEADS, *_OTHER_LEADS))
    # "المصدر: رويترز" under the story; a source named in a sentence has no colon.
    + r"|المصدر\s*:)|[^.!؟?]*©)"
)
# Headings of a list of other stories: what follows them is that list, though
# its headlines end with full stops.
_RELATED_HEADINGS = frozenset(
    " ".join(_TOKEN.findall(normalize(heading)))
    for heading in (
        "اقرأ أيضا",
        "اقرأ أيضاً",
        "اقرأ المزيد",
        "أخبار ذات صلة",
        "مواضيع ذات صلة",
        "موضوعات ذات صلة",
        "موضوعات متعلقة",
        "أخبار متعلقة",
        "المزيد من الأخبار",
        "الأكثر قراءة",
        "الأكثر مشاهدة",
        "قد يهمك أيضا",
        "قد يعجبك أيضا",
    )
)
# Where chrome glued to a paragraph starts: a link lead anywhere after a word
# (it names itself with a colon or a URL), anything else after a sentence ends.
_GLUED_LINK = re.compile(
    rf"(?<=\S)\s+(?=(?:{_LINK_LEAD.pattern})[^.!؟?]{{0,60}}?(?::|https?://|www\.))"
)
_SENTENCE_BREAK = re.compile(r"[.!؟?…»”\"](\s*)")
# The few words after a paragraph's last sentence: an end mark glued to it
# ("... في المدار. // انتهى //").
_TAIL = re.compile(r"(?<=[.!؟?…»”\"])\s*(?P<tail>[^.!؟?…]{1,40}\.?)$")
# An end mark set off by its own punctuation ("ـ انتهى ـ"، "// انتهى //") is
# one wherever it is glued; a bare "انتهى" only after a sentence ends.
_WRAPPED_END = re.compile(r"\s+[-ـ/(\[]+\s*(?:انتهى|النهاية)\s*[-ـ/)\]]+$")
# A rule under the story: what follows it is the site's, not the story's.
_RULE = re.compile(r"[-_=*~ـ—–•·. ]{3,}")
# A year closing a line, alone or at the end of a numeric date ("30/04/2025").
_YEAR = re.compile(r"(?:^|.*\D)(?:(?:1[3-4]|19|20)\d\d|[١][٣-٤٩][٠-٩][٠-٩]|[٢][٠][٠-٩][٠-٩])")
_MONTH_NAMES = (
    "يناير فبراير مارس أبريل إبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر "
    "كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين جانفي فيفري أفريل ماي جوان "
    "جويلية أوت"
)
_MONTHS = frozenset(normalize(month) for month in _MONTH_NAMES.split())
# A last paragraph that opens with و or ف before a verb or the article
# ("وتضم الحديقة ...") or with a word that joins a clause ("وقالت رويترز إن
# ...") is copy, whatever its length; "وكالة الأنباء السعودية واس" is not.
_CLAUSE_OPENING = re.compile(r"[وف](?:[يتنأ]|ال)")
_CLAUSE_WORD_LIST = "إن أن في من على إلى عن مع قد لم لن لا الذي التي الذين"
_CLAUSE_WORDS = frozenset(normalize(word) for word in _CLAUSE_WORD_LIST.split())

_END_WORDS = frozenset(normalize("انتهى انتهي انتهت النهاية نهاية انتهي_الخبر").split())
# A backstop for the commonest chrome, dropped even where shape alone could not
# tell it from copy (a story whose paragraphs have no full stops at all).
_KNOWN_CHROME = frozenset(
    " ".join(_TOKEN.findall(normalize(line).casefold()))
    for line in (
        "كاريكاتير",
        "كاريكاتور",
        "إستطلاعات الرأي",
        "استطلاع الرأي",
        "اقرأ أيضا",
        "اقرأ أيضاً",
        "اقرأ المزيد",
        "المزيد",
        "مواضيع ذات صلة",
        "أخبار ذات صلة",
        "الأكثر قراءة",
        "الأكثر مشاهدة",
        "شارك",
        "شارك الخبر",
        "شارك المقال",
        "مشاركة",
        "تويتر",
        "فيسبوك",
        "فيس بوك",
        "واتساب",
        "تيليجرام",
        "تلغرام",
        "لينكد إن",
        "طباعة",
        "أرسل لصديق",
        "نسخ الرابط",
        "رابط الخبر",
        "رابط مختصر",
        "الرابط المختصر",
        "تابعونا على",
        "التعليقات",
        "أضف تعليق",
        "كلمات مفتاحية",
        "الوسوم",
    )
)


def split_trailing_chrome(
    paragraphs: list[str], seen: Iterable[str] = ()
) -> tuple[list[str], list[str]]:
    """Return ``paragraphs`` without the chrome after the last real one, and that chrome.

    ``seen`` holds text that came before the body (the headline, the caption):
    a line repeating it at the end is chrome too.
    """
    kept = list(paragraphs)
    keys = [_repeat_key(text) for text in kept]
    earlier = {_repeat_key(text) for text in seen}
    counts = Counter(keys)
    first_real = next((i for i, text in enumerate(kept) if _is_real(text)), len(kept))
    dropped: list[str] = []
    rule = _last_rule(kept, first_real)
    if rule is not None:
        dropped, kept[rule:], keys[rule:] = kept[rule:], [], []
    while kept:
        line, key = kept[-1], keys[-1]
        glued = _glued_chrome(line)
        if glued is not None:
            kept[-1], keys[-1] = line[:glued].rstrip(), _repeat_key(line[:glued])
            counts.subtract([key])
            counts.update([keys[-1]])
            dropped.insert(0, line[glued:].strip())
            continue
        repeat = key in earlier or counts[key] > 1
        short = first_real < len(kept) - 1 and _is_short_unfinished(line)
        if (
            repeat
            or short
            or _is_known_chrome(line)
            or is_chrome_lead(line)
            or is_marker(line)
            or _is_link(line)
        ):
            start = len(kept) - 1
        else:
            start = _link_list_start(kept, first_real)
            if start is None:
                break
        dropped[:0] = kept[start:]
        counts.subtract(keys[start:])
        del kept[start:], keys[start:]
    return kept, dropped


def is_marker(line: str) -> bool:
    """Tell whether ``line`` is an end-of-copy marker or a stamp, not words of the story.

    "انتهى"، "ـ انتهى ـ"، "(النهاية)"، "انتهى / 12:30 ت م"، the editors' initials
    "ع ا / ح م", a date or a time alone, or nothing but punctuation.
    """
    if len(line.split()) > 10:
        return False
    tokens = _TOKEN.findall(normalize(line))
    if all(len(token) <= 2 or token in _END_WORDS or _has_digit(token) for token in tokens):
        return True
    # "كونا261030 جمت نوف 24": a stamp, with abbreviations around it.
    stamped = any(token in _END_WORDS or _has_digit(token) for token in tokens)
    return stamped and all(
        len(token) <= 3 or token in _END_WORDS or _has_digit(token) for token in tokens
    )


def is_chrome_lead(line: str) -> bool:
    """Tell whether ``line`` is chrome by its first words ("رابط مختصر"، "تابعونا على" ...)."""
    return len(line.split()) <= LEAD_MAX_WORDS and _LEAD.match(line) is not None


def ends_sentence(line: str) -> bool:
    """Tell whether ``line`` ends with sentence punctuation (before closing quotes)."""
    stripped = line.rstrip(_CLOSERS + " ")
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _is_real(text: str) -> bool:
    return ends_sentence(text) or len(text.split()) >= PARAGRAPH_MIN_WORDS


def _is_short_unfinished(line: str) -> bool:
    if ends_sentence(line):
        return False
    words = line.split()
    return len(words) <= CHROME_MAX_WORDS and not _is_clause(words)


def _is_clause(words: list[str]) -> bool:
    """Tell whether short unpunctuated ``words`` are copy: "وقالت رويترز إن ...", "... 2025"."""
    if len(words) < 4:
        return False
    if words[0].startswith(("و", "ف")) and (
        _CLAUSE_OPENING.match(words[0]) or any(normalize(w) in _CLAUSE_WORDS for w in words[1:])
    ):
        return True
    last = words[-1].rstrip(_CLOSERS + "،,")
    return bool(_YEAR.fullmatch(last)) or normalize(last) in _MONTHS


def _glued_chrome(line: str) -> int | None:
    """Return where chrome glued to the end of a paragraph starts, if it does."""
    # Glued chrome is at most LEAD_MAX_WORDS words, an end mark a few: only
    # the end of the line is searched, so a long paragraph costs no more.
    window = max(0, len(line) - GLUED_MAX_LENGTH)
    if "ابط" in line:  # رابط، الرابط (with any alef): the cheap test first
        match = _GLUED_LINK.search(line, window)
        if match is not None and is_chrome_lead(line[match.end() :]):
            return match.start()
    for match in _SENTENCE_BREAK.finditer(line, window):
        if _LEAD.match(line, match.end()) and is_chrome_lead(line[match.end() :]):
            return match.start(1)
    end = max(0, len(line) - 50)
    if "انتهى" in line or "النهاية" in line:  # the words of _WRAPPED_END: the cheap test first
        match = _WRAPPED_END.search(line, end)
        if match is not None:
            return match.start()
    match = _TAIL.search(line, end)
    if match is None or not is_marker(tail := match["tail"]):
        return None
    ends = any(token in _END_WORDS for token in _TOKEN.findall(normalize(tail)))
    return match.start() if ends else None


def _last_rule(kept: list[str], first_real: int) -> int | None:
    """Return where a rule under the story is, unless more of the story is below it than above."""
    for index in range(len(kept) - 1, first_real, -1):
        if _RULE.fullmatch(kept[index]):
            return index if len(kept) - index - 1 <= max(index, 3) else None
    return None


def _is_link(line: str) -> bool:
    """A URL with at most a few words around it ("رابط مختصر: https://...")."""
    if not _URL_PART.search(line) or not _URL.search(line):
        return False
    return len(_URL.sub(" ", line).split()) <= 6


def _link_list_start(kept: list[str], first_real: int) -> int | None:
    """Return where a heading and its list of headlines ("اقرأ أيضا" ...) start, if at the end.

    The heading is a few words with no sentence punctuation; the items are
    headline-like: not too long, and never closed by a full stop (a headline
    may end with ? or ! or a quote, a paragraph ends with a full stop). Under
    a heading that says what follows ("أخبار ذات صلة"), they may end with one.
    """
    for index in range(len(kept) - 2, max(-1, len(kept) - RELATED_MAX_ITEMS - 2), -1):
        heading = kept[index]
        if (
            len(heading) < 40
            and _is_heading(heading)
            and _known_key(heading) in _RELATED_HEADINGS
            and all(len(line.split()) <= HEADLINE_MAX_WORDS for line in kept[index + 1 :])
        ):
            return index
    start = None
    index = len(kept) - 1
    while index > first_real and _is_headline_like(kept[index]):
        if index < len(kept) - 1 and _is_heading(kept[index]):
            start = index
        index -= 1
    return start


def _is_headline_like(line: str) -> bool:
    stripped = line.rstrip(_CLOSERS + " ")
    return len(line.split()) <= HEADLINE_MAX_WORDS and not stripped.endswith((".", "…", "۔"))


def _is_heading(line: str) -> bool:
    return len(line.split()) <= 4 and not ends_sentence(line)


def _has_digit(token: str) -> bool:
    return any(character.isdigit() for character in token)


def _is_known_chrome(line: str) -> bool:
    """Tell whether ``line`` is nothing but the commonest chrome ("شارك فيسبوك تويتر")."""
    return len(line) < 80 and _all_known(_known_key(line).split())


def _all_known(tokens: list[str]) -> bool:
    """Tell whether ``tokens`` are known chrome, one or two at a time ("شارك فيسبوك تويتر")."""
    index = 0
    while index < len(tokens):
        if " ".join(tokens[index : index + 2]) in _KNOWN_CHROME:
            index += 2
        elif tokens[index] in _KNOWN_CHROME:
            index += 1
        else:
            return False
    return bool(tokens)


def _known_key(text: str) -> str:
    return " ".join(_TOKEN.findall(normalize(text)))


def _repeat_key(text: str) -> str:
    """Return ``text`` as compared for repeats: lines are clean, so only case and end marks."""
    return text.casefold().rstrip(_CLOSERS + _SENTENCE_END + "،:؛; ")
