"""Salesforce objects exported with API field names.

salesforce-winkel: a Latin-American company's Opportunity object (cp1252, 48
stray NUL bytes, Spanish stages, COP / MXN / PEN / USD mixed, won deals closed
before their creation date) and the org's three sample campaigns.
salesforce-prodly: 12 demo opportunities with no owner or created date.
"""

from __future__ import annotations

from pathlib import Path

import pytest

OPPORTUNITIES = "salesforce-winkel/Opportunity.csv"
CAMPAIGNS = "salesforce-winkel/Campaign.csv"
PRODLY = "salesforce-prodly/Opportunity.csv"


def winkel_deals(raw, path: Path) -> list:
    """Status from the flags (IsWon; IsClosed without IsWon is lost), per currency."""
    def status(row: dict[str, str]) -> str:
        if row["IsWon"] == "1":
            return "won"
        return "lost" if row["IsClosed"] == "1" else "open"

    return [raw.Deal(deal_id=r["Id"], created=raw.iso_day(r["CreatedDate"]),
                     closed=raw.iso_day(r["CloseDate"]), status=status(r),
                     amount=raw.number(r["Amount"]), currency=r["CurrencyIsoCode"])
            for r in raw.read(path, "cp1252").dicts()]


def test_opportunities_load_despite_the_nul_bytes(real, raw, cli, same):
    path = real(OPPORTUNITIES)
    assert path.read_bytes().count(b"\0") == 48
    deals = winkel_deals(raw, path)
    accepted = raw.accepted(deals)
    same(cli.imported(path), {"table": "deals", "encoding": "cp1252", "rows_read": len(deals),
                              "rows_accepted": len(accepted),
                              "rows_rejected": len(deals) - len(accepted)},
         "import of Opportunity.csv")


def test_deals_closed_before_creation_are_kept_and_counted(real, raw, cli):
    path = real(OPPORTUNITIES)
    accepted = raw.accepted(winkel_deals(raw, path))
    early = raw.closed_early(accepted)
    assert early, "README: some won deals close before their creation date"
    imported = cli.imported(path)
    assert imported["rows_accepted"] == len(accepted), (
        f"rows_accepted: importer gave {imported['rows_accepted']}, expected {len(accepted)} "
        f"including the {early} deals closed before their creation date")
    said = [n for n in imported["notes"] + imported["warnings"]
            if str(early) in n and "before" in n]
    assert said, f"no note counts the {early} early-closed deals: {imported['notes']}"


@pytest.mark.parametrize("currency", ["USD", "COP"])
def test_each_currency_on_its_own(real, raw, cli, same, currency):
    path = real(OPPORTUNITIES)
    expected = raw.pipeline(raw.accepted(winkel_deals(raw, path)), currency)
    report = cli.report(path, "--currency", currency)
    same({"currency": report["filters"].get("currency"), **report["pipeline"]},
         {"currency": currency, **expected}, f"pipeline of Opportunity.csv in {currency}")


def test_default_currency_is_the_one_with_most_won_revenue(real, raw, cli, same):
    path = real(OPPORTUNITIES)
    accepted = raw.accepted(winkel_deals(raw, path))
    revenue = {c: raw.pipeline(accepted, c)["won_revenue"] for c in {d.currency for d in accepted}}
    top = max(revenue, key=revenue.__getitem__)
    report = cli.report(path)
    same({"currency": report["filters"].get("currency"), **report["pipeline"]},
         {"currency": top, **raw.pipeline(accepted, top)},
         "pipeline of Opportunity.csv without --currency (never a sum across currencies)")


def test_campaigns_are_costs_or_refused_never_leads(real, raw, cli, same):
    path = real(CAMPAIGNS)
    refusal = cli.refusal(path)
    if refusal is not None:  # README: "channel costs, or a clear refusal"
        about = refusal.replace("Campaign.csv", "").lower()
        assert any(word in about for word in ("cost", "spend", "channel", "campaign")), (
            f"a clear refusal speaks of costs, not of another table: {refusal}")
        return
    rows = raw.read(path).dicts()
    with_cost = [r for r in rows if r["ActualCost"].strip()]
    same(cli.imported(path), {"table": "channel_costs", "rows_read": len(rows),
                              "rows_accepted": len(with_cost),
                              "rows_rejected": len(rows) - len(with_cost)},
         "import of Campaign.csv")
    spend = sum(raw.number(r["ActualCost"]) for r in rows)
    channels = cli.report(path)["channels"]
    same({"spend": sum(c["spend"] or 0 for c in channels)}, {"spend": spend},
         "spend of Campaign.csv (ActualCost)")


def test_prodly_is_refused_for_its_missing_creation_date_or_loaded(real, raw, cli, same):
    path = real(PRODLY)
    header = raw.read(path).header
    assert not {"CreatedDate", "OwnerId", "Id"} & set(header), "the file truly lacks them"
    refusal = cli.refusal(path)
    if refusal is not None:
        assert "created" in refusal.lower() or "creation" in refusal.lower(), (
            f"the refusal should name the missing creation date: {refusal}")
        return
    rows = raw.read(path).dicts()
    won = [r for r in rows if r["StageName"] == "Closed Won"]
    imported = cli.imported(path)
    same(imported, {"table": "deals", "rows_read": len(rows), "rows_accepted": len(rows)},
         "import of the prodly Opportunity.csv")
    same(cli.report(path)["pipeline"],
         {"won": len(won), "won_revenue": sum(raw.number(r["Amount"]) for r in won)},
         "pipeline of the prodly Opportunity.csv")
