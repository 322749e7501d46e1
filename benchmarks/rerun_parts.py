"""`python -m benchmarks.rerun_parts --against ../main`: what a rerun pays, here vs another.

The parts of a rerun the browser benchmark found costly at 1M deals (BENCHMARKS.md, issue
14), each timed in a fresh process of this checkout and of `--against`, alternately:
  draft_wait       what the run that changed the data waits for its draft: the save itself
                   (before) or asking a save on a thread (after); `draft_saved` is when the
                   thread's save is on disk
  table_changed    a 500-deal drill-down table (kpi_page.rows_table) drawn after another one
                   under the same key (a filter change; a warm-up draws the first)
  table_again      the same table on the next rerun (nothing changed)
  charts_changed   the Overview's four charts (kpi.charts + kpi_page.chart) after another
                   period's (a filter change)
  charts_again     the same charts on the next rerun (a page switched back to, a drill-down)
  currency_queries the currency queries of the six families on one filter change (a count)
Streamlit runs bare (no server): session state is a plain dict, which is what a session
keeps between reruns. Medians of `--repeat` processes; the workspace is the 1M-deal
HubSpot file for the draft, the demo for the rest (charts and tables get aggregated or
capped rows: their size does not grow with the data).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from benchmarks import generate
from benchmarks.run import DEFAULT_DATA
from benchmarks.sections import ROOT
from benchmarks.timing import load_average, summary

# One process: prints a JSON object of seconds (and a count), whatever the checkout's API.
CHILD = r"""
import inspect, json, logging, sys, tempfile, time
from datetime import date
from pathlib import Path
logging.disable(logging.WARNING)
import streamlit as st
from kpi import charts, drafts
from kpi.metrics import (compute_channels, compute_compensation, compute_content,
                         compute_pipeline, compute_proposals, compute_social_selling)
from kpi.metrics.pipeline import closed_deals
from kpi.schema import Filters
from kpi.ui import kpi_page
from kpi.workspace import Workspace

out = {}
st.session_state = {}
kpi_page.st.session_state = st.session_state
kpi_page.st.vega_lite_chart = lambda *a, **k: None  # drawing is Streamlit's, the same in both
kpi_page.st.altair_chart = lambda *a, **k: None

big = Workspace()
big.add_file(Path(sys.argv[1]).read_bytes(), "deals.csv")
root = Path(tempfile.mkdtemp())
key = drafts.user_key("bench")
start = time.perf_counter()
if hasattr(drafts, "save_later"):
    drafts.save_later(big, key, root)
    out["draft_wait"] = time.perf_counter() - start
    drafts.wait_saved(key, root)
    out["draft_saved"] = time.perf_counter() - start
else:
    drafts.save_draft(big, key, root)
    out["draft_wait"] = out["draft_saved"] = time.perf_counter() - start
big.close()

ws = Workspace()
ws.load_demo()
filters = Filters(currency="EUR", default_currency="EUR") if "default_currency" in \
    Filters.model_fields else Filters(currency="EUR")
deals = closed_deals(ws.con, filters, won_only=False)[:500]
other = closed_deals(ws.con, filters, won_only=True)[:500]  # another filter's rows
for label, shown in (("warm-up", other), ("table_changed", deals), ("table_again", deals)):
    start = time.perf_counter()
    kpi_page.rows_table(shown, kpi_page.DEAL_COLUMNS, "fr", "EUR", "bench", "deals.csv")
    out[label] = time.perf_counter() - start

def overview(result):
    rows = [{"band": "0-30", "stage": "Demo", "open_deals": result.open_deals},
            {"band": "31-60", "stage": "Demo", "open_deals": 5}]
    return [(charts.won_revenue_by_month, (result, "fr", "EUR"), {}),
            (charts.win_rate_by_month, (result, "fr", "EUR"), {}),
            (charts.open_pipeline_by_rep, (result, "fr", "EUR"), {}),
            (charts.measure_bars, (rows, "band", "open_deals", "count", "Open", "fr", "EUR"),
             {"stack": "stage"})]

takes_builder = "build" in inspect.signature(kpi_page.chart).parameters
year = filters.model_copy(update={"date_from": date(2026, 1, 1)})
for label, result in (("warm-up", compute_pipeline(ws.con, year, with_previous=True)),
                      ("charts_changed", compute_pipeline(ws.con, filters, with_previous=True)),
                      ("charts_again", compute_pipeline(ws.con, filters, with_previous=True))):
    start = time.perf_counter()
    for index, (build, args, kwargs) in enumerate(overview(result)):
        if takes_builder:
            kpi_page.chart(build, *args, key=f"c{index}", **kwargs)
        else:
            kpi_page.chart(build(*args, **kwargs), key=f"c{index}")
    out[label] = time.perf_counter() - start

class Counting:
    def __init__(self, con):
        self.con, self.n = con, 0
    def execute(self, sql, *args):
        self.n += "won_revenue DESC" in sql
        return self.con.execute(sql, *args)
    def __getattr__(self, name):
        return getattr(self.con, name)

counting = Counting(ws.con)
for family in (compute_pipeline, compute_social_selling, compute_proposals, compute_content,
               compute_channels, compute_compensation):
    family(counting, filters)
out["currency_queries"] = counting.n
print(json.dumps(out))
"""
PARTS = ("draft_wait", "draft_saved", "table_changed", "table_again", "charts_changed",
         "charts_again", "currency_queries")


def _child(checkout: Path, path: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], cwd=checkout,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _show(part: str, values: list[float]) -> str:
    if part == "currency_queries":
        return f"{summary(values)['median_s']:g}"
    stats = summary(values)
    return (f"{stats['median_s'] * 1000:.1f} ms ({stats['min_s'] * 1000:.1f}-"
            f"{stats['max_s'] * 1000:.1f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.rerun_parts")
    parser.add_argument("--against", type=Path, metavar="DIR", required=True,
                        help="another checkout (before), run alternately with this one")
    parser.add_argument("--size", default="1m", help="deals in the draft's workspace")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    path = generate.workspace_files(generate.parse_size(args.size), args.data_dir).deals_utf8
    print(f"load average at start: {load_average()}")
    runs: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
    for _ in range(args.repeat):
        for side, checkout in (("before", args.against.resolve()), ("after", ROOT)):
            for part, value in _child(checkout, path).items():
                runs[side].setdefault(part, []).append(value)
    print(f"\nmedians of {args.repeat} processes each (min-max); before = {args.against}")
    print(f"  {'part':<18}{'before':<28}after")
    for part in PARTS:
        print(f"  {part:<18}{_show(part, runs['before'][part]):<28}"
              f"{_show(part, runs['after'][part])}")
    print(f"\nload average at end: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
