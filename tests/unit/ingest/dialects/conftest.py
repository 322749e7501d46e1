"""Helpers of the per-CRM dialect tests.

Each test module writes a small file exactly as its CRM writes it (header
names in their real order, real value formats) and, where one exists, reads
the CRM's real export from ../shared/real (never copied into the project;
skipped when the folder is absent, as in CI without it).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parents[4].parent / "shared" / "real"


def read_real(relative: str) -> bytes:
    """The bytes of one real export, or a skip when the corpus is not beside the repo."""
    path = REAL / relative
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path.read_bytes()


def csv_rows(data: bytes, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    """The rows of a CSV read with Python's csv module: the independent count to compare."""
    text = data.replace(b"\x00", b"").decode(encoding)
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="session")
def real() -> Callable[[str], bytes]:
    """`real("zoho-sample/Leads.csv")`: a real export's bytes, or skip."""
    return read_real


@pytest.fixture(scope="session")
def rows_of() -> Callable[..., list[dict[str, str]]]:
    """`rows_of(data, encoding=...)`: the file's rows as Python's csv module reads them."""
    return csv_rows
