"""The first request of a fresh server, when it is a deep link: hand it to app.py.

Streamlit 1.67 decides once per server process, when the first session
starts, whether the app uses the legacy `pages/` folder (it exists beside
app.py, as the package of page modules). That first session's first run then
looks the URL up among `pages/*.py` file names before app.py's st.navigation
has registered anything, and an unknown /channels gets a "Page not found"
dialog. So `pages/` also holds one tiny script per page URL (`channels.py`,
...) that the legacy lookup finds and that only runs app.py: its
st.navigation, login included, then serves that URL with its query string.
From then on Streamlit ignores `pages/` (st.navigation turns the legacy mode
off for the process), so these scripts run at most once per server start.
"""

from __future__ import annotations

import runpy
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app.py"


def run_app() -> None:
    """Run app.py in place of the legacy page script Streamlit picked for this URL."""
    runpy.run_path(str(APP), run_name="__main__")
