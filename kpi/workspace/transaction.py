"""The import transaction: one session's files in and out of its tables, all or nothing.

A `Workspace` belongs to exactly one browser session (kept in
`st.session_state`, never in a global cache) or one command-line run; it is
what the app and the command line hold. Its own job is the change: add,
replace, remove, remap and reload files, each all-or-nothing (a file that
fails leaves the tables exactly as they were). A file that was read but could
not be settled (no table, a required column missing) is remembered in
`refused` so the user can finish its mapping; it counts no rows anywhere. The
demo data is put away, not merged, when the user's first file brings rows.

The rest is delegated: the tables to `storage`, the kept bytes to `uploads`,
saved column mappings to `mappings`, save/open to `snapshot`, the data's
queries to kpi.catalog, and the rules across files (duplicate ids, owners
named by the users export) to kpi.ingest.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from kpi import catalog
from kpi.ingest import (
    ImportResult,
    Mappings,
    UnreadableFile,
    import_file,
    insert_new_rows,
    name_owners,
)
from kpi.schema import FieldType, FileReport, TableKind
from kpi.workspace import snapshot
from kpi.workspace.mappings import (
    MappingFile,
    Rule,
    SavedMapping,
    column_rule,
    saved_mapping_for,
)
from kpi.workspace.storage import Storage
from kpi.workspace.uploads import Source, keeping, unique_name

DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"
DEMO_PREFIX = "demo/"  # load_demo's file names; no uploaded or command-line name has a "/"
T = TypeVar("T")


@dataclass
class Workspace:
    """The canonical tables of one session, and the files they came from."""

    sources: dict[str, Source] = field(default_factory=dict)
    # Files read but not loaded (no table, a required column missing), kept with
    # their bytes and their report (`error` set) until fixed, removed or cleared.
    refused: dict[str, Source] = field(default_factory=dict)
    mappings: Mappings = field(default_factory=Mappings)
    # Column mappings the user saved for files with given headers (the Data
    # page), and header -> field rules for every file with that header (the
    # command line's --map).
    saved_mappings: list[SavedMapping] = field(default_factory=list)
    column_overrides: dict[str, str] = field(default_factory=dict)
    is_demo: bool = False
    demo_replaced: bool = False  # the user's first file put the demo away (until clear)
    read_only: bool = False
    # A command-line run: it never edits a mapping, so uploads are not kept;
    # it ends after one report, so rows are not compressed.
    one_shot: bool = False
    # Bumped by every committed change: the session saves its draft when it moves.
    revision: int = 0
    storage: Storage = field(init=False, repr=False)
    # Answers about the data, kept for one revision (`remembered`); on this object,
    # so they never reach another session.
    _answers: dict[str, Any] = field(default_factory=dict, repr=False)
    _answers_revision: int = field(default=-1, repr=False)
    # Its own lock, not `_lock`: a draft being saved holds `_lock` for seconds at 1M
    # deals (kpi.drafts), and the next rerun's sidebar must not wait for it.
    _answers_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def __post_init__(self) -> None:
        self.storage = Storage(one_shot=self.one_shot)

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The connection every query of this session's data goes through."""
        return self.storage.con

    # --- reading -----------------------------------------------------------

    def row_counts(self) -> dict[str, int]:
        """Rows per canonical table (0 = that export was not uploaded); asked once per
        revision: every page's empty state and the Data page read them on every rerun."""
        return dict(self.remembered("row_counts", lambda: catalog.row_counts(self.con)))

    def has(self, kind: TableKind) -> bool:
        return self.row_counts()[kind.value] > 0

    def reps(self, unassigned: str | None = None) -> list[str]:
        """Every rep named in any table, sorted; a missing owner is `unassigned` when
        given (as the metrics count it), else left out."""
        return catalog.reps(self.con, unassigned)

    def raw_values(self, limit: int = 500, source_file: str | None = None
                   ) -> tuple[dict[str, str], dict[str, str]]:
        """Raw channel and status values in the data (of one file when given) -> what they
        are read as (the Data page's mapping editors), sorted by raw value; asked once per
        revision (each rerun of the Data page reads them)."""
        channels, statuses = self.remembered(f"raw_values:{limit}:{source_file}", lambda: (
            catalog.raw_values(self.con, FieldType.CHANNEL, limit, source_file),
            catalog.raw_values(self.con, FieldType.STATUS, limit, source_file)))
        return dict(channels), dict(statuses)

    def remembered(self, key: str, ask: Callable[[], T]) -> T:
        """`ask()`, asked once per revision: every change bumps the revision, so an answer
        kept here is never stale. The sidebar's options (reps, channels, span, currencies)
        were re-queried on every rerun, 150-300 ms at 1M deals (BENCHMARKS.md, issue 14);
        so were the row counts, the raw values and the default currency. Keep answers
        immutable, or copy them out."""
        with self._answers_lock:
            if self._answers_revision != self.revision:
                self._answers, self._answers_revision = {}, self.revision
            if key not in self._answers:
                self._answers[key] = ask()
            return self._answers[key]

    @property
    def reports(self) -> list[FileReport]:
        return [s.report for s in self.sources.values() if s.report is not None]

    # --- changing ----------------------------------------------------------

    def add_file(
        self,
        data: bytes,
        name: str,
        kind: TableKind | None = None,
        mapping: dict[str, str] | None = None,
        sheet: str | None = None,
        replace: bool = False,
    ) -> FileReport:
        """Import one file and append its rows; `replace` swaps out the file of that name.

        Without a `mapping`, a saved mapping of the file's headers (or the
        `column_overrides`) is applied. The user's first file that brings rows
        puts the demo away, in the same transaction. Raises UnreadableFile, and
        changes no table, when the file cannot be used; one that was read is
        remembered in `refused` (unless a loaded file has its name).
        """
        self._check_writable()
        with self._lock:
            if not replace:
                name = unique_name(name, self.sources)
            source = Source(name, kind, mapping, sheet)
            # Replacing the users export: the owners its names replaced are read again.
            renamed = replace and self._renamed_owners(name)
            try:
                with keeping(source, data, keep=not self.one_shot):
                    result = self._import(source, data)
                    put_away = (self.is_demo and not name.startswith(DEMO_PREFIX)
                                and result.report.rows_accepted > 0)
                    self.storage.trim()
                    try:
                        self._transaction(lambda: self._load(name, result, replace, put_away))
                    finally:
                        result.staged.drop()
                    self.storage.compact_later()
            except UnreadableFile as exc:
                self._refuse(source, exc)
                raise
            except BaseException:
                source.close()
                raise
            if put_away:
                self._forget_demo()
            old = self.sources.get(name) or self.refused.pop(name, None)
            if old is not None:
                old.close()
            source.report = result.report
            self.sources[name] = source
            if renamed:
                self._reload(self.mappings)
            return result.report

    def remove_file(self, name: str) -> None:
        """Drop the rows a file brought (a refused file is only forgotten)."""
        self._check_writable()
        with self._lock:
            if name in self.refused:
                self.refused.pop(name).close()
                return
            source = self.sources.get(name)
            if source is None or source.report is None or source.report.table is None:
                return
            if source.report.table is TableKind.USERS:
                # Owners it named take back their ids: every other file is read again.
                self._reload(self.mappings, without=name)
            else:
                table = source.report.table
                self._transaction(lambda: self.storage.delete_file(table, name))
                self.storage.compact_later()
            self.sources.pop(name).close()

    def clear(self) -> None:
        """Empty every table and forget every file."""
        self._check_writable()
        with self._lock:
            self._transaction(self.storage.empty)
            self.storage.compact_later()
            for files in (self.sources, self.refused):
                for source in files.values():
                    source.close()
                files.clear()
            self.is_demo = self.demo_replaced = False

    def set_mappings(self, mappings: Mappings) -> None:
        """Apply edited channel/status mappings and currency to every loaded file (all or
        nothing)."""
        self._check_writable()
        with self._lock:
            self._reload(mappings)

    def load_demo(self, folder: Path = DEMO_DIR) -> list[FileReport]:
        """Replace everything with the bundled demo workspace (through the real importer)."""
        self.clear()
        reports = [self.add_file(path.read_bytes(), f"{DEMO_PREFIX}{path.name}")
                   for path in sorted(folder.glob("*.csv"))]
        self.is_demo = True
        return reports

    # --- the user's column mappings -------------------------------------------

    def save_mapping(self, name: str) -> SavedMapping:
        """Read every later file with this loaded file's headers the way it is read now."""
        self._check_writable()
        saved = SavedMapping.of(self.sources[name].report)
        self.saved_mappings = [s for s in self.saved_mappings
                               if s.headers != saved.headers] + [saved]
        self.revision += 1
        return saved

    def saved_mapping_for(self, report: FileReport) -> SavedMapping | None:
        """The saved mapping of a file's headers, if any."""
        return saved_mapping_for(self.saved_mappings, report)

    def mapping_file(self) -> MappingFile:
        """Every mapping of this workspace, as the Data page downloads it."""
        return MappingFile.of(self.mappings, self.saved_mappings)

    # --- snapshots -----------------------------------------------------------

    def save(self, folder: Path, extra: dict | None = None, keep_sources: bool = False) -> Path:
        """Write the tables and a manifest to `folder`, atomically (kpi/workspace/snapshot.py);
        `keep_sources` (a draft) keeps the uploads' bytes too, for later mapping edits.
        Holds the change lock: a draft saved on another thread (kpi.drafts) sees the
        tables and the files of one revision, and no file is closed under it."""
        with self._lock:
            saved = snapshot.Saved(self.mapping_file(), self.sources, self.is_demo)
            return snapshot.save(folder, self.storage, saved, extra, keep_sources)

    @classmethod
    def open(cls, folder: Path, read_only: bool = True) -> Workspace:
        """A new workspace holding a saved snapshot (read-only by default)."""
        workspace = cls()
        saved = snapshot.load(folder, workspace.storage)
        workspace.mappings = saved.mappings.value_mappings()
        workspace.saved_mappings = saved.mappings.columns
        workspace.sources = saved.sources
        workspace.is_demo = saved.is_demo
        workspace.read_only = read_only
        return workspace

    def close(self) -> None:
        """Free the files and the connection (after a save still running: it holds the lock)."""
        with self._lock:
            for source in self.sources.values():
                source.close()
            self.storage.close()

    # --- internals -----------------------------------------------------------

    def _reload(self, mappings: Mappings, without: str | None = None) -> None:
        """Read every loaded file again (but `without`) with `mappings`, all or nothing."""
        results: dict[str, ImportResult] = {}

        def reload() -> None:
            self.storage.empty()
            for result in results.values():
                insert_new_rows(result.staged, result.report)
            name_owners(self.con)
        try:
            for name, source in self.sources.items():
                if name != without:
                    results[name] = self._import_as(source, source.data, mappings)
            self.storage.trim()
            self._transaction(reload)
        finally:
            for result in results.values():
                result.staged.drop()
        self.storage.compact_later()
        self.mappings = mappings
        for name, result in results.items():
            self.sources[name].report = result.report

    def _import_as(self, source: Source, data: bytes,
                   mappings: Mappings | None = None) -> ImportResult:
        return import_file(data, source.name, kind=source.kind, mapping=source.mapping,
                           mappings=mappings or self.mappings, sheet=source.sheet, con=self.con)

    def _import(self, source: Source, data: bytes) -> ImportResult:
        """import_file, then again with the user's rules for these headers when they differ
        from what was recognised (`source` then keeps them, for later re-imports)."""
        try:
            result = self._import_as(source, data)
        except UnreadableFile as exc:
            rule = self._rule(source, exc.report) if exc.report is not None else None
            if rule is None:
                raise
        else:
            rule = self._rule(source, result.report)
            if rule is None:
                return result
            result.staged.drop()
        source.kind, source.mapping, note = rule
        result = self._import_as(source, data)
        if note:
            result.report.notes.append(note)
        return result

    def _rule(self, source: Source, report: FileReport) -> Rule | None:
        """The saved mapping or overrides for a file given without an explicit mapping."""
        if source.mapping is not None:
            return None
        return column_rule(source.kind, report, self.saved_mappings, self.column_overrides)

    def _refuse(self, source: Source, exc: UnreadableFile) -> None:
        """Remember a file that was read but not loaded, for the user to map by hand; a
        loaded file of that name (a failed remap) stays as it was."""
        if exc.report is None or source.name in self.sources:
            source.close()
            return
        old = self.refused.get(source.name)
        if old is not None:
            old.close()
        source.report = exc.report
        self.refused[source.name] = source

    def _load(self, name: str, result: ImportResult, replace: bool, put_away: bool) -> None:
        """Inside a transaction: the demo's rows go first when the user's file replaces them,
        and the file's own old rows when it replaces them."""
        if put_away:
            self.storage.delete_files_named(DEMO_PREFIX)
        old = self.sources.get(name)
        if replace and old is not None and old.report is not None \
                and old.report.table is not None:
            self.storage.delete_file(old.report.table, name)
        insert_new_rows(result.staged, result.report)
        name_owners(self.con)

    def _renamed_owners(self, name: str) -> bool:
        """Whether the file of this name was the users export (whose names owners took)."""
        old = self.sources.get(name)
        return old is not None and old.report is not None and \
            old.report.table is TableKind.USERS

    def _forget_demo(self) -> None:
        for name in [n for n in self.sources if n.startswith(DEMO_PREFIX)]:
            self.sources.pop(name).close()
        self.is_demo = False
        self.demo_replaced = True

    def _transaction(self, change: Callable[[], None]) -> None:
        """A committed change bumps `revision` (the session saves its draft when it moves)."""
        self.storage.transaction(change)
        self.revision += 1

    def _check_writable(self) -> None:
        if self.read_only:
            raise PermissionError("This workspace is a published snapshot: it is read-only.")
