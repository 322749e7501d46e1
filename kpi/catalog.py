"""Queries over every declared table: row counts, the data's span, the reps, the channels,
raw values.

Each is built from `kpi.schema.TABLES`, so a table added there is counted,
spanned and searched for reps and raw values with no edit here
(docs/tables.md). Identifiers come from the declaration and are quoted;
values travel as parameters.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from kpi.engine import Engine
from kpi.ingest.parse import quote_identifier as q
from kpi.schema import CHANNELS, TABLES, FieldType


def _fetch(con: Engine, sql: str, parameters: list | None = None
           ) -> list[tuple]:
    """Execute and drain: DuckDB 2.0 refuses the next query while a result is unfinished."""
    return con.execute(sql, parameters).fetchall()


@cache
def _counts_sql() -> str:
    return "SELECT " + ", ".join(
        f"(SELECT count(*) FROM {q(spec.name)}) AS {q(spec.name)}" for spec in TABLES.values())


def row_counts(con: Engine) -> dict[str, int]:
    """Rows per canonical table (0 = that export was not uploaded)."""
    row = _fetch(con, _counts_sql())[0]
    return {spec.name: int(count) for spec, count in zip(TABLES.values(), row, strict=True)}


@cache
def _span_sql() -> str:
    parts = []
    for spec in TABLES.values():
        table = q(spec.name)
        parts += [f"SELECT min({q(c)}) AS lo, max({q(c)}) AS hi FROM {table}"
                  for c in spec.stored_of(FieldType.DATE)]
        # A month covers its whole month.
        parts += [f"SELECT CAST(date_trunc('month', min({q(c)})) AS DATE), last_day(max({q(c)}))"
                  f" FROM {table}" for c in spec.stored_of(FieldType.MONTH)]
    return "SELECT min(lo), max(hi) FROM (" + "\nUNION ALL ".join(parts) + ")"


def data_span(con: Engine) -> tuple[date | None, date | None]:
    """Earliest and latest date of the loaded data, (None, None) for an empty workspace."""
    lo, hi = _fetch(con, _span_sql())[0]
    return lo, hi


@cache
def _reps_sql() -> str:
    owners = " UNION ALL ".join(f"SELECT {q(spec.owner_field)} AS owner FROM {q(spec.name)}"
                                for spec in TABLES.values() if spec.owner_field)
    # The alias is read one level up: PostgreSQL's WHERE cannot see a SELECT's alias.
    return (f"SELECT DISTINCT rep FROM (SELECT coalesce(owner, ?) AS rep FROM ({owners})) "
            "WHERE rep IS NOT NULL ORDER BY rep")


def reps(con: Engine, unassigned: str | None = None) -> list[str]:
    """Every rep named in any table, sorted; a missing owner is `unassigned` when given
    (as the metrics count it), else left out."""
    return [row[0] for row in _fetch(con, _reps_sql(), [unassigned])]


@cache
def _channels_sql() -> str:
    columns = " UNION ".join(f"SELECT DISTINCT {q(name)} AS channel FROM {q(spec.name)}"
                             for spec in TABLES.values()
                             for name in spec.stored_of(FieldType.CHANNEL))
    return f"SELECT channel FROM ({columns}) WHERE channel IS NOT NULL"


def channels(con: Engine) -> list[str]:
    """The channels some table's rows carry (deals, leads, spend), in the declared order:
    the channel filter offers these and no others."""
    present = {row[0] for row in _fetch(con, _channels_sql())}
    return [channel for channel in CHANNELS if channel in present]


@cache
def _raw_values_sql(field_type: FieldType) -> str:
    selects = " UNION ALL ".join(
        f"SELECT {q(name + '_raw')} AS raw, {q(name)} AS value, source_file FROM {q(spec.name)}"
        for spec in TABLES.values() for name in spec.stored_of(field_type))
    return (f"SELECT raw, any_value(value) FROM ({selects}) WHERE raw IS NOT NULL AND "
            "(?::VARCHAR IS NULL OR source_file = ?) GROUP BY 1 ORDER BY 1 LIMIT ?")


def raw_values(con: Engine, field_type: FieldType, limit: int = 500,
               source_file: str | None = None) -> dict[str, str]:
    """Raw values of every channel (or status) column -> what they are read as, sorted by
    raw value; of one file when `source_file` is given."""
    rows = _fetch(con, _raw_values_sql(field_type), [source_file, source_file, limit])
    return {raw: str(value) for raw, value in rows}


@cache
def _summary_sql() -> str:
    selects = []
    for spec in TABLES.values():
        table = q(spec.name)
        latest = [f"max({q(c)})" for c in spec.stored_of(FieldType.DATE)]
        latest += [f"last_day(max({q(c)}))" for c in spec.stored_of(FieldType.MONTH)]
        newest = (f"greatest({', '.join(latest)})" if len(latest) > 1
                  else latest[0] if latest else "CAST(NULL AS DATE)")
        selects.append(f"SELECT CAST(? AS VARCHAR) AS name, count(*) AS n, {newest} AS latest "
                       f"FROM {table}")
    return "\nUNION ALL ".join(selects)


def table_summary(con: Engine) -> dict[str, tuple[int, date | None]]:
    """Rows and latest date (of any date or month column) per canonical table, in one query:
    what a warehouse source holds (the Data page in warehouse mode)."""
    names = [spec.name for spec in TABLES.values()]
    found = {name: (int(n), latest) for name, n, latest in _fetch(con, _summary_sql(), names)}
    return {name: found[name] for name in names}
