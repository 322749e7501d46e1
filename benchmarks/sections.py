"""The measurements. Each function returns a JSON-ready dict; timings are in seconds.

Every section calls the product's real code paths: `Workspace.add_file` (the
importer of the Data page and of `python -m kpi`), the metric families
exported by `kpi.metrics` (what a page runs after a filter change) and the
`python -m kpi report` command.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import json
import subprocess
import sys
import tempfile
import threading
import time
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from benchmarks import baseline, generate
from benchmarks.timing import Case, paired_ratio, percentiles, round_robin, summary
from kpi.schema import Filters
from kpi.workspace import CONNECTION_CONFIG, Workspace

ROOT = Path(__file__).resolve().parent.parent
FAMILIES = ("pipeline", "social_selling", "proposals", "content", "channels", "compensation")
CONCURRENT_SESSIONS = 4


def typical_filters() -> Filters:
    """18 months, 10 of 25 reps, 5 of 10 channels."""
    return Filters(date_from=generate.TYPICAL_FROM, date_to=generate.TYPICAL_TO,
                   reps=list(generate.TYPICAL_REPS), channels=list(generate.TYPICAL_CHANNELS))


FILTERS: dict[str, Callable[[], Filters]] = {"typical": typical_filters, "all": Filters}
PANDAS_FILTERS: dict[str, dict[str, Any]] = {
    "typical": {"date_from": generate.TYPICAL_FROM, "date_to": generate.TYPICAL_TO,
                "reps": generate.TYPICAL_REPS, "channels": generate.TYPICAL_CHANNELS},
    "all": {},
}


def family_functions() -> dict[str, Callable[..., Any]]:
    """The page functions of kpi.metrics, `(con, filters) -> result`.

    Looked up as `compute_<family>` or `<family>` (both spellings have existed),
    so a rename in kpi.metrics does not break the benchmark.
    """
    metrics = importlib.import_module("kpi.metrics")
    found = {}
    for name in FAMILIES:
        for attribute in (f"compute_{name}", name):
            function = getattr(metrics, attribute, None)
            if inspect.isfunction(function):
                found[name] = function
                break
    return found


# --------------------------------------------------------------------------
# (1) Ingest
# --------------------------------------------------------------------------


def _add_file_case(data: bytes, name: str) -> Case:
    """Workspace().add_file(data) timed; the empty workspace is made outside the timing."""
    return Case(run=lambda workspace: workspace.add_file(data, name), setup=Workspace,
                teardown=lambda workspace: workspace.close())


def _bare_read_csv_case(path: Path, options: str = "") -> Case:
    """DuckDB's own read_csv (type auto-detection) into a table: the reference point."""
    def connect() -> duckdb.DuckDBPyConnection:
        return duckdb.connect(":memory:", config=CONNECTION_CONFIG)

    return Case(
        run=lambda con: con.execute(
            f"CREATE TABLE t AS SELECT * FROM read_csv($path{options})",
            {"path": str(path)}).fetchall(),
        setup=connect, teardown=lambda con: con.close())


def _ingest_entry(runs: list[float], report: Any, path: Path) -> dict[str, Any]:
    return {
        **summary(runs),
        "file": path.name,
        "file_bytes": path.stat().st_size,
        "rows_read": report.rows_read,
        "rows_accepted": report.rows_accepted,
        "rows_rejected": report.rows_rejected,
        "encoding": report.encoding,
        "delimiter": report.delimiter,
        "decimal_mark": report.decimal_mark,
        "date_order": report.date_order,
    }


def warm_up(data_dir: Path) -> None:
    """Import every lazily loaded module once (fastexcel, pyarrow.csv...) before timing."""
    files = generate.workspace_files(100, data_dir)
    for path in (files.deals_utf8, files.deals_fr, generate.xlsx_file(100, data_dir)):
        _add_file_case(path.read_bytes(), path.name).once()
    baseline.load_utf8(str(files.deals_utf8))


def ingest(files: generate.Workspace, repeat: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """(ours + bare read_csv, pandas) for the UTF-8 and the French cp1252 CSV of one size.

    The importer, DuckDB's read_csv and pandas are interleaved repetition by
    repetition; the ratios are medians of the per-repetition ratios.
    """
    utf8, french = files.deals_utf8, files.deals_fr
    cases = {
        "csv_utf8": _add_file_case(utf8.read_bytes(), utf8.name),
        "csv_utf8_bare_read_csv": _bare_read_csv_case(utf8),
        "pandas_csv_utf8": Case(lambda _: baseline.load_utf8(str(utf8))),
        "csv_fr_cp1252": _add_file_case(french.read_bytes(), french.name),
        "csv_fr_cp1252_bare_read_csv": _bare_read_csv_case(french, ", encoding = 'latin-1'"),
        "pandas_csv_fr_cp1252": Case(lambda _: baseline.load_french(str(french))),
    }
    runs, last = round_robin(cases, repeat)
    ours: dict[str, Any] = {"rows": files.rows}
    pandas: dict[str, Any] = {"rows": files.rows}
    for key, path in (("csv_utf8", utf8), ("csv_fr_cp1252", french)):
        ours[key] = _ingest_entry(runs[key], last[key], path)
        ours[f"{key}_bare_read_csv"] = summary(runs[f"{key}_bare_read_csv"])
        pandas[key] = summary(runs[f"pandas_{key}"])
        ours[key]["speedup_vs_pandas"] = paired_ratio(runs[f"pandas_{key}"], runs[key])
        ours[key]["times_bare_read_csv"] = paired_ratio(runs[key],
                                                        runs[f"{key}_bare_read_csv"])
    return ours, pandas


def ingest_xlsx(path: Path, rows: int, repeat: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """(ours + fastexcel's bare read, pandas read_excel when an engine is installed)."""
    import fastexcel

    data = path.read_bytes()
    cases = {
        "xlsx": _add_file_case(data, path.name),
        "xlsx_bare_fastexcel": Case(
            lambda _: fastexcel.read_excel(data).load_sheet(0).to_arrow()),
    }
    engine = next((e for e, module in (("openpyxl", "openpyxl"), ("calamine", "python_calamine"))
                   if importlib.util.find_spec(module)), None)
    if engine is not None:
        import pandas as pd

        cases["pandas_xlsx"] = Case(lambda _: pd.read_excel(path, engine=engine))
    runs, last = round_robin(cases, repeat)
    ours = {"rows": rows, "xlsx": _ingest_entry(runs["xlsx"], last["xlsx"], path),
            "xlsx_bare_fastexcel": summary(runs["xlsx_bare_fastexcel"])}
    ours["xlsx"]["times_bare_fastexcel"] = paired_ratio(runs["xlsx"],
                                                        runs["xlsx_bare_fastexcel"])
    if engine is None:
        pandas: dict[str, Any] = {
            "skipped": "pandas.read_excel needs openpyxl or python-calamine; neither is "
                       "installed (not added: the benchmark adds no dependency)"}
    else:
        pandas = {"xlsx": {**summary(runs["pandas_xlsx"]), "engine": engine}}
        ours["xlsx"]["speedup_vs_pandas"] = paired_ratio(runs["pandas_xlsx"], runs["xlsx"])
    return ours, pandas


# --------------------------------------------------------------------------
# (2) Page refresh, (6) chart payload, (5) concurrency
# --------------------------------------------------------------------------


def load_workspace(files: generate.Workspace) -> tuple[Workspace, dict[str, Any]]:
    """Deals (UTF-8), leads, content and compensation through the real importer."""
    workspace = Workspace()
    start = time.perf_counter()
    for path in (files.deals_utf8, *files.extra_files):
        workspace.add_file(path.read_bytes(), path.name)
    elapsed = time.perf_counter() - start
    return workspace, {"load_s": elapsed, "tables": workspace.row_counts()}


def refresh(workspace: Workspace, files: generate.Workspace, repeat: int, warmup: int = 1
            ) -> tuple[dict[str, Any], dict[str, Any], dict[str, dict[str, Any]]]:
    """(ours, pandas, metric results by filter) for every page, typical and all-data filters.

    A "page" is one KPI family function (the queries a page runs after a filter
    change). The overview also asks for the previous period (its deltas), so
    it is timed as drawn too.
    """
    functions = family_functions()
    from kpi.metrics import compute_report

    ours: dict[str, Any] = {"rows": files.rows, "missing_families":
                            [f for f in FAMILIES if f not in functions]}
    pandas: dict[str, Any] = {"rows": files.rows}
    results: dict[str, dict[str, Any]] = {}
    df = baseline.load_utf8(str(files.deals_utf8))
    for filter_name, make in FILTERS.items():
        filters = make()
        cases = {name: Case(_bound(function, workspace.con, filters))
                 for name, function in functions.items()}
        cases.update({name: Case(_bound(page, workspace.con, filters))
                      for name, page in _pages_as_drawn(functions).items()})
        cases["all_families_report"] = Case(_bound(compute_report, workspace.con, filters))
        cases["pandas"] = Case(_bound(baseline.page, df, **PANDAS_FILTERS[filter_name]))
        runs, last = round_robin(cases, repeat, warmup)
        pandas_runs = runs.pop("pandas")
        pandas_page = last.pop("pandas")
        pandas[filter_name] = summary(pandas_runs)
        pages: dict[str, Any] = {}
        for name, page_runs in runs.items():
            pages[name] = {**summary(page_runs),
                           "speedup_vs_pandas": paired_ratio(pandas_runs, page_runs)}
        results[filter_name] = {name: last[name] for name in functions}
        if "pipeline" in results[filter_name]:
            pages["pipeline_agrees_with_pandas"] = _agrees(results[filter_name]["pipeline"],
                                                           pandas_page)
        ours[filter_name] = pages
    return ours, pandas, results


def _bound(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
    """A Case's run: `function(*args, **kwargs)`, ignoring the (absent) setup result."""
    return lambda _: function(*args, **kwargs)


def _pages_as_drawn(functions: dict[str, Callable[..., Any]]
                    ) -> dict[str, Callable[[Any, Filters], Any]]:
    """Pages whose refresh runs more than their family function (see pages/).

    The overview asks the pipeline for the previous period too (its deltas);
    every other page runs exactly its family.
    """
    from kpi.metrics import resolve_period

    pages: dict[str, Callable[[Any, Filters], Any]] = {}
    if "pipeline" in functions:
        pipeline = functions["pipeline"]

        def overview(con: Any, filters: Filters) -> Any:
            return pipeline(con, resolve_period(con, filters), with_previous=True)

        pages["overview_page_as_drawn"] = overview
    return pages


def _agrees(ours: Any, theirs: dict[str, Any]) -> dict[str, Any]:
    """Compare the headline figures both compute (a sanity check of the baseline)."""
    differences = {}
    for key in ("closed", "won", "won_revenue", "open_deals", "open_pipeline_value",
                "median_cycle_days"):
        mine, other = getattr(ours, key, None), theirs.get(key)
        if mine is None or other is None:
            if mine != other:
                differences[key] = [mine, other]
        elif abs(float(mine) - float(other)) > 1e-6 * max(1.0, abs(float(other))):
            differences[key] = [mine, other]
    return {"agrees": not differences, "differences": differences}


def charts(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """JSON size (and build time) of every chart kpi/charts.py builds from the results.

    Every public function of kpi.charts whose first parameter is a metric
    result is called with that result and lang="en" (each CHANNEL_MEASURES
    measure for a function taking a `measure`); the payload is the Vega-Lite
    JSON Streamlit sends to the browser (`chart.to_json()`, data inline).
    """
    if importlib.util.find_spec("kpi.charts") is None:
        return {"skipped": "kpi/charts.py does not exist yet: no chart payload to measure"}
    module = importlib.import_module("kpi.charts")
    measured: dict[str, dict[str, Any]] = {}
    notes: list[str] = []
    for name, function in inspect.getmembers(module, inspect.isfunction):
        if name.startswith("_") or function.__module__ != module.__name__:
            continue
        parameters = list(inspect.signature(function).parameters.values())
        try:
            hints = typing.get_type_hints(function)
        except Exception:  # noqa: BLE001 - unresolvable annotations: not a chart we can call
            continue
        if not parameters or parameters[0].name not in hints:
            continue
        wanted = hints[parameters[0].name]
        for filter_name, by_family in results.items():
            argument = _chart_argument(wanted, by_family)
            if argument is None:
                continue
            for label, kwargs in _chart_variants(module, name, parameters[1:]):
                try:
                    start = time.perf_counter()
                    chart = function(argument, **kwargs)
                    size = _payload_bytes(chart)
                    elapsed = time.perf_counter() - start
                except Exception as exc:  # noqa: BLE001 - reported, not fatal
                    notes.append(f"{label}: not built ({type(exc).__name__}: {exc})"[:200])
                    continue
                if size is not None:
                    measured.setdefault(label, {})[filter_name] = {"bytes": size,
                                                                   "build_s": elapsed}
    if not measured:
        return {"skipped": "kpi/charts.py builds no chart from the metric results",
                "notes": notes}
    largest = max(v["bytes"] for sizes in measured.values() for v in sizes.values())
    return {"charts": measured, "largest_bytes": largest, "notes": notes}


def _chart_argument(wanted: Any, by_family: dict[str, Any]) -> Any:
    if not isinstance(wanted, type):
        return None
    return next((r for r in by_family.values() if type(r) is wanted), None)


def _chart_variants(module: Any, name: str, parameters: list[inspect.Parameter]
                    ) -> list[tuple[str, dict[str, Any]]]:
    kwargs: dict[str, Any] = {}
    measures: list[str] = []
    for parameter in parameters:
        if parameter.default is not inspect.Parameter.empty:
            continue
        if parameter.name == "lang":
            kwargs["lang"] = "en"
        elif parameter.name == "measure" and hasattr(module, "CHANNEL_MEASURES"):
            measures = list(module.CHANNEL_MEASURES)
        else:
            return []  # a required argument we cannot guess
    if measures:
        return [(f"{name}[{m}]", {**kwargs, "measure": m}) for m in measures]
    return [(name, kwargs)]


def _payload_bytes(chart: Any) -> int | None:
    if chart is None:
        return None
    if isinstance(chart, list | tuple):
        sizes = [_payload_bytes(c) for c in chart]
        return sum(s for s in sizes if s is not None) or None
    if hasattr(chart, "to_json"):  # an Altair chart: the Vega-Lite spec Streamlit sends
        return len(chart.to_json().encode())
    return None  # a helper of kpi.charts that returns data, not a chart


def concurrency(workspace: Workspace, repeat: int) -> dict[str, Any]:
    """4 threads, each with its own workspace (a copy of this one), refreshing pages at once.

    Each thread runs every page `rounds` times with the typical filter; the
    latency of every page call is a sample. The copies are made with
    Workspace.save / Workspace.open (the snapshot path), outside the timing.
    """
    functions = family_functions()
    filters = typical_filters()
    rounds = max(repeat, 2)
    with tempfile.TemporaryDirectory(prefix="kpi-bench-") as folder:
        snapshot = workspace.save(Path(folder) / "snapshot")
        sessions = [Workspace.open(snapshot) for _ in range(CONCURRENT_SESSIONS)]
    barrier = threading.Barrier(CONCURRENT_SESSIONS)
    samples: list[tuple[str, float]] = []
    errors: list[str] = []
    lock = threading.Lock()

    def session(copy: Workspace) -> None:
        mine: list[tuple[str, float]] = []
        try:
            for function in functions.values():
                function(copy.con, filters)  # warm-up, as a page already shown once
            barrier.wait()
            for _ in range(rounds):
                for name, function in functions.items():
                    start = time.perf_counter()
                    function(copy.con, filters)
                    mine.append((name, time.perf_counter() - start))
        except Exception as exc:  # noqa: BLE001 - reported in the JSON
            errors.append(f"{type(exc).__name__}: {exc}")
            barrier.abort()
        with lock:
            samples.extend(mine)

    start = time.perf_counter()
    threads = [threading.Thread(target=session, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    for copy in sessions:
        copy.close()
    per_page = {name: percentiles([s for n, s in samples if n == name])
                for name in functions if any(n == name for n, _ in samples)}
    return {
        "sessions": CONCURRENT_SESSIONS,
        "mode": "threads, one Workspace (DuckDB connection) each",
        "rounds": rounds,
        "wall_s": wall,
        "errors": errors,
        **(percentiles([s for _, s in samples]) if samples else {}),
        "pages": per_page,
    }


# --------------------------------------------------------------------------
# (3) `python -m kpi report FILE` end to end, against the pandas script
# --------------------------------------------------------------------------


def _command_case(command: list[str], outputs: dict[str, str], key: str) -> Case:
    def run(_: Any) -> None:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command[1:])} failed ({done.returncode}): "
                               f"{done.stderr.strip()[-500:]}")
        outputs[key] = done.stdout

    return Case(run)


def report_command(path: Path, rows: int, repeat: int, imports: bool = True
                   ) -> tuple[dict[str, Any], dict[str, Any]]:
    """(ours, pandas): both as fresh processes on the same UTF-8 deals file, interleaved.

    With `imports`, also times the interpreter start + imports alone, the part
    of each figure that does not depend on the data.
    """
    python = sys.executable
    outputs: dict[str, str] = {}
    cases = {
        "kpi_report": _command_case([python, "-m", "kpi", "report", str(path)], outputs, "kpi"),
        "pandas_script": _command_case([python, "-m", "benchmarks.baseline", str(path)],
                                       outputs, "pandas"),
    }
    if imports:
        # What the command imports, read from `python -X importtime -m kpi report`.
        cases["kpi_imports"] = _command_case(
            [python, "-c", "import kpi.workspace, kpi.metrics, kpi.__main__"], outputs, "-")
        cases["python_start"] = _command_case([python, "-c", "pass"], outputs, "-")
        cases["pandas_imports"] = _command_case([python, "-c", "import pandas"], outputs, "-")
    runs, _ = round_robin(cases, repeat)
    report = json.loads(outputs["kpi"])
    ours: dict[str, Any] = {"rows": rows, "file": path.name, "kpi_report": summary(
        runs["kpi_report"]), "deals_loaded": report.get("tables", {}).get("deals")}
    ours["kpi_report"]["times_pandas_script"] = paired_ratio(runs["kpi_report"],
                                                             runs["pandas_script"])
    pandas: dict[str, Any] = {"rows": rows, "pandas_script": summary(runs["pandas_script"])}
    if imports:
        ours["kpi_imports"] = summary(runs["kpi_imports"])
        ours["python_start"] = summary(runs["python_start"])
        pandas["pandas_imports"] = summary(runs["pandas_imports"])
    return ours, pandas


# --------------------------------------------------------------------------
# (4) Memory, in child processes
# --------------------------------------------------------------------------


def _probe(kind: str, paths: list[Path]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "benchmarks.probe", kind, *map(str, paths)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _probe_result(process: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = process.communicate()
    if process.returncode != 0:
        return {"error": err.strip()[-500:]}
    return json.loads(out)


def memory(files: generate.Workspace, full: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """(ours, pandas): a deals-only workspace, several sessions' workspaces in one
    process (what each more session costs), and with `full` the whole workspace.

    Each probe is its own process (memory is per process), so they run side by side.
    """
    probes = {"deals_only": _probe("workspace", [files.deals_utf8]),
              "sessions": _probe("sessions", [files.deals_utf8]),
              "pandas": _probe("pandas", [files.deals_utf8])}
    if full:
        probes["full_workspace"] = _probe("workspace", [files.deals_utf8, *files.extra_files])
    results = {name: _probe_result(process) for name, process in probes.items()}
    ours = {"rows": files.rows, "deals_only": results["deals_only"],
            "sessions": results["sessions"]}
    if full:
        ours["full_workspace"] = results["full_workspace"]
    return ours, {"rows": files.rows, "deals_only": results["pandas"]}
