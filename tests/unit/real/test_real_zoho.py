"""Zoho CRM tables exported through Zoho Analytics (zoho-sample).

Money is written `$22,700.00` (campaign costs `$141.56K`), dates `15 Apr, 2021
00:02:00`. Potentials have no deal id column (ids are generated, every row
loaded) and a LEADID link that must not turn them into leads.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

POTENTIALS = "zoho-sample/Potentials.csv"
LEADS = "zoho-sample/Leads.csv"
CONTACTS = "zoho-sample/Contacts.csv"
QUOTES = "zoho-sample/Quotes.csv"
CAMPAIGNS = "zoho-sample/Campaigns.csv"

STAGE_STATUS = {"Closed Won": "won", "Closed Lost": "lost"}
# docs/tables.md, "Statuses": Zoho quote stages Confirmed / Delivered are won (accepted).
QUOTE_STATUS = {"Confirmed": "won", "Delivered": "won", "Closed Won": "won",
                "Closed Lost": "lost"}


def potentials(raw, path: Path) -> list:
    return [raw.Deal(deal_id=None, created=raw.zoho_day(r["Created Time"]),
                     closed=raw.zoho_day(r["Closing Date"]),
                     status=STAGE_STATUS.get(r["Stage"], "open"), amount=raw.dollars(r["Amount"]))
            for r in raw.read(path).dicts()]


def test_potentials_are_deals_and_every_row_is_loaded(real, raw, cli, same):
    path = real(POTENTIALS)
    deals = potentials(raw, path)
    accepted = raw.accepted(deals)
    assert len(accepted) == len(deals), "README: every row of Potentials.csv is loadable"
    same(cli.imported(path), {"table": "deals", "rows_read": len(deals),
                              "rows_accepted": len(accepted), "rows_rejected": 0},
         "import of Potentials.csv")


def test_potentials_won_lost_and_revenue(real, raw, cli, same):
    path = real(POTENTIALS)
    expected = raw.pipeline(raw.accepted(potentials(raw, path)))
    same(cli.report(path)["pipeline"], expected, "pipeline of Potentials.csv")


def test_potentials_dollars_are_not_euros(real, cli):
    currency = cli.report(real(POTENTIALS))["filters"].get("currency")
    assert currency == "USD", f"amounts written $22,700.00 are shown as {currency!r}, expected USD"


def zoho_leads(raw, path: Path, id_column: str) -> tuple[int, int]:
    """(rows, rows with a unique id); raw.zoho_day insists every creation date is readable."""
    rows = raw.read(path).dicts()
    ids = {r[id_column] for r in rows if r[id_column] and raw.zoho_day(r["Created Time"])}
    return len(rows), len(ids)


@pytest.mark.parametrize(("relative", "id_column"), [(LEADS, "LEADID"), (CONTACTS, "CONTACTID")])
def test_leads_and_contacts_are_leads(real, raw, cli, same, relative, id_column):
    path = real(relative)
    rows, loadable = zoho_leads(raw, path, id_column)
    same(cli.imported(path), {"table": "leads", "rows_read": rows, "rows_accepted": loadable,
                              "rows_rejected": rows - loadable}, f"import of {path.name}")


def test_converted_leads_are_customers(real, raw, cli, same):
    path = real(LEADS)
    rows = raw.read(path).dicts()
    converted = sum(1 for r in rows if r["CONVERTED"] == "Yes")
    assert 0 < converted < len(rows)
    leads, customers = cli.customers(path)
    same({"leads": leads, "customers": customers}, {"leads": len(rows), "customers": converted},
         "Leads.csv over all its channels")


def test_quotes_are_proposals(real, raw, cli, same):
    path = real(QUOTES)
    rows = raw.read(path).dicts()
    loadable = {r["QUOTEID"] for r in rows if raw.zoho_day(r["Created Time"])}
    same(cli.imported(path), {"table": "proposals", "rows_read": len(rows),
                              "rows_accepted": len(loadable),
                              "rows_rejected": len(rows) - len(loadable)}, "import of Quotes.csv")


def test_quote_stages(real, raw, cli, same):
    path = real(QUOTES)
    statuses = Counter(QUOTE_STATUS.get(r["Quote Stage"], "open")
                       for r in raw.read(path).dicts())
    expected = {"sent": statuses.total(), "won": statuses["won"], "lost": statuses["lost"],
                "pending": statuses["open"]}
    same(cli.report(path)["proposals"], expected, "proposals of Quotes.csv")


def test_campaigns_are_channel_costs(real, raw, cli, same):
    path = real(CAMPAIGNS)
    rows = raw.read(path).dicts()
    with_cost = [r for r in rows if r["Actual Cost"].strip() and r["Start Date"].strip()]
    same(cli.imported(path), {"table": "channel_costs", "rows_read": len(rows),
                              "rows_accepted": len(with_cost),
                              "rows_rejected": len(rows) - len(with_cost)},
         "import of Campaigns.csv")


def test_campaign_spend(real, raw, cli, same):
    path = real(CAMPAIGNS)
    spend = sum(raw.dollars(r["Actual Cost"]) for r in raw.read(path).dicts())
    channels = cli.report(path)["channels"]
    same({"spend": sum(c["spend"] or 0 for c in channels)}, {"spend": spend},
         "total spend of Campaigns.csv (Actual Cost, $141.56K = 141,560)")
