"""Memory of one workspace, measured in a fresh child process.

    python -m benchmarks.probe workspace DEALS.csv [MORE.csv ...]
    python -m benchmarks.probe sessions DEALS.csv
    python -m benchmarks.probe pandas DEALS.csv

Prints one JSON object. The libraries are imported and an empty workspace is
created first, so the figures are what the data itself costs:
  peak_growth_bytes      VmHWM after loading - VmRSS before (the high-water mark)
  retained_growth_bytes  VmRSS after loading (and a gc) - VmRSS before
  file_bytes             size of the files (a workspace keeps each file's bytes
                         in memory to re-read them when a mapping is edited)
  duckdb_bytes           what DuckDB reports for its own buffers (duckdb_memory())
  arrow_bytes            what pyarrow's memory pool still holds (leaked temporaries)
  rss_after_release_bytes  VmRSS growth after asking pyarrow's pool and glibc's malloc
                         to give free memory back (release_unused, malloc_trim): what
                         remains is really in use, the difference was allocator cache

`sessions` loads the file into SESSIONS workspaces one after the other, as a
server does for several users, trimming malloc after each, and reports what
each additional session costs (the first import also pays one-off costs:
library pages, thread pools, allocator caches that later imports reuse):
  per_session_retained_bytes  (VmRSS after the last - after the first) / (SESSIONS - 1)
  per_session_peak_bytes      (VmHWM after the last - after the first) / (SESSIONS - 1)
  first_retained_bytes, first_peak_bytes   the same growth for the first workspace
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import sys
from pathlib import Path

from benchmarks.timing import proc_status, reset_peak


def _workspace(paths: list[Path]) -> dict:
    from kpi.workspace import Workspace

    workspace = Workspace()
    workspace.row_counts()
    gc.collect()
    before = proc_status()
    peak_reset = reset_peak()
    for path in paths:
        workspace.add_file(path.read_bytes(), path.name)
    workspace.storage.settle()  # the rows as a session keeps them: compressed
    gc.collect()
    after = proc_status()
    duckdb_bytes = workspace.con.execute(
        "SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchall()[0][0]
    return {
        "rows": workspace.row_counts(),
        "duckdb_bytes": int(duckdb_bytes or 0),
        **_growth(before, after, peak_reset),
        "file_bytes": sum(p.stat().st_size for p in paths),
        **_released(before),
    }


SESSIONS = 4


def _sessions(path: Path) -> dict:
    from kpi.workspace import Workspace

    Workspace().close()  # libraries and one connection, as _workspace does
    gc.collect()
    before = proc_status()
    reset_peak()
    workspaces, after = [], []
    for _ in range(SESSIONS):
        workspace = Workspace()
        workspace.add_file(path.read_bytes(), path.name)
        workspace.storage.settle()
        workspaces.append(workspace)
        gc.collect()
        _trim_malloc()
        after.append(proc_status())
    first, last = after[0], after[-1]
    return {
        "sessions": SESSIONS,
        "file_bytes": path.stat().st_size,
        "first_retained_bytes": first["VmRSS"] - before["VmRSS"],
        "first_peak_bytes": first["VmHWM"] - before["VmRSS"],
        "per_session_retained_bytes": (last["VmRSS"] - first["VmRSS"]) // (SESSIONS - 1),
        "per_session_peak_bytes": (last["VmHWM"] - first["VmHWM"]) // (SESSIONS - 1),
        "duckdb_bytes_per_session": int(workspaces[-1].con.execute(
            "SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchall()[0][0] or 0),
    }


def _trim_malloc() -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _released(before: dict[str, int]) -> dict:
    """Give the allocators' free memory back to the system and measure again."""
    import pyarrow as pa

    arrow_bytes = pa.total_allocated_bytes()
    pool = pa.default_memory_pool()
    pool.release_unused()
    _trim_malloc()
    after = proc_status()
    if "VmRSS" not in before or "VmRSS" not in after:
        return {}
    return {"arrow_bytes": arrow_bytes, "arrow_pool": pool.backend_name,
            "rss_after_release_bytes": after["VmRSS"] - before["VmRSS"]}


def _pandas(paths: list[Path]) -> dict:
    from benchmarks import baseline

    gc.collect()
    before = proc_status()
    peak_reset = reset_peak()
    frames = []
    for path in paths:
        with path.open("rb") as handle:
            french = b";" in handle.readline()
        frames.append(baseline.load_french(str(path)) if french
                      else baseline.load_utf8(str(path)))
    gc.collect()
    after = proc_status()
    return {
        "rows": {"deals": sum(len(f) for f in frames)},
        "dataframe_bytes": int(sum(f.memory_usage(deep=True).sum() for f in frames)),
        **_growth(before, after, peak_reset),
        "file_bytes": sum(p.stat().st_size for p in paths),
        **_released(before),
    }


def _growth(before: dict[str, int], after: dict[str, int], peak_reset: bool) -> dict:
    if "VmRSS" not in before or "VmHWM" not in after:
        return {"error": "/proc/self/status is not available on this system"}
    baseline = before["VmRSS"] if peak_reset else before["VmHWM"]
    return {
        "rss_before_bytes": before["VmRSS"],
        "peak_growth_bytes": after["VmHWM"] - baseline,
        "retained_growth_bytes": after["VmRSS"] - before["VmRSS"],
        "peak_was_reset": peak_reset,
    }


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("workspace", "sessions", "pandas"):
        print("usage: python -m benchmarks.probe workspace|sessions|pandas FILE...",
              file=sys.stderr)
        return 2
    paths = [Path(p) for p in argv[1:]]
    if argv[0] == "sessions":
        result = _sessions(paths[0])
    else:
        result = _workspace(paths) if argv[0] == "workspace" else _pandas(paths)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
