"""One session's data: an in-memory DuckDB holding the canonical tables, and its files.

`Workspace` (transaction.py) is what the app and the command line hold: the
import transaction (add, replace, remove, remap: all or nothing), with one
module per other job:

    storage.py      the DuckDB connection, the tables, transactions, compaction
    uploads.py      each upload's bytes kept (on a thread) for re-imports
    mappings.py     saved column mappings (SavedMapping, MappingFile)
    snapshot.py     save to / open from a folder (Parquet + manifest)

The rules across files (an id another file brought; owners named by the users
export) are the importer's, in kpi.ingest.
"""

from kpi.workspace.mappings import MappingFile, SavedMapping, currency_code
from kpi.workspace.snapshot import MANIFEST, SOURCES_DIR
from kpi.workspace.storage import CONNECTION_CONFIG, after_pages, drawing_pages, wake
from kpi.workspace.transaction import DEMO_DIR, DEMO_PREFIX, Workspace
from kpi.workspace.uploads import Source

__all__ = ["CONNECTION_CONFIG", "DEMO_DIR", "DEMO_PREFIX", "MANIFEST", "SOURCES_DIR",
           "MappingFile", "SavedMapping", "Source", "Workspace", "currency_code",
           "after_pages", "drawing_pages", "wake"]
