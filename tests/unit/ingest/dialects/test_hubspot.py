"""HubSpot exports (kpi/ingest/dialects/hubspot.py): the "All deals" export with
its alphabetical columns, a French portal's deals, a contacts export, and the
real exports of ../shared/real/hubspot-marvell."""

from collections import Counter
from datetime import date

import pytest

from kpi.schema import TableKind

# Columns in the order HubSpot writes them (alphabetical after Record ID), quoted.
ALL_DEALS = '''\
"Record ID","Amount","Amount in company currency","Close Date","Create Date","Currency","Deal Name","Deal owner","Deal Stage","Original Source Type","Pipeline","Associated Contact IDs"
"9101","1000","920","2024-04-30 09:15","2024-03-25 14:02","USD","Acme renewal","Alice Martin","Closed Won","Organic Search","Sales Pipeline","501"
"9102","5000","5000","2024-02-01 17:30","2024-01-10 08:00","EUR","Globex rollout","Bob Stone","Closed Lost","Paid Search","Sales Pipeline","502;503"
"9103","","","","2024-05-02 11:11","EUR","Initech pilot","","Contract Sent","Offline Sources","Sales Pipeline",""
'''  # noqa: E501

FRENCH_DEALS = """\
ID de fiche d'informations;Nom de la transaction;Phase de la transaction;Date de fermeture;Propriétaire de la transaction;Montant;Date de création;Source d'origine
7001;Refonte;Conclue gagnée;30/04/2024 16:00;Zoé Martin;2500;25/03/2024 10:12;Recherche organique
7002;Audit;Conclue perdue;15/04/2024 16:00;Zoé Martin;900;26/03/2024 10:12;Recommandations
7003;Formation;Rendez-vous programmé;;Luc Petit;1200;27/03/2024 10:12;Réseaux sociaux
7004;Conseil;Contrat envoyé;;Luc Petit;300;28/03/2024 10:12;Trafic direct
7005;Pilote;Conclue gagnée;02/05/2024 09:00;Luc Petit;450;29/03/2024 10:12;Recherche payante
7006;Salon;Conclue perdue;03/05/2024 09:00;Luc Petit;150;30/03/2024 10:12;Hors ligne
"""  # noqa: E501

CONTACTS = '''\
"Record ID","First Name","Last Name","Email","Contact owner","Create Date","Lifecycle Stage","Original Source","Became a Customer Date"
"501","Jeanne","Dupont","jeanne@example.fr","Alice Martin","2024-02-01 09:00","Customer","Referrals","2024-03-15 10:00"
"502","Paul","Durand","paul@example.fr","","2024-02-03 10:00","Lead","Organic Social",""
"503","Marie","Curie","marie@example.fr","Bob Stone","2024-02-05 11:30","Evangelist","EMAIL_MARKETING",""
'''  # noqa: E501


@pytest.fixture(scope="module")
def all_deals(load, text):
    return load(text(ALL_DEALS), "hubspot-crm-exports-all-deals.csv")


def test_all_deals_export_mapping(all_deals):
    report = all_deals.report
    assert report.table == TableKind.DEALS
    assert report.dialect == "HubSpot"
    mapping = report.mapping
    assert mapping["Record ID"] == "deal_id"
    assert mapping["Deal owner"] == "owner"
    assert mapping["Deal Stage"] == "stage"
    assert mapping["Amount in company currency"] == "amount_company"
    assert mapping["Original Source Type"] == "channel"
    assert mapping["Associated Contact IDs"] == "lead_id"
    assert "Pipeline" not in mapping


def test_company_currency_amount_is_used(all_deals):
    rows = all_deals.by("deal_id")
    # docs/tables.md: the converted amount, in the workspace's currency (EUR by default).
    assert (rows["9101"]["amount"], rows["9101"]["currency"]) == (920.0, "EUR")
    assert rows["9103"]["amount"] == 0.0


def test_all_deals_statuses_and_channels(all_deals):
    got = {r["deal_id"]: (r["status"], r["channel"], r["closed_at"]) for r in all_deals.rows}
    assert got == {
        "9101": ("won", "website_organic", date(2024, 4, 30)),
        "9102": ("lost", "website_paid", date(2024, 2, 1)),
        "9103": ("open", "other", None),
    }


def test_french_portal_deals(load, text):
    loaded = load(text(FRENCH_DEALS), "transactions.csv")
    report = loaded.report
    assert report.table == TableKind.DEALS
    assert report.dialect == "HubSpot"
    assert report.mapping["ID de fiche d'informations"] == "deal_id"
    assert report.mapping["Phase de la transaction"] == "stage"
    assert report.mapping["Source d'origine"] == "channel"
    got = {r["deal_id"]: (r["status"], r["channel"]) for r in loaded.rows}
    assert got == {
        "7001": ("won", "website_organic"),
        "7002": ("lost", "referral"),
        "7003": ("open", "other_social"),
        "7004": ("open", "website_organic"),
        "7005": ("won", "website_paid"),
        "7006": ("lost", "other"),
    }


def test_contacts_export_is_leads(load, text):
    loaded = load(text(CONTACTS), "hubspot-crm-exports-all-contacts.csv")
    assert loaded.report.table == TableKind.LEADS
    assert loaded.report.mapping["Record ID"] == "lead_id"
    assert loaded.report.mapping["Lifecycle Stage"] == "lead_status"
    got = {r["lead_id"]: (r["channel"], r["converted_at"]) for r in loaded.rows}
    assert got == {
        "501": ("referral", date(2024, 3, 15)),
        "502": ("other_social", None),
        "503": ("cold_email", date(2024, 2, 5)),  # an evangelist is a customer
    }


def test_real_default_export(load, real, rows_of):
    data = real("hubspot-marvell/hubspot-crm-exports-all-deals-2023-04-03.csv")
    loaded = load(data, "hubspot-crm-exports-all-deals-2023-04-03.csv")
    stages = Counter(r["Deal Stage"] for r in rows_of(data))
    report = loaded.report
    assert report.table == TableKind.DEALS
    assert (report.rows_read, report.rows_accepted) == (sum(stages.values()),) * 2
    statuses = Counter(loaded.column("status"))
    # Custom "Closed: won" / "Closed: lost" stages; "Closed: abandoned" stays open.
    assert statuses["won"] == stages["Closed: won"]
    assert statuses["lost"] == stages["Closed: lost"]


def test_real_full_export_reads_the_source_type(load, real, rows_of):
    data = real("hubspot-marvell/hubspot-crm-exports-all-deals-2023-05-16.csv")
    loaded = load(data, "hubspot-crm-exports-all-deals-2023-05-16.csv")
    sources = Counter(r["Original Source Type"] for r in rows_of(data))
    assert loaded.report.mapping["Original Source Type"] == "channel"
    channels = Counter(loaded.column("channel"))
    assert channels["other"] == sources["Offline Sources"]
    assert channels["unknown"] == sources[""]
