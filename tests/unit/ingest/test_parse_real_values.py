"""Values as real exports write them (docs/tables.md, "Real exports seen since"):
month names in six languages, dd.mm.yy, 12-hour times, time-zone offsets, K / M
amounts, currency codes and symbols, placeholders.

The SQL of kpi.ingest.parse runs in DuckDB over small lists of cells; every
expected date and number is written by hand (or, for the real exports in
../shared/real, computed by Python's own parsers).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from kpi.ingest.parse import (
    PLACEHOLDERS,
    amount_sql,
    currency_in_amount,
    date_sql,
    decide_date_order,
    decide_decimal_mark,
    month_sql,
    placeholder_sql,
)
from kpi.messages import render

REAL = Path(__file__).resolve().parents[3].parent / "shared" / "real"
CELL = "NULLIF(trim(v), '')"  # a cell as the normaliser hands it over


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def evaluate(con: duckdb.DuckDBPyConnection, sql: str, values: list[str | None]) -> list:
    """`sql` (over the cell `v`) for each value, in order."""
    con.register("cells", pa.table({"i": range(len(values)), "v": pa.array(values, pa.string())}))
    try:
        return [row[0] for row in con.execute(f"SELECT {sql} FROM cells ORDER BY i").fetchall()]
    finally:
        con.unregister("cells")


# --- dates -------------------------------------------------------------------

MONTH_NAME_DATES = {
    "15 Apr, 2021 00:02:00": date(2021, 4, 15),  # Zoho Analytics
    "Apr 15, 2021": date(2021, 4, 15),
    "April 15, 2021 3:05 PM": date(2021, 4, 15),
    "Thursday, April 15th, 2021": date(2021, 4, 15),
    "15-avr.-2021": date(2021, 4, 15),
    "15 avril 2021": date(2021, 4, 15),
    "1er janvier 2024": date(2024, 1, 1),
    "3 DÉCEMBRE 2023": date(2023, 12, 3),
    "2 juil. 2022": date(2022, 7, 2),
    "30 juin 2022": date(2022, 6, 30),
    "5. März 2025": date(2025, 3, 5),
    "5. Mar. 2025": date(2025, 3, 5),
    "5. Maerz 2025": None,  # not a spelling of März
    "12. Okt. 2024": date(2024, 10, 12),
    "15 de abril de 2021": date(2021, 4, 15),
    "15/abr/2021": date(2021, 4, 15),
    "7 de fevereiro de 2022": date(2022, 2, 7),
    "20 de março de 2023": date(2023, 3, 20),
    "3 gennaio 2024": date(2024, 1, 3),
    "9 ago 2023": date(2023, 8, 9),
    "15-Apr-21": date(2021, 4, 15),  # Oracle's DD-MON-RR
    "31 Feb 2021": None,  # no such day
    "15 jui 2021": None,  # juin or juillet?
    "15 Marketing 2021": None,
}


@pytest.mark.parametrize("order", ["DMY", "MDY", "YMD"])
def test_month_names_read_whatever_the_decided_order(con, order):
    got = evaluate(con, date_sql(CELL, order), list(MONTH_NAME_DATES))
    assert dict(zip(MONTH_NAME_DATES, got, strict=True)) == MONTH_NAME_DATES


def test_dotted_dates_twelve_hour_times_and_offsets(con):
    day_first = {
        "26.03.2024": date(2024, 3, 26),
        "26.03.24": date(2024, 3, 26),
        "5.3.99": date(1999, 3, 5),
        "15/04/21": date(2021, 4, 15),  # was read as the year 21, then refused
        "26-02-2018 19:58": date(2018, 2, 26),  # Olist
        "2021-02-03T15:58:12+03:00": date(2021, 2, 3),  # Bitrix24: the local date
        "2021-02-03T23:30:00-05:00": date(2021, 2, 3),  # 04:30 on the 4th in UTC
        "2024-03-05T10:22:11.000Z": date(2024, 3, 5),  # Salesforce API
    }
    month_first = {
        "04/15/2021 10:22am": date(2021, 4, 15),
        "3/5/2021 3:05 PM": date(2021, 3, 5),
        "12/31/2023 11:59 pm": date(2023, 12, 31),
        "04/15/21": date(2021, 4, 15),
    }
    for order, cases in (("DMY", day_first), ("MDY", month_first)):
        got = evaluate(con, date_sql(CELL, order), list(cases))
        assert dict(zip(cases, got, strict=True)) == cases, order


@pytest.mark.parametrize(
    ("order", "cases"),
    [
        ("YMD", {"2024-03-25": date(2024, 3, 25), "2024-03-25 14:02": date(2024, 3, 25),
                 "2024/03/25": date(2024, 3, 25), "2024.3.5": date(2024, 3, 5),
                 "2024-03-26T08:30:00.000Z": date(2024, 3, 26), "  2024-03-25 ": date(2024, 3, 25),
                 "": None, None: None, "25/03/2024": None}),
        ("DMY", {"25/03/2024": date(2024, 3, 25), "1/4/2024": date(2024, 4, 1),
                 "08/07/2024": date(2024, 7, 8), "31/12/2023": date(2023, 12, 31),
                 "2024-03-26": date(2024, 3, 26), "25/03/2024 14:02": date(2024, 3, 25),
                 "32/01/2024": None, "hello": None}),
        ("MDY", {"3/25/2024": date(2024, 3, 25), "3/25/2024 2:30 PM": date(2024, 3, 25),
                 "12/1/2023 11:00 AM": date(2023, 12, 1), "03/04/2024": date(2024, 3, 4),
                 "25/03/2024": None}),
    ],
)
def test_previously_accepted_dates_read_the_same(con, order, cases):
    got = evaluate(con, date_sql(CELL, order), list(cases))
    assert dict(zip(cases, got, strict=True)) == cases


def test_excel_serials_still_read_when_asked(con):
    # 45292 is 2024-01-01 in Excel's 1900 system; 45376 is 84 days later.
    got = evaluate(con, date_sql(CELL, "DMY", excel_serials=True), ["45292", "45376.5", "15 Apr 2021"])
    assert got == [date(2024, 1, 1), date(2024, 3, 25), date(2021, 4, 15)]
    assert evaluate(con, date_sql(CELL, "DMY"), ["45292"]) == [None]


def test_months_with_month_names(con):
    cases = {
        "avril 2024": date(2024, 4, 1),
        "abril de 2024": date(2024, 4, 1),
        "April 2024": date(2024, 4, 1),
        "Apr-24": date(2024, 4, 1),  # Excel's mmm-yy
        "Jan '24": date(2024, 1, 1),
        "März 2025": date(2025, 3, 1),
        "2024-03": date(2024, 3, 1),  # as before
        "03/2024": date(2024, 3, 1),
        "15/03/2024": date(2024, 3, 1),
        "15 Mar, 2024 10:00:00": date(2024, 3, 1),
        "Apr 24": None,  # April 24th of which year? Not a month either
    }
    got = evaluate(con, month_sql(CELL, "DMY"), list(cases))
    assert dict(zip(cases, got, strict=True)) == cases


def test_a_column_of_month_names_is_decided_by_its_values():
    decision = decide_date_order(["15 Apr, 2021 00:02:00", "16 Apr, 2021 00:03:00"], "MDY",
                                 "the file looks American")
    assert decision.from_values
    assert decision.value == "DMY"
    assert render(decision.note) == "dates with month names (values like '15 Apr, 2021 00:02:00')"
    month_first = decide_date_order(["Apr 15, 2021", "May 2, 2021"], "DMY", "a hint")
    assert (month_first.value, month_first.from_values) == ("MDY", True)
    assert month_first.note.code == "msg.column.month_names"
    european = decide_date_order(["5. März 2025", "15-avr.-2021", "3 gennaio 2024"], "MDY", "x")
    assert (european.value, european.from_values) == ("DMY", True)
    assert render(european.note) == "dates with month names (values like '5. März 2025')"
    not_months = decide_date_order(["15 Marketing 2021", "3 pieces 2024"], "MDY", "a hint")
    assert (not_months.value, not_months.from_values) == ("MDY", False)


def test_month_names_do_not_disturb_a_numeric_decision():
    decision = decide_date_order(["Apr 15, 2021", "May 2, 2021", "25/03/2024"], "MDY", "a hint")
    assert (decision.value, decision.from_values) == ("DMY", True)
    assert render(decision.note) == "day first (values like '25/03/2024')"
    undecided = decide_date_order(["03/04/2024", "not a date"], "DMY", "the file looks European")
    assert not undecided.from_values


# --- amounts -----------------------------------------------------------------

POINT_AMOUNTS = {
    "$141.56K": 141_560.0,  # Zoho Analytics
    "$1,117.10K": 1_117_100.0,
    "2.5M": 2_500_000.0,
    "$1.2m": 1_200_000.0,
    "(1.5K)": -1_500.0,
    "USD 1,200.50": 1_200.5,
    "1,200.50 USD": 1_200.5,
    "US$ 99.90": 99.9,
    "CA$1,000": 1_000.0,
    "12k€": 12_000.0,
    "1.5 MXN": 1.5,  # the M of a code is no million
    "'-1200": -1_200.0,  # a negative quoted against formula injection
    # as before
    "$1,234.56": 1_234.56,
    "-$1,234.56": -1_234.56,
    "(1200)": -1_200.0,
    "($1,200)": -1_200.0,
    "12 USD": 12.0,
    "1200.25": 1_200.25,
    "1e3": 1_000.0,
    "1,2 Mio": None,  # an unknown word stays unreadable rather than becoming 1.2
    "12 apples": None,
}
COMMA_AMOUNTS = {
    "1,2 M€": 1_200_000.0,
    "1.234,56": 1_234.56,
    "1 200,50 CHF": 1_200.5,
    "R$ 1.234,56": 1_234.56,
    "COP 5.000.000": 5_000_000.0,
    "12 k€": 12_000.0,
    "1 234,5 K€ HT": 1_234_500.0,
    # as before
    "12 345,50 €": 12_345.5,
    "21 023,66": 21_023.66,
    "1\u00a0200,5": 1_200.5,
    "3\u202f000": 3_000.0,
    "(1 200,50)": -1_200.5,
    "EUR 35,5": 35.5,
    "1.234,50 €": 1_234.5,
    "12,5": 12.5,
    "\u22121 200": -1_200.0,
}


@pytest.mark.parametrize(("mark", "cases"), [(".", POINT_AMOUNTS), (",", COMMA_AMOUNTS)])
def test_amounts_as_real_exports_write_them(con, mark, cases):
    got = evaluate(con, amount_sql(CELL, mark), list(cases))
    assert dict(zip(cases, got, strict=True)) == cases


@pytest.mark.parametrize(
    ("values", "mark"),
    [
        (["$141.56K"], "."),  # 141.56 alone, not '56K' after a thousands point
        (["$48.22K", "2.5M"], "."),
        (["2,50 M€"], ","),
        (["COP 5.000.000", "COP 120.000"], ","),
        (["R$ 1.234,56"], ","),
        (["USD 1,200.50"], "."),
    ],
)
def test_suffixes_and_codes_do_not_confuse_the_decimal_mark(values, mark):
    hint = "," if mark == "." else "."
    decision = decide_decimal_mark(values, hint, "a hint")
    assert (decision.value, decision.from_values) == (mark, True)


@pytest.mark.parametrize(
    ("values", "code"),
    [
        (["$22,700.00", "$29,700.00", "$0.00"], "USD"),
        (["12 345,50 €", "980,00 € HT"], "EUR"),
        (["£1,200"], "GBP"),
        (["1 200,50 CHF"], "CHF"),
        (["USD 1,200.50"], "USD"),
        (["R$ 1.234,56"], "BRL"),  # not USD for its $
        (["COP 5.000.000", "COP 120.000"], "COP"),
        (["1200 eur", "35 EUR"], "EUR"),
        (["12k€"], "EUR"),
        (["$1", "€2"], None),  # two currencies
        (["100", "200", "$3"], None),  # most values name none
        (["¥500"], None),  # yen or yuan
        (["1200", "35.5"], None),
        (["12 TTC"], None),
        ([], None),
    ],
)
def test_currency_in_amount(values, code):
    assert currency_in_amount(values) == code


# --- placeholders ------------------------------------------------------------

def test_placeholders_read_as_empty(con):
    assert {"#N/A", "N/A", "'-99"} <= PLACEHOLDERS
    assert "-99" not in PLACEHOLDERS  # also a refund
    values = ["#N/A", "N/A", "n/a", "'-99", "#NV", "-99", "None", "N/A ", "Ann", None]
    got = evaluate(con, placeholder_sql("v"), values)
    assert got == [None, None, None, None, None, "-99", "None", "N/A ", "Ann", None]


def test_a_placeholder_amount_is_no_amount(con):
    got = evaluate(con, amount_sql(placeholder_sql(CELL), "."), ["#N/A", "140000.0", "n/a"])
    assert got == [None, 140_000.0, None]


# --- real exports (../shared/real) ---------------------------------------------

def real_columns(relative: str, *columns: str) -> dict[str, list[str]]:
    path = REAL / relative
    if not path.exists():
        pytest.skip(f"{path} is not available (../shared beside the repository)")
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    return {c: [row[c] for row in rows if row[c]] for c in columns}


def test_zoho_potentials_dates_and_dollars(con):
    cells = real_columns("zoho-sample/Potentials.csv", "Created Time", "Closing Date", "Amount")
    for column in ("Created Time", "Closing Date"):
        decision = decide_date_order(cells[column], "DMY", "a hint")
        assert decision.from_values and decision.note.code == "msg.column.month_names"
        got = evaluate(con, date_sql(CELL, decision.value), cells[column])
        expected = [datetime.strptime(v, "%d %b, %Y %H:%M:%S").date() for v in cells[column]]
        assert got == expected
    assert decide_decimal_mark(cells["Amount"], ",", "a hint").value == "."
    got = evaluate(con, amount_sql(CELL, "."), cells["Amount"])
    assert got == [float(v.lstrip("$").replace(",", "")) for v in cells["Amount"]]
    assert got[0] == 22_700.0  # "$22,700.00" on the first line
    assert currency_in_amount(cells["Amount"]) == "USD"


def test_zoho_campaign_costs_in_thousands(con):
    cells = real_columns("zoho-sample/Campaigns.csv", "Actual Cost", "Budgeted Cost")
    for values in cells.values():
        assert all(v.startswith("$") and v.endswith("K") for v in values)
        got = evaluate(con, amount_sql(CELL, decide_decimal_mark(values, ",", "hint").value), values)
        # K is thousands: '$1,117.10K' is 1,117,100 dollars (in tens of dollars: exact)
        assert got == [round(float(v[1:-1].replace(",", "")) * 100) * 10.0 for v in values]
    assert evaluate(con, amount_sql(CELL, "."), ["$141.56K"]) == [141_560.0]


def test_bitrix24_offsets_give_the_local_date(con):
    cells = real_columns("bitrix24/deals.csv", "DATE_CREATE", "CLOSEDATE")
    for values in cells.values():
        decision = decide_date_order(values, "DMY", "a hint")
        got = evaluate(con, date_sql(CELL, decision.value), values)
        assert got == [datetime.fromisoformat(v).date() for v in values]


def test_salesforce_and_suitecrm_placeholders(con):
    prodly = real_columns("salesforce-prodly/Opportunity.csv", "Amount")["Amount"]
    assert "#N/A" in prodly
    got = evaluate(con, amount_sql(placeholder_sql(CELL), "."), prodly)
    assert got == [None if v == "#N/A" else float(v) for v in prodly]
    suite = real_columns("suitecrm8/Opportunities.csv", "Currency", "Opportunity Amount")
    assert evaluate(con, placeholder_sql(CELL), suite["Currency"]) == [None]
    assert evaluate(con, amount_sql(CELL, "."), suite["Opportunity Amount"]) == [10_000.0]


def test_a_zoho_style_file_imports_with_its_dates_and_dollars(load):
    data = (
        b'Deal Name,Deal Owner,Stage,Amount,Created Time,Closing Date\n'
        b'"Lewis, James",Roger Terrence,Closed Won,"$22,700.00","15 Apr, 2021 00:02:00",'
        b'"16 Apr, 2021 00:03:00"\n'
        b'"Kirk, Rebecca",Rozario Diego,Closed Lost,"$1.5K","2 May, 2021 10:00:00",'
        b'"9 May, 2021 09:00:00"\n'
    )
    loaded = load(data, "zoho-deals.csv")
    report = loaded.report
    assert report.rows_rejected == 0, report.rejects
    assert report.date_order == "DMY"
    assert loaded.decision("Created Time").note.code == "msg.column.month_names"
    rows = loaded.by("deal_name")
    assert rows["Lewis, James"]["created_at"] == date(2021, 4, 15)
    assert rows["Lewis, James"]["closed_at"] == date(2021, 4, 16)
    assert rows["Lewis, James"]["amount"] == 22_700.0
    assert rows["Kirk, Rebecca"]["created_at"] == date(2021, 5, 2)
    assert rows["Kirk, Rebecca"]["amount"] == 1_500.0
