"""Pipeline KPIs (docs/kpis/pipeline.md) on a hand-checked fixture."""

from __future__ import annotations

from datetime import date

import pytest

from kpi.metrics import closed_deals, compute_pipeline, count_closed_deals
from kpi.schema import Filters

D = date.fromisoformat
MARCH = {"date_from": D("2024-03-01"), "date_to": D("2024-03-31")}

DEALS = [
    # id, owner, channel, status, amount, created_at, closed_at
    # A1: cycle Feb 1 -> Mar 2 = 29 (leap Feb) + 1 = 30 days
    {"deal_id": "A1", "owner": "Ann", "channel": "linkedin", "status": "won", "amount": 1000.0,
     "created_at": "2024-02-01", "closed_at": "2024-03-02"},
    # A2: cycle 5 days
    {"deal_id": "A2", "owner": "Ann", "channel": "cold_email", "status": "won", "amount": 3000.0,
     "created_at": "2024-03-06", "closed_at": "2024-03-11"},
    {"deal_id": "A3", "owner": "Ann", "channel": "linkedin", "status": "lost", "amount": 500.0,
     "created_at": "2024-01-15", "closed_at": "2024-03-20"},
    # B1: cycle 20 days
    {"deal_id": "B1", "owner": "Bob", "channel": "linkedin", "status": "won", "amount": 2000.0,
     "created_at": "2024-03-05", "closed_at": "2024-03-25"},
    {"deal_id": "B2", "owner": "Bob", "channel": "cold_email", "status": "lost", "amount": 700.0,
     "created_at": "2024-02-10", "closed_at": "2024-04-02"},
    {"deal_id": "B3", "owner": "Bob", "channel": "linkedin", "status": "open", "amount": 4000.0,
     "created_at": "2024-03-15"},
    {"deal_id": "A4", "owner": "Ann", "channel": "referral", "status": "open", "amount": 1500.0,
     "created_at": "2024-04-10"},
    {"deal_id": "A5", "owner": "Ann", "channel": "cold_email", "status": "open", "amount": 600.0,
     "created_at": "2023-12-01"},
    {"deal_id": "B4", "owner": "Bob", "channel": "referral", "status": "won", "amount": 900.0,
     "created_at": "2024-01-01", "closed_at": "2024-02-20"},
]  # fmt: skip


@pytest.fixture
def con(workspace):
    return workspace(deals=DEALS)


def test_march_headline(con) -> None:
    r = compute_pipeline(con, Filters(**MARCH))
    # closed in March: A1 won, A2 won, A3 lost, B1 won (B2 closed in April, B4 in Feb)
    assert (r.closed, r.won, r.lost) == (4, 3, 1)
    assert r.win_rate == 3 / 4
    assert r.won_revenue == 1000 + 3000 + 2000
    assert r.avg_deal_value == 6000 / 3
    assert r.avg_cycle_days == pytest.approx((30 + 5 + 20) / 3)
    assert r.median_cycle_days == 20  # sorted 5, 20, 30
    # open and created <= Mar 31: B3 (Mar 15) and A5 (Dec 2023); A4 is created in April
    assert r.open_deals == 2
    assert r.open_pipeline_value == 4000 + 600


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(con) -> None:
    r = compute_pipeline(con, Filters(date_from=D("2024-03-01"), date_to=D("2024-03-15")))
    # won in Mar 1-15: A1 (30 days), A2 (5 days)
    assert r.median_cycle_days == (30 + 5) / 2
    assert r.avg_cycle_days == (30 + 5) / 2


def test_default_period_is_the_whole_data_span(con) -> None:
    r = compute_pipeline(con, Filters())
    assert (r.filters.date_from, r.filters.date_to) == (D("2023-12-01"), D("2024-04-10"))
    # every won/lost deal: A1 A2 B1 B4 won, A3 B2 lost
    assert (r.closed, r.won, r.lost) == (6, 4, 2)
    assert r.win_rate == 4 / 6
    assert r.won_revenue == 1000 + 3000 + 2000 + 900


def test_rep_filter(con) -> None:
    r = compute_pipeline(con, Filters(**MARCH, reps=["Bob"]))
    assert (r.closed, r.won, r.win_rate, r.won_revenue) == (1, 1, 1 / 1, 2000)
    assert r.avg_cycle_days == 20 and r.median_cycle_days == 20
    assert (r.open_deals, r.open_pipeline_value) == (1, 4000)  # B3


def test_channel_filter_and_rep_and_channel(con) -> None:
    r = compute_pipeline(con, Filters(**MARCH, channels=["linkedin"]))
    # A1 won, A3 lost, B1 won
    assert (r.closed, r.won, r.win_rate, r.won_revenue) == (3, 2, 2 / 3, 1000 + 2000)
    assert (r.open_deals, r.open_pipeline_value) == (1, 4000)
    r = compute_pipeline(con, Filters(**MARCH, channels=["linkedin"], reps=["Ann"]))
    assert (r.closed, r.won, r.win_rate, r.won_revenue) == (2, 1, 1 / 2, 1000)
    assert r.open_deals == 0 and r.open_pipeline_value == 0


def test_zero_closed_gives_none_not_zero(con) -> None:
    r = compute_pipeline(con, Filters(date_from=D("2024-06-01"), date_to=D("2024-06-30")))
    assert (r.closed, r.won, r.lost) == (0, 0, 0)
    assert r.win_rate is None
    assert r.avg_deal_value is None
    assert r.avg_cycle_days is None and r.median_cycle_days is None
    assert r.won_revenue == 0
    # open and created <= Jun 30: B3, A4, A5
    assert (r.open_deals, r.open_pipeline_value) == (3, 4000 + 1500 + 600)


def test_only_lost_gives_zero_win_rate_and_no_deal_value(con) -> None:
    r = compute_pipeline(con, Filters(date_from=D("2024-04-01"), date_to=D("2024-04-30")))
    assert (r.closed, r.won, r.lost) == (1, 0, 1)  # B2
    assert r.win_rate == 0.0
    assert r.avg_deal_value is None


def test_series_by_month_rep_and_channel(con) -> None:
    r = compute_pipeline(con, Filters())
    months = {(m.month, m.closed, m.won, m.lost, m.win_rate, m.won_revenue) for m in r.by_month}
    assert months == {
        (D("2024-02-01"), 1, 1, 0, 1.0, 900),  # B4
        (D("2024-03-01"), 4, 3, 1, 3 / 4, 6000),
        (D("2024-04-01"), 1, 0, 1, 0.0, 0),  # B2
    }
    assert [m.month for m in r.by_month] == sorted(m.month for m in r.by_month)

    r = compute_pipeline(con, Filters(**MARCH))
    reps = {x.owner: x for x in r.by_rep}
    assert sorted(reps) == ["Ann", "Bob"]
    # Ann: A1 A2 won, A3 lost; open A5 (600)
    assert (reps["Ann"].closed, reps["Ann"].won, reps["Ann"].win_rate) == (3, 2, 2 / 3)
    assert reps["Ann"].won_revenue == 4000 and reps["Ann"].avg_deal_value == 2000
    assert (reps["Ann"].open_deals, reps["Ann"].open_pipeline_value) == (1, 600)
    assert (reps["Bob"].open_deals, reps["Bob"].open_pipeline_value) == (1, 4000)
    channels = {x.channel: x for x in r.by_channel}
    # referral only has A4 open created in April -> absent in March
    assert sorted(channels) == ["cold_email", "linkedin"]
    assert (channels["cold_email"].closed, channels["cold_email"].won_revenue) == (1, 3000)
    assert channels["cold_email"].open_pipeline_value == 600  # A5
    assert channels["linkedin"].win_rate == 2 / 3


def test_missing_status_counts_as_open_and_missing_amount_as_zero(workspace) -> None:
    con = workspace(
        deals=[
            {"deal_id": "x", "owner": "Ann", "channel": "event", "created_at": "2024-03-01"},
            {"deal_id": "y", "owner": "Ann", "channel": "event", "status": "won",
             "created_at": "2024-03-01", "closed_at": "2024-03-02"},
        ]
    )  # fmt: skip
    r = compute_pipeline(con, Filters())
    assert (r.open_deals, r.open_pipeline_value) == (1, 0)
    assert (r.won, r.won_revenue, r.avg_deal_value) == (1, 0, 0)


def test_open_pipeline_includes_deals_created_on_the_last_day(con) -> None:
    r = compute_pipeline(con, Filters(date_from=D("2024-03-01"), date_to=D("2024-03-15")))
    # B3 is created on Mar 15 (the last day, inclusive); A5 in December
    assert (r.open_deals, r.open_pipeline_value) == (2, 4000 + 600)
    r = compute_pipeline(con, Filters(date_from=D("2024-03-01"), date_to=D("2024-03-14")))
    assert (r.open_deals, r.open_pipeline_value) == (1, 600)


def test_filter_values_are_parameters_not_sql(con) -> None:
    # A quote in a rep name must neither break the query nor widen the filter.
    r = compute_pipeline(con, Filters(**MARCH, reps=["x' OR '1'='1"]))
    assert (r.closed, r.open_deals) == (0, 0)


def test_previous_period_in_the_same_computation(con) -> None:
    r = compute_pipeline(con, Filters(**MARCH), with_previous=True)
    before = r.previous
    assert before is not None
    # whole March -> whole February; closed in February: B4 won (900, Jan 1 -> Feb 20 = 50 days)
    assert (before.filters.date_from, before.filters.date_to) == (D("2024-02-01"), D("2024-02-29"))
    assert (before.closed, before.won, before.lost, before.win_rate) == (1, 1, 0, 1.0)
    assert (before.won_revenue, before.avg_deal_value) == (900, 900)
    assert before.avg_cycle_days == before.median_cycle_days == 50
    # the period itself is unchanged by asking for the one before
    alone = compute_pipeline(con, Filters(**MARCH))
    assert alone.previous is None
    assert r.model_dump(exclude={"previous"}) == alone.model_dump(exclude={"previous"})


def test_previous_period_of_days_and_of_an_empty_period(con) -> None:
    r = compute_pipeline(con, Filters(date_from=D("2024-04-05"), date_to=D("2024-04-19")),
                         with_previous=True)
    assert r.closed == 0
    before = r.previous
    # 15 days -> Mar 21-Apr 4: B1 won (Mar 25, 2000, 20 days), B2 lost (Apr 2)
    assert (before.filters.date_from, before.filters.date_to) == (D("2024-03-21"), D("2024-04-04"))
    assert (before.closed, before.won, before.lost, before.win_rate) == (2, 1, 1, 0.5)
    assert (before.won_revenue, before.avg_cycle_days, before.median_cycle_days) == (2000, 20, 20)
    # Month to date (Apr 1-15) -> the previous month to the same day (Mar 1-15):
    # A1 won Mar 2 (1000, 30 days), A2 won Mar 11 (3000, 5 days).
    before = compute_pipeline(con, Filters(date_from=D("2024-04-01"), date_to=D("2024-04-15")),
                              with_previous=True).previous
    assert (before.filters.date_from, before.filters.date_to) == (D("2024-03-01"), D("2024-03-15"))
    assert (before.closed, before.won, before.lost, before.win_rate) == (2, 2, 0, 1.0)
    assert (before.won_revenue, before.avg_cycle_days, before.median_cycle_days) == (4000, 17.5,
                                                                                      17.5)
    r = compute_pipeline(con, Filters(date_from=D("2024-01-01"), date_to=D("2024-01-31")),
                         with_previous=True)
    before = r.previous  # December 2023: nothing closed
    assert (before.closed, before.won, before.won_revenue) == (0, 0, 0)
    assert before.win_rate is None and before.avg_cycle_days is None
    assert before.median_cycle_days is None


def test_the_deals_behind_the_closed_figures_largest_first(con) -> None:
    # Closed in March: A2 3000 won, B1 2000 won, A1 1000 won, A3 500 lost.
    deals = closed_deals(con, Filters(**MARCH))
    assert [d["deal_id"] for d in deals] == ["A2", "B1", "A1", "A3"]
    won_linkedin = closed_deals(con, Filters(**MARCH, channels=["linkedin"]), won_only=True)
    assert [d["deal_id"] for d in won_linkedin] == ["B1", "A1"]
    assert [d["deal_id"] for d in closed_deals(con, Filters(**MARCH), limit=1)] == ["A2"]


def test_the_closed_deals_come_one_page_at_a_time_with_their_count(con) -> None:
    # Largest first: A2, B1, A1, A3; pages of two.
    pages = [[d["deal_id"] for d in closed_deals(con, Filters(**MARCH), limit=2, offset=n)]
             for n in (0, 2, 4)]
    assert pages == [["A2", "B1"], ["A1", "A3"], []]
    assert count_closed_deals(con, Filters(**MARCH)) == 4
    assert count_closed_deals(con, Filters(**MARCH, channels=["linkedin"]), won_only=True) == 2


def test_deals_closed_before_creation_count_but_have_no_cycle() -> None:
    """docs/kpis/pipeline.md, "Sales cycle": entered after the fact, kept, out of the cycle."""
    from kpi.workspace import Workspace

    workspace = Workspace(one_shot=True)
    workspace.add_file(
        b"deal_id,owner,amount,created_at,closed_at,status\n"
        b"A,Ann,100,2024-03-01,2024-03-11,won\n"   # 10 days
        b"B,Ann,300,2024-03-01,2024-03-31,won\n"   # 30 days
        b"C,Ann,500,2024-03-20,2024-03-05,won\n",  # closed 15 days before creation
        "deals.csv")
    figures = compute_pipeline(workspace.con, Filters())
    assert figures.won == 3 and figures.won_revenue == 900
    assert figures.avg_cycle_days == 20  # (10 + 30) / 2
    assert figures.median_cycle_days == 20
