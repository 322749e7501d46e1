"""Every KPI of the report computed by PostgreSQL equals DuckDB's (docs/scale-out.md).

The demo workspace and the holdout-style exports go through the importer into
a DuckDB workspace, then into a real PostgreSQL by `load_tables` (what
`python -m kpi load` runs); the report is computed on both, for several filter
combinations. Counts must be equal, money and ratios equal to 1e-9 relative
(the two engines add floats in different orders). The data sets, filter sets
and comparison are equivalence.py's, shared with test_spark_report.py.
"""

from __future__ import annotations

import pytest
from equivalence import DATA_SETS, FILTERS, assert_not_vacuous, assert_same, data_set

from kpi.metrics import compute_report
from kpi.schema import Filters, TableKind
from kpi.warehouse import PostgresEngine
from kpi.warehouse.load import load_tables


@pytest.fixture(scope="module", params=DATA_SETS)
def engines(request, postgres, tmp_path_factory):
    """(DuckDB workspace, PostgresEngine) holding the same data set."""
    workspace, paths = data_set(request.param, tmp_path_factory)
    load_tables(workspace.con, postgres, [p.name for p in paths], set(TableKind), set(),
                schema=request.param)
    engine = PostgresEngine(postgres, request.param)
    yield workspace, engine
    engine.close()


@pytest.mark.parametrize("name", list(FILTERS))
def test_every_kpi_equals_duckdb(engines, name) -> None:
    workspace, engine = engines
    for metric in ("revenue_per_closed", "win_rate"):
        duck = compute_report(workspace.con, FILTERS[name], metric)
        pg = compute_report(engine, FILTERS[name], metric)
        assert_same(duck, pg)


def test_the_comparison_is_not_vacuous(engines) -> None:
    """The filters select real figures: a bug that returned empty results would not pass."""
    workspace, _ = engines
    assert_not_vacuous(compute_report(workspace.con, Filters()))


def test_assert_same_sees_a_difference() -> None:
    with pytest.raises(AssertionError):
        assert_same({"won_revenue": 1000.0}, {"won_revenue": 1000.0001})
    with pytest.raises(AssertionError):
        assert_same({"won": 3}, {"won": 3.0})
