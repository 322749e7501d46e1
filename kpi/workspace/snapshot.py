"""Snapshots on disk: a workspace saved as a folder, and opened again.

One Parquet file per table and a `manifest.json` (the files' reports, every
mapping, whether it is the demo, the caller's extra keys), written atomically
and durably (kpi.files.atomic_folder). A draft also keeps the uploads' bytes,
each once under its digest, so mapping edits still work once it is reopened.
Publishing, listing and drafts are kpi/snapshots.py's and kpi/drafts.py's.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq

from kpi.files import atomic_folder
from kpi.schema import FileReport, TableKind
from kpi.workspace.mappings import MappingFile
from kpi.workspace.storage import Storage
from kpi.workspace.uploads import Source

MANIFEST = "manifest.json"
SOURCES_DIR = "sources"  # save(keep_sources=True): the uploads' bytes, by digest
# At most this many bytes of uploads kept in a saved draft (a million deals is
# ~150 MB of CSV); a file beyond it is saved as rows only, so a mapping edit
# after a reload needs it uploaded again.
MAX_KEPT_SOURCE_BYTES = 512 << 20


@dataclass
class Saved:
    """What a snapshot holds besides the rows (which `load` inserts)."""

    mappings: MappingFile
    sources: dict[str, Source]
    is_demo: bool


def save(folder: Path, storage: Storage, saved: Saved, extra: dict | None = None,
         keep_sources: bool = False) -> Path:
    """Write Parquet per table + a manifest, atomically and durably.

    `keep_sources` (a draft) also keeps the uploads' bytes, up to
    MAX_KEPT_SOURCE_BYTES.
    """
    folder = Path(folder)
    reports = [s.report for s in saved.sources.values() if s.report is not None]
    with atomic_folder(folder) as staging:
        counts = {}
        for kind in TableKind:
            table = storage.rows(kind)
            pq.write_table(table, staging / f"{kind.value}.parquet")
            counts[kind.value] = table.num_rows
        manifest = {
            "format": 1,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "tables": counts,
            "files": [r.model_dump(mode="json", exclude={"rejects"}) for r in reports],
            "mappings": saved.mappings.model_dump(mode="json"),
            "is_demo": saved.is_demo,
            **({"sources": _save_sources(saved.sources, folder, staging)}
               if keep_sources else {}),
            **(extra or {}),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return folder


def load(folder: Path, storage: Storage) -> Saved:
    """Insert a saved snapshot's rows into `storage` (compressed before the uploads' bytes
    are read back); the rest as saved."""
    folder = Path(folder)
    manifest = json.loads((folder / MANIFEST).read_text())
    for kind in TableKind:
        path = folder / f"{kind.value}.parquet"
        if path.exists():
            storage.insert_parquet(kind, path)
    mappings = MappingFile.model_validate(manifest.get("mappings", {}))
    storage.compact_later()
    sources = {
        f["file"]: Source(f["file"], report=FileReport.model_validate(f))
        for f in manifest.get("files", [])
    }
    for kept in manifest.get("sources", []):
        _reopen_source(sources, folder, kept)
    return Saved(mappings, sources, bool(manifest.get("is_demo")))


def _save_sources(sources: dict[str, Source], folder: Path, staging: Path) -> list[dict]:
    """Each upload's bytes under its digest (linked from the previous save when there)."""
    (staging / SOURCES_DIR).mkdir()
    kept, total = [], 0
    for name, source in sources.items():
        size = source.size if source.digest else 0
        stored = bool(size) and total + size <= MAX_KEPT_SOURCE_BYTES
        if stored:
            total += size
            _store(source, folder / SOURCES_DIR, staging / SOURCES_DIR)
        kept.append({"file": name, "kind": source.kind and source.kind.value,
                     "mapping": source.mapping, "sheet": source.sheet,
                     "digest": source.digest if stored else None})
    return kept


def _store(source: Source, previous: Path, staging: Path) -> None:
    """Write an upload's bytes into a draft being saved; a hard link when the last save
    already holds them (a draft is saved after every change: bytes are written once)."""
    target = staging / source.digest
    if target.exists():
        return
    try:
        os.link(previous / source.digest, target)
    except OSError:  # not saved before, or a file system without hard links
        target.write_bytes(source.data)


def _reopen_source(sources: dict[str, Source], folder: Path, kept: dict) -> None:
    """Put back what re-importing a saved upload needs: its bytes and how it was read."""
    source = sources.get(kept["file"])
    if source is None:
        return
    source.kind = TableKind(kept["kind"]) if kept.get("kind") else None
    source.mapping, source.sheet = kept.get("mapping"), kept.get("sheet")
    digest = kept.get("digest")
    if digest and _is_digest(digest):
        source.keep_file(folder / SOURCES_DIR / digest, digest)


def _is_digest(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)
