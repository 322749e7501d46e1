"""Every report query compiled for Snowflake and BigQuery parses in that dialect (docs/scale-out.md).

No server here: the compiled text is parsed back by SQLGlot with the engine's
own grammar, every DuckDB parameter must still be a placeholder of that
engine (values never inlined), and the DuckDB-only constructs must be gone.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlglot
from sqlglot import exp

from benchmarks.transpile import report_queries
from kpi.metrics import measures as m
from kpi.schema import Filters
from kpi.warehouse.dialect import to_bigquery, to_snowflake

_SNOWFLAKE_PARAMETER = re.compile(r"%\((\w+)\)s")


@pytest.fixture(scope="module")
def queries() -> list[str]:
    """Every distinct query of the report, with no filter and with every filter set."""
    return report_queries(Filters(), Filters(
        date_from=date(2025, 1, 1), date_to=date(2025, 6, 30), reps=["Camille Martin"],
        channels=["linkedin"], currency="EUR", min_closed=1))


def duckdb_parameters(sql: str) -> set[str]:
    return {p.name for p in sqlglot.parse_one(sql, read="duckdb").find_all(exp.Placeholder)}


def snowflake_tree(sql: str) -> exp.Expression:
    """The compiled text parsed as Snowflake; pyformat's `%(name)s` read as a bind `:name`."""
    assert "$" not in sql and ":" not in _SNOWFLAKE_PARAMETER.sub("", sql).replace("::", "")
    return sqlglot.parse_one(_SNOWFLAKE_PARAMETER.sub(r":\1", sql).replace("%%", "%"),
                             read="snowflake")


def test_every_report_query_parses_as_snowflake_with_its_parameters(queries) -> None:
    assert len(queries) > 15
    for query in queries:
        out = to_snowflake(query)
        snowflake_tree(out)
        assert set(_SNOWFLAKE_PARAMETER.findall(out)) == duckdb_parameters(query), out


def test_every_report_query_parses_as_bigquery_with_its_parameters(queries) -> None:
    for query in queries:
        out = to_bigquery(query)
        tree = sqlglot.parse_one(out, read="bigquery")
        names = {p.name for p in tree.find_all(exp.Parameter)}
        assert "$" not in out and names == duckdb_parameters(query), out


@pytest.mark.parametrize("compile_", [to_snowflake, to_bigquery])
def test_duckdb_only_syntax_is_gone(queries, compile_) -> None:
    for query in queries:
        out = compile_(query).upper()
        assert "GROUP BY ALL" not in out and "BY NAME" not in out and "GENERATE_SERIES" not in out
        assert "LIST_CONTAINS" not in out and not re.search(r"\bLENGTH\(CAST\(", out)


def test_snowflake_lists_bind_as_array_constants() -> None:
    out = to_snowflake(f"SELECT count(*) FROM deals WHERE {m.REPS_FILTER}")
    # The connector's pyformat binding writes a list as 'a', 'b' (nothing when empty).
    assert "ARRAY_SIZE([%(reps)s]) = 0" in out
    assert "ARRAY_CONTAINS(CAST(COALESCE(\"owner\", 'Unassigned') AS VARIANT), [%(reps)s])" \
        in out or "ARRAY_CONTAINS(CAST(owner AS VARIANT), [%(reps)s])" in out


def test_snowflake_escapes_a_percent_sign_for_pyformat() -> None:
    assert "LIKE 'a%%'" in to_snowflake("SELECT count(*) FROM deals WHERE deal_name LIKE 'a%'")


def test_bigquery_lists_are_array_parameters() -> None:
    out = to_bigquery(f"SELECT count(*) FROM deals WHERE {m.REPS_FILTER}")
    assert "ARRAY_LENGTH(CAST(@reps AS ARRAY<STRING>)) = 0" in out
    assert "FROM UNNEST(CAST(@reps AS ARRAY<STRING>))" in out


MONTHS = ("SELECT CAST(unnest(generate_series(make_date(CAST($y0 AS INTEGER), 1, 1), "
          "make_date(CAST($y1 AS INTEGER), 12, 1), INTERVAL 1 MONTH)) AS DATE) AS m")


def test_a_month_series_becomes_a_date_array_in_from() -> None:
    assert to_bigquery(MONTHS) == (
        "SELECT CAST(m AS DATE) AS m FROM UNNEST(GENERATE_DATE_ARRAY(DATE(CAST(@y0 AS INT64), "
        "1, 1), DATE(CAST(@y1 AS INT64), 12, 1), INTERVAL '1' MONTH)) AS m")
    out = to_snowflake(MONTHS)
    assert "DATEADD(MONTH, CAST(m AS INT), CAST(DATE_FROM_PARTS(CAST(%(y0)s AS INT), 1, 1)" in out
    assert "ARRAY_GENERATE_RANGE(0, DATEDIFF(MONTH, " in out


def test_group_by_all_and_union_by_name_are_spelt_out() -> None:
    sql = ("SELECT owner, count(*) AS n FROM d GROUP BY ALL "
           "UNION ALL BY NAME SELECT 3 AS n")
    assert to_bigquery(sql) == ("SELECT owner, COUNT(*) AS n FROM d GROUP BY 1 "
                                "UNION ALL SELECT NULL AS owner, 3 AS n")
    assert to_snowflake(sql) == ("SELECT owner, COUNT(*) AS n FROM d GROUP BY 1 "
                                 "UNION ALL SELECT NULL AS owner, 3 AS n")


def test_bigquery_truncates_a_date_to_its_month_as_a_date() -> None:
    out = to_bigquery("SELECT CAST(date_trunc('month', month) AS DATE) AS m FROM channel_costs")
    assert out == "SELECT DATE_TRUNC(month, MONTH) AS m FROM channel_costs"
