"""The benchmark never rots: `python -m benchmarks --smoke` (100 rows) runs every section.

No timing is asserted (the machine is shared); only that every section produced
its figures, with positive timings, and that the targets were evaluated.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = ("ingest", "refresh", "report", "memory", "concurrency", "charts", "baseline")


def _timings(node: object) -> list[float]:
    """Every *_s value in a JSON tree (medians, mins, maxes, percentiles, runs)."""
    found: list[float] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("_s") and isinstance(value, int | float):
                found.append(value)
            elif key == "runs_s":
                found.extend(value)
            else:
                found.extend(_timings(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_timings(value))
    return found


def _median(entry: dict) -> float:
    assert "median_s" in entry, entry
    return entry["median_s"]


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    folder = tmp_path_factory.mktemp("bench")
    out = folder / "latest.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke", "--out", str(out),
         "--data-dir", str(folder / "data")],
        cwd=ROOT, capture_output=True, text=True, timeout=240, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text()), done.stdout


def test_every_section_is_in_the_json(smoke: tuple[dict, str]) -> None:
    results, _ = smoke
    assert results["meta"]["smoke"] is True
    assert results["meta"]["sizes"] == ["100"]
    assert set(SECTIONS) <= set(results["sections"])
    for name in SECTIONS:
        assert results["sections"][name], f"section {name} is empty"


def test_timings_are_positive(smoke: tuple[dict, str]) -> None:
    results, _ = smoke
    sections = results["sections"]
    timings = _timings(sections)
    assert timings and all(t > 0 for t in timings)

    ingest = sections["ingest"]["100"]
    for key in ("csv_utf8", "csv_utf8_bare_read_csv", "csv_fr_cp1252",
                "csv_fr_cp1252_bare_read_csv"):
        assert _median(ingest[key]) > 0
    assert ingest["csv_utf8"]["rows_accepted"] == 100
    assert ingest["csv_fr_cp1252"]["rows_accepted"] == 100
    assert ingest["csv_fr_cp1252"]["encoding"] == "cp1252"
    assert sections["ingest"]["xlsx"]["xlsx"]["rows_accepted"] == 100

    for filter_name in ("typical", "all"):
        pages = sections["refresh"]["100"][filter_name]
        for page in ("pipeline", "social_selling", "proposals", "content", "channels",
                     "compensation"):
            assert _median(pages[page]) > 0
        assert pages["pipeline_agrees_with_pandas"]["agrees"], pages
        assert _median(sections["baseline"]["refresh"]["100"][filter_name]) > 0

    assert _median(sections["report"]["kpi_report"]) > 0
    assert sections["report"]["deals_loaded"] == 100
    assert _median(sections["baseline"]["report"]["pandas_script"]) > 0
    assert _median(sections["baseline"]["ingest"]["100"]["csv_utf8"]) > 0

    memory = sections["memory"]["100"]["deals_only"]
    assert memory["peak_growth_bytes"] > 0 and memory["rows"]["deals"] == 100
    assert sections["baseline"]["memory"]["100"]["deals_only"]["peak_growth_bytes"] > 0
    sessions = sections["memory"]["100"]["sessions"]
    assert sessions["sessions"] == 4 and sessions["first_retained_bytes"] > 0
    assert "per_session_retained_bytes" in sessions  # may be ~0 at 100 rows

    concurrency = sections["concurrency"]
    assert concurrency["errors"] == []
    assert concurrency["p50_s"] > 0 and concurrency["p95_s"] >= concurrency["p50_s"]

    charts = sections["charts"]
    assert "skipped" in charts or charts["largest_bytes"] > 0


def test_targets_and_table(smoke: tuple[dict, str]) -> None:
    results, stdout = smoke
    keys = {t["key"] for t in results["targets"]}
    assert {"ingest_utf8_1m", "refresh_1m", "memory_1m", "concurrency_1m",
            "report_1m"} <= keys
    # A 100-row run measures none of the 1M targets: they say "not run", not "met".
    assert all(t["met"] is None for t in results["targets"])
    assert "Targets (issue 6)" in stdout and "(1) Ingest" in stdout
