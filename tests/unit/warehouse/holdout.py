"""Holdout-style CRM exports written as CSV: what the demo lacks, seeded so runs agree.

Two currencies (EUR, USD) and deals with none, owners missing, amounts
missing, deals closed before they were created, open deals, proposals linked,
unlinked and pointing at unknown deals, monthly and annual packages, costs per
channel, content with missing counts. Headers are the canonical ones in
French and English spellings the importer recognises.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

OWNERS = ["Ana", "Bruno", "Chloé", ""]
CHANNELS = ["LinkedIn", "Cold email", "Referral", "Event", "Website", ""]
START = date(2024, 1, 1)


def _day(rng: random.Random, span: int = 700) -> date:
    return START + timedelta(days=rng.randrange(span))


def write_holdout(folder: Path, seed: int = 13) -> list[Path]:
    """Six CSV exports in `folder`; returns their paths."""
    rng = random.Random(seed)
    deals = ["deal_id,owner,channel,status,amount,created_at,closed_at,proposal_sent_at,currency"]
    for i in range(400):
        created = _day(rng)
        status = rng.choice(["won", "won", "lost", "lost", "open"])
        closed = "" if status == "open" else str(created + timedelta(days=rng.randrange(-5, 120)))
        sent = rng.choice(["", str(created + timedelta(days=rng.randrange(30)))])
        amount = rng.choice(["", f"{rng.uniform(100, 90000):.2f}"])
        currency = rng.choice(["EUR", "EUR", "USD", ""])
        deals.append(f"H{i},{rng.choice(OWNERS)},{rng.choice(CHANNELS)},{status},{amount},"
                     f"{created},{closed},{sent},{currency}")
    leads = ["lead_id,created_at,owner,channel,converted_at"]
    for i in range(300):
        created = _day(rng)
        converted = rng.choice(["", str(created + timedelta(days=rng.randrange(60)))])
        leads.append(f"HL{i},{created},{rng.choice(OWNERS)},{rng.choice(CHANNELS)},{converted}")
    proposals = ["proposal_id,deal_id,owner,sent_at,amount,status"]
    for i in range(150):
        deal = rng.choice(["", f"H{rng.randrange(400)}", "H-missing"])
        proposals.append(f"HP{i},{deal},{rng.choice(OWNERS)},{_day(rng)},"
                         f"{rng.uniform(500, 20000):.2f},{rng.choice(['won', 'lost', 'open'])}")
    content = ["date,owner,kind,deal_id,title,views,likes"]
    for i in range(200):
        kind = rng.choice(["deck_shared", "article_shared", "own_post"])
        content.append(f"{_day(rng)},{rng.choice(OWNERS)},{kind},"
                       f"{rng.choice(['', f'H{rng.randrange(400)}'])},Post {i},"
                       f"{rng.choice(['', str(rng.randrange(900))])},"
                       f"{rng.choice(['', str(rng.randrange(40))])}")
    compensation = ["owner,month,package,annual_package"]
    for owner in OWNERS[:3]:
        for month in range(1, 13):
            compensation.append(f"{owner},2024-{month:02d},{rng.uniform(2000, 9000):.2f},")
    compensation.append("Dora,,,48000")
    costs = ["channel,month,spend"]
    for channel in CHANNELS[:5]:
        for month in range(1, 24, 2):
            year, m = 2024 + (month - 1) // 12, (month - 1) % 12 + 1
            costs.append(f"{channel},{year}-{m:02d},{rng.uniform(100, 5000):.2f}")
    # Quotas by month, by quarter and to an end date, in both currencies and none.
    quotas = ["owner,period_start,target,interval,period_end,currency"]
    for owner in OWNERS[:3]:
        for month in range(1, 13, 3):
            quotas.append(f"{owner},2024-{month:02d},{rng.uniform(5000, 60000):.2f},"
                          f"{rng.choice(['month', 'quarter', 'Quarterly'])},,"
                          f"{rng.choice(['EUR', 'USD', ''])}")
    quotas.append(f"Ana,2025-01,{rng.uniform(5000, 60000):.2f},,2025-05-15,EUR")
    files = {"h_deals.csv": deals, "h_leads.csv": leads, "h_proposals.csv": proposals,
             "h_content.csv": content, "h_compensation.csv": compensation,
             "h_channel_costs.csv": costs, "h_quotas.csv": quotas}
    paths = []
    for name, lines in files.items():
        path = folder / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
