"""Row-level problems reject the row (with its line number and column), never
the file; unusable files raise UnreadableFile naming the file."""

from datetime import date

import pytest

from kpi.ingest import UnreadableFile
from kpi.messages import render, render_all
from kpi.schema import TABLE_COLUMNS, TableKind

# line 1 is the header
PROBLEMS = """\
deal_id,owner,status,amount,created_at,closed_at
D1,Ann Lee,won,100,2024-03-01,2024-03-10
D2,Ann Lee,won,200,2024-03-02,
D1,Bo Chen,open,300,2024-03-03,
D3,Bo Chen,open,abc,2024-03-04,
D4,Bo Chen,open,400,soon,
D5,Bo Chen,lost,500,2024-03-05,2024-03-20
D6,Bo Chen,lost,600,2024-03-06,
D7,,open,,2024-03-07,
"""


@pytest.fixture(scope="module")
def problems(load, text):
    return load(text(PROBLEMS), "problems.csv")


def test_counts(problems):
    report = problems.report
    assert report.rows_read == 8
    assert report.rows_accepted == 3
    assert report.rows_rejected == 5


def test_good_rows_are_kept(problems):
    rows = problems.by("deal_id")
    assert set(rows) == {"D1", "D5", "D7"}
    assert rows["D1"]["owner"] == "Ann Lee"  # the first D1 is kept
    assert rows["D1"]["amount"] == 100.0
    assert rows["D1"]["closed_at"] == date(2024, 3, 10)
    assert rows["D5"]["status"] == "lost"
    assert rows["D5"]["closed_at"] == date(2024, 3, 20)
    assert rows["D7"]["owner"] == "Unassigned"
    assert rows["D7"]["amount"] == 0.0


def test_won_without_closed_date_is_rejected(problems, names):
    rejects = problems.rejects_at(3)
    assert rejects, problems.report.rejects
    assert any(names(r, "closed_at") for r in rejects), rejects


def test_lost_without_closed_date_is_rejected(problems, names):
    rejects = problems.rejects_at(8)
    assert rejects, problems.report.rejects
    assert any(names(r, "closed_at") for r in rejects), rejects


def test_duplicate_id_is_rejected(problems, names):
    rejects = problems.rejects_at(4)
    assert rejects, problems.report.rejects
    assert any(names(r, "deal_id") for r in rejects), rejects


def test_unparseable_amount_is_rejected(problems, names):
    rejects = problems.rejects_at(5)
    assert rejects, problems.report.rejects
    (reject,) = [r for r in rejects if names(r, "amount")]
    assert reject.value == "abc"


def test_unparseable_date_is_rejected(problems, names):
    rejects = problems.rejects_at(6)
    assert rejects, problems.report.rejects
    (reject,) = [r for r in rejects if names(r, "created_at")]
    assert reject.value == "soon"


def test_every_reject_has_a_reason(problems):
    assert {r.row for r in problems.report.rejects} == {3, 4, 5, 6, 8}
    for reject in problems.report.rejects:
        assert render(reject.reason).strip()


def test_reject_line_numbers_with_crlf_and_quoted_fields(load, text, names):
    data = text(
        '''\
        "deal_id","deal_name","owner","status","amount","created_at","closed_at"
        "Q1","Acme, Inc.","Ann Lee","won","1,000.50","03/25/2024","04/02/2024"
        "Q2","Globex ""Big""","Ann Lee","won","2,000.00","03/26/2024",""
        "Q3","Initech","Ann Lee","open","n/a","03/27/2024",""
        ''',
        newline="\r\n",
    )
    loaded = load(data, "quoted.csv")
    assert loaded.by("deal_id")["Q1"]["deal_name"] == "Acme, Inc."
    assert loaded.by("deal_id")["Q1"]["amount"] == 1000.5
    assert loaded.by("deal_id")["Q1"]["created_at"] == date(2024, 3, 25)
    assert {r.row for r in loaded.report.rejects} == {3}
    assert any(names(r, "closed_at") for r in loaded.rejects_at(3))
    # "n/a" is a placeholder for no value: an amount of 0, counted in the report.
    assert loaded.by("deal_id")["Q3"]["amount"] == 0
    assert "1 row(s) had no amount and count as 0." in render_all(loaded.report.notes)


# ---------------------------------------------------------------- file level

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        pytest.param(b"", "empty-export.csv", id="empty"),
        pytest.param(b"\n\n  \n", "blank-lines.csv", id="blank-lines"),
        pytest.param(PNG, "holiday-photo.csv", id="png-renamed-csv"),
        pytest.param(bytes(range(256)) * 8, "random-binary.csv", id="binary"),
        pytest.param(b"foo,bar,baz\n1,2,3\n4,5,6\n", "mystery.csv", id="no-recognisable-header"),
        pytest.param(PNG, "not-really.xlsx", id="png-renamed-xlsx"),
    ],
)
def test_unusable_files_raise_unreadable_file(data, name):
    from kpi.ingest import import_file

    with pytest.raises(UnreadableFile) as excinfo:
        import_file(data, name)
    assert name in str(excinfo.value)


def test_header_only_file(load):
    loaded = load(b"deal_id,owner,status,amount,created_at\n", "header-only.csv")
    assert loaded.report.table == TableKind.DEALS
    assert loaded.report.rows_read == 0
    assert loaded.table.num_rows == 0
    assert loaded.table.column_names == list(TABLE_COLUMNS[TableKind.DEALS])


def test_mapping_forces_columns(load, text):
    data = text(
        """\
        Ref;Vendeur;Etat;Prix;Début;Fin
        R1;Ann Lee;Signé;1 250,00;25/03/2024;02/04/2024
        R2;Bo Chen;Brouillon;80,00;26/03/2024;
        """
    )
    mapping = {
        "Ref": "deal_id",
        "Vendeur": "owner",
        "Etat": "stage",
        "Prix": "amount",
        "Début": "created_at",
        "Fin": "closed_at",
    }
    loaded = load(data, "custom.csv", kind=TableKind.DEALS, mapping=mapping)
    assert loaded.report.table == TableKind.DEALS
    assert loaded.report.mapping == mapping
    rows = loaded.by("deal_id")
    assert rows["R1"]["owner"] == "Ann Lee"
    assert rows["R1"]["status"] == "won"
    assert rows["R1"]["amount"] == 1250.0
    assert rows["R1"]["created_at"] == date(2024, 3, 25)
    assert rows["R1"]["closed_at"] == date(2024, 4, 2)
    assert rows["R2"]["status"] == "open"
    assert rows["R2"]["amount"] == 80.0


def test_mapping_overrides_recognised_column(load, text):
    # "Amount" would be recognised as amount; the user says the real value is "Weighted".
    data = text(
        """\
        deal_id,owner,status,Amount,Weighted,created_at
        W1,Ann Lee,open,1000,250,2024-03-25
        """
    )
    mapping = {
        "deal_id": "deal_id",
        "owner": "owner",
        "status": "status",
        "Weighted": "amount",
        "created_at": "created_at",
    }
    loaded = load(data, "weighted.csv", kind=TableKind.DEALS, mapping=mapping)
    assert loaded.report.mapping.get("Weighted") == "amount"
    assert loaded.report.mapping.get("Amount") is None
    assert loaded.by("deal_id")["W1"]["amount"] == 250.0


# Recognised as deals on its own (Deal owner, Amount); `kind` decides.
KIND_NEUTRAL = """\
Record ID,Deal owner,Create Date,Original Source,Amount
9,Ann Lee,2024-03-25 10:00,LinkedIn,150
"""


def test_kind_forces_leads(load, text):
    loaded = load(text(KIND_NEUTRAL), "forced-leads.csv", kind=TableKind.LEADS)
    assert loaded.report.table == TableKind.LEADS
    row = loaded.by("lead_id")["9"]
    assert row["created_at"] == date(2024, 3, 25)
    assert row["channel"] == "linkedin"


def test_kind_forces_deals(load, text):
    loaded = load(text(KIND_NEUTRAL), "forced-deals.csv", kind=TableKind.DEALS)
    assert loaded.report.table == TableKind.DEALS
    row = loaded.by("deal_id")["9"]
    assert row["created_at"] == date(2024, 3, 25)
    assert row["channel"] == "linkedin"
    assert row["owner"] == "Ann Lee"
    assert row["amount"] == 150.0
    assert row["status"] == "open"


def test_line_numbers_count_blank_lines(load, names):
    # A user counts every line of the file, blank ones included.
    data = (
        b"deal_id,owner,status,amount,created_at,closed_at\n"  # line 1
        b"B1,Ann Lee,open,1,2024-01-01,\n"  # line 2
        b"\n"  # line 3
        b"\n"  # line 4
        b"B2,Ann Lee,won,5,2024-01-01,\n"  # line 5: no close date
        b"B3,Ann Lee,open,1,2024-01-02,\n"  # line 6
        b"B4,Ann Lee,open,zz,2024-01-03,\n"  # line 7: bad amount
    )
    loaded = load(data, "blank-lines-inside.csv")
    assert loaded.report.rows_read == 4
    assert set(loaded.column("deal_id")) == {"B1", "B3"}
    assert {r.row for r in loaded.report.rejects} == {5, 7}
    assert any(names(r, "closed_at") for r in loaded.rejects_at(5))
    assert any(names(r, "amount") for r in loaded.rejects_at(7))


def test_title_rows_above_a_french_header(load, names):
    data = (
        "Export des affaires - mars 2024;;;;\n"  # line 1
        ";;;;\n"  # line 2
        "Identifiant;Commercial;Statut;Montant;Date de création\n"  # line 3
        "A1;Élodie Faure;En cours;1 500,50;25/03/2024\n"  # line 4
        "A2;Élodie Faure;En cours;beaucoup;26/03/2024\n"  # line 5
    ).encode()
    loaded = load(data, "titre.csv")
    report = loaded.report
    assert report.header_row == 3
    assert report.rows_read == 2
    assert loaded.by("deal_id")["A1"]["amount"] == 1500.5
    assert loaded.by("deal_id")["A1"]["created_at"] == date(2024, 3, 25)
    (reject,) = report.rejects
    assert reject.row == 5
    assert names(reject, "amount", "Montant")
    assert reject.value == "beaucoup"


@pytest.mark.parametrize(
    ("source", "key"),
    [
        ("lead_id,created_at,owner\nL1,2024-01-01,Ann\nL1,2024-01-02,Bo\n", "lead_id"),
        (
            "proposal_id,owner,sent_at,amount,status\n"
            "P1,Ann,2024-01-01,1,open\nP1,Bo,2024-01-02,2,won\n",
            "proposal_id",
        ),
    ],
)
def test_repeated_ids_in_other_tables(load, names, source, key):
    loaded = load(source.encode(), "dup.csv")
    (row,) = loaded.rows
    assert row["owner"] == "Ann"  # first one kept
    (reject,) = loaded.report.rejects
    assert reject.row == 3
    assert names(reject, key)


def test_mixed_currencies_are_reported(load, text):
    data = text(
        """\
        deal_id,owner,status,amount,created_at,currency
        E1,Ann Lee,open,100,2024-01-01,EUR
        E2,Ann Lee,open,200,2024-01-02,USD
        """
    )
    loaded = load(data, "currencies.csv")
    assert loaded.report.rows_accepted == 2
    notes = " ".join(render_all(loaded.report.notes))
    assert "EUR" in notes and "USD" in notes, loaded.report.notes
