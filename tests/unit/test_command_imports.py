"""What `python -m kpi report` loads: only what the command uses (BENCHMARKS.md §3).

The command starts a fresh interpreter every time, so every module it imports
is paid on every run. The app's libraries (Streamlit, Altair), pandas, the
login's (bcrypt, YAML) and the value profiler (only for files whose headers
leave fields missing) must stay out of it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Runs the command exactly as `python -m kpi` does, then lists what it loaded.
PROBE = """
import json, runpy, sys
sys.argv = ["kpi", *sys.argv[1:]]
try:
    runpy.run_module("kpi", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    code = exc.code
print("\\n" + json.dumps({"exit": code, "modules": sorted(sys.modules)}))
"""

NOT_FOR_THE_COMMAND = ("streamlit", "altair", "pandas", "bcrypt", "yaml", "kpi.ui",
                       "kpi.charts", "kpi.ingest.profile")


def _loaded(*args: str) -> tuple[int, set[str]]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["exit"], set(result["modules"])


def _matching(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes))


def test_report_loads_neither_the_app_nor_pandas_nor_the_login_libraries() -> None:
    code, modules = _loaded("report", "data/demo/deals.csv")
    assert code == 0
    assert "kpi.metrics" in modules  # the probe did run the report
    assert _matching(modules, NOT_FOR_THE_COMMAND) == []


def test_a_file_whose_headers_leave_fields_missing_still_loads_the_profiler(
        tmp_path: Path) -> None:
    """The lazy import is not a missing one: the values are read for suggestions
    (profile.py); a failed import would end the probe with a traceback instead."""
    export = tmp_path / "deals.csv"
    # No header names the creation date: the file is refused, with suggestions.
    export.write_text("deal_id,owner,status,amount,Column X\n"
                      + "".join(f"D{i},Ana,won,100,2025-03-{i:02d}\n" for i in range(1, 29)))
    code, modules = _loaded("import", str(export))
    assert code == 2
    assert "kpi.ingest.profile" in modules
