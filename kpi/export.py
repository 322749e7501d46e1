"""CSV downloads that are safe to open in a spreadsheet.

A cell starting with =, +, -, @ (or a tab/carriage return) is run as a
formula by Excel and LibreOffice: a deal named `=HYPERLINK(...)` in an
upload must not become a link in the manager's spreadsheet. Such cells are
prefixed with a single quote, the usual neutralisation (OWASP "CSV injection").

The first character that counts is the first one that is not white space
(" =1+1" and "\n=1+1" run in some spreadsheets), and the full-width forms of
the four signs (＝ ＋ － ＠, which Excel in East Asian locales reads as them)
count too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_SIGNS = frozenset("=+-@\uff1d\uff0b\ufe62\uff0d\ufe63\uff20")


def neutralise(value: object) -> object:
    """The value, with a leading quote when a spreadsheet would run it as a formula."""
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS)
                                   or value.lstrip()[:1] in _FORMULA_SIGNS):
        return "'" + value
    return value


def to_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[str]) -> bytes:
    """UTF-8 (with BOM, so Excel reads accents) CSV of `rows`, every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in columns])
    for row in rows:
        writer.writerow(["" if row.get(c) is None else neutralise(row.get(c)) for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
