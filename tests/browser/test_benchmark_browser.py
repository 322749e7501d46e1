"""The browser benchmark never rots: `python -m benchmarks --browser --smoke` (100 rows).

It starts its own server and Chromium, uploads the 100-deal files through the
real widget, makes 2 filter changes per page, switches pages, clicks a bar on
the drill-down pages and opens fresh tabs, with the server traced (each
rerun's phases, benchmarks/traced_server.py). No timing is asserted (the machine
is shared); only that every measurement is there, positive, and in the table.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.browser import DRILL_DOWNS, KPI_PAGES
from kpi.i18n import t
from tests.browser.helpers import CHROMIUM, ROOT


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    folder = tmp_path_factory.mktemp("browser-bench")
    out = folder / "latest.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--browser", "--smoke", "--trace", "--out", str(out),
         "--data-dir", str(folder / "data")],
        cwd=ROOT, capture_output=True, text=True, timeout=580, check=False,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    return json.loads(out.read_text())["sections"]["browser"], done.stdout


@pytest.mark.timeout(600)
def test_every_measurement_is_there_and_positive(smoke: tuple[dict, str]) -> None:
    browser, _ = smoke
    assert browser["rows"] == 100 and browser["meta"]["smoke"] is True
    upload = browser["upload"]
    assert upload["file_bytes"] > 0 and upload["total_s"] >= upload["report_shown_s"] > 0
    assert upload["charts"] >= 1
    assert set(browser["filter_change_samples"]) == set(KPI_PAGES)
    for samples in browser["filter_change_samples"].values():
        assert [s["change"] for s in samples] == ["rep", "channel"]
        for sample in samples:
            assert sample["total_s"] > 0 and sample["server_s"] > 0
            assert sample["harness_s"] >= 0
            assert sample["bytes_received"] > 0 and sample["bytes_sent"] > 0
            # the traced server logged the rerun this change caused, and its page's queries
            assert sample["server_runs"] >= 1 and sample["server_run_s"] > 0
            assert sample["server_phases_s"]["page"] > 0
    assert len(browser["page_switch_samples"]) == 2 * len(KPI_PAGES)
    assert all(s["total_s"] > 0 for s in browser["page_switch_samples"])
    assert set(browser["drill_down_samples"]) == set(DRILL_DOWNS)
    for samples in browser["drill_down_samples"].values():
        assert samples and all(s["table_shown"] and s["total_s"] > 0 for s in samples)
    for visit in (browser["fresh_server_visit"], *browser["new_tab_visits"],
                  *browser["new_visitor_visits"]):
        assert visit["total_s"] >= visit["first_chart_s"] > visit["socket_opened_s"] > 0
        assert visit["charts"] >= 1 and visit["bytes_received"] > 0


@pytest.mark.timeout(600)
def test_the_table_has_every_row(smoke: tuple[dict, str]) -> None:
    _, stdout = smoke
    for nav_key in KPI_PAGES:
        assert f"filter change: {t(nav_key, 'en')}" in stdout
    for nav_key in DRILL_DOWNS:
        assert f"drill-down click: {t(nav_key, 'en')}" in stdout
    for row in ("Upload of deals-100-utf8.csv", "page switch", "fresh server, first visit",
                "new tab, same browser", "new visitor", "Server time per action, traced",
                "Targets (issue 14)"):
        assert row in stdout
    # 100 rows measure none of the 1M targets: they say so, not "met".
    assert stdout.count("not at 1M") == 6 and "MISSED" not in stdout
