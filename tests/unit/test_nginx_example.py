"""docs/examples/nginx-replicas.conf is a configuration nginx accepts (`nginx -t`).

Skipped where nginx is not installed (Debian's `nginx`; KPI_TEST_NGINX may name
the binary). The test runs it on a copy whose temp, log and pid paths are in a
temp dir, so it needs no install layout and starts nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "nginx-replicas.conf"
NGINX = os.environ.get("KPI_TEST_NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
_TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def test_nginx_accepts_the_replicas_example(tmp_path) -> None:
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (apt-get install nginx)")
    temps = "".join(f"    {name}_temp_path {tmp_path}/{name};\n" for name in _TEMP_PATHS)
    temps += f"    access_log {tmp_path}/access.log;\n"
    conf = tmp_path / "nginx.conf"
    conf.write_text(EXAMPLE.read_text(encoding="utf-8").replace("http {\n", f"http {{\n{temps}", 1),
                    encoding="utf-8")
    (tmp_path / "logs").mkdir()
    done = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(tmp_path), "-e", "stderr",
                           "-g", f"pid {tmp_path}/nginx.pid;"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr
