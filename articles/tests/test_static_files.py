"""The style sheet, fonts and script that every reader page loads: no database."""

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "static"
CSS = (STATIC / "css" / "site.css").read_text(encoding="utf-8")
CSS_WITHOUT_COMMENTS = re.sub(r"/\*.*?\*/", "", CSS, flags=re.S)


def test_stylesheet_uses_logical_properties_only():
    physical = re.findall(r"[\w-]*\b(?:left|right)\b[\w-]*", CSS_WITHOUT_COMMENTS)
    assert physical == []


def test_every_font_face_swaps_and_points_at_a_committed_woff2():
    faces = re.findall(r"@font-face\s*{(.*?)}", CSS_WITHOUT_COMMENTS, flags=re.S)
    assert len(faces) == 6
    for face in faces:
        assert "font-display: swap;" in face
        assert "unicode-range:" in face
        (url,) = re.findall(r'url\("\.\./fonts/([^"]+\.woff2)"\)', face)
        assert (STATIC / "fonts" / url).is_file(), url


@pytest.mark.parametrize("family", ["Noto Naskh Arabic", "Noto Kufi Arabic"])
def test_each_font_family_has_its_arabic_and_latin_subsets(family):
    files = re.findall(
        rf'font-family: "{family}";.*?url\("\.\./fonts/([^"]+)"\)', CSS_WITHOUT_COMMENTS, re.S
    )
    assert any("-arabic-arabic-" in name for name in files)
    assert any("-arabic-latin-" in name for name in files)


def test_fonts_ship_with_their_open_font_licence():
    for licence in ("OFL-NotoNaskhArabic.txt", "OFL-NotoKufiArabic.txt"):
        assert "SIL OPEN FONT LICENSE Version 1.1" in (STATIC / "fonts" / licence).read_text()


def test_fonts_stay_within_their_weight_budget():
    total = sum(path.stat().st_size for path in (STATIC / "fonts").glob("*.woff2"))
    assert total < 200 * 1024


def test_stylesheet_follows_the_readers_colour_scheme_and_prints():
    assert "@media (prefers-color-scheme: dark)" in CSS
    assert "@media print" in CSS


def test_stylesheet_never_loads_anything_from_another_host():
    assert re.findall(r"url\(\s*[\"']?(?:https?:)?//", CSS) == []
    assert "@import" not in CSS
