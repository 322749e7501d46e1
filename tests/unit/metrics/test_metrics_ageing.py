"""Deal ageing (docs/kpis/deal-ageing.md) from a hand-made export.

Period: 1 January - 30 June 2024, so deals are aged on 30 June 2024. Every
expected figure is worked out by hand in the comments.
"""

from __future__ import annotations

from datetime import date

import pytest

from kpi.metrics import compute_report
from kpi.metrics.ageing import compute_ageing
from kpi.report_text import report_text
from kpi.schema import Filters
from kpi.workspace import Workspace

# Won deals W1-W10 all created 1 Jan 2024, won after 5, 10, 15, 20, 30, 40, 60,
# 90, 120 and 200 days (W10 on 19 Jul, after the period: the limit takes every
# date). W11 closed before it was created: no cycle. W12 is in dollars.
# Open deals, their age on 30 June: O1 10 days, O2 60 (1 May), O3 90 (1 Apr),
# O4 91 (31 Mar), O5 212 (1 Dec 2023: 31 days of December + 181 of 2024).
# O6 was created after the period; L1 is lost.
DEALS = b"""Deal ID,Deal Name,Owner,Stage,Status,Amount,Created,Close Date,Currency
W1,w1,Ann,Won,Won,100,2024-01-01,2024-01-06,EUR
W2,w2,Ann,Won,Won,100,2024-01-01,2024-01-11,EUR
W3,w3,Ann,Won,Won,100,2024-01-01,2024-01-16,EUR
W4,w4,Bob,Won,Won,100,2024-01-01,2024-01-21,EUR
W5,w5,Bob,Won,Won,100,2024-01-01,2024-01-31,EUR
W6,w6,Bob,Won,Won,100,2024-01-01,2024-02-10,EUR
W7,w7,Cy,Won,Won,100,2024-01-01,2024-03-01,EUR
W8,w8,Cy,Won,Won,100,2024-01-01,2024-03-31,EUR
W9,w9,Cy,Won,Won,100,2024-01-01,2024-04-30,EUR
W10,w10,Cy,Won,Won,100,2024-01-01,2024-07-19,EUR
W11,w11,Cy,Won,Won,100,2024-03-10,2024-03-01,EUR
W12,w12,Cy,Won,Won,100,2020-01-01,2024-01-01,USD
O1,Alpha,Ann,Proposal,Open,1000,2024-06-20,,EUR
O2,Bravo,Ann,Proposal,Open,2000,2024-05-01,,EUR
O3,Charlie,Bob,Negotiation,Open,3000,2024-04-01,,EUR
O4,Delta,Bob,Negotiation,Open,4000,2024-03-31,,EUR
O5,Echo,Cy,,Open,5000,2023-12-01,,EUR
O6,Foxtrot,Ann,Proposal,Open,6000,2024-07-15,,EUR
L1,Lima,Bob,Lost,Lost,700,2024-01-01,2024-02-01,EUR
"""

H1 = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 6, 30), currency="EUR")
CYCLES = [5, 10, 15, 20, 30, 40, 60, 90, 120, 200]


@pytest.fixture(scope="module")
def workspace() -> Workspace:
    workspace = Workspace(one_shot=True)
    report = workspace.add_file(DEALS, "deals.csv")
    assert report.rows_rejected == 0, report.rejects
    return workspace


def test_the_stall_limit_is_the_nearest_rank_80th_percentile(workspace: Workspace) -> None:
    # 10 euro cycles: 80 % of 10 is 8, the 8th smallest is 90 days (W8); W11 has no
    # cycle and W12 (1,461 days) is in dollars.
    assert compute_ageing(workspace.con, H1).stall_limit == 90
    # That is DuckDB's quantile_disc; quantile_cont would interpolate between the
    # 8th and 9th: 90 + 0.2 x (120 - 90) = 96, a day count no deal took.
    disc, cont = workspace.con.execute(
        "SELECT quantile_disc(c, 0.8), quantile_cont(c, 0.8) FROM (SELECT unnest(?) AS c)",
        [CYCLES]).fetchall()[0]
    assert (disc, cont) == (90, pytest.approx(96))


def test_open_deals_by_band_and_stage(workspace: Workspace) -> None:
    result = compute_ageing(workspace.con, H1)
    assert result.open_deals == 5  # O1-O5; O6 created after 30 June, L1 lost
    assert [(b.band, b.open_deals, b.open_value) for b in result.age_bands] == [
        ("0-30", 1, 1000), ("31-60", 1, 2000), ("61-90", 1, 3000), ("91-180", 1, 4000),
        ("181+", 1, 5000)]
    # Stalled: open longer than 90 days: O4 (91) and O5 (212); O3 (90) is not.
    assert [(s.stage, s.open_deals, s.open_value, s.stalled) for s in result.by_stage] == [
        ("Negotiation", 2, 7000, 1), ("Proposal", 2, 3000, 0), (None, 1, 5000, 1)]
    assert (result.stalled, result.stalled_value) == (2, 9000)
    assert [(d.deal_name, d.owner, d.age_days) for d in result.stalled_deals] == [
        ("Echo", "Cy", 212), ("Delta", "Bob", 91)]
    assert [(c.band, c.stage, c.open_deals) for c in result.cells] == [
        ("0-30", "Proposal", 1), ("31-60", "Proposal", 1), ("61-90", "Negotiation", 1),
        ("91-180", "Negotiation", 1), ("181+", None, 1)]


def test_the_period_end_and_the_rep_filter(workspace: Workspace) -> None:
    # On 31 March: O3 and O6 are not created yet, O4 is 0 days old, O5 121 days
    # (31 + 31 + 29 + 30): only O5 is stalled; the limit does not move.
    march = compute_ageing(workspace.con, H1.model_copy(update={"date_to": date(2024, 3, 31)}))
    assert march.open_deals == 2 and march.stall_limit == 90
    assert [(d.deal_name, d.age_days) for d in march.stalled_deals] == [("Echo", 121)]
    # Bob's deals only; the limit is still the team's (every rep's won deals).
    bob = compute_ageing(workspace.con, H1.model_copy(update={"reps": ["Bob"]}))
    assert (bob.open_deals, bob.stalled, bob.stall_limit) == (2, 1, 90)


def test_in_the_report_json_and_text(workspace: Workspace) -> None:
    report = compute_report(workspace.con, H1)
    section = report["deal_ageing"]
    assert (section["open_deals"], section["stall_limit"], section["stalled"]) == (5, 90, 2)
    assert section["stalled_deals"][0]["deal_name"] == "Echo"
    text = report_text(report, "en")
    assert "## Deal ageing" in text
    assert "Stall limit: 90 days" in text
    assert "- 181+: Open deals: 1, Open pipeline: €5,000" in text
    assert "- O5: Deal: Echo, Rep: Cy, Stage: n/a, Amount: €5,000, Age: 212 days" in text
