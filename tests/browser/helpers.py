"""Helpers for the browser tests: start the app, wait for Streamlit, save screenshots."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
SERVER_LOGS = ROOT / "test-output" / "servers"
_SERVER_LOGS: dict[subprocess.Popen, Path] = {}  # every server started, with its output file


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)  # polling a condition, not waiting on a timer
    raise TimeoutError(f"{url} did not become healthy")


def start_app(env: dict[str, str] | None = None, script: str = "app.py",
              launcher: str = "streamlit"):
    """Start `streamlit run` on a free port; returns (url, process).

    The server's output goes to a file (`server_output` reads it), never to an
    unread pipe, which would stall the server once full; a failing browser test
    shows the tail of every server still running (tests/browser/conftest.py).

    `launcher` is the module run as `python -m <launcher> run …` (the browser
    benchmark's timing wrapper of streamlit, benchmarks/traced_server.py).

    Drafts and snapshots go to a fresh temporary folder unless `env` names one,
    so no test leaves files in the project or reads another test's.
    """
    port = _free_port()
    env = dict(env or {})
    if "KPI_WORKSPACES_DIR" not in env:  # made only when needed: none left empty in /tmp
        env["KPI_WORKSPACES_DIR"] = tempfile.mkdtemp(prefix="kpi-workspaces-")
    SERVER_LOGS.mkdir(parents=True, exist_ok=True)
    log = SERVER_LOGS / f"server-{port}-{time.time_ns()}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", launcher, "run", script, "--server.port", str(port),
             "--server.headless", "true", "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env={**os.environ, **env}, stdout=output, stderr=subprocess.STDOUT,
        )
    _SERVER_LOGS[process] = log
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
    except Exception:
        process.kill()
        raise RuntimeError(f"the app did not start:\n{server_output(process)}") from None
    return url, process


def server_output(process: subprocess.Popen, tail: int = 3000) -> str:
    """The last `tail` characters a server started by `start_app` printed."""
    return _SERVER_LOGS[process].read_text(errors="replace")[-tail:]


def running_servers() -> list[subprocess.Popen]:
    """The servers started by `start_app` that have not exited."""
    return [process for process in _SERVER_LOGS if process.poll() is None]


def wait_idle(page) -> None:
    """Wait until Streamlit has finished the current run (no fixed sleep)."""
    page.wait_for_selector("[data-testid='stApp']", state="attached")
    page.wait_for_selector(IDLE, state="attached")


def screenshot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def screenshot_first_screen(page, name: str) -> Path:
    """What a reader sees before scrolling (the window only)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def upload_exports(page, path: Path) -> None:
    """Drop a file on the Data page's main uploader (not a file's "Replace" one).

    Located by its label: on a cold server the main uploader can still be a
    loading skeleton while the collapsed "Replace" uploaders below are in the
    DOM, so "the first file input" may be the wrong widget.
    """
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="CRM exports")
    uploader.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
