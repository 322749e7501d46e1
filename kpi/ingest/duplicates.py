"""The cross-file duplicate rule: an id another loaded file already brought is rejected.

A file's own duplicates are settled by `normalise` (the first line wins);
across files the first file loaded wins (docs/tables.md). The rule runs
when the workspace inserts a file's accepted rows, inside its transaction and
in its connection, so the rows never come back to Python.
"""

from __future__ import annotations

import duckdb

from kpi.ingest.normalise import MAX_REJECTS_LISTED, Staged, check_count, too_large
from kpi.ingest.parse import quote_identifier
from kpi.messages import field_label, msg
from kpi.schema import ID_FIELD, FileReport, RejectedRow


def insert_new_rows(staged: Staged, report: FileReport) -> None:
    """Insert a file's accepted rows into its table, but those whose id is already there:
    they are rejected in `report` instead. Raises UnreadableFile when memory runs out."""
    assert report.table is not None
    con, table = staged.con, report.table.value
    rows = f"({staged.rows})"
    id_field = ID_FIELD[report.table]
    if id_field and report.rows_accepted and _scalar(con, f"SELECT count(*) FROM {table}"):
        column = quote_identifier(id_field)
        taken = staged.temp_table("taken")
        con.execute(f"CREATE TEMP TABLE {taken} AS SELECT n._line, n.id FROM ({staged.ids}) n "
                    f"SEMI JOIN {table} t ON t.{column} = n.id").fetchall()
        count = _scalar(con, f"SELECT count(*) FROM {taken}")
        if count:
            _reject_taken(report, id_field, count, con.execute(
                f"SELECT _line, id FROM {taken} ORDER BY _line LIMIT {MAX_REJECTS_LISTED}"
            ).fetchall())
            rows = f"(SELECT * FROM {rows} n ANTI JOIN {taken} k ON k._line = n._line)"
    try:
        inserted = _scalar(con, f"INSERT INTO {table} SELECT * EXCLUDE (_line) FROM {rows}",
                           staged.params)
    except duckdb.OutOfMemoryException as exc:
        raise too_large(report.file) from exc
    check_count(inserted, report.rows_accepted)


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, parameters: dict | None = None) -> int:
    """Execute and drain: DuckDB 2.0 refuses the next query while a result is unfinished."""
    return con.execute(sql, parameters).fetchall()[0][0]


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
