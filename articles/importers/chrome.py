"""What follows the last real paragraph of scraped copy: site chrome and end markers.

A page scraped off a partner site ends with whatever came after the story:
menu words and widget titles (كاريكاتير، إستطلاعات الرأي), "اقرأ أيضا" and its
list of headlines, share prompts, the standfirst again, "رابط مختصر" with a
URL. Agency copy ends with a marker and a time stamp (انتهى، ـ انتهى ـ،
"انتهى / 12:30 ت م"، "ع ا / ح م"، (النهاية)). No list can name every site's
chrome, so it is recognised by its shape: short lines with no sentence
punctuation after the last real paragraph, lines that are only markers, time
stamps or URLs, a heading followed by headline-like lines. A short final
paragraph that ends a sentence is never chrome. Pure: no Django.
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

_CLOSERS = "\"'»”’)]}"
_SENTENCE_END = ".!؟?…۔"
_URL = re.compile(r"https?://\S+|www\.\S+|\b[\w-]+\.(?:com|net|org|info|news|me|co|ly)\b\S*", re.I)
_TOKEN = re.compile(r"[^\W_]+")
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
    while kept:
        line, key = kept[-1], keys[-1]
        repeat = key in earlier or counts[key] > 1
        short = first_real < len(kept) - 1 and _is_short_unfinished(line)
        known = len(line) < 40 and _known_key(line) in _KNOWN_CHROME
        if repeat or short or known or is_marker(line) or _is_link(line):
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


def ends_sentence(line: str) -> bool:
    """Tell whether ``line`` ends with sentence punctuation (before closing quotes)."""
    stripped = line.rstrip(_CLOSERS + " ")
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _is_real(text: str) -> bool:
    return ends_sentence(text) or len(text.split()) >= PARAGRAPH_MIN_WORDS


def _is_short_unfinished(line: str) -> bool:
    return not ends_sentence(line) and len(line.split()) <= CHROME_MAX_WORDS


def _is_link(line: str) -> bool:
    """A URL with at most a few words around it ("رابط مختصر: https://...")."""
    if not _URL.search(line):
        return False
    return len(_URL.sub(" ", line).split()) <= 6


def _link_list_start(kept: list[str], first_real: int) -> int | None:
    """Return where a heading and its list of headlines ("اقرأ أيضا" ...) start, if at the end.

    The heading is a few words with no sentence punctuation; the items are
    headline-like: not too long, and never closed by a full stop (a headline
    may end with ? or ! or a quote, a paragraph ends with a full stop).
    """
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


def _known_key(text: str) -> str:
    return " ".join(_TOKEN.findall(normalize(text)))


def _repeat_key(text: str) -> str:
    """Return ``text`` as compared for repeats: lines are clean, so only case and end marks."""
    return text.casefold().rstrip(_CLOSERS + _SENTENCE_END + "،:؛; ")
