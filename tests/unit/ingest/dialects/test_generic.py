"""Hand-made spreadsheets, English and French (kpi/ingest/dialects/generic.py)."""

from datetime import date

import pytest

from kpi.schema import TableKind

ENGLISH = """\
Deal ID,Deal Name,Owner,Stage,Amount,Created,Close Date,Source,Currency
D-1,Acme renewal,Ann Lee,Won,"1,200.50",2024-03-01,2024-03-28,LinkedIn,USD
D-2,Globex,Bob Ray,Lost,800,2024-03-02,2024-04-02,Word of mouth,USD
D-3,Initech,Ann Lee,Negotiation,300,2024-03-03,,Carrier pigeon,USD
"""

FRENCH = """\
Identifiant;Nom de l'affaire;Propriétaire;Étape;Montant;Date de création;Date de clôture;Canal;Devise
A-1;Refonte;Zoé Martin;Signé;1 500,00;05/03/2024;28/03/2024;Bouche à oreille;EUR
A-2;Audit;Luc Petit;Perdu;2 250,50;06/03/2024;20/04/2024;Salon;EUR
A-3;Formation;Zoé Martin;En cours;990,00;07/03/2024;;Parrainage;EUR
"""

FRENCH_LEADS = """\
Identifiant;Propriétaire;Date de création;Canal d'acquisition;Statut;Date de conversion
P-1;Zoé Martin;15/01/2024;Salon;Client;20/02/2024
P-2;Luc Petit;16/01/2024;Téléprospection;Nouveau;
P-3;Zoé Martin;17/01/2024;Site web;Client;
"""


@pytest.fixture(scope="module")
def english(load, text):
    return load(text(ENGLISH), "pipeline.csv")


@pytest.fixture(scope="module")
def french(load, text):
    return load(text(FRENCH), "affaires.csv")


def test_english_sheet_is_deals(english):
    report = english.report
    assert report.table == TableKind.DEALS
    assert report.dialect == "Spreadsheet"
    assert report.mapping == {
        "Deal ID": "deal_id", "Deal Name": "deal_name", "Owner": "owner", "Stage": "stage",
        "Amount": "amount", "Created": "created_at", "Close Date": "closed_at",
        "Source": "channel", "Currency": "currency",
    }


def test_english_sheet_values(english):
    got = {r["deal_id"]: (r["status"], r["channel"], r["amount"], r["closed_at"])
           for r in english.rows}
    assert got == {
        "D-1": ("won", "linkedin", 1200.5, date(2024, 3, 28)),
        "D-2": ("lost", "word_of_mouth", 800.0, date(2024, 4, 2)),
        "D-3": ("open", "other", 300.0, None),
    }


def test_french_sheet_is_deals(french):
    report = french.report
    assert report.table == TableKind.DEALS
    assert report.dialect == "Spreadsheet"
    assert (report.decimal_mark, report.date_order) == (",", "DMY")
    assert report.mapping["Identifiant"] == "deal_id"
    assert report.mapping["Propriétaire"] == "owner"
    assert report.mapping["Étape"] == "stage"
    assert report.mapping["Canal"] == "channel"
    assert report.mapping["Date de clôture"] == "closed_at"


def test_french_sheet_values(french):
    got = {r["deal_id"]: (r["status"], r["channel"], r["amount"], r["created_at"])
           for r in french.rows}
    assert got == {
        "A-1": ("won", "word_of_mouth", 1500.0, date(2024, 3, 5)),
        "A-2": ("lost", "event", 2250.5, date(2024, 3, 6)),
        "A-3": ("open", "referral", 990.0, date(2024, 3, 7)),
    }


def test_french_leads_sheet(load, text):
    loaded = load(text(FRENCH_LEADS), "pistes.csv")
    assert loaded.report.table == TableKind.LEADS
    assert loaded.report.mapping["Statut"] == "lead_status"
    got = {r["lead_id"]: (r["channel"], r["converted_at"]) for r in loaded.rows}
    assert got == {
        "P-1": ("event", date(2024, 2, 20)),
        "P-2": ("cold_call", None),
        "P-3": ("website_organic", date(2024, 1, 17)),  # "Client" with no date: on creation
    }
