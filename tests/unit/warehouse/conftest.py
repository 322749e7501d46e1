"""A real PostgreSQL 15 for the warehouse tests (pg_cluster.py), and a local-mode Spark
(spark_local.py).

One throwaway cluster per test session, stopped at the end; each test that
writes takes its own schema. Without Debian's binaries every test that needs
the server skips, saying why. Spark likewise: one local session for the whole
run (small shuffles: the test data is small), skipped without Java or pyspark.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import pg_cluster  # noqa: E402
import spark_local  # noqa: E402

_SCHEMAS = itertools.count(1)


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """The URL of a running throwaway cluster (the database `kpi`, user `kpi`)."""
    with pg_cluster.running(pytest.skip) as cluster:
        yield cluster.url


@pytest.fixture
def schema() -> str:
    """A schema name no other test of the session uses."""
    return f"t{next(_SCHEMAS)}"


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """The process's local-mode SparkSession (spark_local.py)."""
    reason = spark_local.missing_reason()
    if reason:
        pytest.skip(reason)
    spark = spark_local.start()
    yield spark
    spark.stop()
