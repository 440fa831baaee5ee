"""Headlines as agencies file them: the desk label before the headline itself.

A national agency files every story under a desk and prints it before the
headline, with a slash: "اقتصادي / ارتفاع الصادرات ..."، "عام / ..."،
"رياضي / ...". The label is not part of the headline; where it names a
section ("اقتصادي"، "رياضة") it is the story's section, and where it does not
("عام"، "عاجل") it is dropped. A slash inside a headline ("ترامب/بايدن") is not
a label: only a known desk, or a one-word adjective of the kind desks are named
by ("برلماني"، "دبلوماسي"), followed by a spaced slash, is. Pure: no Django.
"""

from __future__ import annotations

import re

from articles.arabic import normalize

# Desks that name a section, and labels that do not (general copy, urgency).
_SECTIONS = (
    "اقتصادي اقتصادية اقتصاد رياضي رياضية رياضة سياسي سياسية سياسة ثقافي ثقافية ثقافة "
    "صحي صحية صحة محلي محلية محليات دولي دولية دوليات عربي عربية إقليمي خليجي "
    "علمي علوم تقني تقنية تكنولوجيا تعليمي تعليم اجتماعي مجتمع بيئة بيئي أمني أمن "
    "عسكري فني فنون فن منوعات سياحة سياحي طقس برلماني دبلوماسي"
)
_NOT_SECTIONS = "عام عامة عاجل هام خاص محدث تحديث"
_SECTION_KEYS = frozenset(normalize(word) for word in _SECTIONS.split())
_NOT_SECTION_KEYS = frozenset(normalize(word) for word in _NOT_SECTIONS.split())
# One or two words, a slash with a space on at least one side, then the headline.
_LABELLED = re.compile(r"(?P<label>[^\W\d_]+(?: [^\W\d_]+)?)(?: /\s*|\s*/ )(?P<rest>\S.*)")
# A desk named by an adjective: one word ending in the nisba ي ("برلماني").
_NISBA = re.compile(r"(?!ال)[^\W\d_]{3,}ي")


def split_desk_label(headline: str) -> tuple[str, str]:
    """Return the section a desk label names ("" if none) and the headline without the label."""
    section = ""
    for _ in range(2):  # "عام / اقتصادي / ..."
        match = _LABELLED.fullmatch(headline)
        if match is None:
            break
        label = match["label"]
        key = normalize(label)
        if key in _NOT_SECTION_KEYS:
            pass
        elif key in _SECTION_KEYS or (" " not in label and _NISBA.fullmatch(label)):
            section = section or label
        else:
            break
        headline = match["rest"]
    return section, headline
