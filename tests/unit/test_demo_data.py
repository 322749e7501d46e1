"""The bundled demo workspace (data/demo/) and its generator (data/generate_demo.py).

The demo is the first thing a newcomer sees, so these tests pin what makes it
useful: it is up to date with its generator, internally consistent (the same
checks a user's export would be held to), and it tells the story the pages are
built for (a clear channel focus, channels with too little data, reps on both
sides of the 3x package target, one rep without package data). Everything is
recomputed here in plain Python, independently of the `kpi` package.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "data" / "generate_demo.py"
DEMO = ROOT / "data" / "demo"
FIRST, LAST = date(2025, 1, 1), date(2026, 10, 31)

HEADERS = {
    "deals": ["deal_id", "deal_name", "owner", "channel", "stage", "status", "amount",
              "created_at", "closed_at", "proposal_sent_at", "lead_id", "currency"],
    "leads": ["lead_id", "created_at", "owner", "channel", "converted_at"],
    "proposals": ["proposal_id", "deal_id", "owner", "sent_at", "amount", "status"],
    "content": ["date", "owner", "kind", "deal_id", "title", "views", "likes"],
    "compensation": ["owner", "month", "package"],
    "channel_costs": ["channel", "month", "spend"],
}

# docs/tables.md, "Channels" for the raw values the demo uses; an unexpected value fails the test.
CANONICAL = {
    "LinkedIn": "linkedin", "Linkedin Sales Navigator": "linkedin",
    "Cold email": "cold_email", "Cold call": "cold_call",
    "Trade show": "event", "Webinar": "event",
    "Website": "website_organic", "Google Ads": "website_paid",
    "Referral": "referral", "Partner Referral": "referral",
    "Word of mouth": "word_of_mouth", "Facebook": "facebook",
    "Podcast": "other", "": "unknown",
}

Row = dict[str, str]


def _load_generator() -> ModuleType:
    """Import data/generate_demo.py by path: `data/` is a folder, not a package.

    The module is registered in sys.modules first, as dataclasses require.
    """
    spec = importlib.util.spec_from_file_location("generate_demo", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _read(name: str) -> tuple[list[str], list[Row]]:
    with (DEMO / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@pytest.fixture(scope="module")
def tables() -> dict[str, list[Row]]:
    """The committed demo files, read as plain dicts."""
    return {name: _read(name)[1] for name in HEADERS}


def _day(value: str) -> date:
    return date.fromisoformat(value)


def test_generator_output_equals_committed_demo(tmp_path: Path) -> None:
    counts = _load_generator().main(tmp_path)

    generated = sorted(path.name for path in tmp_path.iterdir())
    committed = sorted(path.name for path in DEMO.iterdir())
    assert generated == committed == sorted(f"{name}.csv" for name in HEADERS)
    for name in generated:
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes(), (
            f"data/demo/{name} is stale: run `python data/generate_demo.py`")
    assert counts == {name: len(_read(name)[1]) for name in HEADERS}


def test_generator_is_deterministic_within_a_process(tmp_path: Path) -> None:
    generator = _load_generator()
    generator.main(tmp_path / "a")
    generator.main(tmp_path / "b")
    for name in HEADERS:
        assert (tmp_path / "a" / f"{name}.csv").read_bytes() == \
            (tmp_path / "b" / f"{name}.csv").read_bytes()


def test_files_use_the_canonical_format() -> None:
    total = 0
    for name, header in HEADERS.items():
        raw = (DEMO / f"{name}.csv").read_bytes()
        total += len(raw)
        assert not raw.startswith(b"\xef\xbb\xbf"), name
        raw.decode("utf-8")  # strict: raises on anything else
        assert _read(name)[0] == header
    assert total < 600_000


def test_row_counts_match_the_brief(tables: dict[str, list[Row]]) -> None:
    sizes = {name: len(rows) for name, rows in tables.items()}
    assert 1200 <= sizes["deals"] <= 1600
    assert 3000 <= sizes["leads"] <= 4000
    assert 550 <= sizes["proposals"] <= 850
    assert 2000 <= sizes["content"] <= 3000
    assert sizes["compensation"] > 0 and sizes["channel_costs"] > 0


def test_deal_values_and_dates_are_consistent(tables: dict[str, list[Row]]) -> None:
    deals = tables["deals"]
    assert len({d["deal_id"] for d in deals}) == len(deals)
    stages = {"won": {"Closed won"}, "lost": {"Closed lost"},
              "open": {"Qualification", "Demo", "Proposal sent", "Negotiation"}}
    for deal in deals:
        created = _day(deal["created_at"])
        assert FIRST <= created <= LAST
        assert deal["currency"] == "EUR"
        amount = deal["amount"]
        assert amount.count(".") == 1 and len(amount.split(".")[1]) == 2, amount
        assert 2000 <= float(amount) <= 80000
        assert deal["stage"] in stages[deal["status"]], deal
        if deal["status"] in ("won", "lost"):
            assert deal["closed_at"], deal
            closed = _day(deal["closed_at"])
            assert created <= closed <= LAST
            assert 20 <= (closed - created).days <= 120
        else:
            assert deal["closed_at"] == "", deal
        if deal["proposal_sent_at"]:
            sent = _day(deal["proposal_sent_at"])
            assert created <= sent <= (_day(deal["closed_at"]) if deal["closed_at"] else LAST)
    statuses = Counter(d["status"] for d in deals)
    assert statuses["won"] and statuses["lost"] and statuses["open"]


def test_open_deals_are_mostly_recent(tables: dict[str, list[Row]]) -> None:
    open_deals = [d for d in tables["deals"] if d["status"] == "open"]
    recent = [d for d in open_deals if (LAST - _day(d["created_at"])).days <= 90]
    assert len(recent) >= 0.75 * len(open_deals)


def test_proposals_belong_to_their_deals(tables: dict[str, list[Row]]) -> None:
    deals = {d["deal_id"]: d for d in tables["deals"]}
    proposals = tables["proposals"]
    assert len({p["proposal_id"] for p in proposals}) == len(proposals)
    for proposal in proposals:
        deal = deals[proposal["deal_id"]]
        assert proposal["owner"] == deal["owner"]
        assert proposal["status"] == deal["status"]
        assert proposal["amount"] == deal["amount"]
        assert proposal["sent_at"] == deal["proposal_sent_at"]
    with_proposal = {d["deal_id"] for d in deals.values() if d["proposal_sent_at"]}
    assert with_proposal == {p["deal_id"] for p in proposals}


def test_content_points_at_the_reps_own_deals(tables: dict[str, list[Row]]) -> None:
    deals = {d["deal_id"]: d for d in tables["deals"]}
    kinds = Counter(row["kind"] for row in tables["content"])
    assert set(kinds) == {"deck_shared", "article_shared", "own_post"}
    for row in tables["content"]:
        assert FIRST <= _day(row["date"]) <= LAST
        if row["kind"] == "deck_shared":
            deal = deals[row["deal_id"]]
            assert row["owner"] == deal["owner"]
            assert _day(deal["created_at"]) <= _day(row["date"])
            assert row["views"] in ("", "0") and row["likes"] in ("", "0")
        else:
            assert row["deal_id"] == ""
            assert int(row["views"]) > 0 and int(row["likes"]) >= 0
    per_rep = Counter(row["owner"] for row in tables["content"])
    assert max(per_rep.values()) >= 4 * min(per_rep.values())  # reps differ in usage


def test_leads_link_to_deals_plausibly(tables: dict[str, list[Row]]) -> None:
    leads = {lead["lead_id"]: lead for lead in tables["leads"]}
    assert len(leads) == len(tables["leads"])
    for lead in leads.values():
        assert FIRST <= _day(lead["created_at"]) <= LAST
        assert lead["channel"] in CANONICAL
        if lead["converted_at"]:
            assert _day(lead["created_at"]) <= _day(lead["converted_at"]) <= LAST
    linked = [d for d in tables["deals"] if d["lead_id"]]
    assert len(linked) >= 0.9 * len(tables["deals"])
    for deal in linked:
        lead = leads[deal["lead_id"]]
        assert _day(lead["created_at"]) <= _day(deal["created_at"])
        if deal["status"] == "won":
            assert lead["converted_at"], deal  # a won deal makes its lead a customer
    converted: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for lead in leads.values():
        total[lead["channel"]] += 1
        converted[lead["channel"]] += bool(lead["converted_at"])
    for channel in ("LinkedIn", "Cold email", "Website", "Google Ads", "Referral"):
        assert 0.08 <= converted[channel] / total[channel] <= 0.3, channel


def test_channel_focus_has_a_clear_answer(tables: dict[str, list[Row]]) -> None:
    closed: Counter[str] = Counter()
    won: Counter[str] = Counter()
    revenue: defaultdict[str, float] = defaultdict(float)
    for deal in tables["deals"]:
        assert deal["channel"] in CANONICAL, deal["channel"]
        channel = CANONICAL[deal["channel"]]
        if deal["status"] in ("won", "lost"):
            closed[channel] += 1
        if deal["status"] == "won":
            won[channel] += 1
            revenue[channel] += float(deal["amount"])

    ranked = sorted((c for c in closed if closed[c] >= 10),
                    key=lambda c: (-revenue[c] / closed[c], -revenue[c], c))
    insufficient = [c for c in closed if closed[c] < 10]
    assert len(ranked) >= 5
    assert insufficient

    # docs/kpis/channels.md: top 3, plus a 4th when they bring less than 80 % of revenue.
    per_closed = {c: revenue[c] / closed[c] for c in ranked}
    top3_share = sum(revenue[c] for c in ranked[:3]) / sum(revenue[c] for c in ranked)
    kept = 3 if top3_share >= 0.8 else 4
    assert len(ranked) > kept  # some channels are told to reduce
    assert per_closed[ranked[kept - 1]] >= 1.5 * per_closed[ranked[kept]]

    win_rates = [won[c] / closed[c] for c in ranked]
    sizes = [revenue[c] / won[c] for c in ranked if won[c]]
    assert max(win_rates) >= 2 * min(win_rates)
    assert max(sizes) >= 2 * min(sizes)


def test_compensation_covers_all_reps_but_one(tables: dict[str, list[Row]]) -> None:
    reps = {d["owner"] for d in tables["deals"]}
    paid = {row["owner"] for row in tables["compensation"]}
    assert len(reps) == 8
    assert paid < reps and len(reps - paid) == 1

    package: defaultdict[str, float] = defaultdict(float)
    for row in tables["compensation"]:
        assert date.fromisoformat(row["month"] + "-01")
        assert 4000 <= float(row["package"]) <= 16000
        package[row["owner"]] += float(row["package"])
    won: defaultdict[str, float] = defaultdict(float)
    for deal in tables["deals"]:
        if deal["status"] == "won":
            won[deal["owner"]] += float(deal["amount"])
    ratios = {rep: won[rep] / package[rep] for rep in paid}
    assert sum(r >= 3 for r in ratios.values()) >= 2
    assert sum(r < 3 for r in ratios.values()) >= 2


def test_one_rep_joins_mid_way(tables: dict[str, list[Row]]) -> None:
    first_deal: dict[str, date] = {}
    for deal in tables["deals"]:
        day = _day(deal["created_at"])
        first_deal[deal["owner"]] = min(first_deal.get(deal["owner"], day), day)
    late = [rep for rep, day in first_deal.items() if day >= date(2025, 6, 1)]
    assert len(late) == 1
    months = sorted(r["month"] for r in tables["compensation"] if r["owner"] == late[0])
    assert months and months[0] > "2025-06"


def test_channel_costs_cover_paid_channels(tables: dict[str, list[Row]]) -> None:
    spent = {row["channel"] for row in tables["channel_costs"]}
    assert {"LinkedIn", "Google Ads", "Trade show", "Cold email", "Webinar"} <= spent
    assert spent <= set(CANONICAL)
    for row in tables["channel_costs"]:
        assert FIRST.strftime("%Y-%m") <= row["month"] <= LAST.strftime("%Y-%m")
        assert float(row["spend"]) > 0
