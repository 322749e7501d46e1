"""CSV downloads that are safe to open in a spreadsheet.

A cell starting with =, +, -, @ (or a tab/carriage return) is run as a
formula by Excel and LibreOffice: a deal named `=HYPERLINK(...)` in an
upload must not become a link in the manager's spreadsheet. Such cells are
prefixed with a single quote, the usual neutralisation (OWASP "CSV injection").

The first character that counts is the first one that is not white space
or invisible (" =1+1", "\n=1+1", and "=1+1" behind a zero-width space or a
BOM run in some spreadsheets), and the full-width forms of
the four signs (＝ ＋ － ＠, which Excel in East Asian locales reads as them)
count too.

Files follow the conventions of the reader's spreadsheet: French files use `;`
between cells and a decimal comma (French Excel reads `,` as the decimal mark
and would put a whole comma-separated line in one column), English files `,`
and a dot. Both start with a UTF-8 BOM so Excel reads accents. Numbers are
written as the caller rounded them (money to cents, rates as fractions), and
the importer's messages (a rejected row's reason) in the file's language.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kpi.messages import Message, render

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_SIGNS = frozenset("=+-@\uff1d\uff0b\ufe62\uff0d\ufe63\uff20")
# White space, and invisible characters a spreadsheet may skip before a sign
# as it skips white space (zero-width space, non-joiner and joiner, word
# joiner, BOM / zero-width no-break space, Mongolian vowel separator).
_LEADING_BLANKS = re.compile("[\\s\u200b\u200c\u200d\u2060\ufeff\u180e]*")


@dataclass(frozen=True)
class CsvStyle:
    """How a language's spreadsheets split cells and write decimals."""

    delimiter: str = ","
    decimal: str = "."


CSV_STYLES = {"en": CsvStyle(), "fr": CsvStyle(delimiter=";", decimal=",")}
CENTS = Decimal("0.01")
# Float noise (0.1 + 0.2 = 0.30000000000000004) is cut at this many decimals.
FLOAT_DECIMALS = 6


def cents(amount: float) -> Decimal:
    """Money to the cent, halves up: 226029.68000000002 -> 226029.68, 705216 -> 705216.00."""
    return Decimal(str(amount)).quantize(CENTS, rounding=ROUND_HALF_UP)


def neutralise(value: object) -> object:
    """The value, with a leading quote when a spreadsheet would run it as a formula."""
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS)
                                   or _first_visible(value) in _FORMULA_SIGNS):
        return "'" + value
    return value


def _first_visible(text: str) -> str:
    """The first character that is neither white space nor invisible ('' if none)."""
    return text[_LEADING_BLANKS.match(text).end():][:1]


def _number(value: float | Decimal, style: CsvStyle) -> str:
    """A number with the language's decimal mark ('226029,68' in French), without float noise."""
    text = str(round(value, FLOAT_DECIMALS) if isinstance(value, float) else value)
    return text.replace(".", style.decimal)


def _cell(value: object, style: CsvStyle, lang: str) -> object:
    """What the writer gets for one value: '' for None, numbers in the style, a message in
    `lang`, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, float | Decimal):
        return _number(value, style)
    if isinstance(value, Message):
        return neutralise(render(value, lang))
    return neutralise(value)


def to_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[str],
           lang: str = "en") -> bytes:
    """UTF-8 (with BOM) CSV of `rows` in `lang`'s style, every text cell neutralised."""
    style = CSV_STYLES.get(lang, CSV_STYLES["en"])
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=style.delimiter, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in columns])
    for row in rows:
        writer.writerow([_cell(row.get(c), style, lang) for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
