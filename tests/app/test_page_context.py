"""A page is a function of its `PageContext`: drawn alone, with no app.py and no session state.

Two contexts on the same workspace differ only in their rep filter; the page
must show each one's figures, computed by hand below.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from kpi.auth import LOCAL_USER
from kpi.schema import Filters
from kpi.ui.context import PageContext
from kpi.workspace import Workspace

# In Q1 2025: Alice won 1,000 and lost one; Bruno won 3,000 and has one open.
DEALS = [
    ("D1", "Alice", "won", 1000.0, date(2025, 1, 5), date(2025, 2, 10)),
    ("D2", "Alice", "lost", 500.0, date(2025, 1, 10), date(2025, 2, 20)),
    ("D3", "Bruno", "won", 3000.0, date(2025, 1, 15), date(2025, 3, 1)),
    ("D4", "Bruno", "open", 2000.0, date(2025, 2, 1), None),
]
Q1 = {"date_from": date(2025, 1, 1), "date_to": date(2025, 3, 31)}


def draw(page: "PageContext") -> None:  # noqa: UP037 - AppTest runs this body alone
    from pages import overview_page

    overview_page.render(page)


@pytest.fixture
def workspace() -> Iterator[Workspace]:
    ws = Workspace(one_shot=True)
    for row in DEALS:
        ws.con.execute("INSERT INTO deals (deal_id, owner, status, amount, created_at, closed_at,"
                       " currency, channel) VALUES (?, ?, ?, ?, ?, ?, 'EUR', 'referral')", row)
    yield ws
    ws.close()


def metrics(page: PageContext) -> tuple[str, dict[str, str]]:
    at = AppTest.from_function(draw, args=(page,), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "_kpi_page_context" not in at.session_state  # nothing handed over behind its back
    return at.title[0].value, {m.label: m.value for m in at.main.metric}


def test_a_page_draws_the_context_it_is_given(workspace: Workspace) -> None:
    title, team = metrics(PageContext(workspace, Filters(**Q1), "en", LOCAL_USER))
    assert title == "Overview"
    assert team["Won revenue"] == "€4,000"  # D1 + D3
    assert team["Win rate"] == "66.7%"  # 2 won of 3 closed
    assert team["Open deals"] == "1"  # D4

    _, alice = metrics(PageContext(workspace, Filters(**Q1, reps=["Alice"]), "en", LOCAL_USER))
    assert alice["Won revenue"] == "€1,000"
    assert alice["Win rate"] == "50.0%"  # 1 won of 2 closed
    assert alice["Open deals"] == "0"


def test_a_page_speaks_the_context_language(workspace: Workspace) -> None:
    title, figures = metrics(PageContext(workspace, Filters(**Q1), "fr", LOCAL_USER))
    assert title == "Vue d'ensemble"
    assert figures["Taux de transformation"] == "66,7\u202f%"  # French: comma, narrow space
