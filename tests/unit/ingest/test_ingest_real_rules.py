"""The rules real exports need (docs/tables.md "Real exports seen since", §3, §4).

Each file is written with canonical field names (which always map to
themselves), so these tests pin the importer's rules whatever the dialects
declare; the dialect tests check the CRMs' own headers.
"""

from __future__ import annotations

from datetime import date

import pytest

from kpi.ingest import Mappings, UnreadableFile, import_file
from kpi.ingest.recognise import recognise
from kpi.messages import field_label, msg, render, render_all
from kpi.schema import TableKind


def test_a_deals_file_without_an_id_column_gets_one_id_per_line(load, text) -> None:
    loaded = load(text("""
        owner,amount,created_at,status,closed_at
        Ann,100,2024-01-05,won,2024-02-01
        Bo,200,2024-01-06,open,
    """), "zoho.csv")
    assert loaded.column("deal_id") == ["zoho.csv#2", "zoho.csv#3"]
    assert msg("note.no_deal_id") in loaded.report.notes


def test_generated_ids_are_stable_across_imports(text) -> None:
    data = text("""
        owner,amount,created_at
        Ann,100,2024-01-05
    """)
    first = import_file(data, "a.csv").table.column("deal_id").to_pylist()
    again = import_file(data, "a.csv").table.column("deal_id").to_pylist()
    assert first == again == ["a.csv#2"]


@pytest.mark.parametrize(("stage", "is_won", "is_closed", "expected"), [
    ("Closed Won", "false", "true", "won"),   # the stage is believed before the flags
    ("Closed Lost", "true", "true", "lost"),
    ("Negotiation", "true", "true", "won"),   # an open stage: the flags decide
    ("Negotiation", "false", "true", "lost"),  # closed and not won
    ("Negotiation", "false", "false", "open"),
])
def test_a_stage_that_says_won_or_lost_is_believed_before_the_flags(
        load, text, stage: str, is_won: str, is_closed: str, expected: str) -> None:
    loaded = load(text(f"""
        deal_id,owner,amount,created_at,closed_at,stage,is_won,is_closed
        D1,Ann,100,2024-01-05,2024-02-01,{stage},{is_won},{is_closed}
    """), "sf.csv")
    assert loaded.column("status") == [expected]


def test_a_closed_flag_alone_does_not_make_a_deal_lost(load, text) -> None:
    """Without an Is Won-style column, Closed says nothing about the outcome (§3)."""
    loaded = load(text("""
        deal_id,owner,amount,created_at,closed_at,stage,is_closed
        D1,Ann,100,2024-01-05,2024-02-01,WON,Y
        D2,Ann,100,2024-01-05,2024-02-01,EXECUTING,Y
    """), "bitrix.csv")
    assert loaded.column("status") == ["won", "open"]


def test_an_archived_deal_is_lost(load, text) -> None:
    """Odoo's archived opportunities (Active false) are lost (§3)."""
    loaded = load(text("""
        deal_id,owner,amount,created_at,closed_at,stage,is_active
        D1,Ann,100,2024-01-05,2024-02-01,Qualified,False
        D2,Ann,100,2024-01-05,,Qualified,True
        D3,Ann,100,2024-01-05,2024-02-01,Won,False
    """), "odoo.csv")
    assert loaded.column("status") == ["lost", "open", "won"]


def test_a_converted_flag_makes_a_lead_a_customer_on_its_creation_day(load, text) -> None:
    loaded = load(text("""
        lead_id,created_at,is_converted,converted_at
        L1,2024-01-05,Yes,
        L2,2024-01-06,No,
        L3,2024-01-07,Yes,2024-03-01
    """), "leads.csv")
    assert loaded.column("converted_at") == [date(2024, 1, 5), None, date(2024, 3, 1)]


def test_an_amount_in_the_company_currency_is_preferred(load, text) -> None:
    loaded = load(text("""
        deal_id,owner,amount,amount_company,currency,created_at
        D1,Ann,1000,250,PEN,2024-01-05
    """), "hubspot.csv", mappings=Mappings(currency="USD"))
    assert loaded.column("amount") == [250.0]
    assert loaded.column("currency") == ["USD"]


def test_the_currency_comes_from_the_column_then_the_sign_then_the_workspace(load, text) -> None:
    by_column = load(text("""
        deal_id,owner,amount,currency,created_at
        D1,Ann,10,cop,2024-01-05
        D2,Ann,10,'-99,2024-01-05
    """), "column.csv", mappings=Mappings(currency="GBP"))
    # SuiteCRM writes '-99 for "the default currency": the workspace's.
    assert by_column.column("currency") == ["COP", "GBP"]
    by_sign = load(text("""
        deal_id,owner,amount,created_at
        D1,Ann,"$1,200.00",2024-01-05
    """), "sign.csv", mappings=Mappings(currency="GBP"))
    assert by_sign.column("currency") == ["USD"]
    by_setting = load(text("""
        deal_id,owner,amount,created_at
        D1,Ann,1200,2024-01-05
    """), "plain.csv", mappings=Mappings(currency="CAD"))
    assert by_setting.column("currency") == ["CAD"]


def test_several_currencies_are_reported_never_added(load, text) -> None:
    loaded = load(text("""
        deal_id,owner,amount,currency,created_at
        D1,Ann,10,USD,2024-01-05
        D2,Ann,10,MXN,2024-01-05
    """), "mixed.csv")
    assert msg("note.currencies", currencies=["MXN", "USD"]) in loaded.report.notes
    assert ("Several currencies (MXN, USD): money figures are shown one currency at a time, "
            "never added together.") in render_all(loaded.report.notes)


def test_every_deal_open_is_a_warning_naming_the_raw_stages(load, text) -> None:
    loaded = load(text("""
        deal_id,owner,amount,created_at,stage
        D1,Ann,10,2024-01-05,Signature OK
        D2,Ann,10,2024-01-05,Pas retenu
    """), "fr.csv", mappings=Mappings())
    assert len(loaded.report.warnings) == 1
    assert render(loaded.report.warnings[0]) == (
        "Every deal reads as open: no status or stage value says won or lost ('Pas retenu', "
        "'Signature OK'); map the ones that do.")


def test_sources_mostly_other_are_a_warning_naming_them(load, text) -> None:
    loaded = load(text("""
        deal_id,owner,amount,created_at,channel
        D1,Ann,10,2024-01-05,Salon pro
        D2,Ann,10,2024-01-05,Salon pro
        D3,Ann,10,2024-01-05,LinkedIn
    """), "src.csv")
    assert render_all(loaded.report.warnings) == [
        "Most sources read as other (67 % of rows): 'Salon pro'; map them to channels."]


def test_no_warning_when_stages_and_sources_read_well(load, text) -> None:
    loaded = load(text("""
        deal_id,owner,amount,created_at,closed_at,stage,channel
        D1,Ann,10,2024-01-05,2024-01-09,won,LinkedIn
        D2,Ann,10,2024-01-05,,open,Referral
    """), "fine.csv")
    assert loaded.report.warnings == []


def test_a_link_column_never_turns_a_deals_file_into_leads() -> None:
    """Zoho's Potentials carry LEADID; a deals file that points at leads stays deals."""
    headers = ["Potential Name", "Potential Owner", "Created Time", "Closing Date", "Amount",
               "Stage", "Lead Source", "LEADID", "owner", "deal_name"]
    found = recognise(headers)
    assert found.table is TableKind.DEALS
    assert found.mapping.get("LEADID") != "deal_id"


def test_a_leads_file_whose_id_another_candidate_reads_as_a_link_is_not_leads() -> None:
    # Both tables are complete; deals reads Lead ID as its link to leads.
    found = recognise(["Lead ID", "owner", "amount", "created_at", "stage"])
    assert found.table is TableKind.DEALS


def test_a_refused_file_reports_its_partial_mapping_and_samples(text) -> None:
    with pytest.raises(UnreadableFile) as caught:
        import_file(text("""
            Ref,Personne,Chiffre,amount
            R1,Ann,x,10
            R2,Bo,y,20
        """), "odd.csv")
    report = caught.value.report
    assert report is not None and report.error == caught.value.message
    assert report.table is TableKind.DEALS  # the closest table
    from_headers = {c.source: c.field for c in report.columns if not c.note}
    assert from_headers == {"Personne": None, "Chiffre": None, "amount": "amount"}
    # 'Ref' (R1, R2): suggested as the id from its values, not applied.
    assert {c.source: (c.field, c.note.code) for c in report.columns if c.note} == {
        "Ref": ("deal_id", "msg.column.suggested")}
    assert {c.source: c.samples for c in report.columns}["Personne"] == ["Ann", "Bo"]
    assert report.rows_read == 2


UNKNOWN_HEADERS = """
    Ref,Vendeur,Chiffre,Ouvert le,Clos le,Etat
    R1,Ann Lee,"1 200,50",03/01/2024,15/01/2024,Gagné
    R2,Bo Chen,"800,00",04/01/2024,20/01/2024,Perdu
    R3,Ann Lee,"2 000,00",05/01/2024,,En cours
    R4,Bo Chen,"950,00",06/01/2024,25/01/2024,Gagné
    R5,Ann Lee,"1 100,00",07/01/2024,,En cours
    R6,Bo Chen,"640,00",08/01/2024,28/01/2024,Perdu
    R7,Ann Lee,"700,00",09/01/2024,29/01/2024,Gagné
    R8,Bo Chen,"300,00",10/01/2024,,En cours
"""


def test_unknown_headers_are_read_from_sure_values_and_the_report_says_which(text) -> None:
    from kpi.ingest.profile import SURE, profile_columns
    from kpi.ingest.read import read_raw

    data = text(UNKNOWN_HEADERS)
    result = import_file(data, "maison.csv")
    report = result.report
    assert report.table is TableKind.DEALS
    headers = recognise(read_raw(data, "maison.csv").table.column_names)
    assert headers.table is None  # the headers alone do not make a table
    sure = {p.source: p.field for p in profile_columns(read_raw(data, "maison.csv").table,
                                                       TableKind.DEALS, headers.mapping)
            if p.confidence >= SURE}
    assert {"created_at", "amount"} <= set(sure.values())
    # Whatever was applied is said, one note per column read from its values.
    for source, field in sure.items():
        assert report.mapping[source] == field
        assert any(note.code == "msg.note.read_from_values"
                   and note.params["column"] == source
                   and note.params["field"] == field_label(field) for note in report.notes)
    assert report.rows_accepted == 8
    # 'Clos le' holds 15/01/2024: day first, and so is 'Ouvert le' (03/01/2024 is
    # 3 January), which its own values could not tell.
    assert result.table.column("created_at").to_pylist()[0] == date(2024, 1, 3)
    assert not any(note.code == "msg.note.early_close" for note in report.notes)


def test_a_refused_file_gets_the_fields_its_values_suggest(text) -> None:
    # Two rows: too few for the profile to be sure of anything.
    with pytest.raises(UnreadableFile) as caught:
        import_file(text("""
            Ref,Personne,Chiffre,Ouvert le
            R1,Ann,"1 200,50",03/01/2024
            R2,Bo,"800,00",04/01/2024
        """), "petit.csv")
    report = caught.value.report
    suggested = {c.source: c.field for c in report.columns if c.note and
                 c.note.code == "msg.column.suggested"}
    assert suggested  # prefilled for the mapping editor, each with its reason
    assert all(report.mapping[source] == field for source, field in suggested.items())


def test_won_deals_take_their_creation_date_from_the_leads_they_link_to() -> None:
    """Olist's closed deals: mql_id links each to its lead, whose first contact is the
    deal's creation; no amount (0, said); a deal whose lead is not loaded is rejected."""
    from kpi.workspace import Workspace

    won = (b"mql_id,sr_id,won_date\n"
           b"L1,Ann,2024-02-01\n"
           b"L2,Bo,2024-03-05\n"
           b"L9,Bo,2024-03-06\n")
    alone = Workspace(one_shot=True)
    with pytest.raises(UnreadableFile) as refused:
        alone.add_file(won, "won.csv")
    assert refused.value.message.params["fields"] == [field_label("created_at")]
    workspace = Workspace(one_shot=True)
    workspace.add_file(b"lead_id,created_at\nL1,2024-01-02\nL2,2024-01-20\n", "leads.csv")
    report = workspace.add_file(won, "won.csv")
    assert (report.rows_accepted, report.rows_rejected) == (2, 1)
    assert report.rejects[0].row == 4
    rows = workspace.con.execute(
        "SELECT lead_id, created_at, closed_at, status, amount FROM deals ORDER BY 1").fetchall()
    assert rows == [("L1", date(2024, 1, 2), date(2024, 2, 1), "won", 0.0),
                    ("L2", date(2024, 1, 20), date(2024, 3, 5), "won", 0.0)]
    assert "The file has no amount column: every deal counts as 0." in render_all(report.notes)


def test_placeholder_cells_read_as_empty(load, text) -> None:
    """'#N/A' (a spreadsheet's lookup miss) and SuiteCRM's '-99 mean "no value"."""
    loaded = load(text("""
        deal_id,owner,amount,created_at,channel
        D1,#N/A,10,2024-01-05,#N/A
        D2,Ann,#N/A,2024-01-05,LinkedIn
    """), "na.csv")
    assert loaded.column("owner") == ["Unassigned", "Ann"]
    assert loaded.column("channel") == ["unknown", "linkedin"]
    assert loaded.column("amount") == [10.0, 0.0]
