"""The server's first run freezes what its imports made, once (kpi/ui/startup.py)."""

from __future__ import annotations

import gc

from kpi.ui import startup


def test_the_first_call_freezes_what_exists_and_later_calls_add_nothing(monkeypatch) -> None:
    monkeypatch.setattr(startup, "_frozen", False)
    monkeypatch.setattr(startup.atexit, "register", lambda function: function)
    gc.unfreeze()  # an AppTest of this process may have run app.py's first run already
    try:
        startup.freeze_imports()
        frozen = gc.get_freeze_count()
        # This process has imported pytest, Streamlit and kpi: far more than a handful.
        assert frozen > 10_000
        made_after = [[n] for n in range(1000)]  # tracked objects made by a later run
        startup.freeze_imports()
        assert gc.get_freeze_count() == frozen
        assert any(item is made_after[0] for item in gc.get_objects())  # still collected
    finally:
        gc.unfreeze()
