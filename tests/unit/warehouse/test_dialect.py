"""The DuckDB-only syntax of the KPI queries, as kpi.warehouse.dialect writes it for PostgreSQL.

No server needed: the compiled text is checked, and parsed back as PostgreSQL.
(test_postgres_report.py runs every query of the report on a real server.)
"""

from __future__ import annotations

import sqlglot

from kpi.metrics import measures as m
from kpi.warehouse.dialect import to_postgres, to_spark


def compiled(sql: str) -> str:
    out = to_postgres(sql)
    sqlglot.parse_one(out.replace("%(", "(").replace(")s", ")"), read="postgres")
    return out


def test_parameters_become_psycopg_placeholders() -> None:
    out = compiled("SELECT count(*) FROM deals WHERE created_at BETWEEN $f AND $t AND owner = ?")
    assert "%(f)s AND %(t)s" in out and "owner = %s" in out and "$" not in out


def test_group_by_all_lists_the_items_without_an_aggregate() -> None:
    out = compiled("SELECT owner, channel, count(*) AS n, sum(amount) AS s FROM d GROUP BY ALL")
    assert out.endswith("GROUP BY 1, 2")


def test_a_subquery_in_from_gets_an_alias() -> None:
    out = compiled("SELECT owner FROM (SELECT owner FROM deals) JOIN (SELECT 1 AS x) ON true")
    assert "FROM (SELECT owner FROM deals) AS _q1" in out and ") AS _q2 ON" in out


def test_the_rep_filter_counts_the_list_with_cardinality() -> None:
    out = compiled(f"SELECT count(*) FROM deals WHERE {m.REPS_FILTER}")
    assert "CARDINALITY(CAST(%(reps)s AS TEXT[])) = 0" in out
    assert "= ANY(CAST(%(reps)s AS TEXT[]))" in out


def test_union_by_name_selects_every_name_in_every_branch() -> None:
    out = compiled("SELECT 1 AS a, 2 AS b UNION ALL BY NAME SELECT 3 AS c, 4 AS a "
                   "UNION ALL BY NAME SELECT 5 AS d")
    assert out == ("SELECT 1 AS a, 2 AS b, NULL AS c, NULL AS d UNION ALL "
                   "SELECT 4 AS a, NULL AS b, 3 AS c, NULL AS d UNION ALL "
                   "SELECT NULL AS a, NULL AS b, NULL AS c, 5 AS d")


def test_month_series_and_dates() -> None:
    out = compiled("SELECT CAST(unnest(generate_series(make_date(CAST($y0 AS INTEGER), 1, 1), "
                   "make_date(2024, 12, 1), INTERVAL 1 MONTH)) AS DATE) AS m")
    assert out.startswith("SELECT CAST(GENERATE_SERIES(MAKE_DATE(CAST(%(y0)s AS INT), 1, 1)")
    assert "UNNEST" not in out


def test_a_percent_sign_in_a_literal_is_escaped_for_psycopg() -> None:
    assert "LIKE 'a%%'" in compiled("SELECT count(*) FROM deals WHERE deal_name LIKE 'a%'")


# --- Spark (test_spark_report.py runs every query of the report on a local session) ---
def spark(sql: str) -> str:
    out = to_spark(sql)
    sqlglot.parse_one(out, read="spark")
    return out


def test_spark_keeps_parameters_named_and_counts_a_list_with_size() -> None:
    out = spark(f"SELECT count(*) FROM deals WHERE {m.REPS_FILTER} AND created_at <= $t")
    assert "SIZE(CAST(:reps AS ARRAY<STRING>)) = 0" in out and "LENGTH" not in out
    assert "ARRAY_CONTAINS(CAST(:reps AS ARRAY<STRING>)" in out and "created_at <= :t" in out


def test_spark_union_by_name_and_cte_hint() -> None:
    out = spark("WITH a AS MATERIALIZED (SELECT 1 AS x) SELECT x, 2 AS y FROM a "
                "UNION ALL BY NAME SELECT 3 AS z, 4 AS x")
    assert "MATERIALIZED" not in out and "BY NAME" not in out
    assert out.endswith("SELECT x, 2 AS y, NULL AS z FROM a UNION ALL SELECT 4 AS x, NULL AS y, "
                        "3 AS z")


def test_spark_unnests_outside_the_cast_and_orders_row_number() -> None:
    out = spark("SELECT CAST(unnest(generate_series(make_date(2024, 1, 1), make_date(2024, 12, 1),"
                " INTERVAL 1 MONTH)) AS DATE) AS m, row_number() OVER () AS n")
    assert out.startswith("SELECT EXPLODE(CAST(SEQUENCE(MAKE_DATE(2024, 1, 1)")
    assert "AS ARRAY<DATE>)) AS m" in out
    assert "ROW_NUMBER() OVER (ORDER BY MONOTONICALLY_INCREASING_ID()" in out


def test_spark_gets_the_grand_total_of_no_rows_from_a_select_without_group_by() -> None:
    out = spark("WITH e AS (SELECT 1 AS x, 2 AS month) SELECT GROUPING(month) AS g, month, "
                "sum(x) AS s FROM e GROUP BY GROUPING SETS ((), (month)) ORDER BY month")
    assert out == ("WITH e AS (SELECT 1 AS x, 2 AS month) SELECT * FROM (SELECT GROUPING(month) "
                   "AS g, month, SUM(x) AS s FROM e GROUP BY GROUPING SETS ((month)) UNION ALL "
                   "SELECT 1 AS g, NULL AS month, SUM(x) AS s FROM e) AS _q_total "
                   "ORDER BY month NULLS LAST")
