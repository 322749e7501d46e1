"""Proposal KPIs and forecast (docs/kpis/proposals-and-forecast.md) on hand-checked fixtures."""

from __future__ import annotations

from datetime import date

import pytest

from kpi.metrics import DEFAULT_DECISION_DAYS, compute_proposals
from kpi.metrics.proposals import has_proposals
from kpi.schema import Filters

D = date.fromisoformat
MARCH = {"date_from": D("2024-03-01"), "date_to": D("2024-03-31")}

# Deals give the proposals their channel and their decision date (closed_at).
DEALS = [
    {"deal_id": "D1", "owner": "Ann", "channel": "linkedin", "status": "won", "amount": 1.0,
     "created_at": "2024-02-01", "closed_at": "2024-03-20"},
    {"deal_id": "D2", "owner": "Bob", "channel": "cold_email", "status": "lost", "amount": 1.0,
     "created_at": "2024-02-01", "closed_at": "2024-03-15"},
    {"deal_id": "D3", "owner": "Bob", "channel": "linkedin", "status": "won", "amount": 1.0,
     "created_at": "2024-02-01", "closed_at": "2024-04-10"},
]  # fmt: skip
PROPOSALS = [
    # decided 19 days after sending (Mar 1 -> Mar 20)
    {"proposal_id": "P1", "deal_id": "D1", "owner": "Ann", "sent_at": "2024-03-01",
     "amount": 1000.0, "status": "won"},
    # 10 days (Mar 5 -> Mar 15)
    {"proposal_id": "P2", "deal_id": "D2", "owner": "Bob", "sent_at": "2024-03-05",
     "amount": 2000.0, "status": "lost"},
    # 31 days (Mar 10 -> Apr 10)
    {"proposal_id": "P3", "deal_id": "D3", "owner": "Bob", "sent_at": "2024-03-10",
     "amount": 3000.0, "status": "won"},
    # no deal: channel unknown
    {"proposal_id": "P4", "owner": "Ann", "sent_at": "2024-03-12", "amount": 4000.0,
     "status": "open"},
    {"proposal_id": "P5", "deal_id": "D1", "owner": "Ann", "sent_at": "2024-03-20",
     "amount": 500.0, "status": "open"},
    {"proposal_id": "P6", "owner": "Bob", "sent_at": "2024-02-25", "amount": 700.0,
     "status": "won"},
]  # fmt: skip


@pytest.fixture
def con(workspace):
    return workspace(deals=DEALS, proposals=PROPOSALS)


def test_march_from_the_proposals_table(con) -> None:
    r = compute_proposals(con, Filters(**MARCH))
    assert r.source == "proposals"
    assert (r.sent, r.won, r.lost, r.pending) == (5, 2, 1, 2)  # P1..P5; P6 is February
    assert r.conversion_rate == 2 / (2 + 1)
    assert r.pending_value == 4000 + 500
    assert r.forecast_revenue == pytest.approx((4000 + 500) * 2 / 3)


def test_forecast_month_is_sent_plus_median_decision_days(con) -> None:
    r = compute_proposals(con, Filters(**MARCH))
    # decision days 19, 10, 31 -> median 19
    assert (r.decision_days, r.decision_days_source) == (19, "median")
    # The data ends on Apr 10 (D3 closed): P4 expected Mar 12 + 19 = Mar 31 and
    # P5 Mar 20 + 19 = Apr 8 are both already past: overdue, not in March / April.
    assert r.as_of == D("2024-04-10")
    assert [(f.bucket, f.month, f.pending, f.pending_value) for f in r.forecast] == [
        ("overdue", None, 2, 4000 + 500)]  # fmt: skip
    assert r.forecast[0].forecast_revenue == pytest.approx(4500 * 2 / 3)
    # stale limit: 90 % of 3 decided = the 3rd smallest of 10, 19, 31 days
    assert (r.stale_days, r.stale_days_source, r.stale) == (31, "percentile", 0)


def test_channel_comes_from_the_deal(con) -> None:
    r = compute_proposals(con, Filters(**MARCH, channels=["linkedin"]))
    # P1 won, P3 won, P5 open
    assert (r.sent, r.won, r.lost, r.pending) == (3, 2, 0, 1)
    assert r.conversion_rate == 1.0
    assert r.forecast_revenue == 500 * 1.0
    r = compute_proposals(con, Filters(**MARCH, channels=["unknown"]))
    # P4 only: nothing decided -> no rate, no forecast
    assert (r.sent, r.pending) == (1, 1)
    assert r.conversion_rate is None and r.forecast_revenue is None


def test_rep_filter_uses_the_proposal_owner(con) -> None:
    r = compute_proposals(con, Filters(**MARCH, reps=["Bob"]))
    assert (r.sent, r.won, r.lost, r.pending) == (2, 1, 1, 0)  # P2, P3
    assert r.conversion_rate == 1 / 2
    assert r.forecast_revenue == 0.0  # a rate but nothing pending


def test_series(con) -> None:
    r = compute_proposals(con, Filters())
    assert [(m.month, m.sent, m.won, m.lost, m.pending) for m in r.by_month] == [
        (D("2024-02-01"), 1, 1, 0, 0),  # P6
        (D("2024-03-01"), 5, 2, 1, 2),
    ]
    reps = {x.owner: (x.sent, x.won, x.lost, x.pending, x.conversion_rate) for x in r.by_rep}
    assert reps == {"Ann": (3, 1, 0, 2, 1.0), "Bob": (3, 2, 1, 0, 2 / 3)}
    channels = {x.channel: (x.sent, x.conversion_rate) for x in r.by_channel}
    assert channels == {"cold_email": (1, 0.0), "linkedin": (3, 1.0), "unknown": (2, 1.0)}


def test_without_a_proposals_table_deals_with_a_sent_date_are_used(workspace) -> None:
    con = workspace(
        deals=[
            # decided 10 days after sending
            {"deal_id": "E1", "owner": "Ann", "channel": "linkedin", "status": "won",
             "amount": 1000.0, "created_at": "2024-02-01", "proposal_sent_at": "2024-03-01",
             "closed_at": "2024-03-11"},
            {"deal_id": "E2", "owner": "Ann", "channel": "linkedin", "status": "open",
             "amount": 2000.0, "created_at": "2024-02-01", "proposal_sent_at": "2024-03-15"},
            # decided 4 days after sending
            {"deal_id": "E3", "owner": "Bob", "channel": "cold_email", "status": "lost",
             "amount": 500.0, "created_at": "2024-02-01", "proposal_sent_at": "2024-03-02",
             "closed_at": "2024-03-06"},
            {"deal_id": "E4", "owner": "Bob", "channel": "linkedin", "status": "won",
             "amount": 800.0, "created_at": "2024-03-01", "closed_at": "2024-03-09"},
            {"deal_id": "E5", "owner": "Ann", "channel": "cold_email", "status": "won",
             "amount": 300.0, "created_at": "2024-02-01", "proposal_sent_at": "2024-02-20",
             "closed_at": "2024-03-02"},
        ]
    )  # fmt: skip
    r = compute_proposals(con, Filters(**MARCH))
    assert r.source == "deals"
    assert (r.sent, r.won, r.lost, r.pending) == (3, 1, 1, 1)  # E1 E2 E3 (E4 never sent)
    assert r.conversion_rate == 1 / 2
    assert r.forecast_revenue == 2000 * 0.5
    assert r.decision_days == 7  # median of 10 and 4
    assert [f.month for f in r.forecast] == [D("2024-03-01")]  # Mar 15 + 7 = Mar 22
    r = compute_proposals(con, Filters(**MARCH, channels=["cold_email"]))
    assert (r.sent, r.lost, r.conversion_rate, r.forecast_revenue) == (1, 1, 0.0, 0.0)


def test_proposals_come_from_their_table_or_from_deals_with_a_sent_date(workspace) -> None:
    deal = {"deal_id": "E1", "owner": "Ann", "status": "open", "amount": 1.0,
            "created_at": "2024-02-01"}
    assert not has_proposals(workspace())
    assert not has_proposals(workspace(deals=[deal]))  # a deal never sent as a proposal
    assert has_proposals(workspace(deals=[{**deal, "proposal_sent_at": "2024-03-01"}]))
    assert has_proposals(workspace(proposals=PROPOSALS[3:4]))  # one proposal, no deal


def test_default_decision_days_when_nothing_was_decided(workspace) -> None:
    con = workspace(
        proposals=[{"proposal_id": "Q", "owner": "Ann", "sent_at": "2024-03-05",
                    "amount": 100.0, "status": "open"}]
    )  # fmt: skip
    r = compute_proposals(con, Filters())
    assert (r.decision_days, r.decision_days_source) == (DEFAULT_DECISION_DAYS, "default")
    assert DEFAULT_DECISION_DAYS == 30
    assert [f.month for f in r.forecast] == [D("2024-04-01")]  # Mar 5 + 30 = Apr 4
    assert r.forecast[0].forecast_revenue is None  # no rate yet


def test_half_day_medians_round_up(workspace) -> None:
    con = workspace(
        deals=[
            {"deal_id": "a", "owner": "Ann", "status": "won", "created_at": "2024-03-01",
             "closed_at": "2024-03-03", "amount": 1.0},
            {"deal_id": "b", "owner": "Ann", "status": "lost", "created_at": "2024-03-01",
             "closed_at": "2024-03-04", "amount": 1.0},
        ],
        proposals=[
            {"proposal_id": "1", "deal_id": "a", "owner": "Ann", "sent_at": "2024-03-01",
             "amount": 1.0, "status": "won"},  # 2 days
            {"proposal_id": "2", "deal_id": "b", "owner": "Ann", "sent_at": "2024-03-01",
             "amount": 1.0, "status": "lost"},  # 3 days
            {"proposal_id": "3", "owner": "Ann", "sent_at": "2024-03-29", "amount": 10.0,
             "status": "open"},
        ],
    )  # fmt: skip
    r = compute_proposals(con, Filters())
    assert r.decision_days == 3  # median 2.5 -> 3 (Python's round would give 2)
    assert [f.month for f in r.forecast] == [D("2024-04-01")]  # Mar 29 + 3 = Apr 1
    assert r.forecast_revenue == 10 * (1 / 2)


# Ten decided proposals (6 won, 4 lost: conversion 60 %) and seven pending ones;
# the data ends on 2024-06-30 (deal Z), the day pending proposals are aged at.
AGEING_CSV = b"""deal_id,owner,status,amount,created_at,proposal_sent_at,closed_at
D01,Ann,won,1,2024-01-01,2024-01-01,2024-01-11
D02,Ann,lost,1,2024-01-02,2024-01-02,2024-01-12
D03,Ann,won,1,2024-01-03,2024-01-03,2024-01-23
D04,Ann,won,1,2024-01-04,2024-01-04,2024-01-24
D05,Ann,lost,1,2024-01-05,2024-01-05,2024-01-25
D06,Ann,won,1,2024-01-06,2024-01-06,2024-02-05
D07,Ann,lost,1,2024-01-07,2024-01-07,2024-02-06
D08,Ann,won,1,2024-01-08,2024-01-08,2024-02-17
D09,Ann,lost,1,2024-01-09,2024-01-09,2024-03-09
D10,Ann,won,1,2024-01-10,2024-01-10,2024-05-09
X1,Bob,open,1000,2024-06-20,2024-06-20,
X2,Bob,open,2000,2024-06-25,2024-06-25,
X3,Bob,open,4000,2024-06-10,2024-06-10,
X4,Bob,open,8000,2024-05-20,2024-05-20,
X5,Bob,open,16000,2024-04-01,2024-04-01,
X6,Bob,open,500,2024-06-05,2024-06-05,
X7,Bob,open,300,2024-05-01,2024-05-01,
Z,Bob,open,0,2024-06-30,,
"""
# Decision days of D01..D10: 10, 10, 20, 20, 20, 30, 30, 40, 60, 120.
# Median (20 + 30) / 2 = 25 days; 90 % (9 of 10) were decided within 60 days.
# Pending, aged at Jun 30 (age; expected = sent + 25):
#   X1 10 d, Jul 15 | X2 5 d, Jul 20 | X3 20 d, Jul 5   -> July
#   X6 25 d, Jun 30 (not past on Jun 30)                 -> June
#   X4 41 d, Jun 14 | X7 60 d (not more than 60), May 26 -> overdue
#   X5 90 d > 60                                          -> stale


@pytest.fixture
def ageing():
    from kpi.workspace import Workspace

    workspace = Workspace(one_shot=True)
    workspace.add_file(AGEING_CSV, "x.csv")
    return workspace.con


def test_stale_limit_is_the_time_90_percent_were_decided_within(ageing) -> None:
    r = compute_proposals(ageing, Filters())
    assert (r.decision_days, r.stale_days, r.stale_days_source) == (25, 60, "percentile")
    assert r.measured_stale_days == 60
    assert r.as_of == D("2024-06-30")


def test_pending_proposals_are_stale_overdue_or_in_a_month_to_come(ageing) -> None:
    r = compute_proposals(ageing, Filters())
    assert (r.pending, r.pending_value) == (7, 31800)
    assert (r.stale, r.stale_value) == (1, 16000)  # X5
    assert (r.overdue, r.overdue_value) == (2, 8000 + 300)  # X4, X7
    assert [(f.bucket, f.month, f.pending, f.pending_value) for f in r.forecast] == [
        ("overdue", None, 2, 8300),
        ("month", D("2024-06-01"), 1, 500),
        ("month", D("2024-07-01"), 3, 7000),
    ]  # fmt: skip
    assert all(f.month >= D("2024-06-01") for f in r.forecast if f.month)  # never the past
    # the stale one is out of the forecast: (31800 - 16000) x 60 %
    assert r.conversion_rate == 0.6
    assert r.forecast_revenue == pytest.approx(15800 * 0.6)
    assert r.forecast_revenue == pytest.approx(sum(f.forecast_revenue for f in r.forecast))


def test_stale_proposals_can_be_included(ageing) -> None:
    r = compute_proposals(ageing, Filters(), include_stale=True)
    assert r.forecast[0].model_dump(include={"bucket", "pending", "pending_value"}) == {
        "bucket": "stale", "pending": 1, "pending_value": 16000}  # fmt: skip
    assert r.forecast_revenue == pytest.approx(31800 * 0.6)


def test_a_chosen_stale_limit_replaces_the_measured_one(ageing) -> None:
    r = compute_proposals(ageing, Filters(), stale_days=30)
    # more than 30 days: X4 (41), X7 (60), X5 (90); X3 (20) expected Jul 5 stays in July
    assert (r.stale_days, r.stale_days_source, r.measured_stale_days) == (30, "chosen", 60)
    assert (r.stale, r.stale_value, r.overdue) == (3, 8000 + 300 + 16000, 0)
    assert r.forecast_revenue == pytest.approx((500 + 7000) * 0.6)


def test_ageing_uses_today_when_the_data_runs_later(ageing) -> None:
    r = compute_proposals(ageing, Filters(), today=D("2024-06-15"))
    assert r.as_of == D("2024-06-15")
    # on Jun 15: X4 (26 d) expected Jun 14 is overdue; X6 expected Jun 30 is June
    assert [(f.bucket, f.month) for f in r.forecast][:2] == [
        ("overdue", None), ("month", D("2024-06-01"))]  # fmt: skip


def test_share_within_is_a_nearest_rank_percentile() -> None:
    from kpi.metrics.proposals import share_within

    assert share_within({}, 0.9) is None
    assert share_within({10: 9, 400: 1}, 0.9) == 10  # 9 of 10 within 10 days
    assert share_within({10: 8, 400: 2}, 0.9) == 400
    assert share_within({3: 1}, 0.9) == 3
