"""The targets of issue 6, checked against a run, and the readable table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    limit: float
    unit: str  # "s", "x", "MB", "KB", "ratio"
    higher_is_better: bool
    value: Callable[[dict[str, Any]], float | None]
    detail: Callable[[dict[str, Any]], str] | None = None


def _get(data: dict[str, Any], *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _pages(results: dict[str, Any], size: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(filter, page, stats) of every page measured at `size` (not the whole report)."""
    refresh = _get(results, "sections", "refresh", size) or {}
    return [(f, page, stats) for f in ("typical", "all")
            for page, stats in (refresh.get(f) or {}).items()
            if isinstance(stats, dict) and "median_s" in stats and page != "all_families_report"]


def _slowest_page(size: str) -> Callable[[dict[str, Any]], float | None]:
    def value(results: dict[str, Any]) -> float | None:
        pages = _pages(results, size)
        return max(s["median_s"] for _, _, s in pages) if pages else None
    return value


def _slowest_page_name(size: str) -> Callable[[dict[str, Any]], str]:
    def detail(results: dict[str, Any]) -> str:
        pages = _pages(results, size)
        if not pages:
            return ""
        f, page, _ = max(pages, key=lambda p: p[2]["median_s"])
        return f"slowest: {page} ({f} filter)"
    return detail


def _least_speedup(results: dict[str, Any]) -> float | None:
    pages = _pages(results, "1m")
    return min(s["speedup_vs_pandas"] for _, _, s in pages) if pages else None


def _least_speedup_name(results: dict[str, Any]) -> str:
    pages = _pages(results, "1m")
    if not pages:
        return ""
    f, page, _ = min(pages, key=lambda p: p[2]["speedup_vs_pandas"])
    pipeline = [s["speedup_vs_pandas"] for fl, p, s in pages if p == "pipeline"]
    extra = f"; pipeline page {min(pipeline):.1f}x" if pipeline else ""
    return f"least: {page} ({f} filter){extra}"


def _memory(results: dict[str, Any]) -> float | None:
    """What one more 1M-deal session workspace costs the server (see probe.py `sessions`)."""
    grown = _get(results, "sections", "memory", "1m", "sessions", "per_session_retained_bytes")
    return None if grown is None else grown / MB


def _memory_detail(results: dict[str, Any]) -> str:
    sessions = _get(results, "sections", "memory", "1m", "sessions") or {}
    if "per_session_peak_bytes" not in sessions:
        return ""
    return (f"peak +{sessions['per_session_peak_bytes'] / MB:.0f} MB per more session; the "
            f"first import of a process: peak {sessions['first_peak_bytes'] / MB:.0f} MB, "
            f"retained {sessions['first_retained_bytes'] / MB:.0f} MB (one-off)")


def _chart(results: dict[str, Any]) -> float | None:
    if _get(results, "sections", "charts", "rows") != 1_000_000:
        return None
    largest = _get(results, "sections", "charts", "largest_bytes")
    return None if largest is None else largest / 1024


def _xlsx(results: dict[str, Any]) -> float | None:
    if _get(results, "sections", "ingest", "xlsx", "rows") != 100_000:
        return None
    return _get(results, "sections", "ingest", "xlsx", "xlsx", "median_s")


def _concurrency(results: dict[str, Any]) -> float | None:
    section = _get(results, "sections", "concurrency") or {}
    return section.get("p95_s") if section.get("rows") == 1_000_000 else None


def _report_ratio(results: dict[str, Any]) -> float | None:
    section = _get(results, "sections", "report") or {}
    if section.get("rows") != 1_000_000:
        return None
    return _get(section, "kpi_report", "times_pandas_script")


TARGETS: tuple[Target, ...] = (
    Target("ingest_utf8_1m", "Ingest CSV UTF-8, 1M rows", 1.5, "s", False,
           lambda r: _get(r, "sections", "ingest", "1m", "csv_utf8", "median_s")),
    Target("ingest_utf8_vs_bare_1m", "Ingest CSV UTF-8 vs bare DuckDB read_csv, 1M", 3.0, "x",
           False, lambda r: _get(r, "sections", "ingest", "1m", "csv_utf8",
                                 "times_bare_read_csv")),
    Target("ingest_fr_1m", "Ingest French cp1252 CSV, 1M rows", 2.0, "s", False,
           lambda r: _get(r, "sections", "ingest", "1m", "csv_fr_cp1252", "median_s")),
    Target("ingest_xlsx_100k", "Ingest XLSX, 100k rows", 1.0, "s", False, _xlsx),
    Target("refresh_1m", "Page refresh at 1M, slowest page", 0.080, "s", False,
           _slowest_page("1m"), _slowest_page_name("1m")),
    Target("refresh_5m", "Page refresh at 5M, slowest page", 0.250, "s", False,
           _slowest_page("5m"), _slowest_page_name("5m")),
    Target("refresh_vs_pandas_1m", "Page refresh vs pandas at 1M, least speed-up", 3.0, "x",
           True, _least_speedup, _least_speedup_name),
    Target("memory_1m", "Memory per 1M-deal session workspace (RSS growth)", 120.0, "MB", False,
           _memory, _memory_detail),
    Target("concurrency_1m", "4 concurrent sessions at 1M, p95 page refresh", 0.400, "s",
           False, _concurrency),
    Target("chart_payload_1m", "Chart payload at 1M, largest chart", 100.0, "KB", False, _chart),
    Target("report_1m", "python -m kpi report at 1M vs the pandas script", 0.5, "ratio", False,
           _report_ratio),
)


def evaluate(results: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per target: measured value, met (None = not measured in this run)."""
    rows = []
    for target in TARGETS:
        value = target.value(results)
        if value is None:
            met = None
            factor = None
        else:
            met = value >= target.limit if target.higher_is_better else value <= target.limit
            factor = (target.limit / value if target.higher_is_better else value / target.limit
                      ) if value else None
        rows.append({
            "key": target.key,
            "label": target.label,
            "target": ("≥ " if target.higher_is_better else "≤ ") + _unit(target.limit,
                                                                        target.unit),
            "limit": target.limit,
            "unit": target.unit,
            "measured": value,
            "met": met,
            "times_target": factor,  # > 1 means missed by that factor
            "detail": target.detail(results) if target.detail and value is not None else "",
        })
    return rows


# --------------------------------------------------------------------------
# Readable table
# --------------------------------------------------------------------------


def _unit(value: float, unit: str) -> str:
    if unit == "s":
        return _seconds(value)
    if unit == "x":
        return f"{value:.1f}x"
    if unit == "ratio":
        return f"{value:.2f} of pandas"
    return f"{value:.0f} {unit}"


def _versus_pandas(speedup: float) -> str:
    if speedup >= 1:
        return f"{speedup:.1f}x faster than pandas"
    return f"{1 / speedup:.1f}x slower than pandas"


def _mb(value: int | None) -> str:
    return "-" if value is None else f"{value / MB:.0f} MB"


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    if value < 1:
        return f"{value * 1000:.1f} ms" if value < 0.1 else f"{value * 1000:.0f} ms"
    return f"{value:.2f} s"


def _spread(stats: dict[str, Any]) -> str:
    return f"{_seconds(stats['min_s'])} – {_seconds(stats['max_s'])}"


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                     for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()


def _table(title: str, header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = ["", title, _line(header, widths), _line(["-" * w for w in widths], widths)]
    out += [_line(r, widths) for r in rows]
    return out


def _timing_row(name: str, stats: dict[str, Any] | None, versus: str = "") -> list[str]:
    if not stats or "median_s" not in stats:
        return [name, "-", "-", (stats or {}).get("skipped", "not measured")[:70]]
    return [name, _seconds(stats["median_s"]), _spread(stats), versus]


def render(results: dict[str, Any]) -> str:
    """The human-readable summary printed at the end of a run."""
    sections = results["sections"]
    meta = results["meta"]
    lines = [f"Sales KPI Explorer benchmark — {meta['date']}, {meta['cpus']} CPU(s), "
             f"repeat {meta['repeat']}, load average at start {meta.get('load_average')}",
             f"code: git {meta.get('git_head')} + kpi/ sources {meta.get('kpi_sources_sha256')}; "
             "medians, (min – max); ratios = medians of per-repetition ratios (interleaved "
             "runs); 'pandas' = the typical Streamlit dashboard way"]
    rows: list[list[str]] = []
    for size, entry in sections["ingest"].items():
        if size == "xlsx":
            continue
        for key, label in (("csv_utf8", "CSV UTF-8 (HubSpot headers)"),
                           ("csv_fr_cp1252", "CSV French ; cp1252")):
            ours = entry[key]
            rows.append(_timing_row(f"{size:>4}  {label}: importer", ours,
                                    f"{ours['times_bare_read_csv']:.1f}x bare, "
                                    + _versus_pandas(ours["speedup_vs_pandas"])))
            rows.append(_timing_row("        DuckDB bare read_csv", entry[f"{key}_bare_read_csv"]))
            rows.append(_timing_row("        pandas read_csv + parse_dates",
                                    _get(sections, "baseline", "ingest", size, key)))
    xlsx = sections["ingest"].get("xlsx")
    if xlsx:
        label = f"{xlsx['rows'] // 1000}k" if xlsx["rows"] >= 1000 else str(xlsx["rows"])
        versus = f"{xlsx['xlsx']['times_bare_fastexcel']:.1f}x bare"
        if "speedup_vs_pandas" in xlsx["xlsx"]:
            versus += ", " + _versus_pandas(xlsx["xlsx"]["speedup_vs_pandas"])
        rows.append(_timing_row(f"{label:>4}  XLSX: importer", xlsx["xlsx"], versus))
        rows.append(_timing_row("        fastexcel bare read", xlsx["xlsx_bare_fastexcel"]))
        rows.append(_timing_row("        pandas read_excel",
                                _get(sections, "baseline", "ingest", "xlsx", "xlsx")
                                or _get(sections, "baseline", "ingest", "xlsx")))
    lines += _table("(1) Ingest through Workspace().add_file",
                    ["size  file", "median", "min – max", "vs reference"], rows)

    rows = []
    for size, entry in sections["refresh"].items():
        for filter_name in ("typical", "all"):
            pages = entry.get(filter_name) or {}
            for page, stats in pages.items():
                if not isinstance(stats, dict) or "median_s" not in stats:
                    continue
                rows.append(_timing_row(f"{size:>4}  {filter_name:<7} {page}", stats,
                                        _versus_pandas(stats["speedup_vs_pandas"])))
            rows.append(_timing_row(f"{size:>4}  {filter_name:<7} pandas page (baseline)",
                                    _get(sections, "baseline", "refresh", size, filter_name)))
            agrees = pages.get("pipeline_agrees_with_pandas")
            if agrees and not agrees["agrees"]:
                rows.append([f"        pipeline vs pandas differ: {agrees['differences']}",
                             "", "", ""])
    lines += _table("(2) Page refresh (one KPI family = one page; typical = 18 months, "
                    "10/25 reps, 5/10 channels)",
                    ["size  filter  page", "median", "min – max", "vs pandas"], rows)

    report = sections["report"]
    rows = []
    if "kpi_report" in report:
        size = report["rows"]
        rows.append(_timing_row(f"python -m kpi report ({size:,} deals)", report["kpi_report"],
                                f"{report['kpi_report']['times_pandas_script']:.2f} of pandas"))
        if "kpi_imports" in report:
            rows.append(_timing_row("  of which python + kpi imports", report["kpi_imports"]))
        if "python_start" in report:
            rows.append(_timing_row("  of which python alone", report["python_start"]))
        rows.append(_timing_row("python -m benchmarks.baseline (pandas)",
                                _get(sections, "baseline", "report", "pandas_script")))
        pandas_imports = _get(sections, "baseline", "report", "pandas_imports")
        if pandas_imports:
            rows.append(_timing_row("  of which python + pandas import", pandas_imports))
    lines += _table("(3) Report command end to end (fresh process)",
                    ["command", "median", "min – max", "vs pandas"], rows)

    rows = []
    for size, entry in sections["memory"].items():
        for key in ("deals_only", "full_workspace"):
            probe = entry.get(key)
            if not probe:
                continue
            if "peak_growth_bytes" not in probe:
                rows.append([f"{size:>4}  {key}", "-", "-", "-", "-", probe.get("error", "")[:60]])
                continue
            rows.append([f"{size:>4}  workspace, {key.replace('_', ' ')}",
                         f"{probe['peak_growth_bytes'] / MB:.0f} MB",
                         f"{probe['retained_growth_bytes'] / MB:.0f} MB",
                         _mb(probe.get("rss_after_release_bytes")),
                         f"{probe['file_bytes'] / MB:.0f} MB",
                         f"DuckDB {probe['duckdb_bytes'] / MB:.0f} MB"])
        sessions = entry.get("sessions")
        if sessions and "per_session_retained_bytes" in sessions:
            rows.append([f"{size:>4}  each more session ({sessions['sessions']} in a process)",
                         f"{sessions['per_session_peak_bytes'] / MB:.0f} MB",
                         f"{sessions['per_session_retained_bytes'] / MB:.0f} MB", "-",
                         f"{sessions['file_bytes'] / MB:.0f} MB",
                         f"DuckDB {sessions['duckdb_bytes_per_session'] / MB:.0f} MB"])
        pandas = _get(sections, "baseline", "memory", size, "deals_only")
        if pandas and "peak_growth_bytes" in pandas:
            rows.append([f"{size:>4}  pandas DataFrame, deals",
                         f"{pandas['peak_growth_bytes'] / MB:.0f} MB",
                         f"{pandas['retained_growth_bytes'] / MB:.0f} MB",
                         _mb(pandas.get("rss_after_release_bytes")),
                         f"{pandas['file_bytes'] / MB:.0f} MB",
                         f"frame {pandas['dataframe_bytes'] / MB:.0f} MB"])
    lines += _table("(4) Memory in a child process: peak = VmHWM growth, retained = VmRSS "
                    "growth, released = after malloc_trim + Arrow release_unused",
                    ["size  what", "peak", "retained", "released", "file", "own count"], rows)

    concurrency = sections["concurrency"]
    rows = []
    if "p95_s" in concurrency:
        rows.append([f"all pages, {concurrency['rows']:,} deals", _seconds(concurrency["p50_s"]),
                     _seconds(concurrency["p95_s"]), _seconds(concurrency["max_s"]),
                     str(concurrency["samples"])])
        for page, stats in concurrency["pages"].items():
            rows.append([f"  {page}", _seconds(stats["p50_s"]), _seconds(stats["p95_s"]),
                         _seconds(stats["max_s"]), str(stats["samples"])])
    lines += _table(f"(5) Concurrency: {concurrency.get('sessions', 4)} sessions at once "
                    f"({concurrency.get('mode', '')})",
                    ["page", "p50", "p95", "max", "calls"], rows)

    charts = sections["charts"]
    if not charts:
        lines += ["", "(6) Chart payload: not run"]
    elif "skipped" in charts:
        lines += ["", f"(6) Chart payload: skipped — {charts['skipped']}"]
    else:
        def cell(entry: dict[str, Any] | None) -> str:
            if not entry:
                return "-"
            return f"{entry['bytes'] / 1024:.1f} KB ({_seconds(entry['build_s'])})"

        rows = [[name, cell(sizes.get("typical")), cell(sizes.get("all"))]
                for name, sizes in charts["charts"].items()]
        lines += _table(f"(6) Chart payload at {charts['rows']:,} deals: Vega-Lite JSON "
                        "(build + to_json time)", ["chart", "typical filter", "all data"], rows)
        lines += [f"  {note}" for note in charts.get("notes", [])]

    rows = []
    for target in results["targets"]:
        status = {None: "not run", True: "met"}.get(target["met"], "MISSED")
        measured = (_unit(target["measured"], target["unit"])
                    if target["measured"] is not None else "-")
        if target["met"] is False and target["times_target"]:
            factor = target["times_target"]
            status += f" ({factor:.1f}x)" if factor >= 1.05 else f" (+{(factor - 1) * 100:.0f}%)"
        rows.append([target["label"], target["target"], measured, status, target["detail"]])
    lines += _table("Targets (issue 6)", ["target", "limit", "measured", "status", "note"], rows)
    return "\n".join(lines)
