"""Salesforce opportunity report: title rows, m/d/yyyy dates, "$1,234.56" amounts,
the report footer, and the `Is Won` / `Closed` flags deciding the status."""

from datetime import date

import pytest

from kpi.schema import TableKind

HEADER = (
    '"Opportunity ID","Opportunity Name","Opportunity Owner","Stage","Amount",'
    '"Created Date","Close Date","Lead Source","Is Won","Closed"'
)

# Line 1-3: title rows, line 4: header, lines 5-8: data, then the footer.
REPORT = "\n".join(
    [
        '"Opportunity Pipeline - Q1"',
        '"As of 03/31/2024"',
        "",
        HEADER,
        # Stage says nothing about the status: the flags decide.
        '"0065g00000AbCdE","Acme - 200 licenses","John Smith","Verbal Commit","$1,234.56",'
        '"3/5/2024","3/28/2024","Partner Referral","{won}","{won}"',
        '"0065g00000AbCdF","Globex expansion","Mary Jones","Closed - No Decision","$12,000.00",'
        '"1/15/2024","2/20/2024","Web","{no}","{won}"',
        '"0065g00000AbCdG","Initech pilot","John Smith","Negotiation/Review","$980.00",'
        '"2/29/2024","4/15/2024","Trade Show","{no}","{no}"',
        '"0065g00000AbCdH","Umbrella upsell","Mary Jones","Closed Won","$2,500.50",'
        '"12/1/2023","1/31/2024","Cold Call","{won}","{won}"',
        "",
        '"Grand Totals (4 records)"',
        "",
        '"Confidential Information - Do Not Distribute"',
        '"Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved."',
        "",
    ]
)

FLAG_STYLES = {"digits": ("1", "0"), "lower": ("true", "false"), "upper": ("TRUE", "FALSE")}


def report_bytes(won: str = "1", no: str = "0", newline: str = "\n") -> bytes:
    return REPORT.format(won=won, no=no).replace("\n", newline).encode("utf-8")


@pytest.fixture(scope="module")
def sf(load):
    return load(report_bytes(), "salesforce-opps.csv")


def test_report_is_recognised_with_title_rows(sf):
    report = sf.report
    assert report.table == TableKind.DEALS
    assert report.header_row == 4
    assert report.delimiter == ","
    assert report.decimal_mark == "."
    assert report.date_order == "MDY"


def test_footer_lines_do_not_become_rows(sf):
    report = sf.report
    assert report.rows_read == 4
    assert report.rows_accepted == 4
    assert report.rows_rejected == 0
    assert report.rejects == []
    assert sorted(sf.column("deal_id")) == [
        "0065g00000AbCdE",
        "0065g00000AbCdF",
        "0065g00000AbCdG",
        "0065g00000AbCdH",
    ]
    for value in sf.column("deal_id") + sf.column("owner"):
        assert "Grand Totals" not in value
        assert "Confidential" not in value
        assert "Copyright" not in value


def test_headers_are_mapped(sf):
    mapping = sf.report.mapping
    assert mapping["Opportunity ID"] == "deal_id"
    assert mapping["Opportunity Name"] == "deal_name"
    assert mapping["Opportunity Owner"] == "owner"
    assert mapping["Stage"] == "stage"
    assert mapping["Amount"] == "amount"
    assert mapping["Created Date"] == "created_at"
    assert mapping["Close Date"] == "closed_at"
    assert mapping["Lead Source"] == "channel"


def test_won_flag_row(sf):
    row = sf.by("deal_id")["0065g00000AbCdE"]
    assert row["deal_name"] == "Acme - 200 licenses"
    assert row["owner"] == "John Smith"
    assert row["stage"] == "Verbal Commit"
    assert row["status"] == "won"
    assert row["amount"] == 1234.56
    assert row["created_at"] == date(2024, 3, 5)
    assert row["closed_at"] == date(2024, 3, 28)
    assert row["channel"] == "referral"
    assert row["channel_raw"] == "Partner Referral"


def test_closed_not_won_is_lost(sf):
    row = sf.by("deal_id")["0065g00000AbCdF"]
    assert row["status"] == "lost"
    assert row["amount"] == 12000.0
    assert row["created_at"] == date(2024, 1, 15)
    assert row["closed_at"] == date(2024, 2, 20)
    assert row["channel"] == "website_organic"


def test_not_closed_is_open(sf):
    row = sf.by("deal_id")["0065g00000AbCdG"]
    assert row["status"] == "open"
    assert row["amount"] == 980.0
    assert row["created_at"] == date(2024, 2, 29)
    assert row["channel"] == "event"


def test_closed_won_stage_and_flags_agree(sf):
    row = sf.by("deal_id")["0065g00000AbCdH"]
    assert row["status"] == "won"
    assert row["amount"] == 2500.5
    assert row["created_at"] == date(2023, 12, 1)
    assert row["closed_at"] == date(2024, 1, 31)
    assert row["channel"] == "cold_call"


@pytest.mark.parametrize("style", sorted(FLAG_STYLES))
def test_flag_spellings(load, style):
    won, no = FLAG_STYLES[style]
    loaded = load(report_bytes(won, no, newline="\r\n"), f"sf-{style}.csv")
    statuses = {row["deal_id"]: row["status"] for row in loaded.rows}
    assert statuses == {
        "0065g00000AbCdE": "won",
        "0065g00000AbCdF": "lost",
        "0065g00000AbCdG": "open",
        "0065g00000AbCdH": "won",
    }
    assert loaded.report.rows_read == 4


def test_reject_line_numbers_count_title_rows(load, names):
    data = report_bytes().replace(b'"$980.00"', b'"lots"')
    loaded = load(data, "sf-bad-amount.csv")
    assert loaded.report.rows_read == 4
    assert loaded.report.rows_rejected == 1
    (reject,) = loaded.report.rejects
    assert reject.row == 7  # 3 title lines, header on line 4, Initech on line 7
    assert names(reject, "amount", "Amount")
    assert reject.value == "lots"
    assert "0065g00000AbCdG" not in loaded.column("deal_id")
