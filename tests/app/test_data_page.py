"""The Data page through AppTest: the real file_uploader, the real importer and DuckDB."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kpi.export import to_csv
from kpi.ui import data_page

SCRIPT = str(Path(__file__).with_name("data_page_app.py"))

SALESFORCE = (
    b"Opportunity Pipeline Report\n"
    b"\n"
    b"Opportunity ID,Opportunity Name,Opportunity Owner,Stage,Amount,Created Date,Close Date,"
    b"Lead Source,Is Won,Closed\n"
    b'006A,Acme,Jo Smith,Closed Won,"$1,234.56",1/15/2025,2/20/2025,Web,1,1\n'
    b"006B,Beta,Jo Smith,Closed Lost,$500.00,1/16/2025,2/21/2025,Partner Referral,0,1\n"
    b"006C,Gamma,Al Brown,Prospecting,$900.00,1/17/2025,,Trade Show,0,0\n"
    b"\n"
    b'"Grand Totals (3 records)",,,,"$2,634.56"\n'
    b"\n"
    b'"Confidential Information - Do Not Distribute"\n'
    b'"Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved."\n'
)


def _workspace(at: AppTest):
    return at.session_state["_kpi_workspace"]


def test_upload_through_the_widget_shows_the_report() -> None:
    at = AppTest.from_file(SCRIPT, default_timeout=60).run()
    assert not at.exception
    assert any("No data yet" in info.value for info in at.info)

    at.file_uploader(key="uploads").set_value(("sf.csv", SALESFORCE, "text/csv")).run()
    assert not at.exception
    titles = [e.label for e in at.expander]
    assert "sf.csv — Deals: 3 rows loaded, 0 rejected" in titles
    counts = {m.label: m.value for m in at.metric}
    assert counts["Deals"] == "3"
    deals = _workspace(at).con.execute(
        "SELECT deal_id, status, amount, closed_at::VARCHAR FROM deals ORDER BY deal_id"
    ).fetchall()
    assert deals == [("006A", "won", 1234.56, "2025-02-20"), ("006B", "lost", 500.0, "2025-02-21"),
                     ("006C", "open", 900.0, None)]


def test_a_broken_upload_is_reported_and_loses_nothing() -> None:
    at = AppTest.from_file(SCRIPT, default_timeout=60).run()
    at.file_uploader(key="uploads").set_value([("sf.csv", SALESFORCE, "text/csv")]).run()
    at.file_uploader(key="uploads").set_value([
        ("sf.csv", SALESFORCE, "text/csv"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(32), "text/csv"),
    ]).run()
    assert not at.exception
    assert [e.value for e in at.error] == [  # Markdown-escaped: rendered as plain text
        "photo.csv: this is a PNG image, not a CRM export \\(CSV, XLSX\\)."]
    assert _workspace(at).row_counts()["deals"] == 3


def test_editing_the_channel_mapping_applies_at_once() -> None:
    at = AppTest.from_file(SCRIPT, default_timeout=60).run()
    at.file_uploader(key="uploads").set_value(("sf.csv", SALESFORCE, "text/csv")).run()
    before = _workspace(at).con.execute(
        "SELECT count(*) FROM deals WHERE channel = 'event'").fetchall()[0][0]
    assert before == 1  # "Trade Show" is an event
    raws = list(at.data_editor(key="channel-mapping").value["raw"])
    at.session_state["channel-mapping"] = {
        "edited_rows": {raws.index("Trade Show"): {"channel": "referral"}},
        "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    channels = dict(_workspace(at).con.execute(
        "SELECT deal_id, channel FROM deals").fetchall())
    assert channels["006C"] == "referral"


def test_markdown_in_file_names_and_messages_stays_text() -> None:
    at = AppTest.from_file(SCRIPT, default_timeout=60).run()
    name = "[win](https://evil.example).csv"
    at.file_uploader(key="uploads").set_value((name, b"\x89PNG\r\n\x1a\n" + bytes(8),
                                               "text/csv")).run()
    assert not at.exception
    (message,) = [e.value for e in at.error]
    # Escaped Markdown: shown as the literal characters, never as a link.
    assert "\\[win\\]\\(https://evil.example\\).csv" in message
    assert "[win](https:" not in message


def _french_data_page() -> None:
    """data_page_app.py in French (AppTest.from_function runs this body as the script)."""
    from kpi.ui import data_page, session

    data_page.show(session.workspace(load_demo=False), "fr")


# Deal 006D is won without a close date: rejected with its reason.
WON_WITHOUT_CLOSE = SALESFORCE.replace(
    b"\n\n\"Grand Totals",
    b"\n006D,Delta,Al Brown,Closed Won,$100.00,1/18/2025,,Web,1,1\n\n\"Grand Totals")


def test_in_french_the_importer_speaks_french(monkeypatch: pytest.MonkeyPatch) -> None:
    downloads: list[bytes] = []

    def recording_to_csv(rows, columns):  # noqa: ANN001, ANN202 - kpi.export.to_csv's own
        downloads.append(to_csv(rows, columns))
        return downloads[-1]

    monkeypatch.setattr(data_page, "to_csv", recording_to_csv)
    at = AppTest.from_function(_french_data_page, default_timeout=60).run()
    at.file_uploader(key="uploads").set_value([
        ("sf.csv", WON_WITHOUT_CLOSE, "text/csv"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(32), "text/csv"),
    ]).run()
    assert not at.exception
    assert [e.value for e in at.error] == [  # Markdown-escaped, as in English
        "photo.csv : c'est une image PNG, pas un export de CRM \\(CSV, XLSX\\)."]
    assert "sf.csv — Affaires : 3 lignes chargées, 1 rejetée" in [e.label for e in at.expander]
    reason = "une affaire gagnée ou perdue doit avoir une date de clôture (closed_at)"
    (rejects,) = [d.value for d in at.dataframe if "reason" in d.value.columns]
    assert rejects.to_dict("records") == [
        {"row": 7, "column": "Close Date", "value": None, "reason": reason}]
    assert downloads[-1].decode("utf-8-sig").splitlines() == [
        "row,column,value,reason", f"7,Close Date,,{reason}"]
    assert "2 ligne\\(s\\) au-dessus de l'en-tête ignorée\\(s\\)." in [c.value for c in at.caption]
    (mapping,) = [d.value for d in at.dataframe if "note" in d.value.columns]
    how_read = dict(zip(mapping["column"], mapping["note"], strict=True))
    assert how_read["Created Date"] == "mois en premier (valeurs comme '1/15/2025')"
