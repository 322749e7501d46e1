"""Once per server process, on the app's first run: keep the imports out of every rerun's
garbage collection.

Streamlit runs a full `gc.collect(2)` after every script run (`runner.postScriptGC`):
it walks every object the process tracks, ~140,000 once Streamlit, Altair, pandas,
DuckDB and the app's modules are imported, ~45 ms on the 2-core machine, and
the browser waits for it (the run's last message is sent by a thread that
needs the interpreter lock the collection holds). Those objects live as long
as the process: `gc.freeze()` moves them to the permanent generation, which no
collection walks, so each rerun's collection only looks at what sessions made
(BENCHMARKS.md, issue 14). Reference counting still frees everything as usual;
only cycles among the frozen objects would wait for the process's end.
"""

from __future__ import annotations

import atexit
import gc
import threading

_lock = threading.Lock()
_frozen = False


def freeze_imports() -> None:
    """Freeze what exists now (the first run, right after app.py's imports); later calls do
    nothing."""
    global _frozen
    with _lock:
        if _frozen:
            return
        _frozen = True
        gc.collect()  # the imports' own garbage first: frozen, it would never be freed
        gc.freeze()
        # Handed back at exit, so the interpreter's last collection sees them (DuckDB's
        # bindings report frozen objects as leaks otherwise).
        atexit.register(gc.unfreeze)
