"""The KPI queries, written for DuckDB, compiled for other engines by SQLGlot (docs/scale-out.md).

PostgreSQL and Spark run them (kpi/warehouse/postgres.py, spark.py); Snowflake
and BigQuery are compiled and parsed back in their dialect but not run (no
server here).

The families keep one SQL text per query (kpi/metrics/measures.py builds it);
SQLGlot's transpiler rewrites functions and casts, and the few DuckDB
conveniences it leaves as they are are rewritten here on its syntax tree.
PostgreSQL: `GROUP BY ALL`, `UNION ALL BY NAME`, a subquery in FROM with no
alias (PostgreSQL 15 wants one), `len()` of a list, `unnest(generate_series(...))`,
`make_date`; parameters (`$name`, `?`) become psycopg's `%(name)s` / `%s`.
Spark (4.x has GROUP BY ALL, unaliased subqueries and make_date): `UNION ALL BY
NAME`, `len()` of a list (SQLGlot writes LENGTH, a string function there),
`AS MATERIALIZED` on a CTE, `GROUPING SETS` with the empty set (no row from no
rows on Spark), `row_number() OVER ()` (Spark wants an order) and a
cast around `unnest(...)` (a generator may not be nested in an expression);
parameters become Spark's `:name` / `?`. Either way values still travel as
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


def _is_list_length(node: exp.Expression) -> bool:
    """`len()` of a list: SQLGlot reads DuckDB's len() of a cast to a list as Length."""
    return isinstance(node, exp.Length) and isinstance(node.this, exp.Cast) and \
        node.this.to.is_type(exp.DataType.Type.ARRAY)


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
    elif _is_list_length(node):
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


def _grand_total(select: exp.Select) -> exp.Expression:
    """`GROUPING SETS ((), ...)` -> the other sets UNION ALL the select with no GROUP BY.

    The empty set gives one row even from no rows (SQL's rule, DuckDB's and
    PostgreSQL's); Spark expands each input row into its sets, so from no rows
    it gives none, and a family would miss its totals. The total's branch has
    GROUPING(...) = 1 and NULL for the keys, as the empty set would.
    """
    grouping_sets = select.args["group"].expressions[0]
    sets = grouping_sets.expressions
    keys = {column.name for key_set in sets for column in key_set.find_all(exp.Column)}

    def total_of(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Grouping):
            return exp.Literal.number(1)
        if isinstance(node, exp.Column) and node.name in keys and not node.find_ancestor(
                exp.AggFunc):
            return exp.null()
        return node

    others = select.copy()
    others.args["group"].expressions[0].set(
        "expressions", [key_set for key_set in sets if not _is_empty_set(key_set)])
    total = select.copy()
    total.set("group", None)
    total.set("expressions", [exp.alias_(item.unalias().transform(total_of), item.alias_or_name)
                              for item in total.expressions])
    for branch in (others, total):  # what applies to the whole result goes outside
        for clause in ("with_", "order", "limit"):
            branch.set(clause, None)
    outer = exp.select("*").from_(exp.Subquery(
        this=exp.union(others, total, distinct=False, copy=False), alias=exp.TableAlias(
            this=exp.to_identifier(f"{_ALIAS_PREFIX}_total"))), copy=False)
    for clause in ("with_", "order", "limit"):
        outer.set(clause, select.args.get(clause))
    return outer


def _is_empty_set(key_set: exp.Expression) -> bool:
    return isinstance(key_set, exp.Tuple) and not key_set.expressions


def _has_grand_total(node: exp.Expression) -> bool:
    """A select grouped by several grouping sets, one of them empty."""
    group = node.args.get("group") if isinstance(node, exp.Select) else None
    if group is None or len(group.expressions) != 1 or not isinstance(
            group.expressions[0], exp.GroupingSets):
        return False
    sets = group.expressions[0].expressions
    return len(sets) > 1 and any(_is_empty_set(key_set) for key_set in sets)


def _rewrite_for_spark(node: exp.Expression) -> exp.Expression:
    """One node in Spark's terms (the tree is walked by `transform`)."""
    if isinstance(node, exp.Union) and node.args.get("by_name"):
        _union_by_name(node)
    elif _is_list_length(node):
        return exp.func("size", node.this)
    elif isinstance(node, exp.CTE) and node.args.get("materialized") is not None:
        node.set("materialized", None)  # a hint Spark's parser refuses (it plans CTEs itself)
    elif isinstance(node, exp.Window) and isinstance(node.this, exp.RowNumber) and \
            not node.args.get("order"):
        # row_number() OVER (): Spark wants an order; the rows' own (scan) order, as DuckDB
        node.set("order", exp.Order(expressions=[exp.Ordered(
            this=exp.func("monotonically_increasing_id"))]))
    elif isinstance(node, exp.Cast) and isinstance(node.this, exp.Explode):
        # CAST(unnest(list) AS T) -> unnest(CAST(list AS T[])): Spark wants the generator outside
        inner = node.this.this
        return exp.Explode(this=exp.Cast(this=inner, to=exp.DataType(
            this=exp.DataType.Type.ARRAY, expressions=[node.to], nested=True)))
    return node


@lru_cache(maxsize=512)
def to_spark(duckdb_sql: str) -> str:
    """`duckdb_sql` as Spark SQL with `:name` / `?` parameters (raises on what it cannot say)."""
    tree = sqlglot.parse_one(duckdb_sql, read="duckdb").transform(_rewrite_for_spark)
    # Innermost first, so a grand total inside another's CTE is rewritten too.
    for select in reversed(list(tree.find_all(exp.Select, bfs=False))):
        if _has_grand_total(select):
            replaced = _grand_total(select)
            tree = replaced if select is tree else tree
            select.replace(replaced)
    return tree.sql(dialect="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)


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
