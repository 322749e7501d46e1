"""Deterministic synthetic CRM exports for the benchmark.

One seeded numpy generator per (table, size) gives the same files on every
machine. Files are cached under `benchmarks/results/data/v<GENERATOR_VERSION>/`
(gitignored); bump GENERATOR_VERSION when the shape of the data changes.

The workspace of one size holds:
  deals         n rows: 25 reps, 10 channels (raw values such as "LinkedIn",
                "Cold email"; 1 % empty), 4 years of creation dates (2021-2024),
                open / won / lost, amounts with cents, 60 % with a proposal date
  leads         n rows, same reps and channels, ~18 % converted
  content       n / 10 events (decks shared on deals, articles, own posts)
  compensation  25 reps x 48 months of packages
The deals exist in three formats: a UTF-8 CSV with HubSpot headers and ISO
dates, a French CSV (`;`, `12 345,50`, dd/mm/yyyy, cp1252, French headers and
values) and an XLSX (HubSpot headers, real Excel dates and numbers).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

GENERATOR_VERSION = 1
SEED = 20_240_601
START = date(2021, 1, 1)
END = date(2024, 12, 31)
DAYS = (END - START).days + 1

REPS: tuple[str, ...] = (
    "Camille Martin", "Hélène Dubois", "Lucas Bernard", "Chloé Thomas", "Hugo Petit",
    "Léa Robert", "Nathan Richard", "Manon Durand", "Théo Moreau", "Inès Laurent",
    "Jules Simon", "Zoé Michel", "Louis Lefèvre", "Emma Leroy", "Raphaël Roux",
    "Jade David", "Arthur Bertrand", "Louise Morel", "Gabriel Fournier", "Alice Girard",
    "Noah Bonnet", "Lina Dupont", "Adam Lambert", "Rose Fontaine", "Sacha Rousseau",
)
# Raw source values as exported (English/HubSpot-like, French), their canonical
# id (docs/tables.md, "Channels"), their share of deals, win and lead conversion probabilities.
CHANNELS: tuple[tuple[str, str, str, float, float, float], ...] = (
    ("LinkedIn", "LinkedIn", "linkedin", 0.22, 0.28, 0.22),
    ("Cold email", "E-mail à froid", "cold_email", 0.15, 0.12, 0.08),
    ("Cold call", "Appel à froid", "cold_call", 0.08, 0.10, 0.07),
    ("Facebook", "Facebook", "facebook", 0.05, 0.15, 0.12),
    ("Twitter", "Twitter", "twitter", 0.03, 0.12, 0.10),
    ("Event", "Salon", "event", 0.10, 0.25, 0.20),
    ("Website", "Site web", "website_organic", 0.14, 0.20, 0.15),
    ("Paid search", "Publicité", "website_paid", 0.08, 0.18, 0.12),
    ("Word of mouth", "Bouche à oreille", "word_of_mouth", 0.05, 0.40, 0.35),
    ("Referral", "Parrainage", "referral", 0.09, 0.45, 0.40),
)
EMPTY_CHANNEL_SHARE = 0.01
OPEN_STAGES = ("Appointment Scheduled", "Qualified To Buy", "Presentation Scheduled",
               "Decision Maker Bought-In", "Contract Sent")
CONTENT_TITLES = ("Product deck 2024", "Case study: retail", "Pricing one-pager",
                  "Blog: 5 tips for social selling", "Webinar replay", "Customer story")

# The typical filter of a page (18 months, 10 of 25 reps, 5 of 10 channels).
TYPICAL_REPS: tuple[str, ...] = REPS[::2][:10]
TYPICAL_CHANNELS: tuple[str, ...] = ("linkedin", "cold_email", "event", "website_organic",
                                     "referral")
TYPICAL_FROM = date(2023, 7, 1)
TYPICAL_TO = END

HUBSPOT_HEADERS = ("Record ID", "Deal Name", "Deal owner", "Deal Stage", "Amount",
                   "Create Date", "Close Date", "Original Source", "Proposal sent date")
FRENCH_HEADERS = ("Identifiant", "Commercial", "Montant", "Date de création",
                  "Date de clôture", "Statut", "Canal d'acquisition")


def parse_size(text: str) -> int:
    """'100k' -> 100_000, '1m' -> 1_000_000, '250' -> 250."""
    text = text.strip().lower().replace("_", "")
    factor = 1
    if text.endswith("k"):
        factor, text = 1_000, text[:-1]
    elif text.endswith("m"):
        factor, text = 1_000_000, text[:-1]
    value = int(float(text) * factor)
    if value <= 0:
        raise ValueError(f"size must be positive: {text!r}")
    return value


def size_label(rows: int) -> str:
    """100_000 -> '100k', 1_000_000 -> '1m', 100 -> '100'."""
    if rows % 1_000_000 == 0:
        return f"{rows // 1_000_000}m"
    if rows % 1_000 == 0:
        return f"{rows // 1_000}k"
    return str(rows)


@dataclass(frozen=True)
class Workspace:
    """Paths of the generated files of one size."""

    rows: int
    deals_utf8: Path
    deals_fr: Path
    leads: Path
    content: Path
    compensation: Path

    @property
    def label(self) -> str:
        return size_label(self.rows)

    @property
    def extra_files(self) -> tuple[Path, ...]:
        """Everything but the deals: loaded for the page refresh, not timed."""
        return (self.leads, self.content, self.compensation)


# --------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------


@dataclass
class Deals:
    ids: np.ndarray  # int64
    rep: np.ndarray  # index into REPS
    channel: np.ndarray  # index into CHANNELS, len(CHANNELS) = empty
    status: np.ndarray  # 0 open, 1 won, 2 lost
    stage: np.ndarray  # index into OPEN_STAGES for open deals
    cents: np.ndarray  # int64
    created: np.ndarray  # days since START
    closed: np.ndarray  # days since START, -1 = none
    proposal: np.ndarray  # days since START, -1 = none


def _rng(table: str, rows: int) -> np.random.Generator:
    return np.random.default_rng([SEED, rows, sum(table.encode())])


def _channel_index(rng: np.random.Generator, rows: int) -> np.ndarray:
    shares = np.array([c[3] for c in CHANNELS])
    shares = shares / shares.sum() * (1 - EMPTY_CHANNEL_SHARE)
    return rng.choice(len(CHANNELS) + 1, size=rows, p=[*shares, EMPTY_CHANNEL_SHARE])


def _rep_index(rng: np.random.Generator, rows: int) -> np.ndarray:
    weights = np.linspace(0.5, 1.5, len(REPS))
    return rng.choice(len(REPS), size=rows, p=weights / weights.sum())


def make_deals(rows: int) -> Deals:
    rng = _rng("deals", rows)
    rep = _rep_index(rng, rows)
    channel = _channel_index(rng, rows)
    created = rng.integers(0, DAYS, size=rows)
    cycle = (7 + rng.gamma(2.0, 25.0, size=rows)).astype(np.int64)
    win_p = np.array([c[4] for c in CHANNELS] + [0.15])[channel]
    win_p = np.clip(win_p * np.linspace(0.7, 1.3, len(REPS))[rep], 0.0, 0.8)
    draw = rng.random(rows)
    status = np.where(draw < win_p, 1, np.where(draw < 0.85, 2, 0))
    closed = created + cycle
    status = np.where(closed >= DAYS, 0, status)  # not decided yet at the end of the data
    closed = np.where(status == 0, -1, closed)
    proposal_day = created + (cycle * 0.6).astype(np.int64)
    has_proposal = (rng.random(rows) < 0.6) & (proposal_day < DAYS)
    proposal = np.where(has_proposal, proposal_day, -1)
    value = rng.lognormal(np.log(8_000), 0.8, size=rows)
    value *= np.array([1.0, 0.7, 0.6, 0.8, 0.8, 1.3, 1.0, 0.9, 1.2, 1.5, 1.0])[channel]
    cents = np.clip(np.round(value * 100), 100, 99_999_999).astype(np.int64)
    stage = rng.integers(0, len(OPEN_STAGES), size=rows)
    return Deals(1_000_001 + np.arange(rows, dtype=np.int64), rep, channel, status, stage,
                 cents, created, closed, proposal)


def _dates(days: np.ndarray) -> pa.Array:
    """Days since START (-1 = missing) as a date32 array."""
    epoch = (START - date(1970, 1, 1)).days
    return pa.array(days + epoch, pa.int32(), mask=days < 0).cast(pa.date32())


def _strings(values: tuple[str, ...], index: np.ndarray, empty: str = "") -> pa.Array:
    lookup = pa.array([*values, empty], pa.string())
    return lookup.take(pa.array(index))


def _amounts(cents: np.ndarray, french: bool) -> pa.Array:
    """'12345.50' or, French, '12 345,50' (amounts stay below a million)."""
    units, frac = cents // 100, cents % 100
    frac_text = pc.utf8_lpad(pc.cast(pa.array(frac), pa.string()), width=2, padding="0")
    if not french:
        return pc.binary_join_element_wise(pc.cast(pa.array(units), pa.string()), frac_text, ".")
    thousands, rest = units // 1000, units % 1000
    grouped = pc.binary_join_element_wise(
        pc.cast(pa.array(thousands), pa.string()),
        pc.utf8_lpad(pc.cast(pa.array(rest), pa.string()), width=3, padding="0"), " ")
    whole = pc.if_else(pa.array(thousands > 0), grouped, pc.cast(pa.array(rest), pa.string()))
    return pc.binary_join_element_wise(whole, frac_text, ",")


def deals_table(deals: Deals, french: bool) -> pa.Table:
    channel_names = tuple(c[1] if french else c[0] for c in CHANNELS)
    ids = pc.cast(pa.array(deals.ids), pa.string())
    date_format = "%d/%m/%Y" if french else "%Y-%m-%d"
    created = pc.strftime(_dates(deals.created), format=date_format)
    closed = pc.strftime(_dates(deals.closed), format=date_format)
    amount = _amounts(deals.cents, french)
    owner = _strings(REPS, deals.rep)
    channel = _strings(channel_names, deals.channel)
    if french:
        status = _strings(("En cours", "Gagné", "Perdu"), deals.status)
        columns = [ids, owner, amount, created, closed, status, channel]
        return pa.table(dict(zip(FRENCH_HEADERS, columns, strict=True)))
    stage_index = np.where(deals.status == 1, len(OPEN_STAGES),
                           np.where(deals.status == 2, len(OPEN_STAGES) + 1, deals.stage))
    stage = _strings((*OPEN_STAGES, "Closed Won", "Closed Lost"), stage_index)
    name = pc.binary_join_element_wise(pa.array(["Opportunity"] * len(ids)), ids, " ")
    proposal = pc.strftime(_dates(deals.proposal), format=date_format)
    columns = [ids, name, owner, stage, amount, created, closed, channel, proposal]
    return pa.table(dict(zip(HUBSPOT_HEADERS, columns, strict=True)))


def leads_table(rows: int) -> pa.Table:
    rng = _rng("leads", rows)
    rep = _rep_index(rng, rows)
    channel = _channel_index(rng, rows)
    created = rng.integers(0, DAYS, size=rows)
    conversion = np.array([c[5] for c in CHANNELS] + [0.05])[channel]
    converted = created + (3 + rng.gamma(2.0, 20.0, size=rows)).astype(np.int64)
    converted = np.where((rng.random(rows) < conversion) & (converted < DAYS), converted, -1)
    return pa.table({
        "lead_id": pc.cast(pa.array(5_000_001 + np.arange(rows, dtype=np.int64)), pa.string()),
        "created_at": pc.strftime(_dates(created), format="%Y-%m-%d"),
        "owner": _strings(REPS, rep),
        "channel": _strings(tuple(c[0] for c in CHANNELS), channel),
        "converted_at": pc.strftime(_dates(converted), format="%Y-%m-%d"),
    })


def content_table(rows: int, deal_rows: int) -> pa.Table:
    rng = _rng("content", rows)
    kind = rng.choice(3, size=rows, p=[0.5, 0.3, 0.2])
    deal = 1_000_001 + rng.integers(0, max(deal_rows, 1), size=rows)
    deal_id = pc.if_else(pa.array(kind == 0), pc.cast(pa.array(deal), pa.string()),
                         pa.scalar(None, pa.string()))
    return pa.table({
        "date": pc.strftime(_dates(rng.integers(0, DAYS, size=rows)), format="%Y-%m-%d"),
        "owner": _strings(REPS, _rep_index(rng, rows)),
        "kind": _strings(("deck_shared", "article_shared", "own_post"), kind),
        "deal_id": deal_id,
        "title": _strings(CONTENT_TITLES, rng.integers(0, len(CONTENT_TITLES), size=rows)),
        "views": pc.cast(pa.array(rng.poisson(120, size=rows)), pa.string()),
        "likes": pc.cast(pa.array(rng.poisson(8, size=rows)), pa.string()),
    })


def compensation_table() -> pa.Table:
    rng = _rng("compensation", len(REPS))
    base = rng.integers(5_000, 12_000, size=len(REPS))
    months = [date(START.year + m // 12, m % 12 + 1, 1) for m in range(48)]
    owner = [rep for rep in REPS for _ in months]
    month = [m.strftime("%Y-%m") for _ in REPS for m in months]
    package = [f"{base[i] * (1 + 0.03 * (m // 12)):.2f}" for i in range(len(REPS))
               for m in range(len(months))]
    return pa.table({"owner": owner, "month": month, "package": package})


# --------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------


def csv_bytes(table: pa.Table, delimiter: str = ",", encoding: str = "utf-8",
              quoted: bool = True) -> bytes:
    """CSV text: every string quoted (HubSpot) or none (Excel's French "CSV (;)")."""
    sink = io.BytesIO()
    if not quoted:  # pyarrow quotes the header whatever the style
        sink.write((delimiter.join(table.column_names) + "\n").encode())
    options = pacsv.WriteOptions(delimiter=delimiter, include_header=quoted,
                                 quoting_style="needed" if quoted else "none")
    pacsv.write_csv(table, sink, write_options=options)
    data = sink.getvalue()
    return data if encoding == "utf-8" else data.decode("utf-8").encode(encoding)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _cached(path: Path, build) -> Path:  # noqa: ANN001 - a zero-argument callable -> bytes
    if not path.exists():
        _write_atomic(path, build())
    return path


def workspace_files(rows: int, data_dir: Path) -> Workspace:
    """The files of one size, generated once and cached in `data_dir`."""
    folder = Path(data_dir) / f"v{GENERATOR_VERSION}"
    label = size_label(rows)
    deals: list[Deals] = []

    def get_deals() -> Deals:
        if not deals:
            deals.append(make_deals(rows))
        return deals[0]

    return Workspace(
        rows=rows,
        deals_utf8=_cached(folder / f"deals-{label}-utf8.csv",
                           lambda: csv_bytes(deals_table(get_deals(), french=False))),
        deals_fr=_cached(folder / f"deals-{label}-fr-cp1252.csv",
                         lambda: csv_bytes(deals_table(get_deals(), french=True), ";",
                                           "cp1252", quoted=False)),
        leads=_cached(folder / f"leads-{label}.csv", lambda: csv_bytes(leads_table(rows))),
        content=_cached(folder / f"content-{label}.csv",
                        lambda: csv_bytes(content_table(max(rows // 10, 1), rows))),
        compensation=_cached(folder / "compensation.csv",
                             lambda: csv_bytes(compensation_table())),
    )


def xlsx_file(rows: int, data_dir: Path) -> Path:
    """Deals with HubSpot headers in an XLSX workbook (xlsxwriter, constant_memory)."""
    path = Path(data_dir) / f"v{GENERATOR_VERSION}" / f"deals-{size_label(rows)}.xlsx"
    if path.exists():
        return path
    import xlsxwriter

    deals = make_deals(rows)
    table = deals_table(deals, french=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    workbook = xlsxwriter.Workbook(str(temporary), {"constant_memory": True})
    try:
        sheet = workbook.add_worksheet("Deals")
        date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
        money_format = workbook.add_format({"num_format": "#,##0.00"})
        sheet.write_row(0, 0, HUBSPOT_HEADERS)
        text_columns = {name: table[name].to_pylist() for name in
                        ("Record ID", "Deal Name", "Deal owner", "Deal Stage",
                         "Original Source")}
        date_columns = {"Create Date": deals.created, "Close Date": deals.closed,
                        "Proposal sent date": deals.proposal}
        for i in range(rows):
            row = i + 1
            for column, name in enumerate(HUBSPOT_HEADERS):
                if name in text_columns:
                    value = text_columns[name][i]
                    if value:
                        sheet.write_string(row, column, value)
                elif name == "Amount":
                    sheet.write_number(row, column, int(deals.cents[i]) / 100, money_format)
                else:
                    day = int(date_columns[name][i])
                    if day >= 0:
                        sheet.write_datetime(row, column, START + timedelta(days=day),
                                             date_format)
    finally:
        workbook.close()
    os.replace(temporary, path)
    return path
