"""Fixtures shared by every test layer."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "samples"


@pytest.fixture
def maven_pipeline() -> Path:
    """The public Maven CRM export in ../shared/samples (read in place, never copied)."""
    path = SAMPLES / "maven_crm" / "sales_pipeline.csv"
    if not path.exists():
        pytest.skip("../shared/samples/maven_crm is not available")
    return path
