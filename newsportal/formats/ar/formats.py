"""How the admin writes dates, times and numbers in Arabic: day, month, year, then the time.

Django's own ``ar`` module writes "4 ديسمبر، 2026" (a comma between month and
year) and has no DATETIME_FORMAT, so the English "N j, Y, P" shows through:
"ديسمبر 4, 2026, 9:18 م". Here the day comes first as Arabic writes it, the
Arabic comma «،» only between the date and the time, and a 12-hour clock whose
"a.m."/"p.m." the catalogue turns into ص/م. ``P`` is avoided: it writes
"منتصف الليل" and "ظهرًا" instead of a time at 0:00 and 12:00.

Month names come from the translation catalogue, in the site's
ARABIC_MONTH_STYLE: Django's ``ar`` has the gregorian ones (ديسمبر), and the
settings add locale/months/<style> for the others (كانون الأول, كانون
الأول/ديسمبر). Reader pages do not use these formats: they write dates
through articles/dates.py.
https://docs.djangoproject.com/en/5.2/topics/i18n/formatting/#creating-custom-format-files
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "j F Y، g:i A"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j/n/Y"
SHORT_DATETIME_FORMAT = "j/n/Y، g:i A"
# Saturday: the first day of the week in most Arab countries' calendars.
FIRST_DAY_OF_WEEK = 6

# The admin's calendar and clock widgets write the first format of each list
# (ISO, as the widgets' JavaScript reads get_format), so ISO stays first; a
# day-first date typed by hand is read too.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]

# The Arabic decimal separator (U+066B) and thousands separator (U+066C):
# Django's "," and "." read as a thousands separator and a full stop in Arabic.
DECIMAL_SEPARATOR = "٫"
THOUSAND_SEPARATOR = "٬"
NUMBER_GROUPING = 3
