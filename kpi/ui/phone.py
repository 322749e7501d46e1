"""Phone layout: what Streamlit 1.67 has no setting for, as a few CSS rules.

On a phone the sidebar is a drawer that Streamlit opens on the page menu, and
st.columns stack one card per row (eight cards fill ~1,300 px before the first
chart). Neither the menu's place nor a column's narrow-screen width can be set
from Python, so `phone.css` does both, under Streamlit's own breakpoints: the
desktop layout is left as it is. tests/browser/test_phone.py measures the result.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

STYLE = Path(__file__).with_name("phone.css")


def layout() -> None:
    """Add the phone rules to the page (a style-only st.html takes no room)."""
    st.html(STYLE)
