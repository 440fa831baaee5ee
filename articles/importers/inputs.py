"""Where the bytes of each file come from: paths, directories, zip archives, stdin, uploads.

Every source is untrusted. A file is never read past the size limit; a zip
archive is read member by member in memory (nothing is ever extracted to
disk), and refused when its central directory promises more members or more
bytes than we accept, or a member compresses suspiciously well (a zip bomb).
A member whose name would escape an extraction directory is refused too, so
the log never names a path outside the archive.

Each source yields ``InputFile`` objects in a stable order; reading one either
returns its bytes or raises ``StoryParseError`` with a message for the log, so
one unreadable file never stops the others.

An upload through the admin is one web request, which must end well before
the server's worker timeout: ``from_uploads`` with ``UploadLimits`` measures
the whole upload first (files, zip members, bytes once decompressed) and
refuses it whole with ``ImportTooLarge``, before anything is parsed, when it
is past them. While reading it counts the bytes members really hold, so an
archive that declares less than it holds cannot slip past the byte bound
either (and a member that holds more than it declares is refused as damaged).
The command line keeps only the per-file and per-archive limits above.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import stat
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import PurePosixPath
from typing import BinaryIO

from articles.arabic import FILE_FORMS, count_phrase
from articles.importers.base import ImportTooLarge, StoryParseError

# What a zip archive may hold. A day of one agency's wire is a few thousand
# items; nothing legitimate comes near these.
MAX_ZIP_MEMBERS = 20_000
MAX_ZIP_TOTAL_BYTES = 2 * 1024**3
# Text compresses around 4-10 times; a zip bomb hundreds or thousands of times.
MAX_COMPRESSION_RATIO = 100
_RATIO_FLOOR_BYTES = 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
STDIN_NAME = "<stdin>"
# What an editor who meets an upload bound can do instead.
LARGER_IMPORTS_HINT = "قسّمه إلى رفعات أصغر، أو استورده بالأمر import_articles على الخادم"


@dataclasses.dataclass(frozen=True)
class UploadLimits:
    """What one upload (one web request) may hold: all its files together.

    ``max_bytes`` counts every file's bytes as they are once decompressed (a
    zip member by its declared size, and by what is actually read), and
    ``max_files`` counts zip members, not archives.
    """

    max_bytes: int
    max_files: int


class ByteBudget:
    """Bytes an upload may still yield, spent as they are actually read."""

    def __init__(self, limit: int):
        self.limit = limit
        self.spent = 0

    @property
    def left(self) -> int:
        return max(0, self.limit - self.spent)

    def spend(self, size: int) -> None:
        """Count ``size`` bytes read; raise ImportTooLarge once the total passes the limit."""
        self.spent += size
        if self.spent > self.limit:
            raise ImportTooLarge(
                f"ما قُرئ من الرفع بعد فك الضغط تجاوز الحد {_megabytes(self.limit)} لكل رفع "
                f"(أرشيف يحوي أكثر مما يعلنه)؛ رُفض الرفع كله. {LARGER_IMPORTS_HINT}"
            )


@dataclasses.dataclass(frozen=True)
class InputFile:
    """One file to import: the name the log shows, and how to get its bytes."""

    name: str
    _read: Callable[[], bytes] = dataclasses.field(repr=False)

    def read(self) -> bytes:
        """Return the file's bytes; raise StoryParseError if it cannot or may not be read."""
        return self._read()


def refused(name: str, message: str) -> InputFile:
    """An input that can only report why it was refused."""

    def read() -> bytes:
        raise StoryParseError(message)

    return InputFile(name, read)


def size_message(size: int, limit: int) -> str:
    return (
        f"الملف أكبر من الحد المسموح ({_megabytes(size)} والحد {_megabytes(limit)})؛ "
        "قسّمه إلى ملفات أصغر"
    )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} م.ب" if size >= 1024 * 1024 else f"{size} بايت"


def from_paths(
    paths: Iterable[str], *, max_bytes: int, stdin: BinaryIO | None = None
) -> Iterator[InputFile]:
    """Yield the files under ``paths``: files, directories (recursively), zips, ``-``."""
    for name in paths:
        if name == "-":
            yield _from_stream(STDIN_NAME, stdin, max_bytes)
        elif os.path.isdir(name):
            for path in walk(name):
                yield from _from_file(path, max_bytes)
        else:
            yield from _from_file(name, max_bytes)


def count_paths(paths: Iterable[str]) -> int:
    """How many files ``from_paths`` will yield (zip members counted), for a progress bar."""
    total = 0
    for name in paths:
        files = walk(name) if os.path.isdir(name) else [name]
        for path in files:
            if name != "-" and _starts_with_zip(path):
                try:
                    with zipfile.ZipFile(path) as archive:
                        total += sum(not info.is_dir() for info in archive.infolist())
                    continue
                except (zipfile.BadZipFile, OSError, ValueError):
                    pass
            total += 1
    return total


def walk(directory: str) -> Iterator[str]:
    """Yield the files under ``directory`` in name order, skipping hidden ones.

    Symbolic links to directories are not followed, so a link loop cannot
    make the walk endless.
    """
    for root, dirs, files in os.walk(directory, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for file_name in sorted(files):
            if not file_name.startswith((".", "~$")):
                yield os.path.join(root, file_name)


def _from_stream(name: str, stream: BinaryIO | None, max_bytes: int) -> InputFile:
    def read() -> bytes:
        if stream is None:
            raise StoryParseError("لا مدخل قياسي لقراءته")
        data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise StoryParseError(
                f"المدخل القياسي أطول من الحد المسموح ({_megabytes(max_bytes)})؛ "
                "قسّمه إلى ملفات أصغر"
            )
        return data

    return InputFile(name, read)


def _from_file(path: str, max_bytes: int) -> Iterator[InputFile]:
    try:
        info = os.stat(path)
    except OSError as error:
        yield refused(path, f"تعذّرت قراءة الملف: {error.strerror}")
        return
    if not stat.S_ISREG(info.st_mode):
        yield refused(path, "ليس ملفاً عادياً (جهاز أو أنبوب أو مقبس)")
        return
    if _starts_with_zip(path):
        try:
            with open(path, "rb") as handle:
                yield from zip_members(path, handle, max_bytes=max_bytes)
        except OSError as error:
            yield refused(path, f"تعذّرت قراءة الأرشيف: {error.strerror}")
        return
    if info.st_size > max_bytes:
        yield refused(path, size_message(info.st_size, max_bytes))
        return

    def read() -> bytes:
        try:
            with open(path, "rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError as error:
            raise StoryParseError(f"تعذّرت قراءة الملف: {error.strerror}") from None
        if len(data) > max_bytes:
            raise StoryParseError(size_message(len(data), max_bytes))
        return data

    yield InputFile(path, read)


def _starts_with_zip(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(4) in (_ZIP_MAGIC, _EMPTY_ZIP_MAGIC)
    except OSError:
        return False


def from_uploads(
    files: Iterable, *, max_bytes: int, limits: UploadLimits | None = None
) -> Iterator[InputFile]:
    """Return the files of a Django upload (``UploadedFile`` objects), opening zips.

    With ``limits``, raise ImportTooLarge at once if the upload is past them
    (see check_upload), and while reading as soon as the bytes actually read
    pass ``limits.max_bytes``: so that a refusal leaves nothing behind, read
    every file before saving any story (``ImportOptions.max_stories`` does).
    """
    files = list(files)
    budget = None
    if limits is not None:
        check_upload(files, limits)
        budget = ByteBudget(limits.max_bytes)
    return _upload_files(files, max_bytes, budget)


def check_upload(files: Iterable, limits: UploadLimits) -> None:
    """Raise ImportTooLarge if the upload holds more files or bytes than ``limits``.

    Nothing is decompressed: a plain file counts by its size, a zip archive by
    its central directory (each member that would be read, by its declared
    size). An archive too damaged to list counts as one file of its own size;
    reading refuses it later.
    """
    count = total = 0
    for upload in files:
        members, size = _measure(upload)
        count += members
        total += size
    if count > limits.max_files:
        raise ImportTooLarge(
            f"يحوي الرفع {count_phrase(count, *FILE_FORMS)}، "
            f"والحد {count_phrase(limits.max_files, *FILE_FORMS)} لكل رفع "
            f"(يُعدّ كل ملف داخل أرشيف zip)؛ {LARGER_IMPORTS_HINT}"
        )
    if total > limits.max_bytes:
        raise ImportTooLarge(
            f"حجم الرفع بعد فك الضغط {_megabytes(total)} والحد {_megabytes(limits.max_bytes)} "
            f"لكل رفع؛ {LARGER_IMPORTS_HINT}"
        )


def _measure(upload) -> tuple[int, int]:
    """How many files an upload holds, and their bytes once decompressed."""
    upload.seek(0)
    is_zip = upload.read(4) in (_ZIP_MAGIC, _EMPTY_ZIP_MAGIC)
    upload.seek(0)
    if is_zip:
        try:
            # Closing the archive leaves the upload open: ZipFile closes only what it opened.
            with zipfile.ZipFile(upload) as archive:
                members = [info for info in archive.infolist() if _is_read(info)]
            return len(members), sum(info.file_size for info in members)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
            pass
        finally:
            upload.seek(0)
    return 1, upload.size


def _upload_files(files: list, max_bytes: int, budget: ByteBudget | None) -> Iterator[InputFile]:
    for upload in files:
        name = os.path.basename(upload.name or "") or "ملف مرفوع"
        upload.seek(0)
        is_zip = upload.read(4) in (_ZIP_MAGIC, _EMPTY_ZIP_MAGIC)
        upload.seek(0)
        if is_zip:
            yield from zip_members(name, upload, max_bytes=max_bytes, budget=budget)
        elif upload.size > max_bytes:
            yield refused(name, size_message(upload.size, max_bytes))
        else:
            yield InputFile(name, _upload_reader(upload, max_bytes, budget))


def _upload_reader(upload, max_bytes: int, budget: ByteBudget | None) -> Callable[[], bytes]:
    def read() -> bytes:
        upload.seek(0)
        data = upload.read(_read_limit(max_bytes, budget) + 1)
        if budget is not None:
            budget.spend(len(data))
        return data

    return read


def _read_limit(max_bytes: int, budget: ByteBudget | None) -> int:
    """Bytes worth reading from one file: past either limit, one byte more says enough."""
    return max_bytes if budget is None else min(max_bytes, budget.left)


def zip_members(
    name: str,
    handle: BinaryIO,
    *,
    max_bytes: int,
    budget: ByteBudget | None = None,
    max_members: int = MAX_ZIP_MEMBERS,
    max_total_bytes: int = MAX_ZIP_TOTAL_BYTES,
) -> Iterator[InputFile]:
    """Yield the members of the zip archive open in ``handle``, each checked before reading.

    With a ``budget``, every member's bytes are spent from it as they are read.
    An archive of more than ``max_members`` members, or promising more than
    ``max_total_bytes`` in all, is refused whole.
    """
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        yield refused(name, "أرشيف zip تالف أو غير مكتمل؛ أعد ضغطه ثم ارفعه")
        return
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        problem = _archive_problem(members, max_members, max_total_bytes)
        if problem:
            yield refused(name, problem)
            return
        if any(info.filename == "[Content_Types].xml" for info in members):
            yield refused(
                name, "هذا مستند Office (مثل docx) وليس أرشيف أخبار؛ احفظ الخبر نصاً ثم ارفعه"
            )
            return
        for info in members:
            if _is_read(info):
                yield _member(name, archive, info, max_bytes, budget)


def _archive_problem(members: list[zipfile.ZipInfo], max_members: int, max_total: int) -> str:
    if len(members) > max_members:
        return f"الأرشيف يحوي {len(members)} ملفاً، والحد {max_members}؛ قسّمه إلى أرشيفات أصغر"
    total = sum(info.file_size for info in members)
    if total > max_total:
        return (
            f"حجم محتوى الأرشيف بعد فك الضغط {_megabytes(total)}، والحد "
            f"{_megabytes(max_total)}؛ رُفض احتياطاً من قنبلة الضغط"
        )
    return ""


def _is_read(info: zipfile.ZipInfo) -> bool:
    """Is this member one the importer reads (or refuses), rather than skips?"""
    return not info.is_dir() and (not _is_hidden(info.filename) or _unsafe_path(info.filename))


def _is_hidden(filename: str) -> bool:
    """macOS resource forks and hidden files travel in archives; they are not stories."""
    parts = PurePosixPath(filename.replace("\\", "/")).parts
    return bool(parts) and (parts[0] == "__MACOSX" or parts[-1].startswith("."))


def _member(
    archive_name: str,
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    max_bytes: int,
    budget: ByteBudget | None,
) -> InputFile:
    name = f"{archive_name}:{info.filename}"
    problem = _member_problem(info, max_bytes)
    if problem:
        return refused(name, problem)

    def read() -> bytes:
        limit = _read_limit(max_bytes, budget)
        opened = info
        if budget is not None:
            # zipfile stops at the declared size and calls the rest damage; an
            # upload's bound counts what the member really holds, so let it
            # read on to the data's real end (where the checksum is still
            # checked). The read below never goes past our own limit.
            opened = copy.copy(info)
            opened.file_size = sys.maxsize
        try:
            with archive.open(opened) as member:
                # Never trust the declared size alone: read at most one byte more.
                data = member.read(limit + 1)
        except RuntimeError:
            raise StoryParseError("الملف محمي بكلمة مرور داخل الأرشيف") from None
        except NotImplementedError:
            raise StoryParseError(
                "طريقة ضغط هذا الملف غير مدعومة؛ أعد ضغطه بصيغة zip عادية"
            ) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
            raise StoryParseError("الملف تالف داخل الأرشيف") from None
        if budget is not None:
            budget.spend(len(data))
        if len(data) > max_bytes:
            raise StoryParseError(size_message(len(data), max_bytes))
        if len(data) > info.file_size:
            raise StoryParseError("الملف تالف داخل الأرشيف: يحوي أكثر من الحجم المعلن عنه")
        return data

    return InputFile(name, read)


def _unsafe_path(filename: str) -> bool:
    """Would this name land outside the directory an archive is extracted into?"""
    path = filename.replace("\\", "/")
    return path.startswith("/") or ".." in PurePosixPath(path).parts or path[1:2] == ":"


def _member_problem(info: zipfile.ZipInfo, max_bytes: int) -> str:
    if _unsafe_path(info.filename):
        return "مسار غير آمن داخل الأرشيف (يخرج عن مجلده)؛ رُفض الملف"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "رابط رمزي داخل الأرشيف؛ رُفض الملف"
    if info.flag_bits & 0x1:
        return "الملف محمي بكلمة مرور داخل الأرشيف"
    if info.file_size > max_bytes:
        return size_message(info.file_size, max_bytes)
    if (
        info.file_size > _RATIO_FLOOR_BYTES
        and info.file_size > info.compress_size * MAX_COMPRESSION_RATIO
    ):
        return "نسبة ضغط الملف غير معقولة (قنبلة ضغط محتملة)؛ رُفض الملف"
    if info.filename.lower().endswith(".zip"):
        return "أرشيف داخل أرشيف غير مدعوم؛ فكّ الأرشيف الداخلي وارفع ملفاته"
    return ""
