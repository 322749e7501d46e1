"""Zoho CRM through Zoho Analytics (kpi/ingest/dialects/zoho.py): the tables of
../shared/real/zoho-sample, in small and in full. Zoho Analytics writes
`$22,700.00`, `15 Apr, 2021 00:02:00` and `$141.56K`."""

from collections import Counter
from datetime import date

import pytest

from kpi.schema import TableKind

POTENTIALS = '''\
Potential Name,Potential Owner,Created Time,Closing Date,Amount,Expected Revenue,Stage,Forecast Type,Type,Lead Source,Probability,LEADID,Campaign Id
"Lewis, James",Roger Terrence,"15 Apr, 2021 00:02:00","16 Apr, 2021 00:03:00","$22,700.00","$33,500.00",Closed Won,Won,Existing Business,Advertisement,100,1832,24000023
"Kirk, Rebecca",Rozario Diego,"15 Apr, 2021 00:02:00","18 Apr, 2021 00:03:00","$29,700.00","$0.00",Closed Lost,Lost,Existing Business,Employee Referral,0,1941,24000026
"Langlais, Micah",Roger Terrence,"15 Apr, 2021 00:02:00","20 Apr, 2021 00:03:00","$10,700.00","$5,350.00",Needs Analysis,Open,New Business,Seminar Partner,50,1455,24000012
'''  # noqa: E501

LEADS = '''\
LEADID,Last Name,Company,Lead Owner,Email,Lead Source,Lead Status,Created Time,CONVERTED
4563,Denson,Maurice The Pants Man,David Love,GaryLDenson@cuvox.de,Employee Referral,Contacted,"15 Apr, 2021 00:03:00",Yes
4564,Hall,Chargepal,Thomas Mondrake,MaryCHall@armyspy.com,Internal Seminar,Junk Lead,"16 Apr, 2021 00:03:00",No
'''  # noqa: E501

QUOTES = '''\
QUOTEID,Subject,Created Time,Quote Owner,Quote Stage,Valid Till,Sales Status,Sub Total,Discount,Tax,Adjustments,Grand Total
19000435,ZR-48659-Barcelona Chair,"19 Apr, 2021 09:39:35",Lazar Mathew,Confirmed,"20 Apr, 2021 09:34:11",Won,"$2,635.81",$154.72,$109.34,$0.25,"$2,590.68"
19000436,ZR-48660-Barcelona Chair,"19 Apr, 2021 09:40:00",Lazar Mathew,Delivered,"20 Apr, 2021 09:34:11",Open,"$1,000.00",$0.00,$50.00,$0.00,"$1,050.00"
19000623,ZR-48688-Barcelona Chair,"19 Apr, 2021 06:01:41",Harold Pawlan,Closed Lost,"20 Apr, 2021 10:20:13",Lost,$500.00,$0.00,$25.00,$0.00,$525.00
19000700,ZR-48700-Barcelona Chair,"20 Apr, 2021 06:01:41",Harold Pawlan,On Hold,"21 Apr, 2021 10:20:13",Open,$300.00,$0.00,$15.00,$0.00,$315.00
'''  # noqa: E501

CAMPAIGNS = '''\
CAMPAIGNID,Campaign Name,Type,Status,Created Time,Modified Time,Start Date,End Date,Expected Revenue,Budgeted Cost,Actual Cost
24000011,Campaign All users,Conference,Planning,2021-04-25,2021-04-16,2021-04-25,2021-05-05,$342.09K,$115.00K,$141.56K
24000039,Campaign Dashboard,Telemarketing,Planning,2021-04-24,2021-04-04,2021-04-24,2021-05-08,"$1,117.10K",$273.64K,$357.80K
'''  # noqa: E501


@pytest.fixture(scope="module")
def potentials(load, text):
    return load(text(POTENTIALS), "Potentials.csv")


def test_potentials_are_deals_not_leads(potentials):
    report = potentials.report
    assert report.table == TableKind.DEALS
    assert report.dialect == "Zoho CRM"
    mapping = report.mapping
    assert mapping["Potential Owner"] == "owner"
    assert mapping["Potential Name"] == "deal_name"
    assert mapping["Amount"] == "amount"  # not the weighted Expected Revenue
    assert mapping["LEADID"] == "lead_id"
    assert "Expected Revenue" not in mapping


def test_potentials_values(potentials):
    # No id column: every row is kept, with an id of its own (docs/tables.md).
    assert potentials.report.rows_accepted == 3
    got = sorted((r["lead_id"], r["status"], r["amount"], r["channel"], r["closed_at"])
                 for r in potentials.rows)
    assert got == [
        ("1455", "open", 10700.0, "other", None),
        ("1832", "won", 22700.0, "website_paid", date(2021, 4, 16)),
        ("1941", "lost", 29700.0, "referral", date(2021, 4, 18)),
    ]
    assert len(set(potentials.column("deal_id"))) == 3


def test_leads_converted_flag(load, text):
    loaded = load(text(LEADS), "Leads.csv")
    assert loaded.report.table == TableKind.LEADS
    assert loaded.report.mapping["CONVERTED"] == "is_converted"
    got = {r["lead_id"]: (r["owner"], r["channel"], r["converted_at"]) for r in loaded.rows}
    assert got == {
        "4563": ("David Love", "referral", date(2021, 4, 15)),
        "4564": ("Thomas Mondrake", "event", None),
    }


def test_quotes_are_proposals(load, text):
    loaded = load(text(QUOTES), "Quotes.csv")
    report = loaded.report
    assert report.table == TableKind.PROPOSALS
    assert report.mapping == {
        "QUOTEID": "proposal_id", "Created Time": "sent_at", "Quote Owner": "owner",
        "Quote Stage": "status", "Grand Total": "amount",
    }
    got = {r["proposal_id"]: (r["status"], r["amount"]) for r in loaded.rows}
    assert got == {
        "19000435": ("won", 2590.68),  # Confirmed
        "19000436": ("won", 1050.0),  # Delivered
        "19000623": ("lost", 525.0),
        "19000700": ("open", 315.0),
    }


def test_campaigns_are_channel_costs(load, text):
    loaded = load(text(CAMPAIGNS), "Campaigns.csv")
    assert loaded.report.table == TableKind.CHANNEL_COSTS
    got = {(r["channel"], r["month"]): r["spend"] for r in loaded.rows}
    assert got == {("event", date(2021, 4, 1)): 141560.0,
                   ("cold_call", date(2021, 4, 1)): 357800.0}


def test_real_potentials(load, real, rows_of):
    data = real("zoho-sample/Potentials.csv")
    loaded = load(data, "Potentials.csv")
    stages = Counter(r["Stage"] for r in rows_of(data))
    report = loaded.report
    assert report.table == TableKind.DEALS
    assert report.rows_accepted == report.rows_read == sum(stages.values())
    statuses = Counter(loaded.column("status"))
    assert (statuses["won"], statuses["lost"]) == (stages["Closed Won"], stages["Closed Lost"])


def test_real_leads(load, real, rows_of):
    data = real("zoho-sample/Leads.csv")
    loaded = load(data, "Leads.csv")
    converted = sum(r["CONVERTED"] == "Yes" for r in rows_of(data))
    assert loaded.report.table == TableKind.LEADS
    assert sum(v is not None for v in loaded.column("converted_at")) == converted


def test_real_quotes(load, real, rows_of):
    data = real("zoho-sample/Quotes.csv")
    loaded = load(data, "Quotes.csv")
    stages = Counter(r["Quote Stage"] for r in rows_of(data))
    assert loaded.report.table == TableKind.PROPOSALS
    won = Counter(loaded.column("status"))["won"]
    assert won == stages["Confirmed"] + stages["Delivered"] + stages["Closed Won"]


def test_real_contacts_and_campaigns(load, real, rows_of):
    contacts = load(real("zoho-sample/Contacts.csv"), "Contacts.csv")
    assert contacts.report.table == TableKind.LEADS
    assert contacts.report.rows_accepted == len(rows_of(real("zoho-sample/Contacts.csv")))
    campaigns = load(real("zoho-sample/Campaigns.csv"), "Campaigns.csv")
    assert campaigns.report.table == TableKind.CHANNEL_COSTS
    assert campaigns.report.rows_accepted == len(rows_of(real("zoho-sample/Campaigns.csv")))
