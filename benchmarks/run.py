"""`python -m benchmarks`: run every section, print the table, write the JSON.

    python -m benchmarks                       # 100k and 1M, 5 repetitions
    python -m benchmarks --sizes 100k,1m,5m    # 5M is opt-in (minutes, GBs)
    python -m benchmarks --smoke               # 100 rows, 1 repetition (the test suite)
    python -m benchmarks --sizes 100k --only ingest,refresh
    python -m benchmarks --show benchmarks/results/latest.json   # the table again
    python -m benchmarks --browser             # in Chromium at 1M deals (benchmarks/browser.py)

The report command, the concurrency and the chart payload run at one "focus"
size: 1M when it is asked for, else the largest size asked for below it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks import generate, sections, targets
from benchmarks.timing import load_average

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results" / "latest.json"
DEFAULT_DATA = HERE / "results" / "data"
SECTIONS = ("ingest", "refresh", "report", "memory", "concurrency", "charts", "baseline")
XLSX_ROWS = 100_000
SMOKE_ROWS = 100


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description="Performance benchmark of Sales KPI Explorer.")
    parser.add_argument("--sizes", default="100k,1m",
                        help="deal counts, comma separated (100k, 1m, 5m...); default 100k,1m")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions per timing (5)")
    parser.add_argument("--smoke", action="store_true",
                        help="100 rows, 1 repetition: checks the benchmark runs (seconds)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results file")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA,
                        help="where generated files are cached")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help="comma-separated sections to run (default: all)")
    parser.add_argument("--browser", action="store_true",
                        help="the app in Chromium at the largest size (1m by default; with "
                             "--smoke 100 rows), merged into --out as sections.browser")
    parser.add_argument("--trace", action="store_true",
                        help="with --browser: time each rerun's phases on the server "
                             "(benchmarks/traced_server.py)")
    parser.add_argument("--show", type=Path, metavar="JSON",
                        help="print the table of an earlier run's JSON and exit (no run)")
    return parser


def _focus(sizes: list[int]) -> int:
    if 1_000_000 in sizes:
        return 1_000_000
    below = [s for s in sizes if s < 1_000_000]
    return max(below) if below else min(sizes)


def code_version() -> dict[str, Any]:
    """Which code was measured: git HEAD, and a fingerprint of kpi/ (edited uncommitted)."""
    root = HERE.parent
    digest = hashlib.sha256()
    for path in sorted((root / "kpi").rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, text=True,
                              capture_output=True, check=False).stdout.strip() or None
    except OSError:
        head = None
    return {"git_head": head, "kpi_sources_sha256": digest.hexdigest()[:16]}


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.smoke:
        sizes, repeat, xlsx_rows = [SMOKE_ROWS], 1, SMOKE_ROWS
    else:
        sizes = sorted({generate.parse_size(s) for s in args.sizes.split(",") if s.strip()})
        repeat, xlsx_rows = max(1, args.repeat), XLSX_ROWS
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = only - set(SECTIONS)
    if unknown:
        raise SystemExit(f"unknown section(s): {', '.join(sorted(unknown))}")
    focus = _focus(sizes)
    import duckdb
    import pandas
    import pyarrow

    results: dict[str, Any] = {
        "meta": {
            "date": datetime.now().astimezone().isoformat(timespec="seconds"),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "duckdb": duckdb.__version__,
            "pandas": pandas.__version__,
            "pyarrow": pyarrow.__version__,
            "sizes": [generate.size_label(s) for s in sizes],
            "focus_size": generate.size_label(focus),
            "xlsx_rows": xlsx_rows,
            "repeat": repeat,
            "smoke": args.smoke,
            "load_average": load_average(),
            "generator_version": generate.GENERATOR_VERSION,
            **code_version(),
        },
        "sections": {name: {} for name in SECTIONS},
    }
    out = results["sections"]
    base = out["baseline"]
    for key in ("ingest", "refresh", "memory"):
        base[key] = {}
    started = time.perf_counter()

    _log(f"generating / reading cached files in {args.data_dir}")
    files = {size: generate.workspace_files(size, args.data_dir) for size in sizes}
    sections.warm_up(args.data_dir)

    for size in sizes:
        label = generate.size_label(size)
        if "ingest" in only:
            _log(f"ingest {label}")
            out["ingest"][label], base["ingest"][label] = sections.ingest(files[size], repeat)
    if "ingest" in only:
        _log(f"ingest xlsx {generate.size_label(xlsx_rows)}")
        xlsx = generate.xlsx_file(xlsx_rows, args.data_dir)
        out["ingest"]["xlsx"], base["ingest"]["xlsx"] = sections.ingest_xlsx(xlsx, xlsx_rows,
                                                                            repeat)

    needs_workspace = {"refresh", "concurrency", "charts"} & only
    for size in sizes if needs_workspace else []:
        label = generate.size_label(size)
        _log(f"loading the {label} workspace through the importer")
        workspace, loaded = sections.load_workspace(files[size])
        try:
            _log(f"page refresh {label}")
            ours, pandas_pages, metric_results = sections.refresh(
                workspace, files[size], repeat, warmup=0 if args.smoke else 1)
            if "refresh" in only:
                out["refresh"][label] = {**ours, "workspace": loaded}
                base["refresh"][label] = pandas_pages
            if size == focus and "charts" in only:
                _log(f"chart payload {label}")
                if args.smoke:  # one filter is enough to check the charts are built
                    metric_results = {"typical": metric_results["typical"]}
                out["charts"] = {"rows": size, **sections.charts(metric_results)}
            if size == focus and "concurrency" in only:
                _log(f"concurrency {label}")
                out["concurrency"] = {"rows": size, **sections.concurrency(workspace, repeat)}
        finally:
            workspace.close()

    if "report" in only:
        _log(f"python -m kpi report {generate.size_label(focus)}")
        out["report"], base["report"] = sections.report_command(
            files[focus].deals_utf8, focus, repeat, imports=not args.smoke)
    if "memory" in only:
        for size in sizes:
            label = generate.size_label(size)
            _log(f"memory {label}")
            out["memory"][label], base["memory"][label] = sections.memory(
                files[size], full=size == focus and not args.smoke)

    results["meta"]["duration_s"] = time.perf_counter() - started
    results["meta"]["load_average_at_end"] = load_average()
    results["targets"] = targets.evaluate(results)
    return results


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.show:
        results = json.loads(args.show.read_text())
        if "ingest" in results["sections"]:
            results["targets"] = targets.evaluate(results)
            print(targets.render(results))
        if "browser" in results["sections"]:
            from benchmarks import browser_report
            print(browser_report.render(results))
        return 0
    if args.browser:
        from benchmarks import browser_report
        return browser_report.main(args, code_version())
    results = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    print(targets.render(results))
    print(f"\nResults written to {args.out}")
    return 0
