"""One session's data: an in-memory DuckDB holding the six canonical tables.

A `Workspace` belongs to exactly one browser session (kept in
`st.session_state`, never in a global cache) or one command-line run. The six
tables always exist, empty until an export of that kind is loaded, so metrics
never have to ask whether a table is there.

Every change (add, replace, remove, remap) is all-or-nothing: a file that
fails leaves the tables exactly as they were. A file that was read but could
not be settled (no table, a required column missing) is remembered in
`refused` so the user can finish its mapping; it counts no rows anywhere.
The demo data is put away, not merged, when the user's first file brings rows.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import logging
import os
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel, Field, field_validator, model_validator

from kpi import catalog
from kpi.files import atomic_folder
from kpi.ingest import ImportResult, Mappings, UnreadableFile, import_file
from kpi.ingest.fold import fold
from kpi.ingest.normalise import MAX_REJECTS_LISTED, check_count, too_large
from kpi.ingest.parse import quote_identifier
from kpi.ingest.recognise import missing_fields
from kpi.ingest.vocabulary import DELETED
from kpi.messages import Message, field_label, msg
from kpi.schema import (
    CHANNELS,
    FIELDS,
    ID_FIELD,
    STATUSES,
    TABLE_COLUMNS,
    TABLES,
    FieldType,
    FileReport,
    RejectedRow,
    TableKind,
)

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
DEMO_PREFIX = "demo/"  # load_demo's file names; no uploaded or command-line name has a "/"
MANIFEST = "manifest.json"
SOURCES_DIR = "sources"  # Workspace.save(keep_sources=True): the uploads' bytes, by digest
# At most this many bytes of uploads kept in a saved draft (a million deals is
# ~150 MB of CSV); a file beyond it is saved as rows only, so a mapping edit
# after a reload needs it uploaded again.
MAX_KEPT_SOURCE_BYTES = 512 << 20
SAVED_MAPPING_NOTE = msg("note.saved_mapping")
log = logging.getLogger(__name__)

# Per session connection, on a shared 2-core host running several sessions:
# - threads 2: measured both ways (BENCHMARKS.md, "Threads per session"): with
#   2 threads a 1M-deal page refresh is ~40 % faster than with 1, and 4
#   sessions refreshing at once still have a lower p95 (103 vs 182 ms), since
#   a page's queries are short and rarely overlap; at 5M rows only 2 threads
#   keep every page within 250 ms. More threads than cores would only queue.
# - memory_limit 2GB: a ceiling against a runaway query, not a reservation: a
#   compressed 1M-deal workspace holds ~25 MB. Rows are stored raw until the
#   checkpoint that ends an import compresses them, so importing 5M rows needs
#   about 1.2 GB for that moment. In-memory databases cannot spill: above the
#   limit the import is refused with a clear message instead of taking the
#   memory of the other sessions.
CONNECTION_CONFIG = {"threads": 2, "memory_limit": "2GB", "preserve_insertion_order": True}

try:  # glibc's malloc_trim; other C libraries have none (then nothing is trimmed)
    _malloc_trim = ctypes.CDLL(None).malloc_trim
except (AttributeError, OSError, TypeError):
    _malloc_trim = None


def _connect() -> duckdb.DuckDBPyConnection:
    """An in-memory database stored compressed (about 8x smaller than the default)."""
    con = duckdb.connect(":memory:", config=CONNECTION_CONFIG)
    con.execute("ATTACH ':memory:' AS ws (COMPRESS)").fetchall()
    con.execute("USE ws").fetchall()
    return con


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


def header_signature(headers: list[str]) -> list[str]:
    """A file's headers folded, sorted and each once: the same export in any column order."""
    return sorted({fold(h) for h in headers})


def _field_names(kind: TableKind) -> set[str]:
    return {spec.name for spec in FIELDS[kind]}


def _table_with(fields: set[str], preferred: TableKind | None) -> TableKind | None:
    """A table that has all these fields: `preferred` (the recognised one) when it does,
    else one that is complete with them, else the first."""
    tables = [k for k in TableKind if fields <= _field_names(k)]
    if preferred in tables:
        return preferred
    complete = [k for k in tables if not missing_fields(k, {f: f for f in fields})]
    return next(iter(complete or tables), None)


class SavedMapping(BaseModel):
    """A column mapping the user chose, applied to every later file with the same headers."""

    headers: list[str]  # header_signature of the file it was saved from
    table: TableKind
    mapping: dict[str, str]  # source header -> field

    @field_validator("headers")
    @classmethod
    def _signature(cls, headers: list[str]) -> list[str]:
        return header_signature(headers)  # a hand-written file may list raw headers

    @model_validator(mode="after")
    def _fields_of_the_table(self) -> SavedMapping:
        unknown = sorted(set(self.mapping.values()) - _field_names(self.table))
        if unknown:
            raise ValueError(f"{self.table.value} has no field {', '.join(unknown)}")
        strays = sorted(s for s in self.mapping if fold(s) not in self.headers)
        if strays:
            raise ValueError(f"mapped columns missing from headers: {', '.join(strays)}")
        return self

    @classmethod
    def of(cls, report: FileReport) -> SavedMapping:
        """The mapping a loaded file was read with."""
        assert report.table is not None
        return cls(headers=[c.source for c in report.columns], table=report.table,
                   mapping=report.mapping)

    def matches(self, headers: list[str]) -> bool:
        return header_signature(headers) == self.headers

    def mapping_for(self, headers: list[str]) -> dict[str, str]:
        """This mapping in a file's own header names (which may differ in case or accents)."""
        by_fold = {fold(source): name for source, name in self.mapping.items()}
        mapping: dict[str, str] = {}
        for header in headers:
            name = by_fold.get(fold(header))
            if name is not None and name not in mapping.values():
                mapping[header] = name
        return mapping


class MappingFile(BaseModel):
    """Every mapping a user made: the Data page's JSON download, `--mapping FILE`, and the
    `mappings` of a snapshot's manifest."""

    columns: list[SavedMapping] = Field(default_factory=list)
    channels: dict[str, str] = Field(default_factory=dict)
    statuses: dict[str, str] = Field(default_factory=dict)
    currency: str = "EUR"

    @field_validator("channels")
    @classmethod
    def _known_channels(cls, channels: dict[str, str]) -> dict[str, str]:
        return _known("channel", channels, CHANNELS)

    @field_validator("statuses")
    @classmethod
    def _known_statuses(cls, statuses: dict[str, str]) -> dict[str, str]:
        return _known("status", statuses, (*STATUSES, DELETED))

    @field_validator("currency")
    @classmethod
    def _iso_code(cls, currency: str) -> str:
        return currency_code(currency)

    @classmethod
    def of(cls, mappings: Mappings, columns: list[SavedMapping]) -> MappingFile:
        return cls(columns=columns, channels=mappings.channels, statuses=mappings.statuses,
                   currency=mappings.currency)

    def value_mappings(self) -> Mappings:
        return Mappings(dict(self.channels), dict(self.statuses), self.currency)


def _known(what: str, values: dict[str, str], allowed: tuple[str, ...]) -> dict[str, str]:
    unknown = sorted(set(values.values()) - set(allowed))
    if unknown:
        raise ValueError(f"unknown {what} {', '.join(unknown)} (expected one of "
                         f"{', '.join(allowed)})")
    return values


def currency_code(text: str) -> str:
    """An ISO 4217 code as three capital letters ('usd' -> 'USD'); ValueError otherwise."""
    code = text.strip().upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise ValueError(f"{text!r} is not a currency code such as EUR or USD")
    return code


def dominant_reject(report: FileReport) -> RejectedRow | None:
    """When every row of a file with data rows was rejected: the first row rejected for the
    most frequent reason (a failed file, docs/tables.md). None otherwise."""
    if report.rows_accepted or not report.rows_rejected or not report.rejects:
        return None
    reason, _ = Counter(r.reason for r in report.rejects).most_common(1)[0]
    return next(r for r in report.rejects if r.reason == reason)


def all_rejected_message(report: FileReport) -> Message | None:
    """The one-line reason a file with every row rejected failed (the command line's)."""
    reject = dominant_reject(report)
    if reject is None:
        return None
    where = ([msg("where.column", column=reject.column)] if reject.column else []) + (
        [msg("where.example", value=reject.value)] if reject.value is not None else [])
    if not where:
        return msg("file.all_rejected", file=report.file, count=report.rows_rejected,
                   reason=reject.reason)
    return msg("file.all_rejected_at", file=report.file, count=report.rows_rejected,
               reason=reject.reason, where=where)


def _is_digest(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


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


@dataclass
class Workspace:
    """The canonical tables of one session, and the files they came from."""

    con: duckdb.DuckDBPyConnection = field(default_factory=_connect)
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
    # it ends after one report, so rows are not compressed (a checkpoint costs
    # more than it saves on a handful of queries).
    one_shot: bool = False
    # Bumped by every committed change: the session saves its draft when it moves.
    revision: int = 0
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def __post_init__(self) -> None:
        for kind in TableKind:
            self._create_table(kind.value, kind)

    # --- reading -----------------------------------------------------------

    def row_counts(self) -> dict[str, int]:
        """Rows per canonical table (0 = that export was not uploaded)."""
        return catalog.row_counts(self.con)

    def has(self, kind: TableKind) -> bool:
        return self.row_counts()[kind.value] > 0

    def reps(self, unassigned: str | None = None) -> list[str]:
        """Every rep named in any table, sorted; a missing owner is `unassigned` when
        given (as the metrics count it), else left out."""
        return catalog.reps(self.con, unassigned)

    def raw_values(self, limit: int = 500, source_file: str | None = None
                   ) -> tuple[dict[str, str], dict[str, str]]:
        """Raw channel and status values in the data (of one file when given) -> what they
        are read as (the Data page's mapping editors), sorted by raw value."""
        return (catalog.raw_values(self.con, FieldType.CHANNEL, limit, source_file),
                catalog.raw_values(self.con, FieldType.STATUS, limit, source_file))

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
                name = self._unique_name(name)
            source = Source(name, kind, mapping, sheet)
            # Replacing the users export: the owners its names replaced are read again.
            renamed = replace and self._renamed_owners(name)
            try:
                with self._keeping(source, data):
                    result = self._import(source, data)
                    put_away = (self.is_demo and not name.startswith(DEMO_PREFIX)
                                and result.report.rows_accepted > 0)
                    self._trim()
                    try:
                        self._transaction(lambda: self._load(name, result, replace, put_away))
                    finally:
                        result.staged.drop()
                    self._compact()
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
                table = source.report.table.value
                self._transaction(lambda: self._run(
                    f"DELETE FROM {table} WHERE source_file = ?", [name]))
                self._compact()
            self.sources.pop(name).close()

    def clear(self) -> None:
        """Empty every table and forget every file."""
        self._check_writable()
        with self._lock:
            def empty() -> None:
                for kind in TableKind:
                    self._run(f"DELETE FROM {kind.value}")
            self._transaction(empty)
            self._compact()
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

    def _reload(self, mappings: Mappings, without: str | None = None) -> None:
        """Read every loaded file again (but `without`) with `mappings`, all or nothing."""
        results: dict[str, ImportResult] = {}

        def reload() -> None:
            for kind in TableKind:
                self._run(f"DELETE FROM {kind.value}")
            for name, result in results.items():
                self._replace_rows(name, result, replace=False)
            self._name_owners()
        try:
            for name, source in self.sources.items():
                if name != without:
                    results[name] = self._import_as(source, source.data, mappings)
            self._trim()
            self._transaction(reload)
        finally:
            for result in results.values():
                result.staged.drop()
        self._compact()
        self.mappings = mappings
        for name, result in results.items():
            self.sources[name].report = result.report

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
        headers = [c.source for c in report.columns]
        return next((s for s in self.saved_mappings if s.matches(headers)), None)

    def mapping_file(self) -> MappingFile:
        """Every mapping of this workspace, as the Data page downloads it."""
        return MappingFile.of(self.mappings, self.saved_mappings)

    # --- snapshots -----------------------------------------------------------

    def save(self, folder: Path, extra: dict | None = None, keep_sources: bool = False) -> Path:
        """Write Parquet per table + a manifest, atomically and durably (kpi.files.atomic_folder).

        `keep_sources` (a draft) also keeps the uploads' bytes, up to
        MAX_KEPT_SOURCE_BYTES, so mapping edits still work once it is reopened.
        """
        folder = Path(folder)
        with atomic_folder(folder) as staging:
            counts = {}
            for kind in TableKind:
                table = self.con.sql(f"SELECT * FROM {kind.value}").to_arrow_table()
                pq.write_table(table, staging / f"{kind.value}.parquet")
                counts[kind.value] = table.num_rows
            manifest = {
                "format": 1,
                "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "tables": counts,
                "files": [r.model_dump(mode="json", exclude={"rejects"}) for r in self.reports],
                "mappings": self.mapping_file().model_dump(mode="json"),
                "is_demo": self.is_demo,
                **({"sources": self._save_sources(folder, staging)} if keep_sources else {}),
                **(extra or {}),
            }
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        return folder

    @classmethod
    def open(cls, folder: Path, read_only: bool = True) -> Workspace:
        """A new workspace holding a saved snapshot (read-only by default)."""
        folder = Path(folder)
        manifest = json.loads((folder / MANIFEST).read_text())
        workspace = cls()
        for kind in TableKind:
            path = folder / f"{kind.value}.parquet"
            if path.exists():
                table = pq.read_table(path)
                workspace._insert(kind.value, table)
        mappings = MappingFile.model_validate(manifest.get("mappings", {}))
        workspace.mappings = mappings.value_mappings()
        workspace.saved_mappings = mappings.columns
        workspace._compact()
        workspace.sources = {
            f["file"]: Source(f["file"], report=FileReport.model_validate(f))
            for f in manifest.get("files", [])
        }
        for kept in manifest.get("sources", []):
            workspace._reopen_source(folder, kept)
        workspace.is_demo = bool(manifest.get("is_demo"))
        workspace.read_only = read_only
        return workspace

    def _save_sources(self, folder: Path, staging: Path) -> list[dict]:
        """Each upload's bytes under its digest (linked from the previous save when there)."""
        (staging / SOURCES_DIR).mkdir()
        kept, total = [], 0
        for name, source in self.sources.items():
            size = source.size if source.digest else 0
            stored = bool(size) and total + size <= MAX_KEPT_SOURCE_BYTES
            if stored:
                total += size
                _store(source, folder / SOURCES_DIR, staging / SOURCES_DIR)
            kept.append({"file": name, "kind": source.kind and source.kind.value,
                         "mapping": source.mapping, "sheet": source.sheet,
                         "digest": source.digest if stored else None})
        return kept

    def _reopen_source(self, folder: Path, kept: dict) -> None:
        """Put back what re-importing a saved upload needs: its bytes and how it was read."""
        source = self.sources.get(kept["file"])
        if source is None:
            return
        source.kind = TableKind(kept["kind"]) if kept.get("kind") else None
        source.mapping, source.sheet = kept.get("mapping"), kept.get("sheet")
        digest = kept.get("digest")
        if digest and _is_digest(digest):
            source.keep((folder / SOURCES_DIR / digest).read_bytes())

    def close(self) -> None:
        for source in self.sources.values():
            source.close()
        self.con.close()

    # --- internals -----------------------------------------------------------

    def _create_table(self, name: str, kind: TableKind) -> None:
        columns = ", ".join(f"{quote_identifier(c)} {t}" for c, t in TABLE_COLUMNS[kind].items())
        self._run(f"CREATE OR REPLACE TABLE {name} ({columns})")

    def _insert(self, table_name: str, rows: pa.Table) -> None:
        self.con.register("_incoming", rows)
        try:
            self._run(f"INSERT INTO {table_name} BY NAME SELECT * FROM _incoming")
        finally:
            self.con.unregister("_incoming")

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

    def _rule(self, source: Source, report: FileReport
              ) -> tuple[TableKind | None, dict[str, str], Message | None] | None:
        """(table, mapping, note) from a saved mapping or the overrides; None when there is
        none, when an explicit mapping was given, or when a loaded file was read that way
        (a refused file's columns may hold suggestions, not what was tried)."""
        if source.mapping is not None:
            return None
        saved = self.saved_mapping_for(report)
        if saved is not None and source.kind in (None, saved.table):
            rule = (saved.table, saved.mapping_for([c.source for c in report.columns]),
                    SAVED_MAPPING_NOTE)
        else:
            overridden = self._overridden(source.kind, report)
            if overridden is None:
                return None
            rule = (*overridden, None)
        unchanged = report.error is None and rule[:2] == (report.table, report.mapping)
        return None if unchanged else rule

    def _overridden(self, kind: TableKind | None, report: FileReport
                    ) -> tuple[TableKind, dict[str, str]] | None:
        """The recognised mapping with `column_overrides` applied to the headers they name."""
        rules = {fold(header): name for header, name in self.column_overrides.items()}
        hits = {c.source: rules[fold(c.source)] for c in report.columns
                if fold(c.source) in rules}
        table = (kind or _table_with(set(hits.values()), report.table)) if hits else None
        if table is None:
            return None
        names = _field_names(table)
        hits = {source: name for source, name in hits.items() if name in names}
        kept = {source: name for source, name in report.mapping.items()
                if source not in hits and name not in hits.values() and name in names}
        return table, {**kept, **hits}

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
        """Inside a transaction: the demo's rows go first when the user's file replaces them."""
        if put_away:
            for kind in TableKind:
                self._run(f"DELETE FROM {kind.value} WHERE starts_with(source_file, ?)",
                          [DEMO_PREFIX])
        self._replace_rows(name, result, replace)
        self._name_owners()

    def _renamed_owners(self, name: str) -> bool:
        """Whether the file of this name was the users export (whose names owners took)."""
        old = self.sources.get(name)
        return old is not None and old.report is not None and \
            old.report.table is TableKind.USERS

    def _name_owners(self) -> None:
        """Inside a transaction: owners exported as user ids take the users export's names
        (docs/tables.md, Users). Nothing to do, and no scan, without a users export."""
        if not self._run("SELECT count(*) FROM users WHERE full_name IS NOT NULL")[0][0]:
            return
        for spec in TABLES.values():
            if spec.owner_field:
                table, owner = quote_identifier(spec.name), quote_identifier(spec.owner_field)
                self._run(f"UPDATE {table} AS t SET {owner} = u.full_name FROM users AS u "
                          f"WHERE t.{owner} = u.user_id AND u.full_name IS NOT NULL")

    def _forget_demo(self) -> None:
        for name in [n for n in self.sources if n.startswith(DEMO_PREFIX)]:
            self.sources.pop(name).close()
        self.is_demo = False
        self.demo_replaced = True

    def _replace_rows(self, name: str, result: ImportResult, replace: bool) -> None:
        """Inside a transaction: drop the file's old rows, reject ids held by other files."""
        report = result.report
        assert report.table is not None and result.staged is not None
        table = report.table.value
        if replace:
            old = self.sources.get(name)
            if old is not None and old.report is not None and old.report.table is not None:
                self._run(f"DELETE FROM {old.report.table.value} WHERE source_file = ?", [name])
        staged = result.staged
        rows = f"({staged.rows})"
        id_field = ID_FIELD[report.table]
        if id_field and report.rows_accepted and self._run(f"SELECT count(*) FROM {table}")[0][0]:
            column = quote_identifier(id_field)
            taken = f"{staged.temp_tables[0]}_taken"
            staged.temp_tables.append(taken)
            self._run(f"CREATE TEMP TABLE {taken} AS SELECT n._line, n.id FROM ({staged.ids}) n "
                      f"SEMI JOIN {table} t ON t.{column} = n.id")
            count = self._run(f"SELECT count(*) FROM {taken}")[0][0]
            if count:
                self._reject_taken(report, id_field, count, self._run(
                    f"SELECT _line, id FROM {taken} ORDER BY _line LIMIT {MAX_REJECTS_LISTED}"))
                rows = f"(SELECT * FROM {rows} n ANTI JOIN {taken} k ON k._line = n._line)"
        try:
            inserted = self._run(f"INSERT INTO {table} SELECT * EXCLUDE (_line) FROM {rows}",
                                 staged.params)[0][0]
        except duckdb.OutOfMemoryException as exc:
            raise too_large(name) from exc
        check_count(inserted, report.rows_accepted)

    @staticmethod
    def _reject_taken(report: FileReport, id_field: str, count: int,
                      taken: list[tuple[int, str]]) -> None:
        """Report the rows whose id another file already brought (the first file wins)."""
        column = next((c.source for c in report.columns if c.field == id_field), id_field)
        rejects = report.rejects + [
            RejectedRow(row=line, column=column, value=value,
                        reason=msg("reject.duplicate_loaded", field=field_label(id_field)))
            for line, value in taken
        ]
        report.rejects = sorted(rejects, key=lambda r: r.row)[:MAX_REJECTS_LISTED]
        report.rows_rejected += count
        report.rows_accepted -= count
        note = msg("note.rejects_capped", count=MAX_REJECTS_LISTED)
        if report.rows_rejected > MAX_REJECTS_LISTED and note not in report.notes:
            report.notes.append(note)

    @contextmanager
    def _keeping(self, source: Source, data: bytes) -> Iterator[None]:
        """Write the upload out for `source` (I/O, no GIL) while the block imports it.

        The caller closes `source` when the block fails (a refused file keeps it)."""
        if self.one_shot:
            yield
            return
        keeper = threading.Thread(target=source.keep, args=(data,), daemon=True)
        keeper.start()
        try:
            yield
        finally:
            keeper.join()

    def _trim(self) -> None:
        """Give the memory an import has freed back to the system before the insert allocates.

        DuckDB and Arrow (kpi.ingest.read) allocate with malloc, which keeps
        freed memory in its arenas: ~50 MB at 1M deals that the insert's
        uncompressed rows would stack on top of (at the price of ~50 ms of page
        faults). A one-shot run has the machine to itself.
        """
        if _malloc_trim is not None and not self.one_shot:
            _malloc_trim(0)

    def _compact(self) -> None:
        """Write changed rows in compressed form (in-memory rows stay raw until a checkpoint)."""
        if not self.one_shot:
            self._run("CHECKPOINT")

    def _transaction(self, change) -> None:  # noqa: ANN001 - a zero-argument callable
        self._run("BEGIN TRANSACTION")
        try:
            change()
        except BaseException:
            self._run("ROLLBACK")
            raise
        self._run("COMMIT")
        self.revision += 1

    def _run(self, sql: str, parameters: list | dict | None = None) -> list[tuple]:
        """Execute and drain: DuckDB 2.0 refuses the next query while a result is unfinished."""
        return self.con.execute(sql, parameters).fetchall()

    def _unique_name(self, name: str) -> str:
        """A loaded file keeps its name; a refused one is replaced by the user's next try."""
        if name not in self.sources:
            return name
        number = 2
        while f"{name} ({number})" in self.sources:
            number += 1
        return f"{name} ({number})"

    def _check_writable(self) -> None:
        if self.read_only:
            raise PermissionError("This workspace is a published snapshot: it is read-only.")
