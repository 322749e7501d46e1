"""Quota attainment (docs/kpis/quota-attainment.md) from hand-made exports.

The files go through the real importer (headers recognised as a quotas
export), and every expected figure is worked out by hand in the comments.
"""

from __future__ import annotations

from datetime import date

import pytest

from kpi.metrics import compute_report
from kpi.metrics.quotas import compute_quotas
from kpi.report_text import report_text
from kpi.schema import Filters, TableKind
from kpi.workspace import Workspace

DEALS = b"""Deal ID,Owner,Status,Amount,Created,Close Date,Currency
D1,Ann,Won,3000,2023-12-01,2024-01-15,EUR
D2,Ann,Won,2000,2023-12-01,2024-02-10,EUR
D3,Ann,Lost,9999,2023-12-01,2024-01-20,EUR
D4,Bob,Won,4000,2023-12-01,2024-03-31,EUR
D5,Bob,Won,1000,2023-12-01,2024-04-01,EUR
D6,Cy,Won,500,2023-12-01,2024-01-05,EUR
D7,Bob,Won,7000,2023-12-01,2024-02-02,USD
"""

# Ann: a quota per month; Bob: one for the first quarter.
QUOTAS = b"""Quota owner,Period,Interval,Quota
Ann,2024-01,Monthly,4000
Ann,2024-02,Monthly,4000
Bob,2024-01,Quarterly,10000
"""

Q1 = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 3, 31), currency="EUR")


def _workspace(*files: tuple[bytes, str]) -> Workspace:
    workspace = Workspace(one_shot=True)
    for data, name in ((DEALS, "deals.csv"), *files):
        report = workspace.add_file(data, name)
        assert report.rows_rejected == 0, report.rejects
    return workspace


@pytest.fixture(scope="module")
def quarter() -> Workspace:
    return _workspace((QUOTAS, "quotas.csv"))


def test_a_quota_export_is_recognised_in_english_french_and_salesforce() -> None:
    french = "Propriétaire;Période;Objectif;Devise\nAnn;2024-01;4000;EUR\n".encode()
    salesforce = (b"Id,QuotaOwnerId,StartDate,QuotaAmount,CurrencyIsoCode\n"
                  b"0J9,Ann,2024-01-01,4000,EUR\n")
    workspace = Workspace(one_shot=True)
    for data, name in ((QUOTAS, "q.csv"), (french, "fr.csv"), (salesforce, "sf.csv")):
        assert workspace.add_file(data, name).table is TableKind.QUOTAS, name
    assert workspace.row_counts()["quotas"] == 3 + 1 + 1


def test_attainment_per_rep_and_team_over_the_quarter(quarter: Workspace) -> None:
    result = compute_quotas(quarter.con, Q1)
    ann, bob = result.reps
    # Ann: January 3,000 won of 4,000 (the lost D3 does not count), February
    # 2,000 of 4,000: 5,000 / 8,000 = 62.5 %.
    assert (ann.owner, ann.target, ann.won_revenue) == ("Ann", 8000, 5000)
    assert ann.attainment == pytest.approx(0.625)
    # Bob: the quarter 1 Jan - 31 Mar: D4 (31 Mar) counts, D5 (1 Apr) does not,
    # D7 is in dollars: 4,000 / 10,000 = 40 %.
    assert (bob.owner, bob.target, bob.won_revenue) == ("Bob", 10000, 4000)
    assert bob.attainment == pytest.approx(0.40)
    # Team: (5,000 + 4,000) / (8,000 + 10,000) = 50 %; Cy has no quota and is left out.
    assert result.team_attainment == pytest.approx(0.5)
    assert [q.period_end for q in result.quotas] == [
        date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31)]


def test_a_quota_counts_by_its_days_inside_the_period(quarter: Workspace) -> None:
    february = Q1.model_copy(update={"date_from": date(2024, 2, 1),
                                     "date_to": date(2024, 2, 29)})
    result = compute_quotas(quarter.con, february)
    ann, bob = result.reps
    # Ann: February's quota only: 2,000 / 4,000.
    assert (ann.target, ann.won_revenue, ann.attainment) == (4000, 2000, 0.5)
    # Bob: 29 of the quarter's 31 + 29 + 31 = 91 days: 10,000 x 29 / 91 = 3,186.81;
    # nothing won in euros in February.
    assert bob.target == pytest.approx(3186.8132, abs=1e-4)
    assert bob.attainment == 0
    # Team: 2,000 / (4,000 + 3,186.81) = 27.83 %.
    assert result.team_attainment == pytest.approx(0.27829, abs=1e-5)


def test_filters_and_currency(quarter: Workspace) -> None:
    # Bob's dollar deal counts only against a dollar quota: his quota has no
    # currency, so it is in the default currency (euros: the most won revenue,
    # 10,500 against 7,000) and a dollar view has no quota at all.
    assert compute_quotas(quarter.con, Q1.model_copy(update={"currency": "USD"})).reps == []
    only_ann = compute_quotas(quarter.con, Q1.model_copy(update={"reps": ["Ann"]}))
    assert [r.owner for r in only_ann.reps] == ["Ann"]
    assert only_ann.team_attainment == pytest.approx(0.625)


def test_in_the_report_json_and_text(quarter: Workspace) -> None:
    report = compute_report(quarter.con, Q1)
    section = report["quota_attainment"]
    assert section["team_attainment"] == pytest.approx(0.5)
    assert (section["target"], section["won_revenue"]) == (18000, 9000)
    assert [rep["owner"] for rep in section["reps"]] == ["Ann", "Bob"]
    text = report_text(report, "fr")
    assert "## Atteinte des objectifs" in text
    assert "Atteinte de l'équipe : 50,0\u202f%" in text
    assert "- Ann : Objectif : 8\u202f000\u00a0€, CA gagné : 5\u202f000\u00a0€, " \
           "Atteinte : 62,5\u202f%" in text
