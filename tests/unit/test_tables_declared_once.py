"""The tables are declared once (kpi.schema.TABLES): everything that lists them derives from it.

Each test below would fail if a table were added to the declaration but forgotten
by one of its readers, or if a reader kept its own list.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from kpi import catalog
from kpi.__main__ import FORCE_OPTIONS, build_parser, run
from kpi.i18n import TEXTS, t
from kpi.ingest.recognise import missing_fields
from kpi.schema import TABLES, FieldType, Need, TableKind, tables_markdown
from kpi.workspace import Workspace


def test_every_table_kind_is_declared_once() -> None:
    assert list(TABLES) == list(TableKind)
    for kind, spec in TABLES.items():
        assert spec.kind is kind
        names = [f.name for f in spec.fields]
        assert len(names) == len(set(names)), f"{kind}: a field is declared twice"
        for field in spec.fields:
            assert set(field.instead) <= set(names), f"{kind}.{field.name}: unknown stand-in"
            assert not field.instead or field.need is Need.REQUIRED


def test_the_summary_is_written_from_the_declaration() -> None:
    """One row per table, in TABLES' order; the quotas row read off its declaration by hand."""
    lines = tables_markdown().splitlines()
    assert lines[0] == ("| Table | Needed | Read by the pages | Kept | Unique ID | Rep "
                        "| Command line |")
    assert [line.split(" | ")[0] for line in lines[2:]] == [f"| {k}" for k in TABLES]
    assert lines[-1] == ("| quotas | `owner`, `period_start`, `target` | `interval`, "
                         "`period_end` | `currency` | – | `owner` | `--quotas FILE` |")
    # A required field's stand-ins, joined by "or"; costs' own command-line option.
    assert "| `owner`, `amount` or `amount_company` or `won_at`, `created_at` |" in lines[2]
    assert lines[7].endswith("| – | – | – | – | `--costs FILE` |")


def test_the_summary_in_french_says_the_labels() -> None:
    """The Definitions page's version: the tables' and fields' labels, no field name."""
    row = tables_markdown("fr").splitlines()[-1].split(" | ")
    assert row[:3] == ["| " + t("table.quotas", "fr"), ", ".join(
        t(f"field.{n}", "fr") for n in ("owner", "period_start", "target")),
        f"{t('field.interval', 'fr')}, {t('field.period_end', 'fr')}"]
    users = tables_markdown("fr").splitlines()[8]
    assert f"{t('field.full_name', 'fr')} ou {t('field.first_name', 'fr')} ou" in users
    assert "_" not in tables_markdown("fr").replace("`--", "")


def test_the_command_line_prints_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["tables"]) == 0
    assert capsys.readouterr().out == tables_markdown() + "\n"


def test_every_table_has_labels_in_both_languages() -> None:
    for spec in TABLES.values():
        for key in (f"table.{spec.name}", f"empty.{spec.name}",
                    *(f"field.{f.name}" for f in spec.fields)):
            assert set(TEXTS[key]) >= {"en", "fr"}, key


def test_the_command_line_has_one_option_per_table() -> None:
    assert sorted(FORCE_OPTIONS.values()) == sorted(TableKind)
    args = build_parser().parse_args(["import", "--costs", "c.csv", "--deals", "d.csv"])
    assert args.costs == ["c.csv"] and args.deals == ["d.csv"]


def test_missing_fields_follow_the_declared_needs() -> None:
    # Deals: an amount in the company currency stands in for the amount; no id is needed.
    assert missing_fields(TableKind.DEALS, {"Owner": "owner", "Created": "created_at",
                                            "Amount (company)": "amount_company"}) == []
    assert missing_fields(TableKind.DEALS, {"Owner": "owner"}) == [
        ("amount", "amount_company", "won_at"), ("created_at",)]
    # Compensation: a monthly or an annual package.
    assert missing_fields(TableKind.COMPENSATION, {"Rep": "owner", "Annual": "annual_package"}) == []


def _one_row_everywhere(con: duckdb.DuckDBPyConnection, day: date) -> None:
    """Insert one row in every table, with every date and month set to `day`."""
    for spec in TABLES.values():
        values = []
        for column, sql_type in spec.columns.items():
            if sql_type == "DATE":
                values.append(day)
            elif column == spec.owner_field:
                values.append(f"rep of {spec.name}")
            else:
                values.append(None)
        marks = ", ".join("?" for _ in values)
        con.execute(f'INSERT INTO "{spec.name}" VALUES ({marks})', values)


def test_counts_span_and_reps_cover_every_declared_table() -> None:
    workspace = Workspace(one_shot=True)
    _one_row_everywhere(workspace.con, date(2025, 3, 14))
    assert workspace.row_counts() == {spec.name: 1 for spec in TABLES.values()}
    # Months stand for their whole month (compensation, channel costs).
    assert catalog.data_span(workspace.con) == (date(2025, 3, 1), date(2025, 3, 31))
    owners = {f"rep of {s.name}" for s in TABLES.values() if s.owner_field}
    assert set(workspace.reps()) == owners


def test_the_channel_options_are_every_channel_column_in_the_declared_order() -> None:
    workspace = Workspace(one_shot=True)
    assert catalog.channels(workspace.con) == []
    # One channel per table that has a channel column, inserted against the declared order.
    tables = [spec for spec in TABLES.values() if spec.stored_of(FieldType.CHANNEL)]
    assert {spec.kind for spec in tables} == {TableKind.DEALS, TableKind.LEADS,
                                               TableKind.CHANNEL_COSTS}
    picked = {TableKind.DEALS: "website_paid", TableKind.LEADS: "linkedin",
              TableKind.CHANNEL_COSTS: "event"}
    for spec in tables:
        values = [picked[spec.kind] if c == "channel" else None for c in spec.columns]
        marks = ", ".join("?" for _ in values)
        workspace.con.execute(f'INSERT INTO "{spec.name}" VALUES ({marks})', values)
    assert catalog.channels(workspace.con) == ["linkedin", "event", "website_paid"]


@pytest.mark.parametrize("kind", list(TableKind))
def test_each_date_column_alone_sets_the_span(kind: TableKind) -> None:
    spec = TABLES[kind]
    for column in spec.stored_of(FieldType.DATE):
        workspace = Workspace(one_shot=True)
        values = [date(2024, 7, 9) if c == column else None for c in spec.columns]
        marks = ", ".join("?" for _ in values)
        workspace.con.execute(f'INSERT INTO "{spec.name}" VALUES ({marks})', values)
        assert catalog.data_span(workspace.con) == (date(2024, 7, 9), date(2024, 7, 9)), column
