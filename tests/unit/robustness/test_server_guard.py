"""kpi.ui.server's websocket filter: a visitor's `load_git_info` never reaches Streamlit.

Streamlit answers that request with the repository, branch and untracked file
names of the app's folder, to anyone with a websocket (logged in or not).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from streamlit.proto.BackMsg_pb2 import BackMsg

from kpi.ui.server import without_git_info


def _received(messages: list[dict], count: int) -> list[dict]:
    """The first `count` messages Streamlit receives when the browser sends `messages`."""
    pending = list(messages)

    async def receive() -> dict:
        return pending.pop(0)

    async def drain() -> list[dict]:
        filtered = without_git_info(receive)
        return [await filtered() for _ in range(count)]

    # A thread of its own: an earlier browser test may have left an event loop
    # running in this one (Playwright's sync API), where asyncio.run() refuses.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, drain()).result()


def _back(**fields) -> dict:
    message = BackMsg(**fields)
    return {"type": "websocket.receive", "bytes": message.SerializeToString()}


def test_git_info_requests_are_dropped_and_the_rest_passes() -> None:
    git = _back(load_git_info=True)
    heartbeat = _back(app_heartbeat=True)
    close = {"type": "websocket.disconnect", "code": 1000}
    assert _received([git, heartbeat, git, close], 2) == [heartbeat, close]


def test_bytes_that_are_not_a_back_message_pass_untouched() -> None:
    junk = {"type": "websocket.receive", "bytes": b"\xff\x00 not protobuf"}
    assert _received([junk], 1) == [junk]
