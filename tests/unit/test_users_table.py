"""Owners exported as user ids take their names from a users export (docs/tables.md, Users).

Salesforce writes `OwnerId` (`005…`) and Bitrix24 `ASSIGNED_BY_ID` (`17`):
the ids are kept as owners until the CRM's users export is loaded, then every
page shows names; removing or replacing that export gives the ids, or the new
names, back. Expected names are written by hand here.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from kpi.ingest import UnreadableFile, import_file
from kpi.schema import TableKind
from kpi.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]
WINKEL = REPO.parent / "shared" / "real" / "salesforce-winkel" / "Opportunity.csv"

SF_DEALS = b"""Id,Name,OwnerId,StageName,Amount,CreatedDate,CloseDate,IsWon,IsClosed
0061,Big deal,0051,Closed Won,1000,2025-01-05T10:00:00.000Z,2025-02-01,1,1
0062,Small deal,0052,Closed Lost,200,2025-01-06T10:00:00.000Z,2025-02-02,0,1
0063,Open deal,0051,Prospecting,300,2025-01-07T10:00:00.000Z,2025-03-01,0,0
0064,Nobody's,0059,Prospecting,50,2025-01-08T10:00:00.000Z,2025-03-01,0,0
"""
# A Salesforce User object export (Data Loader): Name is the full name.
SF_USERS = b"""Id,Username,FirstName,LastName,Name,Email,IsActive,ProfileId
0051,ana@example.com,Ana,Ruiz,Ana Ruiz,ana@example.com,1,00e1
0052,ben@example.com,Ben,Okafor,Ben Okafor,ben@example.com,1,00e1
"""
SF_USERS_RENAMED = SF_USERS.replace(b"Ana Ruiz", b"Ana Ruiz-Lopez")

# Bitrix24 user.get: first and last names in NAME and LAST_NAME.
BITRIX_USERS = b"""ID,ACTIVE,EMAIL,NAME,LAST_NAME,SECOND_NAME,LAST_LOGIN,UF_DEPARTMENT
1,Y,admin@example.com,Ivan,Petrov,,2025-01-01T10:00:00+03:00,[1]
17,Y,olga@example.com,Olga,,,2025-01-02T10:00:00+03:00,[1]
"""
BITRIX_DEALS = b"""ID,TITLE,STAGE_ID,OPPORTUNITY,CURRENCY_ID,ASSIGNED_BY_ID,DATE_CREATE,CLOSEDATE
5,Deal A,WON,1000,RUB,1,2025-01-10T10:00:00+03:00,2025-02-10T10:00:00+03:00
6,Deal B,NEW,500,RUB,17,2025-01-11T10:00:00+03:00,2025-03-10T10:00:00+03:00
"""


def owners(workspace: Workspace, table: str = "deals") -> dict[str, str]:
    rows = workspace.con.execute(
        f'SELECT {"deal_id" if table == "deals" else "lead_id"}, owner FROM "{table}"').fetchall()
    return dict(rows)


def test_a_salesforce_user_export_is_read_as_users() -> None:
    result = import_file(SF_USERS, "User.csv")
    assert result.report.table is TableKind.USERS
    assert result.report.dialect == "Salesforce"
    assert result.table.column("full_name").to_pylist() == ["Ana Ruiz", "Ben Okafor"]
    # Bitrix24's NAME is a first name; Salesforce's Name stays the full name.
    minimal = import_file(b"Id,Username,Name\n0051,ana@example.com,Ana Ruiz\n", "User.csv")
    assert minimal.report.mapping == {"Id": "user_id", "Name": "full_name"}


def test_a_bitrix24_user_list_joins_first_and_last_names() -> None:
    result = import_file(BITRIX_USERS, "users.csv")
    assert result.report.table is TableKind.USERS
    assert result.table.column("user_id").to_pylist() == ["1", "17"]
    assert result.table.column("full_name").to_pylist() == ["Ivan Petrov", "Olga"]


def test_an_id_and_a_name_alone_are_not_taken_for_users() -> None:
    # Nothing says it is a users export: it is not guessed as one...
    with pytest.raises(UnreadableFile):
        import_file(b"Id,Name\n1,Ana\n", "list.csv")
    # ...but the user may say so.
    forced = import_file(b"Id,Name\n1,Ana\n", "list.csv", kind=TableKind.USERS)
    assert forced.table.column("full_name").to_pylist() == ["Ana"]


def test_a_contacts_export_with_names_stays_leads() -> None:
    contacts = (b"Id,FirstName,LastName,Email,OwnerId,CreatedDate,LeadSource\n"
                b"0031,Jo,Doe,jo@example.com,0051,2025-01-05T10:00:00.000Z,Web\n")
    assert import_file(contacts, "Contact.csv").report.table is TableKind.LEADS


def test_owner_ids_take_names_whichever_file_comes_first() -> None:
    deals_first = Workspace(one_shot=True)
    deals_first.add_file(SF_DEALS, "Opportunity.csv")
    assert owners(deals_first)["0061"] == "0051"  # ids until the users export comes
    deals_first.add_file(SF_USERS, "User.csv")
    users_first = Workspace(one_shot=True)
    users_first.add_file(SF_USERS, "User.csv")
    users_first.add_file(SF_DEALS, "Opportunity.csv")
    expected = {"0061": "Ana Ruiz", "0062": "Ben Okafor", "0063": "Ana Ruiz",
                "0064": "0059"}  # an id no user has stays as it is
    assert owners(deals_first) == expected
    assert owners(users_first) == expected
    assert deals_first.reps() == ["0059", "Ana Ruiz", "Ben Okafor"]


def test_removing_or_replacing_the_users_export_gives_ids_or_new_names() -> None:
    workspace = Workspace()
    workspace.add_file(SF_DEALS, "Opportunity.csv")
    workspace.add_file(SF_USERS, "User.csv")
    workspace.add_file(SF_USERS_RENAMED, "User.csv", replace=True)
    assert owners(workspace)["0061"] == "Ana Ruiz-Lopez"
    assert owners(workspace)["0062"] == "Ben Okafor"
    workspace.remove_file("User.csv")
    assert owners(workspace) == {"0061": "0051", "0062": "0052", "0063": "0051",
                                 "0064": "0059"}
    assert workspace.row_counts()["users"] == 0
    workspace.close()


def test_bitrix24_deals_show_the_users_names() -> None:
    workspace = Workspace(one_shot=True)
    workspace.add_file(BITRIX_DEALS, "deals.csv")
    workspace.add_file(BITRIX_USERS, "users.csv")
    assert owners(workspace) == {"5": "Ivan Petrov", "6": "Olga"}


def test_the_command_line_reads_a_users_export(tmp_path: Path) -> None:
    deals, users = tmp_path / "Opportunity.csv", tmp_path / "list.csv"
    deals.write_bytes(SF_DEALS)
    users.write_bytes(b"Id,Name\n0051,Ana Ruiz\n0052,Ben Okafor\n")  # no signature: forced
    run = subprocess.run([sys.executable, "-m", "kpi", "import", str(deals), "--users",
                          str(users)], capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 0, run.stderr
    files = json.loads(run.stdout)["import"]
    assert [f["table"] for f in files] == ["deals", "users"]
    assert files[1]["rows_accepted"] == 2


@pytest.mark.skipif(not WINKEL.exists(), reason="../shared/real is not available")
def test_a_real_salesforce_org_reads_with_its_users_names(tmp_path: Path) -> None:
    """The real Opportunity object's OwnerIds, named by a User export written here."""
    text = WINKEL.read_bytes().replace(b"\0", b"").decode("cp1252")
    rows = list(csv.DictReader(io.StringIO(text)))
    per_owner = Counter(r["OwnerId"] for r in rows if r["OwnerId"])
    names = {owner: f"Rep {n}" for n, owner in enumerate(sorted(per_owner), start=1)}
    users = io.StringIO()
    writer = csv.writer(users)
    writer.writerow(["Id", "Username", "Name", "IsActive"])
    writer.writerows([owner, f"{name.lower().replace(' ', '')}@example.com", name, "1"]
                     for owner, name in names.items())
    workspace = Workspace(one_shot=True)
    report = workspace.add_file(WINKEL.read_bytes(), "Opportunity.csv")
    workspace.add_file(users.getvalue().encode(), "User.csv")
    counted = dict(workspace.con.execute(
        "SELECT owner, count(*) FROM deals GROUP BY owner").fetchall())
    # README: every row of this export loads; each owner's deals are counted under the name.
    assert report.rows_accepted == len(rows) == sum(per_owner.values())
    assert counted == {names[owner]: count for owner, count in per_owner.items()}
    assert workspace.reps() == sorted(names.values())
