"""The importer's messages in English and French: one entry per code (kpi.messages).

`kpi.i18n` adds these to its one translation table, so `render` and `t` read
them like every other text. Placeholders are documented in kpi/messages.py:
`{n}` a number grouped the language's way, `{x!r}` a quoted value, `{items:; }`
a list joined by "; ". Both languages of a code name the same placeholders
(tests/unit/test_messages.py checks it).
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # A report saved before messages had codes: its English text, as it was.
    "msg.verbatim": {"en": "{text}", "fr": "{text}"},
    # --- a phrase inside a phrase -------------------------------------------------------
    "msg.values": {"en": "{values!r}", "fr": "{values!r}"},
    "msg.either": {"en": "{fields: or }", "fr": "{fields: ou }"},
    "msg.and_more": {"en": "{values!r} and {more} more", "fr": "{values!r} et {more} autre(s)"},
    "msg.what.png": {"en": "a PNG image", "fr": "une image PNG"},
    "msg.what.pdf": {"en": "a PDF document", "fr": "un document PDF"},
    "msg.what.gif": {"en": "a GIF image", "fr": "une image GIF"},
    "msg.what.jpeg": {"en": "a JPEG image", "fr": "une image JPEG"},
    "msg.what.gzip": {"en": "a gzip archive", "fr": "une archive gzip"},
    "msg.what.7zip": {"en": "a 7-Zip archive", "fr": "une archive 7-Zip"},
    "msg.what.rar": {"en": "a RAR archive", "fr": "une archive RAR"},
    "msg.value.date": {"en": "a date", "fr": "une date"},
    "msg.value.month": {"en": "a month", "fr": "un mois"},
    "msg.value.number": {"en": "a number", "fr": "un nombre"},
    "msg.size.sheet": {"en": "sheet {sheet!r} has {rows} rows of {columns} columns",
                       "fr": "la feuille {sheet!r} a {rows} lignes de {columns} colonnes"},
    "msg.size.megabytes": {"en": "{size} MB", "fr": "{size} Mo"},
    "msg.size.parquet": {"en": "{rows} rows of {columns} columns, {size} MB",
                         "fr": "{rows} lignes de {columns} colonnes, {size} Mo"},
    "msg.size.text": {"en": "over {size} MB of text", "fr": "plus de {size} Mo de texte"},
    # Why a column's date order or decimal mark came from the file as a whole.
    "msg.hint.delimiter": {"en": "the file uses {delimiter!r} between fields",
                           "fr": "le fichier sépare les champs par {delimiter!r}"},
    "msg.hint.us_delimiter": {
        "en": "the file uses ',' between fields, as US exports do",
        "fr": "le fichier sépare les champs par ',', comme les exports américains"},
    "msg.hint.windows": {"en": "the file is in a Windows Western European encoding",
                         "fr": "le fichier est dans un encodage Windows d'Europe de l'Ouest"},
    "msg.hint.common_order": {"en": "it is the most common order in spreadsheets",
                              "fr": "c'est l'ordre le plus courant dans les tableurs"},
    "msg.hint.common_mark": {"en": "it is the most common mark in spreadsheets",
                             "fr": "c'est le séparateur le plus courant dans les tableurs"},
    "msg.hint.european": {"en": "the file looks European", "fr": "le fichier semble européen"},
    "msg.hint.other_columns_dmy": {
        "en": "the file's other date columns are day first",
        "fr": "les autres colonnes de dates du fichier ont le jour en premier"},
    "msg.hint.other_columns_mdy": {
        "en": "the file's other date columns are month first",
        "fr": "les autres colonnes de dates du fichier ont le mois en premier"},
    # --- a whole file refused (UnreadableFile) --------------------------------------------
    "msg.file.empty": {"en": "{file}: the file is empty.", "fr": "{file} : le fichier est vide."},
    "msg.file.old_excel": {
        "en": "{file}: this is an old .xls or a password-protected Excel file; save it as .xlsx "
              "(without password) or CSV and upload it again.",
        "fr": "{file} : c'est un ancien fichier .xls ou un fichier Excel protégé par mot de "
              "passe ; enregistrez-le en .xlsx (sans mot de passe) ou en CSV, puis importez-le "
              "à nouveau."},
    "msg.file.not_an_export": {"en": "{file}: this is {what}, not a CRM export (CSV, XLSX).",
                               "fr": "{file} : c'est {what}, pas un export de CRM (CSV, XLSX)."},
    "msg.file.too_wide": {
        "en": "{file}: the header has {count} columns (at most {limit} are read); this does "
              "not look like a CRM export.",
        "fr": "{file} : l'en-tête a {count} colonnes (au plus {limit} sont lues) ; ce n'est "
              "pas un export de CRM."},
    "msg.file.binary": {
        "en": "{file}: the file contains binary data (NUL bytes from line {line}); it is not a "
              "text export.",
        "fr": "{file} : le fichier contient des données binaires (des octets NUL dès la ligne "
              "{line}) ; ce n'est pas un export texte."},
    "msg.file.no_header": {"en": "{file}: no header row found in the first lines.",
                           "fr": "{file} : aucune ligne d'en-tête dans les premières lignes."},
    "msg.file.value_too_long": {
        "en": "{file}: one value is longer than {size} MB (or a quote is never closed and "
              "swallows the rest of the file); check the file around its largest cell.",
        "fr": "{file} : une valeur dépasse {size} Mo (ou un guillemet jamais fermé avale la "
              "fin du fichier) ; vérifiez le fichier autour de sa plus grande cellule."},
    "msg.file.bad_csv": {"en": "{file}: the file cannot be read as CSV ({error}).",
                         "fr": "{file} : impossible de lire le fichier comme un CSV ({error})."},
    "msg.file.too_large": {
        "en": "{file}: the file is too large once uncompressed ({size}; at most {megabytes} MB "
              "and {cells} cells are read per file on this server); export it as CSV or split "
              "it.",
        "fr": "{file} : le fichier est trop volumineux une fois décompressé ({size} ; au plus "
              "{megabytes} Mo et {cells} cellules sont lus par fichier sur ce serveur) ; "
              "exportez-le en CSV ou découpez-le."},
    "msg.file.excel_unreadable": {"en": "{file}: the Excel file cannot be opened ({error}).",
                                  "fr": "{file} : impossible d'ouvrir le fichier Excel ({error})."},
    "msg.file.no_such_sheet": {"en": "{file}: there is no sheet named {sheet!r}.",
                               "fr": "{file} : aucune feuille ne s'appelle {sheet!r}."},
    "msg.file.sheet_unreadable": {
        "en": "{file}: sheet {sheet!r} cannot be read ({error}).",
        "fr": "{file} : impossible de lire la feuille {sheet!r} ({error})."},
    "msg.file.no_data": {"en": "{file}: the workbook has no data.",
                         "fr": "{file} : le classeur ne contient aucune donnée."},
    "msg.file.damaged_zip": {
        "en": "{file}: the file is a damaged or truncated ZIP archive, not a readable Excel "
              "workbook; export it again.",
        "fr": "{file} : le fichier est une archive ZIP endommagée ou tronquée, pas un classeur "
              "Excel lisible ; exportez-le à nouveau."},
    "msg.file.plain_zip": {
        "en": "{file}: this is a ZIP archive, not an Excel workbook; unzip it and upload the "
              "export it holds.",
        "fr": "{file} : c'est une archive ZIP, pas un classeur Excel ; décompressez-la et "
              "importez l'export qu'elle contient."},
    "msg.file.part_overflows": {
        "en": "{file}: the workbook is damaged: its part {part!r} holds more than it declares.",
        "fr": "{file} : le classeur est endommagé : sa partie {part!r} contient plus qu'elle "
              "ne déclare."},
    "msg.file.odd_compression": {
        "en": "{file}: the workbook uses an unusual compression (method {method:d}); save it "
              "again from Excel.",
        "fr": "{file} : le classeur utilise une compression inhabituelle (méthode {method:d}) ; "
              "enregistrez-le à nouveau depuis Excel."},
    "msg.file.parquet_unreadable": {
        "en": "{file}: the Parquet file cannot be read ({error}).",
        "fr": "{file} : impossible de lire le fichier Parquet ({error})."},
    "msg.file.out_of_memory": {
        "en": "{file}: the file is too large for the memory this session has; split it or "
              "upload fewer columns.",
        "fr": "{file} : le fichier est trop volumineux pour la mémoire de cette session ; "
              "découpez-le ou importez moins de colonnes."},
    "msg.file.unknown_columns": {
        "en": "{file}: the mapping names columns the file does not have: {columns}.",
        "fr": "{file} : la correspondance cite des colonnes absentes du fichier : {columns}."},
    "msg.file.choose_table": {"en": "{file}: choose which table this file is.",
                              "fr": "{file} : choisissez la table de ce fichier."},
    "msg.file.not_recognised": {
        "en": "{file}: no column was recognised (headers: {headers}); choose the table and map "
              "the columns by hand.",
        "fr": "{file} : aucune colonne reconnue (en-têtes : {headers}) ; choisissez la table et "
              "associez les colonnes à la main."},
    "msg.file.looks_like": {
        "en": "{file}: looks like {table} but has no column for {fields} (headers: {headers}); "
              "map them by hand.",
        "fr": "{file} : ressemble à la table {table} mais n'a pas de colonne pour {fields} "
              "(en-têtes : {headers}) ; associez-les à la main."},
    "msg.file.missing_fields": {
        "en": "{file}: as {table}, the file has no column for {fields}; map one by hand.",
        "fr": "{file} : comme table {table}, le fichier n'a pas de colonne pour {fields} ; "
              "associez-en une à la main."},
    "msg.file.all_rejected": {
        "en": "{file}: every row was rejected ({count} rows); most often: {reason}",
        "fr": "{file} : toutes les lignes ont été rejetées ({count} lignes) ; le plus souvent : "
              "{reason}"},
    "msg.file.all_rejected_at": {
        "en": "{file}: every row was rejected ({count} rows); most often: {reason} ({where})",
        "fr": "{file} : toutes les lignes ont été rejetées ({count} lignes) ; le plus souvent : "
              "{reason} ({where})"},
    "msg.where.column": {"en": "column {column}", "fr": "colonne {column}"},
    "msg.where.example": {"en": "e.g. {value!r}", "fr": "p. ex. {value!r}"},
    # --- notes on a file -----------------------------------------------------------------
    "msg.note.nul_removed": {
        "en": "{count} stray NUL byte(s) were removed (the first on line {line}).",
        "fr": "{count} octet(s) NUL parasite(s) supprimé(s) (le premier à la ligne {line})."},
    "msg.note.lines_skipped": {"en": "{count} line(s) above the header were skipped.",
                               "fr": "{count} ligne(s) au-dessus de l'en-tête ignorée(s)."},
    "msg.note.rows_skipped": {"en": "{count} row(s) above the header were skipped.",
                              "fr": "{count} ligne(s) au-dessus de l'en-tête ignorée(s)."},
    "msg.note.footer_skipped": {
        "en": "A footer after the data (totals, copyright) was skipped.",
        "fr": "Un pied de page après les données (totaux, copyright) a été ignoré."},
    "msg.note.sheet_read": {"en": "Sheet {sheet!r} was read (of {count} sheets).",
                            "fr": "La feuille {sheet!r} a été lue (sur {count} feuilles)."},
    "msg.note.nested_ignored": {
        "en": "Column(s) {columns} were ignored: nested values cannot be read as text.",
        "fr": "Colonne(s) {columns} ignorée(s) : des valeurs imbriquées ne se lisent pas comme "
              "du texte."},
    "msg.note.no_rows": {"en": "The file has a header but no data rows.",
                         "fr": "Le fichier a un en-tête mais aucune ligne de données."},
    "msg.note.status_open": {"en": "Status values read as open: {values!r}.",
                             "fr": "Valeurs de statut lues comme en cours (open) : {values!r}."},
    "msg.note.empty_amounts": {"en": "{count} row(s) had no amount and count as 0.",
                               "fr": "{count} ligne(s) sans montant, comptée(s) pour 0."},
    "msg.note.no_amount_column": {
        "en": "The file has no amount column: every deal counts as 0.",
        "fr": "Le fichier n'a pas de colonne de montant : chaque affaire compte pour 0."},
    "msg.note.rejects_capped": {"en": "Only the first {count} rejected rows are listed.",
                                "fr": "Seules les {count} premières lignes rejetées sont listées."},
    "msg.note.deleted_dropped": {"en": "{count} deleted deal(s) were dropped.",
                                 "fr": "{count} affaire(s) supprimée(s) écartée(s)."},
    "msg.note.currencies": {
        "en": "Several currencies ({currencies}): money figures are shown one currency at a "
              "time, never added together.",
        "fr": "Plusieurs devises ({currencies}) : les montants sont présentés devise par "
              "devise, jamais additionnés."},
    "msg.note.early_close": {
        "en": "{count} deal(s) close before their creation date: they are kept and counted, but "
              "left out of the sales cycle.",
        "fr": "{count} affaire(s) clôturée(s) avant leur date de création : gardée(s) et "
              "comptée(s), mais hors du calcul du cycle de vente."},
    "msg.note.created_from_lead": {
        "en": "The file has no creation date: each deal's is its lead's ({field}); deals whose "
              "lead is not loaded are rejected.",
        "fr": "Le fichier n'a pas de date de création : celle de chaque affaire est celle de sa "
              "piste ({field}) ; les affaires dont la piste n'est pas chargée sont rejetées."},
    "msg.note.no_deal_id": {
        "en": "The file has no deal id column: each row's id is the file name and line; its "
              "rows are not checked against other files for duplicates.",
        "fr": "Le fichier n'a pas de colonne d'identifiant d'affaire : chaque ligne est "
              "identifiée par le nom du fichier et son numéro ; ses lignes ne sont pas "
              "comparées aux autres fichiers pour les doublons."},
    "msg.note.saved_mapping": {
        "en": "Columns read with the mapping saved for files with these headers.",
        "fr": "Colonnes lues avec la correspondance enregistrée pour les fichiers à ces "
              "en-têtes."},
    "msg.note.read_from_values": {
        "en": "Column {column!r} was read as {field} from its values: {evidence:; }.",
        "fr": "La colonne {column!r} a été lue comme « {field} » d'après ses valeurs : "
              "{evidence: ; }."},
    # --- warnings: figures that may be misread ---------------------------------------------
    "msg.warning.all_open": {
        "en": "Every deal reads as open: no status or stage value says won or lost ({values}); "
              "map the ones that do.",
        "fr": "Toutes les affaires se lisent en cours : aucune valeur de statut ou d'étape ne "
              "dit gagnée ou perdue ({values}) ; associez celles qui le disent."},
    "msg.warning.mostly_other": {
        "en": "Most sources read as other ({share:d} % of rows): {values}; map them to channels.",
        "fr": "La plupart des sources se lisent « autre » ({share:d} % des lignes) : {values} ; "
              "associez-les à des canaux."},
    # --- why a row was rejected ------------------------------------------------------------
    "msg.reject.missing_id": {"en": "the id ({field}) is missing",
                              "fr": "il manque l'identifiant ({field})"},
    "msg.reject.missing_date": {"en": "the date ({field}) is missing",
                                "fr": "il manque la date ({field})"},
    "msg.reject.missing_spend": {"en": "the spend is missing", "fr": "il manque la dépense"},
    "msg.reject.unreadable": {"en": "cannot read this as {what}",
                              "fr": "impossible de lire cette valeur comme {what}"},
    "msg.reject.implausible": {
        "en": "not a plausible number (infinite, NaN or beyond ±{limit:.0e})",
        "fr": "nombre invraisemblable (infini, NaN ou au-delà de ±{limit:.0e})"},
    "msg.reject.year_range": {"en": "the date is outside the years {first:d}-{last:d}",
                              "fr": "la date est hors des années {first:d}-{last:d}"},
    "msg.reject.no_close_date": {
        "en": "a won or lost deal needs a close date",
        "fr": "une affaire gagnée ou perdue doit avoir une date de clôture"},
    "msg.reject.content_kind": {
        "en": "unknown content type (expected one of {kinds})",
        "fr": "type de contenu inconnu (attendu : {kinds: ou })"},
    "msg.reject.package": {
        "en": "a package needs a month and an amount, or an annual package",
        "fr": "un package doit avoir un mois et un montant, ou un package annuel"},
    "msg.reject.duplicate": {
        "en": "duplicate {field}: already on line {line} (first one kept)",
        "fr": "{field} en double : déjà présent à la ligne {line} (le premier est gardé)"},
    "msg.reject.duplicate_loaded": {
        "en": "duplicate {field}: already loaded from another file (first one kept)",
        "fr": "{field} en double : déjà chargé depuis un autre fichier (le premier est gardé)"},
    "msg.reject.malformed": {"en": "malformed row: {problem}",
                             "fr": "ligne mal formée : {problem}"},
    "msg.broken.quote_may_run": {
        "en": '{found} fields instead of {expected}; an unbalanced quote (") may run this row '
              "over lines {first}-{last}",
        "fr": '{found} champs au lieu de {expected} ; un guillemet (") non fermé prolonge '
              "peut-être cette ligne sur les lignes {first} à {last}"},
    "msg.broken.quote_runs": {
        "en": 'an unbalanced quote (") runs this row over lines {first}-{last}, which look '
              "like rows",
        "fr": 'un guillemet (") non fermé prolonge cette ligne sur les lignes {first} à {last}, '
              "qui ressemblent à des lignes de données"},
    "msg.broken.fields": {"en": "{found} fields instead of {expected}",
                          "fr": "{found} champs au lieu de {expected}"},
    "msg.broken.unreadable": {"en": "unreadable from here on ({error})",
                              "fr": "illisible à partir d'ici ({error})"},
    # --- how one column was read ----------------------------------------------------------
    "msg.column.mixed_orders": {
        "en": "mixed date orders ({day_first!r} is day first, {month_first!r} month first); "
              "read as {order}, the majority",
        "fr": "ordres de date mélangés ({day_first!r} a le jour en premier, {month_first!r} le "
              "mois) ; lu comme {order}, l'ordre majoritaire"},
    "msg.column.day_first": {"en": "day first (values like {example!r})",
                             "fr": "jour en premier (valeurs comme {example!r})"},
    "msg.column.month_first": {"en": "month first (values like {example!r})",
                               "fr": "mois en premier (valeurs comme {example!r})"},
    "msg.column.month_names": {"en": "dates with month names (values like {example!r})",
                               "fr": "dates avec des noms de mois (valeurs comme {example!r})"},
    "msg.column.iso": {"en": "ISO dates (year first)", "fr": "dates ISO (année en premier)"},
    "msg.column.order_from_hint": {
        "en": "no value decides the date order; read as {order} because {reason}",
        "fr": "aucune valeur ne permet de choisir l'ordre des dates ; lu comme {order} car "
              "{reason}"},
    "msg.column.decimal_comma": {"en": "decimal comma (values like {example!r})",
                                 "fr": "virgule décimale (valeurs comme {example!r})"},
    "msg.column.decimal_point": {"en": "decimal point (values like {example!r})",
                                 "fr": "point décimal (valeurs comme {example!r})"},
    "msg.column.mark_exceptions": {"en": "{decided}; {count} value(s) looked otherwise",
                                   "fr": "{decided} ; {count} valeur(s) font exception"},
    "msg.column.mark_from_hint": {
        "en": "no value decides the decimal mark; read {mark!r} as decimal because {reason}",
        "fr": "aucune valeur ne permet de choisir le séparateur décimal ; {mark!r} lu comme "
              "séparateur décimal car {reason}"},
    "msg.column.ignored": {
        "en": "ignored: {field} is read from {source!r}, which comes first",
        "fr": "ignorée : « {field} » est lu dans la colonne {source!r}, qui vient avant"},
    "msg.column.suggested": {"en": "suggested from its values: {evidence:; }",
                             "fr": "suggéré d'après ses valeurs : {evidence: ; }"},
    # --- what a column's values showed (kpi.ingest.profile), one clause each ---------------
    "msg.evidence.dates": {"en": "{share:d} % of values are dates like {example!r}",
                           "fr": "{share:d} % des valeurs sont des dates comme {example!r}"},
    "msg.evidence.months": {
        "en": "{share:d} % of values are months or dates like {example!r}",
        "fr": "{share:d} % des valeurs sont des mois ou des dates comme {example!r}"},
    "msg.evidence.amounts": {"en": "{share:d} % of values are amounts like {example!r}",
                             "fr": "{share:d} % des valeurs sont des montants comme {example!r}"},
    "msg.evidence.whole_amounts": {
        "en": "{share:d} % of values are whole numbers like {example!r}: amounts, or maybe "
              "counts",
        "fr": "{share:d} % des valeurs sont des nombres entiers comme {example!r} : des "
              "montants, ou peut-être des quantités"},
    "msg.evidence.whole_numbers": {
        "en": "{share:d} % of values are whole numbers like {example!r}",
        "fr": "{share:d} % des valeurs sont des nombres entiers comme {example!r}"},
    "msg.evidence.all_different": {
        "en": "all {count} values are different, like {example!r}",
        "fr": "les {count} valeurs sont toutes différentes, comme {example!r}"},
    "msg.evidence.statuses": {
        "en": "{share:d} % of values are statuses like {example!r} ({status})",
        "fr": "{share:d} % des valeurs sont des statuts comme {example!r} ({status})"},
    "msg.evidence.some_statuses": {
        "en": "{distinct} values repeated over {count} rows, like {example!r}; some of them are "
              "statuses ({status!r})",
        "fr": "{distinct} valeurs répétées sur {count} lignes, comme {example!r} ; certaines "
              "sont des statuts ({status!r})"},
    "msg.evidence.sources": {
        "en": "{share:d} % of values are lead sources like {example!r} ({channel})",
        "fr": "{share:d} % des valeurs sont des sources comme {example!r} ({channel})"},
    "msg.evidence.yes_no": {
        "en": "{share:d} % of values are yes/no values like {example!r}",
        "fr": "{share:d} % des valeurs sont des oui/non comme {example!r}"},
    "msg.evidence.content_kinds": {
        "en": "{share:d} % of values are content kinds like {example!r} ({kind})",
        "fr": "{share:d} % des valeurs sont des types de contenu comme {example!r} ({kind})"},
    "msg.evidence.currencies": {
        "en": "{share:d} % of values are currency codes like {example!r}",
        "fr": "{share:d} % des valeurs sont des codes de devise comme {example!r}"},
    "msg.evidence.names": {"en": "{distinct} different names like {example!r} over {count} rows",
                           "fr": "{distinct} noms différents comme {example!r} sur {count} lignes"},
    "msg.evidence.labels": {
        "en": "{distinct} different names like {example!r} over {count} rows, but many share "
              "the word {word!r}, like labels",
        "fr": "{distinct} noms différents comme {example!r} sur {count} lignes, mais beaucoup "
              "partagent le mot {word!r}, comme des libellés"},
    "msg.evidence.same_name": {"en": "the same name {example!r} on all {count} rows",
                               "fr": "le même nom {example!r} sur les {count} lignes"},
    "msg.evidence.cannot_tell": {"en": "the values cannot tell {fields: from }",
                                 "fr": "les valeurs ne distinguent pas {fields: de }"},
    "msg.evidence.more_dates": {"en": "{count} more date column(s) were not compared",
                                "fr": "{count} autre(s) colonne(s) de dates non comparée(s)"},
    "msg.evidence.only_date": {
        "en": "the only date column, so the {role} (or the {other})",
        "fr": "la seule colonne de dates, donc la {role} (ou la {other})"},
    "msg.evidence.earlier": {
        "en": "earlier than {column!r} on {share:d} % of the rows with both, so the {role}",
        "fr": "antérieure à {column!r} sur {share:d} % des lignes qui ont les deux, donc la "
              "{role}"},
    "msg.evidence.later": {
        "en": "later than {column!r} on {share:d} % of the rows with both, so the {role}",
        "fr": "postérieure à {column!r} sur {share:d} % des lignes qui ont les deux, donc la "
              "{role}"},
    "msg.evidence.same_day": {
        "en": "never on another day than {column!r}, so maybe the {role}",
        "fr": "jamais un autre jour que {column!r}, donc peut-être la {role}"},
    "msg.evidence.looks_alike": {"en": "{column!r} looks alike", "fr": "{column!r} lui ressemble"},
    "msg.role.created": {"en": "creation date", "fr": "date de création"},
    "msg.role.closed": {"en": "closing date", "fr": "date de clôture"},
    "msg.role.converted": {"en": "conversion date", "fr": "date de conversion"},
}
