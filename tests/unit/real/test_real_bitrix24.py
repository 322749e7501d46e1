"""A Bitrix24 REST `crm.deal.list` dump (bitrix24): API names, `+03:00` dates, RUB.

Stage codes: WON is won and LOSE is lost, also behind a pipeline prefix
(`C1:WON`); every other stage is open.
"""

from __future__ import annotations

DEALS = "bitrix24/deals.csv"


def bitrix_status(stage: str) -> str:
    code = stage.rpartition(":")[2]
    return {"WON": "won", "LOSE": "lost"}.get(code, "open")


def bitrix_deals(raw, path) -> list:
    return [raw.Deal(deal_id=r["ID"], created=raw.iso_day(r["DATE_CREATE"]),
                     closed=raw.iso_day(r["CLOSEDATE"]), status=bitrix_status(r["STAGE_ID"]),
                     amount=raw.number(r["OPPORTUNITY"]), currency=r["CURRENCY_ID"])
            for r in raw.read(path).dicts()]


def test_stage_codes():
    assert [bitrix_status(s) for s in ("WON", "C1:WON", "LOSE", "C3:LOSE", "NEW", "C1:NEW")] == [
        "won", "won", "lost", "lost", "open", "open"]


def test_deals_are_deals(real, raw, cli, same):
    path = real(DEALS)
    deals = bitrix_deals(raw, path)
    accepted = raw.accepted(deals)
    same(cli.imported(path), {"table": "deals", "rows_read": len(deals),
                              "rows_accepted": len(accepted),
                              "rows_rejected": len(deals) - len(accepted)},
         "import of Bitrix24 deals.csv")


def test_pipeline_in_roubles(real, raw, cli, same):
    path = real(DEALS)
    deals = raw.accepted(bitrix_deals(raw, path))
    (currency,) = {d.currency for d in deals}
    report = cli.report(path)
    same({"currency": report["filters"].get("currency"), **report["pipeline"]},
         {"currency": currency, **raw.pipeline(deals)}, "pipeline of Bitrix24 deals.csv")
