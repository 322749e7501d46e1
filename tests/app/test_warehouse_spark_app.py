"""Warehouse mode on Spark through the real router (AppTest on app.py), in local mode.

The demo files are loaded into a lake by `python -m kpi load --to spark+local://...`
(the Spark loader), and the app runs with KPI_SOURCE_URL naming that lake: the
same Overview as the upload app and the Data page's summary of the demo, with
the PostgreSQL test's checks (test_warehouse_app.py; docs/scale-out.md,
"Warehouse mode in the app"). Few tests: each Spark query costs a second or two.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator

import pytest

from kpi.__main__ import main
from kpi.source import SourceData
from kpi.warehouse.spark import SparkEngine
from tests.app import test_warehouse_app
from tests.app.test_warehouse_app import (
    ROOT,
    SCHEMA,
    app,
    assert_the_data_page_holds_the_demo,
    assert_the_overview_of_uploads,
)

sys.path.insert(0, str(ROOT / "tests" / "unit" / "warehouse"))
import spark_local  # noqa: E402

opened = test_warehouse_app.opened  # the fixture: every SourceData the app opens


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A local-mode lake holding the demo data in SCHEMA; its URL."""
    reason = spark_local.missing_reason()
    if reason:
        pytest.skip(reason)
    spark = spark_local.start()  # before the app's `local[*]`: the tests' small settings
    url = f"spark+local://?lake={tmp_path_factory.mktemp('lake')}"
    files = [str(path) for path in sorted((ROOT / "data" / "demo").glob("*.csv"))]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["load", "--to", url, "--schema", SCHEMA, *files]) == 0
    yield url
    spark.stop()


def test_the_overview_from_the_lake_is_the_overview_from_uploads(
        lake: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_the_overview_of_uploads(monkeypatch, lake,
                                   ("spark+local", lake.partition("?lake=")[2]))


def test_the_data_page_shows_what_the_lake_holds_on_an_engine_with_the_timeout(
        lake: str, monkeypatch: pytest.MonkeyPatch, opened: list[SourceData]) -> None:
    monkeypatch.setenv("KPI_SOURCE_URL", lake)
    monkeypatch.setenv("KPI_SOURCE_SCHEMA", SCHEMA)
    monkeypatch.setenv("KPI_SOURCE_TIMEOUT", "45")
    assert_the_data_page_holds_the_demo(app("data").run())
    assert [type(source.con) for source in opened] == [SparkEngine]
    assert opened[0].con.timeout_s == 45.0
