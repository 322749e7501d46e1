"""The users export names the owners: an owner exported as a user id shows that user's name.

Some CRMs export owners as user ids (Salesforce `OwnerId`, Bitrix24
`ASSIGNED_BY_ID`); once a users export is loaded, every table's owner column
that holds one of its ids takes the user's full name, whichever file came
first (docs/tables.md, "Users"). The workspace runs this inside the
transaction of every load; replacing or removing the users export re-reads
the other files, so their ids come back.
"""

from __future__ import annotations

import duckdb

from kpi.ingest.parse import quote_identifier
from kpi.schema import TABLES


def name_owners(con: duckdb.DuckDBPyConnection) -> None:
    """Owners that are user ids take the users' names (no scan without a users export)."""
    if not con.execute("SELECT count(*) FROM users WHERE full_name IS NOT NULL").fetchall()[0][0]:
        return
    for spec in TABLES.values():
        if spec.owner_field:
            table, owner = quote_identifier(spec.name), quote_identifier(spec.owner_field)
            con.execute(f"UPDATE {table} AS t SET {owner} = u.full_name FROM users AS u "
                        f"WHERE t.{owner} = u.user_id AND u.full_name IS NOT NULL").fetchall()
