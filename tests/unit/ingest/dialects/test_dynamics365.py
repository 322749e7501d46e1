"""Dynamics 365 Sales "Export to Excel" (kpi/ingest/dialects/dynamics365.py):
the three hidden `(Do Not Modify)` columns first, then the view's columns;
US-formatted `$12,000.00` and `3/5/2024 10:22 AM`."""

from datetime import date

from kpi.schema import TableKind

OPPORTUNITIES = """\
(Do Not Modify) Opportunity,(Do Not Modify) Row Checksum,(Do Not Modify) Modified On,Topic,Potential Customer,Est. Close Date,Est. Revenue,Actual Revenue,Status,Status Reason,Owner,Created On,Actual Close Date,Originating Lead
7f3a9c1e-1d2b-ee11-be6e-000d3a8a1b2c,kQ9x...==,3/28/2024 4:40 PM,100 Laptops,Contoso Pharmaceuticals,3/30/2024,"$12,000.00","$11,500.00",Won,Won,Nancy Anderson,3/5/2024 10:22 AM,3/28/2024,Interested in laptops
8a4b0d2f-1d2b-ee11-be6e-000d3a8a1b2c,aB7y...==,4/2/2024 8:05 AM,Printers,Fabrikam,4/15/2024,"$3,000.00",,Lost,Out-Sold,Alan Steiner,2/14/2024 9:00 AM,4/2/2024,
9b5c1e3a-1d2b-ee11-be6e-000d3a8a1b2c,cD5z...==,3/21/2024 11:00 AM,Tablets,Litware,6/30/2024,"$800.00",,Open,In Progress,Nancy Anderson,3/21/2024 11:00 AM,,
"""  # noqa: E501

LEADS = """\
(Do Not Modify) Lead,(Do Not Modify) Row Checksum,(Do Not Modify) Modified On,Name,Topic,Status Reason,Created On,Owner,Lead Source,Status
3c1d2e4f-1d2b-ee11-be6e-000d3a8a1b2c,xY1...==,3/1/2024 9:00 AM,Yvonne McKay,Interested in laptops,Qualified,3/1/2024 9:00 AM,Nancy Anderson,Trade Show,Qualified
4d2e3f5a-1d2b-ee11-be6e-000d3a8a1b2c,zW2...==,3/2/2024 9:00 AM,Susanna Stubberod,Printers,New,3/2/2024 9:00 AM,Alan Steiner,Word of Mouth,Open
"""  # noqa: E501


def test_opportunities_export(load, text):
    loaded = load(text(OPPORTUNITIES), "Opportunities.xlsx.csv")
    report = loaded.report
    assert report.table == TableKind.DEALS
    assert report.dialect == "Dynamics 365 Sales"
    mapping = report.mapping
    assert mapping["(Do Not Modify) Opportunity"] == "deal_id"
    assert mapping["Topic"] == "deal_name"
    assert mapping["Est. Revenue"] == "amount"
    assert mapping["Status"] == "status"
    assert mapping["Status Reason"] == "stage"
    assert mapping["Created On"] == "created_at"
    assert mapping["Actual Close Date"] == "closed_at"
    for ignored in ("(Do Not Modify) Row Checksum", "(Do Not Modify) Modified On",
                    "Originating Lead", "Est. Close Date"):
        assert ignored not in mapping
    got = {r["deal_name"]: (r["status"], r["amount"], r["created_at"], r["closed_at"])
           for r in loaded.rows}
    assert got == {
        "100 Laptops": ("won", 12000.0, date(2024, 3, 5), date(2024, 3, 28)),
        "Printers": ("lost", 3000.0, date(2024, 2, 14), date(2024, 4, 2)),
        "Tablets": ("open", 800.0, date(2024, 3, 21), None),
    }


def test_leads_export(load, text):
    loaded = load(text(LEADS), "Leads.xlsx.csv")
    report = loaded.report
    assert report.table == TableKind.LEADS
    assert report.mapping["(Do Not Modify) Lead"] == "lead_id"
    got = {r["owner"]: (r["channel"], r["created_at"]) for r in loaded.rows}
    assert got == {"Nancy Anderson": ("event", date(2024, 3, 1)),
                   "Alan Steiner": ("word_of_mouth", date(2024, 3, 2))}
