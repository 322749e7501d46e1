"""One session's data: an in-memory DuckDB holding the six canonical tables.

A `Workspace` belongs to exactly one browser session (kept in
`st.session_state`, never in a global cache) or one command-line run. The six
tables always exist, empty until an export of that kind is loaded, so metrics
never have to ask whether a table is there.

Every change (add, replace, remove, remap) is all-or-nothing: a file that
fails leaves the tables exactly as they were.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kpi.ingest import ImportResult, Mappings, import_file
from kpi.ingest.parse import quote_identifier
from kpi.schema import ID_FIELD, TABLE_COLUMNS, FileReport, RejectedRow, TableKind

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
MANIFEST = "manifest.json"

# Several sessions share a small machine: each connection gets few threads and
# a memory ceiling (spilling is off for in-memory databases).
CONNECTION_CONFIG = {"threads": 2, "memory_limit": "2GB", "preserve_insertion_order": True}


@dataclass
class Source:
    """An uploaded file as the user gave it, kept so a mapping edit can re-read it."""

    name: str
    data: bytes
    kind: TableKind | None = None
    mapping: dict[str, str] | None = None
    sheet: str | None = None
    report: FileReport | None = None


@dataclass
class Workspace:
    """The canonical tables of one session, and the files they came from."""

    con: duckdb.DuckDBPyConnection = field(
        default_factory=lambda: duckdb.connect(":memory:", config=CONNECTION_CONFIG))
    sources: dict[str, Source] = field(default_factory=dict)
    mappings: Mappings = field(default_factory=Mappings)
    is_demo: bool = False
    read_only: bool = False
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
            result = import_file(data, name, kind=kind, mapping=mapping, mappings=self.mappings,
                                 sheet=sheet)
            self._transaction(lambda: self._replace_rows(name, result, replace))
            self.sources[name] = Source(name, data, kind, mapping, sheet, result.report)
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
            del self.sources[name]

    def clear(self) -> None:
        """Empty every table and forget every file."""
        self._check_writable()
        with self._lock:
            def empty() -> None:
                for kind in TableKind:
                    self._run(f"DELETE FROM {kind.value}")
            self._transaction(empty)
            self.sources.clear()
            self.is_demo = False

    def set_mappings(self, mappings: Mappings) -> None:
        """Apply edited channel/status mappings to every loaded file (all or nothing)."""
        self._check_writable()
        with self._lock:
            previous = self.mappings
            self.mappings = mappings
            try:
                results = {
                    name: import_file(s.data, name, kind=s.kind, mapping=s.mapping,
                                      mappings=mappings, sheet=s.sheet)
                    for name, s in self.sources.items()
                }
            except Exception:
                self.mappings = previous
                raise

            def reload() -> None:
                for kind in TableKind:
                    self._run(f"DELETE FROM {kind.value}")
                for name, result in results.items():
                    self._replace_rows(name, result, replace=False)
            self._transaction(reload)
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
        workspace.sources = {
            f["file"]: Source(f["file"], b"", report=FileReport.model_validate(f))
            for f in manifest.get("files", [])
        }
        workspace.is_demo = bool(manifest.get("is_demo"))
        workspace.read_only = read_only
        return workspace

    def close(self) -> None:
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
        assert report.table is not None
        table = report.table.value
        if replace:
            old = self.sources.get(name)
            if old is not None and old.report is not None and old.report.table is not None:
                self._run(f"DELETE FROM {old.report.table.value} WHERE source_file = ?", [name])
        rows = result.table
        id_field = ID_FIELD[report.table]
        if id_field and rows.num_rows:
            taken = self._ids_held(table, id_field, rows[id_field])
            if taken:
                is_taken = pc.is_in(rows[id_field], value_set=pa.array(sorted(taken)))
                lines = pc.filter(result.lines, is_taken).to_pylist()
                ids = pc.filter(rows[id_field], is_taken).to_pylist()
                column = next((c.source for c in report.columns if c.field == id_field), id_field)
                report.rejects = sorted(report.rejects + [
                    RejectedRow(row=line, column=column, value=value,
                                reason=f"duplicate {id_field}: already loaded from another file "
                                       "(first one kept)")
                    for line, value in zip(lines, ids, strict=True)
                ], key=lambda r: r.row)
                report.rows_rejected += len(ids)
                report.rows_accepted -= len(ids)
                rows = rows.filter(pc.invert(is_taken))
        self._insert(table, rows)

    def _ids_held(self, table: str, id_field: str, ids: pa.ChunkedArray) -> set[str]:
        self.con.register("_new_ids", pa.table({"id": ids}))
        try:
            column = quote_identifier(id_field)
            held = self._run(
                f"SELECT DISTINCT n.id FROM _new_ids n JOIN {table} t ON t.{column} = n.id")
        finally:
            self.con.unregister("_new_ids")
        return {row[0] for row in held}

    def _transaction(self, change) -> None:  # noqa: ANN001 - a zero-argument callable
        self._run("BEGIN TRANSACTION")
        try:
            change()
        except BaseException:
            self._run("ROLLBACK")
            raise
        self._run("COMMIT")

    def _run(self, sql: str, parameters: list | None = None) -> list[tuple]:
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
