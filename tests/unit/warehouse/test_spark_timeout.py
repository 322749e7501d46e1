"""A SparkEngine's timeout (the app's pages) and when it needs replacing, on a real local Spark.

The lake holds the declared tables, empty (what the loader writes for a
workspace with no file); the slow query makes its own rows: a cross join of
two generated series, billions of pairs, so it runs far past the timeout
without sleeping. (An engine whose Spark context stopped is `broken` too; stopping
the context shared by the run's tests is not done here.)
"""

from __future__ import annotations

import pytest

from kpi.schema import TableKind
from kpi.source import SourceData
from kpi.warehouse import WarehouseError, WarehouseTimeout
from kpi.warehouse.spark import SparkEngine
from kpi.warehouse.spark_load import load_tables
from kpi.workspace import Workspace

# 60,000 x 60,000 pairs: about a minute on two cores if nothing cancelled it.
SLOW = ("SELECT count(*) AS n FROM (SELECT unnest(range(60000)) AS x) AS a "
        "CROSS JOIN (SELECT unnest(range(60000)) AS y) AS b WHERE x + y > $floor")


@pytest.fixture(scope="module")
def lake(spark, tmp_path_factory) -> str:
    url = f"spark+local://?lake={tmp_path_factory.mktemp('lake')}"
    workspace = Workspace()
    load_tables(workspace.con, url, [], set(), set())
    workspace.close()
    return url


def test_a_query_past_the_timeout_is_cancelled_and_the_engine_goes_on(lake: str) -> None:
    engine = SparkEngine(lake, timeout_s=0.5)
    with pytest.raises(WarehouseTimeout) as slow:
        engine.execute(SLOW, {"floor": 3})
    assert str(slow.value) == "the warehouse query ran longer than 0.5 s and was cancelled"
    # The same session answers next (its temp views are still there), well before the
    # slow query's tasks would have ended: they were interrupted, and hold no core. A
    # query costs Spark a second or two here, so the next ones get a longer deadline.
    engine.timeout_s = 15
    assert engine.execute("SELECT count(*) AS n FROM deals WHERE amount > $least",
                          {"least": 0}).fetchall() == [(0,)]
    assert engine.execute("SELECT 41 + 1 AS answer").fetchall() == [(42,)]
    assert not engine.broken


def test_a_refused_query_is_not_a_timeout(lake: str) -> None:
    engine = SparkEngine(lake, timeout_s=30)
    with pytest.raises(WarehouseError) as refused:
        engine.execute("SELECT no_such_column FROM deals")
    assert not isinstance(refused.value, WarehouseTimeout)
    assert str(refused.value).startswith("Spark refused a query: ")


def test_a_closed_engine_is_broken_and_its_views_are_gone(lake: str) -> None:
    engine, other = SparkEngine(lake), SparkEngine(lake)
    source = SourceData(engine, "public")  # what the app's session holds
    assert not source.broken and not engine.broken
    source.close()  # as st.cache_resource releases it
    assert source.broken and engine.broken  # the app's session opens another
    with pytest.raises(WarehouseError):
        engine.execute("SELECT count(*) AS n FROM deals")
    # Each engine has its own session: the other's views are untouched.
    assert other.execute(f"SELECT count(*) AS n FROM {TableKind.DEALS.value}").fetchall() == [(0,)]
