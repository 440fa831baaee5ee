"""Reading inputs into items: the same result in worker processes as in this one."""

from pathlib import Path

from articles.importers.inputs import InputFile, refused
from articles.importers.reading import (
    PARALLEL_MIN_FILES,
    ReadSettings,
    default_workers,
    read_file,
    read_inputs,
)

DATA = Path(__file__).resolve().parents[1] / "data"


def story(number):
    return (
        f"مسابقة لحفظ الشعر في المدرسة رقم {number}\n\nواس\n2024-12-0{number % 9 + 1}\n\n"
        f"الطائف - نظمت المدرسة رقم {number} مسابقة لحفظ الشعر بين طلابها."
    ).encode()


def inputs():
    files = [InputFile(f"{n}.txt", lambda n=n: story(n)) for n in range(70)]
    files.insert(10, refused("big.txt", "الملف أكبر من الحد المسموح"))
    files.insert(40, InputFile("junk.bin", lambda: bytes(range(256))))
    files.append(InputFile("array.json", (DATA / "ninjs/array_two.json").read_bytes))
    return files


def summary(items):
    return [(item.file, item.guid, item.error, item.original) for item in items]


def test_worker_processes_give_the_same_items_in_the_same_order():
    inline = summary(read_inputs(inputs(), ReadSettings(), workers=0))
    parallel = summary(read_inputs(inputs(), ReadSettings(), workers=1))
    assert parallel == inline
    assert len(inline) == 74


def test_refused_input_becomes_an_item_saying_why():
    (item,) = read_inputs([refused("big.txt", "الملف أكبر من الحد المسموح")], ReadSettings())
    assert (item.file, item.error) == ("big.txt", "الملف أكبر من الحد المسموح")
    assert item.story is None


def test_story_gets_the_key_it_is_known_by():
    (item,) = read_file("a.txt", story(1), ReadSettings())
    assert item.guid.startswith("text:")
    assert not item.error


def test_each_item_of_a_ninjs_array_keeps_its_own_original():
    first, second = read_file(
        "a.json", (DATA / "ninjs/array_two.json").read_bytes(), ReadSettings()
    )
    assert first.guid in first.original
    assert first.guid not in second.original


def test_source_option_too_long_for_the_database_is_a_problem_of_each_story():
    text = story(1).replace("واس\n".encode(), b"")
    (item,) = read_file("a.txt", text, ReadSettings(source="م" * 101))
    assert "اسم المصدر أطول" in item.error


def test_small_imports_parse_in_this_process():
    assert default_workers(PARALLEL_MIN_FILES - 1) == 0
