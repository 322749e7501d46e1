"""The public Maven Analytics CRM sample (../shared/samples/maven_crm), in dollars.

Prospecting deals have no engage date (the creation date): rejected with that
reason. Its dollars must not be called euros: `--default-currency USD` says so.
"""

from __future__ import annotations

from pathlib import Path

STAGE_STATUS = {"Won": "won", "Lost": "lost"}


def maven_deals(raw, path: Path) -> list:
    return [raw.Deal(deal_id=r["opportunity_id"], created=raw.iso_day(r["engage_date"]),
                     closed=raw.iso_day(r["close_date"]),
                     status=STAGE_STATUS.get(r["deal_stage"], "open"),
                     amount=raw.number(r["close_value"]))
            for r in raw.read(path).dicts()]


def test_rows_read_and_accepted(maven, raw, cli, same):
    deals = maven_deals(raw, maven)
    accepted = raw.accepted(deals)
    same(cli.imported(maven), {"table": "deals", "rows_read": len(deals),
                               "rows_accepted": len(accepted),
                               "rows_rejected": len(deals) - len(accepted)},
         "import of sales_pipeline.csv")


def test_won_lost_and_revenue(maven, raw, cli, same):
    expected = raw.pipeline(raw.accepted(maven_deals(raw, maven)))
    same(cli.report(maven)["pipeline"], expected, "pipeline of sales_pipeline.csv")


def test_dollars_are_not_called_euros(maven, raw, cli, same):
    expected = raw.pipeline(raw.accepted(maven_deals(raw, maven)))
    report = cli.report(maven, "--default-currency", "USD")
    same({"currency": report["filters"].get("currency"), **report["pipeline"]},
         {"currency": "USD", **expected}, "sales_pipeline.csv with --default-currency USD")
