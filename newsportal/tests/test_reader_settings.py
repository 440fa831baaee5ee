"""The reader pages' display settings come from the environment, and bad values are refused."""

import pytest

from newsportal.tests.test_settings import read_settings, run_python

PRODUCTION = {"SECRET_KEY": "k" * 60, "DEBUG": "0", "ALLOWED_HOSTS": "news.example"}


def test_date_display_defaults():
    values = read_settings("ARABIC_MONTH_STYLE", "ARABIC_DIGITS", "SHOW_HIJRI", **PRODUCTION)
    assert values == {"ARABIC_MONTH_STYLE": "both", "ARABIC_DIGITS": "western", "SHOW_HIJRI": True}


def test_date_display_comes_from_the_environment():
    values = read_settings(
        "ARABIC_MONTH_STYLE",
        "ARABIC_DIGITS",
        "SHOW_HIJRI",
        ARABIC_MONTH_STYLE="levantine",
        ARABIC_DIGITS="arabic",
        SHOW_HIJRI="0",
        **PRODUCTION,
    )
    assert values == {
        "ARABIC_MONTH_STYLE": "levantine",
        "ARABIC_DIGITS": "arabic",
        "SHOW_HIJRI": False,
    }


@pytest.mark.parametrize(
    ("name", "value", "choices"),
    [
        ("ARABIC_MONTH_STYLE", "syriac", "gregorian, levantine, both"),
        ("ARABIC_DIGITS", "persian", "western, arabic"),
    ],
)
def test_unknown_display_value_is_refused_naming_the_choices(name, value, choices):
    result = run_python(
        "from django.conf import settings; settings.ARABIC_DIGITS", **{name: value}, **PRODUCTION
    )
    assert result.returncode != 0
    assert f"{name}={value!r}: set it to one of {choices}." in result.stderr
