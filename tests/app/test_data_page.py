"""The Data page through AppTest: the real file_uploader, the real importer and DuckDB."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from kpi.export import to_csv
from kpi.schema import TABLES, TableKind
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
    errors = [e.value for e in at.error]
    # Markdown-escaped: rendered as plain text.
    assert "photo.csv: this is a PNG image, not a CRM export \\(CSV, XLSX\\)." in errors
    # sf.csv again (a new upload of it): every id is already loaded, so it is a failed file.
    assert "Not loaded: sf.csv \\(2\\)." in errors
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
    # Escaped Markdown: shown as the literal characters, never as a link (a
    # word joiner inside "://" stops the autolink).
    assert "\\[win\\]\\(https:\u2060//evil.example\\).csv" in message
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

    def recording_to_csv(rows, columns, lang):  # noqa: ANN001, ANN202 - kpi.export.to_csv's
        downloads.append(to_csv(rows, columns, lang))
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
    reason = "une affaire gagnée ou perdue doit avoir une date de clôture"
    (rejects,) = [d.value for d in at.dataframe if "reason" in d.value.columns]
    assert rejects.to_dict("records") == [
        {"row": 7, "column": "Close Date", "value": None, "reason": reason}]
    assert downloads[-1].decode("utf-8-sig").splitlines() == [  # as French spreadsheets read
        "row;column;value;reason", f"7;Close Date;;{reason}"]
    assert "2 ligne\\(s\\) au-dessus de l'en-tête ignorée\\(s\\)." in [c.value for c in at.caption]
    (mapping,) = [d.value for d in at.dataframe if "note" in d.value.columns]
    how_read = dict(zip(mapping["column"], mapping["note"], strict=True))
    assert how_read["Created Date"] == "mois en premier (valeurs comme '1/15/2025')"


# --- refused files, warnings, saved mappings, the currency, the demo --------

# Headers no CRM writes: refused, then mapped in the file's panel. Won revenue by
# hand: R1 (1,000) and R4 (250) are signed (won); R2 is lost, R3 open.
UNKNOWN = (
    "Code dossier,Qui,Combien,Depuis le,Verdict,Fini le\n"
    "R1,Ana,1000,2025-01-05,Signé,2025-02-01\n"
    "R2,Ana,500,2025-01-06,Perdu,2025-02-03\n"
    "R3,Bob,700,2025-01-07,En cours,\n"
    "R4,Bob,250,2025-01-08,Signé,2025-03-01\n"
).encode()
FIELDS_BY_HAND = ["deal_id", "owner", "amount", "created_at", "status", "closed_at"]
REFUSED_TITLE = "crm.csv — not loaded: choose its table and columns"
# Canonical headers (they always map to themselves); no status says won or lost.
ALL_OPEN = (b"deal_id,owner,status,amount,created_at,closed_at\n"
            b"A1,Ann,Bidule,100,2025-01-01,2025-02-01\n"
            b"A2,Bob,Machin,200,2025-01-02,2025-02-02\n")
ALL_REJECTED = (b"deal_id,owner,status,amount,created_at\n"
                b"X1,Ann,open,100,not a date\n"
                b"X2,Ann,open,200,never\n"
                b"X3,Bob,open,abc,2025-01-01\n")


def _map_by_hand(at: AppTest, fields: list[str]) -> None:
    """Choose a field for each column of crm.csv's editor, as a user does in the grid."""
    at.session_state["fix-crm.csv-deals"] = {
        "edited_rows": {row: {"field": name} for row, name in enumerate(fields)},
        "added_rows": [], "deleted_rows": []}
    at.run()


def _won_revenue(at: AppTest) -> float:
    return _workspace(at).con.execute(
        "SELECT coalesce(sum(amount), 0) FROM deals WHERE status = 'won'").fetchall()[0][0]


def _upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    return at.file_uploader(key="uploads").set_value(
        [(name, data, "text/csv") for name, data in files]).run()


def test_a_refused_file_keeps_a_panel_where_its_columns_are_mapped() -> None:
    at = AppTest.from_file(SCRIPT, default_timeout=60).run()
    _upload(at, ("crm.csv", UNKNOWN))
    assert not at.exception
    (panel,) = [e for e in at.expander if e.label == REFUSED_TITLE]
    assert panel.proto.expanded
    (error,) = [e.value for e in at.error if "no column was recognised" in e.value]
    assert error.startswith("crm.csv: no column was recognised")
    assert "Not loaded: crm.csv." in [e.value for e in at.error]
    editor = at.data_editor(key="fix-crm.csv-deals").value
    samples = dict(zip(editor["column"], editor["samples"], strict=True))
    assert "1000" in samples["Combien"] and "Signé" in samples["Verdict"]
    assert _workspace(at).row_counts()["deals"] == 0

    _map_by_hand(at, FIELDS_BY_HAND)
    assert REFUSED_TITLE in [e.label for e in at.expander]  # nothing applied before the button
    at.button(key="apply-crm.csv").click().run()
    assert not at.exception
    titles = [e.label for e in at.expander]
    assert "crm.csv — Deals: 4 rows loaded, 0 rejected" in titles
    assert REFUSED_TITLE not in titles
    assert not at.error
    assert {m.label: m.value for m in at.metric}["Deals"] == "4"
    assert _won_revenue(at) == 1250


def test_a_failed_apply_keeps_the_panel_with_the_new_error() -> None:
    at = AppTest.from_file(SCRIPT, default_timeout=60).run()
    _upload(at, ("crm.csv", UNKNOWN))
    _map_by_hand(at, ["deal_id", "owner", "—", "—", "—", "—"])  # no amount, no creation date
    at.button(key="apply-crm.csv").click().run()
    assert not at.exception
    assert REFUSED_TITLE in [e.label for e in at.expander]
    errors = [e.value for e in at.error]
    # The importer's new reason (Markdown-escaped), in the panel.
    assert any(e.startswith("crm.csv: as Deals, the file has no column for ")
               and "Created on" in e and "Amount" in e for e in errors)
    assert _workspace(at).row_counts()["deals"] == 0
    at.button(key="remove-crm.csv").click().run()
    assert not at.expander
    assert not _workspace(at).refused


def test_a_file_whose_every_row_is_rejected_is_an_error() -> None:
    at = AppTest.from_file(SCRIPT, default_timeout=60).run()
    _upload(at, ("bad.csv", ALL_REJECTED))
    assert not at.exception
    assert "bad.csv — Deals: not loaded, all 3 rows rejected" in [e.label for e in at.expander]
    assert ("Every row was rejected (3). Most often: cannot read this as a date "
            "(column created\\_at, e.g. 'not a date').") in [e.value for e in at.error]
    assert "Not loaded: bad.csv." in [e.value for e in at.error]


def test_a_warning_about_values_opens_the_value_editors_on_that_file() -> None:
    at = AppTest.from_file(SCRIPT, default_timeout=60).run()
    _upload(at, ("sf.csv", ALL_REJECTED.replace(b"not a date", b"2025-01-01")
                 .replace(b"never", b"2025-01-02").replace(b"abc", b"7")
                 .replace(b"open", b"Prospecting")),
            ("odd.csv", ALL_OPEN))
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert "Check these files: sf.csv, odd.csv." in warnings
    assert any("'Bidule', 'Machin'" in w for w in warnings)
    assert len(at.data_editor(key="status-mapping").value) == 3  # Bidule, Machin, Prospecting
    at.button(key="map-values-odd.csv").click().run()
    assert not at.exception
    statuses = at.data_editor(key="status-mapping-odd.csv").value
    assert list(statuses["raw"]) == ["Bidule", "Machin"]
    assert "Showing the values of odd.csv only." in [i.value for i in at.info]
    raws = list(statuses["raw"])
    at.session_state["status-mapping-odd.csv"] = {
        "edited_rows": {raws.index("Machin"): {"status": "won"}},
        "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert _workspace(at).con.execute(
        "SELECT deal_id FROM deals WHERE status = 'won'").fetchall() == [("A2",)]


def test_a_saved_mapping_reads_the_next_file_with_these_headers() -> None:
    at = AppTest.from_file(SCRIPT, default_timeout=60).run()
    _upload(at, ("crm.csv", UNKNOWN))
    _map_by_hand(at, FIELDS_BY_HAND)
    at.button(key="apply-crm.csv").click().run()
    at.button(key="save-mapping-crm.csv").click().run()
    assert not at.exception
    assert "Files with these headers are read with this mapping." in [c.value for c in at.caption]
    reordered = ("Verdict,Combien,Qui,Depuis le,Fini le,Code dossier\n"
                 "Signé,300,Cleo,2025-04-01,2025-04-02,S1\n").encode()
    _upload(at, ("crm.csv", UNKNOWN), ("april.csv", reordered))
    assert not at.exception
    assert "april.csv — Deals: 1 row loaded, 0 rejected" in [e.label for e in at.expander]
    assert _won_revenue(at) == 1250 + 300
    assert "Download the mappings (JSON)" in [b.proto.label for b in at.get("download_button")]


def test_the_currency_setting_reads_every_file_again() -> None:
    at = AppTest.from_file(SCRIPT, default_timeout=60).run()
    _upload(at, ("odd.csv", ALL_OPEN))
    (setting,) = [s for s in at.selectbox if s.label == "Amounts with no currency are in"]
    assert setting.value == "EUR"
    setting.set_value("USD").run()
    assert not at.exception
    assert _workspace(at).mappings.currency == "USD"
    assert _workspace(at).con.execute("SELECT DISTINCT currency FROM deals").fetchall() == [
        ("USD",)]


def test_another_table_the_file_could_be_is_one_click_away() -> None:
    at = AppTest.from_file(SCRIPT, default_timeout=60).run()
    both = (b"lead_id,owner,created_at,amount\n"
            b"L1,Ann,2025-01-01,100\n"
            b"L2,Bob,2025-01-02,200\n")
    _upload(at, ("both.csv", both))
    assert "both.csv — Deals: 2 rows loaded, 0 rejected" in [e.label for e in at.expander]
    # The importer offers a close runner-up as `alternative` (here set by hand).
    _workspace(at).sources["both.csv"].report.alternative = TableKind.LEADS
    at.run()
    assert "This file could also be Leads." in [i.value for i in at.info]
    at.button(key="read-as-both.csv").click().run()
    assert not at.exception
    assert "both.csv — Leads: 2 rows loaded, 0 rejected" in [e.label for e in at.expander]
    assert _workspace(at).row_counts()["deals"] == 0


def _demo_data_page() -> None:
    """The Data page on a session that starts on the demo, as app.py's local mode does."""
    from kpi.ui import data_page, session

    data_page.show(session.workspace(load_demo=True), "en")


DEMO_BANNER = "These are demo data, generated for a fictitious startup."
PUT_AWAY = "The demo data was put away; your files are shown."


def test_the_first_upload_replaces_the_demo_and_the_demo_comes_back() -> None:
    at = AppTest.from_function(_demo_data_page, default_timeout=60).run()
    assert DEMO_BANNER in [i.value for i in at.info]
    _upload(at, ("odd.csv", ALL_OPEN))
    assert not at.exception
    infos = [i.value for i in at.info]
    assert PUT_AWAY in infos and DEMO_BANNER not in infos
    assert list(_workspace(at).sources) == ["odd.csv"]
    # The demo's tables are all emptied: only the upload's deals are left.
    assert _workspace(at).row_counts() == {**{spec.name: 0 for spec in TABLES.values()},
                                           "deals": 2}
    at.button(key="back-to-demo").click().run()
    assert not at.exception
    infos = [i.value for i in at.info]
    assert DEMO_BANNER in infos and PUT_AWAY not in infos
    assert _workspace(at).is_demo
    assert all(name.startswith("demo/") for name in _workspace(at).sources)


def test_a_refused_upload_leaves_the_demo_in_place() -> None:
    at = AppTest.from_function(_demo_data_page, default_timeout=60).run()
    deals = _workspace(at).row_counts()["deals"]
    _upload(at, ("crm.csv", UNKNOWN))
    assert not at.exception
    infos = [i.value for i in at.info]
    assert DEMO_BANNER in infos and PUT_AWAY not in infos
    assert REFUSED_TITLE in [e.label for e in at.expander]
    assert _workspace(at).row_counts()["deals"] == deals
    # Mapped and applied, the user's file then replaces the demo.
    _map_by_hand(at, FIELDS_BY_HAND)
    at.button(key="apply-crm.csv").click().run()
    assert not at.exception
    assert PUT_AWAY in [i.value for i in at.info]
    assert list(_workspace(at).sources) == ["crm.csv"]
    assert _won_revenue(at) == 1250


def test_a_table_that_does_not_fit_is_refused_once_and_the_file_stays() -> None:
    # A choice that fails stays in the widget: it must not be retried at every rerun.
    at = AppTest.from_file(SCRIPT, default_timeout=20).run()
    _upload(at, ("odd.csv", ALL_OPEN))
    (table,) = [s for s in at.selectbox if s.label == "Table"]
    table.set_value(TableKind.CONTENT).run()
    assert not at.exception
    assert any(e.value.startswith("odd.csv: as Content, the file has no column for")
               for e in at.error)
    assert "odd.csv — Deals: 2 rows loaded, 0 rejected" in [e.label for e in at.expander]
    assert not _workspace(at).refused


APP = str(Path(__file__).resolve().parents[2] / "app.py")
SIDEBAR_DEMO = "Demo data: upload your own exports on the Data page."


def test_the_sidebar_says_demo_only_while_the_demo_is_shown() -> None:
    # The sidebar is drawn before the page runs: the upload that puts the demo away
    # must not leave that run's banner behind.
    at = AppTest.from_file(APP, default_timeout=60)
    at._page_hash = calc_hash("data")  # /data, as tests/app/test_pages.py opens pages
    at.run()
    assert at.title[0].value == "Data"
    assert SIDEBAR_DEMO in [i.value for i in at.sidebar.info]
    _upload(at, ("crm.csv", UNKNOWN))  # refused: the demo stays, and so does the banner
    assert SIDEBAR_DEMO in [i.value for i in at.sidebar.info]
    _upload(at, ("crm.csv", UNKNOWN), ("odd.csv", ALL_OPEN))
    assert not at.exception
    assert SIDEBAR_DEMO not in [i.value for i in at.sidebar.info]
    assert PUT_AWAY in [i.value for i in at.info]
