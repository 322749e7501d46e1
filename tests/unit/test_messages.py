"""The importer's messages as codes with parameters (kpi.messages, kpi/texts/messages.toml).

Three parts:
- the catalogue: every code has English and French with the same placeholders,
  every code the importer writes is in it and every entry is written somewhere;
- rendering: numbers grouped per language, nested phrases and labels, lists,
  quoted values, one line; a report saved with plain text still opens;
- hand-written French for real broken files through the real importer, and a
  corpus of hostile files whose every message has a code and reads in French.
"""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any

import pytest

from kpi.i18n import TEXTS, read_texts
from kpi.ingest import IngestError, import_file
from kpi.messages import Message, field_label, msg, render, table_label
from kpi.schema import FileReport
from kpi.workspace import Workspace
from tests.unit.robustness.hostile_inputs import GOOD_DEALS, HOSTILE, csv_bytes, deal

MESSAGES = read_texts("messages.toml")
NNBSP = "\u202f"  # French thousands separator
KPI = Path(__file__).resolve().parents[2] / "kpi"


def _placeholders(text: str) -> set[tuple[str, str | None]]:
    """(name, conversion) of every `{...}` of a template."""
    return {(name, conversion) for _, name, _, conversion in string.Formatter().parse(text)
            if name is not None}


# ---------------------------------------------------------------- the catalogue


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_has_english_and_french_with_the_same_placeholders(code: str) -> None:
    entry = MESSAGES[code]
    assert set(entry) == {"en", "fr"} and all(entry.values())
    assert _placeholders(entry["en"]) == _placeholders(entry["fr"]), code
    assert code.startswith("msg.") and TEXTS[code] == entry  # read by i18n, one place


def _codes_in_source() -> tuple[set[str], set[str]]:
    """Codes written literally (`msg("note.no_rows")`) and prefixes of built ones
    (`msg(f"what.{what}")`) across kpi/."""
    literal: set[str] = set()
    prefixes: set[str] = set()
    for path in KPI.rglob("*.py"):
        text = path.read_text()
        literal |= {f"msg.{c}" for c in re.findall(r"\bmsg\(\"([\w.]+)\"", text)}
        prefixes |= {f"msg.{p}" for p in re.findall(r"\bmsg\(f\"([\w.]*)\{", text)}
    return literal, prefixes


def test_every_code_the_importer_writes_is_in_the_catalogue_and_every_entry_is_used() -> None:
    literal, prefixes = _codes_in_source()
    assert literal and prefixes
    assert not literal - set(MESSAGES)
    assert all(any(code.startswith(p) for code in MESSAGES) for p in prefixes), prefixes
    unused = {code for code in MESSAGES
              if code not in literal and not any(code.startswith(p) for p in prefixes)}
    assert not unused


def test_no_english_is_parsed_back() -> None:
    assert not (KPI / "import_messages.py").exists()
    assert not any("import_messages" in p.read_text() for p in KPI.rglob("*.py"))


# ---------------------------------------------------------------- rendering


def test_numbers_are_grouped_the_languages_way_and_years_are_not() -> None:
    wide = msg("file.too_wide", file="x.csv", count=90_001, limit=10_000)
    assert render(wide, "en") == (
        "x.csv: the header has 90,001 columns (at most 10,000 are read); this does not look "
        "like a CRM export.")
    assert render(wide, "fr") == (
        f"x.csv : l'en-tête a 90{NNBSP}001 colonnes (au plus 10{NNBSP}000 sont lues) ; ce "
        "n'est pas un export de CRM.")
    years = msg("reject.year_range", first=1970, last=2100)
    assert render(years, "fr") == "la date est hors des années 1970-2100"
    assert render(msg("reject.implausible", limit=1e15), "fr") == (
        "nombre invraisemblable (infini, NaN ou au-delà de ±1e+15)")


def test_labels_nested_phrases_and_lists_render_in_the_same_language() -> None:
    missing = msg("file.looks_like", file="p.csv", table=table_label("compensation"),
                  fields=[msg("either", fields=[field_label("package"),
                                                field_label("annual_package")])],
                  headers="Rep, Month")
    assert render(missing, "fr") == (
        "p.csv : ressemble à la table Packages mais n'a pas de colonne pour Package (mois) ou "
        "Package (année) (en-têtes : Rep, Month) ; associez-les à la main.")
    assert render(missing, "en") == (
        "p.csv: looks like Packages but has no column for Package (month) or Package (year) "
        "(headers: Rep, Month); map them by hand.")
    suggested = msg("column.suggested", evidence=[
        msg("evidence.dates", share=92, example="15/03/2024"),
        msg("evidence.earlier", column="Clos le", share=100, role=msg("role.created"))])
    assert render(suggested, "fr") == (
        "suggéré d'après ses valeurs : 92 % des valeurs sont des dates comme '15/03/2024' ; "
        "antérieure à 'Clos le' sur 100 % des lignes qui ont les deux, donc la date de création")
    more = msg("warning.all_open", values=msg("and_more", values=["a", "b"], more=3))
    assert render(more, "fr") == (
        "Toutes les affaires se lisent en cours : aucune valeur de statut ou d'étape ne dit "
        "gagnée ou perdue ('a', 'b' et 3 autre(s)) ; associez celles qui le disent.")


@pytest.mark.parametrize("name", [
    "a.b*c+(d)?[e]{f}|^$\\1.csv", "O'Brien \"quoted\" <b>HTML</b> & é.csv",
    "{0}{file}%s.csv", "report: the file is empty.csv",
])
def test_names_and_values_come_through_exactly(name: str) -> None:
    assert render(msg("file.empty", file=name), "fr") == f"{name} : le fichier est vide."
    assert render(msg("column.day_first", example=name), "en") == (
        f"day first (values like {name!r})")


def test_a_message_is_one_line_whatever_its_parameters_hold() -> None:
    broken = msg("file.bad_csv", file="x.csv", error="first\nsecond\r\n\u2028third")
    assert render(broken, "fr") == (
        "x.csv : impossible de lire le fichier comme un CSV (first second third).")


def test_a_message_survives_json_and_a_saved_plain_text_report_still_opens() -> None:
    note = msg("note.read_from_values", column="Vendeur", field=field_label("owner"),
               evidence=[msg("evidence.names", distinct=3, example="Ann", count=87)])
    report = FileReport(file="x.csv", notes=[note])
    again = FileReport.model_validate_json(report.model_dump_json())
    assert again.notes == [note]
    assert render(again.notes[0], "fr") == (
        "La colonne 'Vendeur' a été lue comme « Propriétaire (commercial) » d'après ses "
        "valeurs : 3 noms différents comme 'Ann' sur 87 lignes.")
    legacy = FileReport.model_validate({"file": "old.csv", "notes": ["Saved in English."],
                                        "error": "old.csv: the file is empty."})
    assert [render(n, "fr") for n in legacy.notes] == ["Saved in English."]
    assert render(legacy.error, "fr") == "old.csv: the file is empty."


# ---------------------------------------------------------------- the real importer


def _french(data: bytes, name: str, **options: Any) -> list[str]:
    """Every message the real importer gives for one file, rendered in French."""
    try:
        report = import_file(data, name, **options).report
    except IngestError as exc:
        return [render(exc.message, "fr")]
    return [render(m, "fr") for m in _messages(report)]


def _messages(report: FileReport) -> list[Message]:
    return ([r.reason for r in report.rejects] + report.notes + report.warnings
            + [c.note for c in report.columns if c.note]
            + ([report.error] if report.error else []))


def test_a_broken_deals_file_reads_in_french() -> None:
    data = csv_bytes([deal("D1"), deal("D1"), deal("", owner="Ann"),
                      deal("D3", created_at="soon"), deal("D4", amount="abc"),
                      deal("D5", status="won", closed_at="")])
    assert _french(data, "cassé.csv")[:5] == [
        "ID de l'affaire en double : déjà présent à la ligne 2 (le premier est gardé)",
        "il manque l'identifiant (ID de l'affaire)",
        "impossible de lire cette valeur comme une date",
        "impossible de lire cette valeur comme un nombre",
        "une affaire gagnée ou perdue doit avoir une date de clôture",
    ]


def test_refused_files_read_in_french() -> None:
    assert _french(b"", "vide.csv") == ["vide.csv : le fichier est vide."]
    assert _french(b"\x89PNG\r\n" + bytes(20), "photo.csv") == [
        "photo.csv : c'est une image PNG, pas un export de CRM (CSV, XLSX)."]
    assert _french(b"Rep,Month\nAnn,2024-01\n", "compensation.csv") == [
        "compensation.csv : ressemble à la table Packages mais n'a pas de colonne pour "
        "Package (mois) ou Package (année) (en-têtes : Rep, Month) ; associez-les à la main."]
    assert _french(GOOD_DEALS, "mapped.csv", mapping={"Nope": "deal_id"}) == [
        "mapped.csv : la correspondance cite des colonnes absentes du fichier : Nope."]


def test_notes_on_a_file_read_in_french_with_french_numbers() -> None:
    titled = b"Pipeline report\n\n" + GOOD_DEALS
    assert "2 ligne(s) au-dessus de l'en-tête ignorée(s)." in _french(titled, "titre.csv")
    many = csv_bytes([deal(f"M{i}", created_at="x") for i in range(10_001)])
    assert f"Seules les 10{NNBSP}000 premières lignes rejetées sont listées." in _french(
        many, "many.csv")
    day_first = csv_bytes([deal("J1", created_at="25/03/2024")], delimiter=";")
    assert "jour en premier (valeurs comme '25/03/2024')" in _french(day_first, "jour.csv")


def test_every_message_of_hostile_files_has_a_code_and_reads_in_french() -> None:
    found: list[Message] = []
    for hostile in HOSTILE:
        try:
            found += _messages(import_file(hostile.data(), hostile.name).report)
        except IngestError as exc:
            found.append(exc.message)
    workspace = Workspace(one_shot=True)
    try:
        workspace.add_file(GOOD_DEALS, "first.csv")
        found += _messages(workspace.add_file(GOOD_DEALS, "second.csv"))
    finally:
        workspace.close()
    codes = {m.code for m in found}
    assert len(codes) > 15 and codes <= set(MESSAGES)
    for message in found:
        assert render(message, "fr") != render(message, "en"), message
