"""Salesforce object exports with API names (kpi/ingest/dialects/salesforce.py):
Opportunity, Lead and Campaign as Data Loader writes them, and the real
exports of ../shared/real/salesforce-winkel and salesforce-prodly. Report
exports (labels, title rows, footer) are tested in test_ingest_salesforce.py."""

from collections import Counter
from datetime import date

import pytest

from kpi.ingest import UnreadableFile
from kpi.messages import field_label
from kpi.schema import TableKind

# A subset of the Opportunity object's columns, in Salesforce's order; cp1252
# like the winkel org's export, Spanish stage and lead source values.
OPPORTUNITY = '''\
"Id","IsDeleted","AccountId","Name","StageName","Amount","CloseDate","LeadSource","IsClosed","IsWon","CurrencyIsoCode","CampaignId","OwnerId","CreatedDate","ContactId"
"0068a00001JMUl0AAH","0","0018a000020sFKBAA2","Peru-Interbank-50","Closed Won","9225.225","2023-05-11 00:00:00","Gestión directa","1","1","PEN","000000000000000AAA","0058a00000MNWtZAAX","2023-02-07 20:47:49","0038a000037J0ggAAC"
"0068a00001JMc4nAAD","0","0018a000020sFKCAA2","Mexico-Banorte","Closed Lost","275000","2023-06-30 00:00:00","Socios","1","0","MXN","000000000000000AAA","0058a00000MNWtFAAX","2023-03-01 10:00:00",""
"0068a00001JMm78AAD","0","0018a000020sFKDAA2","Colombia-Davivienda","Negociación","100","2023-09-30 00:00:00","Otros","0","0","USD","000000000000000AAA","0058a00000MNWtKAAX","2023-04-12 16:30:00",""
"0068a00001JMm79AAD","0","0018a000020sFKDAA2","Colombia-Bancolombia","Closed Won","5000","2023-01-15 00:00:00","","1","1","COP","000000000000000AAA","0058a00000MNWtKAAX","2023-04-12 16:31:00",""
'''  # noqa: E501

LEAD = '''\
"Id","LastName","Company","Status","LeadSource","OwnerId","IsConverted","ConvertedDate","ConvertedAccountId","ConvertedContactId","ConvertedOpportunityId","CreatedDate"
"00Q8a00001A1","Rossi","Acme","Closed - Converted","Partner Referral","0058a00000MNWtZAAX","1","2024-03-20","0018a00002A","0038a00003A","0068a00004A","2024-03-05T10:22:11.000Z"
"00Q8a00001A2","Silva","Globex","Open - Not Contacted","Web","0058a00000MNWtZAAX","0","","","","","2024-03-06T08:00:00.000Z"
"00Q8a00001A3","Lopez","Initech","Closed - Converted","Phone Inquiry","0058a00000MNWtFAAX","1","","0018a00002B","0038a00003B","0068a00004B","2024-03-07T09:15:00.000Z"
'''  # noqa: E501

CAMPAIGN = '''\
"Id","IsDeleted","Name","ParentId","Type","Status","StartDate","EndDate","CurrencyIsoCode","ExpectedRevenue","BudgetedCost","ActualCost","ExpectedResponse","NumberSent","IsActive","NumberOfLeads","NumberOfOpportunities","OwnerId","CreatedDate"
"7018a000001swV6AAI","0","Conference - Email Invite","","Email","Completed","2022-09-22 00:00:00","2022-09-28 00:00:00","USD","100000","15500","20000","0","18575","1","0","0","0058a00000LLRscAAH","2022-05-25 20:38:02"
"7018a000001swV7AAI","0","Customer Conference","","Event","Completed","2022-12-19 00:00:00","2022-12-21 00:00:00","USD","225000","45000","52000","0","0","1","0","0","0058a00000LLRscAAH","2022-05-25 20:38:02"
'''  # noqa: E501


@pytest.fixture(scope="module")
def opportunities(load, text):
    return load(text(OPPORTUNITY, encoding="cp1252"), "Opportunity.csv")


def test_opportunity_api_names_are_mapped(opportunities):
    report = opportunities.report
    assert report.table == TableKind.DEALS
    assert report.dialect == "Salesforce"
    assert report.mapping == {
        "Id": "deal_id", "Name": "deal_name", "StageName": "stage", "Amount": "amount",
        "CloseDate": "closed_at", "LeadSource": "channel", "IsClosed": "is_closed",
        "IsWon": "is_won", "CurrencyIsoCode": "currency", "OwnerId": "owner",
        "CreatedDate": "created_at", "ContactId": "lead_id",
    }


def test_opportunity_values(opportunities):
    got = {r["deal_id"]: (r["status"], r["channel"], r["currency"], r["owner"])
           for r in opportunities.rows}
    assert got == {
        # "Gestión directa" (the rep's own prospecting) names no channel of ours.
        "0068a00001JMUl0AAH": ("won", "other", "PEN", "0058a00000MNWtZAAX"),
        "0068a00001JMc4nAAD": ("lost", "referral", "MXN", "0058a00000MNWtFAAX"),  # Socios
        "0068a00001JMm78AAD": ("open", "other", "USD", "0058a00000MNWtKAAX"),
        "0068a00001JMm79AAD": ("won", "unknown", "COP", "0058a00000MNWtKAAX"),
    }


def test_won_deal_closed_before_creation_is_kept(opportunities):
    row = opportunities.by("deal_id")["0068a00001JMm79AAD"]
    assert (row["status"], row["created_at"], row["closed_at"]) == (
        "won", date(2023, 4, 12), date(2023, 1, 15))


def test_lead_object_is_leads(load, text):
    loaded = load(text(LEAD), "Lead.csv")
    report = loaded.report
    assert report.table == TableKind.LEADS
    assert report.mapping["Id"] == "lead_id"
    assert report.mapping["IsConverted"] == "is_converted"
    assert report.mapping["ConvertedDate"] == "converted_at"
    got = {r["lead_id"]: (r["channel"], r["converted_at"]) for r in loaded.rows}
    assert got == {
        "00Q8a00001A1": ("referral", date(2024, 3, 20)),
        "00Q8a00001A2": ("website_organic", None),
        # converted with no date: on its creation day (docs/tables.md)
        "00Q8a00001A3": ("other", date(2024, 3, 7)),
    }


def test_campaign_object_is_channel_costs(load, text):
    loaded = load(text(CAMPAIGN), "Campaign.csv")
    assert loaded.report.table == TableKind.CHANNEL_COSTS
    assert loaded.report.mapping == {"Type": "channel", "StartDate": "month",
                                     "ActualCost": "spend"}
    got = {(r["channel"], r["month"]): r["spend"] for r in loaded.rows}
    assert got == {("cold_email", date(2022, 9, 1)): 20000.0,
                   ("event", date(2022, 12, 1)): 52000.0}


def test_real_opportunity_export(load, real, rows_of):
    data = real("salesforce-winkel/Opportunity.csv")
    loaded = load(data, "Opportunity.csv")
    source = rows_of(data, "cp1252")
    report = loaded.report
    assert report.table == TableKind.DEALS
    # Nothing refused for the stray NUL bytes, nothing for closing before creation.
    assert (report.rows_read, report.rows_accepted) == (len(source), len(source))
    statuses = Counter(loaded.column("status"))
    assert statuses["won"] == sum(r["IsWon"] == "1" for r in source)
    assert statuses["lost"] == sum(r["IsClosed"] == "1" and r["IsWon"] == "0" for r in source)
    assert set(loaded.column("currency")) == {r["CurrencyIsoCode"] for r in source}


def test_real_campaign_export_is_never_leads(load, real):
    data = real("salesforce-winkel/Campaign.csv")
    try:
        loaded = load(data, "Campaign.csv")
    except UnreadableFile:
        return  # a clear refusal is acceptable (../shared/real/README.md)
    assert loaded.report.table == TableKind.CHANNEL_COSTS


def test_real_deployment_export_without_owner_or_creation(load, real):
    data = real("salesforce-prodly/Opportunity.csv")
    try:
        loaded = load(data, "Opportunity.csv")
    except UnreadableFile as refusal:
        missing = refusal.message.params["fields"]
        assert field_label("owner") in missing and field_label("created_at") in missing
        return
    assert loaded.report.table == TableKind.DEALS
