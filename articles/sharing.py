"""What a story is shared with: its description and its title on link cards.

An editor may write both (``Article.description``, ``Article.social_title``);
left empty, the description is the standfirst (the first paragraph) cut to
what search engines show, and the social title is the headline. The story
page's meta tags and JSON-LD and the admin's placeholders all ask here, so
the default an editor is shown is the one readers get. Pure text: no Django.
"""

# Search engines show about this much of a description; cards show less.
DESCRIPTION_CHARS = 160
# Trailing punctuation a cut leaves dangling before its "…".
_DANGLING = "،,؛;:-–— "


def shorten(text: str, length: int) -> str:
    """Cut ``text`` at the last whole word within ``length`` characters, adding "…"."""
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0].rstrip(_DANGLING)
    return f"{cut}…"


def description(written: str, standfirst: str) -> str:
    """The editor's description, or else the standfirst shortened."""
    return " ".join((written or "").split()) or shorten(standfirst, DESCRIPTION_CHARS)


def social_title(written: str, headline: str) -> str:
    """The editor's title for link cards, or else the headline."""
    return " ".join((written or "").split()) or headline
