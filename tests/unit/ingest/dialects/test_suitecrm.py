"""SuiteCRM / SugarCRM list-view exports (kpi/ingest/dialects/suitecrm.py), as
SuiteCRM 8 writes them (../shared/real/suitecrm8): every value quoted,
`$10,000.00`, the default currency as `'-99`, dates `2024-03-26 15:15`."""

from collections import Counter
from datetime import date

from kpi.schema import TableKind

OPPORTUNITIES = '''\
"Opportunity Name","ID","Opportunity Amount","Currency","Expected Close Date","Sales Stage","Probability (%)","Next Step","Type","Account Name","Description","Amount","Lead Source","campaign_id","Assigned to","Assigned User","Date Created","Date Modified","Created By","Modified By","Deleted"
"24/7 Couriers - 1000 units","03c86066-2ea5-4756-95d5-6a1aa01c3723","$10,000.00","'-99","2024-06-03","Closed Won","100","","New Business","24/7 Couriers","","$10,000.00","Word of mouth","","sarah","seed_sarah_id","2024-03-26 15:15","2024-06-03 09:00","1","1","0"
"Smith & Sons - 200 units","1a2b3c4d-0000-4756-95d5-6a1aa01c0001","$2,500.00","'-99","2024-07-15","Closed Lost","0","","New Business","Smith & Sons","","$2,500.00","Employee","","chris","seed_chris_id","2024-04-02 10:00","2024-07-15 09:00","1","1","0"
"pnc Banking - renewal","1a2b3c4d-0000-4756-95d5-6a1aa01c0002","$7,000.00","'-99","2024-09-30","Negotiation/Review","80","","Existing Business","pnc Banking Inc","","$7,000.00","Web Site","","sarah","seed_sarah_id","2024-05-10 11:30","2024-05-10 11:30","1","1","0"
'''  # noqa: E501

LEADS = '''\
"First Name","Last Name","ID","Account Name","Status","Lead Source","Converted","Opportunity Name","Opportunity Amount","Campaign ID","Contact ID","Account ID","Opportunity ID","Assigned to","Assigned User","Date Created","Date Modified"
"Melissa","Bucy","00c19439-0b27-4499-8b22-cd01ee41501a","Smith & Sons","Recycled","Self Generated","0","","","","","","","chris","seed_chris_id","2023-02-06 06:30","2024-05-28 23:00"
"John","Doe","11c19439-0b27-4499-8b22-cd01ee41502b","24/7 Couriers","Converted","Word of mouth","1","24/7 Couriers - 1000 units","$10,000.00","","22c19439-0000-4499-8b22-cd01ee415000","33c19439-0000-4499-8b22-cd01ee415000","03c86066-2ea5-4756-95d5-6a1aa01c3723","sarah","seed_sarah_id","2023-03-01 09:00","2024-03-26 15:15"
"Ana","Reyes","44c19439-0b27-4499-8b22-cd01ee41503c","Initech","New","Trade Show","0","","","","","","","sarah","seed_sarah_id","2023-03-02 10:00","2023-03-02 10:00"
'''  # noqa: E501


def test_opportunities_export(load, text):
    loaded = load(text(OPPORTUNITIES), "Opportunities.csv")
    report = loaded.report
    assert report.table == TableKind.DEALS
    assert report.dialect == "SuiteCRM / SugarCRM"
    mapping = report.mapping
    assert mapping["ID"] == "deal_id"
    assert mapping["Sales Stage"] == "stage"
    assert mapping["Assigned to"] == "owner"
    assert mapping["Date Created"] == "created_at"
    assert mapping["Expected Close Date"] == "closed_at"
    assert mapping["Lead Source"] == "channel"
    got = {r["deal_name"]: (r["status"], r["amount"], r["channel"], r["closed_at"])
           for r in loaded.rows}
    assert got == {
        "24/7 Couriers - 1000 units": ("won", 10000.0, "word_of_mouth", date(2024, 6, 3)),
        "Smith & Sons - 200 units": ("lost", 2500.0, "referral", date(2024, 7, 15)),
        "pnc Banking - renewal": ("open", 7000.0, "website_organic", None),
    }


def test_leads_export_is_leads_not_deals(load, text):
    loaded = load(text(LEADS), "Leads.csv")
    report = loaded.report
    # Its Opportunity ID / Name / Amount are links to the opportunity the lead became.
    assert report.table == TableKind.LEADS
    assert report.mapping["ID"] == "lead_id"
    assert report.mapping["Converted"] == "is_converted"
    assert "Opportunity ID" not in report.mapping
    got = {r["lead_id"][:2]: (r["owner"], r["channel"], r["converted_at"]) for r in loaded.rows}
    assert got == {
        "00": ("chris", "other", None),
        "11": ("sarah", "word_of_mouth", date(2023, 3, 1)),
        "44": ("sarah", "event", None),
    }


def test_real_exports(load, real, rows_of):
    opportunities = load(real("suitecrm8/Opportunities.csv"), "Opportunities.csv")
    assert opportunities.report.table == TableKind.DEALS
    assert Counter(opportunities.column("status")) == {"won": 1}
    leads = load(real("suitecrm8/Leads.csv"), "Leads.csv")
    assert leads.report.table == TableKind.LEADS
    source = [r for r in rows_of(real("suitecrm8/Leads.csv")) if r.get("Date Created")]
    assert leads.report.rows_accepted == len(source)
