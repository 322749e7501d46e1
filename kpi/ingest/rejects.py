"""A file whose every row was rejected: the reason to give for it.

The Data page lists such a file as not loaded and the command line fails on
it (docs/report-command.md, "Exit status"); both say the most frequent reason,
at its first row.
"""

from __future__ import annotations

from collections import Counter

from kpi.messages import Message, msg
from kpi.schema import FileReport, RejectedRow


def dominant_reject(report: FileReport) -> RejectedRow | None:
    """When every row of a file with data rows was rejected: the first row rejected for the
    most frequent reason (a failed file). None otherwise."""
    if report.rows_accepted or not report.rows_rejected or not report.rejects:
        return None
    reason, _ = Counter(r.reason for r in report.rejects).most_common(1)[0]
    return next(r for r in report.rejects if r.reason == reason)


def all_rejected_message(report: FileReport) -> Message | None:
    """The one-line reason a file with every row rejected failed (the command line's)."""
    reject = dominant_reject(report)
    if reject is None:
        return None
    where = ([msg("where.column", column=reject.column)] if reject.column else []) + (
        [msg("where.example", value=reject.value)] if reject.value is not None else [])
    if not where:
        return msg("file.all_rejected", file=report.file, count=report.rows_rejected,
                   reason=reject.reason)
    return msg("file.all_rejected_at", file=report.file, count=report.rows_rejected,
               reason=reject.reason, where=where)
