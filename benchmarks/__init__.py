"""Performance benchmark of Sales KPI Explorer (`python -m benchmarks`, `make bench`).

Modules:
    generate  deterministic synthetic exports (CSV UTF-8, French cp1252 CSV, XLSX)
    baseline  the same ingest and KPIs "the typical Streamlit dashboard way" (pandas);
              also `python -m benchmarks.baseline FILE`, timed against `python -m kpi report`
    probe     `python -m benchmarks.probe`: memory of one workspace in a fresh process
    timing    interleaved repetitions, medians, percentiles, /proc readings
    sections  the measurements (ingest, refresh, report, memory, concurrency, charts)
    targets   the targets of issue 6 and the readable table
    run       the command line

See BENCHMARKS.md for what is measured and the figures of the last run.
"""
