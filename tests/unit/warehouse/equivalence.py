"""What the engines' tests share: the data sets, the filter sets, the comparison, the CLI.

test_postgres_report.py and test_spark_report.py load the same two data sets
(the demo workspace, the holdout-style exports) into their engine and compare
every KPI of the report with DuckDB's: counts and texts exactly, money and
ratios to 1e-9 relative (engines add floats in different orders).
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

from holdout import write_holdout

from kpi.__main__ import main
from kpi.schema import Filters
from kpi.workspace import Workspace

DEMO = Path(__file__).resolve().parents[3] / "data" / "demo"
REL = 1e-9
DATA_SETS = ["demo", "holdout"]


def assert_same(duck: Any, other: Any, path: str = "report") -> None:
    """Equal, except floats (money, ratios) within REL; ints and texts exactly."""
    if isinstance(duck, dict):
        assert isinstance(other, dict) and list(other) == list(duck), path
        for key in duck:
            assert_same(duck[key], other[key], f"{path}.{key}")
    elif isinstance(duck, list):
        assert isinstance(other, list) and len(other) == len(duck), path
        for i, (a, b) in enumerate(zip(duck, other, strict=True)):
            assert_same(a, b, f"{path}[{i}]")
    elif isinstance(duck, float) and not isinstance(other, bool):
        assert isinstance(other, int | float), path
        assert math.isclose(duck, other, rel_tol=REL, abs_tol=1e-9), f"{path}: {duck} != {other}"
    else:
        assert type(duck) is type(other) and duck == other, f"{path}: {duck!r} != {other!r}"


def assert_not_vacuous(report: dict) -> None:
    """The data set gives real figures: a bug that returned empty results would not pass."""
    assert report["pipeline"]["won"] > 50 and report["pipeline"]["won_revenue"] > 0
    assert report["proposals"]["sent"] > 50 and report["content"]["deals_worked"] > 50
    assert report["compensation"]["team_ratio"] and report["channels"]


def data_set(name: str, tmp_path_factory: Any) -> tuple[Workspace, list[Path]]:
    """A DuckDB workspace holding the data set `name`, and the files it came from."""
    if name == "demo":
        paths = sorted(DEMO.glob("*.csv"))
    else:
        paths = write_holdout(tmp_path_factory.mktemp("holdout"))
    workspace = Workspace(one_shot=True)
    for path in paths:
        workspace.add_file(path.read_bytes(), path.name)
    return workspace, paths


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


# Two small deals exports for the `load` command's tests: MORE brings a new id
# and one (D1) that DEALS brought already.
DEALS = """deal_id,owner,channel,status,amount,created_at,closed_at
D1,Ana,LinkedIn,won,1000,2025-03-01,2025-03-11
D2,Ana,LinkedIn,won,3000,2025-03-02,2025-03-22
D3,Ana,Cold email,lost,500,2025-03-03,2025-03-13
D4,Bob,Referral,open,700,2025-03-04,
"""
MORE = """deal_id,owner,channel,status,amount,created_at,closed_at
D5,Bob,Referral,won,200,2025-03-05,2025-03-09
D1,Bob,Referral,won,999,2025-03-05,2025-03-09
"""


def run(capsys: Any, *args: str) -> tuple[int, str, str]:
    """`python -m kpi ARGS` in-process: (exit code, stdout, stderr)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err
