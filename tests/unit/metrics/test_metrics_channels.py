"""Per-channel KPIs, prorated spend, CAC and the channel focus (docs/kpis/channels.md)."""

from __future__ import annotations

from datetime import date

import pytest

from kpi.metrics import ChannelRow, channel_focus, compute_channels
from kpi.schema import Filters

D = date.fromisoformat
MARCH = {"date_from": D("2024-03-01"), "date_to": D("2024-03-31")}

DEALS = [
    {"deal_id": "1", "owner": "Ann", "channel": "linkedin", "status": "won", "amount": 1000.0,
     "created_at": "2024-03-01", "closed_at": "2024-03-05"},
    {"deal_id": "2", "owner": "Bob", "channel": "linkedin", "status": "won", "amount": 3000.0,
     "created_at": "2024-02-01", "closed_at": "2024-03-10"},
    {"deal_id": "3", "owner": "Ann", "channel": "linkedin", "status": "lost", "amount": 500.0,
     "created_at": "2024-03-02", "closed_at": "2024-03-12"},
    {"deal_id": "4", "owner": "Bob", "channel": "linkedin", "status": "open", "amount": 700.0,
     "created_at": "2024-03-20"},
    {"deal_id": "5", "owner": "Ann", "channel": "cold_email", "status": "lost", "amount": 200.0,
     "created_at": "2024-03-01", "closed_at": "2024-03-03"},
    # a channel of D with nothing in March
    {"deal_id": "6", "owner": "Bob", "channel": "referral", "status": "won", "amount": 5000.0,
     "created_at": "2023-12-01", "closed_at": "2024-01-10"},
]  # fmt: skip
LEADS = [
    {"lead_id": "a", "owner": "Ann", "channel": "linkedin", "created_at": "2024-03-02"},
    {"lead_id": "b", "owner": "Bob", "channel": "linkedin", "created_at": "2024-03-03"},
    {"lead_id": "c", "owner": "Bob", "channel": "linkedin", "created_at": "2024-02-03"},
    {"lead_id": "d", "owner": "Ann", "channel": "event", "created_at": "2024-03-04"},
]
COSTS = [
    {"channel": "linkedin", "month": "2024-02-01", "spend": 290.0},  # 29 days
    {"channel": "linkedin", "month": "2024-03-01", "spend": 310.0},  # 31 days
    {"channel": "cold_email", "month": "2024-03-01", "spend": 100.0},
    {"channel": "event", "month": "2024-03-01", "spend": 50.0},
]


@pytest.fixture
def con(workspace):
    return workspace(deals=DEALS, leads=LEADS, channel_costs=COSTS)


def by_channel(result) -> dict[str, ChannelRow]:
    return {row.channel: row for row in result.channels}


def test_per_channel_figures_in_march(con) -> None:
    rows = by_channel(compute_channels(con, Filters(**MARCH)))
    assert sorted(rows) == ["cold_email", "event", "linkedin", "referral"]
    li = rows["linkedin"]
    assert li.leads == 2  # a, b (c is February)
    assert li.deals_created == 3  # 1, 3, 4 (2 was created in February)
    assert (li.closed, li.won) == (3, 2)
    assert li.win_rate == 2 / 3
    assert li.revenue == 1000 + 3000
    assert li.avg_deal_value == 4000 / 2
    assert li.revenue_per_closed == 4000 / 3
    assert li.spend == 310  # February's month does not overlap March
    assert li.cac == 310 / 2

    ce = rows["cold_email"]
    assert (ce.deals_created, ce.closed, ce.won, ce.win_rate, ce.revenue) == (1, 1, 0, 0.0, 0)
    assert ce.avg_deal_value is None and ce.revenue_per_closed == 0.0
    assert ce.spend == 100 and ce.cac is None  # spend but no won deal

    ref = rows["referral"]  # in D, nothing in March, no cost data
    assert (ref.deals_created, ref.closed, ref.won, ref.revenue) == (0, 0, 0, 0)
    assert ref.win_rate is None and ref.revenue_per_closed is None
    assert ref.spend is None and ref.cac is None

    ev = rows["event"]  # leads and spend, no deals
    assert (ev.leads, ev.closed, ev.spend, ev.cac) == (1, 0, 50, None)


def test_rows_are_ordered_by_revenue_then_name(con) -> None:
    result = compute_channels(con, Filters(**MARCH))
    # linkedin 4000 first, then the three channels at 0 in name order
    assert [row.channel for row in result.channels] == [
        "linkedin",
        "cold_email",
        "event",
        "referral",
    ]


def test_spend_is_prorated_by_days_inside_the_period(con) -> None:
    r = by_channel(
        compute_channels(con, Filters(date_from=D("2024-02-15"), date_to=D("2024-03-10")))
    )
    # Feb 15-29 = 15 of 29 days; Mar 1-10 = 10 of 31 days
    assert r["linkedin"].spend == pytest.approx(290 * 15 / 29 + 310 * 10 / 31)  # 150 + 100
    assert r["linkedin"].won == 2  # closed Mar 5 and Mar 10
    assert r["linkedin"].cac == pytest.approx(250 / 2)
    assert r["cold_email"].spend == pytest.approx(100 * 10 / 31)


def test_no_overlapping_cost_month_means_no_spend(con) -> None:
    r = by_channel(
        compute_channels(con, Filters(date_from=D("2024-01-01"), date_to=D("2024-01-31")))
    )
    assert r["referral"].won == 1
    assert r["referral"].spend is None and r["referral"].cac is None
    assert "linkedin" in r and r["linkedin"].spend is None


def test_channel_and_rep_filters(con) -> None:
    rows = by_channel(compute_channels(con, Filters(**MARCH, channels=["linkedin"])))
    assert list(rows) == ["linkedin"]
    rows = by_channel(compute_channels(con, Filters(**MARCH, reps=["Ann"])))
    li = rows["linkedin"]
    assert (li.leads, li.closed, li.won, li.revenue) == (1, 2, 1, 1000)  # lead a; deals 1, 3
    # spend belongs to the channel, not to a rep: not split
    assert li.spend == 310 and li.cac == 310 / 1
    assert "referral" not in rows  # Bob's only


def test_focus_end_to_end(con) -> None:
    result = compute_channels(con, Filters(**MARCH, min_closed=2))
    focus = result.focus
    assert [i.channel for i in focus.keep] == ["linkedin"]  # closed 3 >= 2
    assert focus.reduce == []
    assert [i.channel for i in focus.insufficient_data] == ["cold_email", "event", "referral"]
    assert focus.insufficient_data[0].reason.code == "insufficient_closed"
    assert focus.insufficient_data[0].reason.closed == 1
    assert focus.channel_ids() == {
        "keep": ["linkedin"],
        "reduce": [],
        "insufficient_data": ["cold_email", "event", "referral"],
        "catch_all": [],
    }


def row(channel: str, closed: int, revenue: float, won: int | None = None) -> ChannelRow:
    """A channel row with the figures the focus uses (won defaults to half the closed)."""
    won = closed // 2 if won is None else won
    return ChannelRow(
        channel=channel, leads=0, deals_created=0, closed=closed, won=won,
        win_rate=won / closed if closed else None, revenue=revenue,
        avg_deal_value=revenue / won if won else None,
        revenue_per_closed=revenue / closed if closed else None, spend=None, cac=None,
    )  # fmt: skip


def ids(items) -> list[str]:
    return [item.channel for item in items]


def test_top_three_bringing_exactly_80_percent_keep_three() -> None:
    rows = [row("a", 10, 5000), row("b", 10, 4000), row("c", 10, 3000),
            row("d", 10, 2000), row("e", 10, 1000)]  # fmt: skip
    focus = channel_focus(rows)
    # top 3 = 12000 of 15000 = 80 %: not less than 80 %, no 4th
    assert focus.top3_share == 12000 / 15000
    assert ids(focus.keep) == ["a", "b", "c"]
    assert ids(focus.reduce) == ["d", "e"]
    assert [i.reason.code for i in focus.keep] == ["keep_top"] * 3
    assert [i.reason.rank for i in focus.reduce] == [4, 5]
    assert focus.reduce[0].reason.code == "reduce_rank"


def test_a_fourth_channel_when_the_top_three_bring_less_than_80_percent() -> None:
    rows = [row("a", 10, 5000), row("b", 10, 4000), row("c", 10, 3000),
            row("d", 10, 2000), row("e", 10, 1100)]  # fmt: skip
    focus = channel_focus(rows)
    # 12000 / 15100 = 79.5 % < 80 %
    assert ids(focus.keep) == ["a", "b", "c", "d"]
    assert ids(focus.reduce) == ["e"]
    fourth = focus.keep[3]
    assert fourth.reason.code == "keep_fourth"
    assert fourth.reason.top3_share == pytest.approx(12000 / 15100)
    assert "top 3" in fourth.reason_en and "79%" in fourth.reason_en


def test_ties_break_on_revenue_then_name() -> None:
    rows = [
        row("x", 10, 3000),  # 300 per closed deal, revenue 3000
        row("y", 20, 6000),  # 300 per closed deal, revenue 6000 -> before x
        row("beta", 10, 3000),  # same as x -> by name: beta before x
        row("alpha", 10, 3000),  # same as x -> alpha first of the three
    ]
    focus = channel_focus(rows)
    assert ids(focus.keep) + ids(focus.reduce) == ["y", "alpha", "beta", "x"]
    # top 3 = 12000 of 15000 = 80 %: x is reduced
    assert ids(focus.reduce) == ["x"]


def test_min_closed_is_inclusive_and_others_are_insufficient() -> None:
    rows = [row("ten", 10, 100), row("nine", 9, 9000)]
    focus = channel_focus(rows, min_closed=10)
    assert ids(focus.keep) == ["ten"]
    assert ids(focus.insufficient_data) == ["nine"]
    reason = focus.insufficient_data[0].reason
    assert (reason.code, reason.closed, reason.min_closed, reason.rank) == (
        "insufficient_closed", 9, 10, None)  # fmt: skip
    assert "9 closed" in focus.insufficient_data[0].reason_en


def test_min_closed_zero_still_needs_one_closed_deal() -> None:
    focus = channel_focus([row("none", 0, 0), row("one", 1, 10, won=1)], min_closed=0)
    assert ids(focus.keep) == ["one"]
    assert ids(focus.insufficient_data) == ["none"]


def test_ranking_metric_is_selectable() -> None:
    rows = [
        row("big", 10, 9000, won=2),  # 900/closed, win rate 0.2
        row("sure", 10, 3000, won=9),  # 300/closed, win rate 0.9
        row("mid", 10, 5000, won=5),  # 500/closed, win rate 0.5
        row("small", 10, 2000, won=8),  # 200/closed, win rate 0.8
    ]
    assert ids(channel_focus(rows).keep)[:3] == ["big", "mid", "sure"]
    by_win_rate = channel_focus(rows, metric="win_rate")
    assert ids(by_win_rate.keep)[:3] == ["sure", "small", "mid"]
    assert by_win_rate.keep[0].reason.value == 0.9
    # revenue ranking: big, mid, sure = 17000 of 19000 = 89 % -> no 4th
    by_revenue = channel_focus(rows, metric="revenue")
    assert ids(by_revenue.keep) == ["big", "mid", "sure"] and ids(by_revenue.reduce) == ["small"]
    with pytest.raises(ValueError):
        channel_focus(rows, metric="spend")  # type: ignore[arg-type]


def test_three_or_fewer_ranked_are_all_kept_and_zero_revenue_adds_no_fourth() -> None:
    focus = channel_focus([row("a", 10, 1), row("b", 10, 2)])
    assert ids(focus.keep) == ["b", "a"] and focus.top3_share is None
    zero = channel_focus([row(name, 10, 0) for name in "abcde"])
    assert ids(zero.keep) == ["a", "b", "c"]  # ties everywhere: by name
    assert ids(zero.reduce) == ["d", "e"]  # 0 of 0 revenue is undefined: no 4th
    assert zero.top3_share is None


def test_reason_carries_numbers_for_translation() -> None:
    rows = [row("a", 10, 6000), row("b", 10, 4000)]
    item = channel_focus(rows).keep[0]
    assert item.reason.model_dump(include={"code", "rank", "ranked", "metric"}) == {
        "code": "keep_top", "rank": 1, "ranked": 2, "metric": "revenue_per_closed"}  # fmt: skip
    assert item.reason.value == 600  # 6000 / 10 closed
    assert item.reason.revenue_share == 6000 / 10000
    assert item.reason_en.startswith("Keep: rank 1 of 2")


CATCH_ALL_CSV = b"""deal_id,owner,channel,status,amount,created_at,closed_at
L1,Ann,LinkedIn,won,1000,2024-03-01,2024-03-05
L2,Ann,LinkedIn,lost,200,2024-03-01,2024-03-06
E1,Bob,Cold email,won,500,2024-03-02,2024-03-07
U1,Bob,,won,9000,2024-03-02,2024-03-08
U2,Ann,,won,3000,2024-03-02,2024-03-09
O1,Bob,Carrier pigeon,won,700,2024-03-03,2024-03-10
O2,Bob,Carrier pigeon,lost,100,2024-03-03,2024-03-11
"""


def test_catch_alls_are_listed_apart_never_kept_or_reduced() -> None:
    """`unknown` (empty source) and `other` (unrecognised) are values to map, not channels."""
    from kpi.workspace import Workspace

    workspace = Workspace(one_shot=True)
    workspace.add_file(CATCH_ALL_CSV, "x.csv")
    result = compute_channels(workspace.con, Filters(min_closed=1))
    focus = result.focus
    # unknown would rank first (12000 / 2 closed = 6000 per closed deal): it is not ranked
    assert focus.channel_ids() == {"keep": ["linkedin", "cold_email"], "reduce": [],
                                   "insufficient_data": [], "catch_all": ["other", "unknown"]}
    # linkedin 1000 / 2 = 500 ties cold_email 500 / 1; more revenue first
    assert [i.reason.rank for i in focus.keep] == [1, 2]
    assert focus.keep[0].reason.ranked == 2
    # shares of the ranked channels' revenue only: 1000 of 1500
    assert focus.keep[0].reason.revenue_share == pytest.approx(1000 / 1500)
    other, unknown = focus.catch_all
    assert (other.decision, other.reason.code) == ("catch_all", "catch_all")
    assert (other.reason.closed, other.reason.revenue) == (2, 700)  # O1 won, O2 lost
    assert (unknown.reason.closed, unknown.reason.revenue) == (2, 9000 + 3000)
    assert unknown.reason.rank is None
    assert unknown.reason_en.startswith("Not ranked: 2 closed deal(s) and 12,000.00")
    assert focus.decisions()["unknown"] == "catch_all"


def test_a_catch_all_with_few_closed_deals_is_still_a_catch_all() -> None:
    focus = channel_focus([row("unknown", 1, 50), row("a", 10, 100)], min_closed=10)
    assert ids(focus.catch_all) == ["unknown"] and ids(focus.insufficient_data) == []
    assert ids(focus.keep) == ["a"]


def test_rows_sorted_by_a_measure_put_empty_values_last(con) -> None:
    result = compute_channels(con, Filters(**MARCH))
    # win rate: linkedin 2/3, cold_email 0; event (no closed deal) and referral: none, by name
    assert [r.channel for r in result.sorted_by("win_rate")] == [
        "linkedin", "cold_email", "event", "referral"]  # fmt: skip
    # cac: linkedin 310 / 2 = 155; the others have none
    assert [r.channel for r in result.sorted_by("cac")][0] == "linkedin"
