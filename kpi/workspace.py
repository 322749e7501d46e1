"""One session's data: an in-memory DuckDB holding the six canonical tables.

A `Workspace` belongs to exactly one browser session (kept in
`st.session_state`, never in a global cache) or one command-line run. The six
tables always exist, empty until an export of that kind is loaded, so metrics
never have to ask whether a table is there.

Every change (add, replace, remove, remap) is all-or-nothing: a file that
fails leaves the tables exactly as they were.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from kpi.ingest import ImportResult, Mappings, import_file
from kpi.ingest.normalise import MAX_REJECTS_LISTED, check_count, too_large
from kpi.ingest.parse import quote_identifier
from kpi.schema import ID_FIELD, TABLE_COLUMNS, FileReport, RejectedRow, TableKind

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
MANIFEST = "manifest.json"
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

    def keep(self, data: bytes) -> None:
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


@dataclass
class Workspace:
    """The canonical tables of one session, and the files they came from."""

    con: duckdb.DuckDBPyConnection = field(default_factory=_connect)
    sources: dict[str, Source] = field(default_factory=dict)
    mappings: Mappings = field(default_factory=Mappings)
    is_demo: bool = False
    read_only: bool = False
    # A command-line run: it never edits a mapping, so uploads are not kept;
    # it ends after one report, so rows are not compressed (a checkpoint costs
    # more than it saves on a handful of queries).
    one_shot: bool = False
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def __post_init__(self) -> None:
        for kind in TableKind:
            self._create_table(kind.value, kind)

    # --- reading -----------------------------------------------------------

    def row_counts(self) -> dict[str, int]:
        """Rows per canonical table (0 = that export was not uploaded)."""
        selects = ", ".join(f"(SELECT count(*) FROM {kind.value})" for kind in TableKind)
        counts = self._run(f"SELECT {selects}")[0]
        return {kind.value: count for kind, count in zip(TableKind, counts, strict=True)}

    def has(self, kind: TableKind) -> bool:
        return self.row_counts()[kind.value] > 0

    def reps(self, unassigned: str | None = None) -> list[str]:
        """Every rep named in any table, sorted; a missing owner is `unassigned` when
        given (as the metrics count it), else left out."""
        rows = self._run(
            "SELECT DISTINCT coalesce(owner, ?) AS rep FROM (SELECT owner FROM deals "
            "UNION ALL SELECT owner FROM leads UNION ALL SELECT owner FROM proposals "
            "UNION ALL SELECT owner FROM content UNION ALL SELECT owner FROM compensation) "
            "WHERE rep IS NOT NULL ORDER BY rep", [unassigned])
        return [row[0] for row in rows]

    def raw_values(self, limit: int = 500) -> tuple[dict[str, str], dict[str, str]]:
        """Raw channel and status values in the data -> what they are read as (the
        Data page's mapping editors), sorted by raw value."""
        channels = self._run(
            "SELECT channel_raw, any_value(channel) FROM (SELECT channel_raw, channel FROM deals "
            "UNION ALL SELECT channel_raw, channel FROM leads UNION ALL SELECT channel_raw, "
            "channel FROM channel_costs) WHERE channel_raw IS NOT NULL GROUP BY 1 ORDER BY 1 "
            "LIMIT ?", [limit])
        statuses = self._run(
            "SELECT status_raw, any_value(status) FROM (SELECT status_raw, status FROM deals "
            "UNION ALL SELECT status_raw, status FROM proposals) WHERE status_raw IS NOT NULL "
            "GROUP BY 1 ORDER BY 1 LIMIT ?", [limit])
        return dict(channels), dict(statuses)

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

        Raises UnreadableFile (and changes nothing) when the file cannot be used.
        """
        self._check_writable()
        with self._lock:
            if not replace:
                name = self._unique_name(name)
            source = Source(name, kind, mapping, sheet)
            with self._keeping(source, data):
                result = import_file(data, name, kind=kind, mapping=mapping,
                                     mappings=self.mappings, sheet=sheet, con=self.con)
                self._trim()
                try:
                    self._transaction(lambda: self._replace_rows(name, result, replace))
                finally:
                    result.staged.drop()
                self._compact()
            old = self.sources.get(name)
            if old is not None:
                old.close()
            source.report = result.report
            self.sources[name] = source
            self.is_demo = self.is_demo and name.startswith("demo/")
            return result.report

    def remove_file(self, name: str) -> None:
        """Drop the rows a file brought."""
        self._check_writable()
        with self._lock:
            source = self.sources.get(name)
            if source is None or source.report is None or source.report.table is None:
                return
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
            for source in self.sources.values():
                source.close()
            self.sources.clear()
            self.is_demo = False

    def set_mappings(self, mappings: Mappings) -> None:
        """Apply edited channel/status mappings to every loaded file (all or nothing)."""
        self._check_writable()
        with self._lock:
            results: dict[str, ImportResult] = {}

            def reload() -> None:
                for kind in TableKind:
                    self._run(f"DELETE FROM {kind.value}")
                for name, result in results.items():
                    self._replace_rows(name, result, replace=False)
            try:
                for name, s in self.sources.items():
                    results[name] = import_file(s.data, name, kind=s.kind, mapping=s.mapping,
                                                mappings=mappings, sheet=s.sheet, con=self.con)
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
        reports = [self.add_file(path.read_bytes(), f"demo/{path.name}")
                   for path in sorted(folder.glob("*.csv"))]
        self.is_demo = True
        return reports

    # --- snapshots -----------------------------------------------------------

    def save(self, folder: Path, extra: dict | None = None) -> Path:
        """Write Parquet per table + a manifest, atomically (temp folder, then rename)."""
        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
        try:
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
                "mappings": {"channels": self.mappings.channels,
                             "statuses": self.mappings.statuses},
                "is_demo": self.is_demo,
                **(extra or {}),
            }
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
            if folder.exists():
                shutil.rmtree(folder)
            os.replace(staging, folder)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
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
        mappings = manifest.get("mappings", {})
        workspace.mappings = Mappings(mappings.get("channels", {}), mappings.get("statuses", {}))
        workspace._compact()
        workspace.sources = {
            f["file"]: Source(f["file"], report=FileReport.model_validate(f))
            for f in manifest.get("files", [])
        }
        workspace.is_demo = bool(manifest.get("is_demo"))
        workspace.read_only = read_only
        return workspace

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
                        reason=f"duplicate {id_field}: already loaded from another file "
                               "(first one kept)")
            for line, value in taken
        ]
        report.rejects = sorted(rejects, key=lambda r: r.row)[:MAX_REJECTS_LISTED]
        report.rows_rejected += count
        report.rows_accepted -= count
        note = f"Only the first {MAX_REJECTS_LISTED} rejected rows are listed."
        if report.rows_rejected > MAX_REJECTS_LISTED and note not in report.notes:
            report.notes.append(note)

    @contextmanager
    def _keeping(self, source: Source, data: bytes) -> Iterator[None]:
        """Write the upload out for `source` (I/O, no GIL) while the block imports it."""
        if self.one_shot:
            yield
            return
        keeper = threading.Thread(target=source.keep, args=(data,), daemon=True)
        keeper.start()
        try:
            yield
        except BaseException:
            keeper.join()
            source.close()
            raise
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

    def _run(self, sql: str, parameters: list | dict | None = None) -> list[tuple]:
        """Execute and drain: DuckDB 2.0 refuses the next query while a result is unfinished."""
        return self.con.execute(sql, parameters).fetchall()

    def _unique_name(self, name: str) -> str:
        if name not in self.sources:
            return name
        number = 2
        while f"{name} ({number})" in self.sources:
            number += 1
        return f"{name} ({number})"

    def _check_writable(self) -> None:
        if self.read_only:
            raise PermissionError("This workspace is a published snapshot: it is read-only.")
