"""Folding: the forgiving comparison of headers and raw values.

"Date de clôture", "date_de_cloture" and "DATE DE CLÔTURE" must all match, so
both the synonym tables and what we read are reduced to lowercase ASCII
letters and digits before comparing (docs/tables.md: case, accents, spaces, ’).
"""

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase ASCII letters and digits only: 'Affaire - Étape' -> 'affaireetape'."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return _NOT_ALNUM.sub("", ascii_only)

