"""Rows tables and charts are built once per content (issue 14): a rerun with the same
inputs reuses them; any input changing builds them again. Expected texts are written by
hand; a chart's spec is compared with Streamlit's own conversion of the Altair chart.
"""

from __future__ import annotations

import pickle
from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel

from kpi.ui import kpi_page
from kpi.ui.built import ContentCache
from kpi.ui.kpi_page import Column

COLUMNS = (Column("owner", "col.rep", "text"), Column("amount", "col.amount", "money"),
           Column("closed_at", "col.closed_at", "date"))
ROWS = [{"owner": "Ana", "amount": 1738203.4, "closed_at": date(2026, 2, 1)},
        {"owner": "Bob", "amount": 705216.0, "closed_at": date(2026, 2, 1)},
        {"owner": "Eve", "amount": None, "closed_at": None}]


class Result(BaseModel):
    """A metric result's shape: values, a list, an optional field."""

    currency: str
    amounts: list[float]
    note: str | None = None


@pytest.fixture
def builds(monkeypatch) -> list[str]:
    """An empty cache of its own, and the languages of the tables built."""
    monkeypatch.setattr(kpi_page, "TABLES_BUILT", ContentCache(max_entries=8))
    built, real = [], kpi_page._build

    def counted(rows: Any, columns: Any, lang: str, currency: str) -> Any:
        built.append(lang)
        return real(rows, columns, lang, currency)

    monkeypatch.setattr(kpi_page, "_build", counted)
    return built


def test_the_same_content_is_built_once(builds: list[str]) -> None:
    first = kpi_page._built(ROWS, COLUMNS, "fr", "EUR")
    again = kpi_page._built([dict(row) for row in ROWS], COLUMNS, "fr", "EUR")
    assert again is first and builds == ["fr"]


@pytest.mark.parametrize("change", ["rows", "lang", "currency", "columns"])
def test_any_change_builds_it_again(builds: list[str], change: str) -> None:
    kpi_page._built(ROWS, COLUMNS, "fr", "EUR")
    rows = [*ROWS[:1], {**ROWS[1], "amount": 1.0}] + ROWS[2:] if change == "rows" else ROWS
    table = kpi_page._built(rows, COLUMNS[:2] if change == "columns" else COLUMNS,
                            "en" if change == "lang" else "fr",
                            "USD" if change == "currency" else "EUR")
    assert len(builds) == 2
    if change == "currency":
        assert table.texts["amount"][705216.0] == "705\u202f216\u00a0$US"
    if change == "rows":
        assert table.frame["amount"].tolist()[1] == 1.0


def test_cells_keep_values_and_get_the_languages_text(builds: list[str]) -> None:
    table = kpi_page._built(ROWS, COLUMNS, "fr", "EUR")
    assert table.frame["amount"].tolist()[:2] == [1738203.4, 705216.0]  # numbers: they sort
    assert table.texts["amount"] == {1738203.4: "1\u202f738\u202f203\u00a0€",
                                     705216.0: "705\u202f216\u00a0€"}
    assert table.texts["closed_at"] == {date(2026, 2, 1): "1er févr. 2026"}
    assert "owner" not in table.texts  # words are shown as they are
    assert table.csv.decode("utf-8-sig").splitlines()[1] == "Ana;1738203,40;2026-02-01"


# --- charts: the spec built once per content, as Streamlit would send it -----------------


def test_the_spec_is_streamlits_own_conversion_for_every_chart() -> None:
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    from tests.unit.test_charts import every_figure

    figures = every_figure(_small_results(), "fr")
    assert len(figures) > 10
    for name, figure in figures.items():
        assert kpi_page.vega_lite_spec(figure) == _convert_altair_to_vega_lite_spec(figure), name


def _small_results() -> dict[str, Any]:
    from tests.unit.test_charts import results_of

    return results_of(_demo().con)


def _demo() -> Any:
    from kpi.workspace import Workspace

    workspace = Workspace()
    workspace.load_demo()
    return workspace


class Drawn:
    """st.vega_lite_chart, keeping what each call drew."""

    def __init__(self) -> None:
        self.specs: list[dict[str, Any]] = []

    def __call__(self, spec: dict[str, Any], **kwargs: Any) -> None:
        self.specs.append(spec)


def test_a_chart_is_built_once_per_content(monkeypatch) -> None:
    from kpi import charts
    from kpi.metrics import compute_pipeline
    from kpi.schema import Filters

    monkeypatch.setattr(kpi_page, "SPECS", ContentCache(max_entries=8))
    drawn = Drawn()
    monkeypatch.setattr(kpi_page.st, "vega_lite_chart", drawn)
    built: list[str] = []

    def revenue(result: Any, lang: str, money: str) -> Any:
        built.append(lang)
        return charts.won_revenue_by_month(result, lang, money)

    demo = _demo()
    now = compute_pipeline(demo.con, Filters())
    kpi_page.chart(revenue, now, "fr", "EUR", key="k")
    # Equal results, as another rerun's (a copy: two runs of a parallel sum of doubles may
    # differ in the last bit, and then it is built again, rightly).
    kpi_page.chart(revenue, pickle.loads(pickle.dumps(now)), "fr", "EUR", key="k")
    assert built == ["fr"]  # equal results: not built again
    assert drawn.specs[0] == drawn.specs[1]
    kpi_page.chart(revenue, now, "en", "EUR", key="k")
    later = compute_pipeline(demo.con, Filters(date_from=date(2026, 1, 1)))
    kpi_page.chart(revenue, later, "en", "EUR", key="k")
    assert built == ["fr", "en", "en"]  # another language, other figures: built again
    assert drawn.specs[2] != drawn.specs[3]
    assert drawn.specs[3] == kpi_page.vega_lite_spec(charts.won_revenue_by_month(later, "en",
                                                                                 "EUR"))
    demo.close()


# --- the process-wide cache itself ---------------------------------------------------


def test_another_session_with_the_same_content_reuses_the_table(builds: list[str],
                                                                  monkeypatch) -> None:
    first = kpi_page._built(ROWS, COLUMNS, "fr", "EUR")
    monkeypatch.setattr(kpi_page.st, "session_state", {})  # another browser session
    assert kpi_page._built([dict(row) for row in ROWS], COLUMNS, "fr", "EUR") is first
    assert builds == ["fr"]


def test_the_cache_keeps_the_most_recently_used_entries_up_to_its_bound() -> None:
    cache: ContentCache[str] = ContentCache(max_entries=2)
    built: list[str] = []

    def build(name: str) -> str:
        built.append(name)
        return name.upper()

    for name in ("a", "b", "a", "c"):  # "a" used again: "b" is the oldest when "c" comes
        assert cache.get_or_build(name.encode(), lambda name=name: build(name)) == name.upper()
    assert built == ["a", "b", "c"] and len(cache) == 2
    cache.get_or_build(b"a", lambda: build("a"))
    cache.get_or_build(b"b", lambda: build("b"))
    assert built == ["a", "b", "c", "b"]  # "a" was kept, "b" had gone
    assert cache.get_or_build(None, lambda: build("x")) == "X"
    assert cache.get_or_build(None, lambda: build("x")) == "X"
    assert built[-2:] == ["x", "x"] and len(cache) == 2  # no digest: built, never kept


def test_equal_content_has_one_digest_and_any_difference_another() -> None:
    from kpi.ui.built import digest

    code = "EUR"
    given_in_order = Result(currency=code, amounts=[1.5, 2.0], note=None)
    # The same values, given in another order and with strings that are other objects.
    given_otherwise = Result(note=None, amounts=[1.5, 2.0], currency="".join(["E", "UR"]))
    assert given_in_order == given_otherwise
    assert digest(given_in_order, code) is not None
    assert digest(given_in_order, code) == digest(given_otherwise, code)
    assert digest(given_in_order, code) != digest(Result(currency=code, amounts=[1.5, 2.5]), code)
    assert digest(given_in_order, code) != digest(given_in_order, "USD")
    cycle: list[object] = []
    cycle.append(cycle)
    assert digest(cycle) is None  # not kept, rather than a wrong key
