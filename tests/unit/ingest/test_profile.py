"""Values as evidence (kpi.ingest.profile): unknown headers, fields proposed from the values.

Every table here is written by hand with headers no dialect knows, and each
test states what a sales manager reading the values would conclude: which
field, and whether that is certain (at or above SURE) or only a suggestion.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from kpi.ingest.profile import SURE, Proposal, profile_columns
from kpi.messages import render_all
from kpi.schema import FIELDS, TableKind

REAL = Path(__file__).resolve().parents[3].parent / "shared" / "real"


def table(**columns: list[str]) -> pa.Table:
    """A table of text cells, as the reader hands it over (headers may hold spaces: use _)."""
    return pa.table({name.replace("_", " "): pa.array(values, pa.string())
                     for name, values in columns.items()})


def said(proposal: Proposal) -> str:
    """The proposal's evidence as the English note reads it, clause by clause."""
    return "; ".join(render_all(list(proposal.evidence)))


def by_source(proposals: list[Proposal]) -> dict[str, Proposal]:
    return {p.source: p for p in proposals}


def check_contract(proposals: list[Proposal], kind: TableKind, mapped: dict[str, str]) -> None:
    """At most one proposal per field and per column, for missing fields of `kind` only."""
    fields = [p.field for p in proposals]
    sources = [p.source for p in proposals]
    assert len(set(fields)) == len(fields)
    assert len(set(sources)) == len(sources)
    assert set(fields) <= {s.name for s in FIELDS[kind]} - set(mapped.values())
    assert not set(sources) & set(mapped)
    assert all(0 <= p.confidence <= 1 and p.evidence for p in proposals)


def profiled(t: pa.Table, kind: TableKind, mapped: dict[str, str] | None = None,
             **options: int) -> dict[str, Proposal]:
    proposals = profile_columns(t, kind, mapped or {}, **options)
    check_contract(proposals, kind, mapped or {})
    return by_source(proposals)


FRENCH_DEALS = table(
    Ref=["D-101", "D-102", "D-103", "D-104", "D-105", "D-106", "D-107", "D-108"],
    Vendeur=["Claire Martin", "Paul Durand", "Claire Martin", "Inès Belkacem", "Paul Durand",
             "Claire Martin", "Paul Durand", "Inès Belkacem"],
    Chiffre=["12 000,00 €", "4 500,50 €", "800,00 €", "15 250,00 €", "2 300,00 €",
             "9 990,00 €", "1 200,00 €", "7 000,00 €"],
    Ouvert_le=["15/03/2024", "02/04/2024", "10/01/2024", "21/05/2024", "03/06/2024",
               "14/02/2024", "30/04/2024", "08/07/2024"],
    Clos_le=["20/04/2024", "", "15/02/2024", "30/06/2024", "", "01/03/2024", "29/05/2024", ""],
    Etat=["Gagné", "En cours", "Perdu", "Gagné", "En cours", "Perdu", "Gagné", "En cours"],
    Notes=["Client très intéressé, rappeler", "Budget serré cette année",
           "Renouvellement du contrat annuel", "A rappeler après l'été", "Demande une démo",
           "Concurrent moins cher", "Projet validé en comité", "Attend le devis final"],
)


def test_unknown_french_deal_headers_are_read_from_their_values() -> None:
    found = profiled(FRENCH_DEALS, TableKind.DEALS)

    assert {s: p.field for s, p in found.items()} == {
        "Ref": "deal_id", "Vendeur": "owner", "Chiffre": "amount", "Ouvert le": "created_at",
        "Clos le": "closed_at", "Etat": "status",
    }
    assert all(p.confidence >= SURE for p in found.values()), found
    assert "'Claire Martin'" in said(found["Vendeur"])
    assert "earlier than 'Clos le'" in said(found["Ouvert le"])
    assert "later than 'Ouvert le'" in said(found["Clos le"])


def test_mapped_columns_and_their_fields_are_left_alone() -> None:
    mapped = {"Ref": "deal_id", "Vendeur": "owner", "Ouvert le": "created_at"}
    found = profiled(FRENCH_DEALS, TableKind.DEALS, mapped)

    assert set(found) == {"Chiffre", "Clos le", "Etat"}
    # The closing date is found against the creation date read from its header.
    assert found["Clos le"].field == "closed_at" and found["Clos le"].confidence >= SURE
    assert "later than 'Ouvert le'" in said(found["Clos le"])


def test_nothing_missing_means_nothing_proposed() -> None:
    mapped = {s.name: s.name for s in FIELDS[TableKind.CHANNEL_COSTS]}
    assert profile_columns(FRENCH_DEALS, TableKind.CHANNEL_COSTS, mapped) == []


def test_free_text_proposes_nothing() -> None:
    only_notes = FRENCH_DEALS.select(["Notes"])
    for kind in TableKind:
        assert profile_columns(only_notes, kind, {}) == []


def test_long_distinct_integers_are_ids_and_varied_ones_amounts() -> None:
    found = profiled(table(
        Numero=["6877153472", "6776072684", "6740049875", "6574754778", "6213409871",
                "6498120354", "6931027465", "6650384129"],
        Valeur=["12000", "4500", "800", "15000", "2300", "9990", "1200", "7000"],
    ), TableKind.DEALS)

    assert found["Numero"].field == "deal_id" and found["Numero"].confidence >= SURE
    # Whole numbers under an unknown header may be counts: an amount, but only suggested.
    assert found["Valeur"].field == "amount" and found["Valeur"].confidence < SURE


def test_round_amounts_of_one_length_are_amounts_not_ids() -> None:
    found = profiled(table(Budget=["15000", "24000", "30000", "18000", "42000", "27500"]),
                     TableKind.DEALS)

    assert found["Budget"].field == "amount"


def test_long_integers_never_become_an_amount_even_without_an_id_to_fill() -> None:
    ids = table(Numero=["6877153472", "6776072684", "6740049875", "6574754778", "6213409871"])
    found = profiled(ids, TableKind.DEALS, {"x": "deal_id"})

    assert "Numero" not in found


def test_phone_numbers_are_not_ids() -> None:
    found = profiled(table(Tel=["660-485-0224", "415-555-0199", "212-555-0147",
                                "617-555-0101", "305-555-0123", "312-555-0172"]),
                     TableKind.LEADS)

    assert "Tel" not in found


def test_the_earlier_date_on_each_row_is_the_creation_date_whatever_the_column_order() -> None:
    found = profiled(table(
        Fin=["2024-04-20", "2024-05-02", "2024-02-15", "2024-06-30", "2024-03-09"],
        Debut=["2024-03-15", "2024-04-02", "2024-01-10", "2024-05-21", "2024-03-01"],
    ), TableKind.DEALS)

    assert found["Debut"].field == "created_at" and found["Debut"].confidence >= SURE
    assert found["Fin"].field == "closed_at" and found["Fin"].confidence >= SURE
    assert "earlier than 'Fin' on 100 %" in said(found["Debut"])


def test_dates_in_no_consistent_order_are_only_suggested() -> None:
    found = profiled(table(
        Date_A=["2024-03-15", "2024-04-02", "2024-01-10", "2024-05-21", "2024-03-01",
                "2024-07-01"],
        Date_B=["2024-04-20", "2024-03-02", "2024-02-15", "2024-04-30", "2024-04-09",
                "2024-06-01"],
    ), TableKind.DEALS)

    assert {p.field for p in found.values()} == {"created_at", "closed_at"}
    assert all(p.confidence < SURE for p in found.values())


def test_a_date_earlier_than_the_known_creation_is_not_the_closing_date() -> None:
    found = profiled(table(
        Date_de_creation=["15/03/2024", "02/04/2024", "10/01/2024", "21/05/2024"],
        Premier_contact=["01/03/2024", "20/03/2024", "02/01/2024", "11/05/2024"],
    ), TableKind.DEALS, {"Date de creation": "created_at"})

    assert "Premier contact" not in found


def test_a_date_mostly_after_the_known_closing_is_not_the_creation_date() -> None:
    found = profiled(table(
        Date_de_cloture=["15/03/2024", "02/04/2024", "10/01/2024", "21/05/2024", "03/06/2024"],
        Relance=["01/04/2024", "20/04/2024", "02/01/2024", "11/05/2024", "13/06/2024"],
    ), TableKind.DEALS, {"Date de cloture": "closed_at"})

    assert "Relance" not in found


def test_the_only_date_of_a_deals_file_is_only_suggested_as_its_creation() -> None:
    # Olist's closed deals hold only a won date: one date column could be either.
    found = profiled(table(Jour=["26-02-2018", "08-05-2018", "04-05-2018", "11-05-2018"]),
                     TableKind.DEALS)

    assert found["Jour"].field == "created_at" and found["Jour"].confidence < SURE


@pytest.mark.parametrize("values", [
    ["15 Apr, 2021 00:02:00", "16 Apr, 2021 00:03:00", "03 Sep, 2020 00:07:00"],
    ["Apr 15, 2021", "May 2, 2021", "Sep 30, 2020"],
    ["15-avr.-2021", "2-mai-2021", "30-sept.-2020"],
    ["5. März 2025", "12. Juni 2024", "1. Dezember 2023"],
    ["15 de abril de 2024", "2 de mayo de 2024", "30 de septiembre de 2023"],
    ["15.03.2024", "02.04.2024", "30.09.2023"],
    ["3/25/2024", "4/2/2024", "12/31/2023"],
    ["2024-03-05T10:22:11.000Z", "2024-04-02T08:00:00.000Z", "2023-12-31T23:59:59.000Z"],
])
def test_dates_in_the_shapes_exports_write(values: list[str]) -> None:
    found = profiled(table(Emis=values), TableKind.PROPOSALS)

    assert found["Emis"].field == "sent_at" and found["Emis"].confidence >= SURE


def test_two_date_columns_of_a_one_date_table_are_only_suggested() -> None:
    found = profiled(table(Emis=["2024-03-05", "2024-04-02", "2024-05-10"],
                           Valable=["2024-04-05", "2024-05-02", "2024-06-10"]),
                     TableKind.PROPOSALS)

    assert [p.field for p in found.values()] == ["sent_at"]
    assert found["Emis"].confidence < SURE and "'Valable' looks alike" in said(found["Emis"])


def test_an_owner_is_sure_only_when_few_names_cover_many_rows() -> None:
    few_rows = profiled(table(Qui=["Mark Stringer", "Anna Lopez", "Tom Baker"]),
                        TableKind.DEALS)
    five_rows = profiled(table(Qui=["Mark Stringer", "Anna Lopez", "Tom Baker", "Anna Lopez",
                                    "Mark Stringer"]), TableKind.DEALS)
    many_rows = profiled(table(Qui=["Mark Stringer"] * 70 + ["Anna Lopez"] * 12
                             + ["Tom Baker"] * 5), TableKind.DEALS)

    assert few_rows["Qui"].field == "owner" and few_rows["Qui"].confidence < SURE
    assert five_rows["Qui"].field == "owner" and five_rows["Qui"].confidence < SURE
    assert few_rows["Qui"].confidence < five_rows["Qui"].confidence
    assert many_rows["Qui"].field == "owner" and many_rows["Qui"].confidence >= SURE
    assert "3 different names like 'Mark Stringer' over 87 rows" in said(many_rows["Qui"])


def test_names_that_never_repeat_are_contacts_not_owners() -> None:
    contacts = table(Contact=["Alice Moreau", "Bruno Petit", "Chloé Roux", "David Leroy",
                              "Emma Fournier", "Farid Haddad", "Gaëlle Morel", "Hugo Lambert"])

    assert profiled(contacts, TableKind.DEALS) == {}


@pytest.mark.parametrize("values", [
    ["New Business"] * 5 + ["Existing Business"] * 4,  # Zoho's deal Type
    ["Email Opened"] * 5 + ["Closed Won"] * 4,  # activity and stage labels
    ["Acme Corp"] * 5 + ["Globex Inc"] * 4,  # accounts
])
def test_title_case_labels_are_not_sure_owners(values: list[str]) -> None:
    found = profiled(table(Libelle=values), TableKind.DEALS)

    assert "Libelle" not in found or found["Libelle"].confidence < SURE


def test_leads_sources_and_a_converted_flag() -> None:
    found = profiled(table(
        Identifiant=["L-0001", "L-0002", "L-0003", "L-0004", "L-0005", "L-0006"],
        Origine=["LinkedIn", "Salon", "Site web", "Parrainage", "LinkedIn", "Salon"],
        Client=["Oui", "Non", "Non", "Oui", "Non", "Non"],
    ), TableKind.LEADS)

    assert found["Origine"].field == "channel" and found["Origine"].confidence >= SURE
    assert "'LinkedIn' (linkedin)" in said(found["Origine"])
    # A yes/no column may as well be an opt-out: converted, but only suggested.
    assert found["Client"].field == "is_converted" and found["Client"].confidence < SURE
    assert found["Identifiant"].field == "lead_id"


def test_deal_flags_cannot_be_told_apart_from_their_values() -> None:
    found = profiled(table(Drapeau=["true", "false", "false", "true"]), TableKind.DEALS)

    assert found["Drapeau"].field in {"is_won", "is_closed", "is_active"}
    assert found["Drapeau"].confidence < SURE
    assert "cannot tell" in said(found["Drapeau"])


def test_a_monthly_or_annual_package_cannot_be_told_from_the_amounts() -> None:
    found = profiled(table(
        Salarie=["Claire Martin", "Paul Durand"] * 3,
        Cout=["4 200,00 €", "3 900,00 €", "4 250,00 €", "3 900,00 €", "4 300,00 €",
              "3 950,00 €"],
    ), TableKind.COMPENSATION)

    assert found["Cout"].field == "package" and found["Cout"].confidence < SURE
    assert "cannot tell Package (month) from Package (year)" in said(found["Cout"])
    assert found["Salarie"].field == "owner" and found["Salarie"].confidence >= SURE


def test_a_column_of_one_answer_is_no_flag() -> None:
    assert profiled(table(Zero=["0"] * 6), TableKind.LEADS) == {}


def test_a_column_of_crosses_is_a_flag_not_twitter() -> None:
    found = profiled(table(Coche=["x", "", "x", "x", "", ""]), TableKind.LEADS)

    assert found["Coche"].field == "is_converted"


def test_a_quote_file() -> None:
    found = profiled(table(
        Numero=["DEV-2024-001", "DEV-2024-002", "DEV-2024-003", "DEV-2024-004",
                "DEV-2024-005", "DEV-2024-006", "DEV-2024-007", "DEV-2024-008"],
        Emis_le=["05/03/2024", "12/03/2024", "19/03/2024", "02/04/2024", "09/04/2024",
                 "16/04/2024", "23/04/2024", "30/04/2024"],
        Total=["1 200,00 €", "4 800,00 €", "950,00 €", "12 000,00 €", "3 400,00 €",
               "780,00 €", "2 250,00 €", "6 000,00 €"],
        Suite=["Accepté", "Refusé", "En attente", "Accepté", "Refusé", "En attente",
               "Accepté", "Accepté"],
        Auteur=["Claire Martin", "Paul Durand"] * 4,
    ), TableKind.PROPOSALS)

    assert {s: p.field for s, p in found.items()} == {
        "Numero": "proposal_id", "Emis le": "sent_at", "Total": "amount", "Suite": "status",
        "Auteur": "owner",
    }
    assert all(p.confidence >= SURE for p in found.values()), found


def test_a_channel_cost_file_with_months() -> None:
    found = profiled(table(
        Periode=["2024-01", "2024-01", "2024-02", "2024-02", "2024-03", "2024-03"],
        Support=["LinkedIn", "Salon", "LinkedIn", "Salon", "LinkedIn", "Salon"],
        Depense=["1 200,00 €", "3 500,00 €", "1 150,00 €", "0,00 €", "1 300,00 €",
                 "4 000,00 €"],
    ), TableKind.CHANNEL_COSTS)

    assert {s: p.field for s, p in found.items()} == {
        "Periode": "month", "Support": "channel", "Depense": "spend"}
    assert all(p.confidence >= SURE for p in found.values()), found


def test_currency_codes_and_stages() -> None:
    found = profiled(table(
        Monnaie=["EUR", "USD", "EUR", "EUR", "GBP", "EUR", "EUR", "USD", "EUR", "EUR"],
        Phase=["Qualification", "Closed Won", "Proposal", "Qualification", "Closed Lost",
               "Proposal", "Closed Won", "Qualification", "Proposal", "Closed Won"],
    ), TableKind.DEALS, {"Statut": "status"})

    assert found["Monnaie"].field == "currency" and found["Monnaie"].confidence >= SURE
    # Stages that are partly won/lost: the stage column, to confirm.
    assert found["Phase"].field == "stage" and found["Phase"].confidence < SURE


def test_only_the_sample_is_looked_at() -> None:
    late_dates = table(Colonne=["voir plus bas"] * 5 + ["2024-03-15"] * 20)
    early_dates = table(Colonne=["2024-03-15", "2024-04-01"] * 3 + ["voir plus bas"] * 20)

    assert profiled(late_dates, TableKind.PROPOSALS, sample_rows=5) == {}
    assert profiled(early_dates, TableKind.PROPOSALS, sample_rows=6)["Colonne"].field == "sent_at"


def test_a_thousand_columns_of_a_million_rows() -> None:
    """Only the sample is touched: the columns share 10,000-row chunks, a million rows each."""
    bases = [
        [f"{1 + i % 28:02d}/{1 + i % 12:02d}/2024" for i in range(10_000)],
        [f"{i * 37 % 99_991},{i % 100:02d} €" for i in range(10_000)],
        [("Claire Martin", "Paul Durand", "Inès Belkacem")[i % 3] for i in range(10_000)],
        [f"D-{i:07d}" for i in range(10_000)],
        [("Gagné", "Perdu", "En cours")[i % 3] for i in range(10_000)],
        [f"note {i * 7919 % 10_007} à rappeler" for i in range(10_000)],
        [""] * 10_000,
    ]
    columns = [pa.chunked_array([pa.array(b, pa.string())] * 100) for b in bases]
    wide = pa.Table.from_arrays([columns[i % len(columns)] for i in range(1000)],
                                names=[f"Colonne {i}" for i in range(1000)])
    assert wide.shape == (1_000_000, 1000)

    proposals = profile_columns(wide, TableKind.DEALS, {})

    check_contract(proposals, TableKind.DEALS, {})
    fields = {p.field for p in proposals}
    assert {"deal_id", "owner", "amount", "status"} <= fields
    # Many columns alike: nothing is sure.
    assert all(p.confidence < SURE for p in proposals)


# --------------------------------------------------------------------------
# Real exports (../shared/real), read as text, headers ignored by the profile
# --------------------------------------------------------------------------


def real_table(relative: str) -> pa.Table:
    path = REAL / relative
    if not path.exists():
        pytest.skip(f"{path} is not here")
    data = path.read_bytes()
    names = pacsv.read_csv(pa.py_buffer(data)).column_names
    return pacsv.read_csv(pa.py_buffer(data), convert_options=pacsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False))


def test_real_hubspot_deals() -> None:
    found = profiled(real_table("hubspot-marvell/hubspot-crm-exports-all-deals-2023-04-03.csv"),
                     TableKind.DEALS)

    assert found["Deal owner"].field == "owner" and found["Deal owner"].confidence >= SURE
    assert found["Record ID"].field == "deal_id" and found["Record ID"].confidence >= SURE
    assert found["Create Date"].field == "created_at"
    assert found["Create Date"].confidence >= SURE
    # Close Date and Last Modified Date both follow the creation: not sure which closes.
    assert found["Close Date"].field == "closed_at" and found["Close Date"].confidence < SURE


def test_real_zoho_potentials_with_month_name_dates() -> None:
    found = profiled(real_table("zoho-sample/Potentials.csv"), TableKind.DEALS)

    assert found["Created Time"].field == "created_at"
    assert found["Closing Date"].field == "closed_at"
    assert found["Potential Owner"].field == "owner"
    assert found["Forecast Type"].field == "status"
    assert all(found[c].confidence >= SURE for c in
               ("Created Time", "Closing Date", "Potential Owner", "Forecast Type"))
