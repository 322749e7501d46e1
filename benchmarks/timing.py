"""Repeated timings and their summary (median, min, max), and /proc memory readings."""

from __future__ import annotations

import gc
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_STATUS = Path("/proc/self/status")


def summary(runs: list[float]) -> dict[str, Any]:
    """Median, min and max of repeated timings, in seconds."""
    return {
        "median_s": statistics.median(runs),
        "min_s": min(runs),
        "max_s": max(runs),
        "runs_s": [round(r, 6) for r in runs],
    }


def percentiles(samples: list[float]) -> dict[str, Any]:
    """p50 / p95 / max of latency samples, in seconds (nearest-rank p95)."""
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, round(0.95 * len(ordered) + 0.5) - 1))
    return {
        "p50_s": statistics.median(ordered),
        "p95_s": ordered[rank],
        "max_s": ordered[-1],
        "samples": len(ordered),
    }


@dataclass
class Case:
    """One thing to time: `run(setup())`, then `teardown(setup result)`, both untimed."""

    run: Callable[[Any], Any]
    setup: Callable[[], Any] | None = None
    teardown: Callable[[Any], Any] | None = None

    def once(self) -> tuple[float, Any]:
        argument = self.setup() if self.setup else None
        start = time.perf_counter()
        result = self.run(argument)
        elapsed = time.perf_counter() - start
        if self.teardown:
            self.teardown(argument)
        return elapsed, result


def round_robin(cases: dict[str, Case], repeat: int, warmup: int = 0
                ) -> tuple[dict[str, list[float]], dict[str, Any]]:
    """Time every case `repeat` times, interleaved (A B C A B C ...); (runs, last results).

    On a shared machine the load changes from one second to the next:
    interleaving puts each repetition of a case and of its reference under the
    same load, so their ratio (see `paired_ratio`) is fairer than a ratio of
    medians taken minutes apart.
    """
    last: dict[str, Any] = {}
    for _ in range(warmup):
        for name, case in cases.items():
            last[name] = case.once()[1]
    runs: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeat):
        for name, case in cases.items():
            gc.collect()
            elapsed, last[name] = case.once()
            runs[name].append(elapsed)
    return runs, last


def paired_ratio(numerators: list[float], denominators: list[float]) -> float:
    """Median of the per-repetition ratios of two interleaved series."""
    return statistics.median(n / d for n, d in zip(numerators, denominators, strict=True))


def proc_status() -> dict[str, int]:
    """VmRSS / VmHWM (peak RSS) of this process, in bytes (empty off Linux)."""
    try:
        text = _STATUS.read_text()
    except OSError:
        return {}
    values = {}
    for key in ("VmRSS", "VmHWM"):
        match = re.search(rf"^{key}:\s+(\d+)\s+kB", text, re.MULTILINE)
        if match:
            values[key] = int(match.group(1)) * 1024
    return values


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux clear_refs 5); False when not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def load_average() -> list[float] | None:
    try:
        return [float(v) for v in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return None
