"""`python -m kpi import|report` as a user runs it: a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kpi.metrics.report import report_sections
from kpi.schema import TableKind
from kpi.workspace import Workspace

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
    # The first families' keys, then each family registered since (its own key).
    assert list(report) == ["filters", "tables", "pipeline", "social_selling", "proposals",
                            "content", "channels", "channel_focus", "compensation",
                            *(section.key for section in report_sections()), "import"]
    pipeline = report["pipeline"]
    assert pipeline["won"] == 2 and pipeline["lost"] == 1
    assert pipeline["win_rate"] == pytest.approx(2 / 3)
    assert pipeline["won_revenue"] == 4000  # 1000 + 3000
    assert pipeline["avg_deal_value"] == 2000  # 4000 / 2 won
    assert pipeline["avg_cycle_days"] == pytest.approx((10 + 20) / 2)  # D1 10 days, D2 20 days
    assert pipeline["open_deals"] == 1 and pipeline["open_pipeline_value"] == 700
    # docs/report-command.md's three lists, plus the catch-alls listed apart (docs/kpis/channels.md)
    assert set(report["channel_focus"]) == {"keep", "reduce", "insufficient_data", "catch_all"}
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
    assert "Taux de transformation : 66,7\u202f%" in result.stdout
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


# Headers no CRM writes: the command maps them with --map or a saved mapping file.
# Won revenue by hand: R1 (1,000) and R4 (250) are signed; R2 is lost, R3 open.
UNKNOWN = """Code dossier,Qui,Combien,Depuis le,Verdict,Fini le
R1,Ana,1000,2025-01-05,Signé,2025-02-01
R2,Ana,500,2025-01-06,Perdu,2025-02-03
R3,Bob,700,2025-01-07,En cours,
R4,Bob,250,2025-01-08,Signé,2025-03-01
"""
MAPS = ["--map", "Code dossier=deal_id", "--map", "Qui=owner", "--map", "Combien=amount",
        "--map", "Depuis le=created_at", "--map", "Verdict=status", "--map", "Fini le=closed_at"]


@pytest.fixture
def unknown_file(tmp_path: Path) -> Path:
    path = tmp_path / "crm.csv"
    path.write_text(UNKNOWN)
    return path


def test_a_file_with_unknown_headers_is_refused_without_a_mapping(unknown_file: Path) -> None:
    result = run("import", str(unknown_file))
    assert result.returncode == 2
    assert result.stderr.startswith("error: crm.csv: no column was recognised")


def test_map_reads_columns_as_fields(unknown_file: Path) -> None:
    result = run("report", str(unknown_file), *MAPS)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["tables"]["deals"] == 4
    assert (report["pipeline"]["won"], report["pipeline"]["lost"]) == (2, 1)
    assert report["pipeline"]["won_revenue"] == 1250
    columns = report["import"][0]["columns"]
    assert {c["source"]: c["field"] for c in columns} == {
        "Code dossier": "deal_id", "Qui": "owner", "Combien": "amount",
        "Depuis le": "created_at", "Verdict": "status", "Fini le": "closed_at"}


def test_map_changes_one_column_of_a_recognised_file(deals_file: Path) -> None:
    # The channel column read as the stage instead: the other columns stay as recognised.
    result = run("import", str(deals_file), "--map", "channel=stage")
    files = json.loads(result.stdout)["import"]
    mapping = {c["source"]: c["field"] for c in files[0]["columns"]}
    assert mapping == {"deal_id": "deal_id", "owner": "owner", "channel": "stage",
                       "status": "status", "amount": "amount", "created_at": "created_at",
                       "closed_at": "closed_at"}
    assert files[0]["rows_accepted"] == 4


def test_map_with_a_forced_table(unknown_file: Path) -> None:
    result = run("import", "--deals", str(unknown_file), *MAPS)
    assert result.returncode == 0, result.stderr
    (file,) = json.loads(result.stdout)["import"]
    assert (file["table"], file["rows_accepted"]) == ("deals", 4)


def test_mapping_file_as_the_data_page_downloads_it(unknown_file: Path, tmp_path: Path) -> None:
    saved = tmp_path / "kpi-mappings.json"
    saved.write_text(json.dumps({
        "columns": [{"headers": ["codedossier", "combien", "depuisle", "finile", "qui",
                                 "verdict"],
                     "table": "deals",
                     "mapping": {"Code dossier": "deal_id", "Qui": "owner", "Combien": "amount",
                                 "Depuis le": "created_at", "Verdict": "status",
                                 "Fini le": "closed_at"}}],
        "channels": {}, "statuses": {"Perdu": "won"}, "currency": "GBP",
    }))
    result = run("report", str(unknown_file), "--mapping", str(saved))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["pipeline"]["won"], report["pipeline"]["lost"]) == (3, 0)  # R2 now won
    assert report["pipeline"]["won_revenue"] == 1000 + 500 + 250
    assert report["filters"]["currency"] == "GBP"
    assert ("Columns read with the mapping saved for files with these headers."
            in report["import"][0]["notes"])


def test_the_download_of_the_data_page_is_what_the_command_reads(unknown_file: Path,
                                                                  tmp_path: Path) -> None:
    page = Workspace()
    page.add_file(UNKNOWN.encode(), "january.csv", kind=TableKind.DEALS, mapping=dict(
        zip(["Code dossier", "Qui", "Combien", "Depuis le", "Verdict", "Fini le"],
            ["deal_id", "owner", "amount", "created_at", "status", "closed_at"], strict=True)))
    page.save_mapping("january.csv")
    saved = tmp_path / "kpi-mappings.json"
    saved.write_text(page.mapping_file().model_dump_json(indent=2))
    page.close()
    result = run("report", str(unknown_file), "--mapping", str(saved))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["pipeline"]["won_revenue"] == 1250


def test_default_currency_is_the_currency_of_amounts_without_one(deals_file: Path) -> None:
    result = run("report", str(deals_file), "--default-currency", "usd")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["filters"]["currency"] == "USD"
    assert report["pipeline"]["won_revenue"] == 4000


def test_a_file_whose_every_row_is_rejected_exits_2_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("deal_id,owner,status,amount,created_at\n"
                    "X1,Ann,open,100,not a date\n"
                    "X2,Ann,open,200,never\n"
                    "X3,Bob,open,abc,2025-01-01\n")
    for command in ("import", "report"):
        result = run(command, str(path))
        assert result.returncode == 2
        assert result.stderr == (
            "error: bad.csv: every row was rejected (3 rows); most often: cannot read this as "
            "a date (column created_at, e.g. 'not a date')\n")


@pytest.mark.parametrize("args, message", [
    (["--map", "Qui"], "argument --map: 'Qui' is not \"SOURCE HEADER=field\""),
    (["--map", "=deal_id"], "is not \"SOURCE HEADER=field\""),
    (["--map", "Code dossier=identifier"], "'identifier' is not a field"),
    (["--default-currency", "euro"], "'euro' is not a currency code"),
    (["--mapping", "/no/such/mappings.json"], "/no/such/mappings.json: cannot be read"),
])
def test_bad_mapping_options_exit_2_with_one_line(unknown_file: Path, args: list[str],
                                                  message: str) -> None:
    result = run("import", str(unknown_file), *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("content, message", [
    ("{not json", "not a mapping file"),
    ('{"columns": [{"headers": ["code dossier"], "table": "deals", "mapping": {"Code dossier": "price"}}]}',
     "deals has no field price"),
    ('{"channels": {"Pigeon": "carrier"}}', "unknown channel carrier"),
    ('{"currency": "dollars"}', "'dollars' is not a currency code"),
])
def test_a_bad_mapping_file_exits_2_with_one_line(unknown_file: Path, tmp_path: Path,
                                                  content: str, message: str) -> None:
    path = tmp_path / "mappings.json"
    path.write_text(content)
    result = run("report", str(unknown_file), "--mapping", str(path))
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


# D1 (no channel: unknown) decided 10 days after its proposal; D2's proposal has
# been pending since Jan 5 and the data ends on Mar 31 (D3): 85 days > 10, stale.
AGEING = """deal_id,owner,channel,status,amount,created_at,closed_at,proposal_sent_at
D1,Ana,,won,1000,2025-01-01,2025-01-11,2025-01-01
D2,Ana,LinkedIn,open,5000,2025-01-05,,2025-01-05
D3,Bob,LinkedIn,open,0,2025-03-31,,
"""


def test_report_lists_catch_alls_and_stale_proposals_apart(tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text(AGEING)
    report = json.loads(run("report", str(path), "--min-closed", "1").stdout)
    assert report["channel_focus"] == {"keep": [], "reduce": [], "insufficient_data": ["linkedin"],
                                       "catch_all": ["unknown"]}  # fmt: skip
    proposals = report["proposals"]
    assert (proposals["stale_days"], proposals["stale"], proposals["stale_value"]) == (10, 1, 5000)
    assert (proposals["overdue"], proposals["overdue_value"]) == (0, 0)
    assert proposals["pending"] == 1 and proposals["conversion_rate"] == 1.0
    assert proposals["forecast_revenue"] == 0  # the stale 5,000 is left out
    text = run("report", str(path), "--min-closed", "1", "--format", "text").stdout
    assert "Not ranked (sources to map): Unknown" in text
    assert "Stale proposals (pending over 10 days, out of the forecast): 1 (" in text


def test_json_keeps_english_text_with_each_message_code_beside_it(tmp_path: Path) -> None:
    path = tmp_path / "some-bad.csv"
    path.write_text("deal_id,owner,status,amount,created_at\n"
                    "Y1,Ann,open,100,2025-01-01\n"
                    "Y2,Ann,open,200,never\n")
    result = run("import", str(path), "--lang", "fr")  # JSON stays English whatever --lang
    assert result.returncode == 0, result.stderr
    (report,) = json.loads(result.stdout)["import"]
    assert report["rejects"] == [{
        "row": 3, "column": "created_at", "value": "never",
        "reason": "cannot read this as a date", "reason_code": "msg.reject.unreadable"}]
    assert report["notes"] == report["note_codes"] == []  # it has an amount column
    assert report["warnings"] == ["Every deal reads as open: no status or stage value says won "
                                  "or lost ('open'); map the ones that do."]
    assert report["warning_codes"] == ["msg.warning.all_open"]
    assert report["error"] is None and report["error_code"] is None
    created = next(c for c in report["columns"] if c["source"] == "created_at")
    assert created["note"] == "ISO dates (year first)"
    assert created["note_code"] == "msg.column.iso"


def test_text_and_errors_speak_french_with_lang_fr(tmp_path: Path) -> None:
    path = tmp_path / "titre.csv"
    path.write_text("Pipeline report\n\n" + DEALS + "D5,Bob,Referral,open,9,2025-03-05,\n"
                    "D5,Bob,Referral,open,9,2025-03-05,\n")
    result = run("import", str(path), "--format", "text", "--lang", "fr")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:3] == [
        "Import", "- titre.csv : Affaires, 6 lignes lues, 5 acceptées, 1 rejetées",
        "    2 ligne(s) au-dessus de l'en-tête ignorée(s)."]
    assert ("    [9, deal_id] ID de l'affaire en double : déjà présent à la ligne 8 (le premier "
            "est gardé)") in result.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("deal_id,owner,status,amount,created_at\nX1,Ann,open,100,not a date\n")
    result = run("report", str(bad), "--lang", "fr")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == (
        "error: bad.csv : toutes les lignes ont été rejetées (1 lignes) ; le plus souvent : "
        "impossible de lire cette valeur comme une date (colonne created_at, p. ex. "
        "'not a date')\n")
    empty = tmp_path / "vide.csv"
    empty.write_text("")
    result = run("import", str(empty), "--lang", "fr")
    assert (result.returncode, result.stderr) == (2, "error: vide.csv : le fichier est vide.\n")
