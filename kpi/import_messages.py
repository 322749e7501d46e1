"""The importer's English messages, shown in the page's language.

`kpi.ingest` writes its reasons, notes and errors in English only (it also
serves the command line and has no notion of a session language). The Data
page shows them to users who may read French, so this module recognises each
message by the fixed English words of its template and renders the French
template with the same variable parts: file names, column names, values and
line numbers come through unchanged (only thousands the importer grouped with
English commas are regrouped the French way, so "10,000" is not read as ten).

Each entry below copies one f-string of kpi/ingest/*.py or kpi/workspace.py:
`{name}` marks a variable part. A message no template matches is returned as
it is: an untranslated sentence is better than a crash or a wrong one.
No Streamlit here, so the command line could use it too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from kpi.i18n import format_number, t

# A Python repr() of a string, as the importer writes values ('25/03/2024'):
# matched whole, so a value holding the template's own words cannot cut it.
_REPR = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""
_INT = r"\d+"
_GROUPED = r"\d{1,3}(?:,\d{3})*"  # an int the importer formatted with {:,}


@dataclass(frozen=True)
class Template:
    """One English message template and its French rendering.

    `english` is the importer's text with `{name}` for each variable part;
    a part matches any text unless `parts` gives its regex. `convert` turns a
    captured part into French (a phrase from a closed set, a number).
    """

    english: str
    french: str
    parts: dict[str, str] = field(default_factory=dict)
    convert: dict[str, Callable[[str], str]] = field(default_factory=dict)
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        regex = ""
        for literal, name in re.findall(r"([^{]*)(?:\{(\w+)\})?", self.english):
            regex += re.escape(literal)
            if name:
                regex += f"(?P<{name}>{self.parts.get(name, '.+?')})"
        object.__setattr__(self, "pattern", re.compile(f"^{regex}$", re.DOTALL))

    def render(self, message: str) -> str | None:
        """The French message, or None when `message` is not of this template."""
        match = self.pattern.match(message)
        if match is None:
            return None
        values = {name: self.convert.get(name, str)(value)
                  for name, value in match.groupdict().items()}
        return self.french.format(**values)


def _first_match(templates: list[Template], message: str) -> str | None:
    for template in templates:
        french = template.render(message)
        if french is not None:
            return french
    return None


def _phrases(*templates: Template) -> Callable[[str], str]:
    """A converter for a part that is itself an English phrase from a closed set."""
    table = list(templates)
    return lambda phrase: _first_match(table, phrase) or phrase


def _words(mapping: dict[str, str]) -> Callable[[str], str]:
    return _phrases(*(Template(english, french) for english, french in mapping.items()))


def _french_number(grouped: str) -> str:
    """'90,001' (English grouping) -> '90 001': the same number, as French reads it."""
    return format_number(int(grouped.replace(",", "")), "fr")


def _table_name(kind: str) -> str:
    """'deals' -> 'Affaires', the name the Data page gives the table."""
    key = f"table.{kind}"
    try:
        return t(key, "fr")
    except KeyError:
        return kind


def _field_label(name: str) -> str:
    """'deal_id' -> "ID de l'affaire": the name the Data page's editor shows."""
    try:
        return t(f"field.{name}", "fr")
    except KeyError:
        return name


def _field_list(fields: str) -> str:
    """'deal_id, package or annual_package' -> the fields' French labels, 'ou'."""
    return ", ".join(" ou ".join(_field_label(name) for name in group.split(" or "))
                     for group in fields.split(", "))


# --- closed sets of phrases the importer puts inside its messages ----------------

_WHAT_FILE = _words({
    "a PNG image": "une image PNG", "a PDF document": "un document PDF",
    "a GIF image": "une image GIF", "a JPEG image": "une image JPEG",
    "a gzip archive": "une archive gzip", "a 7-Zip archive": "une archive 7-Zip",
    "a RAR archive": "une archive RAR",
})
_WHAT_VALUE = _words({
    "a date": "une date", "a month": "un mois", "a number": "un nombre",
    "an amount": "un montant",
})
_LABEL = _phrases(
    Template("the id ({field})", "l'identifiant ({field})"),
    Template("the date ({field})", "la date ({field})"),
    Template("the spend", "la dépense"),
    Template("the amount", "le montant"),
)
# Why a column's date order or decimal mark came from the file as a whole
# (kpi.ingest.pipeline._hints and the defaults of kpi.ingest.normalise.Hints).
_HINT_REASON = _phrases(
    Template("the file uses ',' between fields, as US exports do",
             "le fichier sépare les champs par ',', comme les exports américains"),
    Template("the file uses {delimiter} between fields",
             "le fichier sépare les champs par {delimiter}", {"delimiter": _REPR}),
    Template("the file is in a Windows Western European encoding",
             "le fichier est dans un encodage Windows d'Europe de l'Ouest"),
    Template("it is the most common order in spreadsheets",
             "c'est l'ordre le plus courant dans les tableurs"),
    Template("it is the most common mark in spreadsheets",
             "c'est le séparateur le plus courant dans les tableurs"),
    Template("the file looks European", "le fichier semble européen"),
    Template("the file's other date columns are day first",
             "les autres colonnes de dates du fichier ont le jour en premier"),
    Template("the file's other date columns are month first",
             "les autres colonnes de dates du fichier ont le mois en premier"),
)
_DECIMAL_MARK = _words({"comma": "virgule décimale", "point": "point décimal"})

# --- the messages ----------------------------------------------------------------

# The text after "malformed row: " (kpi.ingest.read._read_with_python).
_BROKEN_ROW = [
    Template('{found} fields instead of {expected}; an unbalanced quote (") may run this row '
             "over lines {first}-{last}",
             '{found} champs au lieu de {expected} ; un guillemet (") non fermé prolonge '
             "peut-être cette ligne sur les lignes {first} à {last}",
             {"found": _INT, "expected": _INT, "first": _INT, "last": _INT}),
    Template('an unbalanced quote (") runs this row over lines {first}-{last}, which look like '
             "rows",
             'un guillemet (") non fermé prolonge cette ligne sur les lignes {first} à {last}, '
             "qui ressemblent à des lignes de données",
             {"first": _INT, "last": _INT}),
    Template("{found} fields instead of {expected}", "{found} champs au lieu de {expected}",
             {"found": _INT, "expected": _INT}),
    # The part in parentheses is Python's csv module's own (English) error.
    Template("unreadable from here on ({error})", "illisible à partir d'ici ({error})"),
]

# Rejected rows' reasons (kpi.ingest.normalise, kpi.ingest.pipeline, kpi.workspace).
REASONS = [
    Template("{label} is missing", "il manque {label}", convert={"label": _LABEL}),
    Template("cannot read this as {what}", "impossible de lire cette valeur comme {what}",
             convert={"what": _WHAT_VALUE}),
    Template("not a plausible number (infinite, NaN or beyond ±{limit})",
             "nombre invraisemblable (infini, NaN ou au-delà de ±{limit})"),
    Template("the date is outside the years {first}-{last}",
             "la date est hors des années {first}-{last}", {"first": _INT, "last": _INT}),
    Template("a won or lost deal needs a close date (closed_at)",
             "une affaire gagnée ou perdue doit avoir une date de clôture (closed_at)"),
    Template("unknown content type (expected deck_shared, article_shared or own_post)",
             "type de contenu inconnu (attendu : deck_shared, article_shared ou own_post)"),
    Template("a package needs a month and an amount, or an annual package",
             "un package doit avoir un mois et un montant, ou un package annuel"),
    Template("duplicate {field}: already on line {line} (first one kept)",
             "{field} en double : déjà présent à la ligne {line} (le premier est gardé)",
             {"field": r"\w+", "line": _INT}),
    Template("duplicate {field}: already loaded from another file (first one kept)",
             "{field} en double : déjà chargé depuis un autre fichier (le premier est gardé)",
             {"field": r"\w+"}),
    Template("malformed row: {reason}", "ligne mal formée : {reason}",
             convert={"reason": _phrases(*_BROKEN_ROW)}),
]

# How one column's values were read (kpi.ingest.parse decisions, kpi.ingest.pipeline).
COLUMN_NOTES = [
    Template("mixed date orders ({day_first} is day first, {month_first} month first); "
             "read as {order}, the majority",
             "ordres de date mélangés ({day_first} a le jour en premier, {month_first} le mois) ; "
             "lu comme {order}, l'ordre majoritaire",
             {"day_first": _REPR, "month_first": _REPR, "order": r"[A-Z]{3}"}),
    Template("day first (values like {example})", "jour en premier (valeurs comme {example})",
             {"example": _REPR}),
    Template("month first (values like {example})", "mois en premier (valeurs comme {example})",
             {"example": _REPR}),
    Template("ISO dates (year first)", "dates ISO (année en premier)"),
    Template("no value decides the date order; read as {order} because {reason}",
             "aucune valeur ne permet de choisir l'ordre des dates ; lu comme {order} car "
             "{reason}", {"order": r"[A-Z]{3}"}, {"reason": _HINT_REASON}),
    Template("decimal {mark} (values like {example}); {count} value(s) looked otherwise",
             "{mark} (valeurs comme {example}) ; {count} valeur(s) font exception",
             {"mark": "comma|point", "example": _REPR, "count": _INT},
             {"mark": _DECIMAL_MARK}),
    Template("decimal {mark} (values like {example})", "{mark} (valeurs comme {example})",
             {"mark": "comma|point", "example": _REPR}, {"mark": _DECIMAL_MARK}),
    Template("no value decides the decimal mark; read {mark} as decimal because {reason}",
             "aucune valeur ne permet de choisir le séparateur décimal ; {mark} lu comme "
             "séparateur décimal car {reason}", {"mark": _REPR}, {"reason": _HINT_REASON}),
    Template("ignored: {field} is read from {source}, which comes first",
             "ignorée : « {field} » est lu dans la colonne {source}, qui vient avant",
             {"field": r"\w+", "source": _REPR}, {"field": _field_label}),
]

# Notes on the file as a whole (kpi.ingest.read, normalise, pipeline; kpi.workspace).
NOTES = [
    Template("{count} stray NUL byte(s) were removed (the first on line {line}).",
             "{count} octet(s) NUL parasite(s) supprimé(s) (le premier à la ligne {line}).",
             {"count": _INT, "line": _INT}),
    Template("{count} line(s) above the header were skipped.",
             "{count} ligne(s) au-dessus de l'en-tête ignorée(s).", {"count": _INT}),
    Template("{count} row(s) above the header were skipped.",
             "{count} ligne(s) au-dessus de l'en-tête ignorée(s).", {"count": _INT}),
    Template("A footer after the data (totals, copyright) was skipped.",
             "Un pied de page après les données (totaux, copyright) a été ignoré."),
    Template("Sheet {sheet} was read (of {count} sheets).",
             "La feuille {sheet} a été lue (sur {count} feuilles).",
             {"sheet": _REPR, "count": _INT}),
    Template("Column(s) {columns} were ignored: nested values cannot be read as text.",
             "Colonne(s) {columns} ignorée(s) : des valeurs imbriquées ne se lisent pas "
             "comme du texte."),
    Template("The file has a header but no data rows.",
             "Le fichier a un en-tête mais aucune ligne de données."),
    Template("Status values read as open: {values}.",
             "Valeurs de statut lues comme en cours (open) : {values}."),
    Template("{count} row(s) had no amount and count as 0.",
             "{count} ligne(s) sans montant, comptée(s) pour 0.", {"count": _INT}),
    Template("Only the first {count} rejected rows are listed.",
             "Seules les {count} premières lignes rejetées sont listées.", {"count": _INT}),
    Template("{count} deleted deal(s) were dropped.",
             "{count} affaire(s) supprimée(s) écartée(s).", {"count": _INT}),
    Template("Several currencies ({currencies}): money figures are shown one currency at a "
             "time, never added together.",
             "Plusieurs devises ({currencies}) : les montants sont présentés devise par devise, "
             "jamais additionnés."),
    Template("{count} deal(s) close before their creation date: they are kept and counted, "
             "but left out of the sales cycle.",
             "{count} affaire(s) clôturée(s) avant leur date de création : gardée(s) et "
             "comptée(s), mais hors du calcul du cycle de vente.", {"count": _INT}),
    Template("The file has no creation date: each deal's is its lead's (lead_id); deals "
             "whose lead is not loaded are rejected.",
             "Le fichier n'a pas de date de création : celle de chaque affaire est celle de "
             "sa piste (lead_id) ; les affaires dont la piste n'est pas chargée sont rejetées."),
    Template("Columns read with the mapping saved for files with these headers.",
             "Colonnes lues avec la correspondance enregistrée pour les fichiers à ces "
             "en-têtes."),
    Template("The file has no amount column: every deal counts as 0.",
             "Le fichier n'a pas de colonne de montant : chaque affaire compte pour 0."),
    Template("The file has no deal id column: each row's id is the file name and line; its "
             "rows are not checked against other files for duplicates.",
             "Le fichier n'a pas de colonne d'identifiant d'affaire : chaque ligne est "
             "identifiée par le nom du fichier et son numéro ; ses lignes ne sont pas "
             "comparées aux autres fichiers pour les doublons."),
    Template("Every deal reads as open: no status or stage value says won or lost ({values}); "
             "map the ones that do.",
             "Toutes les affaires se lisent en cours : aucune valeur de statut ou d'étape ne "
             "dit gagnée ou perdue ({values}) ; associez celles qui le disent."),
    Template("Most sources read as other ({share} % of rows): {values}; map them to channels.",
             "La plupart des sources se lisent « autre » ({share} % des lignes) : {values} ; "
             "associez-les à des canaux.", {"share": _INT}),
]

# Why a whole file was refused: UnreadableFile, always "<file name>: <sentence>".
ERRORS = [
    Template("{file}: the file is empty.", "{file} : le fichier est vide."),
    Template("{file}: this is an old .xls or a password-protected Excel file; save it as .xlsx "
             "(without password) or CSV and upload it again.",
             "{file} : c'est un ancien fichier .xls ou un fichier Excel protégé par mot de "
             "passe ; enregistrez-le en .xlsx (sans mot de passe) ou en CSV, puis importez-le "
             "à nouveau."),
    Template("{file}: this is {what}, not a CRM export (CSV, XLSX).",
             "{file} : c'est {what}, pas un export de CRM (CSV, XLSX).",
             convert={"what": _WHAT_FILE}),
    Template("{file}: the header has {count} columns (at most {limit} are read); this does "
             "not look like a CRM export.",
             "{file} : l'en-tête a {count} colonnes (au plus {limit} sont lues) ; ce n'est "
             "pas un export de CRM.",
             {"count": _GROUPED, "limit": _GROUPED},
             {"count": _french_number, "limit": _french_number}),
    Template("{file}: the file contains binary data (NUL bytes from line {line}); it is not a "
             "text export.",
             "{file} : le fichier contient des données binaires (des octets NUL dès la ligne "
             "{line}) ; ce n'est pas un export texte.", {"line": _INT}),
    Template("{file}: no header row found in the first lines.",
             "{file} : aucune ligne d'en-tête dans les premières lignes."),
    # The parts in parentheses below are a library's own (English) error text.
    Template("{file}: the file cannot be read as CSV ({error}).",
             "{file} : impossible de lire le fichier comme un CSV ({error})."),
    Template("{file}: the Excel file cannot be opened ({error}).",
             "{file} : impossible d'ouvrir le fichier Excel ({error})."),
    Template("{file}: there is no sheet named {sheet}.",
             "{file} : aucune feuille ne s'appelle {sheet}.", {"sheet": _REPR}),
    Template("{file}: sheet {sheet} cannot be read ({error}).",
             "{file} : impossible de lire la feuille {sheet} ({error}).", {"sheet": _REPR}),
    Template("{file}: the workbook has no data.",
             "{file} : le classeur ne contient aucune donnée."),
    Template("{file}: the file is a damaged or truncated ZIP archive, not a readable Excel "
             "workbook; export it again.",
             "{file} : le fichier est une archive ZIP endommagée ou tronquée, pas un classeur "
             "Excel lisible ; exportez-le à nouveau."),
    Template("{file}: this is a ZIP archive, not an Excel workbook; unzip it and upload the "
             "export it holds.",
             "{file} : c'est une archive ZIP, pas un classeur Excel ; décompressez-la et "
             "importez l'export qu'elle contient."),
    Template("{file}: the workbook is too large once uncompressed ({size} MB); export it as "
             "CSV instead.",
             "{file} : le classeur est trop volumineux une fois décompressé ({size} Mo) ; "
             "exportez-le plutôt en CSV.", {"size": _GROUPED}, {"size": _french_number}),
    Template("{file}: the Parquet file cannot be read ({error}).",
             "{file} : impossible de lire le fichier Parquet ({error})."),
    Template("{file}: the Parquet file is too large once uncompressed ({rows} rows, {size} MB).",
             "{file} : le fichier Parquet est trop volumineux une fois décompressé ({rows} "
             "lignes, {size} Mo).", {"rows": _GROUPED, "size": _GROUPED},
             {"rows": _french_number, "size": _french_number}),
    Template("{file}: the file is too large for the memory this session has; split it or "
             "upload fewer columns.",
             "{file} : le fichier est trop volumineux pour la mémoire de cette session ; "
             "découpez-le ou importez moins de colonnes."),
    Template("{file}: the mapping names columns the file does not have: {columns}.",
             "{file} : la correspondance cite des colonnes absentes du fichier : {columns}."),
    Template("{file}: choose which table this file is.",
             "{file} : choisissez la table de ce fichier."),
    Template("{file}: no column was recognised (headers: {headers}); choose the table and map "
             "the columns by hand.",
             "{file} : aucune colonne reconnue (en-têtes : {headers}) ; choisissez la table et "
             "associez les colonnes à la main."),
    Template("{file}: looks like {table} but has no column for {fields} (headers: {headers}); "
             "map them by hand.",
             "{file} : ressemble à la table {table} mais n'a pas de colonne pour {fields} "
             "(en-têtes : {headers}) ; associez-les à la main.",
             {"table": r"\w+"}, {"table": _table_name, "fields": _field_list}),
    Template("{file}: as {table}, the file has no column for {fields}; map one by hand.",
             "{file} : comme table {table}, le fichier n'a pas de colonne pour {fields} ; "
             "associez-en une à la main.",
             {"table": r"\w+"}, {"table": _table_name, "fields": _field_list}),
]

# What a column's values showed (kpi/ingest/profile.py): sentences made of
# clauses joined by "; ", each translated on its own.
_ROLE = _words({"creation date": "date de création", "closing date": "date de clôture",
                "conversion date": "date de conversion"})
_SHARE = r"\d+ %"
EVIDENCE_CLAUSES: list[Template] = [
    Template("{share} of values are dates like {x}", "{share} des valeurs sont des dates comme {x}",
             {"share": _SHARE}),
    Template("{share} of values are months or dates like {x}",
             "{share} des valeurs sont des mois ou des dates comme {x}", {"share": _SHARE}),
    Template("{share} of values are amounts like {x}",
             "{share} des valeurs sont des montants comme {x}", {"share": _SHARE}),
    Template("{share} of values are whole numbers like {x}: amounts, or maybe counts",
             "{share} des valeurs sont des nombres entiers comme {x} : des montants, ou "
             "peut-être des quantités", {"share": _SHARE}),
    Template("{share} of values are whole numbers like {x}",
             "{share} des valeurs sont des nombres entiers comme {x}", {"share": _SHARE}),
    Template("{share} of values are statuses like {x}",
             "{share} des valeurs sont des statuts comme {x}", {"share": _SHARE}),
    Template("{share} of values are lead sources like {x}",
             "{share} des valeurs sont des sources comme {x}", {"share": _SHARE}),
    Template("{share} of values are yes/no values like {x}",
             "{share} des valeurs sont des oui/non comme {x}", {"share": _SHARE}),
    Template("{share} of values are content kinds like {x}",
             "{share} des valeurs sont des types de contenu comme {x}", {"share": _SHARE}),
    Template("{share} of values are currency codes like {x}",
             "{share} des valeurs sont des codes de devise comme {x}", {"share": _SHARE}),
    Template("all {n} values are different, like {x}",
             "les {n} valeurs sont toutes différentes, comme {x}", {"n": _INT}),
    Template("{k} values repeated over {n} rows, like {x}",
             "{k} valeurs répétées sur {n} lignes, comme {x}", {"k": _INT, "n": _INT}),
    Template("some of them are statuses ({x})", "certaines sont des statuts ({x})"),
    Template("{k} different names like {x} over {n} rows, but many share the word {w}, like "
             "labels", "{k} noms différents comme {x} sur {n} lignes, mais beaucoup partagent "
             "le mot {w}, comme des libellés", {"k": _INT, "n": _INT}),
    Template("{k} different names like {x} over {n} rows",
             "{k} noms différents comme {x} sur {n} lignes", {"k": _INT, "n": _INT}),
    Template("the same name {x} on all {n} rows", "le même nom {x} sur les {n} lignes",
             {"n": _INT}),
    Template("the values cannot tell {fields}", "les valeurs ne distinguent pas {fields}",
             convert={"fields": lambda f: f.replace(" from ", " de ")}),
    Template("{n} more date column(s) were not compared",
             "{n} autre(s) colonne(s) de dates non comparée(s)", {"n": _INT}),
    Template("the only date column, so the {role} (or the {other})",
             "la seule colonne de dates, donc la {role} (ou la {other})",
             convert={"role": _ROLE, "other": _ROLE}),
    Template("earlier than {column} on {share} of the rows with both, so the {role}",
             "antérieure à {column} sur {share} des lignes qui ont les deux, donc la {role}",
             {"share": _SHARE}, {"role": _ROLE}),
    Template("later than {column} on {share} of the rows with both, so the {role}",
             "postérieure à {column} sur {share} des lignes qui ont les deux, donc la {role}",
             {"share": _SHARE}, {"role": _ROLE}),
    Template("never on another day than {column}, so maybe the {role}",
             "jamais un autre jour que {column}, donc peut-être la {role}",
             convert={"role": _ROLE}),
    Template("{column} looks alike", "{column} lui ressemble"),
]


def _evidence(sentence: str) -> str:
    """A profile's sentence in French, clause by clause (an unknown clause stays as it is)."""
    return " ; ".join(_first_match(EVIDENCE_CLAUSES, clause) or clause
                      for clause in sentence.split("; "))


FROM_VALUES: list[Template] = [
    Template("Column {column} was read as {field} from its values: {evidence}.",
             "La colonne {column} a été lue comme « {field} » d'après ses valeurs : {evidence}.",
             {"column": _REPR, "field": r"\w+"}, {"field": _field_label, "evidence": _evidence}),
    Template("suggested from its values: {evidence}",
             "suggéré d'après ses valeurs : {evidence}", convert={"evidence": _evidence}),
]

TEMPLATES: list[Template] = [*REASONS, *COLUMN_NOTES, *NOTES, *ERRORS, *FROM_VALUES]


def translate(message: str, lang: str) -> str:
    """The importer's English `message` in `lang`; unchanged when English or not recognised."""
    if lang != "fr" or not message:
        return message
    try:
        return _first_match(TEMPLATES, message) or message
    except Exception:  # a message must never break the page that shows it
        return message
