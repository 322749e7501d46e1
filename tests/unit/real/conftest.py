"""Acceptance tests over real CRM exports (../shared/real, see its README.md).

Every file is loaded through `python -m kpi` as a user runs it, and every
expected figure is computed here from the raw bytes with the csv module and
this folder's own small readers (money as `$22,700.00` or `$141.56K`, dates
as `15 Apr, 2021 00:02:00` or `26-02-2018 19:58`), never with kpi's parsers:
a test compares two independent readings of the same export. The files are
read in place and never copied into the project; without them (a checkout
without ../shared) every test here skips.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"
REAL = SHARED / "real"

MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}
ZOHO_TIME = re.compile(r"(\d{1,2}) ([A-Z][a-z]{2}), (\d{4}) \d\d:\d\d:\d\d")
DOLLARS = re.compile(r"\$([\d,]+(?:\.\d+)?)([KM]?)")
DAY_MONTH_YEAR = re.compile(r"(\d\d)-(\d\d)-(\d{4})(?: \d\d:\d\d)?")
SUFFIX = {"": 1, "K": 1_000, "M": 1_000_000}


# --------------------------------------------------------------------------
# The tests' own reading of a raw file
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class RawCsv:
    """A CSV export as the csv module sees it.

    `records` are the lines with as many cells as the header; `stray` the other
    non-blank lines (the importer reports those as malformed rejected rows).
    Each comes with its line number, the header being line 1.
    """

    header: list[str]
    records: list[tuple[int, list[str]]]
    stray: list[tuple[int, list[str]]]

    def dicts(self) -> list[dict[str, str]]:
        """Records keyed by header; a repeated header name keeps its first column."""
        first = {name: i for i, name in reversed(list(enumerate(self.header)))}
        return [{name: cells[i] for name, i in first.items()} for _, cells in self.records]


@dataclass(frozen=True)
class Deal:
    """One deal as a test reads it from its raw file (status in the file's own words)."""

    deal_id: str | None  # None: the file has no id column (an id is generated)
    created: date | None
    closed: date | None
    status: str  # "open" / "won" / "lost"
    amount: Decimal
    currency: str | None = None


class Raw:
    """Readers for the formats these exports use, and docs/tables.md's deal rules, written
    for the tests only (tests build their rows as `raw.Deal(...)`)."""

    Deal = Deal

    @staticmethod
    def read(path: Path, encoding: str = "utf-8-sig") -> RawCsv:
        """NUL bytes stripped, the BOM dropped (utf-8-sig), blank lines skipped."""
        text = path.read_bytes().replace(b"\0", b"").decode(encoding)
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader)
        records, stray = [], []
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                (records if len(cells) == len(header) else stray).append((line, cells))
            line = reader.line_num + 1
        return RawCsv(header, records, stray)

    @staticmethod
    def dollars(text: str) -> Decimal:
        """`$22,700.00`, `$1,117.10K`; empty is 0 (docs/tables.md: an empty amount is 0)."""
        if not text.strip():
            return Decimal(0)
        match = DOLLARS.fullmatch(text.strip())
        assert match, f"not a dollar amount: {text!r}"
        return Decimal(match[1].replace(",", "")) * SUFFIX[match[2]]

    @staticmethod
    def number(text: str) -> Decimal:
        """A plain number (`26250`, `9225.225`); empty is 0."""
        return Decimal(text.strip() or 0)

    @staticmethod
    def zoho_day(text: str) -> date:
        """`15 Apr, 2021 00:02:00` (Zoho Analytics) -> 2021-04-15."""
        match = ZOHO_TIME.fullmatch(text.strip())
        assert match, f"not a Zoho date-time: {text!r}"
        return date(int(match[3]), MONTHS[match[2]], int(match[1]))

    @staticmethod
    def iso_day(text: str) -> date | None:
        """The date part of `2023-04-04 11:48` or `2021-02-03T15:58:12+03:00` (local date)."""
        return date.fromisoformat(text.strip()[:10]) if text.strip() else None

    @staticmethod
    def dmy_day(text: str) -> date:
        """`26-02-2018 19:58` or `21-02-2018` (Olist) -> 2018-02-26."""
        match = DAY_MONTH_YEAR.fullmatch(text.strip())
        assert match, f"not a dd-mm-yyyy date: {text!r}"
        return date(int(match[3]), int(match[2]), int(match[1]))

    @staticmethod
    def accepted(deals: Iterable[Deal]) -> list[Deal]:
        """docs/tables.md's reject rules: a creation date is needed, won/lost deals need a
        close date, a repeated id keeps its first row. Early closes are kept."""
        seen: set[str] = set()
        kept = []
        for deal in deals:
            if deal.deal_id is not None and deal.deal_id in seen:
                continue
            if deal.deal_id is not None:
                seen.add(deal.deal_id)
            if deal.created is None or (deal.status != "open" and deal.closed is None):
                continue
            kept.append(deal)
        return kept

    @staticmethod
    def pipeline(deals: Iterable[Deal], currency: str | None = None) -> dict[str, Any]:
        """docs/kpis/pipeline.md over all data (one currency's deals when `currency` is given)."""
        mine = [d for d in deals if currency is None or d.currency == currency]
        won = [d for d in mine if d.status == "won"]
        opened = [d for d in mine if d.status == "open"]
        return {
            "won": len(won),
            "lost": sum(d.status == "lost" for d in mine),
            "won_revenue": sum((d.amount for d in won), Decimal(0)),
            "open_deals": len(opened),
            "open_pipeline_value": sum((d.amount for d in opened), Decimal(0)),
        }

    @staticmethod
    def closed_early(deals: Iterable[Deal]) -> int:
        """Won or lost deals closed before they were created (kept and counted, docs/tables.md).

        An open deal's close date is only expected, so it closes nothing early."""
        return sum(1 for d in deals
                   if d.status != "open" and d.closed and d.created and d.closed < d.created)


# --------------------------------------------------------------------------
# The product, as a user runs it
# --------------------------------------------------------------------------


@dataclass
class Cli:
    """`python -m kpi` in a subprocess; each distinct command runs once per session."""

    _results: dict[tuple[str, ...], subprocess.CompletedProcess[str]] = field(
        default_factory=dict)

    def run(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        key = tuple(str(a) for a in args)
        if key not in self._results:
            self._results[key] = subprocess.run(
                [sys.executable, "-m", "kpi", *key], cwd=REPO, capture_output=True,
                text=True, timeout=300)
        return self._results[key]

    def json(self, *args: str | Path) -> dict[str, Any]:
        """The JSON output of a command that must succeed (exit 0)."""
        result = self.run(*args, "--format", "json")
        command = " ".join(Path(str(a)).name for a in args)
        assert result.returncode == 0, (
            f"`python -m kpi {command}` exited {result.returncode}, expected 0; "
            f"stderr: {result.stderr.strip()[-600:]}")
        return json.loads(result.stdout)

    def imported(self, path: Path) -> dict[str, Any]:
        """The import report of one file (`python -m kpi import FILE`)."""
        return self.json("import", path)["import"][0]

    def report(self, *args: str | Path) -> dict[str, Any]:
        """`python -m kpi report ...`: every KPI over all data, plus "import"."""
        return self.json("report", *args)

    def refusal(self, path: Path) -> str | None:
        """The one stderr line of a refused file (exit 2); None when the file loads."""
        result = self.run("import", path, "--format", "json")
        if result.returncode == 0:
            return None
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 2 and len(lines) == 1, (
            f"a refusal is exit 2 with one line on stderr; got exit {result.returncode} "
            f"and {len(lines)} line(s): {result.stderr.strip()[-600:]}")
        return lines[0]

    def customers(self, path: Path) -> tuple[int, int]:
        """(leads, customers) summed over every channel the report lists.

        The report shows customers per channel only (social_selling for
        `--social-channel`), so each channel holding leads is asked once.
        """
        channels = [c["channel"] for c in self.report(path)["channels"] if c["leads"]]
        leads = customers = 0
        for channel in channels:
            social = self.report(path, "--social-channel", channel)["social_selling"]
            leads += social["leads"]
            customers += social["customers"]
        return leads, customers


def _agrees(observed: Any, expected: Any) -> bool:
    if isinstance(expected, (int, float, Decimal)) and not isinstance(expected, bool):
        return (isinstance(observed, (int, float)) and not isinstance(observed, bool)
                and observed == pytest.approx(float(expected), rel=1e-9, abs=1e-6))
    return observed == expected


def _shown(value: Any) -> str:
    return str(value) if isinstance(value, Decimal) else repr(value)


def check_same(observed: Mapping[str, Any], expected: Mapping[str, Any], what: str) -> None:
    """Every expected figure at once, so one failure lists all the figures that differ."""
    wrong = [f"{key}: importer gave {observed.get(key)!r}, the raw file says {_shown(value)}"
             for key, value in expected.items() if not _agrees(observed.get(key), value)]
    assert not wrong, f"{what}: " + "; ".join(wrong)


# --------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def real() -> Callable[..., Path]:
    """`real("zoho-sample/Leads.csv")`: the path of a real export; skips when absent."""

    def _path(relative: str, root: Path = REAL) -> Path:
        path = root / relative
        if not path.is_file():
            pytest.skip(f"{path} is not available (../shared beside the repository)")
        return path

    return _path


@pytest.fixture(scope="session")
def maven(real: Any) -> Path:
    """The public Maven CRM sample, the corpus's further check."""
    return real("maven_crm/sales_pipeline.csv", SHARED / "samples")


@pytest.fixture(scope="session")
def raw() -> type[Raw]:
    return Raw


@pytest.fixture(scope="session")
def cli() -> Cli:
    return Cli()


@pytest.fixture(scope="session")
def same() -> Callable[..., None]:
    """`same(observed, expected, what)`: compare figures, naming both values of each."""
    return check_same
