"""Published snapshots: what leadership reads. No Streamlit here.

A manager publishes the session's workspace; viewers' sessions open the
current snapshot read-only. On disk, under `KPI_WORKSPACES_DIR` (default
`workspaces/` beside `app.py`, gitignored)::

    workspaces/
      current.json                  {"id": "20250301T140502-123456-1a2b", ...}
      20250301T140502-123456-1a2b/  Workspace.save: Parquet per table + manifest.json
      20250228T091000-000001-9f3c/
      ...

Every step is atomic and durable (`kpi.files`): `Workspace.save` writes into a
hidden staging folder (`.<id>-…`), whose files and folders are fsynced before
it is renamed into place (and the parent folder after); `current.json` is
written beside itself, fsynced and swapped in. A publish that fails
anywhere leaves the previous snapshot current (and removes its own half-done
folder); one killed outright leaves a staging folder, removed when a server
next starts using the folder (`remove_leftovers`) or at the next publish. The
last `KEEP` snapshots are kept (the current one always), so a bad publish can
be undone with `restore`.

Two managers publishing at once: whoever publishes second while the page they
started from showed an older snapshot gets `PublishConflict` (nothing
published) and is told who published meanwhile; publishing again replaces it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import secrets
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import EllipsisType

from kpi.files import write_atomic
from kpi.settings import WORKSPACES_DIR, Settings
from kpi.settings import current as current_settings
from kpi.workspace import MANIFEST, Workspace

try:  # POSIX: also serialise publishers in other processes sharing the folder
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

ENV_VAR = WORKSPACES_DIR
DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "workspaces"
POINTER = "current.json"
KEEP = 10
SNAPSHOT_ID = re.compile(r"^\d{8}T\d{6}-\d{6}-[0-9a-f]{4}$")
STAGING_PREFIX = ".publishing-"
# Staging folders: Workspace.save's (`.<id>-<random>`), and `.publishing-…` from older versions.
STAGING = re.compile(rf"^({re.escape(STAGING_PREFIX)}.*"
                     r"|\.\d{8}T\d{6}-\d{6}-[0-9a-f]{4}-.+)$")

log = logging.getLogger(__name__)
_process_lock = threading.Lock()
_cleaned: set[Path] = set()  # roots whose leftovers this process has removed


class SnapshotError(Exception):
    """A snapshot that does not exist or cannot be used."""


class PublishConflict(SnapshotError):
    """Another publish (or restore) made `current` current after this one's page was drawn."""

    def __init__(self, current: Snapshot | None) -> None:
        super().__init__("another snapshot was made current meanwhile")
        self.current = current


@dataclass(frozen=True)
class Snapshot:
    """One published snapshot, as listed for the Publish panel."""

    id: str
    published_at: str  # ISO 8601, UTC
    published_by: str
    published_by_name: str
    tables: dict[str, int]
    is_demo: bool
    is_current: bool

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def root_dir(settings: Settings | None = None) -> Path:
    """Where snapshots live: $KPI_WORKSPACES_DIR, else `workspaces/` beside app.py."""
    configured = (settings or current_settings()).workspaces_dir
    return configured.expanduser() if configured else DEFAULT_ROOT


def _root(root: Path | None) -> Path:
    """The folder; on its first use by this process, without the staging a killed one left."""
    root = Path(root) if root is not None else root_dir()
    if root not in _cleaned:
        _cleaned.add(root)
        remove_leftovers(root, wait=False)
    return root


def remove_leftovers(root: Path, wait: bool = True) -> None:
    """Remove staging folders of publishes that were killed before they finished.

    Under the publish lock no publish is running, so every staging folder is
    a leftover. `wait=False`: when someone is publishing right now, leave them
    to the next publish (which removes them under the lock).
    """
    if not root.is_dir():
        return
    try:
        with _locked(root, wait=wait):
            _remove_staging(root)
    except BlockingIOError:
        return
    except OSError:
        log.exception("could not remove staging leftovers in %s", root)


def _remove_staging(root: Path) -> None:
    for entry in root.iterdir():
        if entry.is_dir() and STAGING.match(entry.name):
            log.warning("removing %s, left by a publish that did not finish", entry)
            shutil.rmtree(entry, ignore_errors=True)


def new_id(now: datetime | None = None) -> str:
    """Sortable by time; the random tail keeps two publishes in one microsecond apart."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%S-%f}-{secrets.token_hex(2)}"


@contextlib.contextmanager
def _locked(root: Path, wait: bool = True) -> Iterator[None]:
    """One writer at a time: threads of this server and, on POSIX, other processes.

    `wait=False` raises BlockingIOError instead of waiting for another writer.
    """
    root.mkdir(parents=True, exist_ok=True)
    if not _process_lock.acquire(blocking=wait):
        raise BlockingIOError("a publish is running")
    try:
        with open(root / ".lock", "a+") as handle:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            try:
                yield
            finally:
                if fcntl is not None:
                    fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        _process_lock.release()


def _write_pointer(root: Path, pointer: dict) -> None:
    """Replace current.json atomically and durably."""
    write_atomic(root / POINTER, json.dumps(pointer, indent=2, ensure_ascii=False))


def _read_pointer(root: Path) -> dict | None:
    try:
        pointer = json.loads((root / POINTER).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        log.exception("unreadable %s in %s", POINTER, root)
        return None
    return pointer if isinstance(pointer, dict) else None


def _snapshot_ids(root: Path) -> list[str]:
    """Complete snapshots (a manifest present), newest first; staging folders are hidden."""
    if not root.is_dir():
        return []
    ids = [entry.name for entry in root.iterdir()
           if entry.is_dir() and SNAPSHOT_ID.match(entry.name) and (entry / MANIFEST).is_file()]
    return sorted(ids, reverse=True)


def current_id(root: Path | None = None) -> str | None:
    """The id of the snapshot viewers see, None when nothing was published."""
    root = _root(root)
    pointer = _read_pointer(root)
    snapshot = pointer.get("id") if pointer else None
    if (isinstance(snapshot, str) and SNAPSHOT_ID.match(snapshot)
            and (root / snapshot / MANIFEST).is_file()):
        return snapshot
    return None


def publish(workspace: Workspace, by: str, by_name: str | None = None,
            root: Path | None = None, keep: int = KEEP,
            started_from: str | None | EllipsisType = ...) -> Snapshot:
    """Save `workspace` as a new snapshot and make it current; prune beyond `keep`.

    `started_from`: the current snapshot's id (None: nothing) when the
    publisher's page was drawn; when another one is current now, nothing is
    published and PublishConflict says which. Raises whatever the save
    raised; the previous snapshot then stays current.
    """
    root = _root(root)
    with _locked(root):
        if started_from is not ... and current_id(root) != started_from:
            current = current_id(root)
            raise PublishConflict(_describe(root, current, current) if current else None)
        _remove_staging(root)
        now = datetime.now(UTC)
        snapshot = new_id(now)
        while (root / snapshot).exists():
            snapshot = new_id(now)
        published_at = now.isoformat(timespec="seconds")
        extra = {"snapshot_id": snapshot, "published_by": by,
                 "published_by_name": by_name or by, "published_at": published_at}
        folder = root / snapshot
        # Atomic and durable (kpi.files.atomic_folder): nothing appears under the
        # snapshot's name unless every byte is on disk, so a power cut after the
        # rename cannot leave a snapshot with empty Parquet files.
        workspace.save(folder, extra)
        try:
            _write_pointer(root, {"id": snapshot, "published_by": by,
                                  "published_at": published_at})
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        try:  # the new snapshot is current now: a failed clean-up must not say otherwise
            _prune(root, keep)
        except OSError:
            log.exception("could not prune old snapshots in %s", root)
    return _describe(root, snapshot, snapshot)


def _prune(root: Path, keep: int) -> None:
    """Drop snapshots beyond the `keep` newest (never the current one)."""
    current = current_id(root)
    for old in _snapshot_ids(root)[keep:]:
        if old != current:
            shutil.rmtree(root / old, ignore_errors=True)


def _describe(root: Path, snapshot: str, current: str | None) -> Snapshot:
    manifest = json.loads((root / snapshot / MANIFEST).read_text(encoding="utf-8"))
    return Snapshot(
        id=snapshot,
        published_at=str(manifest.get("published_at") or manifest.get("saved_at") or ""),
        published_by=str(manifest.get("published_by") or ""),
        published_by_name=str(manifest.get("published_by_name")
                              or manifest.get("published_by") or ""),
        tables={str(k): int(v) for k, v in (manifest.get("tables") or {}).items()},
        is_demo=bool(manifest.get("is_demo")),
        is_current=snapshot == current,
    )


def list_snapshots(root: Path | None = None, limit: int = KEEP) -> list[Snapshot]:
    """The last `limit` snapshots, newest first, the current one flagged."""
    root = _root(root)
    current = current_id(root)
    listed = []
    for snapshot in _snapshot_ids(root)[:limit]:
        try:
            listed.append(_describe(root, snapshot, current))
        except (OSError, ValueError):  # pruned meanwhile, or a damaged manifest
            log.exception("cannot read snapshot %s", snapshot)
    return listed


def restore(snapshot: str, by: str, root: Path | None = None) -> Snapshot:
    """Make an earlier snapshot the current one again."""
    root = _root(root)
    if not SNAPSHOT_ID.match(snapshot or ""):
        raise SnapshotError(f"{snapshot!r} is not a snapshot id")
    with _locked(root):
        if not (root / snapshot / MANIFEST).is_file():
            raise SnapshotError(f"snapshot {snapshot} does not exist (any more)")
        _write_pointer(root, {"id": snapshot, "restored_by": by,
                              "restored_at": datetime.now(UTC).isoformat(timespec="seconds")})
    return _describe(root, snapshot, snapshot)


def open_snapshot(snapshot: str, root: Path | None = None) -> Workspace:
    """A new read-only workspace holding that snapshot."""
    root = _root(root)
    if not SNAPSHOT_ID.match(snapshot or ""):
        raise SnapshotError(f"{snapshot!r} is not a snapshot id")
    try:
        return Workspace.open(root / snapshot, read_only=True)
    except Exception as exc:  # pruned meanwhile, damaged Parquet or manifest: one error type
        raise SnapshotError(f"snapshot {snapshot} cannot be opened: {exc}") from exc


def open_current(root: Path | None = None) -> tuple[str, Workspace] | None:
    """(id, read-only workspace) of the current snapshot, None when nothing was published."""
    root = _root(root)
    snapshot = current_id(root)
    if snapshot is None:
        return None
    return snapshot, open_snapshot(snapshot, root)


def describe(snapshot: str, root: Path | None = None) -> Snapshot | None:
    """One snapshot's listing entry, None when it is gone."""
    root = _root(root)
    if not SNAPSHOT_ID.match(snapshot or ""):
        return None
    try:
        return _describe(root, snapshot, current_id(root))
    except (OSError, ValueError):
        return None
