"""A throwaway PostgreSQL cluster from Debian's binaries, on a Unix socket in a temp dir.

initdb refuses to run as root, so the cluster belongs to the `postgres` user
(runuser) when the tests run as root. The C locale makes text sort bytewise,
as DuckDB does. `start_cluster` returns the URL; `stop_cluster` stops it and
removes every file; `running` does both around a with-block.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

BIN = Path(os.environ.get("KPI_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))


@dataclass(frozen=True)
class Cluster:
    root: Path
    url: str
    user: str | None  # the account the server runs as (None: this process's)


def missing_reason() -> str | None:
    """Why no cluster can be started here, or None."""
    if not (BIN / "initdb").exists() or not (BIN / "pg_ctl").exists():
        return f"PostgreSQL binaries not found in {BIN} (apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run initdb as"
    return None


def _as_owner(user: str | None, *command: str) -> list[str]:
    return ["runuser", "-u", user, "--", *command] if user else list(command)


def start_cluster() -> Cluster:
    """initdb + pg_ctl start on a socket in a fresh temp dir; the database `kpi`."""
    user = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="kpi-pg-"))
    if user:
        entry = pwd.getpwnam(user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    data, socket = root / "data", root
    run = lambda *cmd: subprocess.run(_as_owner(user, *cmd), check=True,  # noqa: E731
                                      capture_output=True, text=True, cwd=root)
    run(str(BIN / "initdb"), "-D", str(data), "-U", "kpi", "--auth=trust", "--no-locale",
        "-E", "UTF8")
    run(str(BIN / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-o",
        f"-k {socket} -c listen_addresses='' -c fsync=off -c full_page_writes=off", "start")
    run(str(BIN / "createdb"), "-h", str(socket), "-U", "kpi", "kpi")
    return Cluster(root, f"postgresql://kpi@/kpi?host={socket}", user)


def stop_cluster(cluster: Cluster) -> None:
    """pg_ctl stop (fast), then the files go."""
    subprocess.run(_as_owner(cluster.user, str(BIN / "pg_ctl"), "-D", str(cluster.root / "data"),
                             "-m", "fast", "-w", "stop"),
                   capture_output=True, cwd=cluster.root, check=False)
    shutil.rmtree(cluster.root, ignore_errors=True)


@contextmanager
def running(unavailable: Callable[[str], NoReturn]) -> Iterator[Cluster]:
    """A cluster for the with-block, stopped after; `unavailable(reason)` (pytest.skip, a
    benchmark's exit) when none can start here."""
    reason = missing_reason()
    if reason:
        unavailable(reason)
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        stop_cluster(cluster)
