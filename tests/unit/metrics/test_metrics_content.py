"""Marketing content usage (docs/kpis/marketing-content.md) on a hand-checked fixture."""

from __future__ import annotations

from datetime import date

import pytest

from kpi.metrics import compute_content
from kpi.schema import Filters

D = date.fromisoformat
MARCH = {"date_from": D("2024-03-01"), "date_to": D("2024-03-31")}

DEALS = [
    {"deal_id": "C1", "owner": "Ann", "channel": "linkedin", "created_at": "2024-03-01"},
    {"deal_id": "C2", "owner": "Ann", "channel": "cold_email", "created_at": "2024-03-10"},
    {"deal_id": "C3", "owner": "Bob", "channel": "linkedin", "created_at": "2024-03-15"},
    {"deal_id": "C4", "owner": "Bob", "channel": "linkedin", "created_at": "2024-02-10"},
    {"deal_id": "C5", "owner": "Ann", "channel": "linkedin", "created_at": "2024-03-20"},
]
CONTENT = [
    # a deck before the period still counts for C1 ("any date"), not in March's counts
    {"date": "2024-02-15", "owner": "Ann", "kind": "deck_shared", "deal_id": "C1",
     "views": 10, "likes": 1},
    {"date": "2024-03-12", "owner": "Ann", "kind": "deck_shared", "deal_id": "C2",
     "views": 5, "likes": 0},
    # deck on a deal created before March: counted as an event, not as a deal worked
    {"date": "2024-03-01", "owner": "Bob", "kind": "deck_shared", "deal_id": "C4"},
    {"date": "2024-03-03", "owner": "Ann", "kind": "article_shared", "views": 100, "likes": 7},
    {"date": "2024-03-04", "owner": "Bob", "kind": "article_shared", "views": 50, "likes": 3},
    {"date": "2024-03-05", "owner": "Ann", "kind": "own_post", "views": 200, "likes": 20},
    {"date": "2024-04-01", "owner": "Ann", "kind": "own_post", "views": 999, "likes": 99},
    # an article on a deal is not a deck: C3 has no content usage
    {"date": "2024-03-16", "owner": "Bob", "kind": "article_shared", "deal_id": "C3",
     "views": 0, "likes": 0},
]  # fmt: skip


@pytest.fixture
def con(workspace):
    return workspace(deals=DEALS, content=CONTENT)


def test_march(con) -> None:
    r = compute_content(con, Filters(**MARCH))
    assert r.deals_worked == 4  # C1 C2 C3 C5
    assert r.deals_with_content == 2  # C1 (deck in Feb), C2
    assert r.usage_rate == 2 / 4
    assert (r.decks_shared, r.articles_shared, r.own_posts) == (2, 3, 1)
    assert r.views == 5 + 0 + 100 + 50 + 200 + 0  # empty views count 0
    assert r.likes == 0 + 0 + 7 + 3 + 20 + 0


def test_rep_filter_applies_to_deals_and_events(con) -> None:
    r = compute_content(con, Filters(**MARCH, reps=["Ann"]))
    assert (r.deals_worked, r.deals_with_content, r.usage_rate) == (3, 2, 2 / 3)
    assert (r.decks_shared, r.articles_shared, r.own_posts) == (1, 1, 1)
    assert (r.views, r.likes) == (5 + 100 + 200, 0 + 7 + 20)


def test_channel_filter_applies_to_deals_only(con) -> None:
    r = compute_content(con, Filters(**MARCH, channels=["linkedin"]))
    assert (r.deals_worked, r.deals_with_content, r.usage_rate) == (3, 1, 1 / 3)  # C1 C3 C5
    assert r.decks_shared == 2  # events have no channel


def test_per_rep_and_month_rows(con) -> None:
    r = compute_content(con, Filters(**MARCH))
    reps = {x.owner: x for x in r.by_rep}
    assert (reps["Bob"].deals_worked, reps["Bob"].deals_with_content) == (1, 0)
    assert reps["Bob"].usage_rate == 0.0
    assert (reps["Bob"].decks_shared, reps["Bob"].articles_shared, reps["Bob"].views) == (1, 2, 50)
    assert reps["Ann"].usage_rate == 2 / 3
    r = compute_content(con, Filters())
    months = {m.month: (m.decks_shared, m.own_posts, m.deals_worked) for m in r.by_month}
    assert months == {
        D("2024-02-01"): (1, 0, 1),  # deck on C1; C4 created
        D("2024-03-01"): (2, 1, 4),
        D("2024-04-01"): (0, 1, 0),
    }


def test_usage_rate_is_none_without_deal_ids(workspace) -> None:
    con = workspace(
        deals=DEALS,
        content=[{"date": "2024-03-03", "owner": "Ann", "kind": "deck_shared", "views": 4}],
    )
    r = compute_content(con, Filters(**MARCH))
    assert r.has_deal_links is False
    assert r.deals_worked == 4 and r.deals_with_content == 0
    assert r.usage_rate is None  # not measurable, not 0
    assert (r.decks_shared, r.views) == (1, 4)


def test_usage_rate_is_none_without_deals_worked(con) -> None:
    r = compute_content(con, Filters(date_from=D("2024-04-01"), date_to=D("2024-04-30")))
    assert r.deals_worked == 0 and r.usage_rate is None
    assert (r.own_posts, r.views, r.likes) == (1, 999, 99)


def test_no_content_table(workspace) -> None:
    r = compute_content(workspace(deals=DEALS), Filters(**MARCH))
    assert r.deals_worked == 4 and r.usage_rate is None
    assert (r.decks_shared, r.articles_shared, r.own_posts, r.views, r.likes) == (0, 0, 0, 0, 0)


def test_rep_by_month_events(con) -> None:
    """One row per rep and month with events (the engagement chart), by rep then month."""
    rows = [(x.owner, x.month, x.decks_shared, x.articles_shared, x.own_posts, x.views, x.likes)
            for x in compute_content(con, Filters()).by_rep_month]
    assert rows == [
        ("Ann", D("2024-02-01"), 1, 0, 0, 10, 1),
        ("Ann", D("2024-03-01"), 1, 1, 1, 5 + 100 + 200, 0 + 7 + 20),
        ("Ann", D("2024-04-01"), 0, 0, 1, 999, 99),
        ("Bob", D("2024-03-01"), 1, 2, 0, 0 + 50 + 0, 3),  # empty views count 0
    ]
    rows = compute_content(con, Filters(**MARCH, reps=["Bob"])).by_rep_month
    assert [(x.owner, x.month, x.views) for x in rows] == [("Bob", D("2024-03-01"), 50)]
