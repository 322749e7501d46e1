"""Only aggregates travel (issue 13): no page's query returns rows that grow with the data.

On a warehouse, every row a query returns crosses the network, so the pages'
queries must return aggregates whose size depends on the calendar, the reps
and the channels, never on the number of deals. Every family of the report,
the Overview's deal ageing, the sidebar's options and the Data page's summary
run here on 20,000 generated deals (benchmarks/generate.py: 4 years, 25 reps,
10 channels) through an Engine that counts the rows each query returns; only
the drill-down and the stalled list return deals, and at most their LIMIT.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from benchmarks import generate
from kpi import catalog
from kpi.metrics import closed_deals, currencies
from kpi.metrics.ageing import compute_ageing
from kpi.metrics.report import compute_report
from kpi.schema import Filters
from kpi.ui.kpi_page import DEALS_PER_PAGE
from kpi.workspace import Workspace

DEALS = 20_000
LIMIT = re.compile(r"\bLIMIT\b")


class Counting:
    """An Engine over a DuckDB connection that records (query, rows returned)."""

    def __init__(self, con: Any) -> None:
        self.con = con
        self.returned: list[tuple[str, int]] = []

    def execute(self, query: str, parameters: Any = None, /) -> Any:
        result = self.con.execute(query, parameters)
        rows, description = result.fetchall(), result.description
        self.returned.append((query, len(rows)))
        return _Rows(rows, description)


class _Rows:
    def __init__(self, rows: list[tuple], description: Any) -> None:
        self.rows, self.description = rows, description

    def fetchall(self) -> list[tuple]:
        return self.rows

    def fetchone(self) -> tuple | None:
        return self.rows[0] if self.rows else None


@pytest.fixture(scope="module")
def counted(tmp_path_factory: pytest.TempPathFactory) -> Counting:
    files = generate.workspace_files(DEALS, tmp_path_factory.mktemp("generated"))
    workspace = Workspace(one_shot=True)
    for path in (files.deals_utf8, *files.extra_files):
        workspace.add_file(path.read_bytes(), path.name)
    engine = Counting(workspace.con)
    compute_report(engine, Filters())
    compute_ageing(engine, Filters())
    for ask in (catalog.data_span, catalog.reps, catalog.channels, currencies,
                catalog.table_summary):
        ask(engine)
    closed_deals(engine, Filters(), limit=DEALS_PER_PAGE, offset=DEALS_PER_PAGE)
    return engine


def test_every_query_returns_at_most_a_calendars_worth_of_rows(counted: Counting) -> None:
    # A row per day of the data (histograms of days, pending proposals per day) is the
    # most an aggregate may return: twice the four years stays far below the deals.
    bound = 2 * generate.DAYS
    assert bound < DEALS / 5
    unlimited = [(rows, query[:80]) for query, rows in counted.returned
                 if not LIMIT.search(query) and rows > bound]
    assert unlimited == []
    assert len(counted.returned) > 30  # every family ran


def test_only_the_limited_lists_return_deals_and_at_most_their_limit(counted: Counting) -> None:
    listed = [(query, rows) for query, rows in counted.returned if LIMIT.search(query)]
    page = [rows for query, rows in listed if "OFFSET" in query]
    assert page == [DEALS_PER_PAGE]  # the drill-down's second page, read alone
    assert all(rows <= 500 for _, rows in listed)  # the stalled list's LIMIT
    assert sum(rows for _, rows in counted.returned) < DEALS / 2
