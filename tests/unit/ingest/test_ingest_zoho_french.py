"""Zoho CRM deals, and French spreadsheets whose headers are matched folded
(case, accents, spaces, `’` = `'`)."""

from datetime import date

import pytest

from kpi.schema import TableKind

ZOHO = """\
Record Id,Deal Name,Deal Owner,Stage,Amount,Closing Date,Created Time,Lead Source
zcrm_5725767000000412001,Deal A,Patricia Boyle,Closed Won,5000,2024-03-28,2024-03-01 10:12:45,Employee Referral
zcrm_5725767000000412002,Deal B,Kris Marrier,Closed Lost,1250.75,2024-03-30,2024-02-11 09:00:00,Cold Call
zcrm_5725767000000412003,Deal C,Patricia Boyle,Closed-Lost to Competition,730,2024-04-02,2024-02-12 09:00:00,Seminar Partner
zcrm_5725767000000412004,Deal D,Kris Marrier,Negotiation/Review,,2024-05-15,2024-03-20 15:30:00,
"""  # noqa: E501


@pytest.fixture(scope="module")
def zoho(load, text):
    return load(text(ZOHO), "zoho-deals.csv")


def test_zoho_mapping(zoho):
    assert zoho.report.table == TableKind.DEALS
    assert zoho.report.mapping == {
        "Record Id": "deal_id",
        "Deal Name": "deal_name",
        "Deal Owner": "owner",
        "Stage": "stage",
        "Amount": "amount",
        "Closing Date": "closed_at",
        "Created Time": "created_at",
        "Lead Source": "channel",
    }


def test_zoho_values(zoho):
    report = zoho.report
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (4, 4, 0)
    rows = zoho.by("deal_id")
    a = rows["zcrm_5725767000000412001"]
    assert a["deal_name"] == "Deal A"
    assert a["owner"] == "Patricia Boyle"
    assert a["status"] == "won"
    assert a["amount"] == 5000.0
    assert a["created_at"] == date(2024, 3, 1)
    assert a["closed_at"] == date(2024, 3, 28)
    assert a["channel"] == "referral"
    assert a["channel_raw"] == "Employee Referral"
    b = rows["zcrm_5725767000000412002"]
    assert b["status"] == "lost"
    assert b["amount"] == 1250.75
    assert b["closed_at"] == date(2024, 3, 30)
    assert b["channel"] == "cold_call"
    d = rows["zcrm_5725767000000412004"]
    assert d["status"] == "open"
    assert d["stage"] == "Negotiation/Review"
    assert d["amount"] == 0.0
    assert d["created_at"] == date(2024, 3, 20)
    assert d["channel"] == "unknown"


def test_zoho_unknown_source_is_other_and_kept(zoho):
    row = zoho.by("deal_id")["zcrm_5725767000000412003"]
    assert row["channel"] == "other"
    assert row["channel_raw"] == "Seminar Partner"


def test_zoho_lost_to_competition_stage(zoho):
    row = zoho.by("deal_id")["zcrm_5725767000000412003"]
    assert row["stage"] == "Closed-Lost to Competition"
    assert row["status"] == "lost"
    assert row["closed_at"] == date(2024, 4, 2)


# Curly apostrophes in two headers, accents removed / upper-cased in others.
FRENCH_SHEET = """\
Identifiant;Nom de l’opportunité;Commercial;ETAPE;Montant;DATE DE CREATION;Date de clôture;Canal d’acquisition
OPP-001;Refonte site;Élodie Faure;Gagné;1 200,00 €;03/01/2024;15/02/2024;Parrainage
OPP-002;Audit SEO;Marc Petit;Perdu;3 450,90 €;10/01/2024;28/02/2024;Site web
OPP-003;Formation;Élodie Faure;Proposition envoyée;990;22/01/2024;;Téléprospection
"""  # noqa: E501


@pytest.fixture(scope="module")
def french(load, text):
    return load(text(FRENCH_SHEET), "opportunites.csv")


def test_french_headers_match_folded(french):
    assert french.report.table == TableKind.DEALS
    assert french.report.mapping == {
        "Identifiant": "deal_id",
        "Nom de l’opportunité": "deal_name",
        "Commercial": "owner",
        "ETAPE": "stage",
        "Montant": "amount",
        "DATE DE CREATION": "created_at",
        "Date de clôture": "closed_at",
        "Canal d’acquisition": "channel",
    }


def test_french_sheet_dialect(french):
    report = french.report
    assert report.delimiter == ";"
    assert report.decimal_mark == ","
    assert report.date_order == "DMY"
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (3, 3, 0)


def test_french_sheet_values(french):
    rows = french.by("deal_id")
    won = rows["OPP-001"]
    assert won["deal_name"] == "Refonte site"
    assert won["owner"] == "Élodie Faure"
    assert won["stage"] == "Gagné"
    assert won["status"] == "won"
    assert won["amount"] == 1200.0
    assert won["created_at"] == date(2024, 1, 3)
    assert won["closed_at"] == date(2024, 2, 15)
    assert won["channel"] == "referral"
    assert won["channel_raw"] == "Parrainage"
    lost = rows["OPP-002"]
    assert lost["status"] == "lost"
    assert lost["amount"] == 3450.9
    assert lost["created_at"] == date(2024, 1, 10)
    assert lost["closed_at"] == date(2024, 2, 28)
    assert lost["channel"] == "website_organic"
    open_ = rows["OPP-003"]
    assert open_["status"] == "open"
    assert open_["amount"] == 990.0
    assert open_["closed_at"] is None
    assert open_["channel"] == "cold_call"


def test_french_leads_client_status_converts_on_created_at(load, text):
    data = text(
        """\
        ID de piste;Propriétaire de la piste;Date de création;Origine de la piste;Statut de la piste
        P-1;Élodie Faure;15/01/2024;Salon;Client
        P-2;;16/01/2024;LinkedIn;Nouveau
        """
    )
    loaded = load(data, "pistes.csv")
    assert loaded.report.table == TableKind.LEADS
    rows = loaded.by("lead_id")
    assert rows["P-1"]["created_at"] == date(2024, 1, 15)
    assert rows["P-1"]["converted_at"] == date(2024, 1, 15)
    assert rows["P-1"]["owner"] == "Élodie Faure"
    assert rows["P-1"]["channel"] == "event"
    assert rows["P-2"]["converted_at"] is None
    assert rows["P-2"]["owner"] == "Unassigned"
    assert rows["P-2"]["channel"] == "linkedin"
