"""The baseline: the same ingest and KPIs done "the typical Streamlit dashboard way".

pandas `read_csv` with `parse_dates`, a rename, two `.map` calls for the status
and the channel, then boolean masks and `groupby` for win rate, revenue and
sales cycle by month and by channel, plus the open pipeline. No header
recognition, no row checks, no import report: it only knows these two files.

Also a script, timed end to end against `python -m kpi report FILE`:

    python -m benchmarks.baseline deals.csv
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

import pandas as pd

from benchmarks.generate import CHANNELS

STATUS_OF_STAGE = {"Closed Won": "won", "Closed Lost": "lost", "Gagné": "won", "Perdu": "lost"}
CHANNEL_OF_RAW = {raw: canonical for english, french, canonical, *_ in CHANNELS
                  for raw in (english, french)}

UTF8_COLUMNS = {"Record ID": "deal_id", "Deal Name": "deal_name", "Deal owner": "owner",
                "Deal Stage": "stage", "Amount": "amount", "Create Date": "created_at",
                "Close Date": "closed_at", "Original Source": "channel",
                "Proposal sent date": "proposal_sent_at"}
FRENCH_COLUMNS = {"Identifiant": "deal_id", "Commercial": "owner", "Montant": "amount",
                  "Date de création": "created_at", "Date de clôture": "closed_at",
                  "Statut": "stage", "Canal d'acquisition": "channel"}


def _canonical(df: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    df = df.rename(columns=columns)
    df["status"] = df["stage"].map(STATUS_OF_STAGE).fillna("open")
    df["channel"] = df["channel"].map(CHANNEL_OF_RAW).fillna("unknown")
    df["owner"] = df["owner"].fillna("Unassigned")
    df["amount"] = df["amount"].fillna(0)
    return df


def load_utf8(path: str) -> pd.DataFrame:
    """The HubSpot-style UTF-8 export."""
    df = pd.read_csv(path, parse_dates=["Create Date", "Close Date", "Proposal sent date"])
    return _canonical(df, UTF8_COLUMNS)


def load_french(path: str) -> pd.DataFrame:
    """The French export: `;`, decimal comma, space thousands, dd/mm/yyyy, cp1252."""
    df = pd.read_csv(path, sep=";", encoding="cp1252", decimal=",", thousands=" ",
                     parse_dates=["Date de création", "Date de clôture"], dayfirst=True)
    return _canonical(df, FRENCH_COLUMNS)


def _rate(numerator: float, denominator: float) -> float | None:
    return None if not denominator else float(numerator) / float(denominator)


def _grouped(closed: pd.DataFrame, key: pd.Series | str) -> pd.DataFrame:
    is_won = closed["status"].eq("won")
    frame = closed.assign(
        is_won=is_won,
        won_amount=closed["amount"].where(is_won, 0.0),
        cycle=(closed["closed_at"] - closed["created_at"]).dt.days.where(is_won),
    )
    table = frame.groupby(key).agg(
        closed=("is_won", "size"), won=("is_won", "sum"), revenue=("won_amount", "sum"),
        avg_cycle_days=("cycle", "mean"), median_cycle_days=("cycle", "median"))
    table["win_rate"] = table["won"] / table["closed"]
    table["avg_deal_value"] = table["revenue"] / table["won"]
    return table


def page(df: pd.DataFrame, date_from: date | None = None, date_to: date | None = None,
         reps: list[str] | tuple[str, ...] = (),
         channels: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """Win rate, revenue and cycle, by month and by channel, and the open pipeline."""
    d = df
    if reps:
        d = d[d["owner"].isin(list(reps))]
    if channels:
        d = d[d["channel"].isin(list(channels))]
    dates = [c for c in ("created_at", "closed_at", "proposal_sent_at") if c in df]
    start = pd.Timestamp(date_from) if date_from else min(df[c].min() for c in dates)
    end = pd.Timestamp(date_to) if date_to else max(df[c].max() for c in dates)
    closed = d[d["status"].isin(["won", "lost"]) & d["closed_at"].between(start, end)]
    won = closed[closed["status"] == "won"]
    cycle = (won["closed_at"] - won["created_at"]).dt.days
    by_month = _grouped(closed, closed["closed_at"].dt.to_period("M"))
    by_channel = _grouped(closed, "channel")
    is_open = d[(d["status"] == "open") & (d["created_at"] <= end)]
    open_by_channel = is_open.groupby("channel")["amount"].agg(["size", "sum"])
    return {
        "closed": len(closed),
        "won": len(won),
        "win_rate": _rate(len(won), len(closed)),
        "won_revenue": float(won["amount"].sum()),
        "avg_deal_value": _rate(won["amount"].sum(), len(won)),
        "avg_cycle_days": None if cycle.empty else float(cycle.mean()),
        "median_cycle_days": None if cycle.empty else float(cycle.median()),
        "open_deals": len(is_open),
        "open_pipeline_value": float(is_open["amount"].sum()),
        "by_month": len(by_month),
        "by_channel": len(by_channel),
        "open_by_channel": len(open_by_channel),
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m benchmarks.baseline DEALS.csv", file=sys.stderr)
        return 2
    path = argv[0]
    with open(path, "rb") as handle:
        french = b";" in handle.readline()
    df = load_french(path) if french else load_utf8(path)
    print(json.dumps(page(df), indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
