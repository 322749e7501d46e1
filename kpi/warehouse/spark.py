"""Spark as an Engine: the KPI queries compiled by SQLGlot, run by Spark (docs/scale-out.md).

The source URL names the Spark master and the lake, the folder where the
canonical tables are Parquet, one folder per table under the schema's folder:

- `spark://HOST:PORT?lake=PATH`: a standalone cluster (the master URL as Spark
  writes it; PATH must be readable by every executor: HDFS, S3, a shared disk);
- `spark+local://?lake=PATH`: local mode (`local[*]`, every core of this machine).

Tables are read from `PATH/SCHEMA/TABLE/` (`--schema`, `public` by default), as
temp views of a session of their own, so two engines never see each other's
(the app opens one per browser session; Spark's context is one per process).
pyspark is imported only here and only when a Spark URL is used: it is not
part of the app's runtime install (requirements-spark.txt).
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from kpi.messages import msg
from kpi.schema import TABLE_COLUMNS, TableKind

from .dialect import to_spark
from .postgres import LOAD_COMMAND, WarehouseError, timed_out

if TYPE_CHECKING:
    from pyspark import SparkContext
    from pyspark.sql import DataFrame, SparkSession

SCHEMES = ("spark://", "spark+local://")
# The driver's logging when this process starts it: fatal errors only (not the JVM's warnings).
_LOG_CONFIG = Path(__file__).with_name("spark-log4j2.properties")
_LOCAL_MASTER = "local[*]"
# Spark's own settings that make it answer as DuckDB does: no error on a division
# by zero (NULL, as DuckDB), dates never shifted by the JVM's time zone.
SESSION_CONF = {"spark.sql.ansi.enabled": "false", "spark.sql.session.timeZone": "UTC"}
# After a timeout, how often the query's jobs are cancelled again (it may start one per stage).
_RECANCEL_S = 0.2


def is_spark(url: str) -> bool:
    return url.startswith(SCHEMES)


@dataclass(frozen=True)
class Lake:
    """Where a Spark source's tables are: the master URL, and the folder of one schema."""

    master: str
    root: str
    schema: str

    def path(self, kind: TableKind) -> str:
        return f"{self.root.rstrip('/')}/{self.schema}/{kind.value}"


def parse_url(url: str, schema: str) -> Lake:
    """`spark://host:port?lake=PATH` or `spark+local://?lake=PATH` (WarehouseError else)."""
    if not is_spark(url):
        raise WarehouseError(msg("spark.scheme"))
    parts = urlsplit(url)
    lake = parse_qs(parts.query).get("lake", [""])[0]
    if not lake:
        raise WarehouseError(msg("spark.no_lake"))
    if not schema or "/" in schema or schema.startswith("."):
        raise WarehouseError(msg("spark.bad_schema", schema=schema))
    if parts.scheme == "spark+local":
        return Lake(_LOCAL_MASTER, lake, schema)
    try:
        port = parts.port
    except ValueError:  # not a number, or out of range
        port = None
    if not parts.hostname or port is None:
        raise WarehouseError(msg("spark.cluster_url"))
    return Lake(f"spark://{parts.hostname}:{port}", lake, schema)


def session(master: str, conf: dict[str, str] | None = None) -> SparkSession:
    """A new session (its own temp views and settings) of the process's Spark context.

    The context is started on `master` (with `conf`) the first time, or is the
    one already running (a test's, a notebook's): Spark keeps one per process.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise WarehouseError(msg("spark.not_installed")) from None
    try:
        base = (SparkSession.builder.master(master).appName("sales-kpi")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.driver.extraJavaOptions",
                        f"-Dlog4j2.configurationFile=file:{_LOG_CONFIG}")
                .config(map=conf or {}).getOrCreate())
    except Exception as exc:  # the JVM cannot start, the master cannot be reached
        raise WarehouseError(msg("spark.cannot_start", reason=reason(exc))) from None
    spark = base.newSession()
    for key, value in SESSION_CONF.items():
        spark.conf.set(key, value)
    return spark


def reason(exc: BaseException) -> str:
    """Spark's message's first line (a Java stack trace follows it)."""
    text = getattr(exc, "getMessage", lambda: None)() or str(exc)
    lines = [line for line in text.strip().splitlines() if line.strip()] or ["no reason given"]
    return lines[0].strip()


def _plain(value: Any) -> Any:
    """A value as DuckDB returns it: Spark's decimals as int (whole) or float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class Result:
    """A finished query: DuckDB's `description`, `fetchall` and `fetchone`."""

    def __init__(self, frame: DataFrame) -> None:
        self.description = [(field.name, field.dataType.simpleString())
                            for field in frame.schema.fields]
        self._rows = [tuple(_plain(v) for v in row) for row in frame.collect()]

    def fetchall(self) -> list[tuple[Any, ...]]:
        rows, self._rows = self._rows, []
        return rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows.pop(0) if self._rows else None


def read_table(spark: SparkSession, lake: Lake, kind: TableKind) -> DataFrame:
    """One table's Parquet (WarehouseError naming the folder when it is not there)."""
    try:
        return spark.read.parquet(lake.path(kind))
    except Exception as exc:
        raise WarehouseError(msg("spark.no_table", table=kind.value, path=lake.path(kind),
                                 reason=reason(exc), command=LOAD_COMMAND)) from None


class SparkEngine:
    """Runs the families' DuckDB SQL on Spark; rows come back as from DuckDB.

    `timeout_s` (the app's pages; the command line waits) cancels a query that
    runs longer: its jobs carry a tag of their own, and a watchdog thread
    cancels that tag's jobs, interrupting their tasks, so the cores are free
    again and the session answers the next query.
    """

    def __init__(self, url: str, schema: str = "public", timeout_s: float | None = None) -> None:
        self.lake = parse_url(url, schema)
        self.timeout_s = timeout_s
        self._closed = False
        self._spark = session(self.lake.master)
        for kind in TABLE_COLUMNS:
            read_table(self._spark, self.lake, kind).createOrReplaceTempView(kind.value)

    @property
    def broken(self) -> bool:
        """Whether the engine was closed or its Spark context stopped: a new engine is needed."""
        if self._closed:
            return True
        try:
            return bool(self._spark.sparkContext._jsc.sc().isStopped())  # noqa: SLF001
        except Exception:  # no context left (stopped: _jsc is None), or the JVM is gone
            return True

    def execute(self, query: str, parameters: Any = None, /) -> Result:
        """Compile (cached) and run; values bound as Spark's named or positional parameters."""
        deadline = (contextlib.nullcontext() if self.timeout_s is None
                    else _Deadline(self._spark.sparkContext, self.timeout_s))
        try:
            with deadline:
                return Result(self._spark.sql(to_spark(query), args=parameters or None))
        except Exception as exc:
            if isinstance(deadline, _Deadline) and deadline.expired:
                raise timed_out(self.timeout_s) from None
            raise WarehouseError(msg("spark.query_refused", reason=reason(exc))) from None

    def close(self) -> None:
        """Drop the session's temp views (the context stays, shared by the process's engines)."""
        self._closed = True
        with contextlib.suppress(Exception):  # a stopped context has nothing left to drop
            for kind in TABLE_COLUMNS:
                self._spark.catalog.dropTempView(kind.value)


class _Deadline:
    """The jobs this thread starts meanwhile are tagged, and cancelled after `seconds`.

    Spark cancels only the jobs running when asked, and a query may start a job
    per stage, so once expired the tag is cancelled again every `_RECANCEL_S`
    until the query gives up. Cancelling interrupts the tasks' threads
    (`setInterruptOnCancel`, a property of this thread's jobs).
    """

    def __init__(self, context: SparkContext, seconds: float) -> None:
        self._context = context
        self._seconds = seconds
        self._tag = f"kpi-query-{uuid.uuid4().hex}"
        self._done = threading.Event()
        self.expired = False

    def __enter__(self) -> _Deadline:
        self._context.addJobTag(self._tag)
        self._context.setInterruptOnCancel(True)
        threading.Thread(target=self._watch, name="kpi-spark-deadline", daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._done.set()
        self._context.removeJobTag(self._tag)

    def _watch(self) -> None:
        wait = self._seconds
        while not self._done.wait(wait):
            self.expired = True
            self._context.cancelJobsWithTag(self._tag)
            wait = _RECANCEL_S
