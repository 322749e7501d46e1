"""The fixture must build exactly the workspace the contract promises."""

from __future__ import annotations

from kpi.schema import TABLE_COLUMNS


def test_fixture_creates_the_six_tables_with_the_canonical_types(workspace) -> None:
    con = workspace(deals=[{"deal_id": "a", "created_at": "2024-03-01", "amount": 5.0}])
    for kind, columns in TABLE_COLUMNS.items():
        found = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = ? ORDER BY ordinal_position",
            [kind.value],
        ).fetchall()
        assert found == list(columns.items()), kind
    assert con.execute('SELECT count(*) FROM "deals"').fetchone() == (1,)
    assert con.execute('SELECT count(*) FROM "leads"').fetchone() == (0,)
