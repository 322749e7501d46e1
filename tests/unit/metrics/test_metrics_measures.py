"""The declarations of kpi/metrics/measures.py: ratios, measures as SQL, rules on real rows."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import pytest

from kpi.metrics import measures as m
from kpi.schema import CHANNELS, UNASSIGNED


def test_a_ratio_is_none_when_its_denominator_is_zero_or_missing() -> None:
    assert m.WIN_RATE.of({"won": 3, "closed": 4}) == 0.75
    assert m.WIN_RATE.of({"won": 0, "closed": 0}) is None
    assert m.WIN_RATE.of({"won": 0, "closed": 5}) == 0.0
    assert m.CAC.of({"spend": None, "won": 2}) is None
    assert m.AVG_DEAL_VALUE.of({"won_revenue": 10.0}) is None


def test_a_ratio_adds_up_its_denominators() -> None:
    # conversion = won / (won + lost): 3 / (3 + 1)
    assert m.CONVERSION_RATE.of({"won": 3, "lost": 1}) == 0.75


def test_a_measure_tests_its_time_dimension_only_when_asked() -> None:
    assert m.WON_REVENUE.sql() == "sum(amount) FILTER (WHERE status = 'won')"
    assert m.WON_REVENUE.sql(period=True) == (
        "sum(amount) FILTER (WHERE status = 'won' AND closed_at BETWEEN $f AND $t)")


def test_predicates_already_in_the_where_are_left_out() -> None:
    assert m.CLOSED_DEALS.select(given=(m.CLOSED,)) == "count(*) AS closed"
    assert m.WON_DEALS.select(period=True, given=m.WON_IN_PERIOD) == "count(*) AS won"
    assert m.VIEWS.select() == "CAST(sum(views) AS BIGINT) AS views"


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("""
        CREATE TABLE deals (deal_id VARCHAR, deal_name VARCHAR, owner VARCHAR,
            channel VARCHAR, status VARCHAR, amount DOUBLE, currency VARCHAR,
            created_at DATE, closed_at DATE, proposal_sent_at DATE)""")
    connection.executemany("INSERT INTO deals VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        ("1", "a", None, "referral", "won", 100.0, "EUR", date(2024, 1, 5), date(2024, 2, 1), None),
        ("2", "b", "Ann", "referral", None, None, "EUR", date(2024, 1, 9), None, None),
        ("3", "c", "Ann", "events", "lost", 50.0, "USD", date(2024, 3, 1), date(2024, 3, 2), None),
    ])
    return connection


def _ids(con: duckdb.DuckDBPyConnection, sql: str, **params: object) -> list[str]:
    return [row[0] for row in con.execute(sql, params).fetchall()]


def test_d_gives_a_deal_without_owner_to_unassigned_and_filters_on_it(con) -> None:
    sql = f"WITH d AS ({m.DEALS_D}) SELECT deal_id FROM d ORDER BY deal_id"
    assert _ids(con, sql, reps=[UNASSIGNED], channels=[], currency=None) == ["1"]
    assert _ids(con, sql, reps=[], channels=["referral"], currency="EUR") == ["1", "2"]
    row = con.execute(f"SELECT owner, amount FROM ({m.deals()}) WHERE deal_id = '2'").fetchone()
    assert row == ("Ann", 0.0)


def test_open_at_the_period_end_counts_a_missing_status_as_open(con) -> None:
    sql = f"SELECT deal_id FROM deals WHERE {m.where(*m.OPEN_AT_END)}"
    assert _ids(con, sql, t=date(2024, 1, 31)) == ["2"]
    assert _ids(con, sql, t=date(2024, 1, 8)) == []


def test_the_unknown_channel_is_a_canonical_channel() -> None:
    assert m.UNKNOWN_CHANNEL in CHANNELS


def test_the_owner_fallback_and_rule_literals_live_only_in_measures() -> None:
    folder = Path(m.__file__).parent
    pattern = re.compile(r"'Unassigned'|\"Unassigned\"|status\" = 'won'|status = 'won'")
    offenders = [path.name for path in folder.glob("*.py")
                 if path.name != "measures.py" and pattern.search(path.read_text())]
    assert offenders == []
