"""The median read from a histogram (value -> count) is SQL's median()."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi.metrics._common import median_of_counts


@pytest.mark.parametrize(("histogram", "expected"), [
    ({}, None),
    ({7: 1}, 7),
    ({5: 1, 30: 1}, 17.5),
    ({5: 1, 20: 1, 30: 1}, 20),
    ({1: 2, 9: 2}, 5),  # the middle two fall in different values
    ({3: 4, 100: 1}, 3),  # both middle ranks in the same value
])
def test_hand_computed(histogram: dict[int, int], expected: float | None) -> None:
    assert median_of_counts(histogram) == expected


@given(st.dictionaries(st.integers(-50, 400), st.integers(1, 5), max_size=12))
def test_same_as_the_median_of_the_values(histogram: dict[int, int]) -> None:
    values = [value for value, count in histogram.items() for _ in range(count)]
    assert median_of_counts(histogram) == (statistics.median(values) if values else None)
