"""Values as evidence: what an unrecognised column probably is, from what it holds.

When a file's headers are in no dialect ('Ouvert le', 'Vendeur', 'Chiffre'),
recognition leaves fields missing although the columns are there. This module
looks at a sample of every column that no header explained and proposes a
field for it, with a confidence and one sentence for the user: at or above
SURE the importer may apply the proposal, below it only suggests it.

Only the first `sample_rows` rows are looked at (fewer in a very wide file),
and of each column only its most frequent distinct values are classified in
Python (distinct and filled counts come from Arrow), so a million-row or
thousand-column file costs little. The patterns here only recognise shapes;
`kpi.ingest.parse` still decides how each value is parsed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import islice

import pyarrow as pa
import pyarrow.compute as pc

from kpi.ingest.fold import fold
from kpi.ingest.parse import MAX_YEAR, MIN_YEAR, decide_date_order
from kpi.ingest.vocabulary import (
    CHANNEL_INDEX,
    CONTENT_KIND_INDEX,
    CUSTOMER_STATUSES,
    FALSE_WORDS,
    STATUS_INDEX,
    TRUE_WORDS,
)
from kpi.messages import Message, field_label, msg
from kpi.schema import FIELDS, ID_FIELD, FieldSpec, FieldType, TableKind

SURE = 0.8  # at or above: apply the proposal; below: only suggest it
MIN_CONFIDENCE = 0.3  # below: not worth showing
MIN_SHARE = 0.5  # share of a column's values a shape must cover to count at all
MAX_VALUES = 32  # distinct values classified per column, the most frequent first
# Cells counted in Arrow at most: a file of a thousand columns is sampled on
# fewer rows (never fewer than MIN_ROWS), so width does not multiply the cost.
MAX_CELLS = 500_000
MIN_ROWS = 200
AMBIGUOUS = 0.5  # cap when the values fit several fields equally (three yes/no flags)
RIVAL_CAP = 0.7  # cap when another column fits the same field almost as well
CLOSE = 0.1  # "almost as well"
ONLY_DATE = 0.6  # cap for the one date column of a table with two dates to fill
MAX_DATE_COLUMNS = 8  # date columns whose rows are compared to order them
ROW_TEST_CAP = 0.7  # cap when fewer than MIN_COMPARED rows show the date order
MIN_COMPARED = 3


@dataclass(frozen=True)
class Proposal:
    """A field proposed for an unmapped column, and why."""

    source: str  # the column header
    field: str  # a field of FIELDS[kind]
    confidence: float  # 0..1
    evidence: tuple[Message, ...]  # why, clause by clause (msg.evidence.*)


@dataclass(frozen=True)
class _Profile:
    """What the sample of one column holds."""

    index: int
    name: str
    values: list[str]  # the most frequent distinct non-empty values, trimmed
    counts: list[int]  # rows holding each of them
    folded: list[str]  # `values` folded, for the vocabularies
    distinct: int  # distinct non-empty values in the sample
    filled: int  # non-empty cells in the sample
    rows: int  # cells in the sample

    def share(self, test: Callable[[str], float], folded: bool = False) -> tuple[float, str]:
        """Share of the looked-at rows passing `test` (a weight 0..1), and the commonest one."""
        looked = hits = 0.0
        example = ""
        for value, key, count in zip(self.values, self.folded, self.counts, strict=True):
            weight = float(test(key if folded else value))
            looked += count
            hits += weight * count
            if weight and not example:
                example = value
        return (hits / looked if looked else 0.0), example


@dataclass(frozen=True)
class _Finding:
    confidence: float
    clauses: tuple[Message, ...]


@dataclass(frozen=True)
class _Candidate:
    index: int
    source: str
    field: str
    confidence: float
    evidence: tuple[Message, ...]


def profile_columns(table: pa.Table, kind: TableKind, mapped: dict[str, str],
                    sample_rows: int = 2000) -> list[Proposal]:
    """Proposals for the fields of `kind` still missing from `mapped` (source -> field),
    from the values of the columns not in `mapped`; at most one proposal per field and per column.
    """
    missing = {spec.name for spec in FIELDS[kind]} - set(mapped.values())
    targets = _targets(kind, missing)
    roles = _DATE_ROLES.get(kind, ())
    if not targets and missing.isdisjoint(roles):
        return []
    rows = min(sample_rows, max(MIN_ROWS, MAX_CELLS // max(1, table.num_columns)))
    sample = table.slice(0, rows)
    profiles = [_profile(i, name, sample.column(i))
                for i, name in enumerate(sample.column_names) if name not in mapped]
    candidates = [c for p in profiles for c in _column_candidates(p, targets)]
    if not missing.isdisjoint(roles):
        anchors = {f: s for s, f in mapped.items() if f in roles and s in sample.column_names}
        candidates += _date_candidates(roles, anchors, profiles, sample)
    return _assign(candidates)


# --------------------------------------------------------------------------
# Sampling
# --------------------------------------------------------------------------


def _profile(index: int, name: str, column: pa.ChunkedArray) -> _Profile:
    """Counts from Arrow over the whole sample; only the commonest values reach Python.

    Few Arrow calls per column: on a thousand-column file their fixed cost is the bill.
    """
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        column = column.cast(pa.string())
    if column.null_count:
        column = pc.fill_null(column, "")
    counted = pc.value_counts(pc.utf8_trim_whitespace(column))
    empty = pc.index(counted.field("values"), "").as_py()
    blanks = counted.field("counts")[empty].as_py() if empty >= 0 else 0
    top = pa.RecordBatch.from_struct_array(counted).sort_by([("counts", "descending")])
    commonest = top.slice(0, MAX_VALUES + 1).to_pydict()
    pairs = [(v, n) for v, n in zip(commonest["values"], commonest["counts"], strict=True)
             if v][:MAX_VALUES]
    values = [v for v, _ in pairs]
    return _Profile(index=index, name=name, values=values, counts=[n for _, n in pairs],
                    folded=[fold(v) for v in values], distinct=len(counted) - (empty >= 0),
                    filled=len(column) - blanks, rows=len(column))


def _percent(share: float) -> int:
    return math.floor(share * 100 + 1e-9)


def _found(confidence: float, code: str, **params: object) -> _Finding:
    """A finding of one clause, msg.evidence.<code>."""
    return _Finding(confidence, (msg(f"evidence.{code}", **params),))


# --------------------------------------------------------------------------
# Dates and months
# --------------------------------------------------------------------------

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?:$|[T\s,])")
# '15 Apr, 2021 00:02:00', '15-avr.-2021', '5. März 2025', '15 de abril de 2024'
_DAY_NAMED = re.compile(r"^(\d{1,2})\.?[\s/-]*(?:de\s+)?([^\W\d_]{3,10})\.?[\s,/-]*(?:de\s+)?"
                        r"(\d{4})(?:$|[T\s,])", re.IGNORECASE)
_NAMED_DAY = re.compile(r"^([^\W\d_]{3,10})\.?\s+(\d{1,2}),?\s+(\d{4})(?:$|[T\s,])",
                        re.IGNORECASE)  # Apr 15, 2021
_ISO_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_NAMED_MONTH = re.compile(r"^([^\W\d_]{3,10})\.?[\s-]+(\d{4})$", re.IGNORECASE)  # mars 2024
# Month names by their first letters, accents removed, in English, French,
# German, Spanish, Portuguese and Italian ('juin'/'juil' need four).
_MONTH_NAMES: dict[str, int] = {
    "jan": 1, "ene": 1, "gen": 1, "feb": 2, "fev": 2, "mar": 3, "apr": 4, "avr": 4, "abr": 4,
    "may": 5, "mai": 5, "mag": 5, "jun": 6, "juin": 6, "giu": 6, "jul": 7, "juil": 7, "lug": 7,
    "aug": 8, "aou": 8, "ago": 8, "sep": 9, "set": 9, "oct": 10, "okt": 10, "out": 10,
    "ott": 10, "nov": 11, "dec": 12, "dez": 12, "dic": 12,
}


def _month_number(word: str) -> int | None:
    """1-12 for a month name or its abbreviation in one of the six languages."""
    folded = fold(word)
    return _MONTH_NAMES.get(folded[:4]) or _MONTH_NAMES.get(folded[:3])


def _valid(year: int, month: int | None, day: int = 1) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR and month is not None and 1 <= month <= 12 \
        and 1 <= day <= 31


def _date_key(value: str, order: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a date in one of the shapes exports write; None otherwise.

    `order` ("DMY" or "MDY") only decides numeric dates like 03/04/2024.
    """
    if match := _ISO.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _NUMERIC.match(value):
        first, second, year = (int(g) for g in match.groups())
        year += 2000 if year < 100 else 0
        month, day = (first, second) if order == "MDY" else (second, first)
    else:
        return _named_date_key(value)
    return (year, month, day) if _valid(year, month, day) else None


def _named_date_key(value: str) -> tuple[int, int, int] | None:
    if match := _DAY_NAMED.match(value):
        day, word, year = int(match.group(1)), match.group(2), int(match.group(3))
    elif match := _NAMED_DAY.match(value):
        word, day, year = match.group(1), int(match.group(2)), int(match.group(3))
    else:
        return None
    month = _month_number(word)
    return (year, month, day) if month and _valid(year, month, day) else None


def _is_date(value: str) -> bool:
    """A date in either day/month order (only numeric dates, which start with a digit,
    depend on it)."""
    return _date_key(value, "DMY") is not None or (
        value[:1].isdigit() and _date_key(value, "MDY") is not None)


def _is_month(value: str) -> bool:
    """'2024-03', '03/2024', 'mars 2024', or a whole date (any day stands for its month)."""
    if match := _ISO_MONTH.match(value):
        return _valid(int(match.group(1)), int(match.group(2)))
    if match := _MONTH_YEAR.match(value):
        return _valid(int(match.group(2)), int(match.group(1)))
    if match := _NAMED_MONTH.match(value):
        return _valid(int(match.group(2)), _month_number(match.group(1)))
    return _is_date(value)


def _dates(p: _Profile) -> _Finding | None:
    share, example = p.share(_is_date)
    if share < MIN_SHARE:
        return None
    return _found(0.95 * share, "dates", share=_percent(share), example=example)


def _months(p: _Profile) -> _Finding | None:
    share, example = p.share(_is_month)
    if share < MIN_SHARE:
        return None
    return _found(0.9 * share, "months", share=_percent(share), example=example)


# --------------------------------------------------------------------------
# Amounts, whole numbers and ids
# --------------------------------------------------------------------------

_CURRENCY_CODES = frozenset({
    "EUR", "USD", "GBP", "CHF", "CAD", "AUD", "NZD", "JPY", "CNY", "INR", "BRL", "MXN", "COP",
    "PEN", "CLP", "ARS", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "RUB", "TRY", "ZAR",
    "SGD", "HKD", "AED", "SAR", "MAD", "TND", "XOF", "ILS", "KRW",
})
_CODES = "|".join(sorted(_CURRENCY_CODES))
# '12 345,50 €', '$1,234.56', '(1 200)', '1,2 M€', '$141.56K', 'EUR 300', '4500'
_MONEY = re.compile(
    rf"^\(?[-+\u2212]?\s*(?P<pre>[€$£¥]|R\$|(?i:{_CODES})\b)?\s*[-+\u2212]?"
    r"(?P<number>\d{1,3}(?:[ ,.\u00a0\u202f'’]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    rf"\s*(?P<scale>[kKmM]\b)?\s*(?P<post>[€$£¥]|(?i:{_CODES}|k€|ht|ttc)\b)?\s*\)?$")
_ID_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:#-]{0,63}$")
_PHONE = re.compile(r"^\+?\(?\d{1,4}\)?(?:[\s.-]\d{2,4}){2,5}$")  # 660-485-0224, 06 12 34 56 78


def _money(value: str) -> str | None:
    """'marked' (decimals, separators, currency, K/M), 'plain' (digits only) or None."""
    match = _MONEY.match(value)
    if match is None:
        return None
    plain = match.group("number").isdigit() and not any(
        match.group(g) for g in ("pre", "scale", "post"))
    return "plain" if plain else "marked"


def _integer_ids(p: _Profile) -> bool:
    """Long whole numbers, all different and of one length: record ids, not amounts.

    Amounts of one length (15000, 24000) are mostly round; ids are not.
    """
    if p.distinct != p.filled or not p.values or not all(v.isdigit() for v in p.values):
        return False
    lengths = {len(v) for v in p.values}
    round_share = sum(v.endswith("00") for v in p.values) / len(p.values)
    return len(lengths) == 1 and min(lengths) >= 5 and round_share < 0.5


def _sequential(p: _Profile) -> bool:
    """Whole numbers that count rows (1, 2, 3 ...), give or take a few gaps."""
    if not p.values or not all(v.isdigit() for v in p.values):
        return False
    numbers = [int(v) for v in p.values]
    return max(numbers) - min(numbers) < 2 * len(numbers)


def _amounts(p: _Profile) -> _Finding | None:
    share, example = p.share(lambda v: _money(v) is not None)
    if share < MIN_SHARE:
        return None
    marked, marked_example = p.share(lambda v: _money(v) == "marked")
    if marked >= share / 2:
        return _found(0.95 * share, "amounts", share=_percent(share), example=marked_example)
    if p.distinct < 3 or _integer_ids(p):
        return None
    return _found(0.65 * share, "whole_amounts", share=_percent(share), example=example)


def _integers(p: _Profile) -> _Finding | None:
    share, example = p.share(str.isdigit)
    if share < MIN_SHARE or _integer_ids(p):
        return None
    return _found(0.7 * share, "whole_numbers", share=_percent(share), example=example)


def _id_like(value: str) -> bool:
    return bool(_ID_TOKEN.match(value)) and any(c.isdigit() for c in value) \
        and not _PHONE.match(value) and not _is_date(value)


def _ids(p: _Profile) -> _Finding | None:
    """Every row filled, every value different and shaped like a record id."""
    if p.filled < 2 or p.distinct != p.filled or p.filled < 0.98 * p.rows:
        return None
    if not all(_id_like(v) for v in p.values):
        return None
    digits_only = all(v.isdigit() for v in p.values)
    structured = _integer_ids(p) or _sequential(p) or (
        not digits_only and len({len(v) for v in p.values}) == 1)
    if digits_only and not structured:
        return None  # whole numbers of every size: amounts or counts
    confidence = 0.6 + 0.25 * min(1.0, (p.filled - 1) / 9) + (0.1 if structured else 0.0)
    return _found(confidence, "all_different", count=p.filled, example=p.values[0])


# --------------------------------------------------------------------------
# Vocabularies: statuses, stages, channels, flags, content kinds, currencies
# --------------------------------------------------------------------------

_FLAG_WORDS = TRUE_WORDS | FALSE_WORDS
_STAGE_WORDS = frozenset(STATUS_INDEX) | CUSTOMER_STATUSES
MAX_STAGES = 30  # more distinct values than this is not a pipeline's stages


def _known(share: float) -> float:
    """Confidence from the share of values a vocabulary knows: the vocabularies are not
    complete ('Web Research', 'Public Relations'), so four in five known is enough."""
    return 0.95 * min(1.0, share / 0.8)


def _vocabulary(p: _Profile, index: Mapping[str, str], code: str, named: str
                ) -> _Finding | None:
    """Most values are words of one of our vocabularies (statuses, content kinds...):
    the finding names the share, the commonest value and what it reads as."""
    share, example = p.share(lambda key: key in index, folded=True)
    if share < MIN_SHARE:
        return None
    return _found(_known(share), code, share=_percent(share), example=example,
                  **{named: index[fold(example)]})


def _statuses(p: _Profile) -> _Finding | None:
    return _vocabulary(p, STATUS_INDEX, "statuses", "status")


def _stages(p: _Profile) -> _Finding | None:
    """A few values repeated over the rows, some of which say won, lost or customer."""
    known, example = p.share(lambda key: key in _STAGE_WORDS, folded=True)
    if not known or p.distinct > MAX_STAGES or 2 * p.distinct > p.filled:
        return None
    return _found(0.6, "some_statuses", distinct=p.distinct, count=p.filled,
                  example=p.values[0], status=example)


def _channel_of(key: str) -> str | None:
    """The channel a folded value names; yes/no words ('x', 'y') are no evidence."""
    return None if key in _FLAG_WORDS else CHANNEL_INDEX.get(key)


def _channels(p: _Profile) -> _Finding | None:
    share, example = p.share(lambda key: _channel_of(key) not in (None, "unknown"), folded=True)
    named = any(_channel_of(k) not in (None, "unknown", "other") for k in p.folded)
    if share < MIN_SHARE or not named:
        return None
    return _found(_known(share), "sources", share=_percent(share), example=example,
                  channel=_channel_of(fold(example)) or "")


def _flags(p: _Profile) -> _Finding | None:
    """Yes/no columns are common (opt-outs, do-not-call), so never sure from values alone.

    Both answers must appear (an empty cell counts as no): a column of '0' alone is
    a number, and one answer everywhere says nothing.
    """
    share, example = p.share(lambda key: key in _FLAG_WORDS, folded=True)
    says_yes = any(k in TRUE_WORDS for k in p.folded)
    says_no = p.filled < p.rows or any(k in FALSE_WORDS for k in p.folded)
    if share < MIN_SHARE or not (says_yes and says_no):
        return None
    return _found(0.6 * share, "yes_no", share=_percent(share), example=example)


def _content_kinds(p: _Profile) -> _Finding | None:
    return _vocabulary(p, CONTENT_KIND_INDEX, "content_kinds", "kind")


def _currencies(p: _Profile) -> _Finding | None:
    share, example = p.share(lambda v: v.upper() in _CURRENCY_CODES)
    if share < MIN_SHARE:
        return None
    return _found(0.9 * share, "currencies", share=_percent(share), example=example)


# --------------------------------------------------------------------------
# Owners: person-like names, few of them, repeated over the rows
# --------------------------------------------------------------------------

_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")
_PARTICLES = frozenset({"de", "du", "des", "la", "le", "van", "von", "der", "den", "di", "da",
                        "dos", "del", "e", "y"})
_COMPANY_WORDS = frozenset({
    "inc", "ltd", "llc", "sa", "sas", "sarl", "gmbh", "ag", "bv", "plc", "co", "corp",
    "corporation", "company", "group", "groupe", "limited", "solutions", "services",
    "consulting", "technologies", "international", "university", "universite",
})
_VOCABULARY = frozenset(STATUS_INDEX) | frozenset(CHANNEL_INDEX) | frozenset(
    CONTENT_KIND_INDEX) | CUSTOMER_STATUSES | _FLAG_WORDS


def _name_word(word: str) -> bool:
    letters = word.replace("-", "").replace("'", "").replace("’", "").rstrip(".")
    return letters.isalpha() and word[0].isupper() and (len(letters) > 1 or word.endswith("."))


def _person(value: str) -> float:
    """1 for 'Mark Stringer' or an e-mail, 0.5 for a lone 'Alice' (or 'Retail'), else 0.

    A lone word in capitals ('SALE') is a code, and a word of the vocabularies
    ('Email Opened', 'Closed Won') or of company names ('Acme Corp') is no name.
    """
    if _EMAIL.match(value):
        return 1.0
    words = value.split()
    names = [w for w in words if w.lower() not in _PARTICLES]
    if not 1 <= len(words) <= 4 or not names or not all(_name_word(w) for w in names):
        return 0.0
    folded = [fold(w) for w in names]
    if fold(value) in _VOCABULARY or any(
            w in _COMPANY_WORDS or len(w) > 2 and w in _VOCABULARY for w in folded):
        return 0.0  # 'Acme Corp', 'Closed Won', 'Email Opened'
    if len(names) >= 2:
        return 1.0
    return 0.0 if value.isupper() else 0.5


def _shared_word(values: list[str]) -> str | None:
    """A word a third of the values share: 'New Business' / 'Existing Business',
    'Finance Management' / 'HR Management' are labels; people's names seldom share one."""
    counts = Counter(word for v in values for word in {w.lower() for w in v.split()})
    word, count = counts.most_common(1)[0] if counts else ("", 0)
    return word if count >= max(2, len(values) / 3) else None


def _owners(p: _Profile) -> _Finding | None:
    """The more rows each name covers, the surer: 3 names over 87 rows are reps, 3 over 3
    could be anyone; names that never repeat are contacts, not reps."""
    if p.filled < 2 or (p.distinct == p.filled and p.filled > 5):
        return None
    share, example = p.share(_person)
    repeated = 1 - p.distinct / p.filled
    confidence = share * (0.4 + 0.6 * min(1.0, repeated / 0.7))
    if p.distinct == 1:
        return _found(min(confidence, AMBIGUOUS), "same_name", example=example, count=p.filled)
    if word := _shared_word(p.values):
        return _found(min(confidence, AMBIGUOUS), "labels", distinct=p.distinct,
                      example=example, count=p.filled, word=word)
    return _found(confidence, "names", distinct=p.distinct, example=example, count=p.filled)


# --------------------------------------------------------------------------
# Which evidence fills which field
# --------------------------------------------------------------------------

_FINDERS: dict[str, Callable[[_Profile], _Finding | None]] = {
    "id": _ids, "owner": _owners, "amount": _amounts, "integer": _integers,
    "status": _statuses, "stage": _stages, "channel": _channels, "flag": _flags,
    "content_kind": _content_kinds, "month": _months, "currency": _currencies,
}
_EVIDENCE_BY_TYPE: dict[FieldType, str] = {
    FieldType.AMOUNT: "amount", FieldType.INTEGER: "integer", FieldType.STATUS: "status",
    FieldType.CHANNEL: "channel", FieldType.FLAG: "flag",
    FieldType.CONTENT_KIND: "content_kind", FieldType.MONTH: "month",
}
_EVIDENCE_BY_NAME = {"owner": "owner", "currency": "currency", "stage": "stage",
                     "lead_status": "stage"}
# A converted amount looks like any amount; only its header can tell.
_NOT_FROM_VALUES = frozenset({"amount_company"})
# Date fields that values can fill, earliest first: which is which comes from
# their order on each row. Won/lost times and proposal dates only from headers.
_DATE_ROLES: dict[TableKind, tuple[str, ...]] = {
    TableKind.DEALS: ("created_at", "closed_at"),
    TableKind.LEADS: ("created_at", "converted_at"),
    TableKind.PROPOSALS: ("sent_at",),
    TableKind.CONTENT: ("date",),
}
_ROLE_WORDS = {"created_at": msg("role.created"), "closed_at": msg("role.closed"),
               "converted_at": msg("role.converted")}


def _evidence_for(kind: TableKind, spec: FieldSpec) -> str | None:
    if spec.name in _NOT_FROM_VALUES:
        return None
    if spec.name == ID_FIELD[kind]:
        return "id"
    return _EVIDENCE_BY_TYPE.get(spec.type) or _EVIDENCE_BY_NAME.get(spec.name)


def _targets(kind: TableKind, missing: set[str]) -> dict[str, list[str]]:
    """evidence -> the missing fields of `kind` it can fill, in schema order."""
    targets: dict[str, list[str]] = {}
    for spec in FIELDS[kind]:
        evidence = _evidence_for(kind, spec)
        if evidence and spec.name in missing:
            targets.setdefault(evidence, []).append(spec.name)
    return targets


def _column_candidates(p: _Profile, targets: dict[str, list[str]]) -> list[_Candidate]:
    """Every field of `targets` this column's values fit, with the finding's confidence."""
    if not p.values:
        return []
    found = []
    for evidence, fields in targets.items():
        finding = _FINDERS[evidence](p)
        if finding is None:
            continue
        confidence, clauses = finding.confidence, finding.clauses
        if len(fields) > 1:
            confidence = min(confidence, AMBIGUOUS)
            clauses += (msg("evidence.cannot_tell", fields=[field_label(f) for f in fields]),)
        found += [_Candidate(p.index, p.name, f, confidence, clauses) for f in fields]
    return found


# --------------------------------------------------------------------------
# Which date is which: the order of the dates on each row
# --------------------------------------------------------------------------

DateKey = tuple[int, int, int] | None


def _row_dates(sample: pa.Table, name: str) -> list[DateKey]:
    """Each row's date in column `name`, read in the column's own day/month order."""
    cells = [(v or "").strip() for v in sample.column(name).to_pylist()]
    order = decide_date_order(islice(dict.fromkeys(cells), 500), "DMY",
                              msg("hint.common_order")).value
    keys: dict[str, DateKey] = {}
    return [keys[c] if c in keys else keys.setdefault(c, _date_key(c, order)) for c in cells]


def _before(first: list[DateKey], then: list[DateKey]) -> tuple[float, int]:
    """Share of the rows dated in both (on different days) where `first` comes first."""
    earlier = later = 0
    for a, b in zip(first, then, strict=True):
        if a is not None and b is not None and a != b:
            earlier += a < b
            later += a > b
    compared = earlier + later
    return (earlier / compared if compared else 0.5), compared


def _ordered(confidence: float, share: float, compared: int) -> float:
    """A date confidence weighed by how consistently the rows order the two columns."""
    if not compared:
        return min(confidence, AMBIGUOUS)
    confidence *= 1.0 if share >= 0.9 else share
    return confidence if compared >= MIN_COMPARED else min(confidence, ROW_TEST_CAP)


def _date_candidates(roles: tuple[str, ...], anchors: dict[str, str], profiles: list[_Profile],
                     sample: pa.Table) -> list[_Candidate]:
    """Date columns as the table's dates: the earliest on each row is the first role
    (created_at), a later one the last (closed_at)."""
    dated = [(p, f) for p in profiles if p.values and (f := _dates(p)) is not None]
    dated.sort(key=lambda pf: -pf[1].confidence)
    if not dated:
        return []
    if len(dated) > MAX_DATE_COLUMNS:
        unseen = msg("evidence.more_dates", count=len(dated) - MAX_DATE_COLUMNS)
        dated = [(p, _Finding(min(f.confidence, RIVAL_CAP), (*f.clauses, unseen)))
                 for p, f in dated[:MAX_DATE_COLUMNS]]
    if len(roles) == 1:
        return [_Candidate(p.index, p.name, roles[0], f.confidence, f.clauses) for p, f in dated]
    first, last = roles
    if not anchors and len(dated) == 1:
        p, f = dated[0]
        return [_Candidate(p.index, p.name, first, min(f.confidence, ONLY_DATE),
                           (*f.clauses, msg("evidence.only_date", role=_ROLE_WORDS[first],
                                            other=_ROLE_WORDS[last])))]
    rows = {name: _row_dates(sample, name)
            for name in [p.name for p, _ in dated] + list(anchors.values())}
    found = [] if first in anchors else _earliest(first, anchors.get(last), dated, rows)
    start = anchors.get(first) or (found[0].source if found else None)
    if last not in anchors and start is not None:
        found += _later(last, start, dated, rows)
    return found


def _earliest(role: str, anchor: str | None, dated: list[tuple[_Profile, _Finding]],
              rows: dict[str, list[DateKey]]) -> list[_Candidate]:
    """The column dated first on the rows, against every other date column."""
    best: _Candidate | None = None
    for p, f in dated:
        others = [q.name for q, _ in dated if q.name != p.name] + ([anchor] if anchor else [])
        share, compared, other = min((*_before(rows[p.name], rows[o]), o) for o in others)
        confidence = _ordered(f.confidence, share, compared)
        if share >= 0.5 and (best is None or confidence > best.confidence):
            best = _Candidate(p.index, p.name, role, confidence,
                              (*f.clauses, _order_clause("earlier", other, share, compared,
                                                         role)))
    return [best] if best else []


def _later(role: str, start: str, dated: list[tuple[_Profile, _Finding]],
           rows: dict[str, list[DateKey]]) -> list[_Candidate]:
    """Columns dated after `start` on the rows, each a candidate for the later role."""
    found = []
    for p, f in dated:
        if p.name == start:
            continue
        earlier, compared = _before(rows[start], rows[p.name])
        if earlier >= 0.5:
            found.append(_Candidate(
                p.index, p.name, role, _ordered(f.confidence, earlier, compared),
                (*f.clauses, _order_clause("later", start, earlier, compared, role))))
    return found


def _order_clause(relation: str, other: str, share: float, compared: int,
                  role: str) -> Message:
    """`relation`: "earlier" or "later" (msg.evidence.<relation>)."""
    if not compared:
        return msg("evidence.same_day", column=other, role=_ROLE_WORDS[role])
    return msg(f"evidence.{relation}", column=other, share=_percent(share),
               role=_ROLE_WORDS[role])


# --------------------------------------------------------------------------
# One field per column, one column per field
# --------------------------------------------------------------------------


def _assign(candidates: Iterable[_Candidate]) -> list[Proposal]:
    """Best candidates first; a close runner-up left without a field lowers the confidence."""
    ranked = sorted((c for c in candidates if c.confidence >= MIN_CONFIDENCE),
                    key=lambda c: (-c.confidence, c.index))
    chosen: dict[str, _Candidate] = {}
    used: set[int] = set()
    for candidate in ranked:
        if candidate.field not in chosen and candidate.index not in used:
            chosen[candidate.field] = candidate
            used.add(candidate.index)
    return [_with_rivals(c, ranked, used) for c in sorted(chosen.values(), key=lambda c: c.index)]


def _with_rivals(chosen: _Candidate, ranked: list[_Candidate], used: set[int]) -> Proposal:
    rival = next((c for c in ranked if c.field == chosen.field and c.index not in used
                  and c.confidence >= chosen.confidence - CLOSE), None)
    if rival is None:
        return Proposal(chosen.source, chosen.field, chosen.confidence, chosen.evidence)
    return Proposal(chosen.source, chosen.field, min(chosen.confidence, RIVAL_CAP),
                    (*chosen.evidence, msg("evidence.looks_alike", column=rival.source)))
