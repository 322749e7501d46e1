"""Encodings, delimiters, line endings, date orders and amount formats
(docs/tables.md, "Exports also carry")."""

import codecs
from datetime import date

import pytest

from kpi.messages import msg, render
from kpi.schema import TableKind


def same_codec(name: str | None, expected: str) -> bool:
    return name is not None and codecs.lookup(name).name == codecs.lookup(expected).name


def test_utf8_with_bom(load, text):
    data = b"\xef\xbb\xbf" + text(
        """\
        deal_id,owner,status,amount,created_at,closed_at
        D1,Zoë Moreau,won,10.5,2024-03-25,2024-04-01
        """
    )
    loaded = load(data, "bom.csv")
    report = loaded.report
    assert report.table == TableKind.DEALS
    assert same_codec(report.encoding, "utf-8-sig")
    assert "deal_id" in report.mapping
    assert report.mapping["deal_id"] == "deal_id"
    row = loaded.by("deal_id")["D1"]
    assert row["owner"] == "Zoë Moreau"
    assert row["amount"] == 10.5


def test_utf8_bom_before_title_lines_and_a_footer_keeps_line_numbers(load):
    # The BOM stays in the bytes (no copy of the file): only the header's decoding drops it.
    data = ("\ufeffDeals report\n\ndeal_id,owner,status,amount,created_at,closed_at\n"
            "D1,Ana,won,10,2024-03-25,2024-04-01\nD2,Ana,won,20,2024-03-26,\n"
            "Grand Total,,,30,,\n").encode("utf-8")
    report = load(data, "bom-title.csv").report
    assert same_codec(report.encoding, "utf-8-sig")
    assert report.header_row == 3
    assert report.columns[0].source == "deal_id"
    assert (report.rows_read, report.rows_accepted) == (2, 1)
    assert [r.row for r in report.rejects] == [5]
    assert msg("note.lines_skipped", count=2) in report.notes
    assert msg("note.footer_skipped") in report.notes
    assert render(report.notes[0]) == "2 line(s) above the header were skipped."


def test_cp1252(load, text):
    data = text(
        """\
        Identifiant;Commercial;Statut;Montant;Date de création;Date de clôture
        A1;Hélène Lefèvre;Gagné;1 200,00 €;25/03/2024;02/04/2024
        A2;François Gérard;En cours;980,50 €;26/03/2024;
        A3;Zoë Œuvray;Perdu;12,00 €;27/03/2024;28/03/2024
        """,
        encoding="cp1252",
    )
    loaded = load(data, "cp1252.csv")
    report = loaded.report
    assert same_codec(report.encoding, "cp1252")
    assert report.mapping["Date de création"] == "created_at"
    rows = loaded.by("deal_id")
    assert rows["A1"]["owner"] == "Hélène Lefèvre"
    assert rows["A1"]["amount"] == 1200.0
    assert rows["A2"]["owner"] == "François Gérard"
    assert rows["A2"]["amount"] == 980.5
    assert rows["A3"]["owner"] == "Zoë Œuvray"
    assert rows["A3"]["status"] == "lost"
    assert rows["A3"]["closed_at"] == date(2024, 3, 28)


def test_tab_delimited(load, text):
    data = text(
        """\
        deal_id\towner\tstatus\tamount\tcreated_at\tchannel
        T1\tAnn Lee\topen\t1234.5\t2024-03-25\tLinkedIn
        T2\tBo Chen\topen\t99\t2024-03-26\tWebinar
        """
    )
    loaded = load(data, "deals.tsv")
    assert loaded.report.delimiter == "\t"
    rows = loaded.by("deal_id")
    assert rows["T1"]["owner"] == "Ann Lee"
    assert rows["T1"]["amount"] == 1234.5
    assert rows["T1"]["channel"] == "linkedin"
    assert rows["T2"]["created_at"] == date(2024, 3, 26)
    assert rows["T2"]["channel"] == "event"


def test_crlf_line_endings(load, text):
    data = text(
        """\
        deal_id,owner,status,amount,created_at,closed_at,currency
        C1,Ann Lee,won,10,2024-03-01,2024-03-09,EUR
        C2,Bo Chen,open,20,2024-03-02,,EUR
        """,
        newline="\r\n",
    )
    loaded = load(data, "crlf.csv")
    assert loaded.report.rows_read == 2
    rows = loaded.by("deal_id")
    assert set(rows) == {"C1", "C2"}
    assert rows["C1"]["currency"] == "EUR"
    assert rows["C2"]["currency"] == "EUR"
    assert rows["C1"]["closed_at"] == date(2024, 3, 9)
    assert rows["C2"]["closed_at"] is None
    for row in loaded.rows:
        assert all("\r" not in v for v in row.values() if isinstance(v, str))


def test_iso_datetime_with_zone(load, text):
    data = text(
        """\
        deal_id,owner,status,amount,created_at,closed_at
        Z1,Ann Lee,won,10,2024-03-25T10:00:00Z,2024-04-02T23:15:00Z
        Z2,Ann Lee,open,10,2024-03-26T08:30:00.000Z,
        """
    )
    loaded = load(data, "iso.csv")
    assert loaded.report.date_order == "YMD"
    rows = loaded.by("deal_id")
    assert rows["Z1"]["created_at"] == date(2024, 3, 25)
    assert rows["Z1"]["closed_at"] == date(2024, 4, 2)
    assert rows["Z2"]["created_at"] == date(2024, 3, 26)


def test_day_first_decided_by_a_day_over_12(load, text):
    data = text(
        """\
        deal_id,owner,status,amount,created_at
        M1,Ann Lee,open,10,03/04/2024
        M2,Ann Lee,open,10,25/03/2024
        """
    )
    loaded = load(data, "dmy.csv")
    assert loaded.report.date_order == "DMY"
    rows = loaded.by("deal_id")
    assert rows["M1"]["created_at"] == date(2024, 4, 3)
    assert rows["M2"]["created_at"] == date(2024, 3, 25)


def test_month_first_decided_by_a_second_part_over_12(load, text):
    data = text(
        """\
        deal_id,owner,status,amount,created_at
        M1,Ann Lee,open,10,03/04/2024
        M2,Ann Lee,open,10,3/25/2024
        """
    )
    loaded = load(data, "mdy.csv")
    assert loaded.report.date_order == "MDY"
    rows = loaded.by("deal_id")
    assert rows["M1"]["created_at"] == date(2024, 3, 4)
    assert rows["M2"]["created_at"] == date(2024, 3, 25)


def test_undecidable_dates_in_french_file_are_day_first(load, text):
    data = text(
        """\
        Identifiant;Commercial;Statut;Montant;Date de création;Date de clôture
        U1;Ann Lee;Gagné;1 000,50;03/04/2024;05/06/2024
        U2;Ann Lee;En cours;20,00;01/02/2024;
        """
    )
    loaded = load(data, "undecidable.csv")
    report = loaded.report
    assert report.date_order == "DMY"
    assert report.decimal_mark == ","
    rows = loaded.by("deal_id")
    assert rows["U1"]["created_at"] == date(2024, 4, 3)
    assert rows["U1"]["closed_at"] == date(2024, 6, 5)
    assert rows["U1"]["amount"] == 1000.5
    assert rows["U2"]["created_at"] == date(2024, 2, 1)
    note = loaded.decision("Date de création").note
    assert note, "the report must say why the date order was chosen"


@pytest.mark.parametrize(
    ("lines", "expected", "decimal_mark"),
    [
        pytest.param(
            ["X1;Ann;open;EUR 1 200,00;2024-03-25", "X2;Ann;open;EUR 35,5;2024-03-25"],
            {"X1": 1200.0, "X2": 35.5},
            ",",
            id="eur-prefix-space-thousands",
        ),
        pytest.param(
            ["X1;Ann;open;1.234,56 €;2024-03-25", "X2;Ann;open;12.000,00 €;2024-03-25"],
            {"X1": 1234.56, "X2": 12000.0},
            ",",
            id="dot-thousands-comma-decimal",
        ),
        pytest.param(
            ["X1;Ann;open;12 345,50 €;2024-03-25", "X2;Ann;open;980,00 €;2024-03-25"],
            {"X1": 12345.5, "X2": 980.0},
            ",",
            id="euro-suffix",
        ),
        pytest.param(
            ['X1,Ann,open,"1,234.56",2024-03-25', 'X2,Ann,open,"$12,000",2024-03-25'],
            {"X1": 1234.56, "X2": 12000.0},
            ".",
            id="us",
        ),
        pytest.param(
            ["X1,Ann,open,$141.56K,2024-03-25", 'X2,Ann,open,"$1,117.10K",2024-03-25',
             "X3,Ann,open,2.5M,2024-03-25"],
            {"X1": 141560.0, "X2": 1117100.0, "X3": 2500000.0},
            ".",
            id="k-m-suffixes",
        ),
        pytest.param(
            ["X1;Ann;open;COP 5.000.000;2024-03-25", "X2;Ann;open;1,2 M€;2024-03-25",
             "X3;Ann;open;1 200,50 CHF;2024-03-25"],
            {"X1": 5000000.0, "X2": 1200000.0, "X3": 1200.5},
            ",",
            id="codes-suffixes-dot-thousands",
        ),
    ],
)
def test_amount_formats(load, lines, expected, decimal_mark):
    sep = ";" if decimal_mark == "," else ","
    header = sep.join(["deal_id", "owner", "status", "amount", "created_at"])
    data = "\n".join([header, *lines, ""]).encode("utf-8")
    loaded = load(data, "amounts.csv")
    assert loaded.report.decimal_mark == decimal_mark
    assert loaded.report.delimiter == sep
    got = {r["deal_id"]: r["amount"] for r in loaded.rows}
    assert got == expected


def test_cp1252_character_far_into_the_file(load):
    head = b"deal_id,owner,status,amount,created_at\n"
    body = b"".join(b"R%d,Ann Lee,open,1,2024-01-01\n" % i for i in range(5000))
    tail = "R9999,Hélène Lefèvre,open,1,2024-01-01\n".encode("cp1252")
    loaded = load(head + body + tail, "late-accent.csv")
    assert same_codec(loaded.report.encoding, "cp1252")
    assert loaded.report.rows_accepted == 5001
    assert loaded.by("deal_id")["R9999"]["owner"] == "Hélène Lefèvre"


def test_day_over_12_far_into_the_file_decides_day_first(load):
    head = b"deal_id,owner,status,amount,created_at\n"
    body = b"".join(b"R%d,Ann Lee,open,1,03/04/2024\n" % i for i in range(3000))
    tail = b"R9999,Ann Lee,open,1,25/03/2024\n"
    loaded = load(head + body + tail, "late-day.csv")
    assert loaded.report.date_order == "DMY"
    assert loaded.report.rows_rejected == 0
    rows = loaded.by("deal_id")
    assert rows["R0"]["created_at"] == date(2024, 4, 3)
    assert rows["R9999"]["created_at"] == date(2024, 3, 25)


def test_decimal_comma_far_into_the_file(load):
    head = b"deal_id;owner;status;amount;created_at\n"
    body = b"".join(b"R%d;Ann Lee;open;100;2024-01-01\n" % i for i in range(3000))
    tail = b"R9999;Ann Lee;open;12,5;2024-01-01\n"
    loaded = load(head + body + tail, "late-decimal.csv")
    assert loaded.report.decimal_mark == ","
    rows = loaded.by("deal_id")
    assert rows["R0"]["amount"] == 100.0
    assert rows["R9999"]["amount"] == 12.5


def test_month_first_dates_with_a_time(load, text):
    data = text(
        """\
        Opportunity ID,Opportunity Owner,Stage,Amount,Created Date,Close Date
        S1,Ann Lee,Closed Won,1,3/25/2024 2:30 PM,4/2/2024 9:05 AM
        S2,Ann Lee,Prospecting,1,12/1/2023 11:00 AM,
        """
    )
    loaded = load(data, "sf-times.csv")
    assert loaded.report.date_order == "MDY"
    rows = loaded.by("deal_id")
    assert rows["S1"]["created_at"] == date(2024, 3, 25)
    assert rows["S1"]["closed_at"] == date(2024, 4, 2)
    assert rows["S2"]["created_at"] == date(2023, 12, 1)


def test_utf8_bom_semicolon_excel_export(load):
    # What Excel writes for "CSV UTF-8" with French regional settings.
    data = "\ufeffIdentifiant;Commercial;Statut;Montant;Date de création\r\nX1;Zoé;Perdu;1 234,56 €;05/03/2024\r\n"
    loaded = load(data.encode("utf-8"), "excel-fr.csv")
    report = loaded.report
    assert same_codec(report.encoding, "utf-8-sig")
    assert report.mapping["Identifiant"] == "deal_id"
    assert report.date_order == "DMY"
    (reject,) = report.rejects  # lost without a close date
    assert reject.row == 2
