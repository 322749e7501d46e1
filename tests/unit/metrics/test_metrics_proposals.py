"""Proposal KPIs and forecast (KPI_SPEC §5.3) on hand-checked fixtures."""

from __future__ import annotations

from datetime import date

import pytest

from kpi.metrics import DEFAULT_DECISION_DAYS, compute_proposals
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
    # P4 Mar 12 + 19 = Mar 31 (March); P5 Mar 20 + 19 = Apr 8 (April)
    assert [(f.month, f.pending, f.pending_value) for f in r.forecast] == [
        (D("2024-03-01"), 1, 4000),
        (D("2024-04-01"), 1, 500),
    ]
    assert r.forecast[0].forecast_revenue == pytest.approx(4000 * 2 / 3)
    assert r.forecast[1].forecast_revenue == pytest.approx(500 * 2 / 3)


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
