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
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import shutil
from pathlib import Path

from kpi import snapshots
from kpi.workspace import MANIFEST, Workspace

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
    unreadable: the session then starts afresh, and the next change saves over it)."""
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
    shutil.rmtree(folder(key, root), ignore_errors=True)
