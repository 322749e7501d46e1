"""The importer's own errors: anything else escaping it is a bug."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kpi.messages import Message, MessageError

if TYPE_CHECKING:
    from kpi.schema import FileReport


class IngestError(MessageError):
    """Base class for every problem the importer reports to the user.

    `message` is a code with parameters (kpi.messages), rendered in the
    reader's language; `str()` is its English, on one line (whatever a header
    or a library's error text held), so the command line prints one line.
    """


class UnreadableFile(IngestError):
    """The whole file cannot be used; its message is one sentence naming the file."""

    def __init__(self, message: Message, report: FileReport | None = None) -> None:
        super().__init__(message)
        # For a file that was read but whose table or columns could not be
        # settled: what was found (closest table, partial mapping, sample
        # values), so the Data page can offer to finish the mapping by hand.
        self.report = report


def short(exc: BaseException, limit: int = 160) -> str:
    """The first line of a library's error, cut to `limit` characters, for a message."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
