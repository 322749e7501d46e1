"""A real PostgreSQL 15 for the warehouse tests (pg_cluster.py), and a local-mode Spark.

One throwaway cluster per test session, stopped at the end; each test that
writes takes its own schema. Without Debian's binaries every test that needs
the server skips, saying why. Spark likewise: one local session for the whole
run (small shuffles: the test data is small), skipped without Java or pyspark.
"""

from __future__ import annotations

import importlib.util
import itertools
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import pg_cluster  # noqa: E402

_SCHEMAS = itertools.count(1)


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """The URL of a running throwaway cluster (the database `kpi`, user `kpi`)."""
    reason = pg_cluster.missing_reason()
    if reason:
        pytest.skip(reason)
    cluster = pg_cluster.start_cluster()
    try:
        yield cluster.url
    finally:
        pg_cluster.stop_cluster(cluster)


@pytest.fixture
def schema() -> str:
    """A schema name no other test of the session uses."""
    return f"t{next(_SCHEMAS)}"


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """The process's local-mode SparkSession (two cores, two shuffle partitions).

    SparkEngine and the loader take a new session of this one's context, as
    they would of a notebook's; `spark+local://` URLs then run here.
    """
    if importlib.util.find_spec("pyspark") is None:
        pytest.skip("pyspark is not installed (pip install -r requirements-spark.txt)")
    if shutil.which("java") is None:
        pytest.skip("no Java on the PATH: Spark needs Java 17 (apt-get install openjdk-17-jre)")
    from kpi.warehouse.spark import session

    spark = session("local[2]", {"spark.sql.shuffle.partitions": "2",
                                 "spark.default.parallelism": "2", "spark.ui.enabled": "false"})
    yield spark
    spark.stop()
