"""The importer's own errors: anything else escaping it is a bug."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kpi.schema import FileReport

_LINE_BREAKS = re.compile(r"\s*[\r\n\v\f\x85\u2028\u2029]+\s*")


class IngestError(Exception):
    """Base class for every problem the importer reports to the user."""


class UnreadableFile(IngestError):
    """The whole file cannot be used; the message is one sentence naming the file.

    Whatever goes into the message (a header, a library's error text) is folded
    onto one line, so the app shows one sentence and the command line prints
    exactly one line on stderr.
    """

    def __init__(self, message: str, report: FileReport | None = None) -> None:
        super().__init__(_LINE_BREAKS.sub(" ", str(message)).strip())
        # For a file that was read but whose table or columns could not be
        # settled: what was found (closest table, partial mapping, sample
        # values), so the Data page can offer to finish the mapping by hand.
        self.report = report


def short(exc: BaseException, limit: int = 160) -> str:
    """The first line of a library's error, cut to `limit` characters, for a message."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
