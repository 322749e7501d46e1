"""Social selling KPIs (docs/kpis/social-selling.md) on a hand-checked fixture."""

from __future__ import annotations

from datetime import date

import pytest

from kpi.metrics import compute_social_selling
from kpi.schema import Filters

D = date.fromisoformat
MARCH = {"date_from": D("2024-03-01"), "date_to": D("2024-03-31")}

LEADS = [
    {"lead_id": "L1", "owner": "Ann", "channel": "linkedin", "created_at": "2024-03-02",
     "converted_at": "2024-03-20"},
    {"lead_id": "L2", "owner": "Ann", "channel": "linkedin", "created_at": "2024-03-05"},
    # converted after the period: converted_at is set, so a customer (§5.2)
    {"lead_id": "L3", "owner": "Bob", "channel": "linkedin", "created_at": "2024-03-10",
     "converted_at": "2024-05-01"},
    {"lead_id": "L4", "owner": "Ann", "channel": "facebook", "created_at": "2024-03-03",
     "converted_at": "2024-03-04"},
    {"lead_id": "L5", "owner": "Ann", "channel": "linkedin", "created_at": "2024-02-27",
     "converted_at": "2024-03-01"},
]  # fmt: skip

DEALS = [
    {"deal_id": "S1", "owner": "Ann", "channel": "linkedin", "status": "won", "amount": 1200.0,
     "created_at": "2024-03-01", "closed_at": "2024-03-15"},
    {"deal_id": "S2", "owner": "Bob", "channel": "linkedin", "status": "open", "amount": 800.0,
     "created_at": "2024-03-12"},
    # created before March, won in March: not created in period, but in the deal value
    {"deal_id": "S3", "owner": "Ann", "channel": "linkedin", "status": "won", "amount": 1800.0,
     "created_at": "2024-02-01", "closed_at": "2024-03-28"},
    {"deal_id": "S4", "owner": "Bob", "channel": "cold_email", "status": "won", "amount": 500.0,
     "created_at": "2024-03-01", "closed_at": "2024-03-10"},
    {"deal_id": "S5", "owner": "Ann", "channel": "referral", "status": "won", "amount": 1500.0,
     "created_at": "2024-01-10", "closed_at": "2024-03-20"},
    {"deal_id": "S6", "owner": "Ann", "channel": "cold_email", "status": "lost", "amount": 900.0,
     "created_at": "2024-03-02", "closed_at": "2024-03-10"},
    # created in March, won in April: created in period, not in March's deal value
    {"deal_id": "S7", "owner": "Ann", "channel": "linkedin", "status": "won", "amount": 9999.0,
     "created_at": "2024-03-20", "closed_at": "2024-04-02"},
    {"deal_id": "S8", "owner": "Bob", "channel": "linkedin", "status": "lost", "amount": 300.0,
     "created_at": "2024-03-25", "closed_at": "2024-03-30"},
]  # fmt: skip


@pytest.fixture
def with_leads(workspace):
    return workspace(leads=LEADS, deals=DEALS)


@pytest.fixture
def without_leads(workspace):
    return workspace(deals=DEALS)


def test_with_a_leads_table(with_leads) -> None:
    r = compute_social_selling(with_leads, Filters(**MARCH))
    assert r.channel == "linkedin" and r.leads_source == "leads"
    assert r.leads == 3  # L1 L2 L3 (L4 is facebook, L5 created in February)
    assert r.customers == 2  # L1, L3
    assert r.lead_to_customer_rate == 2 / 3
    assert r.deals_created == 4  # S1 S2 S7 S8 (S3 created in February)
    assert r.avg_deal_value == (1200 + 1800) / 2  # S1, S3 won in March
    assert r.avg_deal_value_other == (500 + 1500) / 2  # S4 cold_email, S5 referral
    assert [(s.stage, s.count) for s in r.funnel] == [("leads", 3), ("deals", 4), ("customers", 2)]


def test_without_a_leads_table_leads_are_deals(without_leads) -> None:
    r = compute_social_selling(without_leads, Filters(**MARCH))
    assert r.leads_source == "deals"
    assert r.leads == 4  # linkedin deals created in March: S1 S2 S7 S8
    assert r.customers == 2  # now won: S1, S7
    assert r.lead_to_customer_rate == 2 / 4
    assert r.deals_created == 4


def test_the_channel_filter_does_not_apply(with_leads) -> None:
    r = compute_social_selling(with_leads, Filters(**MARCH, channels=["facebook", "cold_email"]))
    assert (r.leads, r.customers, r.deals_created) == (3, 2, 4)
    assert r.avg_deal_value_other == 1000


def test_rep_filter(with_leads) -> None:
    r = compute_social_selling(with_leads, Filters(**MARCH, reps=["Ann"]))
    assert (r.leads, r.customers, r.lead_to_customer_rate) == (2, 1, 1 / 2)  # L1, L2
    assert r.deals_created == 2  # S1, S7
    assert r.avg_deal_value == 1500  # S1 1200, S3 1800
    assert r.avg_deal_value_other == 1500  # S5 only (S4 is Bob's)


def test_another_social_channel(with_leads) -> None:
    r = compute_social_selling(with_leads, Filters(**MARCH, social_channel="facebook"))
    assert r.channel == "facebook"
    assert (r.leads, r.customers, r.lead_to_customer_rate) == (1, 1, 1.0)  # L4
    assert r.deals_created == 0
    assert r.avg_deal_value is None  # no facebook deal won
    assert r.avg_deal_value_other == (1200 + 1800 + 500 + 1500) / 4


def test_empty_period_gives_none_rates(with_leads) -> None:
    r = compute_social_selling(
        with_leads, Filters(date_from=D("2025-01-01"), date_to=D("2025-01-31"))
    )
    assert (r.leads, r.customers, r.deals_created) == (0, 0, 0)
    assert r.lead_to_customer_rate is None
    assert r.avg_deal_value is None and r.avg_deal_value_other is None


def test_series(with_leads) -> None:
    r = compute_social_selling(with_leads, Filters(**MARCH))
    reps = {x.owner: (x.leads, x.customers, x.deals_created, x.lead_to_customer_rate)
            for x in r.by_rep}  # fmt: skip
    assert reps == {"Ann": (2, 1, 2, 1 / 2), "Bob": (1, 1, 2, 1.0)}
    assert [(m.month, m.leads, m.deals_created) for m in r.by_month] == [(D("2024-03-01"), 3, 4)]
    values = {c.channel: (c.won, c.avg_deal_value, c.selected) for c in r.by_channel}
    assert values == {
        "cold_email": (1, 500, False),
        "linkedin": (2, 1500, True),
        "referral": (1, 1500, False),
    }
    # whole span: L5 is February, leads by creation month
    r = compute_social_selling(with_leads, Filters())
    assert [(m.month, m.leads) for m in r.by_month] == [(D("2024-02-01"), 1), (D("2024-03-01"), 3)]
