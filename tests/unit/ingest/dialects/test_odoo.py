"""Odoo CRM pipeline exports (kpi/ingest/dialects/odoo.py): the export dialog's
field labels, English and French; Odoo writes `True`/`False` and
`2024-03-05 10:22:11`. A lost opportunity is archived (Active False)."""

from datetime import date

from kpi.schema import TableKind

ENGLISH = """\
Opportunity,Customer,Salesperson,Expected Revenue,Stage,Created on,Closed Date,Active,Lost Reason,Source,Medium
Office Design Project,Deco Addict,Mitchell Admin,24000.0,Won,2024-03-05 10:22:11,2024-04-02 16:00:00,True,,Search engine,Banner
Quote for 12 Tables,Gemini Furniture,Marc Demo,4500.0,Qualified,2024-03-06 09:00:00,2024-04-10 11:00:00,False,Too expensive,Newsletter,Email
Distributor Contract,Ready Mat,Mitchell Admin,19800.0,Proposition,2024-03-07 14:30:00,,True,,Facebook,Facebook
Modern Open Space,Azure Interior,Marc Demo,11000.0,New,2024-03-08 08:15:00,,True,,,Website
"""  # noqa: E501

FRENCH = """\
Opportunité,Client,Vendeur,Revenu espéré,Étape,Créé le,Actif
Projet de bureau,Deco Addict,Mitchell Admin,"24000,0",Qualifié,2024-03-05 10:22:11,True
Tables,Gemini Furniture,Marc Demo,"4500,0",Proposition,2024-03-06 09:00:00,True
"""


def test_english_pipeline_export(load, text):
    loaded = load(text(ENGLISH), "crm.lead.csv")
    report = loaded.report
    assert report.table == TableKind.DEALS
    assert report.dialect == "Odoo"
    assert report.mapping == {
        "Opportunity": "deal_name", "Salesperson": "owner", "Expected Revenue": "amount",
        "Stage": "stage", "Created on": "created_at", "Closed Date": "closed_at",
        "Active": "is_active", "Medium": "channel",
    }
    got = {r["deal_name"]: (r["status"], r["amount"], r["closed_at"]) for r in loaded.rows}
    assert got == {
        "Office Design Project": ("won", 24000.0, date(2024, 4, 2)),
        # archived: lost, whatever its stage still says
        "Quote for 12 Tables": ("lost", 4500.0, date(2024, 4, 10)),
        "Distributor Contract": ("open", 19800.0, None),
        "Modern Open Space": ("open", 11000.0, None),
    }
    # The UTM medium is the channel; the source only when there is no medium column.
    channels = {r["deal_name"]: r["channel"] for r in loaded.rows}
    assert channels == {"Office Design Project": "website_paid", "Quote for 12 Tables": "cold_email",
                        "Distributor Contract": "facebook", "Modern Open Space": "website_organic"}


def test_french_pipeline_export(load, text):
    loaded = load(text(FRENCH), "crm.lead.csv")
    report = loaded.report
    assert report.table == TableKind.DEALS
    assert report.mapping["Vendeur"] == "owner"
    assert report.mapping["Revenu espéré"] == "amount"
    assert report.mapping["Étape"] == "stage"
    assert report.mapping["Créé le"] == "created_at"
    assert report.mapping["Actif"] == "is_active"
    got = {r["deal_name"]: (r["owner"], r["amount"]) for r in loaded.rows}
    assert got == {"Projet de bureau": ("Mitchell Admin", 24000.0),
                   "Tables": ("Marc Demo", 4500.0)}
