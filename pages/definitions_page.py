"""KPI definitions: docs/kpis.md, rendered in the app so every page can link to it."""

from pathlib import Path

import streamlit as st

DEFINITIONS = Path(__file__).resolve().parent.parent / "docs" / "kpis.md"


def render() -> None:
    st.markdown(DEFINITIONS.read_text(encoding="utf-8"))
