"""Links keep the view: the URL holds language-neutral codes for every setting.

AppTest on app.py (see test_pages.py for how pages are opened). A "link" here
is a set of query parameters given to a new session, as a browser opening
the address would.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from kpi.workspace import Workspace
from tests.app.test_pages import app, built_workspace, metric, no_exception, open_page, texts

# Deals of 2017 only (Maven-like old data): presets count back from 31 Dec 2017.
OLD_DEALS = """deal_id,owner,channel,status,amount,created_at,closed_at
M1,Anna,referral,won,1000,2017-10-02,2017-11-20
M2,Anna,referral,lost,500,2017-11-01,2017-12-05
M3,Ben,website_paid,won,3000,2017-11-15,2017-12-31
M4,Ben,website_paid,won,2000,2016-11-01,2016-12-20
"""


@pytest.fixture
def workspace() -> Iterator[Workspace]:
    ws = built_workspace()
    yield ws
    ws.close()


def params(at: AppTest) -> dict[str, list[str]]:
    """The URL's query parameters after the run, every value as a list."""
    return {k: v if isinstance(v, list) else [v] for k, v in at.query_params.items()}


def shown_link(at: AppTest) -> str:
    """The address in "Copy link to this view" (AppTest has no host: it starts at '?')."""
    return at.sidebar.code[-1].value


def digits(at: AppTest) -> list[str]:
    """Every card's value reduced to its digits, to compare figures across languages."""
    return [re.sub(r"\D", "", m.value) for m in at.main.metric]


def test_the_url_holds_codes_in_both_languages(workspace: Workspace) -> None:
    at = open_page(app(workspace), "overview")
    at.selectbox(key="period").set_value("last_12_months")
    at.multiselect(key="channel").set_value(["linkedin", "website_paid"]).run()
    no_exception(at)
    english = params(at)
    assert english == {"period": ["last_12_months"], "channel": ["linkedin", "website_paid"]}
    at.selectbox(key="lang").set_value("fr").run()
    no_exception(at)
    assert params(at) == {**english, "lang": ["fr"]}
    assert shown_link(at) == "?lang=fr&period=last_12_months&channel=linkedin&channel=website_paid"


def test_the_same_link_gives_the_same_figures_in_either_language(workspace: Workspace) -> None:
    link = {"period": "last_12_months", "channel": ["linkedin", "referral"],
            "rep": ["Bruno Petit", "Alice Martin"]}
    english = open_page(app(workspace, **link), "overview")
    french = open_page(app(workspace, **link, lang="fr"), "overview")
    no_exception(english)
    no_exception(french)
    assert french.sidebar.selectbox(key="period").value == "last_12_months"
    assert french.sidebar.multiselect(key="channel").value == ["linkedin", "referral"]
    assert digits(english) == digits(french) and any(digits(english))
    # and they differ from the unfiltered view: the filters were applied
    assert digits(open_page(app(workspace), "overview")) != digits(english)


def test_links_made_with_labels_still_open_the_view(workspace: Workspace) -> None:
    # before codes, the URL held the shown label of the sender's language
    at = open_page(app(workspace, period="12 derniers mois", lang="Français"), "overview")
    no_exception(at)
    assert at.sidebar.selectbox(key="period").value == "last_12_months"
    assert params(at) == {"period": ["last_12_months"], "lang": ["fr"]}


def test_codes_the_data_do_not_hold_are_dropped_from_the_view_and_the_url(
        workspace: Workspace) -> None:
    at = open_page(app(workspace, channel=["linkedin", "fax"], rep="Nobody", period="someday"),
                   "overview")
    no_exception(at)
    assert at.sidebar.multiselect(key="channel").value == ["linkedin"]
    assert at.sidebar.multiselect(key="rep").value == []
    assert at.sidebar.selectbox(key="period").value == "all"
    assert params(at) == {"channel": ["linkedin"]}


def test_page_settings_and_the_drill_down_are_in_the_link(workspace: Workspace) -> None:
    link = {"rank_by": "win_rate", "min_closed": "5", "selected_channel": "referral"}
    at = open_page(app(workspace, **link, lang="fr"), "channels")
    no_exception(at)
    assert at.selectbox(key="rank_by").value == "win_rate"
    assert at.number_input(key="min_closed").value == 5
    assert any(s.value.startswith("Sélection : Recommandation") for s in at.subheader)
    assert {"rank_by": ["win_rate"], "min_closed": ["5"],
            "selected_channel": ["referral"]}.items() <= params(at).items()
    link_text = shown_link(at)
    for part in ("rank_by=win_rate", "min_closed=5", "selected_channel=referral", "lang=fr"):
        assert part in link_text
    # another page: this page's settings leave the URL, the shared filters stay
    open_page(at, "overview")
    no_exception(at)
    assert params(at) == {"lang": ["fr"]}


def test_social_channel_and_target_links(workspace: Workspace) -> None:
    social = open_page(app(workspace, network="facebook"), "social-selling")
    no_exception(social)
    assert metric(social, "Leads from Facebook")
    assert params(social) == {"network": ["facebook"]}
    packages = open_page(app(workspace, target="2.5"), "packages")
    no_exception(packages)
    assert packages.select_slider(key="target").value == 2.5
    assert params(packages) == {"target": ["2.5"]}


def test_presets_on_old_data_count_back_from_its_last_day() -> None:
    ws = Workspace()
    assert ws.add_file(OLD_DEALS.encode(), "deals.csv").rows_rejected == 0
    at = open_page(app(ws, period="this_month"), "overview")
    no_exception(at)
    assert "Latest data: Dec 31, 2017. Periods count back from this day." in [
        c.value for c in at.sidebar.caption]
    body = texts(at)
    assert "Dec 1, 2017 – Dec 31, 2017 · All reps · All channels" in body
    # December 2017: M2 lost and M3 won (3,000) closed; November: M1 won (1,000);
    # December 2016: M4 won (2,000)
    assert metric(at, "Won revenue") == "€3,000"
    assert metric(at, "Closed deals") == "2"
    assert "Changes against the period just before: Nov 1, 2017 – Nov 30, 2017." in body
    assert "Year on year (beside each change): against Dec 1, 2016 – Dec 31, 2016." in body
    revenue = next(m for m in at.main.metric if m.label == "Won revenue")
    assert revenue.delta == "+€2,000"
    assert revenue.proto.delta_description == "+€1,000 YoY"
