"""The command line's errors as message codes, in --lang (docs/report-command.md).

In-process through kpi.__main__.main (what `python -m kpi` runs; test_cli.py
runs real subprocesses): one line on stderr after "error: ", exit 2, no
traceback, the French written by hand here from what each error means. Then
the catalogue: every error the product raises is built from a code that has
English and French, never from an English string.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kpi.__main__ import EXIT_BAD_INPUT, main, requested_language
from kpi.i18n import TEXTS

KPI = Path(__file__).resolve().parents[2] / "kpi"
# Every exception class whose message is a code (kpi.messages.MessageError).
MESSAGE_ERRORS = {"BadInput", "_BadValue", "InvalidValue", "IngestError", "UnreadableFile",
                  "WarehouseError", "WarehouseTimeout", "SourceConfigError", "UsersError"}
UNREACHABLE = "postgresql://kpi:s3cret@/kpi?host=/nonexistent-kpi-socket"


def error_line(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The one line `python -m kpi ARGV` writes on stderr; checks exit 2 and nothing else."""
    assert main(list(argv)) == EXIT_BAD_INPUT
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1, captured.err
    assert "Traceback" not in captured.err and "s3cret" not in captured.err
    return captured.err.removesuffix("\n")


@pytest.fixture
def deals(tmp_path: Path) -> Path:
    path = tmp_path / "deals.csv"
    path.write_text("deal_id,owner,status,amount,created_at\nD1,Ann,open,100,2025-01-01\n")
    return path


def test_a_file_that_cannot_be_read_speaks_french(capsys, tmp_path: Path) -> None:
    missing = tmp_path / "absent.csv"
    line = error_line(capsys, "report", str(missing), "--lang", "fr")
    # The system's own reason stays in its words: only its presence is checked.
    assert line.startswith(f"error: {missing} : impossible à lire (")
    assert error_line(capsys, "report", str(missing)).startswith(
        f"error: {missing}: cannot be read (")


def test_a_bad_mapping_file_speaks_french(capsys, tmp_path: Path, deals: Path) -> None:
    mappings = tmp_path / "mappings.json"
    mappings.write_text('{"currency": "dollars"}')
    assert error_line(capsys, "report", str(deals), "--mapping", str(mappings), "--lang",
                      "fr") == (f"error: {mappings} : pas un fichier de correspondances "
                                "(currency : 'dollars' n'est pas un code de devise comme EUR "
                                "ou USD)")
    assert error_line(capsys, "report", str(deals), "--mapping", str(mappings)) == (
        f"error: {mappings}: not a mapping file (currency: 'dollars' is not a currency code "
        "such as EUR or USD)")
    mappings.write_text('{"channels": {"Pigeon": "carrier", "Fax": "telefax"}}')
    line = error_line(capsys, "report", str(deals), "--mapping", str(mappings), "--lang", "fr")
    assert line.startswith(f"error: {mappings} : pas un fichier de correspondances (channels : "
                           "canal inconnu carrier, telefax (attendu : l'un de linkedin, ")


def test_dates_in_the_wrong_order_speak_french(capsys, deals: Path) -> None:
    assert error_line(capsys, "report", str(deals), "--from", "2025-03-01", "--to",
                      "2025-02-01", "--lang", "fr") == (
        "error: la date --from est après la date --to")
    assert error_line(capsys, "report", str(deals), "--from", "2025-03-01", "--to",
                      "2025-02-01") == "error: --from is after --to"


def test_an_option_refused_while_parsing_speaks_the_language_given_after_it(capsys,
                                                                             deals: Path) -> None:
    # argparse stops at --from before it reads --lang: the language is read first.
    assert error_line(capsys, "report", "--from", "2025-13-01", str(deals), "--lang", "fr") == (
        "error: option --from : '2025-13-01' n'est pas une date au format AAAA-MM-JJ")
    assert error_line(capsys, "report", str(deals), "--min-closed", "-1", "--lang=fr") == (
        "error: option --min-closed : doit valoir au moins 0")
    assert error_line(capsys, "report", str(deals), "--target-multiple", "0") == (
        "error: argument --target-multiple: must be above 0")


@pytest.mark.parametrize("command", [["load", "--to", "mysql://kpi:s3cret@localhost/kpi"],
                                     ["report", "--source", "mysql://kpi:s3cret@localhost/kpi"]])
def test_a_bad_warehouse_url_speaks_french_without_the_url(capsys, deals: Path,
                                                           command: list[str]) -> None:
    files = [str(deals)] if command[0] == "load" else []
    assert error_line(capsys, *command, *files, "--lang", "fr") == (
        "error: l'URL de l'entrepôt doit commencer par postgresql://, spark:// ou "
        "spark+local://")


def test_an_unreachable_server_speaks_french_and_keeps_its_own_reason(capsys) -> None:
    french = error_line(capsys, "report", "--source", UNREACHABLE, "--lang", "fr")
    english = error_line(capsys, "report", "--source", UNREACHABLE)
    assert french.startswith("error: impossible de se connecter à l'entrepôt : ")
    assert english.startswith("error: cannot connect to the warehouse: ")
    reason = english.removeprefix("error: cannot connect to the warehouse: ")
    assert reason and "nonexistent-kpi-socket" in reason  # libpq's words, untranslated
    assert french.endswith(f" : {reason}")


def test_users_errors_follow_lang(capsys, tmp_path: Path) -> None:
    config = str(tmp_path / "auth.yaml")
    assert error_line(capsys, "users", "add", "bad name!", "--role", "manager", "--config",
                      config, "--lang", "fr") == (
        "error: 'bad name!' n'est pas un identifiant simple (lettres, chiffres, . _ @ + -)")
    assert error_line(capsys, "users", "revoke", "bad name!") == (
        "error: 'bad name!' is not a simple login name (letters, digits, . _ @ + -)")


def test_argparse_own_errors_stay_its_words_on_one_line(capsys) -> None:
    line = error_line(capsys, "frobnicate", "--lang", "fr")
    assert line.startswith("error: argument command: invalid choice: 'frobnicate'")


@pytest.mark.parametrize(("argv", "lang"), [
    (["report", "--lang", "fr"], "fr"), (["report", "--lang=fr", "x.csv"], "fr"),
    (["report", "x.csv"], "en"), (["report", "--lang", "de"], "en"), (["report", "--lang"], "en"),
])
def test_the_language_is_read_before_the_arguments_are_checked(argv: list[str],
                                                               lang: str) -> None:
    assert requested_language(argv) == lang


# ---------------------------------------------------------------- the catalogue


def _raised_messages() -> list[tuple[str, ast.expr]]:
    """(module, first argument) of every `raise SomeMessageError(...)` under kpi/."""
    found = []
    for path in KPI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                func = node.exc.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in MESSAGE_ERRORS:
                    found.append((path.relative_to(KPI).as_posix(), node.exc.args[0]))
    return found


def _codes(argument: ast.expr) -> list[str]:
    """The codes a raise's argument names literally: `msg("x")` and both sides of `a if c
    else b`; a Message from elsewhere (a variable, a helper) has none."""
    if isinstance(argument, ast.IfExp):
        return _codes(argument.body) + _codes(argument.orelse)
    if (isinstance(argument, ast.Call) and getattr(argument.func, "id", "") == "msg"
            and isinstance(argument.args[0], ast.Constant)):
        return [f"msg.{argument.args[0].value}"]
    return []


def test_every_error_is_raised_with_a_code_never_with_english() -> None:
    raised = _raised_messages()
    assert len(raised) > 40  # the scan sees the importer, the CLI and the warehouse
    built = [(module, ast.unparse(argument)) for module, argument in raised
             if isinstance(argument, ast.Constant | ast.JoinedStr | ast.BinOp)]
    assert not built


def test_every_code_raised_exists_in_english_and_french() -> None:
    codes = {code for _, argument in _raised_messages() for code in _codes(argument)}
    assert {"msg.cli.from_after_to", "msg.warehouse.unreachable", "msg.users.differ",
            "msg.source.bad_timeout", "msg.spark.no_lake"} <= codes
    missing = {code for code in codes
               if code not in TEXTS or not TEXTS[code].get("en") or not TEXTS[code].get("fr")}
    assert not missing
