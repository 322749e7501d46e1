"""The Data page in a real browser: upload through the real widget, see the report."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.helpers import screenshot, upload_exports, wait_idle

FRENCH_DEALS = (
    "Affaire - ID;Affaire - Titre;Affaire - Propriétaire;Affaire - Statut;Affaire - Valeur;"
    "Affaire - Affaire créée;Affaire - Date de gain;Affaire - Heure de l'échec;"
    "Affaire - Source du lead\r\n"
    "P-1;Refonte site;Élodie Marchand;Gagnée;12 345,50;03/02/2025;25/03/2025;;LinkedIn\r\n"
    "P-2;Audit;Élodie Marchand;Perdue;1 200,00;04/02/2025;;14/04/2025;Salon\r\n"
    "P-3;Formation;Karim Benali;En cours;8 000,00;05/02/2025;;;Parrainage\r\n"
    "P-4;Licence;Karim Benali;Gagnée;5 000,00;06/02/2025;;;Site web\r\n"
).encode("cp1252")


def test_upload_shows_the_import_report_and_a_broken_file_loses_nothing(
    app_url: str, page, tmp_path: Path
) -> None:
    page.goto(app_url)
    wait_idle(page)
    page.get_by_role("link", name="Data", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Data", exact=True)).to_be_visible()

    deals = tmp_path / "pipedrive_fr.csv"
    deals.write_bytes(FRENCH_DEALS)
    upload_exports(page, deals)
    # 4 rows: P-4 is won without a win date, so it is rejected with its reason.
    title = page.get_by_text(re.compile(r"pipedrive_fr\.csv — Deals: 3 rows loaded, 1 rejected"))
    expect(title).to_be_visible()
    title.click()
    panel = page.locator("[data-testid='stExpander']").filter(has_text="pipedrive_fr.csv")
    expect(panel.get_by_text("cp1252").first).to_be_visible()
    # Rejected rows sit in a canvas grid: its cells are in the DOM for assistive tech.
    expect(panel.get_by_text("a won or lost deal needs a close date").first).to_be_attached()
    screenshot(page, "data-page-after-upload")

    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    upload_exports(page, broken)
    expect(page.get_by_text("broken.csv: this is a PNG image")).to_be_visible()
    # The good file is still loaded, with the same counts.
    expect(page.get_by_text(re.compile(r"pipedrive_fr\.csv — Deals: 3 rows loaded"))).to_be_visible()
    wait_idle(page)
    assert not page.locator("[data-testid='stException']").count()
    screenshot(page, "data-page-broken-file")
