"""The sidebar's options at 1M deals: queried on every rerun (before) against remembered
per workspace revision (after), in one run (issue 14; BENCHMARKS.md, "Sidebar options").

    python -m benchmarks.sidebar_options [--rows 1m] [--repeat 15] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import generate
from benchmarks.run import DEFAULT_DATA
from benchmarks.sections import load_workspace
from benchmarks.timing import summary
from kpi import catalog
from kpi.metrics import currencies
from kpi.ui.sidebar import options
from kpi.workspace import Workspace


def _time(run: Callable[[], Any], repeat: int) -> dict[str, Any]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        runs.append(time.perf_counter() - start)
    return summary(runs)


def _every_query(workspace: Workspace) -> None:
    """What each rerun asked before: the span, reps, channels and currencies."""
    con = workspace.con
    catalog.data_span(con), catalog.reps(con), catalog.channels(con), currencies(con)


def _after_a_change(workspace: Workspace) -> None:
    """The first rerun after a change: the revision moved, so the options are asked once."""
    workspace.revision += 1
    options(workspace)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1m", help="deals (1m)")
    parser.add_argument("--repeat", type=int, default=15, help="timings per case (15)")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    files = generate.workspace_files(generate.parse_size(args.rows), args.data_dir)
    workspace, loaded = load_workspace(files)
    print(f"loaded {loaded['tables']} in {loaded['load_s']:.1f} s")
    options(workspace)  # warm
    cases = {"before: queried every rerun": lambda: _every_query(workspace),
             "after: same revision (every rerun)": lambda: options(workspace),
             "after: first rerun after a change": lambda: _after_a_change(workspace)}
    for name, run in cases.items():
        timed = _time(run, args.repeat)
        print(f"{name}: median {timed['median_s'] * 1e3:.3f} ms "
              f"({timed['min_s'] * 1e3:.3f}-{timed['max_s'] * 1e3:.3f} ms, n={args.repeat})")
    workspace.close()


if __name__ == "__main__":
    main()
