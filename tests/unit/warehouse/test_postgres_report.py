"""Every KPI of the report computed by PostgreSQL equals DuckDB's (docs/scale-out.md).

The demo workspace and the holdout-style exports go through the importer into
a DuckDB workspace, then into a real PostgreSQL by `load_tables` (what
`python -m kpi load` runs); the report is computed on both, for several filter
combinations. Counts must be equal, money and ratios equal to 1e-9 relative
(the two engines add floats in different orders).
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from holdout import write_holdout

from kpi.metrics import compute_report
from kpi.schema import Filters, TableKind
from kpi.warehouse import PostgresEngine
from kpi.warehouse.load import load_tables
from kpi.workspace import Workspace

DEMO = Path(__file__).resolve().parents[3] / "data" / "demo"
REL = 1e-9


def assert_same(duck: Any, pg: Any, path: str = "report") -> None:
    """Equal, except floats (money, ratios) within REL; ints and texts exactly."""
    if isinstance(duck, dict):
        assert isinstance(pg, dict) and list(pg) == list(duck), path
        for key in duck:
            assert_same(duck[key], pg[key], f"{path}.{key}")
    elif isinstance(duck, list):
        assert isinstance(pg, list) and len(pg) == len(duck), path
        for i, (a, b) in enumerate(zip(duck, pg, strict=True)):
            assert_same(a, b, f"{path}[{i}]")
    elif isinstance(duck, float) and not isinstance(pg, bool):
        assert isinstance(pg, int | float), path
        assert math.isclose(duck, pg, rel_tol=REL, abs_tol=1e-9), f"{path}: {duck} != {pg}"
    else:
        assert type(duck) is type(pg) and duck == pg, f"{path}: {duck!r} != {pg!r}"


def _workspace(paths: list[Path]) -> Workspace:
    workspace = Workspace(one_shot=True)
    for path in paths:
        workspace.add_file(path.read_bytes(), path.name)
    return workspace


@pytest.fixture(scope="module", params=["demo", "holdout"])
def engines(request, postgres, tmp_path_factory):
    """(DuckDB workspace, PostgresEngine) holding the same data set."""
    if request.param == "demo":
        paths = sorted(DEMO.glob("*.csv"))
    else:
        paths = write_holdout(tmp_path_factory.mktemp("holdout"))
    workspace = _workspace(paths)
    load_tables(workspace.con, postgres, [p.name for p in paths], set(TableKind), set(),
                schema=request.param)
    engine = PostgresEngine(postgres, request.param)
    yield workspace, engine
    engine.close()


FILTERS = {
    "defaults": Filters(),
    "a period": Filters(date_from=date(2025, 2, 1), date_to=date(2025, 6, 30)),
    "reps": Filters(reps=["Camille Martin", "Ana", "Unassigned"], min_closed=1),
    "channels": Filters(channels=["linkedin", "referral", "unknown"]),
    "a currency": Filters(currency="USD", min_closed=2),
    "all at once": Filters(date_from=date(2024, 3, 1), date_to=date(2025, 12, 31),
                           reps=["Bruno", "Nathan Leroy", "Sarah Cohen"],
                           channels=["cold_email", "cold_call", "event"], currency="EUR",
                           min_closed=1, social_channel="cold_email"),
}


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
    report = compute_report(workspace.con, Filters())
    assert report["pipeline"]["won"] > 50 and report["pipeline"]["won_revenue"] > 0
    assert report["proposals"]["sent"] > 50 and report["content"]["deals_worked"] > 50
    assert report["compensation"]["team_ratio"] and report["channels"]


def test_assert_same_sees_a_difference() -> None:
    with pytest.raises(AssertionError):
        assert_same({"won_revenue": 1000.0}, {"won_revenue": 1000.0001})
    with pytest.raises(AssertionError):
        assert_same({"won": 3}, {"won": 3.0})
