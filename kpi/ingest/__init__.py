"""Read CRM exports into canonical tables (docs/tables.md). No Streamlit here.

    result = import_file(data, "deals.csv")            # recognise everything
    result = import_file(data, "q.xlsx", kind=TableKind.PROPOSALS)
    result.table   # pyarrow.Table with exactly TABLE_COLUMNS[result.report.table]
    result.report  # FileReport: encoding, delimiter, mapping, rejects...

An unusable file raises `UnreadableFile` (one sentence naming the file);
row-level problems reject the row, never the file.

What a workspace needs beyond one file is here too, so it imports no module
of this package: the rules across files (`insert_new_rows`: an id another file
brought is rejected; `name_owners`: the users export names the owners), the
reason a file with every row rejected failed, and the folding, quoting and
required-field helpers its saved mappings use.
"""

from kpi.ingest.duplicates import insert_new_rows
from kpi.ingest.errors import IngestError, UnreadableFile
from kpi.ingest.fold import fold as fold_header  # `kpi.ingest.fold` stays the module
from kpi.ingest.owners import name_owners
from kpi.ingest.parse import quote_identifier
from kpi.ingest.pipeline import ImportResult, import_file
from kpi.ingest.recognise import missing_fields
from kpi.ingest.rejects import all_rejected_message, dominant_reject
from kpi.ingest.vocabulary import DELETED, Mappings

__all__ = ["DELETED", "ImportResult", "IngestError", "Mappings", "UnreadableFile",
           "all_rejected_message", "dominant_reject", "fold_header", "import_file",
           "insert_new_rows", "missing_fields", "name_owners", "quote_identifier"]
