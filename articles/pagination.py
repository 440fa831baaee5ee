"""Which page of a list a request asks for: one reading for the paginator and the canonical URL.

A page number is written one way only, ``?page=2``: no sign, no leading zero,
ASCII digits, and short enough that ``int()`` is cheap and nothing downstream
overflows. Django's paginator alone would also take ``02``, ``+2`` or ``٢`` for
page 2, giving one page several addresses, and ``str.isdigit()`` lets through
superscripts (²) that ``int()`` then refuses.
"""

import re

_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


def requested_page(request) -> int | None:
    """The page ``?page=`` names: 1 when absent, None when it is not a page number."""
    value = request.GET.get("page")
    if value is None or value == "":
        return 1
    if _PAGE_NUMBER.fullmatch(value) is None:
        return None
    return int(value)
