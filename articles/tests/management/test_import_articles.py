"""The import_articles command: arguments, report, exit status."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ImportRecord

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data"
SUMMARY = re.compile(
    r"^created \d+, updated \d+, published \d+, unchanged \d+, conflicts \d+, refused \d+, "
    r"failed \d+$"
)


def summary(**counts) -> str:
    """The command's last line, with ``counts`` and zero for every other outcome."""
    names = ["created", "updated", "published", "unchanged", "conflicts", "refused", "failed"]
    return ", ".join(f"{name} {counts.get(name, 0)}" for name in names)


STORY = (
    "تدشين خط حافلات سريع بين الجامعة ووسط المدينة\n\nواس\n2024-12-04\n\n"
    "جدة - دشّنت هيئة النقل الأربعاء خط حافلات سريعاً بين الجامعة ووسط المدينة.\n\n"
    "وتمر الحافلات كل عشر دقائق في ساعات الذروة."
).encode()


def run(*args, stdin=None):
    """Run the command; return (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    options = {"stdout": out, "stderr": err}
    if stdin is not None:
        options["stdin"] = stdin
    try:
        call_command("import_articles", *args, **options)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue(), err.getvalue()


def test_imports_a_directory_and_prints_a_summary(tmp_path, seed_bytes, capsys):
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "story.txt").write_bytes(seed_bytes)
    call_command("import_articles", str(tmp_path), "--publish")
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1] == (summary(created=1))
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


def test_missing_path_stops_before_anything_is_imported(tmp_path):
    (tmp_path / "story.txt").write_bytes(STORY)
    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path / "story.txt"), "/no/such/path")
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "docx"],
        ["--encoding", "no-such-encoding"],
        ["--max-size", "ten megabytes"],
        ["--max-size", "0"],
    ],
)
def test_wrong_option_is_a_usage_error_with_status_2(tmp_path, args):
    (tmp_path / "story.txt").write_bytes(STORY)
    with pytest.raises(CommandError) as error:
        call_command("import_articles", str(tmp_path / "story.txt"), *args)
    assert error.value.returncode == 2
    assert not Article.objects.exists()


def test_summary_is_the_last_line_even_when_files_fail(tmp_path):
    (tmp_path / "bad.txt").write_bytes(bytes(range(256)))
    status, out, _ = run(str(tmp_path))
    assert status == 1
    assert SUMMARY.match(out.strip().splitlines()[-1])
    assert out.strip().splitlines()[-1].endswith("failed 1")


def test_json_lines_failure_names_the_file_and_line():
    status, _, err = run(str(DATA / "jsonl/one_bad_line.jsonl"))
    assert status == 1
    (line,) = err.strip().splitlines()
    assert line.startswith(f"{DATA / 'jsonl/one_bad_line.jsonl'}:2: ")
    assert Article.objects.count() == 2


def test_zip_archive_is_imported_member_by_member(tmp_path):
    with zipfile.ZipFile(tmp_path / "wire.zip", "w") as archive:
        archive.write(DATA / "newsml/amman_water_xhtml.xml", "amman.xml")
        archive.write(DATA / "nitf/tunis_marathon_plain.xml", "tunis.xml")
        archive.writestr("../escape.txt", STORY)
    status, out, err = run(str(tmp_path / "wire.zip"))
    assert status == 1
    assert out.strip().splitlines()[-1] == summary(created=2, failed=1)
    assert "wire.zip:../escape.txt" in err
    assert Article.objects.count() == 2


def test_dash_reads_standard_input():
    status, _, _ = run("-", stdin=io.BytesIO(STORY))
    assert status == 0
    assert Article.objects.get().headline == "تدشين خط حافلات سريع بين الجامعة ووسط المدينة"
    assert ImportRecord.objects.get().file_name == "<stdin>"


def test_max_size_refuses_bigger_files(tmp_path):
    (tmp_path / "story.txt").write_bytes(STORY)
    status, _, err = run(str(tmp_path / "story.txt"), "--max-size", "100")
    assert status == 1
    assert "أكبر من الحد" in err
    assert not Article.objects.exists()


def test_max_size_accepts_units(tmp_path):
    (tmp_path / "story.txt").write_bytes(STORY)
    status, _, _ = run(str(tmp_path / "story.txt"), "--max-size", "1K")
    assert status == 0


def test_dry_run_says_so_and_writes_nothing(tmp_path):
    (tmp_path / "story.txt").write_bytes(STORY)
    status, out, _ = run(str(tmp_path), "--dry-run")
    lines = out.strip().splitlines()
    assert status == 0
    assert lines[-2] == "تشغيل تجريبي: لم يُحفظ شيء في قاعدة البيانات."
    assert lines[-1] == summary(created=1)
    assert not Article.objects.exists()
    assert not ImportRecord.objects.exists()


def test_second_run_reports_unchanged(tmp_path):
    (tmp_path / "story.txt").write_bytes(STORY)
    run(str(tmp_path))
    _, out, _ = run(str(tmp_path))
    assert out.strip().splitlines()[-1] == summary(unchanged=1)


def test_conflict_is_counted_and_overwrite_resolves_it(tmp_path):
    run(str(DATA / "newsml/amman_water_xhtml.xml"))
    Article.objects.update(headline="عنوان عدّله المحرر")
    _, out, _ = run(str(DATA / "newsml/amman_water_v2.xml"))
    assert out.strip().splitlines()[-1].endswith("conflicts 1, refused 0, failed 0")
    _, out, _ = run(str(DATA / "newsml/amman_water_v2.xml"), "--overwrite")
    assert out.strip().splitlines()[-1].startswith("created 0, updated 1")


def test_source_option_credits_copy_without_a_source(tmp_path):
    (tmp_path / "story.txt").write_bytes(STORY.replace("واس\n".encode(), b""))
    run(str(tmp_path), "--source", "وكالة الأنباء المحلية")
    assert Article.objects.get().source.name == "وكالة الأنباء المحلية"


def test_verbosity_0_prints_only_the_summary(tmp_path):
    (tmp_path / "story.txt").write_bytes(STORY)
    _, out, err = run(str(tmp_path), "--verbosity", "0")
    assert out.strip().splitlines() == [summary(created=1)]
    assert err == ""


def test_plain_log_line_per_story_when_not_a_terminal(tmp_path):
    (tmp_path / "story.txt").write_bytes(STORY)
    _, out, _ = run(str(tmp_path))
    assert out.strip().splitlines()[0] == (
        f"{tmp_path / 'story.txt'}:1: أُنشئ: تدشين خط حافلات سريع بين الجامعة ووسط المدينة"
    )


def test_format_option_forces_the_parser(tmp_path):
    status, _, err = run(str(DATA / "nitf/tunis_marathon_plain.xml"), "--format", "newsml")
    assert status == 1
    assert "ليس ملف NewsML-G2" in err


def test_publish_option_publishes():
    run(str(DATA / "ninjs/v2_rabat_tram.json"), "--publish")
    assert Article.objects.published().count() == 1


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_on_a_terminal_and_only_noteworthy_lines(tmp_path):
    (tmp_path / "story.txt").write_bytes(STORY)
    (tmp_path / "bad.txt").write_bytes(bytes(range(256)))
    out, err = io.StringIO(), Terminal()
    with pytest.raises(SystemExit):
        call_command("import_articles", str(tmp_path), stdout=out, stderr=err)
    assert "ملف" in err.getvalue()  # tqdm's bar, counting files
    assert "bad.txt: فشل:" in err.getvalue()
    # A plain "created" is not printed beside a bar; the summary still ends the output.
    assert out.getvalue().strip().splitlines() == [summary(created=1, failed=1)]


def test_worker_processes_give_the_same_result(tmp_path):
    for number in range(40):
        story = STORY.replace("الجامعة ووسط المدينة".encode(), f"الحي رقم {number}".encode(), 1)
        (tmp_path / f"{number:02d}.txt").write_bytes(story)
    (tmp_path / "junk.bin").write_bytes(bytes(range(256)))
    status, out, err = run(str(tmp_path), "--workers", "2")
    assert status == 1
    assert out.strip().splitlines()[-1] == summary(created=40, failed=1)
    assert "junk.bin" in err
    assert Article.objects.count() == 40
    assert not Article.objects.filter(search_vector__isnull=True).exists()


def test_a_negative_number_of_workers_is_a_usage_error(tmp_path):
    (tmp_path / "story.txt").write_bytes(STORY)
    with pytest.raises(CommandError) as error:
        call_command("import_articles", str(tmp_path), "--workers", "-1")
    assert error.value.returncode == 2


def test_no_grouping_loads_an_archive_that_group_copies_groups_afterwards(tmp_path):
    body = (
        "جدة - دشّنت هيئة النقل العام صباح الأربعاء خط حافلات سريعاً يربط الجامعة بوسط المدينة "
        "مروراً بالكورنيش والسوق القديم وعدد من الأحياء السكنية المكتظة.\n\n"
        "وقال مدير الهيئة في مؤتمر صحفي إن الحافلات الجديدة تعمل بالكهرباء وتمر كل عشر دقائق "
        "في ساعات الذروة وكل عشرين دقيقة في بقية اليوم حتى منتصف الليل.\n\n"
        "وأضاف أن الخط يخدم نحو ثلاثين ألف راكب يومياً، وأن المرحلة الثانية ستمده إلى المطار "
        "والميناء خلال العامين المقبلين بعد استكمال الدراسات الفنية."
    )
    (tmp_path / "a.txt").write_text(f"تدشين خط حافلات سريع في جدة\n\nواس\n2024-12-04\n\n{body}")
    (tmp_path / "b.txt").write_text(
        f"خط حافلات كهربائية يربط الجامعة بوسط جدة\n\nبنا\n2024-12-05\n\n{body}"
    )
    status, out, _ = run(str(tmp_path), "--publish", "--no-grouping")
    assert status == 0 and out.strip().splitlines()[-1] == summary(created=2)
    assert list(Article.objects.values_list("story_group", flat=True)) == [None, None]
    call_command("group_copies", stdout=io.StringIO())
    groups = set(Article.objects.values_list("story_group", flat=True))
    assert len(groups) == 1 and None not in groups
