"""Storage: the session's in-memory DuckDB, holding every declared table.

One connection per workspace, stored compressed; every statement is drained
(DuckDB 2.0 refuses the next query while a result is unfinished); changes run
in transactions; a checkpoint compresses what changed, on a thread of its own
after the change (`compact_later`), and `malloc_trim` gives an import's freed
memory back. Nothing here knows about files or mappings.
"""

from __future__ import annotations

import ctypes
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from kpi.ingest import quote_identifier
from kpi.schema import TABLE_COLUMNS, TableKind

# Per session connection, on a shared 2-core host running several sessions:
# - threads 2: measured both ways (BENCHMARKS.md, "Threads per session"): with
#   2 threads a 1M-deal page refresh is ~40 % faster than with 1, and 4
#   sessions refreshing at once still have a lower p95 (103 vs 182 ms), since
#   a page's queries are short and rarely overlap; at 5M rows only 2 threads
#   keep every page within 250 ms. More threads than cores would only queue.
# - memory_limit 2GB: a ceiling against a runaway query, not a reservation: a
#   compressed 1M-deal workspace holds ~25 MB. Rows are stored raw until the
#   checkpoint that ends an import compresses them, so importing 5M rows needs
#   about 1.2 GB for that moment. In-memory databases cannot spill: above the
#   limit the import is refused with a clear message instead of taking the
#   memory of the other sessions.
CONNECTION_CONFIG = {"threads": 2, "memory_limit": "2GB", "preserve_insertion_order": True}

try:  # glibc's malloc_trim; other C libraries have none (then nothing is trimmed)
    _malloc_trim = ctypes.CDLL(None).malloc_trim
except (AttributeError, OSError, TypeError):
    _malloc_trim = None

log = logging.getLogger(__name__)

# Longest a compaction or a draft's save waits for the pages being drawn
# (`drawing_pages`): a busy server must still compress (1M raw deals take ~150 MB
# more than compressed) and save.
MAX_DEFERRAL_S = 5.0
# How long no run must have been drawing before they start: the run after an
# upload (its report) is followed at once by the next one (the Overview).
QUIET_S = 1.0
_pages = threading.Condition()  # guards the two below; notified when they change
_drawing = 0  # runs of the app drawing pages in this process, any session
_last_end = float("-inf")  # time.monotonic() when the last of them ended


@contextmanager
def drawing_pages() -> Iterator[None]:
    """One run of the app drawing a page: compactions wait for the runs in progress to end
    (up to MAX_DEFERRAL_S).

    On two cores a checkpoint or a draft's save beside a page's queries made them
    3-4x slower: the Overview after an upload of 1M deals ran its queries in
    0.40 s instead of ~0.10 s, a new tab reopening the draft in 0.34-0.42 s
    (BENCHMARKS.md, issue 14). The process's runs, not one session's: every
    session's page shares the same cores. The user reads the page while the
    rows are compressed and saved.
    """
    global _drawing, _last_end
    with _pages:
        _drawing += 1
    try:
        yield
    finally:
        with _pages:
            _drawing -= 1
            _last_end = time.monotonic()
            _pages.notify_all()


def after_pages(stop: Callable[[], bool]) -> None:
    """Wait until no run of the app has drawn a page for QUIET_S, at most MAX_DEFERRAL_S,
    or until `stop()` says to go now (checked again whenever `wake` is called)."""
    deadline = time.monotonic() + MAX_DEFERRAL_S
    with _pages:
        while not stop():
            now = time.monotonic()
            quiet_left = None if _drawing else _last_end + QUIET_S - now
            if (quiet_left is not None and quiet_left <= 0) or now >= deadline:
                return
            _pages.wait(min(quiet_left or deadline - now, deadline - now))


def wake() -> None:
    """Have `after_pages` look at its `stop` again."""
    with _pages:
        _pages.notify_all()


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory database stored compressed (about 8x smaller than the default)."""
    con = duckdb.connect(":memory:", config=CONNECTION_CONFIG)
    con.execute("ATTACH ':memory:' AS ws (COMPRESS)").fetchall()
    con.execute("USE ws").fetchall()
    return con


@dataclass
class Storage:
    """Every declared table, always present (empty until an export of it is loaded)."""

    # A command-line run: it ends after one report, so rows are not compressed
    # (a checkpoint costs more than it saves on a handful of queries) and
    # memory is not trimmed (the run has the machine to itself).
    one_shot: bool = False
    con: duckdb.DuckDBPyConnection = field(default_factory=connect)
    # Held by a change (`transaction`) and by a compaction: one of them at a time.
    # Queries do not take it: they run while a compaction does, on the rows as they are.
    _writing: threading.Lock = field(default_factory=threading.Lock, repr=False)
    # Guards the two below; notified when the compactions end.
    _compacting: threading.Condition = field(default_factory=threading.Condition, repr=False)
    _compaction_running: bool = field(default=False, repr=False)
    _compaction_wanted: bool = field(default=False, repr=False)
    _closing: bool = False  # a compaction still waiting for the pages is dropped

    def __post_init__(self) -> None:
        for kind in TableKind:
            columns = ", ".join(f"{quote_identifier(c)} {t}"
                                for c, t in TABLE_COLUMNS[kind].items())
            self.run(f"CREATE OR REPLACE TABLE {kind.value} ({columns})")

    def run(self, sql: str, parameters: list | dict | None = None) -> list[tuple]:
        """Execute and drain: DuckDB 2.0 refuses the next query while a result is unfinished."""
        return self.con.execute(sql, parameters).fetchall()

    def transaction(self, change: Callable[[], None]) -> None:
        """Run `change` all or nothing: any exception rolls every statement back. A
        compaction still running is waited for (a checkpoint refuses to run beside a
        write, and a write must not run beside it)."""
        with self._writing:
            self.run("BEGIN TRANSACTION")
            try:
                change()
            except BaseException:
                self.run("ROLLBACK")
                raise
            self.run("COMMIT")

    def insert_parquet(self, kind: TableKind, path: Path) -> None:
        """Append a saved table's rows by column name, read by DuckDB itself: a new tab
        reopening a 1M-deal draft spent 1.6 s in pyarrow's read and the hand-over,
        0.9 s this way (BENCHMARKS.md, issue 14). DuckDB reads `*?[` in a path as a
        glob: such a path (a KPI_WORKSPACES_DIR named so) goes through Arrow."""
        if any(char in str(path) for char in "*?["):
            self.con.register("_incoming", pq.read_table(path))
            source = "_incoming"
        else:
            source = "read_parquet($path)"
        try:
            self.run(f"INSERT INTO {kind.value} BY NAME SELECT * FROM {source}",
                     {"path": str(path)} if source != "_incoming" else None)
        finally:
            if source == "_incoming":
                self.con.unregister("_incoming")

    def rows(self, kind: TableKind) -> pa.Table:
        """A whole table as Arrow (to save it).

        Read on a cursor of its own: a draft is saved on a thread of its own
        (kpi.drafts) while the session's pages query `con`, and one DuckDB
        connection must not serve two threads at once.
        """
        cursor = self.con.cursor()
        try:
            cursor.execute("USE ws").fetchall()
            return cursor.sql(f"SELECT * FROM {kind.value}").to_arrow_table()
        finally:
            cursor.close()

    def delete_file(self, kind: TableKind, name: str) -> None:
        """Drop the rows one file brought."""
        self.run(f"DELETE FROM {kind.value} WHERE source_file = ?", [name])

    def delete_files_named(self, prefix: str) -> None:
        """Drop the rows of every file whose name starts with `prefix`, in every table."""
        for kind in TableKind:
            self.run(f"DELETE FROM {kind.value} WHERE starts_with(source_file, ?)", [prefix])

    def empty(self) -> None:
        """Drop every row of every table."""
        for kind in TableKind:
            self.run(f"DELETE FROM {kind.value}")

    def compact_later(self) -> None:
        """Write changed rows in compressed form, on a thread, and return at once.

        In-memory rows stay raw (~8x larger) until a checkpoint compresses them;
        at 1M deals that checkpoint took 0.32 s of the upload's 1.65 s, and a
        reopened draft paid it too, before the first chart (BENCHMARKS.md, issue
        14). Pages query the raw rows meanwhile (same answers, a few ms each);
        the next change waits for it (`transaction`). Asked again while one
        runs, one more runs after it. It starts once no page is being drawn
        (`drawing_pages`). A one-shot run does not compress (a checkpoint costs
        more than it saves on a handful of queries).
        """
        if self.one_shot:
            return
        with self._compacting:
            self._compaction_wanted = True
            if self._compaction_running:
                return
            self._compaction_running = True
        # Not a daemon: a process ending lets a checkpoint finish rather than cut it.
        threading.Thread(target=self._compact_queued, name="kpi-compact").start()

    def settle(self) -> None:
        """Wait until no compaction runs or waits (in tests and benchmarks, outside
        `drawing_pages`)."""
        with self._compacting:
            self._compacting.wait_for(lambda: not self._compaction_running)

    def _compact_queued(self) -> None:
        while self._still_wanted(take=False):
            after_pages(lambda: self._closing)
            if not self._still_wanted(take=True):
                return
            try:
                with self._writing:
                    self._checkpoint()
            except Exception:  # a thread has no caller: the rows stay raw, and correct
                log.exception("cannot compress the workspace")
            self.trim()

    def _still_wanted(self, take: bool) -> bool:
        """Whether a compaction is still asked for (and the storage not closing); False ends
        the thread. `take`: the one about to run leaves the queue."""
        with self._compacting:
            if not self._compaction_wanted or self._closing:
                self._compaction_running = False
                self._compacting.notify_all()
                return False
            if take:
                self._compaction_wanted = False
            return True

    def _checkpoint(self) -> None:
        """CHECKPOINT on a cursor of its own: the session's thread keeps `con` for its queries."""
        cursor = self.con.cursor()
        try:
            cursor.execute("USE ws").fetchall()
            cursor.execute("CHECKPOINT").fetchall()
        finally:
            cursor.close()

    def trim(self) -> None:
        """Give the memory an import has freed back to the system before the insert allocates.

        DuckDB and Arrow (kpi.ingest.read) allocate with malloc, which keeps
        freed memory in its arenas: ~50 MB at 1M deals that the insert's
        uncompressed rows would stack on top of (at the price of ~50 ms of page
        faults). A one-shot run has the machine to itself.
        """
        if _malloc_trim is not None and not self.one_shot:
            _malloc_trim(0)

    def close(self) -> None:
        """Close the connection, after a compaction already running (one still waiting for
        a page is dropped: a page being drawn may be what closes this workspace)."""
        self._closing = True
        wake()
        self.settle()
        self.con.close()
