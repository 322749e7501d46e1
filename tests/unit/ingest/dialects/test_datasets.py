"""Public snake_case datasets (kpi/ingest/dialects/datasets.py): Maven CRM's
pipeline, Olist's marketing funnel, X Education's leads, in small and (for
Olist and X Education) as published (../shared/real)."""

from collections import Counter
from datetime import date

from kpi.ingest import UnreadableFile
from kpi.messages import field_label
from kpi.schema import TableKind

MAVEN = """\
opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value
1C1I7A6R,Moses Frase,GTX Plus Basic,Cancity,Won,2016-10-20,2017-03-01,1054
Z063OYW0,Darcel Schlecht,GTXPro,Isdom,Lost,2016-10-25,2017-03-11,0
EC4QE1BX,Darcel Schlecht,MG Special,Cancity,Engaging,2016-10-25,,
"""

OLIST_LEADS = """\
mql_id,first_contact_date,landing_page_id,origin
dac32acd4db4c29c230538b72f8dd87d,01-02-2018,88740e65d5d6b056e0cda098e1ea6313,social
8c18d1de7f67e60dbd64e3c07d7e9d5d,20-10-2017,007f9098284a86ee80ddeb25d53e0af8,paid_search
b4bc852d233dfefc5131f593b538befa,22-03-2018,a7982125ff7aa3b2054c6e44f9d28522,organic_search
6be030b81c75970747525b843c1ef4f8,24-01-2018,22c29808c4f815213303f8933030604c,display
f5fee8f7da74f4887f5bcae2bafb6dd6,13-12-2017,a0fbc0263cb98bdb0d72b9f9f283a172,
"""

X_EDUCATION = """\
Prospect ID,Lead Number,Lead Origin,Lead Source,Do Not Email,Do Not Call,Converted,TotalVisits
7927b2df-8bba-4d29-b9a2-b6e0beafe620,660737,API,Olark Chat,No,No,0,0
8cc8c611-a219-4f35-ad23-fdfd2656bd8a,660727,Landing Page Submission,Reference,No,No,1,2
"""


def test_maven_pipeline(load, text):
    loaded = load(text(MAVEN), "sales_pipeline.csv")
    report = loaded.report
    assert report.table == TableKind.DEALS
    assert report.dialect == "Public datasets"
    assert report.mapping == {
        "opportunity_id": "deal_id", "sales_agent": "owner", "deal_stage": "stage",
        "engage_date": "created_at", "close_date": "closed_at", "close_value": "amount",
    }
    got = {r["deal_id"]: (r["status"], r["amount"]) for r in loaded.rows}
    assert got == {"1C1I7A6R": ("won", 1054.0), "Z063OYW0": ("lost", 0.0),
                   "EC4QE1BX": ("open", 0.0)}


def test_olist_leads(load, text):
    loaded = load(text(OLIST_LEADS), "olist_marketing_qualified_leads_dataset.csv")
    report = loaded.report
    assert report.table == TableKind.LEADS
    assert report.mapping == {"mql_id": "lead_id", "first_contact_date": "created_at",
                              "origin": "channel"}
    assert report.date_order == "DMY"
    got = {r["lead_id"][:4]: (r["channel"], r["created_at"]) for r in loaded.rows}
    assert got == {
        "dac3": ("other_social", date(2018, 2, 1)),
        "8c18": ("website_paid", date(2017, 10, 20)),
        "b4bc": ("website_organic", date(2018, 3, 22)),
        "6be0": ("website_paid", date(2018, 1, 24)),  # display advertising
        "f5fe": ("unknown", date(2017, 12, 13)),
    }


def test_x_education_without_dates(load, text):
    try:
        loaded = load(text(X_EDUCATION), "Leads.csv")
    except UnreadableFile as refusal:
        # a refusal that names the missing date
        assert field_label("created_at") in refusal.message.params["fields"]
        return
    assert loaded.report.table == TableKind.LEADS  # or leads usable under "All data"
    channels = {r["lead_id"][:4]: r["channel"] for r in loaded.rows}
    assert channels == {"7927": "other", "8cc8": "referral"}


def test_real_olist_leads(load, real, rows_of):
    data = real("olist/olist_marketing_qualified_leads_dataset.csv")
    loaded = load(data, "olist_marketing_qualified_leads_dataset.csv")
    origins = Counter(r["origin"] for r in rows_of(data))
    assert loaded.report.table == TableKind.LEADS
    assert loaded.report.rows_accepted == sum(origins.values())
    channels = Counter(loaded.column("channel"))
    assert channels["website_organic"] == origins["organic_search"] + origins["direct_traffic"]
    assert channels["website_paid"] == origins["paid_search"] + origins["display"]
    assert channels["other_social"] == origins["social"]


def test_real_olist_closed_deals_alone_say_why(load, real):
    data = real("olist/olist_closed_deals_dataset.csv")
    try:
        loaded = load(data, "olist_closed_deals_dataset.csv")
    except UnreadableFile as refusal:
        assert field_label("created_at") in refusal.message.params["fields"]
        return
    # Loaded only when the creation date can honestly come from elsewhere.
    assert Counter(loaded.column("status")) == {"won": loaded.report.rows_accepted}


def test_real_x_education(load, real):
    data = real("x-education/Leads.csv")
    try:
        loaded = load(data, "Leads.csv")
    except UnreadableFile as refusal:
        assert field_label("created_at") in refusal.message.params["fields"]
        return
    assert loaded.report.table == TableKind.LEADS
