"""HubSpot "All deals" exports of a UK consultancy (hubspot-marvell), custom stages.

Won and lost come from the portal's own stage names "Closed: won" / "Closed:
lost"; "Closed: abandoned" and the "Awaiting …" stages are open (README: open
unless mapped). The second export has all 110 columns, two header names
repeated, and "Amount in company currency" (preferred over Amount, docs/tables.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

DEFAULT_COLUMNS = "hubspot-marvell/hubspot-crm-exports-all-deals-2023-04-03.csv"
ALL_COLUMNS = "hubspot-marvell/hubspot-crm-exports-all-deals-2023-05-16.csv"
STATUS_OF_STAGE = {"Closed: won": "won", "Closed: lost": "lost"}


def hubspot_deals(raw, path: Path) -> list:
    """Every row of the export as a deal, read from the raw columns."""
    rows = raw.read(path).dicts()
    amount = "Amount in company currency" if "Amount in company currency" in rows[0] else "Amount"
    return [raw.Deal(deal_id=r["Record ID"], created=raw.iso_day(r["Create Date"]),
                     closed=raw.iso_day(r["Close Date"]),
                     status=STATUS_OF_STAGE.get(r["Deal Stage"], "open"),
                     amount=raw.number(r[amount]))
            for r in rows]


@pytest.mark.parametrize("relative", [DEFAULT_COLUMNS, ALL_COLUMNS])
def test_rows_read_and_accepted(real, raw, cli, same, relative):
    path = real(relative)
    deals = hubspot_deals(raw, path)
    accepted = raw.accepted(deals)
    same(cli.imported(path), {
        "table": "deals", "rows_read": len(deals), "rows_accepted": len(accepted),
        "rows_rejected": len(deals) - len(accepted)}, f"import of {path.name}")


@pytest.mark.parametrize("relative", [DEFAULT_COLUMNS, ALL_COLUMNS])
def test_won_lost_and_revenue_from_the_custom_stages(real, raw, cli, same, relative):
    path = real(relative)
    expected = raw.pipeline(raw.accepted(hubspot_deals(raw, path)))
    assert expected["won"] and expected["lost"], "the export has won and lost deals"
    same(cli.report(path)["pipeline"], expected, f"pipeline of {path.name}")


def test_the_source_type_is_the_channel(real, raw, cli, same):
    path = real(ALL_COLUMNS)
    rows = raw.read(path).dicts()
    imported = cli.imported(path)
    mapping = {c["source"]: c["field"] for c in imported["columns"]}
    assert mapping.get("Original Source Type") == "channel", (
        f"'Original Source Type' is read as {mapping.get('Original Source Type')!r}, "
        "expected channel")
    channels = {c["channel"]: c["deals_created"] for c in cli.report(path)["channels"]}
    without_source = sum(1 for r in rows if not r["Original Source Type"].strip())
    same({"unknown": channels.get("unknown"), "all": sum(channels.values())},
         {"unknown": without_source, "all": len(rows)}, "deals created per channel")
