"""Warehouse mode through the real router (AppTest on app.py) against a throwaway PostgreSQL.

The demo files are loaded into the cluster by `python -m kpi load`, and the
app runs with KPI_SOURCE_URL / KPI_SOURCE_SCHEMA: the same Overview as the
upload app on the demo data, the Data page's source summary, roles, one
connection per session, and a source that is down or slow said in a message
(docs/scale-out.md, "Warehouse mode in the app").
"""

from __future__ import annotations

import contextlib
import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from kpi import snapshots
from kpi.__main__ import main
from kpi.i18n import TEXTS
from kpi.messages import msg
from kpi.source import SourceData
from kpi.warehouse import WarehouseTimeout
from tests.app.test_auth_app import errors, logged_in, no_exception, title, write_config

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "unit" / "warehouse"))
import pg_cluster  # noqa: E402

APP = str(ROOT / "app.py")
SCHEMA = "demo"


@pytest.fixture(scope="module")
def warehouse() -> Iterator[str]:
    """A throwaway cluster holding the demo data in SCHEMA; its URL."""
    with pg_cluster.running(pytest.skip) as cluster:
        files = [str(path) for path in sorted((ROOT / "data" / "demo").glob("*.csv"))]
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["load", "--to", cluster.url, "--schema", SCHEMA, *files]) == 0
        yield cluster.url


@pytest.fixture
def source_mode(warehouse: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("KPI_SOURCE_URL", warehouse)
    monkeypatch.setenv("KPI_SOURCE_SCHEMA", SCHEMA)
    return warehouse


def app(url_path: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if url_path:
        at._page_hash = calc_hash(url_path)
    return at


def cards(at: AppTest) -> list[tuple[str, str]]:
    return [(metric.label, metric.value) for metric in at.main.metric]


def assert_the_overview_of_uploads(monkeypatch: pytest.MonkeyPatch, url: str,
                                   hidden: tuple[str, ...]) -> None:
    """The Overview read from the source at `url` (SCHEMA) is the upload app's on the demo.

    The same cards and filters' options (span, reps, channels); the sidebar says
    where the figures come from, and none of `hidden` (the URL's parts).
    """
    uploads = app().run()  # local mode on the demo data, uploaded by the importer
    no_exception(uploads)
    monkeypatch.setenv("KPI_SOURCE_URL", url)
    monkeypatch.setenv("KPI_SOURCE_SCHEMA", SCHEMA)
    source = app().run()
    no_exception(source)
    assert not source.warning and not source.error, errors(source)
    assert len(cards(source)) >= 8 and cards(source) == cards(uploads)
    assert [m.options for m in source.sidebar.multiselect] == [
        m.options for m in uploads.sidebar.multiselect]
    captions = [c.value for c in source.sidebar.caption]
    assert f"Live figures from the warehouse (schema {SCHEMA})." in captions
    assert not [c for c in captions for secret in hidden if secret in c]
    assert not source.sidebar.get("alert")  # no demo banner


def test_the_overview_from_the_warehouse_is_the_overview_from_uploads(
        warehouse: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_the_overview_of_uploads(monkeypatch, warehouse, ("postgresql://", "kpi-pg-"))


def won_revenue(owner: str | None = None) -> str:
    """The demo's won revenue (all EUR, all inside the default period), from the CSV."""
    with (ROOT / "data" / "demo" / "deals.csv").open(encoding="utf-8", newline="") as handle:
        total = sum(float(row["amount"]) for row in csv.DictReader(handle)
                    if row["status"] == "won" and owner in (None, row["owner"]))
    return f"€{round(total):,}"


def test_a_rep_filter_reads_the_warehouse_with_the_filter(source_mode: str) -> None:
    at = app().run()
    assert dict(cards(at))["Won revenue"] == won_revenue()
    at.sidebar.multiselect[0].select("Camille Martin").run()
    no_exception(at)
    assert dict(cards(at))["Won revenue"] == won_revenue("Camille Martin")
    assert at.query_params["rep"] == "Camille Martin"  # the link


def test_local_mode_says_the_pages_read_the_warehouse_not_this_browser(
        source_mode: str) -> None:
    at = app().run()
    notes = [c.value for c in at.sidebar.caption]
    assert "Local mode: no login, every page reads the warehouse." in notes
    assert not any("kept for this browser" in note for note in notes)


def assert_the_data_page_holds_the_demo(at: AppTest) -> None:
    """The Data page in warehouse mode: what the source holds (the demo), no uploader."""
    no_exception(at)
    assert title(at) == TEXTS["data.title"]["en"]
    assert not at.get("file_uploader") and not at.main.button
    assert f"warehouse (schema {SCHEMA})" in at.main.caption[0].value
    assert "Uploads, column mappings and drafts do not apply" in at.main.info[0].value
    frame = at.main.dataframe[0].value
    demo = ROOT / "data" / "demo"
    deals = len((demo / "deals.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert frame["table"].tolist()[0] == "Deals" and frame["rows"].tolist()[0] == deals
    assert str(frame["latest"].tolist()[0]) == "2026-10-31"  # the demo's last day


def test_the_data_page_shows_what_the_source_holds_instead_of_the_uploader(
        source_mode: str) -> None:
    assert_the_data_page_holds_the_demo(app("data").run())


def test_the_french_data_page_in_warehouse_mode(source_mode: str) -> None:
    at = app("data")
    at.query_params["lang"] = "fr"
    at.run()
    no_exception(at)
    assert "entrepôt de données (schéma demo)" in at.main.caption[0].value
    assert at.main.dataframe[0].value["table"].tolist()[0] == "Affaires"


def test_a_channel_drill_down_reads_one_page_of_deals(source_mode: str) -> None:
    at = app("channels")
    at.query_params["selected_channel"] = "linkedin"
    at.run()
    no_exception(at)
    captions = [c.value for c in at.main.caption]
    shown = [c for c in captions if c.startswith("Deals 1–100 of ")]
    assert shown, captions
    total = int(shown[0].removeprefix("Deals 1–100 of ").rstrip(".").replace(",", ""))
    assert total > 100 and f"{total} deals closed in the period (largest first)." in captions
    assert len(at.main.dataframe[-1].value) == 100
    at.main.number_input[-1].set_value(2).run()
    assert [c.value for c in at.main.caption if c.value.startswith("Deals ")] == [
        f"Deals 101–{min(200, total)} of {total}."]


@pytest.fixture
def hosted_source(source_mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPI_AUTH_CONFIG", str(write_config(tmp_path / "auth.yaml")))
    monkeypatch.setenv(snapshots.ENV_VAR, str(tmp_path / "workspaces"))


def test_a_viewer_reads_the_warehouse_with_nothing_published(hosted_source: None) -> None:
    at = logged_in(app().run(), "victor")
    no_exception(at)
    assert title(at) == TEXTS["overview.title"]["en"]
    assert len(cards(at)) >= 8  # not "nothing published yet": the source is live
    at._page_hash = calc_hash("data")  # still not registered for a viewer
    at.run()
    assert title(at) == TEXTS["overview.title"]["en"]
    assert not [c for c in at.main.caption if "what the warehouse holds" in c.value]


def test_a_manager_has_nothing_to_publish(hosted_source: None) -> None:
    at = logged_in(app().run(), "alice")
    at._page_hash = calc_hash("publish")
    at.run()
    no_exception(at)
    assert title(at) == TEXTS["publish.title"]["en"]
    assert at.main.info[0].value == TEXTS["source.nothing_to_publish"]["en"]
    assert not at.main.button


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[SourceData]:
    """Every SourceData the app opens."""
    made: list[SourceData] = []
    init = SourceData.__init__

    def record(self: SourceData, *args: object, **kwargs: object) -> None:
        init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(SourceData, "__init__", record)
    return made


@pytest.fixture
def own_sessions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each AppTest its own session id for st.cache_resource, as each browser on a server.

    AppTest gives every instance the same id ("test session id"), so without
    this its session-scoped caches would be one cache.
    """
    from streamlit.runtime.caching import cache_resource_api
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    monkeypatch.setattr(cache_resource_api, "get_session_id_or_throw",
                        lambda: f"session-{id(get_script_run_ctx().session_state._state)}")


def test_one_connection_per_session_and_a_new_one_when_it_is_lost(
        source_mode: str, own_sessions: None, opened: list[SourceData]) -> None:
    first = app().run()
    first.run()
    assert len(opened) == 1  # a rerun keeps the session's connection
    app().run()
    assert len(opened) == 2 and opened[0].con is not opened[1].con  # never shared
    opened[0].close()  # as a server restart would leave it
    first.run()
    no_exception(first)
    assert len(opened) == 3 and len(cards(first)) >= 8


def test_an_unreachable_source_is_a_message_not_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPI_SOURCE_URL", f"postgresql://kpi:s3cret@/kpi?host={tmp_path}")
    at = app().run()
    no_exception(at)
    assert [e.value for e in at.error] == [TEXTS["source.unreachable"]["en"]]
    assert not at.main.metric
    shown = [e.value for e in (*at.main.markdown, *at.main.caption, *at.sidebar.caption)]
    assert not [text for text in shown if "s3cret" in text or str(tmp_path) in text]


def test_a_timeout_keeps_what_the_page_drew_and_says_so(
        source_mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: object, **kwargs: object) -> None:
        raise WarehouseTimeout(msg("warehouse.timeout", seconds=30))

    monkeypatch.setattr("kpi.metrics.pipeline.pipeline_for_scope", slow)
    at = app().run()
    no_exception(at)
    assert title(at) == TEXTS["overview.title"]["en"]  # drawn before the slow query
    assert [w.value for w in at.warning] == [
        "The warehouse took longer than 30 s to answer, so part of this page is missing. "
        "Narrow the period or the filters, or try again later."]
    assert at.sidebar.multiselect  # the filters stay usable


def test_an_unusable_timeout_setting_is_a_generic_message_and_a_logged_reason(
        source_mode: str, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("KPI_SOURCE_TIMEOUT", "soon")
    at = app().run()
    no_exception(at)
    assert [e.value for e in at.error] == [TEXTS["source.misconfigured"]["en"]]
    assert not at.main.metric
    assert "KPI_SOURCE_TIMEOUT" in caplog.text and source_mode not in caplog.text


def test_an_empty_table_of_the_source_says_to_load_it_not_to_upload(source_mode: str) -> None:
    at = app("packages").run()  # the demo has packages but no quotas
    no_exception(at)
    said = [i.value for i in at.main.info]
    assert any("The warehouse holds no quotas yet (schema demo)" in s for s in said), said
    assert not [s for s in said if "Upload" in s]
