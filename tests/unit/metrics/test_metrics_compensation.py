"""Packages vs revenue (docs/kpis/packages-vs-revenue.md): prorated and annual packages, ratios, target."""

from __future__ import annotations

from datetime import date

import pytest

from kpi.metrics import compute_compensation
from kpi.schema import Filters

D = date.fromisoformat
# Mar 16 - Apr 15: 16 of March's 31 days, 15 of April's 30 days.
PERIOD = {"date_from": D("2024-03-16"), "date_to": D("2024-04-15")}

COMP = [
    {"owner": "Ann", "month": "2024-03-01", "package": 3100.0},
    {"owner": "Ann", "month": "2024-04-01", "package": 3000.0},
    {"owner": "Ann", "month": "2024-05-01", "package": 3100.0},
    {"owner": "Bob", "annual_package": 120000.0},  # 10000 a month
    {"owner": "Carl", "month": "2024-03-01"},  # no package: counts 0
]


def won(deal_id: str, owner: str, amount: float, closed: str, channel: str = "linkedin"):
    return {"deal_id": deal_id, "owner": owner, "channel": channel, "status": "won",
            "amount": amount, "created_at": "2024-01-02", "closed_at": closed}  # fmt: skip


DEALS = [
    won("a1", "Ann", 6200, "2024-03-20"),
    won("a2", "Ann", 3100, "2024-04-10", channel="cold_email"),
    won("a3", "Ann", 1000, "2024-03-10"),  # before the period
    won("b1", "Bob", 12000, "2024-04-01"),
    won("c1", "Carl", 500, "2024-03-30"),
    won("d1", "Dan", 700, "2024-04-02"),  # Dan has no compensation row
]


@pytest.fixture
def con(workspace):
    return workspace(compensation=COMP, deals=DEALS)


def reps(result) -> dict:
    return {r.owner: r for r in result.reps}


def test_prorated_monthly_packages_and_ratio_at_the_target(con) -> None:
    r = reps(compute_compensation(con, Filters(**PERIOD)))
    ann = r["Ann"]
    assert ann.package == pytest.approx(3100 * 16 / 31 + 3000 * 15 / 30)  # 1600 + 1500
    assert ann.revenue == 6200 + 3100
    assert ann.ratio == pytest.approx(9300 / 3100)  # exactly 3
    assert ann.meets_target is True  # ratio >= 3: the target itself is met


def test_annual_package_is_spread_over_the_months(con) -> None:
    bob = reps(compute_compensation(con, Filters(**PERIOD)))["Bob"]
    assert bob.package == pytest.approx(10000 * 16 / 31 + 10000 * 15 / 30)
    assert bob.revenue == 12000
    assert bob.ratio == pytest.approx(12000 / (10000 * 16 / 31 + 5000))
    assert bob.meets_target is False


def test_null_package_counts_zero_and_gives_no_ratio(con) -> None:
    carl = reps(compute_compensation(con, Filters(**PERIOD)))["Carl"]
    assert (carl.package, carl.revenue) == (0, 500)
    assert carl.ratio is None and carl.meets_target is None


def test_team_ratio_and_reps_without_package(con) -> None:
    r = compute_compensation(con, Filters(**PERIOD))
    assert [x.owner for x in r.reps] == ["Ann", "Bob", "Carl"]
    packages = (1600 + 1500) + (10000 * 16 / 31 + 5000) + 0
    assert r.team_ratio == pytest.approx((9300 + 12000 + 500) / packages)
    assert r.reps_without_package == ["Dan"]


def test_whole_month(con) -> None:
    r = reps(compute_compensation(con, Filters(date_from=D("2024-03-01"), date_to=D("2024-03-31"))))
    assert r["Ann"].package == 3100
    assert r["Bob"].package == pytest.approx(10000)
    assert r["Ann"].revenue == 6200 + 1000


def test_revenue_follows_the_channel_filter_and_target_multiple(con) -> None:
    r = compute_compensation(con, Filters(**PERIOD, channels=["linkedin"]))
    ann = reps(r)["Ann"]
    assert ann.revenue == 6200  # a2 is cold_email
    assert ann.ratio == pytest.approx(6200 / 3100)
    assert ann.meets_target is False  # 2 < 3
    r = compute_compensation(con, Filters(**PERIOD, channels=["linkedin"], target_multiple=2))
    assert reps(r)["Ann"].meets_target is True  # 2 >= 2
    assert r.target_multiple == 2


def test_rep_filter(con) -> None:
    r = compute_compensation(con, Filters(**PERIOD, reps=["Ann"]))
    assert [x.owner for x in r.reps] == ["Ann"]
    assert r.team_ratio == pytest.approx(9300 / 3100)
    assert r.reps_without_package == []


def test_annual_packages_cover_every_year_of_the_data(workspace) -> None:
    con = workspace(
        compensation=[{"owner": "Bob", "annual_package": 12000.0}],  # 1000 a month
        deals=[won("x", "Bob", 4000, "2024-01-15") | {"created_at": "2023-11-20"}],
    )
    # data covers 2023 and 2024: Dec 2023 and Jan 2024 each carry 1000
    r = reps(compute_compensation(con, Filters(date_from=D("2023-12-01"), date_to=D("2024-01-31"))))
    assert r["Bob"].package == pytest.approx(1000 + 1000)
    assert r["Bob"].ratio == pytest.approx(4000 / 2000)
    # 2025 is outside the data's years: no package, no ratio
    r = reps(compute_compensation(con, Filters(date_from=D("2025-01-01"), date_to=D("2025-01-31"))))
    assert r["Bob"].package == 0 and r["Bob"].ratio is None


def test_monthly_and_annual_rows_of_one_rep_add_up(workspace) -> None:
    con = workspace(
        compensation=[
            {"owner": "Eve", "annual_package": 24000.0},
            {"owner": "Eve", "month": "2024-06-01", "package": 500.0},  # e.g. a bonus
        ],
    )
    r = reps(compute_compensation(con, Filters(date_from=D("2024-06-01"), date_to=D("2024-06-30"))))
    assert r["Eve"].package == pytest.approx(24000 / 12 + 500)


def test_without_compensation_data(workspace) -> None:
    con = workspace(deals=DEALS)
    r = compute_compensation(con, Filters(**PERIOD))
    assert r.reps == [] and r.team_ratio is None
    # every rep with a deal closed in the period (a1, a2, b1, c1, d1) is listed apart
    assert r.reps_without_package == ["Ann", "Bob", "Carl", "Dan"]


def test_reps_without_package_need_a_deal_in_the_period(con) -> None:
    r = compute_compensation(con, Filters(date_from=D("2024-05-01"), date_to=D("2024-05-31")))
    assert r.reps_without_package == []  # Dan's deal closed in April
    assert reps(r)["Ann"].package == 3100 and reps(r)["Ann"].ratio == 0.0
