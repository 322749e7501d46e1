"""An ed-tech company's lead-scoring dataset (x-education): no date column at all.

README: a clear refusal that names the missing creation date, or leads usable
under "All data" with `Converted` 1 as customers.
"""

from __future__ import annotations

import re

LEADS = "x-education/Leads.csv"


def test_refused_for_the_creation_date_or_leads_with_customers(real, raw, cli, same):
    path = real(LEADS)
    csv_file = raw.read(path)
    dated = [h for h in csv_file.header if re.search(r"\bdate\b|created", h, re.IGNORECASE)]
    assert not dated, f"README: no date column, but {dated}"
    refusal = cli.refusal(path)
    if refusal is not None:
        assert "creat" in refusal.lower(), (
            f"the refusal should name the missing creation date: {refusal}")
        assert "deal" not in refusal.lower(), f"these are leads, not deals: {refusal}"
        return
    rows = csv_file.dicts()
    same(cli.imported(path), {"table": "leads", "rows_read": len(rows),
                              "rows_accepted": len(rows), "rows_rejected": 0},
         "import of x-education Leads.csv")
    leads, customers = cli.customers(path)
    same({"leads": leads, "customers": customers},
         {"leads": len(rows), "customers": sum(1 for r in rows if r["Converted"] == "1")},
         "x-education leads over all data")
