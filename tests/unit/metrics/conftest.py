"""Real in-memory DuckDB workspaces for the metric tests (no mocks).

`workspace(deals=[...], leads=[...], ...)` creates the six canonical tables with
exactly the columns and types of kpi.schema.TABLE_COLUMNS (the contract the
workspace guarantees) and inserts the given rows; a column left out of a row is
NULL, a table left out is empty. Dates may be written as ISO strings.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from kpi.schema import TABLE_COLUMNS

_ARROW_TYPES = {
    "VARCHAR": pa.string(),
    "DATE": pa.date32(),
    "DOUBLE": pa.float64(),
    "BIGINT": pa.int64(),
}

Row = dict[str, Any]
WorkspaceFactory = Callable[..., duckdb.DuckDBPyConnection]


def _cell(value: Any, duck_type: str) -> Any:
    if duck_type == "DATE" and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def build_workspace(**tables: list[Row]) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory workspace holding the given rows (unknown names raise)."""
    unknown_tables = set(tables) - {kind.value for kind in TABLE_COLUMNS}
    if unknown_tables:
        raise ValueError(f"unknown tables {sorted(unknown_tables)}")
    con = duckdb.connect(":memory:")
    for kind, columns in TABLE_COLUMNS.items():
        rows = tables.get(kind.value, [])
        for row in rows:
            unknown = set(row) - set(columns)
            if unknown:
                raise ValueError(f"{kind.value} has no column(s) {sorted(unknown)}")
        # ENUM columns (channel, status) travel as text and are cast by the insert.
        schema = pa.schema([(name, _ARROW_TYPES.get(t, pa.string())) for name, t in columns.items()])
        data = [{name: _cell(row.get(name), t) for name, t in columns.items()} for row in rows]
        # The table with the workspace's exact column types; names and types
        # come from kpi.schema, values only travel as Arrow data.
        definition = ", ".join(f'"{name}" {t}' for name, t in columns.items())
        con.execute(f'CREATE TABLE "{kind.value}" ({definition})')
        con.from_arrow(pa.Table.from_pylist(data, schema=schema)).insert_into(kind.value)
    return con


@pytest.fixture(scope="session")
def workspace() -> WorkspaceFactory:
    """The factory itself: session-scoped so hypothesis tests can use it too."""
    return build_workspace
