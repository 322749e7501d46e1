"""The importer's English messages in French (kpi.import_messages).

Two halves:
- hand-written French for every template (EXAMPLES), and variable parts that
  must come through unchanged whatever characters they hold;
- a corpus of broken and varied files run through the real importer
  (`import_file`, `Workspace.add_file`): every reason, note, column note and
  error it produces must come out French, so a new or reworded English
  message in kpi/ingest fails here instead of showing English on a French page.
"""

from __future__ import annotations

import gzip
import io
import re
import zipfile
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kpi.import_messages import TEMPLATES, translate
from kpi.ingest import IngestError, import_file
from kpi.schema import TableKind
from kpi.workspace import Workspace
from tests.unit.robustness.hostile_inputs import (
    DEALS_HEADER,
    GOOD_DEALS,
    HOSTILE,
    csv_bytes,
    deal,
    xlsx_bytes,
)

NNBSP = "\u202f"  # French thousands separator (kpi.i18n.format_number)

# (English as the importer writes it, French expected): at least one per template.
EXAMPLES: list[tuple[str, str]] = [
    # --- rejected rows' reasons ---
    ("the id (deal_id) is missing", "il manque l'identifiant (deal_id)"),
    ("the date (created_at) is missing", "il manque la date (created_at)"),
    ("the spend is missing", "il manque la dépense"),
    ("cannot read this as a date", "impossible de lire cette valeur comme une date"),
    ("cannot read this as a month", "impossible de lire cette valeur comme un mois"),
    ("cannot read this as a number", "impossible de lire cette valeur comme un nombre"),
    ("cannot read this as an amount", "impossible de lire cette valeur comme un montant"),
    ("not a plausible number (infinite, NaN or beyond ±1e+15)",
     "nombre invraisemblable (infini, NaN ou au-delà de ±1e+15)"),
    ("the date is outside the years 1970-2100", "la date est hors des années 1970-2100"),
    ("a won or lost deal needs a close date (closed_at)",
     "une affaire gagnée ou perdue doit avoir une date de clôture (closed_at)"),
    ("unknown content type (expected deck_shared, article_shared or own_post)",
     "type de contenu inconnu (attendu : deck_shared, article_shared ou own_post)"),
    ("a package needs a month and an amount, or an annual package",
     "un package doit avoir un mois et un montant, ou un package annuel"),
    ("duplicate deal_id: already on line 4 (first one kept)",
     "deal_id en double : déjà présent à la ligne 4 (le premier est gardé)"),
    ("duplicate lead_id: already loaded from another file (first one kept)",
     "lead_id en double : déjà chargé depuis un autre fichier (le premier est gardé)"),
    ("malformed row: 3 fields instead of 8", "ligne mal formée : 3 champs au lieu de 8"),
    ('malformed row: 2 fields instead of 8; an unbalanced quote (") may run this row over '
     "lines 5-9",
     'ligne mal formée : 2 champs au lieu de 8 ; un guillemet (") non fermé prolonge '
     "peut-être cette ligne sur les lignes 5 à 9"),
    ('malformed row: an unbalanced quote (") runs this row over lines 3-4, which look like rows',
     'ligne mal formée : un guillemet (") non fermé prolonge cette ligne sur les lignes 3 à 4, '
     "qui ressemblent à des lignes de données"),
    ("malformed row: unreadable from here on (line contains NUL)",
     "ligne mal formée : illisible à partir d'ici (line contains NUL)"),
    # --- how a column was read ---
    ("mixed date orders ('25/03/2024' is day first, '3/27/2024' month first); read as DMY, "
     "the majority",
     "ordres de date mélangés ('25/03/2024' a le jour en premier, '3/27/2024' le mois) ; "
     "lu comme DMY, l'ordre majoritaire"),
    ("day first (values like '25/03/2024')", "jour en premier (valeurs comme '25/03/2024')"),
    ("month first (values like '3/27/2024')", "mois en premier (valeurs comme '3/27/2024')"),
    ("ISO dates (year first)", "dates ISO (année en premier)"),
    ("no value decides the date order; read as MDY because the file uses ',' between fields, "
     "as US exports do",
     "aucune valeur ne permet de choisir l'ordre des dates ; lu comme MDY car le fichier "
     "sépare les champs par ',', comme les exports américains"),
    ("no value decides the date order; read as DMY because the file uses ';' between fields",
     "aucune valeur ne permet de choisir l'ordre des dates ; lu comme DMY car le fichier "
     "sépare les champs par ';'"),
    ("no value decides the date order; read as DMY because the file is in a Windows Western "
     "European encoding",
     "aucune valeur ne permet de choisir l'ordre des dates ; lu comme DMY car le fichier est "
     "dans un encodage Windows d'Europe de l'Ouest"),
    ("no value decides the date order; read as DMY because it is the most common order in "
     "spreadsheets",
     "aucune valeur ne permet de choisir l'ordre des dates ; lu comme DMY car c'est l'ordre "
     "le plus courant dans les tableurs"),
    ("no value decides the date order; read as DMY because the file looks European",
     "aucune valeur ne permet de choisir l'ordre des dates ; lu comme DMY car le fichier "
     "semble européen"),
    ("decimal comma (values like '1 234,50'); 2 value(s) looked otherwise",
     "virgule décimale (valeurs comme '1 234,50') ; 2 valeur(s) font exception"),
    ("decimal point (values like '$1,234.56')", "point décimal (valeurs comme '$1,234.56')"),
    ("no value decides the decimal mark; read '.' as decimal because it is the most common "
     "mark in spreadsheets",
     "aucune valeur ne permet de choisir le séparateur décimal ; '.' lu comme séparateur "
     "décimal car c'est le séparateur le plus courant dans les tableurs"),
    ("no value decides the decimal mark; read ',' as decimal because the file uses '\\t' "
     "between fields",
     "aucune valeur ne permet de choisir le séparateur décimal ; ',' lu comme séparateur "
     "décimal car le fichier sépare les champs par '\\t'"),
    ("ignored: amount is read from 'Amount', which comes first",
     "ignorée : « Montant » est lu dans la colonne 'Amount', qui vient avant"),
    # --- notes on the file ---
    ("2 line(s) above the header were skipped.",
     "2 ligne(s) au-dessus de l'en-tête ignorée(s)."),
    ("1 row(s) above the header were skipped.", "1 ligne(s) au-dessus de l'en-tête ignorée(s)."),
    ("A footer after the data (totals, copyright) was skipped.",
     "Un pied de page après les données (totaux, copyright) a été ignoré."),
    ("Sheet 'Deals' was read (of 3 sheets).", "La feuille 'Deals' a été lue (sur 3 feuilles)."),
    ("Column(s) 'tags' (list<item: string>) were ignored: nested values cannot be read as text.",
     "Colonne(s) 'tags' (list<item: string>) ignorée(s) : des valeurs imbriquées ne se lisent "
     "pas comme du texte."),
    ("The file has a header but no data rows.",
     "Le fichier a un en-tête mais aucune ligne de données."),
    ("Status values read as open: 'Négo', 'weird'.",
     "Valeurs de statut lues comme en cours (open) : 'Négo', 'weird'."),
    ("3 row(s) had no amount and count as 0.", "3 ligne(s) sans montant, comptée(s) pour 0."),
    ("Only the first 10000 rejected rows are listed.",
     "Seules les 10000 premières lignes rejetées sont listées."),
    ("2 deleted deal(s) were dropped.", "2 affaire(s) supprimée(s) écartée(s)."),
    ("Several currencies (EUR, USD): money figures are shown one currency at a time, never "
     "added together.",
     "Plusieurs devises (EUR, USD) : les montants sont présentés devise par devise, jamais "
     "additionnés."),
    ("3 deal(s) close before their creation date: they are kept and counted, but left out of "
     "the sales cycle.",
     "3 affaire(s) clôturée(s) avant leur date de création : gardée(s) et comptée(s), mais hors "
     "du calcul du cycle de vente."),
    ("Every deal reads as open: no status or stage value says won or lost ('Conclue gagnée', "
     "'Conclue perdue'); map the ones that do.",
     "Toutes les affaires se lisent en cours : aucune valeur de statut ou d'étape ne dit gagnée "
     "ou perdue ('Conclue gagnée', 'Conclue perdue') ; associez celles qui le disent."),
    ("The file has no deal id column: each row's id is the file name and line; its rows are "
     "not checked against other files for duplicates.",
     "Le fichier n'a pas de colonne d'identifiant d'affaire : chaque ligne est identifiée par "
     "le nom du fichier et son numéro ; ses lignes ne sont pas comparées aux autres fichiers "
     "pour les doublons."),
    ("Most sources read as other (75 % of rows): 'Salon pro', 'Bouche'; map them to channels.",
     "La plupart des sources se lisent « autre » (75 % des lignes) : 'Salon pro', 'Bouche' ; "
     "associez-les à des canaux."),
    # --- refused files ---
    ("x.csv: the file is empty.", "x.csv : le fichier est vide."),
    ("x.xlsx: this is an old .xls or a password-protected Excel file; save it as .xlsx (without "
     "password) or CSV and upload it again.",
     "x.xlsx : c'est un ancien fichier .xls ou un fichier Excel protégé par mot de passe ; "
     "enregistrez-le en .xlsx (sans mot de passe) ou en CSV, puis importez-le à nouveau."),
    ("x.csv: this is a PNG image, not a CRM export (CSV, XLSX).",
     "x.csv : c'est une image PNG, pas un export de CRM (CSV, XLSX)."),
    ("x.csv: this is a 7-Zip archive, not a CRM export (CSV, XLSX).",
     "x.csv : c'est une archive 7-Zip, pas un export de CRM (CSV, XLSX)."),
    ("x.csv: the header has 90,001 columns (at most 10,000 are read); this does not look like "
     "a CRM export.",
     f"x.csv : l'en-tête a 90{NNBSP}001 colonnes (au plus 10{NNBSP}000 sont lues) ; ce n'est "
     "pas un export de CRM."),
    ("x.csv: the file contains binary data (NUL bytes from line 3002); it is not a text export.",
     "x.csv : le fichier contient des données binaires (des octets NUL dès la ligne 3002) ; ce "
     "n'est pas un export texte."),
    ("Column 'Vendeur' was read as owner from its values: 3 different names like 'Ann' over "
     "87 rows.",
     "La colonne 'Vendeur' a été lue comme « Propriétaire (commercial) » d'après ses valeurs : 3 noms différents comme "
     "'Ann' sur 87 lignes."),
    ("suggested from its values: 92 % of values are dates like '15/03/2024'; earlier than "
     "'Clos le' on 100 % of the rows with both, so the creation date",
     "suggéré d'après ses valeurs : 92 % des valeurs sont des dates comme '15/03/2024' ; "
     "antérieure à 'Clos le' sur 100 % des lignes qui ont les deux, donc la date de création"),
    ("suggested from its values: the only date column, so the creation date (or the closing "
     "date); 'Échéance' looks alike",
     "suggéré d'après ses valeurs : la seule colonne de dates, donc la date de création (ou la "
     "date de clôture) ; 'Échéance' lui ressemble"),
    ("The file has no creation date: each deal's is its lead's (lead_id); deals whose lead is "
     "not loaded are rejected.",
     "Le fichier n'a pas de date de création : celle de chaque affaire est celle de sa piste "
     "(lead_id) ; les affaires dont la piste n'est pas chargée sont rejetées."),
    ("Columns read with the mapping saved for files with these headers.",
     "Colonnes lues avec la correspondance enregistrée pour les fichiers à ces en-têtes."),
    ("The file has no amount column: every deal counts as 0.",
     "Le fichier n'a pas de colonne de montant : chaque affaire compte pour 0."),
    ("48 stray NUL byte(s) were removed (the first on line 15).",
     "48 octet(s) NUL parasite(s) supprimé(s) (le premier à la ligne 15)."),
    ("x.csv: no header row found in the first lines.",
     "x.csv : aucune ligne d'en-tête dans les premières lignes."),
    ("x.csv: the file cannot be read as CSV (CSV parse error: Expected 3 columns, got 2).",
     "x.csv : impossible de lire le fichier comme un CSV (CSV parse error: Expected 3 columns, "
     "got 2)."),
    ("x.xlsx: the Excel file cannot be opened (could not read workbook).",
     "x.xlsx : impossible d'ouvrir le fichier Excel (could not read workbook)."),
    ("x.xlsx: there is no sheet named 'Nope'.", "x.xlsx : aucune feuille ne s'appelle 'Nope'."),
    ("x.xlsx: sheet 'Deals' cannot be read (bad cell).",
     "x.xlsx : impossible de lire la feuille 'Deals' (bad cell)."),
    ("x.xlsx: the workbook has no data.", "x.xlsx : le classeur ne contient aucune donnée."),
    ("x.xlsx: the file is a damaged or truncated ZIP archive, not a readable Excel workbook; "
     "export it again.",
     "x.xlsx : le fichier est une archive ZIP endommagée ou tronquée, pas un classeur Excel "
     "lisible ; exportez-le à nouveau."),
    ("x.zip: this is a ZIP archive, not an Excel workbook; unzip it and upload the export it "
     "holds.",
     "x.zip : c'est une archive ZIP, pas un classeur Excel ; décompressez-la et importez "
     "l'export qu'elle contient."),
    ("x.xlsx: the workbook is too large once uncompressed (5,120 MB); export it as CSV instead.",
     f"x.xlsx : le classeur est trop volumineux une fois décompressé (5{NNBSP}120 Mo) ; "
     "exportez-le plutôt en CSV."),
    ("x.parquet: the Parquet file cannot be read (Parquet magic bytes not found in footer.).",
     "x.parquet : impossible de lire le fichier Parquet (Parquet magic bytes not found in "
     "footer.)."),
    ("x.parquet: the Parquet file is too large once uncompressed (250,000,000 rows, 12 MB).",
     f"x.parquet : le fichier Parquet est trop volumineux une fois décompressé "
     f"(250{NNBSP}000{NNBSP}000 lignes, 12 Mo)."),
    ("x.csv: the file is too large for the memory this session has; split it or upload fewer "
     "columns.",
     "x.csv : le fichier est trop volumineux pour la mémoire de cette session ; découpez-le ou "
     "importez moins de colonnes."),
    ("x.csv: the mapping names columns the file does not have: Foo, bar.",
     "x.csv : la correspondance cite des colonnes absentes du fichier : Foo, bar."),
    ("x.csv: choose which table this file is.", "x.csv : choisissez la table de ce fichier."),
    ("x.csv: no column was recognised (headers: foo, bar); choose the table and map the "
     "columns by hand.",
     "x.csv : aucune colonne reconnue (en-têtes : foo, bar) ; choisissez la table et associez "
     "les colonnes à la main."),
    ("x.csv: looks like compensation but has no column for package or annual_package "
     "(headers: Rep, Month); map them by hand.",
     "x.csv : ressemble à la table Packages mais n'a pas de colonne pour Package (mois) ou "
     "Package (année) (en-têtes : Rep, Month) ; associez-les à la main."),
    ("x.csv: as deals, the file has no column for created_at, amount; map one by hand.",
     "x.csv : comme table Affaires, le fichier n'a pas de colonne pour Date de création, Montant ; "
     "associez-en une à la main."),
]


@pytest.mark.parametrize(("english", "french"), EXAMPLES, ids=[e[:50] for e, _ in EXAMPLES])
def test_each_message_reads_in_french(english: str, french: str) -> None:
    assert translate(english, "fr") == french
    assert translate(english, "en") == english


def test_every_template_has_a_hand_written_example() -> None:
    missing = [tpl.english for tpl in TEMPLATES
               if not any(tpl.pattern.match(english) for english, _ in EXAMPLES)]
    assert not missing


# Names a user may give a file or a column: regex syntax, quotes, Markdown, HTML,
# braces (str.format), a colon and the template's own words.
ODD_NAMES = [
    "a.b*c+(d)?[e]{f}|^$\\1.csv",
    "O'Brien \"quoted\" <b>HTML</b> & é.csv",
    "[win](https://evil.example).csv",
    "{0}{file}%s.csv",
    "report: the file is empty.csv",
]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_file_names_come_through_exactly(name: str) -> None:
    assert translate(f"{name}: the file is empty.", "fr") == f"{name} : le fichier est vide."
    headers = f"{name}, Montant"
    assert translate(
        f"{name}: no column was recognised (headers: {headers}); choose the table and map the "
        "columns by hand.", "fr"
    ) == (f"{name} : aucune colonne reconnue (en-têtes : {headers}) ; choisissez la table et "
          "associez les colonnes à la main.")


@pytest.mark.parametrize("name", ODD_NAMES)
def test_quoted_values_come_through_exactly(name: str) -> None:
    source = repr(name)  # the importer writes column names and values with !r
    assert translate(f"ignored: deal_id is read from {source}, which comes first", "fr") == (
        f"ignorée : « ID de l'affaire » est lu dans la colonne {source}, qui vient avant")
    value = repr("25/03/2024 " + name)
    assert translate(f"day first (values like {value})", "fr") == (
        f"jour en premier (valeurs comme {value})")
    assert translate(f"Sheet {source} was read (of 2 sheets).", "fr") == (
        f"La feuille {source} a été lue (sur 2 feuilles).")


def test_a_value_holding_the_templates_words_is_not_cut() -> None:
    tricky = repr("1/13/2024' is day first, '2")
    english = (f"mixed date orders ({tricky} is day first, '3/27/2024' month first); "
               "read as MDY, the majority")
    assert translate(english, "fr") == (
        f"ordres de date mélangés ({tricky} a le jour en premier, '3/27/2024' le mois) ; "
        "lu comme MDY, l'ordre majoritaire")


@pytest.mark.parametrize("message", [
    "", "something new the importer says", "{file}", "x.csv: the file is empty", "\x00",
    "duplicate : (", "the id (deal_id) is missing.",
])
def test_unknown_messages_are_returned_unchanged(message: str) -> None:
    assert translate(message, "fr") == message


def test_a_phrase_outside_the_closed_sets_stays_inside_the_french_sentence() -> None:
    assert translate("cannot read this as a spaceship", "fr") == (
        "impossible de lire cette valeur comme a spaceship")
    assert translate("malformed row: something else", "fr") == (
        "ligne mal formée : something else")


def test_other_languages_get_the_message_as_it_is() -> None:
    assert translate("x.csv: the file is empty.", "de") == "x.csv: the file is empty."


# --------------------------------------------------------------------------
# The real importer's messages
# --------------------------------------------------------------------------

# Words that give English away; none may be left in a French message (outside
# the values the corpus puts in, which avoid them).
ENGLISH_MARKERS = [
    " the ", " is ", " are ", " was ", " were ", " has ", " have ", "cannot", "missing",
    " not ", " row", " line", "found", "which", "choose", "by hand", "looks like", "read as",
    "values like", "first", "skipped", "ignored", "header", " needs ", " before ", "unknown",
    "duplicate", "malformed", "decides", "because", "sheet", "mixed", " no ", "empty",
]
# A library's own words, quoted in parentheses, stay as the library wrote them.
_LIBRARY_TEXT = re.compile(r"(?:cannot be (?:read|opened)(?: as CSV)?|unreadable from here on) "
                           r"\((.*)\)\.?$")

DEALS = ["deal_id", "owner", "status", "amount", "created_at", "closed_at"]


def _csv(header: list[str], rows: list[list[str]], **options: Any) -> bytes:
    return csv_bytes(rows, header, **options)


def _parquet_with_nested_column() -> bytes:
    table = pa.table({"deal_id": ["P1"], "owner": ["Ann"], "amount": ["10"],
                      "created_at": ["2024-01-01"], "tags": pa.array([["a", "b"]])})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _empty_workbook() -> bytes:
    return xlsx_bytes(lambda workbook: workbook.add_worksheet("Vide"))


def _two_sheets() -> bytes:
    def build(workbook: Any) -> None:
        workbook.add_worksheet("Notes").write_string(0, 0, "Export")
        sheet = workbook.add_worksheet("Deals")
        sheet.write_row(0, 0, ["Deal ID", "Deal owner", "Amount", "Create Date"])
        sheet.write_row(1, 0, ["X1", "Zed", 7, "2024-01-01"])
    return xlsx_bytes(build)


# (file name, bytes, import_file keyword arguments): every kind of message.
CORPUS: list[tuple[str, bytes, dict[str, Any]]] = [
    *((h.name, h.data(), {}) for h in HOSTILE),
    # Unknown headers: read from their values, or suggested; a date order from the file.
    ("maison.csv", b"Ref,Personne,Chiffre,Ouvert le,Clos le,Etat\n" + b"".join(
        f"R{i},{'Ann Lee' if i % 2 else 'Bo Chen'},\"1 {i}00,50\",0{i}/01/2024,{10 + i}/01/2024,"
        f"{'Gagné' if i % 2 else 'Perdu'}\n".encode() for i in range(1, 9)), {}),
    ("petit.csv", b"Ref,Personne,Chiffre,amount\nR1,Ann,x,10\nR2,Bo,y,20\n", {}),
    ("currencies.csv", b"deal_id,owner,amount,created_at,currency\n"
                       b"C1,Ann,10,2024-01-01,EUR\nC2,Ann,10,2024-01-01,USD\n", {}),
    # No id column, every stage reads as open, sources mostly `other`.
    ("no-id.csv", b"Deal owner,Amount,Create Date,Deal Stage,Source,Currency\n"
                  b"Ann,10,2024-01-01,Conclue gagnee,Salon pro,EUR\n"
                  b"Ann,20,2024-01-02,Ouverte,Bouche,USD\n", {}),
    ("values.csv", _csv(DEALS + ["currency", "Amount"], [
        ["", "Ann", "open", "10", "2024-01-01", "", "EUR", "1"],          # no id
        ["V2", "Ann", "open", "10", "", "", "EUR", "1"],                  # no date
        ["V3", "Ann", "open", "12.50", "soon", "", "USD", "1"],           # unreadable date
        ["V4", "Ann", "open", "abc", "2024-01-01", "", "EUR", "1"],       # unreadable number
        ["V5", "Ann", "deleted", "10", "2024-01-01", "", "EUR", "1"],     # dropped
        ["V6", "Ann", "weird", "", "2024-01-01", "", "EUR", "1"],         # unknown status
        ["V7", "Ann", "won", "1.5", "25/03/2024", "3/27/2024", "EUR", "1"],
    ]), {}),
    ("decimal.csv", _csv(DEALS, [
        ["C1", "Ann", "open", "1.234,5", "2024-01-01", ""],
        ["C2", "Ann", "open", "12,5", "2024-01-01", ""],
        ["C3", "Ann", "open", "1.50", "2024-01-01", ""],
    ], delimiter=";"), {}),
    ("ambigu.csv", _csv(DEALS, [["A1", "Ann", "open", "100", "01/02/2024", ""]],
                        delimiter=";"), {}),
    ("windows.csv", _csv(DEALS, [["W1", "Hélène", "open", "100", "01/02/2024", ""]],
                         encoding="cp1252"), {}),
    ("pipes.csv", _csv(DEALS, [["P1", "Ann", "open", "100", "01/02/2024", ""]],
                       delimiter="|"), {}),
    ("titre.csv", b"Pipeline report\n\n" + GOOD_DEALS + b"Grand Totals (4 records),,,,4000\n",
     {}),
    ("quotes.csv", csv_bytes([deal("Q1")]) + b'Q2,Name,Cy,open,100,2024-04-01,,"Webinar\n'
     + ",".join(deal("Q3")).encode() + b"\n", {}),
    ("quotes2.csv", csv_bytes([deal("R1")]) + b'R2,"Acme,Ann,open\n'
     + ",".join(deal("R3")).encode() + b"\n", {}),
    ("many.csv", _csv(DEALS_HEADER, [deal(f"M{i}", created_at="x") for i in range(10_001)]),
     {}),
    ("costs.csv", _csv(["channel", "month", "spend"], [
        ["LinkedIn", "2024-01", ""], ["LinkedIn", "garbage", "10"], ["Webinar", "", "10"]]), {}),
    ("content.csv", _csv(["date", "owner", "kind"], [["2024-01-01", "Ann", "video"]]), {}),
    ("packages.csv", _csv(["owner", "month", "package"], [["Ann", "2024-01", ""]]), {}),
    ("leads.csv", _csv(["lead_id", "created_at"], [["", "2024-01-01"], ["L2", "2024-01-01"]]),
     {}),
    ("nested.parquet", _parquet_with_nested_column(), {}),
    ("two.xlsx", _two_sheets(), {}),
    ("two.xlsx", _two_sheets(), {"sheet": "Nope"}),
    ("vide.xlsx", _empty_workbook(), {}),
    ("faux.xlsx", _zip({"xl/workbook.xml": b"<oops"}), {}),
    ("blank.csv", b",,\n,,\n", {}),
    ("photo.csv", gzip.compress(b"x"), {}),
    ("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(20), {}),
    ("photo.gif", b"GIF89a" + bytes(20), {}),
    ("paquet.7z", b"7z\xbc\xaf\x27\x1c" + bytes(20), {}),
    ("paquet.rar", b"Rar!\x1a\x07" + bytes(20), {}),
    ("compensation.csv", b"Rep,Month\nAnn,2024-01\n", {}),
    ("mapped.csv", GOOD_DEALS, {"mapping": {"Nope": "deal_id"}}),
    ("mapped.csv", b"Couleur,Forme\nbleu,rond\n", {"mapping": {"Couleur": "deal_name"}}),
    ("mapped.csv", GOOD_DEALS, {"kind": TableKind.DEALS, "mapping": {"deal_id": "deal_id"}}),
]


def _messages(data: bytes, name: str, **options: Any) -> list[str]:
    try:
        report = import_file(data, name, **options).report
    except IngestError as exc:
        refused = getattr(exc, "report", None)
        return [str(exc)] + ([c.note for c in refused.columns if c.note] if refused else [])
    return ([r.reason for r in report.rejects] + report.notes + report.warnings
            + [c.note for c in report.columns if c.note])


@pytest.fixture(scope="module")
def importer_messages() -> set[str]:
    """Every distinct message the real importer gives for the corpus, and the workspace's."""
    messages: set[str] = set()
    for name, data, options in CORPUS:
        messages.update(_messages(data, name, **options))
    workspace = Workspace(one_shot=True)
    try:
        # Won deals whose creation dates come from the leads they link to.
        workspace.add_file(b"lead_id,created_at\nL1,2024-01-02\n", "leads.csv")
        linked = workspace.add_file(b"mql_id,sr_id,won_date\nL1,Ann,2024-02-01\n"
                                    b"L9,Ann,2024-02-01\n", "won.csv")
        messages.update(linked.notes + [r.reason for r in linked.rejects])
        # A mapping saved for these headers, applied to the next file that has them.
        odd = b"Ref,Qui,Combien,Depuis\nR1,Ann,10,2024-01-01\n"
        workspace.add_file(odd, "odd.csv", kind=TableKind.DEALS, mapping={
            "Ref": "deal_id", "Qui": "owner", "Combien": "amount", "Depuis": "created_at"})
        workspace.save_mapping("odd.csv")
        saved = workspace.add_file(odd.replace(b"R1", b"R2"), "again.csv")
        messages.update(saved.notes)
        workspace.add_file(GOOD_DEALS, "first.csv")
        report = workspace.add_file(GOOD_DEALS, "second.csv")
        messages.update(r.reason for r in report.rejects)
    finally:
        workspace.close()
    return messages


# Templates no small file can produce: a library failing on a file it opened,
# a workbook or Parquet file of gigabytes, a session out of memory. The
# hand-written EXAMPLES cover them.
UNREACHABLE = {
    "{file}: the file cannot be read as CSV ({error}).",
    "{file}: sheet {sheet} cannot be read ({error}).",
    "{file}: the workbook is too large once uncompressed ({size} MB); export it as CSV instead.",
    "{file}: the Parquet file is too large once uncompressed ({rows} rows, {size} MB).",
    "{file}: the file is too large for the memory this session has; split it or upload fewer "
    "columns.",
}


def test_the_corpus_produces_every_reachable_message(importer_messages: set[str]) -> None:
    """Otherwise the French check below would pass on a corpus that lost its broken files."""
    not_reached = {tpl.english for tpl in TEMPLATES
                   if not any(tpl.pattern.match(m) for m in importer_messages)}
    assert not_reached == UNREACHABLE


def test_every_message_of_the_real_importer_reads_in_french(importer_messages: set[str]) -> None:
    english_left = {}
    for message in sorted(importer_messages):
        french = translate(message, "fr")
        library = _LIBRARY_TEXT.search(message)
        checked = french.replace(library.group(1), "") if library else french
        found = [m for m in ENGLISH_MARKERS if m in f" {checked.lower()} "]
        if french == message or found:
            english_left[message] = (french, found)
    assert not english_left
