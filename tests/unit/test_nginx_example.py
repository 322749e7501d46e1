"""docs/examples/nginx-replicas.conf: nginx accepts it, and it keeps a browser on one replica.

Skipped where nginx is not installed (Debian's `nginx`; KPI_TEST_NGINX may name
the binary). nginx runs a copy whose temp, log and pid paths are in a temp
dir and whose replicas are two small local HTTP servers that answer their
own name, so it needs no install layout and touches nothing else.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "nginx-replicas.conf"
NGINX = os.environ.get("KPI_TEST_NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
_TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
_REPLICAS = re.compile(r"(        server 127\.0\.0\.1:\d+ [^\n]*\n)+")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _config(tmp_path: Path, replicas: list[int] | None = None, port: int | None = None) -> Path:
    """The example with its paths in `tmp_path`, and optionally other replicas and port."""
    text = EXAMPLE.read_text(encoding="utf-8")
    local = "".join(f"    {name}_temp_path {tmp_path}/{name};\n" for name in _TEMP_PATHS)
    local += f"    access_log {tmp_path}/access.log;\n"
    text = text.replace("http {\n", f"http {{\n{local}", 1)
    if replicas:
        assert _REPLICAS.search(text)
        text = _REPLICAS.sub("".join(f"        server 127.0.0.1:{p};\n" for p in replicas), text)
    if port:
        text = text.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    conf = tmp_path / "nginx.conf"
    conf.write_text(text, encoding="utf-8")
    (tmp_path / "logs").mkdir(exist_ok=True)
    return conf


def _nginx(conf: Path, tmp_path: Path, *args: str) -> list[str]:
    return [NGINX, *args, "-c", str(conf), "-p", str(tmp_path), "-e", "stderr",
            "-g", f"pid {tmp_path}/nginx.pid;" + (" daemon off;" if "-t" not in args else "")]


@pytest.fixture
def nginx_binary() -> str:
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (apt-get install nginx)")
    return NGINX


def test_nginx_accepts_the_replicas_example(nginx_binary, tmp_path) -> None:
    done = subprocess.run(_nginx(_config(tmp_path), tmp_path, "-t"),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


class _Replica(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        body = str(self.server.server_address[1]).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def balancer(nginx_binary, tmp_path) -> Iterator[tuple[int, set[int]]]:
    """nginx on a free port in front of two replicas: (its port, the replicas' ports)."""
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), _Replica) for _ in range(2)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    ports = {server.server_address[1] for server in servers}
    port = _free_port()
    proc = subprocess.Popen(_nginx(_config(tmp_path, sorted(ports), port), tmp_path),
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:  # until nginx accepts connections
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)  # the poll's pace, not a guess at nginx's start time
        yield port, ports
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        for server in servers:
            server.shutdown()
            server.server_close()


def _get(port: int, cookie: str | None = None) -> tuple[int, str | None]:
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    con.request("GET", "/", headers={"Cookie": f"kpi_route={cookie}"} if cookie else {})
    response = con.getresponse()
    replica = int(response.read())
    set_cookie = response.getheader("Set-Cookie") or ""
    con.close()
    match = re.match(r"kpi_route=([^;]+);", set_cookie)
    return replica, match.group(1) if match else None


def test_a_browser_stays_on_its_replica_and_browsers_spread(balancer) -> None:
    port, replicas = balancer
    seen = set()
    for _ in range(20):  # new browsers: no cookie yet
        first, cookie = _get(port)
        assert first in replicas and cookie
        # Every later request of that browser, with the cookie it got, goes to the same one.
        assert {_get(port, cookie)[0] for _ in range(5)} == {first}
        seen.add(first)
    assert seen == replicas  # 20 browsers, 2 replicas: both serve some (fails 1 in 2**19)
