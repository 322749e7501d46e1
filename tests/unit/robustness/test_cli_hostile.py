"""`python -m kpi import|report` on hostile files.

An unusable file exits 2 with exactly one line on stderr naming the file and
no traceback, whatever the bytes. Every input goes through `kpi.__main__.main`
in this process (fast), and one input of each reader path also through a real
`python -m kpi` subprocess, where a traceback or a native crash would show;
those runs are started together so the module costs a few seconds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hostile_inputs import GOOD_DEALS, GOOD_NAME, HOSTILE, ROOT, Hostile, hostile_params

from kpi.__main__ import main

SQL = "x'); DROP TABLE deals; --"
# Refused inputs that also go through a real subprocess: one per reader (CSV and
# the two native ones, calamine for workbooks and Arrow for Parquet).
IN_SUBPROCESS = {"mostly-nul-bytes", "truncated-xlsx", "truncated-parquet"}


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kpi", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, subprocess.CompletedProcess[str]]:
    folder = tmp_path_factory.mktemp("cli")
    good = folder / GOOD_NAME
    good.write_bytes(GOOD_DEALS)
    jobs: dict[str, list[str]] = {}
    imported = []
    for hostile in HOSTILE:
        path = folder / hostile.id / hostile.name
        path.parent.mkdir()
        path.write_bytes(hostile.data())
        if hostile.refused and hostile.id in IN_SUBPROCESS:
            # Loading is the same for both commands; main() below runs both.
            jobs[hostile.id] = ["import", str(good), str(path)]
        elif not hostile.refused:
            imported.append(str(path))
    jobs["all-imported"] = ["import", str(good), *imported]
    jobs["sql-filters"] = ["report", str(good), "--rep", SQL, "--channel", SQL]
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {key: pool.submit(_run, args, ROOT) for key, args in jobs.items()}
        return {key: future.result() for key, future in futures.items()}


def _one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("hostile", hostile_params(refused=True))
def test_main_exits_2_with_one_line_naming_the_file(hostile: Hostile, tmp_path: Path,
                                                    capsys) -> None:
    # Both commands load files the same way: alternate them over the catalogue.
    # (The subprocess runs below load a good file first.)
    command = "report" if sum(map(ord, hostile.id)) % 2 else "import"
    bad = tmp_path / hostile.name
    bad.write_bytes(hostile.data())
    assert main([command, str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {hostile.name}:"), captured.err


@pytest.mark.parametrize("hostile", [h for h in hostile_params(refused=True)
                                     if h.id in IN_SUBPROCESS])
def test_unusable_file_exits_2_with_one_line_naming_it(runs, hostile: Hostile) -> None:
    result = runs[hostile.id]
    assert result.returncode == 2, (result.stdout[-500:], result.stderr)
    line = _one_error_line(result)
    assert line.startswith(f"error: {hostile.name}:"), line
    for fragment in hostile.says:
        assert fragment.lower() in line.lower()
    assert result.stdout == ""


def test_files_with_broken_rows_load_and_the_report_names_the_lines(runs) -> None:
    result = runs["all-imported"]
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    files = json.loads(result.stdout)["import"]
    assert files[0]["file"] == GOOD_NAME and files[0]["rows_accepted"] == 4
    expected = [h for h in HOSTILE if not h.refused]
    assert len(files) == 1 + len(expected)
    for report, hostile in zip(files[1:], expected, strict=True):
        assert report["rows_accepted"] == hostile.accepted, hostile.id
        assert {r["row"] for r in report["rejects"]} == set(hostile.rejected_lines), hostile.id


def test_sql_in_filters_changes_nothing(runs) -> None:
    result = runs["sql-filters"]
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["filters"]["reps"] == [SQL] and report["filters"]["channels"] == [SQL]
    assert report["tables"]["deals"] == 4  # the table is still there, whole
    assert report["pipeline"]["closed"] == 0 and report["pipeline"]["won_revenue"] == 0


def test_sql_in_a_date_option_is_refused_in_one_line(tmp_path: Path, capsys) -> None:
    good = tmp_path / GOOD_NAME
    good.write_bytes(GOOD_DEALS)
    assert main(["report", str(good), "--from", "2024-01-01'; DROP TABLE deals; --"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and "not a date" in lines[0]


def test_a_path_with_dotdot_is_reported_by_its_file_name(tmp_path: Path, capsys,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / GOOD_NAME).write_bytes(GOOD_DEALS)
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    assert main(["import", f"../../{GOOD_NAME}"]) == 0
    assert json.loads(capsys.readouterr().out)["import"][0]["file"] == GOOD_NAME
