"""`python -m benchmarks.traced_server run app.py …`: `streamlit run` with a timing log per run.

Where a rerun's server time goes, without touching the product: before
Streamlit starts, a few product functions are wrapped with a timer (the
session's workspace, the sidebar filters, the page, the metric families'
queries, building the Altair charts, handing them to Streamlit, the tables,
asking the draft's save, importing a file). Each script run then appends one JSON
line to the file named by `KPI_BENCH_TRACE`: its start (wall clock), total,
the modules imported during it, and the inclusive time of each wrapped phase.
Used by `python -m benchmarks --browser --trace`; the timers cost microseconds.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

_RUN = threading.local()
_WRITE = threading.Lock()


def _timed(phase: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        phases = getattr(_RUN, "phases", None)
        if phases is None or phase in _RUN.open:  # outside a run, or a nested call
            return function(*args, **kwargs)
        _RUN.open.add(phase)
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _RUN.open.discard(phase)
            phases[phase] = phases.get(phase, 0.0) + time.perf_counter() - start
    return wrapper


def _wrap(owner: Any, name: str, phase: str) -> None:
    setattr(owner, name, _timed(phase, getattr(owner, name)))


def _traced_exec(original: Callable[..., Any], path: str) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        _RUN.phases, _RUN.open = {}, set()
        modules = len(sys.modules)
        wall, start = time.time(), time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            record = {"wall_start": wall, "total_s": time.perf_counter() - start,
                      "modules_imported": len(sys.modules) - modules,
                      "page": getattr(_RUN, "page", None), "phases": _RUN.phases}
            _RUN.phases = None
            with _WRITE, open(path, "a", encoding="utf-8") as log:
                log.write(json.dumps(record) + "\n")
    return run


def _page_run(original: Callable[..., Any]) -> Callable[..., Any]:
    def run(self: Any) -> Any:
        _RUN.page = self.url_path
        return original(self)
    return run


def install(path: str) -> None:
    """Wrap the phases (before app.py first imports the pages, so they bind the wrappers)."""
    import streamlit as st
    from streamlit.delta_generator import DeltaGenerator
    from streamlit.navigation.page import StreamlitPage
    from streamlit.runtime.scriptrunner import script_runner

    from kpi import charts, metrics
    from kpi.ui import auth, kpi_page, session, sidebar
    from kpi.workspace import Workspace

    script_runner.exec_func_with_error_handling = _traced_exec(
        script_runner.exec_func_with_error_handling, path)
    StreamlitPage.run = _timed("page", _page_run(StreamlitPage.run))
    _wrap(auth, "workspace_for", "session workspace (draft opened)")
    _wrap(sidebar, "filters", "sidebar filters")
    _wrap(session, "keep_draft", "draft saved")
    _wrap(Workspace, "add_file", "file imported")
    for name in dir(metrics):
        if name.startswith("compute_") or name == "left_out":
            _wrap(metrics, name, "metric queries")
    for name in getattr(charts, "__all__", None) or dir(charts):
        if not name.startswith("_") and callable(getattr(charts, name)) and \
                getattr(getattr(charts, name), "__module__", "") == charts.__name__:
            _wrap(charts, name, "Altair charts built")
    _wrap(kpi_page, "chart", "charts handed to Streamlit")
    for name in ("rows_table", "rows_behind"):
        _wrap(kpi_page, name, "tables")
    _wrap(kpi_page, "vega_lite_spec", "Altair specs converted")
    for draw in ("altair_chart", "vega_lite_chart"):  # kpi_page.chart draws a kept spec
        phase = "st.vega_lite_chart (spec + data serialised)"
        _wrap(DeltaGenerator, draw, phase)
        setattr(st, draw, _timed(phase, getattr(st, draw)))


def main() -> None:
    install(os.environ["KPI_BENCH_TRACE"])
    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
