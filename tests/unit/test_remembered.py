"""What a rerun asks of the data without the data having changed is asked once per workspace
revision (issue 14): the row counts, the raw values, the default currency. Queries are
counted; expected values are read by hand from the small files below.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from kpi.ingest import Mappings
from kpi.metrics import compute_channels, compute_compensation
from kpi.metrics.currency import _CURRENCIES_SQL
from kpi.metrics.quotas import compute_quotas
from kpi.schema import Filters
from kpi.workspace import Workspace
from tests.unit.test_sidebar_options import Counting

# EUR has the most won revenue (1000 against 700): the default currency.
DEALS = (
    "deal_id,owner,status,amount,created_at,closed_at,channel,currency\n"
    "D-1,Alice,won,1000,2025-01-02,2025-02-01,LinkedIn,EUR\n"
    "D-2,Bob,lost,500,2025-01-03,2025-02-05,Cold email,EUR\n"
    "D-3,Zoe,won,700,2025-01-04,2025-03-01,Referral,USD\n"
)
PACKAGES = (
    "owner,month,package\n"
    "Alice,2025-02-01,300\n"
)


@pytest.fixture
def ws() -> Iterator[Workspace]:
    workspace = Workspace()
    workspace.add_file(DEALS.encode(), "deals.csv")
    workspace.add_file(PACKAGES.encode(), "packages.csv")
    yield workspace
    workspace.close()


@pytest.fixture
def counting(ws: Workspace) -> Iterator[Counting]:
    counting = Counting(ws.storage.con)
    ws.storage.con = counting
    yield counting
    ws.storage.con = counting.con


def test_row_counts_are_asked_once_per_revision(ws: Workspace, counting: Counting) -> None:
    first = ws.row_counts()
    assert first["deals"] == 3 and first["compensation"] == 1 and first["leads"] == 0
    asked = len(counting.queries)
    assert asked >= 1
    first["deals"] = 99  # a caller's copy: the kept answer is not touched
    assert ws.has(ws.sources["deals.csv"].report.table) and ws.row_counts()["deals"] == 3
    assert len(counting.queries) == asked
    ws.remove_file("packages.csv")
    assert ws.row_counts()["compensation"] == 0  # a change is seen


def test_raw_values_are_asked_once_per_revision_and_file(ws: Workspace,
                                                         counting: Counting) -> None:
    channels, statuses = ws.raw_values()
    assert channels == {"Cold email": "cold_email", "LinkedIn": "linkedin",
                        "Referral": "referral"}
    assert set(statuses) == {"won", "lost"}
    asked = len(counting.queries)
    assert ws.raw_values() == (channels, statuses)
    assert len(counting.queries) == asked
    ws.raw_values(source_file="packages.csv")  # another question: asked
    assert len(counting.queries) > asked
    ws.set_mappings(Mappings(channels={"Referral": "event"}))
    assert ws.raw_values()[0]["Referral"] == "event"


@pytest.mark.parametrize("family", [
    compute_channels, compute_compensation, compute_quotas])
def test_a_known_default_currency_is_not_asked_again(ws: Workspace, counting: Counting,
                                                     family: Any) -> None:
    for currency in ("EUR", "USD"):
        asked = Filters(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31),
                        currency=currency)
        known = asked.model_copy(update={"default_currency": "EUR"})
        expected = family(ws.con, asked)  # the default currency queried
        assert _CURRENCIES_SQL in counting.queries
        counting.queries.clear()
        assert family(ws.con, known).model_dump() == expected.model_dump()  # the same...
        assert _CURRENCIES_SQL not in counting.queries  # ...without asking it
        counting.queries.clear()


def test_the_known_default_is_not_part_of_the_report_filters() -> None:
    dumped = Filters(currency="EUR", default_currency="EUR").model_dump(mode="json")
    assert "default_currency" not in dumped and dumped["currency"] == "EUR"
