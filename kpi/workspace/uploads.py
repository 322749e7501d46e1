"""Uploads kept for re-imports: each file's bytes, written to disk while it is imported.

A mapping edit reads the user's files again, so their bytes are kept; not in
RAM but in an anonymous temp file, written by a thread (I/O, no GIL) while the
import of the same bytes runs.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from kpi.schema import FileReport, TableKind

log = logging.getLogger(__name__)


@dataclass
class Source:
    """An uploaded file as the user gave it, kept so a mapping edit can re-read it.

    The bytes wait in an anonymous temp file (no name on disk, gone when closed
    or when the process ends), not in RAM: they are only read again when a
    mapping is edited. When the file cannot be written (disk full) they stay
    in RAM instead: a later mapping edit must re-read the real file.
    """

    name: str
    kind: TableKind | None = None
    mapping: dict[str, str] | None = None
    sheet: str | None = None
    report: FileReport | None = None
    _file: BinaryIO | None = field(default=None, repr=False)
    _size: int = 0
    _bytes: bytes | None = field(default=None, repr=False)
    # sha256 of the bytes: a saved draft stores them once under this name.
    digest: str = ""

    def keep(self, data: bytes) -> None:
        self.digest = hashlib.sha256(data).hexdigest()
        file = None
        try:
            file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
            file.write(data)
            file.flush()
        except OSError as exc:  # disk full, no temp dir: a remap must still see the file
            if file is not None:
                file.close()
            log.warning("%s: the upload is kept in memory, its temp file failed: %s",
                        self.name, exc)
            self._bytes = data
            return
        self._file, self._size = file, len(data)

    def keep_file(self, path: Path, digest: str) -> None:
        """Keep a saved draft's copy of the bytes (named by their `digest`), open, instead of
        copying and hashing them again: a new tab reopening a 1M-deal draft read, hashed
        and wrote 111 MB before its first chart. The open file stays readable when a
        later save replaces the draft folder (the name goes, the file stays)."""
        file = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._file, self._size, self.digest = file, os.fstat(file.fileno()).st_size, digest

    @property
    def size(self) -> int:
        return len(self._bytes) if self._bytes is not None else self._size

    @property
    def data(self) -> bytes:
        """The file's bytes (empty for a file of a published snapshot)."""
        if self._bytes is not None:
            return self._bytes
        return os.pread(self._file.fileno(), self._size, 0) if self._file else b""

    def close(self) -> None:
        self._bytes = None
        if self._file is not None:
            self._file.close()
            self._file = None


@contextmanager
def keeping(source: Source, data: bytes, keep: bool = True) -> Iterator[None]:
    """Write the upload out for `source` (unless not `keep`) while the block imports it.

    The caller closes `source` when the block fails (a refused file keeps it)."""
    if not keep:
        yield
        return
    keeper = threading.Thread(target=source.keep, args=(data,), daemon=True)
    keeper.start()
    try:
        yield
    finally:
        keeper.join()


def unique_name(name: str, loaded: dict[str, Source]) -> str:
    """A loaded file keeps its name (a new one becomes `name (2)`...); a refused one is
    replaced by the user's next try."""
    if name not in loaded:
        return name
    number = 2
    while f"{name} ({number})" in loaded:
        number += 1
    return f"{name} ({number})"
