"""Several currencies: every KPI family covers one currency, never a sum of two (docs/kpis/currencies.md).

The workspace is built by the real importer from CSV exports with a `Currency`
column: four deals in EUR, four in USD, two in COP. Expected figures are worked
out by hand from the rows below (comments say how); a second check recomputes
the money figures in plain Python from the same rows.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kpi.metrics import (
    compute_channels,
    compute_compensation,
    compute_content,
    compute_pipeline,
    compute_proposals,
    compute_report,
    compute_social_selling,
    currencies,
    default_currency,
    left_out,
)
from kpi.schema import Filters, TableKind
from kpi.workspace import Workspace

ROOT = Path(__file__).resolve().parents[3]

DEALS = """deal_id,owner,channel,status,amount,created_at,closed_at,Currency
E1,Alice,LinkedIn,won,1000,2024-01-10,2024-02-10,EUR
E2,Bob,Cold email,won,3000,2024-01-15,2024-03-15,EUR
E3,Alice,LinkedIn,lost,2000,2024-02-01,2024-03-01,EUR
E4,Bob,LinkedIn,open,5000,2024-03-01,,EUR
U1,Alice,LinkedIn,won,10000,2024-01-05,2024-01-25,USD
U2,Bob,Cold email,lost,4000,2024-02-01,2024-02-20,USD
U3,Alice,Cold email,lost,6000,2024-02-10,2024-03-10,USD
U4,Bob,LinkedIn,open,7000,2024-02-15,,USD
C1,Alice,LinkedIn,won,9000000,2024-01-01,2024-01-31,COP
C2,Bob,LinkedIn,open,2000000,2024-02-01,,COP
"""
# P4 has no deal: it is in the default currency (COP).
PROPOSALS = """proposal_id,deal_id,owner,sent_at,amount,status
P1,E1,Alice,2024-01-20,1000,won
P2,U2,Bob,2024-02-05,4000,lost
P3,U1,Alice,2024-01-10,10000,won
P4,,Bob,2024-02-10,500,open
"""
# Packages and costs carry no currency: they are in the default one (COP).
COMPENSATION = """owner,month,package
Alice,2024-01,1000
Alice,2024-02,1000
Alice,2024-03,1000
Bob,2024-01,2000
Bob,2024-02,2000
Bob,2024-03,2000
"""
COSTS = """channel,month,spend
LinkedIn,2024-01,300
LinkedIn,2024-02,300
LinkedIn,2024-03,300
"""
CONTENT = """date,owner,kind,deal_id,title,views,likes
2024-01-12,Alice,deck_shared,E1,Deck,10,1
2024-01-06,Alice,deck_shared,U1,Deck,20,2
2024-02-02,Bob,own_post,,Post,30,3
"""
FILES = {"deals.csv": DEALS, "proposals.csv": PROPOSALS, "compensation.csv": COMPENSATION,
         "channel_costs.csv": COSTS, "content.csv": CONTENT}


@pytest.fixture(scope="module")
def ws() -> Iterator[Workspace]:
    workspace = Workspace(one_shot=True)
    for name, text in FILES.items():
        report = workspace.add_file(text.encode(), name)
        assert report.table is TableKind(name.removesuffix(".csv")), report
        assert report.rows_rejected == 0, report.rejects
    yield workspace
    workspace.close()


def only(code: str | None, **options: object) -> Filters:
    return Filters(currency=code, **options)


# --- which currencies, which default ---------------------------------------------------


def test_currencies_are_listed_with_deals_and_won_revenue_default_first(ws: Workspace) -> None:
    listed = [(c.currency, c.deals, c.won_revenue) for c in currencies(ws.con)]
    # won revenue: COP 9,000,000 (C1); USD 10,000 (U1); EUR 1,000 + 3,000 (E1, E2)
    assert listed == [("COP", 2, 9_000_000), ("USD", 4, 10_000), ("EUR", 4, 4_000)]
    assert default_currency(ws.con) == "COP"


def test_default_is_the_most_won_revenue_not_the_most_deals() -> None:
    workspace = Workspace(one_shot=True)
    workspace.add_file(b"""deal_id,owner,status,amount,created_at,closed_at,Currency
A,Ann,won,100,2024-01-01,2024-01-02,EUR
B,Ann,won,100,2024-01-01,2024-01-02,EUR
C,Ann,open,90000,2024-01-01,,EUR
D,Ann,won,500,2024-01-01,2024-01-02,GBP
""", "deals.csv")
    # EUR: 3 deals, 200 won (the open 90,000 is not revenue); GBP: 1 deal, 500 won
    assert default_currency(workspace.con) == "GBP"
    assert compute_pipeline(workspace.con, Filters()).won_revenue == 500
    workspace.close()


def test_equal_won_revenue_goes_to_the_currency_with_more_deals() -> None:
    workspace = Workspace(one_shot=True)
    workspace.add_file(b"""deal_id,owner,status,amount,created_at,closed_at,Currency
A,Ann,won,100,2024-01-01,2024-01-02,USD
B,Ann,won,100,2024-01-01,2024-01-02,EUR
C,Ann,lost,100,2024-01-01,2024-01-02,EUR
""", "deals.csv")
    assert default_currency(workspace.con) == "EUR"
    workspace.close()


def test_a_single_currency_is_named_and_leaves_nothing_out() -> None:
    workspace = Workspace(one_shot=True)
    workspace.add_file(b"""deal_id,owner,status,amount,created_at,closed_at,Currency
A,Ann,won,100,2024-01-01,2024-01-02,CAD
B,Ann,won,300,2024-01-01,2024-01-02,CAD
""", "deals.csv")
    result = compute_pipeline(workspace.con, Filters())
    assert result.filters.currency == "CAD"
    assert result.won_revenue == 400
    assert left_out(workspace.con, Filters()).deals == 0
    workspace.close()


# --- every family, one currency at a time ----------------------------------------------


def test_pipeline_per_currency(ws: Workspace) -> None:
    eur = compute_pipeline(ws.con, only("EUR"))
    # E1 won 1000 (31 days), E2 won 3000 (60 days), E3 lost; E4 open 5000
    assert (eur.closed, eur.won, eur.lost) == (3, 2, 1)
    assert eur.win_rate == pytest.approx(2 / 3)
    assert eur.won_revenue == 4000 and eur.avg_deal_value == 2000
    assert eur.avg_cycle_days == pytest.approx(45.5) and eur.median_cycle_days == 45.5
    assert (eur.open_deals, eur.open_pipeline_value) == (1, 5000)

    usd = compute_pipeline(ws.con, only("USD"))
    # U1 won 10000 (20 days), U2 and U3 lost; U4 open 7000
    assert (usd.closed, usd.won, usd.lost) == (3, 1, 2)
    assert usd.win_rate == pytest.approx(1 / 3)
    assert usd.won_revenue == 10000 and usd.avg_deal_value == 10000
    assert usd.avg_cycle_days == 20
    assert (usd.open_deals, usd.open_pipeline_value) == (1, 7000)
    # per rep too: Alice's USD deals are U1 (won) and U3 (lost)
    alice = next(rep for rep in usd.by_rep if rep.owner == "Alice")
    assert (alice.closed, alice.won, alice.won_revenue) == (2, 1, 10000)


def test_no_currency_given_means_the_default_one(ws: Workspace) -> None:
    result = compute_pipeline(ws.con, Filters())
    assert result.filters.currency == "COP"
    # C1 won 9,000,000 in 30 days; C2 open 2,000,000
    assert (result.closed, result.won, result.win_rate) == (1, 1, 1.0)
    assert result.won_revenue == 9_000_000 and result.avg_cycle_days == 30
    assert (result.open_deals, result.open_pipeline_value) == (1, 2_000_000)


def _rows() -> list[dict[str, str]]:
    header, *lines = DEALS.strip().splitlines()
    return [dict(zip(header.split(","), line.split(","), strict=True)) for line in lines]


@pytest.mark.parametrize("code", ["EUR", "USD", "COP"])
def test_no_money_figure_adds_two_currencies(ws: Workspace, code: str) -> None:
    """The same figures recomputed in Python from the CSV rows of that currency only."""
    mine = [r for r in _rows() if r["Currency"] == code]
    won = [float(r["amount"]) for r in mine if r["status"] == "won"]
    still_open = [float(r["amount"]) for r in mine if r["status"] == "open"]
    result = compute_pipeline(ws.con, only(code))
    assert result.won_revenue == sum(won)
    assert result.open_pipeline_value == sum(still_open)
    assert result.won == len(won)
    assert sum(month.won_revenue for month in result.by_month) == sum(won)
    assert sum(rep.open_pipeline_value for rep in result.by_rep) == sum(still_open)


def test_channels_per_currency_and_costs_only_in_the_default_one(ws: Workspace) -> None:
    eur = {row.channel: row for row in compute_channels(ws.con, only("EUR")).channels}
    # LinkedIn EUR: E1 won 1000, E3 lost, E4 open (created 3); Cold email: E2 won 3000
    assert (eur["linkedin"].deals_created, eur["linkedin"].closed, eur["linkedin"].won) == (3, 2, 1)
    assert eur["linkedin"].revenue == 1000 and eur["linkedin"].win_rate == 0.5
    assert (eur["cold_email"].closed, eur["cold_email"].revenue) == (1, 3000)
    # the costs are in COP: not set against euros
    assert eur["linkedin"].spend is None and eur["linkedin"].cac is None

    cop = {row.channel: row for row in compute_channels(ws.con, only("COP")).channels}
    # three whole months of 300 inside the data's span (2024-01-01 .. 2024-03-31)
    assert cop["linkedin"].spend == pytest.approx(900)
    assert cop["linkedin"].cac == pytest.approx(900)  # 900 / 1 won (C1)
    assert cop["linkedin"].revenue == 9_000_000
    assert set(cop) == {"linkedin"}


def test_proposals_follow_their_deal_and_unlinked_ones_the_default(ws: Workspace) -> None:
    usd = compute_proposals(ws.con, only("USD"))
    # P2 (U2) lost, P3 (U1) won
    assert (usd.sent, usd.won, usd.lost, usd.pending) == (2, 1, 1, 0)
    assert usd.conversion_rate == 0.5
    eur = compute_proposals(ws.con, only("EUR"))
    assert (eur.sent, eur.won, eur.pending) == (1, 1, 0)  # P1 (E1)
    cop = compute_proposals(ws.con, only("COP"))
    # P4 has no deal: the default currency's, pending; nothing decided, so no rate
    assert (cop.sent, cop.pending, cop.pending_value) == (1, 1, 500)
    assert cop.conversion_rate is None and cop.forecast_revenue is None


def test_packages_are_only_set_against_the_default_currency(ws: Workspace) -> None:
    cop = compute_compensation(ws.con, only("COP"))
    reps = {rep.owner: rep for rep in cop.reps}
    # three whole months: Alice 3 x 1000, Bob 3 x 2000; C1 is Alice's
    assert reps["Alice"].package == pytest.approx(3000) and reps["Alice"].revenue == 9_000_000
    assert reps["Alice"].ratio == pytest.approx(3000)
    assert reps["Bob"].package == pytest.approx(6000) and reps["Bob"].revenue == 0
    assert cop.team_ratio == pytest.approx(9_000_000 / 9000)

    eur = compute_compensation(ws.con, only("EUR"))
    # packages in COP are never divided into euros: nothing to compare, nobody listed apart
    assert eur.reps == [] and eur.team_ratio is None
    assert eur.reps_without_package == []


def test_social_selling_per_currency(ws: Workspace) -> None:
    usd = compute_social_selling(ws.con, only("USD"))
    # no leads table: leads = LinkedIn USD deals created (U1, U4), customers = won (U1)
    assert (usd.leads, usd.customers, usd.deals_created) == (2, 1, 2)
    assert usd.lead_to_customer_rate == 0.5
    assert usd.avg_deal_value == 10000
    # no other channel won a USD deal: undefined, not 0 and not another currency's figure
    assert usd.avg_deal_value_other is None
    eur = compute_social_selling(ws.con, only("EUR"))
    assert eur.avg_deal_value == 1000 and eur.avg_deal_value_other == 3000  # E1; E2


def test_content_counts_the_deals_of_the_currency_only(ws: Workspace) -> None:
    eur = compute_content(ws.con, only("EUR"))
    # 4 EUR deals created in the period, one (E1) received a deck
    assert (eur.deals_worked, eur.deals_with_content) == (4, 1)
    assert eur.usage_rate == 0.25
    # events have no currency: every deck is counted whatever the currency
    assert eur.decks_shared == 2 and eur.own_posts == 1
    cop = compute_content(ws.con, only("COP"))
    assert (cop.deals_worked, cop.deals_with_content) == (2, 0)


def test_the_report_names_the_currency_it_used(ws: Workspace) -> None:
    report = compute_report(ws.con, Filters())
    assert report["filters"]["currency"] == "COP"
    assert report["pipeline"]["won_revenue"] == 9_000_000
    chosen = compute_report(ws.con, only("USD"))
    assert chosen["filters"]["currency"] == "USD"
    assert chosen["pipeline"]["won_revenue"] == 10000
    assert chosen["proposals"]["sent"] == 2


# --- what is left out ----------------------------------------------------------------------


def test_left_out_counts_the_other_currencies(ws: Workspace) -> None:
    eur = left_out(ws.con, only("EUR"))
    assert (eur.currency, eur.deals, eur.currencies) == ("EUR", 6, ["USD", "COP"])
    default = left_out(ws.con, Filters())
    assert (default.currency, default.deals, default.currencies) == ("COP", 8, ["EUR", "USD"])


def test_left_out_follows_the_reps_channels_and_period(ws: Workspace) -> None:
    # Alice's deals not in EUR: U1, U3, C1
    assert left_out(ws.con, only("EUR", reps=["Alice"])).deals == 3
    # LinkedIn deals not in EUR: U1, U4, C1, C2
    assert left_out(ws.con, only("EUR", channels=["linkedin"])).deals == 4
    # February 2024: U2 (created, closed), U3 (created), U4 (created, open), C2 (created,
    # open); U1 and C1 were created and closed in January
    february = left_out(ws.con, only("EUR", date_from=date(2024, 2, 1),
                                     date_to=date(2024, 2, 29)))
    assert (february.deals, february.currencies) == (4, ["USD", "COP"])


def test_deals_without_currency_leave_nothing_out(workspace) -> None:  # noqa: ANN001
    """Only in workspaces imported before currencies were read: no filter, nothing left out."""
    con = workspace(deals=[{"deal_id": "A", "owner": "Ann", "channel": "referral",
                            "status": "won", "amount": 5, "created_at": "2024-01-01",
                            "closed_at": "2024-01-02"}])
    assert left_out(con, Filters()).currency is None
    assert compute_pipeline(con, Filters()).won_revenue == 5


# --- the command line ----------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kpi", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def deals_file(tmp_path: Path) -> Path:
    path = tmp_path / "deals.csv"
    path.write_text(DEALS)
    return path


def test_cli_currency_option(deals_file: Path) -> None:
    result = run("report", str(deals_file), "--currency", "usd")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["filters"]["currency"] == "USD"
    assert report["pipeline"]["won_revenue"] == 10000
    assert report["pipeline"]["win_rate"] == pytest.approx(1 / 3)
    assert report["pipeline"]["open_pipeline_value"] == 7000


def test_cli_refuses_what_is_not_a_currency_code(deals_file: Path) -> None:
    result = run("report", str(deals_file), "--currency", "dollars")
    assert result.returncode == 2 and result.stdout == ""
    assert "'dollars' is not a currency code" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_names_the_default_currency(deals_file: Path) -> None:
    result = run("report", str(deals_file))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["filters"]["currency"] == "COP"
    assert report["pipeline"]["won_revenue"] == 9_000_000


def test_cli_text_shows_the_currency_and_formats_in_it(deals_file: Path) -> None:
    result = run("report", str(deals_file), "--currency", "USD", "--format", "text")
    assert result.returncode == 0, result.stderr
    assert "Currency: USD" in result.stdout
    assert "Won revenue: $10,000" in result.stdout
    french = run("report", str(deals_file), "--currency", "EUR", "--format", "text",
                 "--lang", "fr")
    assert "Devise : EUR" in french.stdout
    assert "Chiffre d'affaires gagné : 4\u202f000\u00a0€" in french.stdout


# --- money in any currency -----------------------------------------------------------------


@pytest.mark.parametrize(("code", "lang", "expected"), [
    ("EUR", "en", "€12,345"), ("EUR", "fr", "12\u202f345\u00a0€"),
    ("USD", "en", "$12,345"), ("USD", "fr", "12\u202f345\u00a0$US"),
    ("CAD", "en", "CA$12,345"), ("CAD", "fr", "12\u202f345\u00a0$CA"),
    ("GBP", "en", "£12,345"), ("MXN", "en", "MX$12,345"), ("COP", "fr", "12\u202f345\u00a0$CO"),
])
def test_money_reads_in_its_own_currency(code: str, lang: str, expected: str) -> None:
    from kpi.i18n import format_money

    assert format_money(12345, lang, code) == expected


def test_money_keeps_the_decimals_asked_for_whatever_the_currency() -> None:
    from kpi.i18n import format_money

    # JPY has no minor unit in CLDR; the caller's decimals still decide
    assert format_money(-1234.5, "en", "JPY", decimals=2) == "-¥1,234.50"
    assert format_money(1234.56, "fr", "CHF", decimals=1) == "1\u202f234,6\u00a0CHF"
    assert format_money(None, "en", "CAD") == "n/a"
