"""The DuckDB-only syntax of the KPI queries, as kpi.warehouse.dialect writes it for PostgreSQL.

No server needed: the compiled text is checked, and parsed back as PostgreSQL.
(test_postgres_report.py runs every query of the report on a real server.)
"""

from __future__ import annotations

import sqlglot

from kpi.metrics import measures as m
from kpi.warehouse.dialect import to_postgres


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
