"""Importing one file's bytes in a test, through the loader the command and the admin use."""

from collections.abc import Iterator

from articles.importers.inputs import InputFile
from articles.importers.loader import Importer, ImportOptions
from articles.importers.outcomes import Outcome


def import_file(name: str, data: bytes, **options) -> Iterator[Outcome]:
    """Import every story in ``data`` as the file ``name``; yield one outcome per story."""
    yield from Importer(ImportOptions(**options)).run([InputFile(name, lambda: data)])
