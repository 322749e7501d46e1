"""Memory stays bounded on hostile inputs of a few MB.

Measured in a fresh subprocess (peak resident memory, `ru_maxrss`), after a
warm-up import so the libraries' own start-up does not count. A valid 1 MB
export is imported first: what it costs (DuckDB's buffers, Arrow's blocks,
~60-100 MB) is the yardstick, and no hostile input of 1-2 MB may cost more
than twice that plus 100 MB (nor over 700 MB). That catches a blow-up (a
quadratic copy, a per-cell Python object explosion), not a few extra copies.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from hostile_inputs import ROOT

ABSOLUTE_MB = 700

SCRIPT = textwrap.dedent(r'''
    import json, resource, sys
    sys.path.insert(0, sys.argv[1])
    from kpi.ingest import IngestError, import_file

    def peak_mb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    row = b"D%d,Deal %d,Ann Lee,open,1200,2024-01-02,,LinkedIn\n"
    header = b"deal_id,deal_name,owner,status,amount,created_at,closed_at,channel\n"

    def rows(count, start=0):
        return b"".join(row % (i, i) for i in range(start, start + count))

    import_file(header + rows(1000), "warm-up.csv")  # libraries loaded, caches warm
    baseline = peak_mb()
    many = 20_000  # ~1.1 MB of rows
    cases = {
        "valid": header + rows(many),
        "broken-row-exact-path": header + rows(many // 2) + b"X,1,2\n" + rows(many // 2, many),
        "runaway-quote": header + rows(10) + b'Q,"' + rows(many, 10),
        "unclosed-quote-last-field": header + rows(10) + b'Q,n,o,open,1,2024-01-01,,"x\n'
                                     + rows(many, 10),
        "one-2mb-line": b"x," * (1024 * 1024),
        "2mb-cell": header + b"C1," + b"z" * (2 * 1024 * 1024) + b",Ann,open,1,2024-01-01,,x\n",
        "utf16": (header + rows(many // 2)).decode().encode("utf-16"),
        "cp1252-late": header + rows(many) + b"Z,H\xe9l\x81ne,Ann,open,1,2024-01-01,,x\n",
        "wide": (b",".join(b"col%d" % i for i in range(5000)) + b"\n"
                 + b",".join([b"x"] * 5000) + b"\n") * 1,
    }
    growth = {}
    for name, data in cases.items():
        assert len(data) <= 5 * 1024 * 1024, (name, len(data))
        try:
            import_file(data, name + ".csv")
        except IngestError:
            pass
        growth[name] = round(peak_mb() - baseline, 1)
    print(json.dumps(growth))
''')


def test_peak_memory_is_bounded_on_hostile_inputs() -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT)], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    growth = json.loads(result.stdout.strip().splitlines()[-1])
    bound = min(2 * growth["valid"] + 100, ABSOLUTE_MB)
    assert max(growth.values()) < bound, growth
