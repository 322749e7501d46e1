"""The KPI queries, written for DuckDB, compiled for other engines by SQLGlot (docs/scale-out.md).

PostgreSQL runs them (kpi/warehouse/postgres.py); Snowflake and BigQuery are
compiled and parsed back in their dialect but not run (no server here).

The families keep one SQL text per query (kpi/metrics/measures.py builds it);
SQLGlot's transpiler rewrites functions and casts, and the few DuckDB
conveniences it leaves as they are are rewritten here on its syntax tree:
`GROUP BY ALL`, `UNION ALL BY NAME`, a subquery in FROM with no alias
(PostgreSQL 15 wants one), `len()` of a list, `unnest(generate_series(...))`,
`make_date`. Parameters
(`$name`, `?`) become psycopg's `%(name)s` / `%s`, so values still travel as
parameters. A compiled text is cached: a page asks the same few queries.

Snowflake and BigQuery share the portable rewrites (GROUP BY ALL, UNION ALL
BY NAME) and have their own below (`to_snowflake`, `to_bigquery`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.dialects.bigquery import BigQuery
from sqlglot.dialects.dialect import rename_func
from sqlglot.dialects.postgres import Postgres
from sqlglot.dialects.snowflake import Snowflake

_ALIAS_PREFIX = "_q"


def _group_by_all(select: exp.Select) -> None:
    """`GROUP BY ALL` -> the positions of the select items that hold no aggregate."""
    group = select.args.get("group")
    if group is None or not group.args.get("all"):
        return
    positions = [exp.Literal.number(i) for i, item in enumerate(select.expressions, start=1)
                 if not item.find(exp.AggFunc)]
    select.set("group", exp.Group(expressions=positions))


def _branches(union: exp.Union) -> list[exp.Select]:
    """The selects of a chain of `UNION ALL BY NAME`, in order."""
    out: list[exp.Select] = []
    for side in (union.this, union.expression):
        if isinstance(side, exp.Union) and side.args.get("by_name"):
            out += _branches(side)
        else:
            out.append(side)
    return out


def _union_by_name(union: exp.Union) -> None:
    """`UNION ALL BY NAME` -> every branch selects every name, NULL where it has none.

    PostgreSQL types a NULL from the other branches, pairwise from the left, so
    the first branch must carry a typed value for every name (proposals.py does).
    """
    branches = _branches(union)
    names = list(dict.fromkeys(name for b in branches for name in b.named_selects))
    for branch in branches:
        items = dict(zip(branch.named_selects, branch.expressions, strict=True))
        branch.set("expressions", [items.get(name) or exp.alias_(exp.null(), name)
                                   for name in names])
    node: exp.Expression = union
    while isinstance(node, exp.Union) and node.args.get("by_name"):
        node.set("by_name", None)
        node = node.this


def _rewrite(node: exp.Expression, counter: list[int]) -> exp.Expression:
    """One node in PostgreSQL's terms (the tree is walked by `transform`)."""
    if isinstance(node, exp.Select):
        _group_by_all(node)
    elif isinstance(node, exp.Union) and node.args.get("by_name"):
        _union_by_name(node)
    elif isinstance(node, exp.Subquery) and not node.alias and isinstance(
            node.parent, (exp.From, exp.Join)):
        counter[0] += 1
        node.set("alias", exp.TableAlias(this=exp.to_identifier(f"{_ALIAS_PREFIX}{counter[0]}")))
    elif isinstance(node, exp.Length) and isinstance(node.this, exp.Cast) and \
            node.this.to.is_type(exp.DataType.Type.ARRAY):
        return exp.func("cardinality", node.this)
    elif isinstance(node, exp.Explode) and isinstance(node.this, exp.GenerateSeries):
        return node.this  # unnest(generate_series(...)): a set-returning function already
    elif isinstance(node, exp.Literal) and node.is_string and "%" in node.this:
        return exp.Literal.string(node.this.replace("%", "%%"))  # psycopg's escape
    return node


class _Postgres(Postgres):
    """PostgreSQL as SQLGlot writes it, plus `make_date` (PostgreSQL's own, since 9.4)."""

    class Generator(Postgres.Generator):
        TRANSFORMS = {**Postgres.Generator.TRANSFORMS,
                      exp.DateFromParts: rename_func("MAKE_DATE")}


@lru_cache(maxsize=512)
def to_postgres(duckdb_sql: str) -> str:
    """`duckdb_sql` as PostgreSQL with psycopg placeholders (raises on what it cannot say)."""
    tree = sqlglot.parse_one(duckdb_sql, read="duckdb")
    counter = [0]
    tree = tree.transform(lambda node: _rewrite(node, counter))
    return tree.sql(dialect=_Postgres, unsupported_level=sqlglot.ErrorLevel.RAISE)


# --- Snowflake and BigQuery: compiled, parsed back, not run (docs/scale-out.md) ---


def _is_list_parameter(node: exp.Expression) -> bool:
    """`CAST($reps AS VARCHAR[])`: a list of filter values."""
    return isinstance(node, exp.Cast) and isinstance(node.this, exp.Placeholder) and \
        node.to.is_type(exp.DataType.Type.ARRAY)


def _month_series_in_from(select: exp.Select) -> None:
    """`SELECT CAST(unnest(generate_series(d0, d1, INTERVAL 1 MONTH)) AS DATE) AS m`
    -> `SELECT CAST(m AS DATE) AS m FROM UNNEST(<date array>) AS _s(m)`.

    Neither engine has a date `generate_series` nor a set-returning function in
    the select list; SQLGlot writes a date array in FROM as each engine's own.
    """
    if select.args.get("from_") or len(select.expressions) != 1:
        return
    item = select.expressions[0]
    explode = item.find(exp.Explode)
    if explode is None or not isinstance(explode.this, exp.GenerateSeries) or \
            not isinstance(explode.this.args.get("step"), exp.Interval):
        return
    series, name = explode.this, item.alias_or_name
    dates = exp.GenerateDateArray(start=series.args["start"], end=series.args["end"],
                                  step=series.args["step"])
    explode.replace(exp.column(name))
    select.from_(exp.Unnest(expressions=[dates], alias=exp.TableAlias(
        this=exp.to_identifier("_s"), columns=[exp.to_identifier(name)])), copy=False)


def _portable(node: exp.Expression) -> exp.Expression:
    """The rewrites Snowflake and BigQuery share with PostgreSQL's."""
    if isinstance(node, exp.Select):
        _group_by_all(node)
        _month_series_in_from(node)
    elif isinstance(node, exp.Union) and node.args.get("by_name"):
        _union_by_name(node)
    return node


def _snowflake_rewrite(node: exp.Expression) -> exp.Expression:
    """One node in Snowflake's terms, for the Python connector's `pyformat` binding.

    That binding writes a list as `'a', 'b'` (empty: nothing), so a list of
    filter values becomes the array constant `[%(reps)s]`.
    """
    node = _portable(node)
    if isinstance(node, exp.Length) and _is_list_parameter(node.this):
        return exp.func("ARRAY_SIZE", exp.Array(expressions=[node.this.this]))
    if _is_list_parameter(node):
        return exp.Array(expressions=[node.this])
    if isinstance(node, exp.Literal) and node.is_string and "%" in node.this:
        return exp.Literal.string(node.this.replace("%", "%%"))
    return node


def _bigquery_rewrite(node: exp.Expression) -> exp.Expression:
    """One node in BigQuery's terms (a list parameter is an ARRAY<STRING> query parameter).

    `CAST(date_trunc('month', d) AS DATE)` is BigQuery's DATE_TRUNC(d, MONTH),
    not a TIMESTAMP_TRUNC of a date coerced to a timestamp.
    """
    node = _portable(node)
    if isinstance(node, exp.Length) and _is_list_parameter(node.this):
        return exp.ArraySize(this=node.this)
    if isinstance(node, exp.Cast) and node.to.is_type(exp.DataType.Type.DATE) and \
            isinstance(node.this, exp.TimestampTrunc):
        return exp.DateTrunc(this=node.this.this, unit=node.this.args["unit"])
    return node


class _Snowflake(Snowflake):
    """Snowflake with the Python connector's `pyformat` placeholders: `%(name)s`, `%s`."""

    class Generator(Snowflake.Generator):
        def placeholder_sql(self, expression: exp.Placeholder) -> str:
            return f"%({expression.name})s" if expression.this else "%s"


def _compile(duckdb_sql: str, rewrite: Callable[[exp.Expression], exp.Expression],
             dialect: type[sqlglot.Dialect] | str) -> str:
    tree = sqlglot.parse_one(duckdb_sql, read="duckdb").transform(rewrite)
    return tree.sql(dialect=dialect, unsupported_level=sqlglot.ErrorLevel.RAISE)


@lru_cache(maxsize=512)
def to_snowflake(duckdb_sql: str) -> str:
    """`duckdb_sql` as Snowflake with the Python connector's `%(name)s` placeholders."""
    return _compile(duckdb_sql, _snowflake_rewrite, _Snowflake)


@lru_cache(maxsize=512)
def to_bigquery(duckdb_sql: str) -> str:
    """`duckdb_sql` as BigQuery (GoogleSQL) with `@name` query parameters."""
    return _compile(duckdb_sql, _bigquery_rewrite, BigQuery)
