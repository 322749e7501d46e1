"""Property test: the SQL engine agrees with a plain-Python reading of docs/kpis/

The oracle below re-implements every figure of the report from the row dicts,
without SQL and without the engine's helpers, on random workspaces (random
periods, rep and channel filters, empty tables, single rows, zero denominators,
ties in the channel ranking).
"""

from __future__ import annotations

import calendar
import math
import statistics
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi.metrics import (
    ChannelRow,
    channel_focus,
    compute_pipeline,
    compute_proposals,
    compute_report,
)
from kpi.metrics.report import report_sections
from kpi.schema import TABLES, Filters

Row = dict[str, Any]
BASE = date(2023, 11, 1)
OWNERS = ["Ann", "Bob", "Cé"]
CHANNELS = ["linkedin", "facebook", "cold_email", "referral", "unknown"]
# Few distinct amounts so that ties (in revenue per closed deal, in revenue) are common.
AMOUNTS = [0.0, 100.0, 250.0, 500.0, 1000.0]
ANY = object()  # expected value that may legitimately be either (float at a boundary)

days_ = st.integers(0, 240).map(lambda n: BASE + timedelta(days=n))
months_ = days_.map(lambda d: d.replace(day=1))


def gap(low: int, high: int) -> st.SearchStrategy[timedelta]:
    return st.integers(low, high).map(lambda n: timedelta(days=n))


@st.composite
def workspaces(draw: st.DrawFn) -> dict[str, list[Row]]:
    deals: list[Row] = []
    for i in range(draw(st.integers(0, 20))):
        status = draw(st.sampled_from(["open", "won", "won", "lost"]))
        created = draw(days_)
        closed = created + draw(gap(0, 60)) if status != "open" else None
        sent = draw(st.none() | gap(0, 30).map(lambda g, c=created: c + g))
        deals.append(
            {"deal_id": f"d{i}", "owner": draw(st.sampled_from(OWNERS)),
             "channel": draw(st.sampled_from(CHANNELS)), "status": status,
             "amount": draw(st.sampled_from(AMOUNTS)), "created_at": created,
             "closed_at": closed, "proposal_sent_at": sent}
        )  # fmt: skip
    deal_ids = st.none() | st.sampled_from([d["deal_id"] for d in deals] + ["missing"])
    leads = []
    for i in range(draw(st.sampled_from([0, 0, 1, 4, 8]))):
        created = draw(days_)
        converted = draw(st.none() | gap(0, 40).map(lambda g, c=created: c + g))
        leads.append(
            {"lead_id": f"l{i}", "owner": draw(st.sampled_from(OWNERS)),
             "channel": draw(st.sampled_from(CHANNELS)), "created_at": created,
             "converted_at": converted}
        )  # fmt: skip
    props = [
        {"proposal_id": f"p{i}", "deal_id": draw(deal_ids), "owner": draw(st.sampled_from(OWNERS)),
         "sent_at": draw(days_), "amount": draw(st.sampled_from(AMOUNTS)),
         "status": draw(st.sampled_from(["open", "won", "lost"]))}
        for i in range(draw(st.sampled_from([0, 0, 1, 3, 6])))
    ]  # fmt: skip
    content = [
        {"date": draw(days_), "owner": draw(st.sampled_from(OWNERS)),
         "kind": draw(st.sampled_from(["deck_shared", "article_shared", "own_post"])),
         "deal_id": draw(deal_ids), "views": draw(st.none() | st.integers(0, 50)),
         "likes": draw(st.none() | st.integers(0, 9))}
        for _ in range(draw(st.integers(0, 8)))
    ]  # fmt: skip
    comp = []
    for _ in range(draw(st.integers(0, 4))):
        owner = draw(st.sampled_from(OWNERS))
        if draw(st.booleans()):
            comp.append(
                {
                    "owner": owner,
                    "month": draw(months_),
                    "package": draw(st.none() | st.sampled_from([0.0, 300.0, 3100.0])),
                }
            )
        else:
            comp.append(
                {
                    "owner": owner,
                    "annual_package": draw(st.none() | st.sampled_from([0.0, 12000.0])),
                }
            )
    costs = [
        {"channel": draw(st.sampled_from(CHANNELS)), "month": draw(months_),
         "spend": draw(st.sampled_from([0.0, 90.0, 310.0]))}
        for _ in range(draw(st.integers(0, 4)))
    ]  # fmt: skip
    # No users export: owners are names already (the users table renames ids).
    return {"deals": deals, "leads": leads, "proposals": props, "content": content,
            "compensation": comp, "channel_costs": costs, "users": []}  # fmt: skip


filters_ = st.builds(
    Filters,
    date_from=st.none() | days_,
    date_to=st.none() | days_,
    reps=st.lists(st.sampled_from([*OWNERS, "Nobody"]), max_size=2, unique=True),
    channels=st.lists(st.sampled_from(CHANNELS), max_size=2, unique=True),
    min_closed=st.integers(0, 3),
    target_multiple=st.sampled_from([1.0, 2.0, 3.0]),
    social_channel=st.sampled_from(["linkedin", "facebook"]),
)
metrics_ = st.sampled_from(["revenue_per_closed", "win_rate", "revenue"])


# ---------------------------------------------------------------------------
# The oracle: docs/kpis/ read literally, in plain Python.
# ---------------------------------------------------------------------------


def div(a: float, b: float) -> float | None:
    return None if not b else a / b


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def last_day(m: date) -> date:
    return m.replace(day=calendar.monthrange(m.year, m.month)[1])


class Oracle:
    def __init__(self, ws: dict[str, list[Row]], filters: Filters) -> None:
        self.ws = ws
        found: list[date] = []
        for table, cols in [("deals", ["created_at", "closed_at", "proposal_sent_at"]),
                            ("leads", ["created_at", "converted_at"]),
                            ("proposals", ["sent_at"]), ("content", ["date"])]:  # fmt: skip
            found += [r[c] for r in ws[table] for c in cols if r.get(c) is not None]
        for table in ("compensation", "channel_costs"):
            found += [
                x for r in ws[table] if r.get("month") for x in (r["month"], last_day(r["month"]))
            ]
        self.lo = min(found) if found else None
        self.hi = max(found) if found else None
        self.f = filters.date_from or self.lo
        self.t = filters.date_to or self.hi
        self.filters = filters.model_copy(update={"date_from": self.f, "date_to": self.t})
        self.reps, self.channels = filters.reps, filters.channels
        self.D = [d for d in ws["deals"] if self.rep(d["owner"]) and self.chan(d["channel"])]

    def rep(self, owner: str) -> bool:
        return not self.reps or owner in self.reps

    def chan(self, channel: str) -> bool:
        return not self.channels or channel in self.channels

    def inside(self, day: date | None) -> bool:
        if day is None:
            return False
        return (self.f is None or day >= self.f) and (self.t is None or day <= self.t)

    def month_share(self, month: date) -> float:
        """Share of the month's days inside the period (0 when no overlap)."""
        start = max(month, self.f or date.min)
        end = min(last_day(month), self.t or date.max)
        if start > end:
            return 0.0
        return ((end - start).days + 1) / last_day(month).day

    def overlaps(self, month: date) -> bool:
        return max(month, self.f or date.min) <= min(last_day(month), self.t or date.max)

    def closed_in(self, deals: list[Row]) -> list[Row]:
        return [d for d in deals if d["status"] in ("won", "lost") and self.inside(d["closed_at"])]

    # -- §5.1
    def pipeline(self) -> dict[str, Any]:
        closed = self.closed_in(self.D)
        won = [d for d in closed if d["status"] == "won"]
        revenue = sum(d["amount"] for d in won)
        cycles = [(d["closed_at"] - d["created_at"]).days for d in won]
        still_open = [d for d in self.D if d["status"] == "open"
                      and (self.t is None or d["created_at"] <= self.t)]  # fmt: skip
        return {
            "closed": len(closed), "won": len(won), "lost": len(closed) - len(won),
            "win_rate": div(len(won), len(closed)), "won_revenue": revenue,
            "avg_deal_value": div(revenue, len(won)), "avg_cycle_days": mean(cycles),
            "median_cycle_days": statistics.median(cycles) if cycles else None,
            "open_deals": len(still_open),
            "open_pipeline_value": sum(d["amount"] for d in still_open),
        }  # fmt: skip

    def pipeline_months(self) -> list[tuple[date, int, int]]:
        months: dict[date, list[int]] = {}
        for d in self.closed_in(self.D):
            counts = months.setdefault(d["closed_at"].replace(day=1), [0, 0])
            counts[0] += 1
            counts[1] += d["status"] == "won"
        return [(m, c[0], c[1]) for m, c in sorted(months.items())]

    # -- §5.2
    def social(self) -> dict[str, Any]:
        sc = self.filters.social_channel
        mine = [d for d in self.ws["deals"] if self.rep(d["owner"])]
        created = [d for d in mine if d["channel"] == sc and self.inside(d["created_at"])]
        if self.ws["leads"]:
            leads = [x for x in self.ws["leads"] if x["channel"] == sc and self.rep(x["owner"])
                     and self.inside(x["created_at"])]  # fmt: skip
            n, customers = len(leads), sum(x["converted_at"] is not None for x in leads)
        else:
            n, customers = len(created), sum(d["status"] == "won" for d in created)
        won = [d for d in mine if d["status"] == "won" and self.inside(d["closed_at"])]
        return {
            "leads": n, "customers": customers, "lead_to_customer_rate": div(customers, n),
            "deals_created": len(created),
            "avg_deal_value": mean([d["amount"] for d in won if d["channel"] == sc]),
            "avg_deal_value_other": mean([d["amount"] for d in won if d["channel"] != sc]),
        }  # fmt: skip

    # -- §5.3
    def proposal_rows(self) -> list[tuple[str, str, date, float, str, date | None]]:
        deals = {d["deal_id"]: d for d in self.ws["deals"]}
        if self.ws["proposals"]:
            rows = []
            for p in self.ws["proposals"]:
                deal = deals.get(p["deal_id"])
                channel = deal["channel"] if deal else "unknown"
                decided = deal["closed_at"] if deal else None
                rows.append((p["owner"], channel, p["sent_at"], p["amount"], p["status"], decided))
        else:
            rows = [(d["owner"], d["channel"], d["proposal_sent_at"], d["amount"], d["status"],
                     d["closed_at"]) for d in self.ws["deals"] if d["proposal_sent_at"]]  # fmt: skip
        return [r for r in rows if self.inside(r[2]) and self.rep(r[0]) and self.chan(r[1])]

    def proposals(self) -> dict[str, Any]:
        rows = self.proposal_rows()
        won = sum(r[4] == "won" for r in rows)
        lost = sum(r[4] == "lost" for r in rows)
        pending = [r for r in rows if r[4] == "open"]
        rate = div(won, won + lost)
        stale_days = self.stale_days()
        stale = [r for r in pending if self.slot(r) == "stale"]
        overdue = [r for r in pending if self.slot(r) == "overdue"]
        value = sum(r[3] for r in pending) - sum(r[3] for r in stale)  # stale: out
        return {
            "sent": len(rows), "won": won, "lost": lost, "pending": len(pending),
            "conversion_rate": rate, "forecast_revenue": None if rate is None else value * rate,
            "stale_days": stale_days, "stale": len(stale), "stale_value": sum(r[3] for r in stale),
            "overdue": len(overdue), "overdue_value": sum(r[3] for r in overdue),
        }  # fmt: skip

    def waits(self) -> list[int]:
        return [(r[5] - r[2]).days for r in self.proposal_rows()
                if r[4] in ("won", "lost") and r[5] is not None and r[5] >= r[2]]  # fmt: skip

    def stale_days(self) -> int:
        """Within how many days 90 % of the decided proposals were decided (nearest rank)."""
        waits = sorted(self.waits())
        return waits[math.ceil(0.9 * len(waits)) - 1] if waits else 90

    def slot(self, r: tuple) -> Any:
        """'stale', 'overdue' or the expected month of a pending row, aged at the data's end."""
        as_of = min(self.hi, date.today())  # type: ignore[type-var] - rows exist: hi is set
        waits = self.waits()
        days = math.floor(statistics.median(waits) + 0.5) if waits else 30
        if (as_of - r[2]).days > self.stale_days():
            return "stale"
        expected = r[2] + timedelta(days=days)
        return "overdue" if expected < as_of else expected.replace(day=1)

    def forecast(self) -> list[tuple[date | None, int, float]]:
        slots: dict[Any, list[float]] = {}
        for r in self.proposal_rows():
            if r[4] == "open" and self.slot(r) != "stale":
                slot = slots.setdefault(self.slot(r), [0, 0.0])
                slot[0] += 1
                slot[1] += r[3]
        order = sorted(slots, key=lambda k: (k != "overdue", k if k != "overdue" else date.min))
        return [(None if k == "overdue" else k, int(slots[k][0]), slots[k][1]) for k in order]

    # -- §5.4
    def content(self) -> dict[str, Any]:
        events = self.ws["content"]
        linked = any(e["deal_id"] is not None for e in events)
        decked = {e["deal_id"] for e in events if e["kind"] == "deck_shared" and e["deal_id"]}
        worked = [d for d in self.D if self.inside(d["created_at"])]
        with_content = [d for d in worked if d["deal_id"] in decked]
        mine = [e for e in events if self.inside(e["date"]) and self.rep(e["owner"])]
        return {
            "deals_worked": len(worked), "deals_with_content": len(with_content),
            "usage_rate": div(len(with_content), len(worked)) if linked else None,
            "decks_shared": sum(e["kind"] == "deck_shared" for e in mine),
            "articles_shared": sum(e["kind"] == "article_shared" for e in mine),
            "own_posts": sum(e["kind"] == "own_post" for e in mine),
            "views": sum(e["views"] or 0 for e in mine),
            "likes": sum(e["likes"] or 0 for e in mine),
        }  # fmt: skip

    # -- §5.5
    def channel_rows(self) -> list[Row]:
        leads = [x for x in self.ws["leads"] if self.inside(x["created_at"])
                 and self.rep(x["owner"]) and self.chan(x["channel"])]  # fmt: skip
        costs = [c for c in self.ws["channel_costs"]
                 if self.chan(c["channel"]) and self.overlaps(c["month"])]  # fmt: skip
        names = ({d["channel"] for d in self.D} | {x["channel"] for x in leads}
                 | {c["channel"] for c in costs})  # fmt: skip
        rows = []
        for name in names:
            deals = [d for d in self.D if d["channel"] == name]
            closed = self.closed_in(deals)
            won = [d for d in closed if d["status"] == "won"]
            revenue = sum(d["amount"] for d in won)
            mine = [c for c in costs if c["channel"] == name]
            spend = sum(c["spend"] * self.month_share(c["month"]) for c in mine) if mine else None
            rows.append({
                "channel": name, "leads": sum(x["channel"] == name for x in leads),
                "deals_created": sum(self.inside(d["created_at"]) for d in deals),
                "closed": len(closed), "won": len(won), "win_rate": div(len(won), len(closed)),
                "revenue": revenue, "avg_deal_value": div(revenue, len(won)),
                "revenue_per_closed": div(revenue, len(closed)), "spend": spend,
                "cac": None if spend is None else div(spend, len(won)),
            })  # fmt: skip
        return sorted(rows, key=lambda r: (-r["revenue"], r["channel"]))

    def focus(self, rows: list[Row], metric: str) -> dict[str, list[str]]:
        needed = max(self.filters.min_closed, 1)
        catch_alls = ("unknown", "other")  # never ranked, listed apart
        ranked = sorted((r for r in rows if r["closed"] >= needed
                         and r["channel"] not in catch_alls),
                        key=lambda r: (-r[metric], -r["revenue"], r["channel"]))  # fmt: skip
        keep = 3
        total = sum(r["revenue"] for r in ranked)
        top3 = sum(r["revenue"] for r in ranked[:3])
        if len(ranked) > 3 and total > 0 and top3 * 5 < total * 4:  # top3 / total < 80 %
            keep = 4
        return {
            "keep": [r["channel"] for r in ranked[:keep]],
            "reduce": [r["channel"] for r in ranked[keep:]],
            "insufficient_data": sorted(r["channel"] for r in rows if r["closed"] < needed
                                        and r["channel"] not in catch_alls),
            "catch_all": sorted(r["channel"] for r in rows if r["channel"] in catch_alls),
        }

    # -- §5.6
    def compensation(self) -> dict[str, Any]:
        comp = [c for c in self.ws["compensation"] if self.rep(c["owner"])]
        package: dict[str, float] = {c["owner"]: 0.0 for c in comp}
        for c in comp:
            if c.get("month") is not None:
                package[c["owner"]] += (c.get("package") or 0.0) * self.month_share(c["month"])
            elif self.lo is not None and self.hi is not None:
                for year in range(self.lo.year, self.hi.year + 1):
                    for month in range(1, 13):
                        share = self.month_share(date(year, month, 1))
                        package[c["owner"]] += (c.get("annual_package") or 0.0) / 12 * share
        revenue: dict[str, float] = {}
        for d in self.closed_in(self.D):
            if d["status"] == "won":
                revenue[d["owner"]] = revenue.get(d["owner"], 0.0) + d["amount"]
        target = self.filters.target_multiple
        reps = []
        for owner in sorted(package):
            ratio = div(revenue.get(owner, 0.0), package[owner])
            meets: Any = None if ratio is None else ratio >= target
            if ratio is not None and abs(ratio - target) < 1e-9:
                meets = ANY  # float rounding may land either side of the target
            reps.append({"owner": owner, "package": package[owner],
                         "revenue": revenue.get(owner, 0.0), "ratio": ratio,
                         "meets_target": meets})  # fmt: skip
        active = {d["owner"] for d in self.D if self.inside(d["created_at"])
                  or (d["status"] in ("won", "lost") and self.inside(d["closed_at"]))}  # fmt: skip
        return {
            "team_ratio": div(sum(r["revenue"] for r in reps), sum(r["package"] for r in reps)),
            "reps": reps,
            "reps_without_package": sorted(active - set(package)),
        }

    def report(self, metric: str) -> dict[str, Any]:
        rows = self.channel_rows()
        return {
            "filters": self.filters.model_dump(mode="json"),
            "tables": {spec.name: len(self.ws.get(spec.name, [])) for spec in TABLES.values()},
            "pipeline": self.pipeline(),
            "social_selling": self.social(),
            "proposals": self.proposals(),
            "content": self.content(),
            "channels": rows,
            "channel_focus": self.focus(rows, metric),
            "compensation": self.compensation(),
        }


def assert_close(actual: Any, expected: Any, path: str = "report") -> None:
    """Equal structure; numbers within float rounding; ANY accepts anything."""
    if expected is ANY:
        return
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and set(actual) == set(expected), path
        for key, value in expected.items():
            assert_close(actual[key], value, f"{path}.{key}")
    elif isinstance(expected, (list, tuple)):
        assert isinstance(actual, (list, tuple)) and len(actual) == len(expected), path
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_close(a, e, f"{path}[{i}]")
    elif isinstance(expected, bool) or expected is None or isinstance(expected, (str, date)):
        assert actual == expected and type(actual) is type(expected), (path, actual, expected)
    else:
        assert not isinstance(actual, bool) and actual is not None, (path, actual, expected)
        assert actual == pytest.approx(expected, rel=1e-9, abs=1e-6), (path, actual, expected)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ws=workspaces(), filters=filters_, metric=metrics_)
def test_report_matches_plain_python(workspace, ws, filters, metric) -> None:
    con = workspace(**ws)
    oracle = Oracle(ws, filters)
    # Families added since (report_sections) have their own hand-computed tests.
    later = {section.key for section in report_sections()}
    report = compute_report(con, filters, ranking_metric=metric)
    assert_close({k: v for k, v in report.items() if k not in later}, oracle.report(metric))

    months = [(m.month, m.closed, m.won) for m in compute_pipeline(con, filters).by_month]
    assert months == oracle.pipeline_months()
    forecast = [
        (f.month, f.pending, f.pending_value) for f in compute_proposals(con, filters).forecast
    ]
    assert_close(forecast, oracle.forecast(), "forecast")


@st.composite
def channel_rows(draw: st.DrawFn) -> list[Row]:
    """Per-channel rows with few distinct values, so that ties are frequent."""
    rows = []
    for name in draw(st.lists(st.sampled_from("abcdefgh"), unique=True, max_size=8)):
        closed = draw(st.integers(0, 12))
        won = draw(st.integers(0, closed))
        revenue = float(won * draw(st.sampled_from([0, 100, 200, 300])))
        rows.append(
            {
                "channel": name,
                "closed": closed,
                "won": won,
                "revenue": revenue,
                "win_rate": div(won, closed),
                "revenue_per_closed": div(revenue, closed),
            }
        )
    return rows


@settings(max_examples=300, deadline=None)
@given(rows=channel_rows(), min_closed=st.integers(0, 10), metric=metrics_)
def test_channel_focus_matches_plain_python(rows, min_closed, metric) -> None:
    models = [
        ChannelRow(leads=0, deals_created=0, avg_deal_value=None, spend=None, cac=None, **row)
        for row in rows
    ]
    oracle = Oracle({name: [] for name in ("deals", "leads", "proposals", "content",
                                           "compensation", "channel_costs")},
                    Filters(min_closed=min_closed))  # fmt: skip
    expected = oracle.focus(rows, metric)
    assert channel_focus(models, min_closed, metric).channel_ids() == expected
