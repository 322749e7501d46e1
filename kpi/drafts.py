"""Drafts: each browser's (local mode) or manager's (hosted mode) workspace kept on disk.

No Streamlit here. A draft is a `Workspace.save` folder (Parquet per table,
the manifest, the uploads' bytes) under the workspaces folder
(`KPI_WORKSPACES_DIR`, default `workspaces/` beside app.py, gitignored)::

    workspaces/drafts/<sha256 of "browser:<token>" or "user:<username>">/

A browser is known by a random token (`new_token`, 256 bits) kept in a cookie,
never in a URL; the folder is named by its hash, so neither a listing of the
folder nor a log line gives anyone the token that opens it. A reload or a new
tab of the same browser sends the same cookie and reopens the same draft;
another browser has another token and cannot reach it.

The app saves a draft on a thread of its own (`save_later`): at 1M deals a
save takes 2-2.5 s, which the run that changed the data (an upload) used to
pay before its page was drawn (BENCHMARKS.md, issue 14). One thread per draft
folder at a time, saving the latest workspace asked for; `open_draft` waits
for it, so a reload right after an upload reopens the upload.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from kpi import snapshots
from kpi.workspace import MANIFEST, Workspace, after_pages, wake

DRAFTS_DIR = "drafts"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)

log = logging.getLogger(__name__)


def new_token() -> str:
    """A browser's key: 32 random bytes, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def is_token(value: object) -> bool:
    """Whether a cookie's value has the shape `new_token` gives (else a new one is made)."""
    return isinstance(value, str) and bool(_TOKEN.match(value))


def browser_key(token: str) -> str:
    if not is_token(token):
        raise ValueError("not a browser token")
    return f"browser:{token}"


def user_key(username: str) -> str:
    return f"user:{username}"


def folder(key: str, root: Path | None = None) -> Path:
    """The draft folder of a key: named by its hash, never by the key itself."""
    root = Path(root) if root is not None else snapshots.root_dir()
    return root / DRAFTS_DIR / hashlib.sha256(key.encode()).hexdigest()


def open_draft(key: str, root: Path | None = None) -> Workspace | None:
    """The saved workspace of this key, writable; None when there is none (or it is
    unreadable: the session then starts afresh, and the next change saves over it).

    A save of it still running (`save_later`) is waited for first.
    """
    wait_saved(key, root)
    path = folder(key, root)
    if not (path / MANIFEST).is_file():
        return None
    try:
        return Workspace.open(path, read_only=False)
    except Exception:  # a damaged draft must not lock its owner out of the app
        log.exception("cannot open the draft %s", path.name)
        return None


def save_draft(workspace: Workspace, key: str, root: Path | None = None) -> Path:
    """Save atomically and durably (Workspace.save, through kpi.files.atomic_folder)."""
    return workspace.save(folder(key, root), keep_sources=True)


def delete_draft(key: str, root: Path | None = None) -> None:
    wait_saved(key, root)  # else a save still running would bring it back
    shutil.rmtree(folder(key, root), ignore_errors=True)


# --- saving off the request path ----------------------------------------------------

# Longest a reopening waits for a save still running (a 1M-deal save takes
# seconds; a stuck disk must not hang every new tab forever).
WAIT_SECONDS = 120.0


@dataclass
class _Saver:
    """The saves of one draft folder: the workspace waiting to be saved, and how the last
    one went. Kept in `_savers` while a save runs, or after one failed."""

    path: Path
    wanted: Workspace | None = None
    running: bool = False
    failed: bool = False
    urgent: bool = False  # someone waits for this save (`wait_saved`): no deferral


_savers: dict[Path, _Saver] = {}
_state = threading.Condition()  # guards _savers; notified when a folder's saves end


def save_later(workspace: Workspace, key: str, root: Path | None = None) -> None:
    """Save the workspace to its draft on a thread, and return at once.

    While a save of this folder runs, the latest workspace asked for is saved
    once after it (the earlier ones are superseded: a draft is the latest
    state). A save starts once the app's runs in progress are drawn
    (kpi.workspace.after_pages: at 1M deals, saving beside the upload's first
    Overview made its queries 4x slower), or at once when someone waits for it.
    A failure is logged and told by `save_failed`; the previous draft stays
    whole (kpi.files.atomic_folder). The thread is not a daemon: a server
    stopping lets it finish.
    """
    path = folder(key, root)
    with _state:
        saver = _savers.setdefault(path, _Saver(path))
        saver.wanted = workspace
        if not saver.running:
            saver.running = True
            threading.Thread(target=_save_queued, args=(saver,), name="kpi-draft-save").start()


def _save_queued(saver: _Saver) -> None:
    while True:
        with _state:
            if saver.wanted is None:
                saver.running = saver.urgent = False
                if not saver.failed:
                    _savers.pop(saver.path, None)
                _state.notify_all()
                return
        after_pages(lambda: saver.urgent)
        with _state:  # the latest workspace asked for (save_later may have replaced it)
            workspace, saver.wanted = saver.wanted, None
        try:
            workspace.save(saver.path, keep_sources=True)
        except Exception:  # a thread has no caller to raise to: logged and told
            log.exception("cannot save the draft %s", saver.path.name)
            failed = True
        else:
            failed = False
        with _state:
            saver.failed = failed


def wait_saved(key: str, root: Path | None = None, timeout: float | None = WAIT_SECONDS
               ) -> bool:
    """Wait until no save of this draft runs or waits; False when `timeout` ran out first."""
    path = folder(key, root)
    with _state:
        saver = _savers.get(path)
        if saver is not None:
            saver.urgent = True
    wake()
    with _state:
        return _state.wait_for(lambda: not (path in _savers and _savers[path].running),
                               timeout)


def save_failed(key: str, root: Path | None = None) -> bool:
    """Whether the last finished save of this draft failed (the next success clears it)."""
    with _state:
        saver = _savers.get(folder(key, root))
        return saver is not None and saver.failed
