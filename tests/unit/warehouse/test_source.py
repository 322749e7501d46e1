"""Warehouse mode's session data (kpi/source.py) against a real PostgreSQL.

The demo data is loaded once with `python -m kpi load`; what `SourceData`
answers (counts, latest dates, reps) is checked against the demo CSV files
read here with the csv module, not against the code's own queries. The
configuration tests need no server.
"""

from __future__ import annotations

import calendar
import contextlib
import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kpi.__main__ import main
from kpi.metrics import closed_deals, count_closed_deals
from kpi.schema import Filters, TableKind
from kpi.settings import Settings
from kpi.source import DEFAULT_TIMEOUT_S, SourceConfigError, SourceData, source_config
from kpi.warehouse import PostgresEngine, WarehouseTimeout
from kpi.workspace import Workspace

DEMO = Path(__file__).resolve().parents[3] / "data" / "demo"
SCHEMA = "source_demo"
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL = "postgresql://kpi:s3cret@db.example/crm"


def _rows(name: str) -> list[dict[str, str]]:
    with (DEMO / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- configuration --------------------------------------------------------------------


def test_no_url_means_uploads() -> None:
    assert source_config(Settings(), {}) is None
    assert source_config(Settings(), {"schema": "sales"}) is None


def test_the_secrets_give_the_source_and_the_environment_wins() -> None:
    secrets = {"url": "postgresql://reader@db/crm", "schema": "sales", "timeout": 5}
    from_secrets = source_config(Settings(), secrets)
    assert (from_secrets.url, from_secrets.schema, from_secrets.timeout_s) == (
        "postgresql://reader@db/crm", "sales", 5.0)
    env = Settings(source_url=URL, source_schema="crm", source_timeout="12")
    from_env = source_config(env, secrets)
    assert (from_env.url, from_env.schema, from_env.timeout_s) == (URL, "crm", 12.0)
    defaults = source_config(Settings(source_url=URL), None)
    assert (defaults.schema, defaults.timeout_s) == ("public", DEFAULT_TIMEOUT_S)


def test_the_url_never_shows_in_a_repr() -> None:
    assert "s3cret" not in repr(source_config(Settings(source_url=URL)))


@pytest.mark.parametrize("timeout", ["soon", 0, -3, "nan"])
def test_an_unusable_timeout_is_refused_without_its_url(timeout: object) -> None:
    with pytest.raises(SourceConfigError) as refused:
        source_config(Settings(), {"url": URL, "timeout": timeout})
    assert "timeout" in str(refused.value) and "s3cret" not in str(refused.value)
    with pytest.raises(SourceConfigError):  # from the environment too
        source_config(Settings(source_url=URL, source_timeout=str(timeout)))


# --- the session's data, from PostgreSQL ------------------------------------------------


@pytest.fixture(scope="module")
def loaded(postgres: str) -> str:
    """The demo files loaded into SCHEMA by the command line, as an operator would."""
    files = [str(path) for path in sorted(DEMO.glob("*.csv"))]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["load", "--to", postgres, "--schema", SCHEMA, *files]) == 0
    return postgres


@pytest.fixture
def source(loaded: str) -> Iterator[SourceData]:
    data = SourceData(PostgresEngine(loaded, SCHEMA, timeout_s=30), SCHEMA)
    yield data
    data.close()


def test_the_counts_and_latest_dates_are_those_of_the_files(source: SourceData) -> None:
    summary = source.summary()
    for name in ("deals", "leads", "proposals", "content", "compensation", "channel_costs"):
        assert summary[name][0] == len(_rows(name)), name
    assert summary["users"] == (0, None) and summary["quotas"] == (0, None)
    days = [cell for row in _rows("deals") for cell in row.values() if ISO_DAY.match(cell)]
    assert summary["deals"][1] == date.fromisoformat(max(days))
    year, month = map(int, max(row["month"] for row in _rows("channel_costs")).split("-"))
    assert summary["channel_costs"][1] == date(year, month,
                                               calendar.monthrange(year, month)[1])
    assert source.row_counts()["deals"] == len(_rows("deals"))
    assert source.has(TableKind.DEALS) and not source.has(TableKind.QUOTAS)


def test_the_reps_are_every_owner_of_the_files(source: SourceData) -> None:
    owners = {row["owner"] for name in ("deals", "leads", "proposals", "content",
                                        "compensation") for row in _rows(name)}
    assert source.reps() == sorted(owners)


def test_answers_are_kept_until_they_are_refresh_s_old(loaded: str) -> None:
    now = [0.0]
    source = SourceData(PostgresEngine(loaded, SCHEMA), SCHEMA, refresh_s=60,
                        clock=lambda: now[0])
    asked: list[int] = []

    def ask() -> int:
        asked.append(1)
        return len(asked)

    assert [source.remembered("k", ask) for _ in range(3)] == [1, 1, 1]
    now[0] = 59.0
    assert source.remembered("k", ask) == 1 and source.revision == 0
    now[0] = 60.0
    assert source.remembered("k", ask) == 2 and source.revision == 1
    source.close()
    assert source.broken  # a closed connection is replaced by the session


def test_the_drill_down_pages_on_the_server_as_in_duckdb(source: SourceData) -> None:
    workspace = Workspace()
    workspace.load_demo()
    filters = Filters(channels=["linkedin"])
    total = count_closed_deals(workspace.con, filters)
    assert total > 40 and count_closed_deals(source.con, filters) == total
    for offset in (0, 20, total - 5):
        here = closed_deals(workspace.con, filters, limit=20, offset=offset)
        there = closed_deals(source.con, filters, limit=20, offset=offset)
        assert [d["deal_id"] for d in there] == [d["deal_id"] for d in here]
        assert len(there) == min(20, total - offset)
    workspace.close()


def test_a_statement_past_the_timeout_is_cancelled_and_said(loaded: str) -> None:
    engine = PostgresEngine(loaded, SCHEMA, timeout_s=0.2)
    with pytest.raises(WarehouseTimeout) as slow:
        engine.execute("SELECT pg_sleep(3)").fetchall()
    assert "0.2 s" in str(slow.value)
    assert engine.execute("SELECT 1").fetchall() == [(1,)]  # the session goes on
    assert not engine.broken
    engine.close()
