"""Per-column decisions (date order, decimal mark) and the SQL that parses values.

Formats are decided from the values of each column, not assumed per file: a
French export can carry an ISO date column beside a dd/mm/yyyy one. When the
values cannot decide (every day ≤ 12, every amount like "1,234"), the file's
locale hints decide, and the report says so.

Each SQL fragment is a `coalesce` whose first forms are one cast (the common
exports); the later forms only run on the rows the earlier ones could not
read. Where a failed attempt would cost every row of another format (a failed
cast or strptime costs DuckDB about half a second per million cells), a form
is guarded by a CASE on a character or two.

The SQL fragments returned here only embed identifiers (quoted) and constant
formats written in this module, never a value read from a file.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from kpi.messages import Message, msg

# --- placeholders ---------------------------------------------------------

# Exact texts that exports write in a cell that has no value. Only texts that
# no name, date, amount or code is ever spelled as:
PLACEHOLDERS: frozenset[str] = frozenset({
    "#N/A",  # a spreadsheet's "not available", also what Salesforce export tools write
    "#NV", "#N/D",  # the same in a German, Italian or Portuguese Excel
    "N/A", "n/a",  # "not applicable", typed by hand in an optional field
    "'-99",  # SuiteCRM: currency id -99 (the system currency, no code), quoted by
    # its export against formula injection
})
# Not bare -99: it is also a plausible amount (a refund). Not "None", "-",
# "Select" or "unknown" either: some exports carry them as a value someone
# chose (a lead source "None"), which is then shown as written, not dropped.


def placeholder_sql(value: str) -> str:
    """SQL of a cell with placeholders (PLACEHOLDERS) read as empty (NULL)."""
    texts = ", ".join("'" + text.replace("'", "''") + "'" for text in sorted(PLACEHOLDERS))
    return f"CASE WHEN {value} IN ({texts}) THEN NULL ELSE {value} END"


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

# Month names in English, French, German, Spanish, Portuguese and Italian,
# folded (lower case, no accents) as the values are before they are compared.
MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "janvier", "januar", "janner", "enero", "janeiro", "gennaio"),
    2: ("february", "fevrier", "februar", "febrero", "fevereiro", "febbraio"),
    3: ("march", "mars", "marz", "marzo", "marco"),
    4: ("april", "avril", "abril", "aprile"),
    5: ("may", "mai", "mayo", "maio", "maggio"),
    6: ("june", "juin", "juni", "junio", "junho", "giugno"),
    7: ("july", "juillet", "juli", "julio", "julho", "luglio"),
    8: ("august", "aout", "agosto"),
    9: ("september", "septembre", "septiembre", "setiembre", "setembro", "settembre"),
    10: ("october", "octobre", "oktober", "octubre", "outubro", "ottobre"),
    11: ("november", "novembre", "noviembre", "novembro"),
    12: ("december", "decembre", "dezember", "diciembre", "dezembro", "dicembre"),
}
# Abbreviations that are not the start of their month's name (German "Mrz.").
_OTHER_ABBREVIATIONS = {"mrz": 3}


def _month_words() -> dict[str, int]:
    """Every spelling read as a month: a name or any start of it of three letters or
    more ('sept', 'févr', 'juil', 'Mär'), unless two months share it (French 'jui')."""
    months: dict[str, set[int]] = {}
    for month, names in MONTH_NAMES.items():
        for name in names:
            for end in range(3, len(name) + 1):
                months.setdefault(name[:end], set()).add(month)
    words = {word: found.pop() for word, found in months.items() if len(found) == 1}
    return {**words, **_OTHER_ABBREVIATIONS}


_MONTH_WORDS = _month_words()
_MONTH_MAP_SQL = "MAP {" + ", ".join(
    f"'{word}': '{month:02d}'" for word, month in sorted(_MONTH_WORDS.items())) + "}"

# Dates with a month name, as both Python's re and DuckDB's RE2 read them, on
# folded text: '15 Apr, 2021 00:02:00' (Zoho), '15-avr.-2021', '5. März 2025',
# '1er janvier 2024', '15 de abril de 2021', '15/abr/2021' (day first: groups
# 1-3), 'April 15, 2021 3:05 PM', 'Thursday, April 15th, 2021' (month first:
# groups 4-6). A weekday may lead; whatever follows the year (a time) is ignored.
_DAY = r"([0-9]{1,2})(?:er|st|nd|rd|th|o|º)?"
_WORD = r"([a-z]{3,})"
_GAP = r"[\s.,/-]*"
_YEAR = r"([0-9]{4}|[0-9]{2})(?:[^0-9]|$)"
_NAMED_DATE_PATTERN = (
    rf"^\s*(?:[a-z]+\.?,?\s+)?(?:{_DAY}{_GAP}(?:de\s+)?{_WORD}{_GAP}(?:de\s+)?{_YEAR}"
    rf"|{_WORD}{_GAP}{_DAY}[\s.,/-]+{_YEAR})"
)
_NAMED_DATE = re.compile(_NAMED_DATE_PATTERN)
# Months with a month name: 'avril 2024', 'abril de 2024', 'Apr-24' (Excel's mmm-yy).
_NAMED_MONTH_PATTERN = (
    r"^\s*([a-z]{3,})\.?(?:[\s,/-]+(?:de\s+)?([0-9]{4})|\s*[-'’]\s*([0-9]{2}))\s*$"
)


def _fold_date(value: str) -> str:
    """Lower case without accents, as DuckDB's lower(strip_accents(...)) makes it."""
    decomposed = unicodedata.normalize("NFD", value.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _named_date_order(value: str) -> str | None:
    """'DMY' for '15 Apr, 2021', 'MDY' for 'Apr 15, 2021', None without a month name."""
    match = _NAMED_DATE.match(_fold_date(value))
    if not match:
        return None
    day_first = bool(match.group(1))
    word = match.group(2) if day_first else match.group(4)
    if word not in _MONTH_WORDS:
        return None
    return "DMY" if day_first else "MDY"


@dataclass(frozen=True)
class Decision:
    """A parsing choice for one column, and the sentence that explains it."""

    value: str  # "DMY"/"MDY"/"YMD" for dates, "."/"," for amounts
    note: Message
    from_values: bool  # False: the values could not decide, a hint did


def decide_date_order(values: Iterable[str], hint: str, hint_reason: Message) -> Decision:
    """Day-first or month-first, from values like 25/03/2024 or 3/25/2024.

    Dates with a month name need no order; a column of them is decided all the
    same, in the order they are written ('15 Apr, 2021' day first).
    """
    day_first = month_first = iso = 0
    named: Counter[str] = Counter()
    example_dmy = example_mdy = example_named = ""
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
        elif order := _named_date_order(value):
            named[order] += 1
            example_named = example_named or value.strip()
    if day_first and month_first:
        order = "DMY" if day_first >= month_first else "MDY"
        return Decision(order, msg("column.mixed_orders", day_first=example_dmy,
                                   month_first=example_mdy, order=order), True)
    if day_first:
        return Decision("DMY", msg("column.day_first", example=example_dmy), True)
    if month_first:
        return Decision("MDY", msg("column.month_first", example=example_mdy), True)
    if named:
        order = max(sorted(named), key=named.__getitem__)
        return Decision(order, msg("column.month_names", example=example_named), True)
    if iso:
        return Decision("YMD", msg("column.iso"), True)
    return Decision(hint, msg("column.order_from_hint", order=hint, reason=hint_reason), False)


def _full_year_sql(year: str) -> str:
    """'21' -> '2021', '85' -> '1985' (strptime's %y pivot); four digits unchanged."""
    return (f"CASE WHEN length({year}) = 2 THEN (CASE WHEN {year} < '69' THEN '20' "
            f"ELSE '19' END) || {year} ELSE {year} END")


def _named_sql(value: str, pattern: str, groups: list[str], date_text: str,
               letters: str) -> str:
    """SQL of a DATE read from a value with a month name.

    `date_text` builds 'd/m/yyyy' from the regular expression's groups, named
    `p.<group>`: extracted once, used inside a lambda (an expression written
    twice in a query, DuckDB computes for every row up front, fast path or
    not). A row without a month name gives an unknown month, so NULL text and
    no failed strptime. Only rows that match `letters` pay for the lambda
    (0.3 s per million), not the empty cells that every form of a coalesce sees.
    """
    folded = f"lower(strip_accents({value}))"
    pattern_sql = pattern.replace("'", "''")
    parts = f"regexp_extract({folded}, '{pattern_sql}', {groups!r})"
    return (f"CASE WHEN regexp_matches({value}, '{letters}') THEN CAST(list_transform("
            f"[{parts}], lambda p: try_strptime({date_text}, '%d/%m/%Y'))[1] AS DATE) END")


def _named_date_sql(value: str) -> str:
    month = f"{_MONTH_MAP_SQL}[p.m1 || p.m2]"
    text = f"(p.d1 || p.d2) || '/' || {month} || '/' || {_full_year_sql('(p.y1 || p.y2)')}"
    return _named_sql(value, _NAMED_DATE_PATTERN, ["d1", "m1", "y1", "m2", "d2", "y2"], text,
                      "[A-Za-z]")


def _named_month_sql(value: str) -> str:
    month = f"{_MONTH_MAP_SQL}[p.m]"
    text = f"'1/' || {month} || '/' || {_full_year_sql('(p.y4 || p.y2)')}"
    # Another guard than the dates' (which month_sql also holds): the same one
    # twice would be computed for every row.
    return _named_sql(value, _NAMED_MONTH_PATTERN, ["m", "y4", "y2"], text, "^[A-Za-z]")


def _numeric_date_sql(value: str, formats: tuple[str, str]) -> str:
    """'25/03/2024 10:22am', '26.03.2024', '26.03.24': the date part with the decided order.

    Four-digit years are tried first: strptime's %Y also reads '24' (as the year 24).
    """
    parts = []
    for digits, date_format in (("4", formats[0]), ("2", formats[1])):
        pattern = rf"^([0-9]{{1,2}}[-/.][0-9]{{1,2}}[-/.][0-9]{{{digits}}})(?:[^0-9]|$)"
        parts.append(f"try_strptime(translate(regexp_extract({value}, '{pattern}', 1), "
                     f"'-.', '//'), '{date_format}')")
    looks_numeric = f"regexp_matches({value}, '^[0-9]{{1,2}}[-/.]')"
    return f"CASE WHEN {looks_numeric} THEN CAST(coalesce({', '.join(parts)}) AS DATE) END"


def date_sql(value: str, order: str, excel_serials: bool = False) -> str:
    """SQL turning a cell (`value`: SQL of its trimmed text, NULL if empty) into a DATE.

    Only the date matters: a time after it (10:22am, 3:05 PM, +03:00, Z) is
    ignored, so an ISO timestamp gives the local date as written, never UTC.
    """
    formats = DAY_FIRST_FORMATS if order == "DMY" else MONTH_FIRST_FORMATS
    iso = (
        f"CASE WHEN substr({value}, 5, 1) IN ('-', '/', '.') THEN CAST(try_strptime("
        f"translate(regexp_extract({value}, "
        r"'^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})', 0), '/.', '--'), '%Y-%m-%d') "
        "AS DATE) END"
    )
    # Fast path first: plain ISO text ('2024-03-25', '2024-03-25 14:02') is a
    # cast, no regular expression; coalesce only evaluates the later forms for
    # the rows still NULL. Day/month-first columns try their own form first.
    fast = (f"CASE WHEN substr({value}, 5, 1) = '-' "
            f"THEN TRY_CAST(substr({value}, 1, 10) AS DATE) END")
    first, slow = [fast], [iso, _numeric_date_sql(value, formats)]
    if order != "YMD":
        # The column's own form ('25/03/2024') is one strptime with the decided
        # format; the regular expressions only run on the other rows. Only for
        # values as long as a date with a four-digit year ('1/4/2024', not
        # '15/04/24', which %Y would read as the year 24): byte lengths are
        # free, where a character counted from the end costs every row.
        length = f"strlen({value})"
        four_digit_year = (f"({length} BETWEEN 9 AND 10 "
                           f"OR ({length} = 8 AND substr({value}, 3, 1) <> '/'))")
        first.append(f"CASE WHEN {four_digit_year} "
                     f"THEN CAST(try_strptime({value}, '{formats[0]}') AS DATE) END")
        slow.reverse()
    if excel_serials:
        # Excel stores dates as days since 1899-12-30 when a cell has no date format.
        slow.append(
            f"CASE WHEN regexp_full_match({value}, '[0-9]{{5}}(\\.[0-9]+)?') THEN "
            f"DATE '1899-12-30' + CAST(floor(CAST({value} AS DOUBLE)) AS INTEGER) END"
        )
    slow.append(_named_date_sql(value))
    # An empty cell, which every later form would see, stops after the first ones.
    return (f"coalesce({', '.join(first)}, "
            f"CASE WHEN {value} IS NOT NULL THEN coalesce({', '.join(slow)}) END)")


def month_sql(value: str, order: str, excel_serials: bool = False) -> str:
    """SQL for a month: 'YYYY-MM', 'MM/YYYY', 'avril 2024', 'Apr-24' or any date in it
    -> the month's first day."""
    # Only values as short as '2024-03' try the four month formats: a full date
    # would fail all four, at the cost of a failed strptime each.
    return (
        f"coalesce(CASE WHEN strlen({value}) <= 7 THEN CAST(try_strptime({value}, "
        f"['%Y-%m', '%Y/%m', '%m/%Y', '%m-%Y']) AS DATE) END, "
        f"{_named_month_sql(value)}, "
        f"CAST(date_trunc('month', {date_sql(value, order, excel_serials)}) AS DATE))"
    )


# --- amounts --------------------------------------------------------------

# Currency symbols and the ISO code each stands for (None: several currencies).
CURRENCY_SYMBOLS: dict[str, str | None] = {
    "R$": "BRL", "US$": "USD", "CA$": "CAD", "AU$": "AUD", "MX$": "MXN", "$": "USD",
    "€": "EUR", "£": "GBP", "₹": "INR", "¥": None,  # yen or yuan
}
# Words that say which money or tax, lower-case codes as people type them.
_AMOUNT_WORDS = ("eur", "usd", "gbp", "chf", "ht", "ttc")
# Every kind of space or apostrophe used between thousands.
_THOUSANDS_GAPS = "\\s\u00a0\u202f\u2009'’"
# A K / M suffix ('$141.56K', '1,2 M€'), once the currency marks are gone.
_SUFFIX = re.compile(r"[kKmM]$")
# Digits, signs, marks and gaps only: most amounts, in which no currency is named.
_BARE = re.compile(f"[-+()0-9.,{_THOUSANDS_GAPS}]*")
_GAPS = re.compile(f"[{_THOUSANDS_GAPS}]")
_DIGIT = re.compile("[0-9]")


@cache
def _currency_codes() -> frozenset[str]:
    """ISO 4217 codes (Babel's list, historical ones included), minus the ones of no money."""
    from babel.numbers import list_currencies  # what it costs is paid on first use only

    return frozenset(list_currencies()) - {"XXX", "XTS"}


@cache
def _marks_pattern() -> str:
    """Currency symbols and codes, and the usual money words, for Python's re and DuckDB's RE2.

    Symbols and words in any case, ISO codes in upper case only (so that
    '1,2 Mio' stays unreadable instead of becoming 1.2).
    """
    symbols = "|".join(map(re.escape, sorted(CURRENCY_SYMBOLS, key=len, reverse=True)))
    return f"(?i:{symbols})|{_codes_pattern()}|(?i:{'|'.join(_AMOUNT_WORDS)})"


def _codes_pattern() -> str:
    """The ISO codes letter by letter ('A(?:E[D]|F[AN]|...)|B(?:...)'): as a flat list,
    Python's re would try 300 alternatives at every character of every value."""
    letters: dict[str, dict[str, str]] = {}
    for code in sorted(_currency_codes()):
        seconds = letters.setdefault(code[0], {})
        seconds[code[1]] = seconds.get(code[1], "") + code[2]
    return "|".join(
        first + "(?:" + "|".join(f"{second}[{thirds}]" for second, thirds in seconds.items()) + ")"
        for first, seconds in letters.items())


@cache
def _noise_pattern() -> str:
    """What an amount's text holds besides its number: currency marks, thousands gaps."""
    return f"{_marks_pattern()}|[{_THOUSANDS_GAPS}]"


@cache
def _noise() -> re.Pattern[str]:
    return re.compile(_noise_pattern())


@cache
def _marks() -> re.Pattern[str]:
    return re.compile(_marks_pattern())


def _clean_number(value: str) -> str:
    """The digits, marks and sign of an amount: '$1,117.10K' -> '1,117.10'."""
    text = value.replace("\u2212", "-")
    text = _GAPS.sub("", text) if _BARE.fullmatch(text) else _noise().sub("", text)
    return _SUFFIX.sub("", text.strip("()-+"))


def decide_decimal_mark(values: Iterable[str], hint: str, hint_reason: Message) -> Decision:
    """'.' or ',' as the decimal mark, from values like 12 345,50 or $1,234.56."""
    comma = dot = 0
    example_comma = example_dot = ""
    for value in values:
        cleaned = _clean_number(value)
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
        note = msg(f"column.decimal_{'comma' if mark == ',' else 'point'}", example=example)
        if comma and dot:
            note = msg("column.mark_exceptions", decided=note, count=min(comma, dot))
        return Decision(mark, note, True)
    return Decision(hint, msg("column.mark_from_hint", mark=hint, reason=hint_reason), False)


def amount_sql(value: str, mark: str) -> str:
    """SQL turning '12 345,50 €', '$1,234.56', 'COP 5.000.000', '(1 200)', '$141.56K' or
    '1,2 M€' into a DOUBLE (NULL if unreadable).

    `value` is the SQL of the cell's trimmed text (NULL if empty).
    """
    noise = _noise_pattern().replace("'", "''")
    cleaned = f"regexp_replace(replace({value}, '\u2212', '-'), '{noise}', '', 'g')"
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
    # Accounting negatives: (1200) -> -1200; thousands and millions as
    # exponents: 141.56K -> 141.56e3, exact where 141.56 * 1000 is not. The
    # cleaned text appears once in the SQL: repeated, DuckDB would compute it
    # for every row up front, fast path or not.
    negative = f"regexp_replace({digits}, '^\\((.*)\\)$', '-\\1')"
    scaled = f"regexp_replace(regexp_replace({negative}, '[kK]$', 'e3'), '[mM]$', 'e6')"
    return f"coalesce({plain}, TRY_CAST({scaled} AS DOUBLE))"


def _currencies_in(value: str) -> set[str | None]:
    """The currencies an amount's text names: {'USD'} for '$1,200', {None} for '¥5'."""
    found: set[str | None] = set()
    if _BARE.fullmatch(value):
        return found
    for mark in _marks().findall(value):
        code = CURRENCY_SYMBOLS.get(mark.upper(), mark.upper())
        if code is None or code in _currency_codes():
            found.add(code)  # not HT / TTC
    return found


def currency_in_amount(values: Iterable[str]) -> str | None:
    """The ISO code an amount column's values are written in ('$22,700.00' -> USD), or None.

    Only when one currency is named, by most of the values that hold digits
    and by no other value naming another one (or an ambiguous symbol like ¥).
    """
    currencies: Counter[str | None] = Counter()
    numbers = 0
    for value in values:
        if _DIGIT.search(value):
            numbers += 1
            currencies.update(_currencies_in(value))
    if len(currencies) != 1:
        return None
    ((code, count),) = currencies.items()
    return code if count * 2 > numbers else None


def quote_identifier(name: str) -> str:
    """A column name from a file, safe inside SQL text."""
    return '"' + name.replace('"', '""') + '"'
