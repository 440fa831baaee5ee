"""Where files come from: directories, zip archives, stdin; each one checked before it is read."""

import io
import os
import stat
import zipfile

import pytest

from articles.importers.base import ImportTooLarge, StoryParseError
from articles.importers.inputs import (
    ByteBudget,
    UploadLimits,
    check_upload,
    count_paths,
    from_paths,
    from_uploads,
    zip_members,
)

STORY = "معرض للكتاب المستعمل في طرابلس\n\nوال\n2024-12-03\n\nطرابلس - افتتح معرض للكتاب.".encode()
LIMIT = 1024 * 1024


def read_all(files):
    """(name, bytes or the refusal message) for each input."""
    result = []
    for input_file in files:
        try:
            result.append((input_file.name, input_file.read()))
        except StoryParseError as error:
            result.append((input_file.name, error.message))
    return result


def make_zip(path, members, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_directory_is_walked_recursively_in_name_order_skipping_hidden_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_bytes(STORY)
    (tmp_path / "a.txt").write_bytes(STORY)
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_bytes(b"x")
    names = [name for name, _ in read_all(from_paths([str(tmp_path)], max_bytes=LIMIT))]
    assert names == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "2.txt")]


def test_file_over_the_limit_is_refused_with_both_sizes(tmp_path):
    (tmp_path / "big.txt").write_bytes(STORY * 100)
    ((_, message),) = read_all(from_paths([str(tmp_path / "big.txt")], max_bytes=1000))
    assert "أكبر من الحد" in message
    assert "1000 بايت" in message


def test_zip_members_are_read_in_order_and_named_after_the_archive(tmp_path):
    archive = make_zip(tmp_path / "wire.zip", {"one.txt": STORY, "dir/two.txt": STORY + b"!"})
    result = read_all(from_paths([str(archive)], max_bytes=LIMIT))
    assert result == [(f"{archive}:one.txt", STORY), (f"{archive}:dir/two.txt", STORY + b"!")]


def test_zip_is_known_by_its_content_not_its_name(tmp_path):
    archive = make_zip(tmp_path / "wire.dat", {"one.txt": STORY})
    ((name, data),) = read_all(from_paths([str(archive)], max_bytes=LIMIT))
    assert name.endswith("wire.dat:one.txt")
    assert data == STORY


def test_zip_member_escaping_its_directory_is_refused_and_the_others_read(tmp_path):
    archive = make_zip(tmp_path / "evil.zip", {"../../etc/cron.d/x": STORY, "good.txt": STORY})
    result = dict(read_all(from_paths([str(archive)], max_bytes=LIMIT)))
    assert "مسار غير آمن" in result[f"{archive}:../../etc/cron.d/x"]
    assert result[f"{archive}:good.txt"] == STORY


def test_zip_member_with_an_absolute_path_is_refused(tmp_path):
    archive = make_zip(tmp_path / "evil.zip", {"/etc/passwd": STORY})
    ((_, message),) = read_all(from_paths([str(archive)], max_bytes=LIMIT))
    assert "مسار غير آمن" in message


def test_zip_member_over_the_limit_is_refused_before_it_is_read(tmp_path):
    archive = make_zip(tmp_path / "big.zip", {"big.txt": STORY * 50, "small.txt": STORY})
    result = dict(read_all(from_paths([str(archive)], max_bytes=len(STORY) * 10)))
    assert "أكبر من الحد" in result[f"{archive}:big.txt"]
    assert result[f"{archive}:small.txt"] == STORY


def test_zip_bomb_member_is_refused_by_its_compression_ratio(tmp_path):
    archive = make_zip(tmp_path / "bomb.zip", {"bomb.txt": b"\x00" * (5 * 1024 * 1024)})
    ((_, message),) = read_all(from_paths([str(archive)], max_bytes=10 * LIMIT))
    assert "قنبلة ضغط" in message


def test_zip_promising_too_many_bytes_in_all_is_refused_whole(tmp_path):
    archive = make_zip(tmp_path / "many.zip", {f"{n}.txt": STORY for n in range(5)})
    with archive.open("rb") as handle:
        members = zip_members(str(archive), handle, max_bytes=LIMIT, max_total_bytes=len(STORY) * 3)
        ((name, message),) = read_all(members)
    assert name == str(archive)
    assert "قنبلة الضغط" in message


def test_zip_with_too_many_members_is_refused_whole(tmp_path):
    archive = make_zip(tmp_path / "many.zip", {f"{n}.txt": STORY for n in range(5)})
    with archive.open("rb") as handle:
        ((_, message),) = read_all(
            zip_members(str(archive), handle, max_bytes=LIMIT, max_members=3)
        )
    assert "5 ملفاً" in message


def test_zip_member_lying_about_its_size_is_refused_not_trusted(tmp_path):
    path = make_zip(tmp_path / "liar.zip", {"liar.txt": STORY * 20}, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    # Declare 10 bytes in the central directory for a member of 2,500.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    ((_, message),) = read_all(from_paths([str(path)], max_bytes=len(STORY)))
    assert "تالف" in message


def test_nested_zip_is_refused(tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("x.txt", STORY)
    archive = make_zip(tmp_path / "outer.zip", {"inner.zip": inner.getvalue()})
    ((_, message),) = read_all(from_paths([str(archive)], max_bytes=LIMIT))
    assert "أرشيف داخل أرشيف" in message


def test_corrupt_zip_is_refused(tmp_path):
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    ((_, message),) = read_all(from_paths([str(tmp_path / "broken.zip")], max_bytes=LIMIT))
    assert "تالف" in message


def test_office_document_is_refused_as_such(tmp_path):
    archive = make_zip(tmp_path / "story.docx", {"[Content_Types].xml": b"<Types/>"})
    ((_, message),) = read_all(from_paths([str(archive)], max_bytes=LIMIT))
    assert "Office" in message


def test_macos_resource_forks_in_a_zip_are_skipped(tmp_path):
    members = {"story.txt": STORY, "__MACOSX/._story.txt": b"\x00\x05", ".hidden": b"x"}
    archive = make_zip(tmp_path / "mac.zip", members)
    assert [name for name, _ in read_all(from_paths([str(archive)], max_bytes=LIMIT))] == [
        f"{archive}:story.txt"
    ]


def test_symlink_member_is_refused(tmp_path):
    info = zipfile.ZipInfo("link.txt")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(tmp_path / "link.zip", "w") as archive:
        archive.writestr(info, "/etc/passwd")
    ((_, message),) = read_all(from_paths([str(tmp_path / "link.zip")], max_bytes=LIMIT))
    assert "رابط رمزي" in message


def test_stdin_is_read_for_a_dash():
    ((name, data),) = read_all(from_paths(["-"], max_bytes=LIMIT, stdin=io.BytesIO(STORY)))
    assert (name, data) == ("<stdin>", STORY)


def test_stdin_over_the_limit_is_refused():
    ((_, message),) = read_all(from_paths(["-"], max_bytes=10, stdin=io.BytesIO(STORY)))
    assert "أطول من الحد" in message


def test_directory_symlink_loop_is_not_followed(tmp_path):
    (tmp_path / "a.txt").write_bytes(STORY)
    os.symlink(tmp_path, tmp_path / "loop")
    names = [name for name, _ in read_all(from_paths([str(tmp_path)], max_bytes=LIMIT))]
    assert names == [str(tmp_path / "a.txt")]


def test_count_paths_counts_zip_members(tmp_path):
    make_zip(tmp_path / "wire.zip", {"1.txt": STORY, "2.txt": STORY})
    (tmp_path / "3.txt").write_bytes(STORY)
    assert count_paths([str(tmp_path)]) == 3


def test_uploads_open_zips_and_refuse_big_files():
    class Upload(io.BytesIO):
        def __init__(self, name, data):
            super().__init__(data)
            self.name, self.size = name, len(data)

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("a.txt", STORY)
    uploads = [Upload("wire.zip", archive.getvalue()), Upload("big.txt", STORY * 10)]
    result = read_all(from_uploads(uploads, max_bytes=len(STORY) * 2))
    assert result[0] == ("wire.zip:a.txt", STORY)
    assert "أكبر من الحد" in result[1][1]


def test_zip_members_reads_an_open_file_object():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("a.txt", STORY)
    assert read_all(zip_members("up.zip", archive, max_bytes=LIMIT)) == [("up.zip:a.txt", STORY)]


# Upload bounds: one upload is one web request --------------------------------


class Upload(io.BytesIO):
    """What Django hands the view for one uploaded file: a name, a size, the bytes."""

    def __init__(self, name, data):
        super().__init__(data)
        self.name, self.size = name, len(data)


def zip_bytes(members, compression=zipfile.ZIP_DEFLATED):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression) as zipped:
        for name, data in members.items():
            zipped.writestr(name, data)
    return archive.getvalue()


def stories(count):
    return {f"{number}.txt": STORY for number in range(count)}


def declaring(data, sizes):
    """The zip ``data`` with its members' sizes in the central directory set to ``sizes``."""
    data = bytearray(data)
    start = 0
    for size in sizes:
        central = data.index(b"PK\x01\x02", start)
        data[central + 24 : central + 28] = size.to_bytes(4, "little")
        start = central + 4
    return bytes(data)


def test_upload_with_more_files_than_the_bound_is_refused_before_anything_is_read():
    uploads = [Upload("wire.zip", zip_bytes(stories(3))), Upload("one.txt", STORY)]
    with pytest.raises(ImportTooLarge) as refusal:
        from_uploads(uploads, max_bytes=LIMIT, limits=UploadLimits(max_bytes=LIMIT, max_files=3))
    assert "يحوي الرفع 4 ملفات، والحد 3 ملفات لكل رفع" in refusal.value.message
    assert "import_articles" in refusal.value.message


def test_files_skipped_in_a_zip_do_not_count():
    members = {"story.txt": STORY, "__MACOSX/._story.txt": b"\x00\x05", "dir/": b""}
    check_upload([Upload("mac.zip", zip_bytes(members))], UploadLimits(LIMIT, max_files=1))


def test_upload_declaring_more_bytes_than_the_bound_is_refused_by_its_declared_sizes():
    # The members' data is no longer valid deflate: only the central directory is read.
    data = declaring(zip_bytes(stories(2)), [LIMIT, LIMIT])
    with pytest.raises(ImportTooLarge) as refusal:
        check_upload([Upload("big.zip", data)], UploadLimits(max_bytes=LIMIT, max_files=10))
    assert "حجم الرفع بعد فك الضغط 2.0 م.ب والحد 1.0 م.ب لكل رفع" in refusal.value.message


def test_plain_files_count_by_their_size():
    uploads = [Upload("a.txt", STORY), Upload("b.txt", STORY)]
    check_upload(uploads, UploadLimits(max_bytes=2 * len(STORY), max_files=2))
    with pytest.raises(ImportTooLarge):
        check_upload(uploads, UploadLimits(max_bytes=2 * len(STORY) - 1, max_files=2))


def test_upload_at_the_bounds_is_read_whole():
    uploads = [Upload("wire.zip", zip_bytes(stories(2))), Upload("c.txt", STORY)]
    limits = UploadLimits(max_bytes=3 * len(STORY), max_files=3)
    result = read_all(from_uploads(uploads, max_bytes=LIMIT, limits=limits))
    assert result == [("wire.zip:0.txt", STORY), ("wire.zip:1.txt", STORY), ("c.txt", STORY)]


def test_members_holding_more_than_they_declare_are_refused_once_past_the_byte_bound():
    data = declaring(zip_bytes(stories(3)), [1, 1, 1])
    files = from_uploads(
        [Upload("liar.zip", data)],
        max_bytes=LIMIT,
        limits=UploadLimits(max_bytes=2 * len(STORY), max_files=3),
    )
    # What the first two hold fits the bound: each is refused as damaged, not trusted.
    for _ in range(2):
        with pytest.raises(StoryParseError, match="أكثر من الحجم المعلن"):
            next(files).read()
    with pytest.raises(ImportTooLarge) as refusal:
        next(files).read()
    assert f"تجاوز الحد {2 * len(STORY)} بايت لكل رفع" in refusal.value.message


def test_budget_stops_reading_at_the_bound():
    budget = ByteBudget(10)
    budget.spend(10)
    assert budget.left == 0
    with pytest.raises(ImportTooLarge):
        budget.spend(1)


def test_import_too_large_is_not_a_parse_error():
    """A parse error fails one file and the others import; this stops the whole import."""
    assert not issubclass(ImportTooLarge, StoryParseError)
