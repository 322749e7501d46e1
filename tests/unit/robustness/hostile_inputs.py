"""Hostile and broken inputs (issue 7): the catalogue every robustness test shares.

`HOSTILE` is one catalogue of inputs, built in memory (nothing binary is
committed), and each of them goes through three doors: `import_file`,
`Workspace.add_file` after a good file was loaded, and `python -m kpi`.

An input either *refuses* (the whole file is unusable: `UnreadableFile`, one
line naming the file) or *imports* (row problems become rejected rows naming
the line and the column; the good rows are kept).
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

_ROOT = str(Path(__file__).resolve().parents[3])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from kpi.metrics import compute_report  # noqa: E402
from kpi.schema import Filters  # noqa: E402
from kpi.workspace import Workspace  # noqa: E402

ROOT = Path(_ROOT)

DEALS_HEADER = ["deal_id", "deal_name", "owner", "status", "amount", "created_at", "closed_at",
                "channel"]
GOOD_ROWS = [
    ["G1", "Acme", "Ann Lee", "won", "1000", "2024-03-01", "2024-03-11", "LinkedIn"],
    ["G2", "Globex", "Ann Lee", "won", "3000", "2024-03-02", "2024-03-22", "LinkedIn"],
    ["G3", "Initech", "Bo Chen", "lost", "500", "2024-03-03", "2024-03-13", "Cold email"],
    ["G4", "Umbrella", "Bo Chen", "open", "700", "2024-03-04", "", "Referral"],
]
GOOD_NAME = "good-deals.csv"


def csv_bytes(rows: list[list[str]], header: list[str] | None = None, *,
              delimiter: str = ",", newline: str = "\n", encoding: str = "utf-8") -> bytes:
    """A CSV written by Python's csv module (quoting whatever needs it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(DEALS_HEADER if header is None else header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


GOOD_DEALS = csv_bytes(GOOD_ROWS)


def deal(deal_id: str, **overrides: str) -> list[str]:
    """One open deal row of DEALS_HEADER, with some cells replaced."""
    row = dict(zip(DEALS_HEADER, [deal_id, "Name", "Cy Dee", "open", "100", "2024-04-01", "",
                                  "Webinar"], strict=True))
    row.update(overrides)
    return [row[c] for c in DEALS_HEADER]


def one_line(message: str) -> bool:
    return "\n" not in message and "\r" not in message


# --------------------------------------------------------------------------
# Binary and spreadsheet builders
# --------------------------------------------------------------------------

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7")
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
# The header of a Compound File (OLE2): a legacy .xls, or any password-protected
# .xlsx (Office wraps encrypted workbooks in OLE2 with an EncryptionInfo stream).
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(24) + b"\x3e\x00\x03\x00\xfe\xff" + bytes(474)


def zip_archive() -> bytes:
    """A real ZIP archive that is not a workbook (a CSV zipped by a user)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("deals.csv", GOOD_DEALS)
    return buffer.getvalue()


def xlsx_bytes(build: Callable[[Any], None]) -> bytes:
    """A workbook written by xlsxwriter; `build(workbook)` adds the sheets."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    build(workbook)
    workbook.close()
    return buffer.getvalue()


def simple_xlsx() -> bytes:
    def build(workbook: Any) -> None:
        sheet = workbook.add_worksheet("Deals")
        sheet.write_row(0, 0, ["Deal ID", "Deal owner", "Amount", "Create Date"])
        sheet.write_row(1, 0, ["X1", "Zed", 7, "2024-01-01"])
    return xlsx_bytes(build)


# --------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    """One hostile input and what must come of it."""

    id: str
    make: Callable[[], bytes]
    name: str = "export.csv"
    refused: bool = True  # True: UnreadableFile; False: imported with rejected rows
    says: tuple[str, ...] = ()  # fragments the message must contain (case-insensitive)
    rejected_lines: dict[int, str] = field(default_factory=dict)  # line -> column named
    accepted: int | None = None  # rows accepted, when imported

    def data(self) -> bytes:
        return self.make()


def _wide(columns: int, known: bool) -> bytes:
    first = ["deal_id", "owner", "amount", "created_at"] if known else []
    header = first + [f"extra column {i}" for i in range(columns - len(first))]
    rows = [[f"wide-{r}", "Ann", "10", "2024-01-01"][: len(first)] + ["x"] * (columns - len(first))
            for r in range(3)]
    return csv_bytes(rows, header)


def _nul_late() -> bytes:
    rows = [deal(f"N{i}") for i in range(3000)]  # well past the 64 KB the sniffer reads
    rows.append(deal("N-last", deal_name="bad\x00name"))
    return csv_bytes(rows)


def _mixed_endings() -> bytes:
    lines = [",".join(DEALS_HEADER), *(",".join(deal(f"E{i}")) for i in range(4))]
    return (lines[0] + "\r\n" + lines[1] + "\n" + lines[2] + "\r" + lines[3] + "\r\n"
            + lines[4] + "\r").encode()


HOSTILE_TEXT = ["<script>alert('x')</script>", "x'); DROP TABLE deals; --",
                "=HYPERLINK(\"http://evil.example\")", "é" + "x" * 100_000]


def _workbook() -> bytes:
    def build(workbook: Any) -> None:
        notes = workbook.add_worksheet("Read me")
        notes.write_string(0, 0, "Exported on 2024-04-01")
        sheet = workbook.add_worksheet("Deals")
        sheet.merge_range(0, 0, 0, 4, "Pipeline report")
        sheet.write_row(1, 0, ["Deal ID", "Deal owner", "Deal Stage", "Amount", "Create Date"])
        sheet.write_row(2, 0, ["X1", "Ann", "Prospecting", 100, 45352])  # serial date
        sheet.write_row(3, 0, ["X2", "Bob", "Prospecting"])
        sheet.write_formula(3, 3, "=D3*2", None, 200)
        sheet.write_number(3, 4, 45353)
        sheet.write_row(4, 0, ["X3", "Cy", "Prospecting", 5, 1000])  # not a date
    return xlsx_bytes(build)


def _truncated_xlsx() -> bytes:
    data = simple_xlsx()
    return data[: len(data) // 2]


HOSTILE: list[Hostile] = [
    # ---- refused: the whole file is unusable ---------------------------------
    Hostile("empty", lambda: b"", says=("empty",)),
    Hostile("blank-lines", lambda: b"\n \r\n\t\n", says=("empty",)),
    Hostile("bom-only", lambda: b"\xef\xbb\xbf", says=("empty",)),
    Hostile("one-unknown-column", lambda: b"notes\nhello\nworld\n",
            says=("no column was recognised",)),
    Hostile("one-known-column", lambda: b"deal_id\nD1\nD2\n",
            says=("deals", "no column for", "amount")),
    Hostile("unknown-headers", lambda: b"foo,bar,baz\n1,2,3\n4,5,6\n",
            says=("no column was recognised", "foo")),
    Hostile("5000-unknown-columns", lambda: _wide(5000, known=False),
            says=("no column was recognised",)),
    Hostile("1mb-single-line-90k-cells", lambda: b"lorem ipsum," * 90_000,
            says=("90,001 columns",)),
    Hostile("1mb-single-cell", lambda: b"z" * 1_000_000, says=("no column was recognised",)),
    Hostile("mostly-nul-bytes", lambda: GOOD_DEALS.replace(b"Globex", b"\x00" * 40),
            says=("NUL", "line 3")),
    Hostile("png-renamed", lambda: PNG, says=("PNG",)),
    Hostile("pdf-renamed", lambda: PDF, says=("PDF",)),
    Hostile("zip-renamed", zip_archive, says=("ZIP",)),
    Hostile("zip-header-only", lambda: b"PK\x03\x04" + bytes(40), says=("ZIP",)),
    Hostile("truncated-xlsx", _truncated_xlsx, name="export.xlsx", says=("excel",)),
    Hostile("encrypted-or-ole", lambda: OLE, name="export.xlsx", says=("password",)),
    Hostile("truncated-parquet", lambda: b"PAR1" + bytes(30), name="export.parquet",
            says=("parquet",)),
    Hostile("utf16-unknown-headers", lambda: "\ufeffa,b\n1,2\n".encode("utf-16-le"),
            says=("no column was recognised",)),
    # ---- imported: row problems are rejected rows, the good rows are kept ----
    Hostile("header-only", lambda: csv_bytes([]), refused=False, accepted=0),
    Hostile("5000-columns-with-known-ones", lambda: _wide(5000, known=True), refused=False,
            accepted=3),
    Hostile("1mb-line-after-header",
            lambda: csv_bytes([deal("L1")]) + b"L2," + b"z," * 500_000 + b"\n"
            + csv_bytes([deal("L3")])[len(",".join(DEALS_HEADER)) + 1:],
            refused=False, accepted=2, rejected_lines={3: ""}),
    Hostile("unbalanced-quote",
            lambda: csv_bytes([deal("Q1")]) + b'Q2,"Acme,Ann,open,1,2024-01-01,,x\n',
            refused=False, accepted=1, rejected_lines={3: ""}),
    Hostile("duplicate-ids", lambda: csv_bytes([deal("D1"), deal("D1", owner="Other")]),
            refused=False, accepted=1, rejected_lines={3: "deal_id"}),
    Hostile("years-1900-and-9999",
            lambda: csv_bytes([deal("Y1", created_at="1900-01-01"),
                               deal("Y2", created_at="9999-12-31"), deal("Y3")]),
            refused=False, accepted=1, rejected_lines={2: "created_at", 3: "created_at"}),
    Hostile("closed-before-created",
            lambda: csv_bytes([deal("C1", status="won", created_at="2024-03-10",
                                    closed_at="2024-03-01"), deal("C2")]),
            refused=False, accepted=2),  # kept (entered after the fact), out of the cycle
    Hostile("won-without-close-date", lambda: csv_bytes([deal("W1", status="won"), deal("W2")]),
            refused=False, accepted=1, rejected_lines={2: "closed_at"}),
    Hostile("non-finite-amounts",
            lambda: csv_bytes([deal("A1", amount="inf"), deal("A2", amount="NaN"),
                               deal("A3", amount="1e309"), deal("A4", amount="-Infinity"),
                               deal("A5")]),
            refused=False, accepted=1,
            rejected_lines={2: "amount", 3: "amount", 4: "amount", 5: "amount"}),
    Hostile("negative-amounts",
            lambda: csv_bytes([deal("M1", amount="-250"), deal("M2", amount="(1 200)")]),
            refused=False, accepted=2),
    Hostile("mixed-date-orders",
            lambda: csv_bytes([deal("O1", created_at="25/03/2024"),
                               deal("O2", created_at="26/03/2024"),
                               deal("O3", created_at="3/27/2024")]),
            refused=False, accepted=2, rejected_lines={4: "created_at"}),
    Hostile("utf16-with-bom",
            lambda: csv_bytes([deal("U1", owner="Hélène"), deal("U2")]).decode().encode("utf-16"),
            refused=False, accepted=2),
    Hostile("mixed-line-endings", _mixed_endings, refused=False, accepted=4),
    # Stray NUL bytes (a real Salesforce export had 48) are dropped with a note.
    Hostile("nul-in-head", lambda: csv_bytes([deal("Z1", deal_name="Glo\x00bex"), deal("Z2")]),
            refused=False, accepted=2),
    Hostile("nul-after-64kb", _nul_late, refused=False, accepted=3001),
    Hostile("html-sql-formulas-long-text",
            lambda: csv_bytes([deal(f"T{i}", deal_name=text, owner=text[:50])
                               for i, text in enumerate(HOSTILE_TEXT)]),
            refused=False, accepted=len(HOSTILE_TEXT)),
    Hostile("xlsx-several-sheets", _workbook, name="export.xlsx", refused=False, accepted=2,
            rejected_lines={5: "Create Date"}),
]


def hostile_params(*, refused: bool | None = None) -> list[Any]:
    return [pytest.param(h, id=h.id) for h in HOSTILE if refused is None or h.refused == refused]


# --------------------------------------------------------------------------
# Workspace snapshots
# --------------------------------------------------------------------------


def snapshot(workspace: Workspace, kpi: bool = True) -> dict[str, Any]:
    """Everything a user sees of the workspace: counts, files, the rows, a KPI."""
    deals = workspace.con.execute(
        "SELECT * FROM deals ORDER BY source_file, deal_id").fetchall()
    state = {"counts": workspace.row_counts(), "files": sorted(workspace.sources), "deals": deals}
    if kpi:
        figures = compute_report(workspace.con, Filters())["pipeline"]  # the §6 contract
        state.update(won_revenue=figures["won_revenue"], win_rate=figures["win_rate"])
    return state
