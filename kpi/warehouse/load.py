"""Write a workspace's canonical tables into PostgreSQL: `python -m kpi load` (docs/scale-out.md).

The files went through the same importer as the app (recognition, mappings,
rejects); this copies its accepted rows. Every declared table is created when
missing, with the workspace's columns (kpi.schema.TABLE_COLUMNS). Per table,
either the loaded files' rows replace the table, or they are appended after
deleting what earlier loads brought from files of the same names, so loading
the same files twice leaves the same rows. A row whose id another file
already brought is skipped, as the workspace rejects it. One transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import duckdb
import psycopg
from psycopg import sql
from pydantic import BaseModel

from kpi.messages import msg
from kpi.schema import ID_FIELD, TABLE_COLUMNS, TableKind

from .postgres import WarehouseError, connect, reason

# DuckDB's column types as PostgreSQL's; an ENUM (channel, status) is text there.
_TYPES = {"VARCHAR": "text", "DATE": "date", "DOUBLE": "double precision", "BIGINT": "bigint"}
_BATCH_ROWS = 10_000
SOURCE_COLUMN = "source_file"


class TableLoad(BaseModel):
    """What one table received: rows inserted, ids skipped, whether it was replaced."""

    inserted: int
    skipped_duplicate_ids: int
    replaced: bool
    rows: int  # in the table afterwards


def _create(cur: psycopg.Cursor, kind: TableKind) -> None:
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(_TYPES.get(duck, "text")))
        for name, duck in TABLE_COLUMNS[kind].items())
    cur.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {} ({})").format(
        sql.Identifier(kind.value), columns))


def _rows(duck: duckdb.DuckDBPyConnection, kind: TableKind) -> Iterable[tuple]:
    """The workspace's rows of one table, in batches (never all in memory at once)."""
    names = ", ".join(f'"{name}"' for name in TABLE_COLUMNS[kind])
    result = duck.execute(f'SELECT {names} FROM "{kind.value}"')
    while batch := result.fetchmany(_BATCH_ROWS):
        yield from batch


def _load_table(cur: psycopg.Cursor, duck: duckdb.DuckDBPyConnection, kind: TableKind,
                files: list[str], replace: bool) -> TableLoad:
    table = sql.Identifier(kind.value)
    columns = sql.SQL(", ").join(map(sql.Identifier, TABLE_COLUMNS[kind]))
    if replace:
        cur.execute(sql.SQL("DELETE FROM {}").format(table))
    else:
        cur.execute(sql.SQL("DELETE FROM {} WHERE {} = ANY(%s)").format(
            table, sql.Identifier(SOURCE_COLUMN)), [files])
    cur.execute(sql.SQL("CREATE TEMP TABLE kpi_stage (LIKE {}) ON COMMIT DROP").format(table))
    with cur.copy(sql.SQL("COPY kpi_stage ({}) FROM STDIN").format(columns)) as copy:
        staged = 0
        for row in _rows(duck, kind):
            copy.write_row(row)
            staged += 1
    id_field = ID_FIELD[kind]
    new = sql.SQL("")
    if id_field:
        new = sql.SQL(" WHERE NOT EXISTS (SELECT 1 FROM {t} AS t WHERE t.{i} = s.{i})").format(
            t=table, i=sql.Identifier(id_field))
    cur.execute(sql.SQL("INSERT INTO {} ({}) SELECT {} FROM kpi_stage AS s{}").format(
        table, columns, columns, new))
    inserted = cur.rowcount
    cur.execute(sql.SQL("DROP TABLE kpi_stage"))
    total = cur.execute(sql.SQL("SELECT count(*) FROM {}").format(table)).fetchone()
    return TableLoad(inserted=inserted, skipped_duplicate_ids=staged - inserted,
                     replaced=replace, rows=int(total[0]) if total else 0)


def load_tables(duck: duckdb.DuckDBPyConnection, url: str, files: list[str],
                tables: Collection[TableKind], replace: Collection[TableKind],
                schema: str = "public") -> dict[str, TableLoad]:
    """Copy `tables` (those the files filled) from the workspace into `schema` at `url`."""
    con = connect(url, schema)
    try:
        with con.transaction(), con.cursor() as cur:
            cur.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
            for kind in TABLE_COLUMNS:
                _create(cur, kind)
            return {kind.value: _load_table(cur, duck, kind, files, kind in replace)
                    for kind in TABLE_COLUMNS if kind in tables}
    except psycopg.Error as exc:
        raise WarehouseError(msg("warehouse.load_refused", reason=reason(exc))) from None
    finally:
        con.close()
