"""/overview on a fresh server: Streamlit's legacy lookup runs this; app.py serves it.

Not a page module (those are `*_page.py`): see kpi/ui/handover.py.
"""

from kpi.ui.handover import run_app

run_app()
