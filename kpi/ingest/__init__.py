"""Read CRM exports into canonical tables (docs/tables.md). No Streamlit here.

    result = import_file(data, "deals.csv")            # recognise everything
    result = import_file(data, "q.xlsx", kind=TableKind.PROPOSALS)
    result.table   # pyarrow.Table with exactly TABLE_COLUMNS[result.report.table]
    result.report  # FileReport: encoding, delimiter, mapping, rejects...

An unusable file raises `UnreadableFile` (one sentence naming the file);
row-level problems reject the row, never the file.
"""

from kpi.ingest.errors import IngestError, UnreadableFile
from kpi.ingest.pipeline import ImportResult, import_file
from kpi.ingest.vocabulary import Mappings

__all__ = ["ImportResult", "IngestError", "Mappings", "UnreadableFile", "import_file"]
