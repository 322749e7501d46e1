"""The one interface the KPI queries run through: `execute(sql, parameters)` (docs/scale-out.md).

A DuckDB connection is an Engine as it is (the default: no wrapper, so no
cost); `kpi.warehouse`'s PostgresEngine and SparkEngine are others, which
compile the same DuckDB SQL for their engine. Queries return only aggregated rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class Rows(Protocol):
    """A finished query's result: column descriptions, then every row (fetch them all)."""

    @property
    def description(self) -> Sequence[Sequence[Any]] | None: ...

    def fetchall(self) -> list[tuple[Any, ...]]: ...

    def fetchone(self) -> tuple[Any, ...] | None: ...


class Engine(Protocol):
    """Runs one parameterised query written in DuckDB's SQL (`$name` or `?` parameters)."""

    def execute(self, query: str, parameters: Any = None, /) -> Rows: ...
