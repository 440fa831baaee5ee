"""The import_articles command: arguments, report, exit status."""

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article

pytestmark = pytest.mark.django_db


def test_imports_a_directory_and_prints_a_summary(tmp_path, seed_bytes, capsys):
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "story.txt").write_bytes(seed_bytes)
    call_command("import_articles", str(tmp_path), "--publish")
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1] == (
        "created 1, updated 0, unchanged 0, conflicts 0, failed 0"
    )
    assert Article.objects.published().count() == 1


def test_bad_file_is_reported_on_one_line_and_exits_1(tmp_path, seed_bytes, capsys):
    (tmp_path / "a-good.txt").write_bytes(seed_bytes)
    (tmp_path / "b-bad.txt").write_bytes(b"\x00\x01junk")
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_articles", str(tmp_path))
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    (error_line,) = captured.err.strip().splitlines()
    assert "b-bad.txt" in error_line
    assert "Traceback" not in captured.err
    assert Article.objects.count() == 1


def test_missing_path_is_a_usage_error():
    with pytest.raises(CommandError) as error:
        call_command("import_articles", "/no/such/path")
    assert error.value.returncode == 2
