"""Atomic, durable writes: the one routine every writer of a file or folder on disk uses.

A reader sees the old content or the new, never half of it, and a power cut
after the call returns cannot undo it: the new content goes to a temporary
name in the same folder (a rename never crosses file systems), is fsynced,
renamed over the target, and the folder is fsynced so the rename itself is on
disk. A failure at any step leaves the target as it was and no temporary
file behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


def fsync(path: Path) -> None:
    """Flush a file's or a folder's entry to the disk (a folder: its renames and new names)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(folder: Path) -> None:
    """Flush every file and folder under `folder`, deepest first, then `folder` itself."""
    for path in sorted(Path(folder).rglob("*"), key=lambda p: len(p.parts), reverse=True):
        fsync(path)
    fsync(folder)


def write_atomic(path: Path, data: str | bytes, mode: int | None = None) -> None:
    """Replace `path` with `data` (text as UTF-8); `mode` (e.g. 0o600) is set before the rename.

    With `mode`, the content is never readable by others, not even for an instant.
    """
    path = Path(path)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                os.chmod(temp, mode)
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    fsync(path.parent)


@contextlib.contextmanager
def atomic_folder(folder: Path) -> Iterator[Path]:
    """A hidden staging folder beside `folder`; when the block ends, it becomes `folder`.

    Every file written in the staging folder is fsynced before the rename. An
    existing `folder` is moved aside first (a folder cannot be renamed over a
    non-empty one) and removed after. An exception in the block removes the
    staging folder and leaves `folder` as it was.
    """
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        yield staging
        fsync_tree(staging)
        aside = _move_aside(folder)
        try:
            os.replace(staging, folder)
        except BaseException:
            if aside is not None:  # put the old one back: the target is never left missing
                os.replace(aside / folder.name, folder)
                aside.rmdir()
            raise
        fsync(folder.parent)
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _move_aside(folder: Path) -> Path | None:
    """Move an existing `folder` into a hidden folder beside it (returned); None if absent."""
    if not folder.exists():
        return None
    aside = Path(tempfile.mkdtemp(prefix=f".{folder.name}-old-", dir=folder.parent))
    try:
        os.replace(folder, aside / folder.name)
    except BaseException:
        aside.rmdir()
        raise
    return aside
