"""What the browser benchmark reads in the page and on the wire (no timing decisions here).

`INIT_SCRIPT` runs in every document before Streamlit's own code: a
MutationObserver notes when the app's script state changes (running /
notRunning), when anything inside a Vega chart last changed, and when the
first chart was drawn. `DRAWN` is the condition a measurement waits for,
checked on every animation frame: the rerun started after the action and
ended, no element is stale or a skeleton, every chart shown (not in a closed
tab) has its SVG/canvas, and
no chart changed for `QUIET_FRAMES` frames (Vega draws after the script's last
message arrives). The first click or key event of the action (not of its untimed
preparation) is its start. `Wire` listens to Chromium's DevTools protocol for the
websocket's frames (decoded as Streamlit's ForwardMsg / BackMsg) and the
upload's HTTP request, on the page's `performance.now()` clock.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

QUIET_FRAMES = 3
CHART = "[data-testid='stVegaLiteChart']"

INIT_SCRIPT = """
(() => {
  const bb = window.__bb = {states: [], inputs: [], vega: 0, firstChart: null, quiet: 0,
                            seen: -1};
  const chart = __CHART__;
  const observer = new MutationObserver(records => {
    const now = performance.now();
    for (const r of records) {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (r.type === 'attributes' && r.attributeName === 'data-test-script-state') {
        bb.states.push([now, el.getAttribute('data-test-script-state')]);
      } else if (el && el.closest && el.closest(chart)) {
        bb.vega = now;
      }
    }
    if (bb.firstChart === null
        && document.querySelector(chart + ' svg .mark-group, ' + chart + ' canvas')) {
      bb.firstChart = now;
    }
  });
  observer.observe(document, {subtree: true, childList: true, attributes: true,
                              characterData: true});
  // the user's input events (the click or key that starts a measured action)
  const input = () => bb.inputs.push(performance.now());
  for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, input, true);
})();
"""

# arg: [t0, need_run, min_charts, input_from]; false, or {end, idle, charts, input}: when
# every chart was drawn, and the first input event (click, key) from input_from on
DRAWN = """
([t0, needRun, minCharts, inputFrom]) => {
  const bb = window.__bb;
  // the charts on screen or below it; one in a tab not opened has no box and is not drawn
  const shown = () => [...document.querySelectorAll(__CHART__)].filter(
    c => c.getClientRects().length > 0);
  const app = document.querySelector("[data-testid='stApp']");
  const ready = app && app.getAttribute('data-test-script-state') === 'notRunning'
    && (!needRun || bb.states.some(([t, s]) => t >= t0 && s === 'running'))
    && !document.querySelector("[data-stale='true'], [data-testid='stSkeleton']")
    && shown().length >= minCharts
    && shown().every(c => c.querySelector('svg .mark-group, canvas'));
  if (!ready) { bb.quiet = 0; bb.seen = -1; return false; }
  if (bb.vega !== bb.seen) { bb.seen = bb.vega; bb.quiet = 0; return false; }
  if (++bb.quiet < __QUIET__) return false;
  const idle = Math.max(t0, ...bb.states.filter(([t, s]) => s === 'notRunning').map(([t]) => t));
  return {end: Math.max(idle, bb.vega), idle, charts: shown().length,
          input: bb.inputs.find(t => t >= inputFrom) ?? null};
}
""".replace("__QUIET__", str(QUIET_FRAMES))


@dataclass
class Frame:
    at: float  # CDP's monotonic clock, s
    sent: bool
    size: int  # payload bytes (decompressed)
    kind: str  # ForwardMsg / BackMsg type


@dataclass
class Wire:
    """The page's websocket frames and upload requests, via a CDP session."""

    page: Any
    frames: list[Frame] = field(default_factory=list)
    uploads: dict[str, list[float]] = field(default_factory=dict)
    _handshake_at: tuple[float, float] | None = None  # (wallTime, monotonic) of the socket
    _offset: float | None = None  # CDP monotonic s -> performance.now() ms

    def attach(self) -> Wire:
        cdp = self.page.context.new_cdp_session(self.page)
        cdp.send("Network.enable")
        cdp.on("Network.webSocketWillSendHandshakeRequest", self._handshake)
        cdp.on("Network.webSocketFrameReceived", lambda e: self._frame(e, sent=False))
        cdp.on("Network.webSocketFrameSent", lambda e: self._frame(e, sent=True))
        cdp.on("Network.requestWillBeSent", self._request)
        cdp.on("Network.loadingFinished", self._finished)
        return self

    def _clock(self, monotonic: float) -> float:
        """CDP's monotonic seconds on the page's performance.now() clock (ms)."""
        if self._offset is None:
            if self._handshake_at is None:
                raise RuntimeError("no websocket seen yet: cannot align the clocks")
            wall, at = self._handshake_at
            origin = self.page.evaluate("performance.timeOrigin")
            self._offset = wall * 1000 - origin - at * 1000
        return monotonic * 1000 + self._offset

    def _handshake(self, event: dict[str, Any]) -> None:
        if self._handshake_at is None:
            self._handshake_at = (event["wallTime"], event["timestamp"])

    def handshake_ms(self) -> float | None:
        """When the websocket was opened, on the page clock."""
        return None if self._handshake_at is None else self._clock(self._handshake_at[1])

    def _frame(self, event: dict[str, Any], sent: bool) -> None:
        at = event["timestamp"]
        response = event["response"]
        if response["opcode"] == 2:
            payload = base64.b64decode(response["payloadData"])
            kind = _kind(payload, sent)
        else:
            payload = response["payloadData"].encode()
            kind = "text"
        self.frames.append(Frame(at, sent, len(payload), kind))

    def _request(self, event: dict[str, Any]) -> None:
        request = event["request"]
        if "/_stcore/upload_file" in request["url"] and request["method"] != "DELETE":
            self.uploads[event["requestId"]] = [event["timestamp"]]

    def _finished(self, event: dict[str, Any]) -> None:
        if event["requestId"] in self.uploads:
            self.uploads[event["requestId"]].append(event["timestamp"])

    def upload_span(self) -> tuple[float, float] | None:
        """(start, end) of the last finished upload request, on the page clock."""
        done = [span for span in self.uploads.values() if len(span) == 2]
        if not done:
            return None
        start, end = done[-1]
        return self._clock(start), self._clock(end)

    def between(self, start: float, end: float) -> dict[str, Any]:
        """Bytes and landmarks (rerun asked, script started / finished) in [start, end]."""
        self.page.evaluate("0")  # a round trip: CDP events still queued are handled first
        frames = [f for f in self.frames if start <= self._clock(f.at) <= end]

        def first(kind: str, sent: bool) -> float | None:
            return next((self._clock(f.at) for f in frames
                         if f.kind == kind and f.sent == sent), None)

        finished = [self._clock(f.at) for f in frames
                    if f.kind == "script_finished" and not f.sent]
        return {
            "bytes_received": sum(f.size for f in frames if not f.sent),
            "bytes_sent": sum(f.size for f in frames if f.sent),
            "messages_received": sum(1 for f in frames if not f.sent),
            "rerun_asked_ms": first("rerun_script", True),
            "script_started_ms": first("new_session", False),
            "first_delta_ms": first("delta", False),
            "script_finished_ms": finished[-1] if finished else None,
        }


def _kind(payload: bytes, sent: bool) -> str:
    try:
        message = (BackMsg if sent else ForwardMsg).FromString(payload)
    except Exception:  # noqa: BLE001 - a frame we cannot decode is still counted
        return "undecoded"
    return message.WhichOneof("type") or "none"

# arg: t0; true once a rerun started after t0
STARTED = "t0 => window.__bb.states.some(([t, s]) => t >= t0 && s === 'running')"

# What the page looks like when DRAWN never came (for the error message).
STATE = """
(() => ({
  state: document.querySelector("[data-testid='stApp']")?.getAttribute('data-test-script-state'),
  states: window.__bb.states.slice(-4),
  now: performance.now(),
  stale: document.querySelectorAll("[data-stale='true']").length,
  skeletons: document.querySelectorAll("[data-testid='stSkeleton']").length,
  charts: document.querySelectorAll(__CHART__).length,
  undrawn: [...document.querySelectorAll(__CHART__)].filter(
    c => !c.querySelector('svg .mark-group, canvas')).map(
    c => [c.getClientRects().length, c.innerHTML.slice(0, 300)]),
  exception: document.querySelector("[data-testid='stException']")?.innerText,
}))()
"""


def _with_selector(script: str) -> str:
    return script.replace("__CHART__", json.dumps(CHART))


INIT_SCRIPT, DRAWN, STATE = (_with_selector(s) for s in (INIT_SCRIPT, DRAWN, STATE))
