"""Generate the bundled demo workspace in data/demo/ (six canonical CSV files).

The demo is what a newcomer sees first, so it tells a story a sales manager
recognises at once: a French B2B SaaS startup, 8 reps (one joining mid-way,
one freelance agent without package data), 22 months of CRM history
(2025-01-01 to 2026-10-31). Channels differ clearly in win rate and deal size,
so the channel focus has an obvious answer; Word of mouth, Facebook, a
"Podcast" source and empty sources stay below 10 closed deals (insufficient
data); some reps bring more than 3x their package and some less.

The output is deterministic (one seeded `random.Random`, a fixed date range,
no wall clock): `python data/generate_demo.py` rewrites the committed files
byte for byte, and a test checks that they are up to date.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

# Any seed gives the same shape; this one keeps the noise of small samples from
# blurring the story (channel order, a new joiner still ramping up).
SEED = 18
START = date(2025, 1, 1)
END = date(2026, 10, 31)
DEMO_DIR = Path(__file__).resolve().parent / "demo"

HEADERS: dict[str, tuple[str, ...]] = {
    "deals": (
        "deal_id", "deal_name", "owner", "channel", "stage", "status", "amount",
        "created_at", "closed_at", "proposal_sent_at", "lead_id", "currency",
    ),
    "leads": ("lead_id", "created_at", "owner", "channel", "converted_at"),
    "proposals": ("proposal_id", "deal_id", "owner", "sent_at", "amount", "status"),
    "content": ("date", "owner", "kind", "deal_id", "title", "views", "likes"),
    "compensation": ("owner", "month", "package"),
    "channel_costs": ("channel", "month", "spend"),
}


@dataclass(frozen=True)
class Rep:
    """A sales rep: how much and how well they sell, and how they use content."""

    name: str
    joined: date
    weight: float  # share of new deals among active reps
    win_mult: float  # skill: multiplies the channel's win rate
    amount_mult: float  # deal size they usually negotiate
    package: float | None  # monthly full cost (fixed + variable), None = no data
    affinity: dict[str, float] = field(default_factory=dict)  # raw channel -> weight
    deck_rate: float = 0.5  # share of their deals receiving a marketing deck
    posts_per_month: float = 1.0
    articles_per_month: float = 2.0


@dataclass(frozen=True)
class Channel:
    """A raw CRM source value and how deals from it behave."""

    raw: str  # the value a CRM export carries (mapped by the importer, docs/tables.md, "Channels")
    deals: int
    win_rate: float
    median_amount: float
    cycle: tuple[int, int]  # days from creation to close
    lead_conversion: float  # share of leads that become customers
    variants: tuple[tuple[str, float], ...] = ()  # other spellings and their share


REPS: tuple[Rep, ...] = (
    Rep("Camille Martin", START, 1.2, 1.25, 1.15, 8800.0,
        {"Referral": 1.6, "Trade show": 1.6}, 0.75, 4.0, 7.0),
    Rep("Hugo Bernard", START, 1.1, 1.05, 1.05, 8000.0,
        {"Website": 1.5, "Google Ads": 1.5}, 0.5, 1.0, 4.0),
    Rep("Sarah Cohen", START, 1.0, 1.15, 1.0, 7200.0,
        {"LinkedIn": 3.0, "Cold call": 0.4}, 0.65, 11.0, 8.0),
    Rep("Lucas Petit", START, 1.1, 0.8, 0.85, 5200.0,
        {"Cold call": 3.0, "Cold email": 2.0, "LinkedIn": 0.5}, 0.2, 0.0, 0.5),
    Rep("Emma Dubois", START, 1.0, 1.0, 1.0, 6400.0,
        {"Webinar": 2.0, "Website": 1.3}, 0.55, 5.0, 9.0),
    Rep("Nathan Leroy", START, 0.8, 0.95, 1.1, None,
        {"Referral": 2.0, "Word of mouth": 2.0, "Podcast": 2.0}, 0.35, 1.0, 2.0),
    Rep("Léa Moreau", START, 1.0, 0.85, 0.9, 6900.0,
        {"Cold email": 1.8, "Facebook": 1.5}, 0.3, 2.0, 4.0),
    Rep("Tom Fournier", date(2025, 11, 3), 1.0, 0.75, 0.85, 5600.0,
        {"Cold email": 1.5, "Cold call": 1.5}, 0.4, 6.0, 3.0),
)

CHANNELS: tuple[Channel, ...] = (
    Channel("LinkedIn", 320, 0.33, 15000, (30, 90), 0.14,
            (("Linkedin Sales Navigator", 0.15),)),
    Channel("Cold email", 270, 0.15, 9000, (35, 110), 0.10),
    Channel("Cold call", 160, 0.13, 7500, (40, 120), 0.10),
    Channel("Website", 220, 0.30, 11000, (20, 60), 0.13),
    Channel("Google Ads", 160, 0.18, 7000, (20, 60), 0.11),
    Channel("Referral", 95, 0.48, 23000, (20, 50), 0.24, (("Partner Referral", 0.2),)),
    Channel("Trade show", 70, 0.33, 28000, (45, 120), 0.17),
    Channel("Webinar", 60, 0.30, 18000, (30, 90), 0.15),
    # Fewer than 10 deals each: always below the channel focus' 10 closed deals.
    Channel("Word of mouth", 9, 0.45, 15000, (20, 60), 0.22),
    Channel("Facebook", 9, 0.12, 5000, (20, 70), 0.10),
    Channel("Podcast", 6, 0.30, 12000, (30, 80), 0.12),
    Channel("", 8, 0.20, 9000, (20, 90), 0.10),
)

# Trade-show deals are created in the weeks after the shows the startup attends.
TRADE_SHOWS: tuple[date, ...] = (
    date(2025, 3, 12), date(2025, 6, 11), date(2025, 10, 1),
    date(2026, 3, 11), date(2026, 6, 17), date(2026, 10, 7),
)

OPEN_STAGES: tuple[tuple[float, str], ...] = (
    (0.25, "Qualification"), (0.5, "Demo"), (0.8, "Proposal sent"), (math.inf, "Negotiation"),
)

COMPANY_BASES: tuple[str, ...] = (
    "Lemoine", "Garnier", "Rousseau", "Blanc", "Faure", "Chevalier", "Gauthier", "Perrin",
    "Morel", "Girard", "Mercier", "Bonnet", "Lambert", "Fontaine", "Roux", "Vincent",
    "Muller", "Lefebvre", "Schneider", "Weber", "Novak", "Rossi", "Jansen", "Keller",
    "Nordvik", "Alpinea", "Brisa", "Cobalt", "Deltaline", "Équinoxe", "Ferrum", "Galena",
    "Helio", "Ivoire", "Kalypso", "Lumio", "Nexora", "Orizon", "Quartzel", "Sylvea",
    "Téranga", "Ubiqo", "Valmont", "Wendel", "Ydris", "Zéphyr", "Arcadis", "Bellerive",
    "Castor", "Dunes",
)
COMPANY_KINDS: tuple[str, ...] = (
    "Logistique", "Conseil", "Industries", "Immobilier", "Santé", "Transport", "Digital",
    "Énergies", "Distribution", "Foods", "Labs", "Systems", "Software", "Analytics",
    "Partners", "Group", "Retail", "Assurances", "Bâtiment", "Finance", "Éditions",
    "Mobility", "Robotics", "Media", "Studio", "Sport", "Voyages", "Textile", "Cosmetics",
    "Pharma",
)
DECK_TITLES: tuple[str, ...] = (
    "Product overview 2025", "Présentation produit 2026", "ROI calculator",
    "Security & GDPR pack", "Étude de cas : distribution", "Customer case study – Retail",
    "Pricing & plans", "Onboarding plan (90 days)", "Integration guide – Salesforce & HubSpot",
    "Comparatif concurrentiel",
)
ARTICLE_TITLES: tuple[str, ...] = (
    "5 KPIs every sales manager should track", "Pourquoi votre pipeline ment",
    "How to forecast with a small team", "Le guide du social selling B2B",
    "Win rate vs deal size: what matters", "Our 2025 product roadmap",
    "Comment réduire votre cycle de vente", "Customer story: scaling from 5 to 50 reps",
    "RGPD et données commerciales", "The true cost of a lost deal",
    "Prospection à froid : ce qui marche encore", "Benchmark: SaaS sales cycles in Europe",
    "Webinar replay: pipeline reviews that work", "Nouveautés produit du trimestre",
)
POST_TITLES: tuple[str, ...] = (
    "Lessons from 50 discovery calls", "Ce que j'ai appris en 6 mois de prospection",
    "My favourite objection and how I answer it", "Un client m'a dit non, voici pourquoi",
    "Behind the scenes at our trade show stand", "3 questions to qualify a deal in 10 minutes",
    "Retour d'expérience : notre premier salon", "Why I stopped sending cold decks",
    "Le jour où j'ai perdu mon plus gros deal", "What a great demo looks like",
    "Merci à nos clients pour cette année", "Recrutement : on cherche un(e) SDR !",
)


@dataclass
class Lead:
    """A prospect; `lead_id` is assigned once all leads are sorted by date."""

    created_at: date
    owner: str
    channel: str
    converted_at: date | None = None
    lead_id: str = ""


@dataclass
class Deal:
    """An opportunity; ids are assigned once all deals are sorted by date."""

    company: str
    owner: str
    channel: str
    amount: float
    created_at: date
    status: str
    stage: str
    closed_at: date | None
    proposal_sent_at: date | None
    deck: bool
    lead: Lead | None = None
    deal_id: str = ""
    retry_of: Deal | None = None  # a new attempt at a company lost before


def month_starts(first: date = START, last: date = END) -> list[date]:
    """The first day of every month of the demo period."""
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def month_end(month: date) -> date:
    """Last day of the month starting at `month`."""
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's Poisson draw: stable across Python versions (unlike newer helpers)."""
    if mean <= 0:
        return 0
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def random_day(rng: random.Random, first: date, last: date) -> date:
    """A uniform date in [first, last]."""
    return first + timedelta(days=rng.randint(0, (last - first).days))


def growth_date(rng: random.Random, months: Sequence[date]) -> date:
    """A creation date: the startup grows, so later months get more activity."""
    weights = [1.0 + 0.05 * i for i in range(len(months))]
    month = rng.choices(months, weights=weights)[0]
    return random_day(rng, month, min(month_end(month), END))


def created_date(rng: random.Random, channel: Channel, months: Sequence[date]) -> date:
    """When a deal of this channel is created (trade shows cluster after each show)."""
    if channel.raw == "Trade show":
        show = rng.choice(TRADE_SHOWS)
        return show + timedelta(days=rng.randint(1, min(30, (END - show).days)))
    return growth_date(rng, months)


def active_reps(on: date) -> list[Rep]:
    """Reps already employed on a date."""
    return [rep for rep in REPS if rep.joined <= on]


def pick_owner(rng: random.Random, raw_channel: str, on: date) -> Rep:
    """The rep who owns a new deal or lead, by base weight and channel affinity."""
    reps = active_reps(on)
    weights = [rep.weight * rep.affinity.get(raw_channel, 1.0) for rep in reps]
    return rng.choices(reps, weights=weights)[0]


def raw_value(rng: random.Random, channel: Channel) -> str:
    """The exported source text: usually the main spelling, sometimes a variant."""
    for variant, share in channel.variants:
        if rng.random() < share:
            return variant
    return channel.raw


def deal_amount(rng: random.Random, channel: Channel, rep: Rep) -> float:
    """A yearly subscription value in EUR, with the occasional negotiated discount."""
    value = channel.median_amount * rep.amount_mult * rng.lognormvariate(0.0, 0.45)
    value = round(min(max(value, 2400.0), 80000.0), -1)
    discount = rng.choice((0.0, 0.0, 0.0, 0.05, 0.08, 0.1, 0.125, 0.15))
    return round(value * (1.0 - discount), 2)


def make_deal(rng: random.Random, channel: Channel, company: str, created: date) -> Deal:
    """One deal: owner, amount, outcome, dates and stage consistent with each other."""
    raw = raw_value(rng, channel)
    rep = pick_owner(rng, channel.raw, created)
    amount = deal_amount(rng, channel, rep)
    deck = rng.random() < rep.deck_rate
    p_win = min(0.9, channel.win_rate * rep.win_mult * (1.15 if deck else 0.9))
    won = rng.random() < p_win
    low, high = channel.cycle
    cycle = rng.randint(low, high) if won else rng.randint(low, max(low, high - 15))
    closed = created + timedelta(days=cycle)
    stalled = rng.random() < 0.02  # a few old deals nobody closed in the CRM
    if closed <= END and not stalled:
        status = "won" if won else "lost"
        stage = "Closed won" if won else "Closed lost"
        has_proposal = rng.random() < (0.92 if won else 0.4)
        proposal = (created + timedelta(days=round(cycle * rng.uniform(0.35, 0.8)))
                    if has_proposal else None)
        return Deal(company, rep.name, raw, amount, created, status, stage, closed,
                    proposal, deck)
    elapsed = (END - created).days
    progress = elapsed / cycle
    stage = next(name for bound, name in OPEN_STAGES if progress < bound)
    proposal = None
    if stage in ("Proposal sent", "Negotiation") and elapsed >= 2:
        proposal = created + timedelta(days=rng.randint(1, min(elapsed, round(cycle * 0.8))))
    return Deal(company, rep.name, raw, amount, created, "open", stage, None, proposal, deck)


def generate_deals(rng: random.Random) -> list[Deal]:
    """All deals, a few of them second attempts at a company lost before."""
    months = month_starts()
    names = [f"{base} {kind}" for base in COMPANY_BASES for kind in COMPANY_KINDS]
    rng.shuffle(names)
    deals: list[Deal] = []
    for channel in CHANNELS:
        for _ in range(channel.deals):
            deals.append(make_deal(rng, channel, names.pop(), created_date(rng, channel, months)))
    deals.sort(key=lambda d: (d.created_at, d.company))
    lost: list[Deal] = []
    for number, deal in enumerate(deals, start=10001):
        deal.deal_id = f"D-{number}"
        if rng.random() < 0.04:
            earlier = [d for d in lost if d.channel == deal.channel and d.closed_at
                       and d.closed_at + timedelta(days=30) < deal.created_at]
            if earlier:
                deal.retry_of = rng.choice(earlier)
                deal.company = deal.retry_of.company
                lost.remove(deal.retry_of)
        if deal.status == "lost":
            lost.append(deal)
    return deals


def offer_name(amount: float) -> str:
    """The plan a deal of that size is for (makes deal names read like a CRM)."""
    if amount < 6000:
        return "Starter"
    if amount < 15000:
        return "Growth"
    if amount < 35000:
        return "Scale"
    return "Enterprise"


def generate_leads(rng: random.Random, deals: list[Deal]) -> list[Lead]:
    """Leads behind the deals (converted when a deal was won) plus the ones that never
    became deals, in the number that gives each channel its lead-to-customer rate."""
    by_channel: dict[str, list[Lead]] = defaultdict(list)
    canonical = {v: c.raw for c in CHANNELS for v, _ in c.variants}
    for deal in deals:
        base = canonical.get(deal.channel, deal.channel)
        if deal.retry_of is not None:  # same prospect as the earlier, lost attempt
            deal.lead = deal.retry_of.lead
            if deal.lead and deal.status == "won":
                deal.lead.converted_at = deal.closed_at
            continue
        if rng.random() < 0.05:  # deals created straight in the CRM, without a lead
            continue
        rep = next(r for r in REPS if r.name == deal.owner)
        earliest = max(START, rep.joined)
        created = max(earliest, deal.created_at - timedelta(days=rng.randint(0, 30)))
        deal.lead = Lead(created, deal.owner, deal.channel)
        # Other contacts of the same company join the deal; like HubSpot, a won
        # deal turns all of its contacts into customers on the closing day.
        last = min(deal.created_at + timedelta(days=20), deal.closed_at or END)
        contacts = [deal.lead] + [
            Lead(random_day(rng, created, last), deal.owner, deal.channel)
            for _ in range(rng.choice((0, 0, 0, 1, 1, 2)))
        ]
        for contact in contacts:
            if deal.status == "won":
                contact.converted_at = deal.closed_at
            by_channel[base].append(contact)

    months = month_starts()
    for channel in CHANNELS:
        customers = sum(1 for lead in by_channel[channel.raw] if lead.converted_at)
        wanted = round(customers / channel.lead_conversion)
        for _ in range(max(0, wanted - len(by_channel[channel.raw]))):
            created = created_date(rng, channel, months)
            rep = pick_owner(rng, channel.raw, created)
            by_channel[channel.raw].append(Lead(created, rep.name, raw_value(rng, channel)))

    leads = [lead for channel in CHANNELS for lead in by_channel[channel.raw]]
    leads.sort(key=lambda lead: (lead.created_at, lead.channel, lead.owner))
    for number, lead in enumerate(leads, start=20001):
        lead.lead_id = f"L-{number}"
    return leads


def deal_rows(deals: Iterable[Deal]) -> list[list[str]]:
    """deals.csv rows."""
    return [[
        d.deal_id, f"{d.company} – {offer_name(d.amount)}", d.owner, d.channel, d.stage,
        d.status, f"{d.amount:.2f}", d.created_at.isoformat(), iso(d.closed_at),
        iso(d.proposal_sent_at), d.lead.lead_id if d.lead else "", "EUR",
    ] for d in deals]


def iso(value: date | None) -> str:
    """ISO date or empty cell."""
    return value.isoformat() if value else ""


def proposal_rows(deals: Iterable[Deal]) -> list[list[str]]:
    """One quote per deal that reached the proposal step, numbered per year like devis."""
    sent = sorted((d for d in deals if d.proposal_sent_at),
                  key=lambda d: (d.proposal_sent_at, d.deal_id))
    rows, per_year = [], defaultdict(int)
    for deal in sent:
        assert deal.proposal_sent_at is not None
        year = deal.proposal_sent_at.year
        per_year[year] += 1
        rows.append([f"DEV-{year}-{per_year[year]:04d}", deal.deal_id, deal.owner,
                     deal.proposal_sent_at.isoformat(), f"{deal.amount:.2f}", deal.status])
    return rows


def content_rows(rng: random.Random, deals: Sequence[Deal]) -> list[list[str]]:
    """Decks sent to prospects (on the deals flagged so) and the reps' social activity."""
    events: list[tuple[date, str, str, str, str, str, str]] = []
    for deal in deals:
        if not deal.deck:
            continue
        last = min(deal.closed_at or END, END)
        for _ in range(rng.choice((1, 1, 1, 2, 2))):
            day = random_day(rng, deal.created_at, last)
            events.append((day, deal.owner, "deck_shared", deal.deal_id,
                           rng.choice(DECK_TITLES), "", ""))
    for month in month_starts():
        for rep in REPS:
            first = max(month, rep.joined)
            last = month_end(month)
            if first > last:
                continue
            for kind, mean, titles, reach in (
                ("article_shared", rep.articles_per_month, ARTICLE_TITLES, 600.0),
                ("own_post", rep.posts_per_month, POST_TITLES, 1500.0),
            ):
                for _ in range(poisson(rng, mean)):
                    views = max(40, round(reach * rng.lognormvariate(0.0, 0.8)))
                    likes = round(views * rng.uniform(0.005, 0.04))
                    events.append((random_day(rng, first, last), rep.name, kind, "",
                                   rng.choice(titles), str(views), str(likes)))
    events.sort()
    return [[day.isoformat(), *rest] for day, *rest in events]


def compensation_rows(rng: random.Random, deals: Sequence[Deal]) -> list[list[str]]:
    """Monthly full cost per rep: fixed, a varying variable part and a quarterly bonus
    on the quarter's won revenue; a raise in January 2026. One rep has no package."""
    won_by_quarter: dict[tuple[str, int, int], float] = defaultdict(float)
    for deal in deals:
        if deal.status == "won" and deal.closed_at:
            quarter = (deal.closed_at.month - 1) // 3
            won_by_quarter[(deal.owner, deal.closed_at.year, quarter)] += deal.amount
    rows = []
    for rep in REPS:
        if rep.package is None:
            continue
        for month in month_starts():
            if month_end(month) < rep.joined:
                continue
            base = rep.package * (1.04 if month.year == 2026 else 1.0)
            package = base * rng.uniform(1.0, 1.08)
            if month.month % 3 == 0:
                quarter = (month.month - 1) // 3
                package += min(6000.0, 0.02 * won_by_quarter[(rep.name, month.year, quarter)])
            rows.append([rep.name, month.strftime("%Y-%m"), f"{package:.2f}"])
    return rows


def channel_cost_rows(rng: random.Random) -> list[list[str]]:
    """Monthly spend of the paid and outbound channels (trade shows only when held)."""
    rows = []
    show_months = {show.replace(day=1) for show in TRADE_SHOWS}
    for index, month in enumerate(month_starts()):
        reps = len(active_reps(month_end(month)))
        growth = 1.0 + 0.02 * index
        spends: list[tuple[str, float]] = [
            ("LinkedIn", 90.0 * reps + 1800.0 * growth * rng.uniform(0.8, 1.2)),
            ("Google Ads", 2600.0 * growth * rng.uniform(0.85, 1.2)),
            ("Cold email", 950.0 * rng.uniform(0.9, 1.15)),
            ("Cold call", 650.0 * rng.uniform(0.95, 1.05)),
            ("Webinar", 1100.0 * rng.uniform(0.7, 1.3)),
        ]
        if month in show_months:
            spends.append(("Trade show", rng.uniform(14000.0, 26000.0)))
        if month < date(2025, 7, 1):  # a Facebook ads test, stopped after six months
            spends.append(("Facebook", rng.uniform(300.0, 550.0)))
        rows.extend([name, month.strftime("%Y-%m"), f"{spend:.2f}"] for name, spend in spends)
    return rows


def build(seed: int = SEED) -> dict[str, list[list[str]]]:
    """Every table's rows (without header), generated in a fixed order from one seed."""
    rng = random.Random(seed)
    deals = generate_deals(rng)
    leads = generate_leads(rng, deals)
    return {
        "deals": deal_rows(deals),
        "leads": [[lead.lead_id, lead.created_at.isoformat(), lead.owner, lead.channel,
                   iso(lead.converted_at)] for lead in leads],
        "proposals": proposal_rows(deals),
        "content": content_rows(rng, deals),
        "compensation": compensation_rows(rng, deals),
        "channel_costs": channel_cost_rows(rng),
    }


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """UTF-8, comma, `\\n` line ends: the canonical format, identical on every OS."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(out_dir: Path | str = DEMO_DIR, seed: int = SEED) -> dict[str, int]:
    """Write the six demo CSV files into `out_dir`; returns the row count per file."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for table, rows in build(seed).items():
        write_csv(out / f"{table}.csv", HEADERS[table], rows)
        counts[table] = len(rows)
    return counts


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEMO_DIR, help="output folder")
    arguments = parser.parse_args()
    for name, count in main(arguments.out).items():
        print(f"{name}.csv: {count} rows")
