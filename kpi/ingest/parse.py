"""Per-column decisions (date order, decimal mark) and the SQL that parses values.

Formats are decided from the values of each column, not assumed per file: a
French export can carry an ISO date column beside a dd/mm/yyyy one. When the
values cannot decide (every day ≤ 12, every amount like "1,234"), the file's
locale hints decide, and the report says so.

The SQL fragments returned here only embed identifiers (quoted) and constant
formats written in this module, never a value read from a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# --- dates ----------------------------------------------------------------

_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b")
# ISO dates, and ISO months (2024-03) as packages and costs are exported.
_ISO_DATE = re.compile(r"^\s*\d{4}[/.\-]\d{1,2}([/.\-]\d{1,2}|\s*$)")

DAY_FIRST_FORMATS = ("%d/%m/%Y", "%d/%m/%y")
MONTH_FIRST_FORMATS = ("%m/%d/%Y", "%m/%d/%y")
MIN_YEAR, MAX_YEAR = 1970, 2100
# Beyond this an amount, a spend or a count is a broken cell (an exponent, an
# id pasted in the wrong column), not money: a thousand trillion in any
# currency. It also keeps sums of millions of rows far from overflowing.
MAX_NUMBER = 1e15


@dataclass(frozen=True)
class Decision:
    """A parsing choice for one column, and the sentence that explains it."""

    value: str  # "DMY"/"MDY"/"YMD" for dates, "."/"," for amounts
    note: str
    from_values: bool  # False: the values could not decide, a hint did


def decide_date_order(values: Iterable[str], hint: str, hint_reason: str) -> Decision:
    """Day-first or month-first, from values like 25/03/2024 or 3/25/2024."""
    day_first = month_first = iso = 0
    example_dmy = example_mdy = ""
    for value in values:
        match = _NUMERIC_DATE.match(value)
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            if first > 12 >= second:
                day_first += 1
                example_dmy = example_dmy or value.strip()
            elif second > 12 >= first:
                month_first += 1
                example_mdy = example_mdy or value.strip()
        elif _ISO_DATE.match(value):
            iso += 1
    if day_first and month_first:
        order = "DMY" if day_first >= month_first else "MDY"
        return Decision(
            order,
            f"mixed date orders ({example_dmy!r} is day first, {example_mdy!r} month first); "
            f"read as {order}, the majority",
            True,
        )
    if day_first:
        return Decision("DMY", f"day first (values like {example_dmy!r})", True)
    if month_first:
        return Decision("MDY", f"month first (values like {example_mdy!r})", True)
    if iso:
        return Decision("YMD", "ISO dates (year first)", True)
    return Decision(hint, f"no value decides the date order; read as {hint} because "
                    f"{hint_reason}", False)


def date_sql(value: str, order: str, excel_serials: bool = False) -> str:
    """SQL turning a cell (`value`: SQL of its trimmed text, NULL if empty) into a DATE."""
    formats = DAY_FIRST_FORMATS if order == "DMY" else MONTH_FIRST_FORMATS
    format_list = "[" + ", ".join(f"'{f}'" for f in formats) + "]"
    iso = (
        f"try_strptime(regexp_replace(regexp_extract({value}, "
        r"'^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})', 0), '[/.]', '-', 'g'), '%Y-%m-%d')"
    )
    numeric = (
        f"try_strptime(regexp_replace(regexp_extract({value}, "
        r"'^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{2,4})', 0), '[-.]', '/', 'g'), "
        f"{format_list})"
    )
    # Fast path first: plain ISO text ('2024-03-25', '2024-03-25 14:02') is a
    # cast, no regular expression; coalesce only evaluates the later forms for
    # the rows still NULL. Day/month-first columns try their own form first.
    fast = (f"CASE WHEN substr({value}, 5, 1) = '-' "
            f"THEN TRY_CAST(substr({value}, 1, 10) AS DATE) END")
    slow = [f"CAST({iso} AS DATE)", f"CAST({numeric} AS DATE)"]
    if order != "YMD":
        # The column's own form ('25/03/2024') is one strptime with the decided
        # format; the regular expressions only run on the rows it cannot read.
        slow = [f"CAST(try_strptime({value}, '{formats[0]}') AS DATE)", *reversed(slow)]
    parts = [fast, *slow]
    if excel_serials:
        # Excel stores dates as days since 1899-12-30 when a cell has no date format.
        parts.append(
            f"CASE WHEN regexp_full_match({value}, '[0-9]{{5}}(\\.[0-9]+)?') THEN "
            f"DATE '1899-12-30' + CAST(floor(CAST({value} AS DOUBLE)) AS INTEGER) END"
        )
    return f"coalesce({', '.join(parts)})"


def month_sql(value: str, order: str, excel_serials: bool = False) -> str:
    """SQL for a month: 'YYYY-MM', 'MM/YYYY' or any date in it -> the month's first day."""
    return (
        f"coalesce(CAST(try_strptime({value}, ['%Y-%m', '%Y/%m', '%m/%Y', '%m-%Y']) AS DATE), "
        f"CAST(date_trunc('month', {date_sql(value, order, excel_serials)}) AS DATE))"
    )


# --- amounts --------------------------------------------------------------

# Currency marks and every kind of space or apostrophe used between thousands.
_NOISE = re.compile(r"(?i)€|\$|£|\b(?:eur|usd|gbp|chf|ht|ttc|k€)\b|[\s\u00a0\u202f\u2009'’]")
_NOISE_SQL = (  # '' is a quote inside an SQL string
    r"(?i)€|\$|£|eur|usd|gbp|chf|ht|ttc|[[:space:]\x{00A0}\x{202F}\x{2009}''’]"
)


def _clean_number(value: str) -> str:
    return _NOISE.sub("", value.replace("\u2212", "-"))


def decide_decimal_mark(values: Iterable[str], hint: str, hint_reason: str) -> Decision:
    """'.' or ',' as the decimal mark, from values like 12 345,50 or $1,234.56."""
    comma = dot = 0
    example_comma = example_dot = ""
    for value in values:
        cleaned = _clean_number(value).strip("()-+")
        has_comma, has_dot = "," in cleaned, "." in cleaned
        if has_comma and has_dot:
            is_comma = cleaned.rfind(",") > cleaned.rfind(".")
        elif has_comma or has_dot:
            mark = "," if has_comma else "."
            groups = cleaned.split(mark)
            if len(groups) > 2:
                is_comma = mark == "."  # 1.234.567 -> the dots group thousands
            elif len(groups[1]) != 3:
                is_comma = mark == ","  # 12,5 or 12.50 -> decimal
            else:
                continue  # 1,234 or 1.234 could be either
        else:
            continue
        if is_comma:
            comma += 1
            example_comma = example_comma or value.strip()
        else:
            dot += 1
            example_dot = example_dot or value.strip()
    if comma or dot:
        mark = "," if comma >= dot else "."
        example = example_comma if mark == "," else example_dot
        note = f"decimal {'comma' if mark == ',' else 'point'} (values like {example!r})"
        if comma and dot:
            note += f"; {min(comma, dot)} value(s) looked otherwise"
        return Decision(mark, note, True)
    return Decision(hint, f"no value decides the decimal mark; read {hint!r} as decimal "
                    f"because {hint_reason}", False)


def amount_sql(value: str, mark: str) -> str:
    """SQL turning '12 345,50 €', '$1,234.56' or '(1 200)' into a DOUBLE (NULL if unreadable).

    `value` is the SQL of the cell's trimmed text (NULL if empty).
    """
    cleaned = f"regexp_replace(replace({value}, '\u2212', '-'), '{_NOISE_SQL}', '', 'g')"
    if mark == ",":
        digits = f"replace(replace({cleaned}, '.', ''), ',', '.')"
    else:
        digits = f"replace({cleaned}, ',', '')"
    # Fast path: a plain number ('21023.66', or '21023,66' in a decimal-comma
    # column without thousands dots) is a cast; only the other rows pay for the
    # regular expressions (coalesce evaluates its later forms for NULL rows only).
    if mark == ",":
        # '21 023,66': spaces (plain, no-break, narrow) group thousands.
        spaceless = f"replace(replace(replace({value}, ' ', ''), '\u00a0', ''), '\u202f', '')"
        plain = (f"CASE WHEN NOT contains({value}, '.') "
                 f"THEN TRY_CAST(replace({spaceless}, ',', '.') AS DOUBLE) END")
    else:
        plain = f"TRY_CAST({value} AS DOUBLE)"
    # Accounting negatives: (1200) -> -1200. The cleaned text appears once in
    # the SQL: repeated, DuckDB would compute it for every row up front, fast
    # path or not.
    negative = f"regexp_replace({digits}, '^\\((.*)\\)$', '-\\1')"
    return f"coalesce({plain}, TRY_CAST({negative} AS DOUBLE))"


def quote_identifier(name: str) -> str:
    """A column name from a file, safe inside SQL text."""
    return '"' + name.replace('"', '""') + '"'


_SYMBOLS = {"R$": "BRL", "$": "USD", "€": "EUR", "£": "GBP"}
_CODE = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")


def currency_in_amount(values: Iterable[str]) -> str | None:
    """The ISO code that every amount in the sample carries ('$1,200' -> USD), else None."""
    found: set[str] = set()
    for value in values:
        code = next((c for s, c in _SYMBOLS.items() if s in value), None)
        if code is None:
            match = _CODE.search(value.upper())
            code = match.group(1) if match else None
        if code is None:
            return None
        found.add(code)
    return found.pop() if len(found) == 1 else None
