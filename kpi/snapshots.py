"""Published snapshots: what leadership reads. No Streamlit here.

A manager publishes the session's workspace; viewers' sessions open the
current snapshot read-only. On disk, under `KPI_WORKSPACES_DIR` (default
`workspaces/` beside `app.py`, gitignored)::

    workspaces/
      current.json                  {"id": "20250301T140502-123456-1a2b", ...}
      20250301T140502-123456-1a2b/  Workspace.save: Parquet per table + manifest.json
      20250228T091000-000001-9f3c/
      ...

Every step is atomic: `Workspace.save` writes a hidden staging folder and
renames it; `current.json` is written beside itself and swapped in with
`os.replace`. A publish that fails anywhere leaves the previous snapshot
current (and removes its own half-done folder). The last `KEEP` snapshots are
kept (the current one always), so a bad publish can be undone with `restore`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import secrets
import shutil
import tempfile
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kpi.workspace import MANIFEST, Workspace

try:  # POSIX: also serialise publishers in other processes sharing the folder
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

ENV_VAR = "KPI_WORKSPACES_DIR"
DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "workspaces"
POINTER = "current.json"
KEEP = 10
SNAPSHOT_ID = re.compile(r"^\d{8}T\d{6}-\d{6}-[0-9a-f]{4}$")

log = logging.getLogger(__name__)
_process_lock = threading.Lock()


class SnapshotError(Exception):
    """A snapshot that does not exist or cannot be used."""


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


def root_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where snapshots live: $KPI_WORKSPACES_DIR, else `workspaces/` beside app.py."""
    environ = os.environ if environ is None else environ
    configured = (environ.get(ENV_VAR) or "").strip()
    return Path(configured).expanduser() if configured else DEFAULT_ROOT


def _root(root: Path | None) -> Path:
    return Path(root) if root is not None else root_dir()


def new_id(now: datetime | None = None) -> str:
    """Sortable by time; the random tail keeps two publishes in one microsecond apart."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%S-%f}-{secrets.token_hex(2)}"


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One writer at a time: threads of this server and, on POSIX, other processes."""
    root.mkdir(parents=True, exist_ok=True)
    with _process_lock, open(root / ".lock", "a+") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _write_pointer(root: Path, pointer: dict) -> None:
    """Replace current.json atomically (write beside it, fsync, rename)."""
    fd, temp = tempfile.mkstemp(prefix=".current-", suffix=".json", dir=root)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(pointer, handle, indent=2, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, root / POINTER)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


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
            root: Path | None = None, keep: int = KEEP) -> Snapshot:
    """Save `workspace` as a new snapshot and make it current; prune beyond `keep`.

    Raises whatever the save raised; the previous snapshot then stays current.
    """
    root = _root(root)
    with _locked(root):
        now = datetime.now(UTC)
        snapshot = new_id(now)
        while (root / snapshot).exists():
            snapshot = new_id(now)
        published_at = now.isoformat(timespec="seconds")
        extra = {"snapshot_id": snapshot, "published_by": by,
                 "published_by_name": by_name or by, "published_at": published_at}
        folder = root / snapshot
        workspace.save(folder, extra)  # atomic: nothing appears unless it all worked
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
    """Drop snapshots beyond the `keep` newest (never the current one) and stale staging."""
    current = current_id(root)
    for old in _snapshot_ids(root)[keep:]:
        if old != current:
            shutil.rmtree(root / old, ignore_errors=True)
    for entry in root.iterdir():
        # Workspace.save's staging folders left by a crash (hidden, named after an id).
        if entry.is_dir() and entry.name.startswith(".") and SNAPSHOT_ID.match(
                entry.name[1:].rsplit("-", 1)[0]):
            age = datetime.now(UTC).timestamp() - entry.stat().st_mtime
            if age > 3600:
                shutil.rmtree(entry, ignore_errors=True)


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
