"""The currency filter in the app: shown only with several currencies, and every KPI page
says how many deals in other currencies it leaves out (docs/kpis/currencies.md)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from kpi.workspace import Workspace
from tests.app.test_pages import PAGES, app, metric, no_exception, open_page, title

# USD has the most won revenue (10,000 against EUR's 4,000): the default.
DEALS = """deal_id,owner,channel,status,amount,created_at,closed_at,Currency
E1,Alice,LinkedIn,won,1000,2024-01-10,2024-02-10,EUR
E2,Bob,Cold email,won,3000,2024-01-15,2024-03-15,EUR
E3,Alice,LinkedIn,lost,2000,2024-02-01,2024-03-01,EUR
E4,Bob,LinkedIn,open,5000,2024-03-01,,EUR
U1,Alice,LinkedIn,won,10000,2024-01-05,2024-01-25,USD
U2,Bob,Cold email,lost,4000,2024-02-01,2024-02-20,USD
"""
COP = """deal_id,owner,channel,status,amount,created_at,closed_at,Currency
C1,Alice,LinkedIn,open,2000000,2024-02-01,,COP
"""
# So that every KPI page gets past its empty state.
OTHERS = {
    "proposals.csv": "proposal_id,deal_id,owner,sent_at,amount,status\n"
                     "P1,E1,Alice,2024-01-20,1000,won\n",
    "compensation.csv": "owner,month,package\nAlice,2024-01,1000\nBob,2024-01,1000\n",
    "content.csv": "date,owner,kind,deal_id,title,views,likes\n"
                   "2024-01-12,Alice,deck_shared,E1,Deck,10,1\n",
}


def loaded(files: dict[str, str]) -> Workspace:
    workspace = Workspace()
    for name, text in files.items():
        assert workspace.add_file(text.encode(), name).rows_rejected == 0
    return workspace


@pytest.fixture
def two() -> Iterator[Workspace]:
    workspace = loaded({"deals.csv": DEALS, **OTHERS})
    yield workspace
    workspace.close()


def currency_boxes(at: AppTest) -> list:
    return [box for box in at.sidebar.selectbox if box.key == "currency"]


def captions(at: AppTest) -> list[str]:
    return [caption.value for caption in at.main.caption]


def test_two_currencies_show_the_filter_defaulting_to_the_most_won_revenue(
        two: Workspace) -> None:
    at = open_page(app(two), "overview")
    no_exception(at)
    (box,) = currency_boxes(at)
    assert box.options == ["USD", "EUR"] and box.value == "USD"
    assert "EUR 4" in box.help and "USD 2" in box.help  # deals per currency
    assert "4 deals in other currencies (EUR) are left out." in captions(at)
    # U1 only, never + EUR's 4,000 (a metric is Markdown: its $ is escaped)
    assert metric(at, "Won revenue") == r"\$10,000"


def test_choosing_a_currency_changes_figures_and_caption(two: Workspace) -> None:
    at = open_page(app(two), "overview")
    at.sidebar.selectbox(key="currency").set_value("EUR").run()
    no_exception(at)
    assert title(at) == "Overview"
    assert "2 deals in other currencies (USD) are left out." in captions(at)
    assert metric(at, "Won revenue") == "€4,000"  # E1 + E2
    assert metric(at, "Win rate") == "66.7%"  # 2 won of 3 closed (E1, E2; E3 lost)


def test_the_currency_is_in_the_link(two: Workspace) -> None:
    at = open_page(app(two, currency="EUR"), "overview")
    no_exception(at)
    assert at.sidebar.selectbox(key="currency").value == "EUR"
    assert metric(at, "Won revenue") == "€4,000"


def test_the_caption_follows_the_rep_filter_and_names_every_other_currency() -> None:
    workspace = loaded({"deals.csv": DEALS, "cop.csv": COP})
    at = open_page(app(workspace, currency="EUR"), "overview")
    no_exception(at)
    # not in EUR: U1, U2 (USD) and C1 (COP); USD listed first (more deals)
    assert "3 deals in other currencies (USD, COP) are left out." in captions(at)
    at.sidebar.multiselect(key="rep").set_value(["Bob"]).run()
    assert "1 deal in another currency (USD) is left out." in captions(at)  # U2
    workspace.close()


@pytest.mark.parametrize("url_path", PAGES)
def test_every_kpi_page_says_what_is_left_out(two: Workspace, url_path: str) -> None:
    at = open_page(app(two), url_path)
    no_exception(at)
    assert "4 deals in other currencies (EUR) are left out." in captions(at), url_path


def test_the_caption_in_french(two: Workspace) -> None:
    at = open_page(app(two, lang="Français"), "overview")
    no_exception(at)
    assert "4 affaires dans d'autres devises (EUR) sont laissées de côté." in captions(at)


def test_one_currency_shows_no_filter_and_no_caption() -> None:
    workspace = loaded({"deals.csv": DEALS.replace(",USD", ",EUR")})
    at = open_page(app(workspace, currency="USD"), "overview")  # a stale link is harmless
    no_exception(at)
    assert currency_boxes(at) == []
    assert not [c for c in captions(at) if "left out" in c]
    assert metric(at, "Won revenue") == "€14,000"  # every deal is in EUR now
    workspace.close()


def test_the_caption_text_names_three_codes_and_escapes_them() -> None:
    from kpi.metrics import LeftOut
    from kpi.ui.kpi_page import left_out_text

    many = LeftOut(currency="EUR", deals=9, currencies=["USD", "COP", "MXN", "CAD"])
    assert left_out_text(many, "en") == "9 deals in other currencies (USD, COP, MXN…) are left out."
    hostile = LeftOut(currency="EUR", deals=1, currencies=["[X](HTTPS://E.XAMPLE)"])
    assert "(\\[X\\]\\(HTTPS:\u2060//E.XAMPLE\\))" in left_out_text(hostile, "en")


def test_a_file_added_after_a_run_brings_its_rep_channel_and_currency_to_the_sidebar() -> None:
    """The sidebar's options are remembered per revision (issue 14), never past a change."""
    workspace = loaded({"deals.csv": DEALS.replace(",USD", ",EUR"), **OTHERS})
    at = open_page(app(workspace), "overview")
    assert "Zoe" not in at.sidebar.multiselect(key="rep").options
    assert currency_boxes(at) == []  # one currency: no choice
    more = "deal_id,owner,channel,status,amount,created_at,closed_at,Currency\n" \
           "Z1,Zoe,Referral,won,99000,2024-02-01,2024-02-15,USD\n"
    assert workspace.add_file(more.encode(), "more.csv").rows_rejected == 0
    at.run()
    no_exception(at)
    assert "Zoe" in at.sidebar.multiselect(key="rep").options
    assert "Referral" in at.sidebar.multiselect(key="channel").options
    (box,) = currency_boxes(at)
    assert box.options == ["USD", "EUR"]  # USD: 99,000 won against EUR's 14,000
    workspace.close()
