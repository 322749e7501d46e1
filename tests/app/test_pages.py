"""The KPI pages through the real router (AppTest on app.py), on a workspace of known data.

AppTest 1.67's `switch_page()` only resolves file pages; our pages are callables
registered by st.navigation with a url_path, whose page hash is calc_hash(url_path)
(streamlit/navigation/page.py). `open_page` requests that hash, the same thing a
browser opening /<url_path> does, and every test checks the page's own title so
a wrong page can never pass for the right one. The Overview is served at / (its
url_path is ""); /overview sends a browser there (tests/browser/test_overview_url.py).

AppTest also resets Streamlit's process-wide "uses a pages/ directory" flag before
every run, so with our pages/ package beside app.py each rerun would be resolved
as a legacy pages/ app: /overview would run pages/overview.py on its own (which
renders nothing, by design). A live server sets the flag to False for good once
a session has run st.navigation (streamlit/commands/navigation.py); the
`navigation_app` fixture does the same after each reset.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from kpi.i18n import TEXTS
from kpi.schema import CHANNELS
from kpi.ui.session import _WORKSPACE_KEY
from kpi.workspace import DEMO_DIR, Workspace

APP = str(Path(__file__).resolve().parents[2] / "app.py")

# url_path -> the TEXTS key of the page's title
PAGES = {
    "overview": "overview.title",
    "social-selling": "social.title",
    "proposals": "proposals.title",
    "content": "content.title",
    "channels": "channels.title",
    "packages": "comp.title",
}
# Bound selectboxes carry their shown label in the URL (Streamlit 1.67).
FRENCH = "Français"
CUSTOM = "Custom range"
REPS = ["Alice Martin", "Bruno Petit", "Chloé Durand", "David Leroy", "Émilie Moreau",
        "<b>Zoé</b>"]


def fill(con, n: int = 600) -> None:  # noqa: ANN001 - a DuckDB connection
    """Deterministic data in all six tables, spread over 2024-2025 (values as parameters)."""
    p = {"reps": REPS, "channels": list(CHANNELS[:12]), "n": n}
    con.execute("""
        INSERT INTO deals (deal_id, deal_name, owner, channel, status, amount, created_at,
                           closed_at, proposal_sent_at, currency)
        SELECT 'D' || i, 'Deal ' || i, list_extract($reps::VARCHAR[], 1 + i % 6),
               list_extract($channels::VARCHAR[], 1 + (i * 7) % 12),
               CASE WHEN (i * 3) % 10 < 2 + (i * 7) % 12 % 4 THEN 'won'
                    WHEN (i * 3) % 10 < 7 THEN 'lost' ELSE 'open' END,
               1000 + (i * 37) % 9000 + (i % 6) * 500,
               DATE '2024-01-01' + CAST((i * 11) % 600 AS INTEGER),
               CASE WHEN (i * 3) % 10 < 7
                    THEN DATE '2024-01-01' + CAST((i * 11) % 600 + 10 + i % 80 AS INTEGER) END,
               DATE '2024-01-01' + CAST((i * 11) % 600 + 5 AS INTEGER), 'EUR'
        FROM range($n) t(i)""", {k: p[k] for k in ("reps", "channels", "n")}).fetchall()
    con.execute("""
        INSERT INTO leads (lead_id, created_at, owner, channel, converted_at)
        SELECT 'L' || i, DATE '2024-01-01' + CAST((i * 13) % 600 AS INTEGER),
               list_extract($reps::VARCHAR[], 1 + i % 6),
               CASE WHEN i % 3 = 0 THEN 'linkedin'
                    ELSE list_extract($channels::VARCHAR[], 1 + (i * 5) % 12) END,
               CASE WHEN i % 4 = 0
                    THEN DATE '2024-01-01' + CAST((i * 13) % 600 + 20 AS INTEGER) END
        FROM range($n * 2) t(i)""", {"reps": REPS, "channels": p["channels"], "n": n}).fetchall()
    con.execute("""
        INSERT INTO proposals (proposal_id, deal_id, owner, sent_at, amount, status)
        SELECT 'P' || i, 'D' || i, list_extract($reps::VARCHAR[], 1 + i % 6),
               DATE '2024-01-01' + CAST((i * 11) % 600 + 5 AS INTEGER),
               1000 + (i * 37) % 9000,
               CASE WHEN i % 5 < 2 THEN 'won' WHEN i % 5 < 4 THEN 'lost' ELSE 'open' END
        FROM range($n // 2) t(i)""", {"reps": REPS, "n": n}).fetchall()
    con.execute("""
        INSERT INTO content (date, owner, kind, deal_id, title, views, likes)
        SELECT DATE '2024-01-01' + CAST((i * 17) % 600 AS INTEGER),
               list_extract($reps::VARCHAR[], 1 + i % 6),
               list_extract(['deck_shared', 'article_shared', 'own_post'], 1 + i % 3),
               CASE WHEN i % 3 = 0 THEN 'D' || (i * 2) END, 'Post ' || i,
               (i * 31) % 400, (i * 7) % 40
        FROM range($n) t(i)""", {"reps": REPS, "n": n}).fetchall()
    con.execute("""
        INSERT INTO compensation (owner, month, package)
        SELECT list_extract($reps::VARCHAR[], 1 + r), DATE '2024-01-01' + INTERVAL (m) MONTH,
               4000 + r * 900
        FROM range(5) a(r), range(24) b(m)""", {"reps": REPS}).fetchall()
    con.execute("""
        INSERT INTO channel_costs (channel, month, spend)
        SELECT list_extract($channels::VARCHAR[], 1 + c), DATE '2024-01-01' + INTERVAL (m) MONTH,
               500 + c * 250
        FROM range(12) a(c), range(24) b(m)""", {"channels": p["channels"]}).fetchall()


def built_workspace(n: int = 600) -> Workspace:
    workspace = Workspace()
    fill(workspace.con, n)
    return workspace


def has_demo() -> bool:
    return any(DEMO_DIR.glob("*.csv"))


def app(workspace: Workspace | None, **query: str) -> AppTest:
    """The app on `workspace` (None: the session's own start, the demo data)."""
    at = AppTest.from_file(APP, default_timeout=60)
    if workspace is not None:
        at.session_state[_WORKSPACE_KEY] = workspace
    at.query_params.update(query)
    return at


def open_page(at: AppTest, url_path: str) -> AppTest:
    """Run the app on the page registered at /url_path (see the module docstring)."""
    if not at._registered_pages:  # the first run registers the pages
        at.run()
    at._page_hash = page_hash(url_path)
    return at.run()


def page_hash(url_path: str) -> str:
    """The hash a browser on /<url_path> asks for; the Overview's address is /."""
    return calc_hash("" if url_path == "overview" else url_path)


def title(at: AppTest) -> str:
    return at.title[0].value if at.title else ""


def texts(at: AppTest) -> str:
    """Every visible text of the main area, for 'is this said somewhere' checks."""
    parts = [e.value for e in at.main.markdown] + [e.value for e in at.main.caption]
    parts += [e.body for e in at.main.info] + [e.body for e in at.main.warning]
    parts += [e.label for e in at.main.metric] + [e.label for e in at.main.expander]
    parts += [e.value for e in at.main.subheader]
    return "\n".join(str(p) for p in parts)


def metric(at: AppTest, label: str) -> str:
    for m in at.main.metric:
        if m.label == label:
            return m.value
    raise AssertionError(f"no metric {label!r}; have {[m.label for m in at.main.metric]}")


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture
def workspace() -> Iterator[Workspace]:
    ws = built_workspace()
    yield ws
    ws.close()


# --- every page renders --------------------------------------------------------------


@pytest.mark.parametrize("url_path", PAGES)
def test_every_page_renders_with_data(url_path: str) -> None:
    """On the demo workspace when it is there, else on the built one; charts and cards drawn."""
    ws = None if has_demo() else built_workspace()
    at = open_page(app(ws), url_path)
    no_exception(at)
    assert title(at) == TEXTS[PAGES[url_path]]["en"]
    assert len(at.main.metric) >= 4, "the KPI cards"
    assert at.main.get("vega_lite_chart"), "at least one chart"
    assert not at.main.info or all("No " not in i.body for i in at.main.info)


@pytest.mark.parametrize("url_path", PAGES)
def test_every_page_renders_in_french(url_path: str, workspace: Workspace) -> None:
    at = open_page(app(workspace, lang=FRENCH), url_path)
    no_exception(at)
    assert title(at) == TEXTS[PAGES[url_path]]["fr"]
    labels = [m.label for m in at.main.metric]
    english_only = {v["en"] for v in TEXTS.values() if v["en"] != v["fr"]}
    assert labels and not set(labels) & english_only, labels
    values = " ".join(m.value for m in at.main.metric)
    # French numbers: decimal comma, narrow no-break thousands, unit after the number
    assert not re.search(r"\d,\d{3}", values), values
    assert not re.search(r"€\d", values), values


# --- figures -----------------------------------------------------------------------------


def test_overview_cards_match_the_metric(workspace: Workspace) -> None:
    from kpi.i18n import format_money, format_percent
    from kpi.metrics import compute_pipeline
    from kpi.schema import Filters
    from kpi.ui.kpi_page import resolved

    at = open_page(app(workspace), "overview")
    no_exception(at)
    expected = compute_pipeline(workspace.con, resolved(workspace, Filters()))
    assert metric(at, "Win rate") == format_percent(expected.win_rate, "en")
    assert metric(at, "Average deal value") == format_money(expected.avg_deal_value, "en")
    assert metric(at, "Won revenue") == format_money(expected.won_revenue, "en")


def test_the_filters_come_first_in_the_sidebar(workspace: Workspace) -> None:
    # the language (and any demo banner) after them: a phone's drawer opens on the filters
    at = open_page(app(workspace), "overview")
    assert [box.key for box in at.sidebar.selectbox] == ["period", "lang"]


def test_the_rep_filter_changes_the_figures(workspace: Workspace) -> None:
    at = open_page(app(workspace), "overview")
    everyone = metric(at, "Won revenue")
    at.sidebar.multiselect(key="rep").set_value(["Alice Martin"]).run()
    no_exception(at)
    assert title(at) == "Overview"
    alice = metric(at, "Won revenue")
    assert alice != everyone
    assert float(alice.strip("€").replace(",", "")) < float(everyone.strip("€").replace(",", ""))


def test_previous_period_delta_is_shown(workspace: Workspace) -> None:
    at = open_page(app(workspace, period=CUSTOM, dates=["2025-01-01", "2025-03-31"]),
                   "overview")
    no_exception(at)
    win = next(m for m in at.main.metric if m.label == "Win rate")
    assert win.delta and win.delta.endswith("pts"), win.delta
    assert "compared with" in texts(at)


def test_channel_focus_is_phrased_and_follows_min_closed(workspace: Workspace) -> None:
    at = open_page(app(workspace), "channels")
    no_exception(at)
    body = texts(at)
    assert "Keep" in body and "Ranked 1st of" in body
    at.number_input(key="min_closed").set_value(100000).run()
    no_exception(at)
    body = texts(at)
    assert "Ranked 1st of" not in body
    assert "closed deals in the period; 100,000 are needed to rank it." in body
    # the threshold is bound to the URL: a shared link reproduces it
    shared = open_page(app(workspace, min_closed="100000"), "channels")
    assert "100,000 are needed to rank it." in texts(shared)


def test_channel_focus_in_french(workspace: Workspace) -> None:
    at = open_page(app(workspace, lang=FRENCH), "channels")
    no_exception(at)
    body = texts(at)
    assert "Classé 1er sur" in body and "Ranked" not in body


def test_social_network_selector_switches_the_channel(workspace: Workspace) -> None:
    at = open_page(app(workspace), "social-selling")
    no_exception(at)
    linkedin = metric(at, "Leads from LinkedIn")
    at.selectbox(key="network").set_value("facebook").run()
    no_exception(at)
    facebook = metric(at, "Leads from Facebook")
    assert linkedin != facebook
    shared = open_page(app(workspace, network="Facebook"), "social-selling")
    assert metric(shared, "Leads from Facebook") == facebook


def test_target_changes_who_is_on_target(workspace: Workspace) -> None:
    at = open_page(app(workspace), "packages")
    no_exception(at)
    at.select_slider(key="target").set_value(0.5).run()
    low = metric(at, "Reps on target")
    at.select_slider(key="target").set_value(10.0).run()
    no_exception(at)
    high = metric(at, "Reps on target")
    assert low.startswith("5 of") and high.startswith("0 of"), (low, high)
    # a rep with deals and no package is listed apart, her HTML-laden name as text
    assert any("\\<b\\>Zoé\\</b\\>" in w.body for w in at.main.warning)


# --- empty workspace -----------------------------------------------------------------------


@pytest.mark.parametrize(("url_path", "table", "column"), [
    ("overview", "deals", "deal_id"),
    ("social-selling", "deals", "created_at"),
    ("proposals", "proposals", "sent_at"),
    ("content", "content", "kind"),
    ("channels", "deals", "amount"),
    ("packages", "compensation", "package"),
])
def test_empty_workspace_shows_what_to_upload(url_path: str, table: str, column: str) -> None:
    empty = Workspace()
    at = open_page(app(empty), url_path)
    no_exception(at)
    assert title(at) == TEXTS[PAGES[url_path]]["en"]
    infos = [i for i in at.main.info]
    assert infos, "an empty state"
    body = infos[0].body
    # The column by its label, never its code (docs/tables.md names the codes).
    assert TEXTS[f"field.{column}"]["en"] in body and "Data page" in body
    assert f"`{column}`" not in body
    assert not at.main.metric and not at.main.get("vega_lite_chart")


def test_the_empty_state_tells_needed_columns_from_those_read_when_present() -> None:
    at = open_page(app(Workspace()), "packages")
    no_exception(at)
    quotas = next(i.body for i in at.main.info if TEXTS["table.quotas"]["en"] in i.title)
    needed, _, rest = quotas.partition("Columns needed: ")[2].partition(".")
    # docs/kpis/quota-attainment.md: a quota is a rep, a start month and a target; its
    # interval and end date are read when the export has them.
    for field in ("owner", "period_start", "target"):
        assert TEXTS[f"field.{field}"]["en"] in needed
    for field in ("interval", "period_end"):
        assert TEXTS[f"field.{field}"]["en"] not in needed
        assert TEXTS[f"field.{field}"]["en"] in rest.partition("Also read when present: ")[2]


def test_empty_state_in_french() -> None:
    at = open_page(app(Workspace(), lang=FRENCH), "packages")
    no_exception(at)
    assert "page Données" in at.main.info[0].body


def test_filters_excluding_everything_say_so(workspace: Workspace) -> None:
    at = open_page(app(workspace, period=CUSTOM, dates=["2020-01-01", "2020-01-31"]),
                   "overview")
    no_exception(at)
    assert any("Nothing in this period" in i.body for i in at.main.info)
