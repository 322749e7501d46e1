"""Warehouse mode: the source every page reads when one is configured (docs/scale-out.md).

`source_config` says whether there is one: `KPI_SOURCE_URL` (with
`KPI_SOURCE_SCHEMA`, `KPI_SOURCE_TIMEOUT`), else the `[source]` table of
Streamlit's secrets (`url`, `schema`, `timeout`); each value from the
environment wins over the secret's, as KPI_AUTH_CONFIG does. The URL holds
the credentials: it is never repeated in a message, a log line or a repr.

`SourceData` is what a session's pages are given instead of an upload
`Workspace`: the same questions (`con`, `row_counts`, `has`, `reps`,
`remembered`, `mappings`, `is_demo`, `read_only`), answered by queries through
the Engine, so the pages do not know which one they read. It holds no rows,
only the small answers, asked again after `REFRESH_S` (a nightly load lands
without a restart). No psycopg or pyspark import here: the app imports the
engine only in warehouse mode (kpi/ui/warehouse.py).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from kpi import catalog
from kpi.engine import Engine
from kpi.ingest import Mappings
from kpi.messages import MessageError, msg
from kpi.schema import FileReport, TableKind
from kpi.settings import Settings, current

SECRETS_SECTION = "source"
DEFAULT_SCHEMA = "public"
DEFAULT_TIMEOUT_S = 30.0
REFRESH_S = 300.0  # answers about the data (span, reps, counts) are this old at most
T = TypeVar("T")


class SourceConfigError(MessageError, ValueError):
    """A `[source]` secret that cannot be used (the reason names the key, never its value)."""


@dataclass(frozen=True)
class SourceConfig:
    """Where warehouse mode reads: a PostgreSQL or Spark URL, its schema, a query timeout."""

    url: str = field(repr=False)  # holds the credentials
    schema: str = DEFAULT_SCHEMA
    timeout_s: float = DEFAULT_TIMEOUT_S


def _timeout(value: Any) -> float:
    """KPI_SOURCE_TIMEOUT or `[source] timeout`: seconds, more than 0."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = math.nan
    if not 0 < seconds < math.inf:
        raise SourceConfigError(msg("source.bad_timeout", variable="KPI_SOURCE_TIMEOUT",
                                    secret=f"[{SECRETS_SECTION}] timeout"))
    return seconds


def source_config(settings: Settings | None = None,
                  secrets_section: Mapping[str, Any] | None = None) -> SourceConfig | None:
    """The configured source, or None (uploads: the default)."""
    read = settings or current()
    secrets = secrets_section or {}
    url = read.source_url or str(secrets.get("url") or "").strip()
    if not url:
        return None
    schema = read.source_schema or str(secrets.get("schema") or "").strip() or DEFAULT_SCHEMA
    timeout = read.source_timeout or secrets.get("timeout")
    return SourceConfig(url, schema, DEFAULT_TIMEOUT_S if timeout is None else _timeout(timeout))


class SourceData:
    """A session's view of the warehouse, asked what the pages ask an upload workspace."""

    is_demo = False
    demo_replaced = False
    read_only = True  # nothing to upload, map or publish: the source is the truth

    def __init__(self, engine: Engine, schema: str, refresh_s: float = REFRESH_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.con = engine
        self.schema = schema
        # Deals the loader gave no currency read in the default, as in a new workspace.
        self.mappings = Mappings()
        self.sources: dict[str, Any] = {}
        self.refused: dict[str, Any] = {}
        self.reports: list[FileReport] = []
        # Bumped each time the answers are dropped (they are `refresh_s` old).
        self.revision = 0
        self._refresh_s = refresh_s
        self._clock = clock
        self._asked_at = clock()
        self._answers: dict[str, Any] = {}
        self._lock = threading.RLock()

    def remembered(self, key: str, ask: Callable[[], T]) -> T:
        """`ask()`, asked once per `refresh_s`: the sidebar's options and the counts cost a
        round trip to the warehouse each, so every rerun cannot ask them again."""
        with self._lock:
            if self._clock() - self._asked_at >= self._refresh_s:
                self._answers, self._asked_at = {}, self._clock()
                self.revision += 1
            if key not in self._answers:
                self._answers[key] = ask()
            return self._answers[key]

    def row_counts(self) -> dict[str, int]:
        """Rows per canonical table (0: the source has none)."""
        return {name: rows for name, (rows, _) in self.summary().items()}

    def summary(self) -> dict[str, tuple[int, date | None]]:
        """Rows and latest date per canonical table (the Data page), in one query."""
        return self.remembered("source.summary", lambda: catalog.table_summary(self.con))

    def has(self, kind: TableKind) -> bool:
        return self.row_counts()[kind.value] > 0

    def reps(self, unassigned: str | None = None) -> list[str]:
        """Every rep named in any table, sorted (see Workspace.reps)."""
        return self.remembered(f"source.reps.{unassigned}",
                               lambda: catalog.reps(self.con, unassigned))

    @property
    def broken(self) -> bool:
        """Whether the engine lost its connection (the session then opens a new one)."""
        return bool(getattr(self.con, "broken", False))

    def close(self) -> None:
        close = getattr(self.con, "close", None)
        if close is not None:
            close()
