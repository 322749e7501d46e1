"""Values read by the typing query's fast paths and by its fallbacks give the same result.

The query tries a cast (amounts) or one strptime with the decided format
(dates) first and only runs regular expressions on what they cannot read;
channel and status values are mapped over distinct raw values. Each file mixes
both kinds of values; expected values are written by hand.
"""

from __future__ import annotations

from datetime import date

import pytest


def test_decimal_comma_amounts_fast_and_slow(load) -> None:
    data = (
        "Identifiant;Commercial;Montant;Date de création;Statut\n"
        "A1;Léa;21 023,66;08/07/2024;En cours\n"  # plain space between thousands
        "A2;Léa;1\u00a0200,5;25/03/2024;En cours\n"  # no-break space
        "A3;Léa;3\u202f000;2024-03-26;En cours\n"  # narrow no-break space, ISO date
        "A4;Léa;1.234,50 €;26.03.2024;En cours\n"  # dots between thousands, currency
        "A5;Léa;(1 200,50);1/4/2024;En cours\n"  # accounting negative, one-digit day/month
        "A6;Léa;12,5;31/12/2023;En cours\n"
    ).encode("utf-8")
    loaded = load(data, "fr.csv")
    assert loaded.report.rows_rejected == 0, loaded.report.rejects
    by_id = loaded.by("deal_id")
    assert {k: v["amount"] for k, v in by_id.items()} == {
        "A1": 21023.66, "A2": 1200.5, "A3": 3000.0, "A4": 1234.5, "A5": -1200.5, "A6": 12.5}
    assert {k: v["created_at"] for k, v in by_id.items()} == {
        "A1": date(2024, 7, 8), "A2": date(2024, 3, 25), "A3": date(2024, 3, 26),
        "A4": date(2024, 3, 26), "A5": date(2024, 4, 1), "A6": date(2023, 12, 31)}


def test_decimal_point_amounts_fast_and_slow(load) -> None:
    data = (
        b"deal_id,owner,amount,created_at\n"
        b"B1,Ann,1200.25,2024-03-25\n"
        b'B2,Ann,"$1,234.56",2024-03-25 14:02\n'
        b"B3,Ann,(1200),2024/03/25\n"
        b"B4,Ann,12 USD,3/25/2024\n"
    )
    loaded = load(data, "us.csv")
    assert loaded.report.rows_rejected == 0, loaded.report.rejects
    by_id = loaded.by("deal_id")
    assert {k: v["amount"] for k, v in by_id.items()} == {
        "B1": 1200.25, "B2": 1234.56, "B3": -1200.0, "B4": 12.0}
    assert {v["created_at"] for v in by_id.values()} == {date(2024, 3, 25)}


def test_channel_and_status_are_mapped_after_trimming(load) -> None:
    data = (
        b"deal_id,owner,amount,created_at,closed_at,status,channel\n"
        b"C1,Ann,1,2024-03-25,2024-04-01,  won  ,  LinkedIn  \n"
        b"C2,Ann,1,2024-03-25,2024-04-01,won,LinkedIn\n"
        b"C3,Ann,1,2024-03-25,,,\n"
    )
    loaded = load(data, "spaces.csv")
    rows = {r["deal_id"]: (r["status"], r["channel"], r["channel_raw"]) for r in loaded.rows}
    assert rows == {"C1": ("won", "linkedin", "LinkedIn"), "C2": ("won", "linkedin", "LinkedIn"),
                    "C3": ("open", "unknown", None)}


# Every character DuckDB's trim() removes (the Unicode space separators); the
# importer skips trim() on columns where no cell starts or ends with one.
SPACES = [" ", "\u00a0", "\u1680", *map(chr, range(0x2000, 0x200B)), "\u202f", "\u205f",
          "\u3000"]


@pytest.mark.parametrize("space", SPACES, ids=[f"U+{ord(s):04X}" for s in SPACES])
def test_padded_cells_are_trimmed_whatever_the_space(load, space: str) -> None:
    data = (
        "deal_id,owner,amount,created_at\n"
        f"E1,{space}Zoé{space},{space}12{space},{space}2024-03-25{space}\n"
        "E2,Ann,3,2024-03-26\n"
    ).encode()
    loaded = load(data, "padded.csv")
    assert loaded.report.rows_rejected == 0, loaded.report.rejects
    assert {r["deal_id"]: (r["owner"], r["amount"]) for r in loaded.rows} == {
        "E1": ("Zoé", 12.0), "E2": ("Ann", 3.0)}


def test_unpadded_columns_keep_their_text_exactly(load) -> None:
    data = "deal_id,owner,amount,created_at\nF1,Zoé\tà,1,2024-03-25\nF2,\tAnn,2,2024-03-25\n"
    loaded = load(data.encode(), "tabs.csv")
    assert {r["deal_id"]: r["owner"] for r in loaded.rows} == {"F1": "Zoé\tà", "F2": "\tAnn"}


@pytest.mark.parametrize("cells", [
    ["Ann", " #N/A "], ["Ann", "\u00a0N/A"], ["'-99"], ["n/a\t"], ["#NV", "x"],
    ["12/03/2024", "N/A"],  # a slash elsewhere: the exact test decides
    ["O'Brien", "Ann"], ["N/", "A"], ["Ann", "Bob"], ["", ""],
])
def test_placeholder_guard_agrees_with_trimming_every_cell(cells: list[str]) -> None:
    """The byte search that spares most columns the exact test never answers "none"
    where trimming every cell finds a placeholder (normalise._has_placeholders)."""
    import pyarrow as pa

    from kpi.ingest.normalise import _has_placeholders
    from kpi.ingest.parse import PLACEHOLDERS

    column = pa.chunked_array([pa.array(cells[:1]), pa.array(cells[1:], pa.string())])
    trimmed = [cell.strip() for cell in cells]
    assert _has_placeholders(column) == any(cell in PLACEHOLDERS for cell in trimmed)


def test_placeholders_in_a_sliced_chunk_are_found_only_in_its_cells() -> None:
    import pyarrow as pa

    from kpi.ingest.normalise import _has_placeholders

    cells = pa.array(["#N/A", "Ann", "Bob", "n/a"])
    assert _has_placeholders(pa.chunked_array([cells.slice(1, 2)])) is False
    assert _has_placeholders(pa.chunked_array([cells.slice(2)])) is True
