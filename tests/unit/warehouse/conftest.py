"""A real PostgreSQL 15 for the warehouse tests (pg_cluster.py), and the data loaded into it.

One throwaway cluster per test session, stopped at the end; each test that
writes takes its own schema. Without Debian's binaries every test that needs
the server skips, saying why.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator
from pathlib import Path

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
