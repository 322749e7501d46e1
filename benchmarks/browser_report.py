"""The browser benchmark's targets (issue 14), its table, and its place in the results JSON.

`python -m benchmarks --browser` writes its figures as `sections.browser` of
the results file (`--out`), beside the library figures already there, with
its own date, load average and code version; `--show` prints both tables.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from benchmarks import generate
from benchmarks.targets import _seconds, _table

CHANGES = 21  # filter changes per page: 7 each of rep, channel and period
VISITS = 3
SMOKE_ROWS, SMOKE_CHANGES, SMOKE_VISITS = 100, 2, 1
TARGET_ROWS = 1_000_000


@dataclass(frozen=True)
class BrowserTarget:
    key: str
    label: str
    limit_s: float
    value: Callable[[dict[str, Any]], tuple[float, str] | None]  # (seconds, which)


def _worst(section: str, statistic: str) -> Callable[[dict[str, Any]], tuple[float, str] | None]:
    """The slowest page's `statistic` in `section` (a dict of pages)."""
    def value(browser: dict[str, Any]) -> tuple[float, str] | None:
        pages = {page: stats[statistic] for page, stats in (browser.get(section) or {}).items()
                 if stats.get(statistic) is not None}
        if not pages:
            return None
        page = max(pages, key=pages.get)
        return pages[page], f"slowest: {_page_name(page)}"
    return value


def _at(*path: str) -> Callable[[dict[str, Any]], tuple[float, str] | None]:
    def value(browser: dict[str, Any]) -> tuple[float, str] | None:
        node: Any = browser
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        return None if node is None else (node, "")
    return value


TARGETS = (
    BrowserTarget("upload_first_chart", "upload of the deals CSV -> first Overview chart", 4.0,
                  _at("upload", "total_s")),
    BrowserTarget("filter_change_p50", "filter change -> all charts drawn, p50, every page",
                  0.300, _worst("filter_change", "p50_s")),
    BrowserTarget("filter_change_p95", "filter change -> all charts drawn, p95, every page",
                  0.600, _worst("filter_change", "p95_s")),
    BrowserTarget("page_switch_p50", "page switch -> all charts drawn, p50", 0.400,
                  _at("page_switch", "p50_s")),
    BrowserTarget("drill_down", "drill-down click -> its table shown (p50, every page)", 0.500,
                  _worst("drill_down", "p50_s")),
    BrowserTarget("fresh_visit_first_chart", "a fresh visit's first chart (new tab, median)",
                  1.2, _at("new_tab_visit", "first_chart_s", "median_s")),
)


def evaluate(browser: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per target; `met` is None unless the run was at 1M deals."""
    rows = []
    for target in TARGETS:
        found = target.value(browser)
        measured, note = found if found else (None, "")
        at_scale = browser.get("rows") == TARGET_ROWS
        rows.append({"key": target.key, "label": target.label, "limit_s": target.limit_s,
                     "measured_s": measured, "note": note,
                     "met": None if measured is None or not at_scale
                     else measured <= target.limit_s})
    return rows


# --- the table ------------------------------------------------------------------------


def _page_name(nav_key: str) -> str:
    from kpi.i18n import t

    return t(nav_key, "en")


def _kb(value: float | None) -> str:
    return "-" if value is None else f"{value / 1024:.0f} KB"


def _row(name: str, stats: dict[str, Any]) -> list[str]:
    return [name, _seconds(stats.get("p50_s")), _seconds(stats.get("p95_s")),
            f"{_seconds(stats.get('min_s'))} – {_seconds(stats.get('max_s'))}",
            _seconds(stats.get("median_server_s")),
            _seconds(stats.get("median_browser_after_last_message_s")),
            f"{_kb(stats.get('median_bytes_received'))} / {_kb(stats.get('max_bytes_received'))}",
            str(stats.get("samples", "-"))]


def _visit_row(name: str, visit: dict[str, Any]) -> list[str]:
    def median(key: str) -> float | None:
        entry = visit.get(key)
        return entry.get("median_s") if isinstance(entry, dict) else entry

    return [name, _seconds(median("first_chart_s")), _seconds(median("total_s")),
            _seconds(median("dom_loaded_s")), _seconds(median("socket_opened_s")),
            _seconds(median("script_started_s")), _seconds(median("script_finished_s"))]


PHASES = {  # traced phase (benchmarks/traced_server.py) -> column
    "session workspace (draft opened)": "workspace",
    "sidebar filters": "filters",
    "page": "page",
    "metric queries": "queries",
    "Altair charts built": "charts built",
    "charts handed to Streamlit": "charts handed",
    "Altair specs converted": "specs converted",
    "st.vega_lite_chart (spec + data serialised)": "st.vega_lite_chart",
    "tables": "tables",
    "draft saved": "draft saved",
}


def _phase_table(browser: dict[str, Any]) -> list[str]:
    groups = [(f"filter change: {_page_name(p)}", s) for p, s in browser["filter_change"].items()]
    groups.append(("page switch", browser["page_switch"]))
    groups += [(f"drill-down: {_page_name(p)}", s) for p, s in browser["drill_down"].items()]
    rows = [[name, _seconds(stats.get("median_server_run_s")),
             *(_seconds(stats["median_server_phases_s"].get(phase, 0.0)) for phase in PHASES)]
            for name, stats in groups]
    return _table("Server time per action, traced (medians; inclusive: the page holds the "
                  "queries and charts; 'charts handed' holds the charts built, their specs and "
                  "st.vega_lite_chart)",
                  ["action", "script runs", *PHASES.values()], rows)


def render(results: dict[str, Any]) -> str:
    browser = results["sections"]["browser"]
    meta = browser["meta"]
    lines = [f"Browser benchmark — {meta['date']}, {browser['rows']:,} deals, {meta['cpus']} "
             f"CPU(s), load average {browser['load_average']} at start, "
             f"{browser['load_average_at_end']} at end; code: git {meta.get('git_head')} + kpi/ "
             f"sources {meta.get('kpi_sources_sha256')}",
             "times from the action to every chart drawn, on the page's clock; server = rerun "
             "asked -> script finished (websocket frames); browser = last message -> drawn"]
    upload = browser["upload"]
    lines += ["", f"Upload of {browser['file']} ({upload['file_bytes'] / 2**20:.0f} MB) -> "
              f"first Overview chart: {_seconds(upload['total_s'])} (file handed to the "
              f"browser {_seconds(upload['set_input_files_s'])}, HTTP upload "
              f"{_seconds(upload.get('http_upload_s'))}, import report shown at "
              f"{_seconds(upload['report_shown_s'])}, then the Overview "
              f"{_seconds(upload['overview_after_report_s'])})"]
    rows = [_row(f"filter change: {_page_name(page)}", stats)
            for page, stats in browser["filter_change"].items()]
    rows.append(_row("page switch (every KPI page, twice)", browser["page_switch"]))
    rows += [_row(f"drill-down click: {_page_name(page)}", stats)
             for page, stats in browser["drill_down"].items()]
    lines += _table("Interactions", ["action", "p50", "p95", "min – max", "server",
                                     "browser", "websocket (median / max)", "n"], rows)
    if browser.get("traced"):
        lines += _phase_table(browser)
    rows = [_visit_row("fresh server, first visit (demo data)",
                       browser["fresh_server_visit"]),
            _visit_row(f"new tab, same browser (reopens the {browser['rows']:,}-deal draft)",
                       browser["new_tab_visit"]),
            _visit_row("new visitor (no cookie: the demo)", browser["new_visitor_visit"])]
    lines += _table("Visits (medians; seconds from navigation start)",
                    ["visit", "first chart", "all drawn", "page loaded", "socket open",
                     "script start", "script end"], rows)
    rows = []
    for target in results.get("browser_targets") or evaluate(browser):
        status = {None: "not at 1M", True: "met"}.get(target["met"], "MISSED")
        if target["met"] is False:
            status += f" ({target['measured_s'] / target['limit_s']:.1f}x)"
        rows.append([target["label"], f"≤ {_seconds(target['limit_s'])}",
                     _seconds(target["measured_s"]), status, target["note"]])
    lines += _table("Targets (issue 14)", ["target", "limit", "measured", "status", "note"],
                    rows)
    return "\n".join(lines)


# --- the command ----------------------------------------------------------------------


def main(args: argparse.Namespace, code: dict[str, Any]) -> int:
    """Run the browser benchmark, merge it into `args.out`, print its table."""
    from benchmarks import browser

    if args.smoke:
        rows, changes, visits = SMOKE_ROWS, SMOKE_CHANGES, SMOKE_VISITS
    else:
        rows = max(generate.parse_size(s) for s in args.sizes.split(",") if s.strip())
        changes, visits = CHANGES, VISITS
    from importlib.metadata import version

    trace = args.out.with_suffix(".trace.jsonl") if args.trace else None
    if trace and trace.exists():
        trace.unlink()
    measured = browser.run(rows, args.data_dir, changes, visits, trace)
    measured["meta"] = {"date": datetime.now().astimezone().isoformat(timespec="seconds"),
                        "cpus": os.cpu_count(), "platform": platform.platform(),
                        "streamlit": version("streamlit"), "playwright": version("playwright"),
                        "smoke": args.smoke, **code}
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    results.setdefault("meta", measured["meta"])
    results.setdefault("sections", {})["browser"] = measured
    results["browser_targets"] = evaluate(measured)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    print(render(results))
    print(f"\nResults written to {args.out} (sections.browser)")
    return 0
