"""`python -m benchmarks --browser`: the app as a user feels it, in Chromium (issue 14).

`streamlit run app.py` and Playwright on Debian's /usr/bin/chromium (the
browser tests' helpers start both). The deals CSV is dropped on the Data
page through the real uploader, then the leads, content and packages files
(so every page has work to do); then, on each KPI page, filter changes
(rep, channel and period in turn), page switches, drill-down clicks and
fresh visits. Every time runs from the action to "every chart drawn" (see
`browser_probe.DRAWN`), read on the page's own clock; the websocket's frames
say how the time splits: before the rerun is asked, on the server (script
start to script finished) and in the browser after the last message (Vega).
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from benchmarks import generate
from benchmarks.browser_probe import CHART, DRAWN, INIT_SCRIPT, STARTED, STATE, Wire
from benchmarks.timing import load_average, percentiles
from kpi.i18n import t
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, start_app, upload_exports, wait_idle

LANG = "en"
KPI_PAGES = ("nav.overview", "nav.social", "nav.proposals", "nav.content", "nav.channels",
             "nav.compensation")
DRILL_DOWNS = ("nav.channels", "nav.compensation")  # pages whose bars filter a table
PERIODS = ("last_12_months", "year_to_date", "last_quarter", "all")
TIMEOUT_MS = 300_000
TRACED_SERVER = "benchmarks.traced_server"
ATTEMPTS, START_TIMEOUT_MS = 3, 20_000  # an action that starts no rerun in 20 s is redone
VIEWPORT = {"width": 1400, "height": 1000}


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] browser: {message}", flush=True)


class Session:
    """One browser page on the app, with its wire and the measurements taken."""

    def __init__(self, context: Any) -> None:
        self.page = context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.wire = Wire(self.page).attach()
        self._origin: float | None = None

    def wall(self, at_ms: float) -> float:
        """A page-clock time as wall-clock seconds (to match the server's trace)."""
        if self._origin is None:
            self._origin = self.page.evaluate("performance.timeOrigin")
        return (self._origin + at_ms) / 1000

    def now(self) -> float:
        return self.page.evaluate("performance.now()")

    def drawn(self, t0: float, need_run: bool = True, min_charts: int = 0,
              input_from: float | None = None) -> dict[str, Any]:
        """Wait (on every animation frame) for every chart drawn; the page-clock landmarks."""
        arg = [t0, need_run, min_charts, t0 if input_from is None else input_from]
        try:
            return self.page.wait_for_function(DRAWN, arg=arg,
                                               polling="raf", timeout=TIMEOUT_MS).json_value()
        except PlaywrightTimeout:
            raise RuntimeError(f"not drawn on {self.page.url}: {self.page.evaluate(STATE)}"
                               ) from None

    def measure(self, action: Callable[[], None], before: Callable[[], None] | None = None,
                after: Callable[[], None] | None = None) -> dict[str, Any]:
        """Time `action` -> every chart drawn; `before`/`after` (opening a list…) are untimed.

        A click that started no rerun (a list still opening on a loaded machine)
        is done again; the time runs from the input event that started the run.
        """
        t0 = None
        for attempt in range(ATTEMPTS):
            if before:
                before()
            tried = self.now()
            t0 = tried if t0 is None else t0
            action()
            if after:
                after()
            try:
                self.page.wait_for_function(STARTED, arg=t0, polling="raf",
                                            timeout=START_TIMEOUT_MS)
                break
            except PlaywrightTimeout:
                if attempt == ATTEMPTS - 1:
                    raise RuntimeError(f"no rerun after {ATTEMPTS} tries on {self.page.url}"
                                       ) from None
                _log(f"the action started no rerun on {self.page.url}: again")
        done = self.drawn(t0, input_from=tried)
        return {**_split(t0, done, self.wire.between(t0, done["end"])),
                "wall_s": [self.wall(t0), self.wall(done["end"])]}


def _split(t0: float, done: dict[str, Any], wire: dict[str, Any]) -> dict[str, Any]:
    """Total time and where it went, in seconds, with the websocket bytes.

    Timed from the input event (the click or key Chromium dispatched), not from
    the harness's call: Playwright's own checks before it clicks (tens of ms,
    more under load) are no part of what a user waits for; they are kept as
    `harness_s`.
    """
    start = done["input"] if done.get("input") is not None else t0
    asked, finished = wire["rerun_asked_ms"], wire["script_finished_ms"]
    row = {"total_s": (done["end"] - start) / 1000, "harness_s": (start - t0) / 1000,
           "charts": done["charts"],
           "bytes_received": wire["bytes_received"], "bytes_sent": wire["bytes_sent"]}
    if asked is not None and finished is not None:
        row.update(before_request_s=(asked - start) / 1000, server_s=(finished - asked) / 1000,
                   browser_after_last_message_s=(done["end"] - finished) / 1000)
    return row


# --- the user's actions ---------------------------------------------------------------


def _sidebar(page: Any) -> Any:
    return page.locator("[data-testid='stSidebar']")


def _go(session: Session, nav_key: str) -> None:
    session.page.get_by_role("link", name=t(nav_key, LANG), exact=True).click()


def _multiselect(page: Any, label_key: str) -> Any:
    return _sidebar(page).locator("[data-testid='stMultiSelect']").filter(
        has_text=t(label_key, LANG))


def _toggle_multiselect(session: Session, label_key: str, pick: int) -> dict[str, Any]:
    """Pick one option when nothing is chosen, else clear the choice ("Clear all")."""
    page = session.page
    box = _multiselect(page, label_key)
    if box.locator("[data-tag]").count():
        return session.measure(box.get_by_role("button", name="Clear all").click)
    options = page.get_by_role("option")

    def open_list() -> None:
        box.click()
        options.first.wait_for()

    def click() -> None:  # the first option is Streamlit's "Select all"
        options.nth(1 + pick % max(options.count() - 1, 1)).click()

    return session.measure(click, before=open_list, after=lambda: page.keyboard.press("Escape"))


def _period(session: Session, index: int) -> dict[str, Any]:
    page = session.page
    box = _sidebar(page).locator("[data-testid='stSelectbox']").filter(
        has_text=t("filters.period", LANG))
    preset = PERIODS[index % len(PERIODS)]
    if t(f"filters.preset.{preset}", LANG) in box.inner_text():  # already shown: the next one
        preset = PERIODS[(index + 1) % len(PERIODS)]
    option = page.get_by_role("option", name=t(f"filters.preset.{preset}", LANG), exact=True)
    return session.measure(option.click, before=lambda: (box.click(), option.wait_for()))


def filter_changes(session: Session, changes: int) -> list[dict[str, Any]]:
    """`changes` filter changes on the page shown: rep, channel, period, rep, …"""
    samples = []
    for index in range(changes):
        kind = ("rep", "channel", "period")[index % 3]
        if kind == "period":
            sample = _period(session, index // 3)
        else:
            label = "filters.reps" if kind == "rep" else "filters.channels"
            sample = _toggle_multiselect(session, label, index // 3)
        samples.append({"change": kind, **sample})
    return samples


def drill_down(session: Session) -> dict[str, Any]:
    """Click the first bar of the page's clickable chart -> its table shown (then clear it)."""
    page = session.page
    bars = page.locator(f"{CHART} g.mark-rect path")
    heading = page.get_by_role("heading", name=re.compile("^Selected:"))
    sample = session.measure(bars.first.click)
    if not heading.count():
        raise RuntimeError("the bar click showed no drill-down")
    sample["table_shown"] = page.locator("[data-testid='stDataFrame']").count() > 0
    bars.first.dblclick()  # back to no selection, untimed
    heading.first.wait_for(state="detached")
    wait_idle(page)
    return sample


def visit(context: Any, url: str) -> dict[str, Any]:
    """A new tab on the app: navigation start -> first chart / every chart drawn."""
    session = Session(context)
    try:
        session.page.goto(url)
        done = session.drawn(0, need_run=False, min_charts=1)
        timing = session.page.evaluate(
            "(() => { const n = performance.getEntriesByType('navigation')[0];"
            " return {dom: n.domContentLoadedEventEnd, load: n.loadEventEnd,"
            " first: window.__bb.firstChart}; })()")
        wire = session.wire.between(0, done["end"])
        return {"first_chart_s": timing["first"] / 1000, "total_s": done["end"] / 1000,
                "charts": done["charts"], "dom_loaded_s": timing["dom"] / 1000,
                "socket_opened_s": (session.wire.handshake_ms() or 0) / 1000,
                "script_started_s": _seconds(wire["script_started_ms"]),
                "first_delta_s": _seconds(wire["first_delta_ms"]),
                "script_finished_s": _seconds(wire["script_finished_ms"]),
                "bytes_received": wire["bytes_received"]}
    finally:
        session.page.close()


def _seconds(ms: float | None) -> float | None:
    return None if ms is None else ms / 1000


def upload(session: Session, files: generate.Workspace) -> dict[str, Any]:
    """Deals dropped on the Data page -> Overview's first chart; then the other files."""
    page = session.page
    _go(session, "nav.data")
    wait_idle(page)
    deals = files.deals_utf8
    t0 = session.now()
    started = time.perf_counter()
    upload_exports(page, deals)
    handed = time.perf_counter() - started
    page.get_by_text(re.compile(re.escape(deals.name) + " — ")).first.wait_for()
    wait_idle(page)
    reported = session.now()
    _go(session, "nav.overview")
    done = session.drawn(reported)
    span = session.wire.upload_span()
    row = {"file_bytes": deals.stat().st_size, "total_s": (done["end"] - t0) / 1000,
           "set_input_files_s": handed, "report_shown_s": (reported - t0) / 1000,
           "overview_after_report_s": (done["end"] - reported) / 1000, "charts": done["charts"]}
    if span:
        row.update(http_upload_start_s=(span[0] - t0) / 1000,
                   http_upload_s=(span[1] - span[0]) / 1000)
    _go(session, "nav.data")
    wait_idle(page)
    for extra in files.extra_files:
        upload_exports(page, extra)
        page.get_by_text(re.compile(re.escape(extra.name) + " — ")).first.wait_for()
        wait_idle(page)
    return row


# --- the run --------------------------------------------------------------------------


def run(rows: int, data_dir: Path, changes: int, visits: int,
        trace: Path | None = None) -> dict[str, Any]:
    """Every browser measurement at `rows` deals; JSON-ready.

    With `trace`, the server is benchmarks/traced_server.py, which logs each
    script run's phases there; each measurement then gets the runs it caused.
    """
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing (make chromium installs it)")
    files = generate.workspace_files(rows, data_dir)
    result: dict[str, Any] = {"rows": rows, "load_average": load_average(),
                              "changes_per_page": changes, "file": files.deals_utf8.name}
    drafts = tempfile.TemporaryDirectory(prefix="kpi-bench-drafts-")  # ~200 MB at 1M
    env = {"KPI_WORKSPACES_DIR": drafts.name}
    if trace:
        url, server = start_app({**env, "KPI_BENCH_TRACE": str(trace)}, launcher=TRACED_SERVER)
    else:
        url, server = start_app(env)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport=VIEWPORT, locale="en-US")
            context.add_init_script(INIT_SCRIPT)
            _log("fresh server: first visit (demo data)")
            result["fresh_server_visit"] = visit(context, url)
            session = Session(context)
            session.page.goto(url)
            wait_idle(session.page)
            _log(f"upload {files.deals_utf8.name} ({files.deals_utf8.stat().st_size:,} bytes)")
            result["upload"] = upload(session, files)
            result.update(_pages(session, changes))
            _log("fresh visits")
            result["new_tab_visits"] = [visit(context, url) for _ in range(visits)]
            stranger = browser.new_context(viewport=VIEWPORT, locale="en-US")
            stranger.add_init_script(INIT_SCRIPT)
            result["new_visitor_visits"] = [visit(stranger, url) for _ in range(visits)]
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        drafts.cleanup()
    result["load_average_at_end"] = load_average()
    if trace:
        result["traced"] = True
        attach_trace(result, [json.loads(line) for line in trace.read_text().splitlines()])
    return summarise(result)


def attach_trace(result: dict[str, Any], runs: list[dict[str, Any]]) -> None:
    """Give each timed sample the server phases of the script runs that started within it."""
    samples = [*result["page_switch_samples"],
               *(s for group in ("filter_change_samples", "drill_down_samples")
                 for samples in result[group].values() for s in samples)]
    for sample in samples:
        start, end = sample["wall_s"]
        mine = [r for r in runs if start <= r["wall_start"] <= end]
        phases: dict[str, float] = {}
        for record in mine:
            for phase, seconds in record["phases"].items():
                phases[phase] = phases.get(phase, 0.0) + seconds
        sample["server_runs"] = len(mine)
        sample["server_run_s"] = sum(r["total_s"] for r in mine)
        sample["server_phases_s"] = phases
    result["trace_runs"] = runs


def _pages(session: Session, changes: int) -> dict[str, Any]:
    switches, pages, drills = [], {}, {}
    for nav_key in KPI_PAGES:
        _log(f"{t(nav_key, LANG)}: switch, {changes} filter changes")
        switches.append({"page": nav_key, **session.measure(lambda k=nav_key: _go(session, k))})
        pages[nav_key] = filter_changes(session, changes)
        if nav_key in DRILL_DOWNS:
            drills[nav_key] = [drill_down(session) for _ in range(max(1, changes // 4))]
    for nav_key in KPI_PAGES:  # a second round of switches, with the filters as left
        switches.append({"page": nav_key, **session.measure(lambda k=nav_key: _go(session, k))})
    return {"page_switch_samples": switches, "filter_change_samples": pages,
            "drill_down_samples": drills}


def _stats(samples: list[dict[str, Any]], key: str = "total_s") -> dict[str, Any]:
    values = [s[key] for s in samples if s.get(key) is not None]
    return percentiles(values) if values else {}


def _median(samples: list[dict[str, Any]], key: str) -> float | None:
    values = [s[key] for s in samples if s.get(key) is not None]
    return statistics.median(values) if values else None


def _phases(samples: list[dict[str, Any]]) -> dict[str, float]:
    """Median time of each traced server phase over the samples (0 where a run had none)."""
    traced = [s["server_phases_s"] for s in samples if "server_phases_s" in s]
    names = sorted({name for phases in traced for name in phases})
    return {name: statistics.median(p.get(name, 0.0) for p in traced) for name in names}


def _summary(samples: list[dict[str, Any]]) -> dict[str, Any]:
    return {**_stats(samples), "min_s": min(s["total_s"] for s in samples),
            "median_server_phases_s": _phases(samples),
            "median_server_run_s": _median(samples, "server_run_s"),
            **{f"median_{key}": _median(samples, key)
               for key in ("server_s", "browser_after_last_message_s", "before_request_s",
                           "bytes_received", "charts")},
            "max_bytes_received": max(s["bytes_received"] for s in samples)}


def summarise(result: dict[str, Any]) -> dict[str, Any]:
    """p50 / p95 / max per page and per kind of action, beside every sample."""
    result["filter_change"] = {key: _summary(samples)
                               for key, samples in result["filter_change_samples"].items()}
    result["page_switch"] = _summary(result["page_switch_samples"])
    result["drill_down"] = {key: _summary(samples)
                            for key, samples in result["drill_down_samples"].items()}
    for kind in ("new_tab_visits", "new_visitor_visits"):
        visits = result[kind]
        result[kind.replace("visits", "visit")] = {
            key: {"median_s": statistics.median(v[key] for v in visits),
                  "min_s": min(v[key] for v in visits), "max_s": max(v[key] for v in visits)}
            for key in ("first_chart_s", "total_s", "dom_loaded_s", "socket_opened_s",
                        "script_started_s", "script_finished_s")
            if all(v.get(key) is not None for v in visits)}
    return result
