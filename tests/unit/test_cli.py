"""`python -m kpi import|report` as a user runs it: a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Three closed deals in March 2025 for Ana (2 won), one open deal for Bob.
DEALS = """deal_id,owner,channel,status,amount,created_at,closed_at
D1,Ana,LinkedIn,won,1000,2025-03-01,2025-03-11
D2,Ana,LinkedIn,won,3000,2025-03-02,2025-03-22
D3,Ana,Cold email,lost,500,2025-03-03,2025-03-13
D4,Bob,Referral,open,700,2025-03-04,
"""

# The same kind of export from a French Pipedrive: ; delimiter, decimal commas, cp1252.
FRENCH = (
    "Affaire - ID;Affaire - Propriétaire;Affaire - Statut;Affaire - Valeur;"
    "Affaire - Affaire créée;Affaire - Date de gain;Affaire - Heure de l'échec;"
    "Affaire - Source du lead\r\n"
    "F1;Élodie;Gagnée;2 500,50;02/04/2025;20/04/2025;;Salon\r\n"
    "F2;Élodie;Perdue;1 000,00;03/04/2025;;30/04/2025;Salon\r\n"
).encode("cp1252")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kpi", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def deals_file(tmp_path: Path) -> Path:
    path = tmp_path / "deals.csv"
    path.write_text(DEALS)
    return path


def test_report_json_has_every_key_of_the_contract(deals_file: Path) -> None:
    result = run("report", str(deals_file))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"filters", "tables", "pipeline", "social_selling", "proposals",
                           "content", "channels", "channel_focus", "compensation", "import"}
    pipeline = report["pipeline"]
    assert pipeline["won"] == 2 and pipeline["lost"] == 1
    assert pipeline["win_rate"] == pytest.approx(2 / 3)
    assert pipeline["won_revenue"] == 4000  # 1000 + 3000
    assert pipeline["avg_deal_value"] == 2000  # 4000 / 2 won
    assert pipeline["avg_cycle_days"] == pytest.approx((10 + 20) / 2)  # D1 10 days, D2 20 days
    assert pipeline["open_deals"] == 1 and pipeline["open_pipeline_value"] == 700
    assert set(report["channel_focus"]) == {"keep", "reduce", "insufficient_data"}
    assert report["import"][0]["rows_accepted"] == 4


def test_filters_apply_to_the_report(deals_file: Path) -> None:
    result = run("report", str(deals_file), "--rep", "Bob", "--from", "2025-03-01",
                 "--to", "2025-03-31")
    report = json.loads(result.stdout)
    assert report["filters"]["reps"] == ["Bob"]
    assert report["pipeline"]["closed"] == 0
    assert report["pipeline"]["win_rate"] is None  # no closed deal: undefined, not 0


def test_dialects_mix_in_one_workspace(deals_file: Path, tmp_path: Path) -> None:
    french = tmp_path / "pipedrive.csv"
    french.write_bytes(FRENCH)
    result = run("report", str(deals_file), str(french))
    report = json.loads(result.stdout)
    assert report["tables"]["deals"] == 6
    assert report["pipeline"]["won_revenue"] == pytest.approx(4000 + 2500.50)
    imports = {f["file"]: f for f in report["import"]}
    assert imports["pipedrive.csv"]["encoding"] == "cp1252"
    assert imports["pipedrive.csv"]["decimal_mark"] == ","


def test_text_format_in_french(deals_file: Path) -> None:
    result = run("report", str(deals_file), "--format", "text", "--lang", "fr")
    assert result.returncode == 0
    assert "Taux de transformation : 66,7\u00a0%" in result.stdout
    assert "4\u202f000\u00a0€" in result.stdout


def test_import_command_prints_the_import_report(deals_file: Path) -> None:
    result = run("import", str(deals_file))
    files = json.loads(result.stdout)["import"]
    assert files[0]["table"] == "deals" and files[0]["rows_read"] == 4


@pytest.mark.parametrize("args, message", [
    (["report", "/no/such/file.csv"], "cannot be read"),
    (["report", "--from", "2025-13-01", "x.csv"], "not a date"),
    (["import"], "no file given"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_input_exits_2_with_one_line(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unusable_file_is_named(tmp_path: Path) -> None:
    png = tmp_path / "export.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    result = run("import", str(png))
    assert result.returncode == 2
    assert result.stderr.startswith("error: export.csv:")


def test_the_command_runs_without_importing_pandas(deals_file: Path) -> None:
    # pandas is never needed for a report; importing it would cost ~0.2 s per run.
    script = ("import runpy, sys\n"
              "sys.argv = ['kpi', 'report', sys.argv[1]]\n"
              "try:\n"
              "    runpy.run_module('kpi', run_name='__main__')\n"
              "except SystemExit as exit:\n"
              "    print(exit.code, 'pandas' in sys.modules, file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", script, str(deals_file)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.stderr.split()[-2:] == ["0", "False"], result.stderr
    assert json.loads(result.stdout)["pipeline"]["won"] == 2
