"""`python -m benchmarks.read_path`: where a CSV import's time goes, beside DuckDB's reads.

    python -m benchmarks.read_path                      # 1M deals, 5 repetitions
    python -m benchmarks.read_path --against ../main    # + this checkout's importer vs another's

Interleaved, medians of `--repeat` (BENCHMARKS.md, "The read path"), for the
UTF-8 HubSpot file and the French cp1252 file:
  bare          DuckDB `CREATE TABLE AS SELECT * FROM read_csv(file)` (types detected)
  duckdb_typed  the same with the types the importer decides given up front (no
                detection): what a typed read of the sniffed columns would cost
  arrow_text    the importer's read alone (`kpi.ingest.read.read_raw`: every cell as text)
  import_file   read + recognise + checks, rows left staged (`import_file(con=...)`)
  add_file      the whole import (`Workspace().add_file`: + insert; the rows are
                queryable, compressed afterwards on a thread)
  add_file_compressed  the same until that compression has ended too
With `--against DIR`, `add_file` also runs in fresh processes of this checkout
and of DIR, alternately (each process times its own add_file): before / after
in the same run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb

from benchmarks import generate
from benchmarks.run import DEFAULT_DATA
from benchmarks.sections import ROOT
from benchmarks.timing import Case, load_average, paired_ratio, round_robin, summary
from kpi.ingest import import_file
from kpi.ingest.read import read_raw
from kpi.workspace import CONNECTION_CONFIG, Workspace

# The types the importer ends with for the generated files' columns (ids stay
# text; the French amounts '21 023,66' need the importer's decision: text).
UTF8_TYPES = {"Record ID": "VARCHAR", "Deal Name": "VARCHAR", "Deal owner": "VARCHAR",
              "Deal Stage": "VARCHAR", "Amount": "DOUBLE", "Create Date": "DATE",
              "Close Date": "DATE", "Original Source": "VARCHAR",
              "Proposal sent date": "DATE"}
FRENCH_TYPES = {"Identifiant": "VARCHAR", "Commercial": "VARCHAR", "Montant": "VARCHAR",
                "Date de création": "DATE", "Date de clôture": "DATE", "Statut": "VARCHAR",
                "Canal d'acquisition": "VARCHAR"}

# One add_file in a fresh process of a checkout: prints its seconds.
CHILD = """
import sys, time
from pathlib import Path
from kpi.workspace import Workspace
data = Path(sys.argv[1]).read_bytes()
workspace = Workspace()
start = time.perf_counter()
workspace.add_file(data, Path(sys.argv[1]).name)
print(time.perf_counter() - start)
"""


def _connect() -> duckdb.DuckDBPyConnection:
    return duckdb.connect(":memory:", config=CONNECTION_CONFIG)


def _create(path: Path, options: str, parameters: dict[str, Any]) -> Case:
    def run(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv($path{options})",
                    {"path": str(path), **parameters}).fetchall()

    return Case(run, setup=_connect, teardown=lambda con: con.close())


def _staged(data: bytes, name: str) -> Case:
    def run(con: duckdb.DuckDBPyConnection) -> None:
        import_file(data, name, con=con).staged.drop()

    # The tables the importer looks at (leads, to link deals) must exist.
    return Case(run, setup=lambda: Workspace(one_shot=True).con,
                teardown=lambda con: con.close())


def _child(checkout: Path, path: Path) -> float:
    """add_file's seconds as a fresh process of `checkout` measured them."""
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], cwd=checkout,
                          capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def before_after(here: Path, against: Path, path: Path, repeat: int) -> dict[str, list[float]]:
    """add_file in this checkout and in `against`, alternately, `repeat` times each."""
    runs: dict[str, list[float]] = {"add_file_here": [], "add_file_against": []}
    for _ in range(repeat):
        runs["add_file_here"].append(_child(here, path))
        runs["add_file_against"].append(_child(against, path))
    return runs


def _add_and_settle(workspace: Workspace, data: bytes, name: str) -> None:
    workspace.add_file(data, name)
    workspace.storage.settle()


def cases(path: Path, types: dict[str, str], options: str) -> dict[str, Case]:
    data = path.read_bytes()
    typed = (f", header = true, auto_detect = false, columns = $columns{options}")
    return {
        "bare": _create(path, options, {}),
        "duckdb_typed": _create(path, typed, {"columns": types}),
        "arrow_text": Case(lambda _: read_raw(data, path.name)),
        "import_file": _staged(data, path.name),
        "add_file": Case(lambda workspace: workspace.add_file(data, path.name),
                         setup=Workspace, teardown=lambda workspace: workspace.close()),
        "add_file_compressed": Case(lambda workspace: _add_and_settle(workspace, data, path.name),
                                    setup=Workspace,
                                    teardown=lambda workspace: workspace.close()),
    }


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.read_path")
    parser.add_argument("--size", default="1m", help="deal count (100k, 1m...)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--against", type=Path, metavar="DIR",
                        help="another checkout: its add_file vs this one's, in fresh processes")
    args = parser.parse_args(argv)
    rows = generate.parse_size(args.size)
    files = generate.workspace_files(rows, args.data_dir)
    print(f"load average at start: {load_average()}")
    for label, path, types, options in (
            ("UTF-8 HubSpot", files.deals_utf8, UTF8_TYPES, ""),
            ("French cp1252", files.deals_fr, FRENCH_TYPES,
             ", delim = ';', dateformat = '%d/%m/%Y', encoding = 'latin-1'")):
        runs, _ = round_robin(cases(path, types, options), args.repeat, warmup=1)
        if args.against is not None:
            runs.update(before_after(ROOT, args.against.resolve(), path, args.repeat))
        print(f"\n{label}, {rows:,} deals, medians of {args.repeat} (min - max); "
              "ratio: median of per-repetition ratios to bare")
        for key, times in runs.items():
            stats = summary(times)
            versus = ("add_file_against" if key == "add_file_here" else
                      None if key == "add_file_against" else "bare")
            ratio = (f"{paired_ratio(times, runs[versus]):5.2f}x {versus}" if versus else "")
            print(f"  {key:<17}{_ms(stats['median_s'])}  ({_ms(stats['min_s']).strip()} - "
                  f"{_ms(stats['max_s']).strip()})  {ratio}")
    print(f"\nload average at end: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
