"""SuiteCRM 8 list-view exports (suitecrm8): one record each, then stray lines.

A line with another number of cells than the header is not a record: the
importer reports it as a malformed rejected row with its line number; blank
lines are nothing at all.
"""

from __future__ import annotations

OPPORTUNITIES = "suitecrm8/Opportunities.csv"
LEADS = "suitecrm8/Leads.csv"


def counts(csv_file) -> dict:
    """The import counts a user should see: records accepted, stray lines rejected."""
    read = len(csv_file.records) + len(csv_file.stray)
    return {"rows_read": read, "rows_accepted": len(csv_file.records),
            "rows_rejected": len(csv_file.stray)}


def test_opportunities_are_deals(real, raw, cli, same):
    path = real(OPPORTUNITIES)
    csv_file = raw.read(path)
    assert len(csv_file.records) == 1 and csv_file.stray, "README: 1 opportunity, a stray line"
    imported = cli.imported(path)
    same(imported, {"table": "deals", **counts(csv_file)}, "import of Opportunities.csv")
    rejected_lines = [r["row"] for r in imported["rejects"]]
    assert rejected_lines == [line for line, _ in csv_file.stray], (
        f"rejected lines: importer {rejected_lines}, stray lines {csv_file.stray}")


def test_the_won_deal_closed_before_creation_is_kept(real, raw, cli, same):
    path = real(OPPORTUNITIES)
    rows = raw.read(path).dicts()
    deals = [raw.Deal(deal_id=r["ID"], created=raw.iso_day(r["Date Created"]),
                      closed=raw.iso_day(r["Expected Close Date"]),
                      status={"Closed Won": "won", "Closed Lost": "lost"}.get(r["Sales Stage"],
                                                                              "open"),
                      amount=raw.dollars(r["Opportunity Amount"]))
             for r in rows]
    assert raw.closed_early(deals) == 1, "closed 2023-06-03, created 2024-03-26"
    report = cli.report(path)
    same(report["pipeline"], raw.pipeline(raw.accepted(deals)), "pipeline of Opportunities.csv")
    assert report["filters"].get("currency") == "USD", (
        f"'$10,000.00' with Currency '-99 is shown as {report['filters'].get('currency')!r}, "
        "expected USD")


def test_leads_are_leads_not_deals(real, raw, cli, same):
    path = real(LEADS)
    csv_file = raw.read(path)
    assert len(csv_file.records) == 1 and csv_file.stray
    same(cli.imported(path), {"table": "leads", **counts(csv_file)}, "import of Leads.csv")


def test_lead_conversion_flag(real, raw, cli, same):
    path = real(LEADS)
    rows = raw.read(path).dicts()
    converted = sum(1 for r in rows if r["Converted"] == "1")
    leads, customers = cli.customers(path)
    same({"leads": leads, "customers": customers}, {"leads": len(rows), "customers": converted},
         "Leads.csv over all its channels")
