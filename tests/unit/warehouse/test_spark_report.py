"""Every KPI of the report computed by Spark equals DuckDB's (docs/scale-out.md).

The demo workspace and the holdout-style exports go through the importer into
a DuckDB workspace, then into a lake of Parquet by the Spark loader (what
`python -m kpi load --to spark+local://...` runs); the report is computed on a
real local-mode Spark and on DuckDB for the filter sets of the PostgreSQL test
(equivalence.py): counts exact, money and ratios to 1e-9 relative.
"""

from __future__ import annotations

import pytest
from equivalence import DATA_SETS, FILTERS, assert_not_vacuous, assert_same, data_set

from kpi.metrics import compute_report
from kpi.schema import Filters, TableKind
from kpi.warehouse.spark import SparkEngine
from kpi.warehouse.spark_load import load_tables


@pytest.fixture(scope="module", params=DATA_SETS)
def engines(request, spark, tmp_path_factory):
    """(DuckDB workspace, SparkEngine) holding the same data set."""
    workspace, paths = data_set(request.param, tmp_path_factory)
    url = f"spark+local://?lake={tmp_path_factory.mktemp('lake')}"
    load_tables(workspace.con, url, [p.name for p in paths], set(TableKind), set(),
                schema=request.param)
    return workspace, SparkEngine(url, request.param)


@pytest.mark.parametrize("name", list(FILTERS))
def test_every_kpi_equals_duckdb(engines, name) -> None:
    workspace, engine = engines
    assert_same(compute_report(workspace.con, FILTERS[name]),
                compute_report(engine, FILTERS[name]))


def test_the_other_ranking_metric_too(engines) -> None:
    """The channel ranking by win rate (the filter sets above rank by revenue per deal)."""
    workspace, engine = engines
    filters = FILTERS["all at once"]
    assert_same(compute_report(workspace.con, filters, "win_rate"),
                compute_report(engine, filters, "win_rate"))


def test_the_comparison_is_not_vacuous(engines) -> None:
    workspace, _ = engines
    assert_not_vacuous(compute_report(workspace.con, Filters()))


def test_rows_come_back_as_from_duckdb(engines) -> None:
    """Dates as dates, whole numbers as int (Spark's decimals converted), names described."""
    workspace, engine = engines
    sql = ("SELECT min(created_at) AS first, count(*) AS n, sum(amount) AS total, "
           "1.5 * 2 AS whole, 0.25 * 2 AS half FROM deals WHERE owner <> $nobody")
    result = engine.execute(sql, {"nobody": "x"})
    assert [column[0] for column in result.description] == ["first", "n", "total", "whole",
                                                            "half"]
    spark_row = result.fetchone()
    duck_row = workspace.con.execute(sql, {"nobody": "x"}).fetchone()
    assert spark_row[:2] == duck_row[:2] and type(spark_row[0]) is type(duck_row[0])
    assert spark_row[2] == pytest.approx(duck_row[2], rel=1e-9)
    assert spark_row[3:] == (3, 0.5) and type(spark_row[3]) is int
    assert result.fetchone() is None
