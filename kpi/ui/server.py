"""The HTTP side of hosted mode: what Streamlit's own endpoints serve, and to whom.

Streamlit serves uploads (`PUT /_stcore/upload_file/<session>/<file>`),
downloads (`/media/<hash>`) and `/_stcore/metrics` to anyone who can open a
websocket session, logged in or not: the login form is a session too. The
script (app.py) never sees those requests, so they are guarded here, in an
ASGI middleware that `serve.py` hands to Streamlit's `st.App`:

* in hosted mode, uploads and downloads need a valid login cookie, uploads a
  manager's, and the metrics a manager's;
* a user's live uploads are bounded in count and bytes (Streamlit keeps them
  in memory while the session lives);
* every HTTP response carries headers that forbid framing by other sites;
* the websocket's `load_git_info` request is dropped: it would tell any
  visitor the repository, branch and untracked file names.

SECURITY.md says what this closes and what a reverse proxy must add.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import streamlit as st
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse

from kpi import auth
from kpi.auth import AuthConfig, AuthConfigError, User

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_UPLOADS_PER_USER = 20
MAX_UPLOAD_BYTES_PER_USER = 2 << 30  # a million deals is ~150 MB of CSV
# Same-origin framing only (Community Cloud frames the app from its own host);
# no plugins, no <base> or form targets elsewhere, images only from the app.
# Scripts and styles are left as Streamlit needs them (inline styles, workers).
SECURITY_HEADERS = {
    "x-frame-options": "SAMEORIGIN",
    "content-security-policy": ("frame-ancestors 'self'; object-src 'none'; base-uri 'self'; "
                                "form-action 'self'; img-src 'self' data: blob:"),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}
UPLOAD_PREFIX = "/_stcore/upload_file/"
MEDIA_PREFIX = "/media/"
METRICS_PATH = "/_stcore/metrics"


def user_from_token(config: AuthConfig, token: str | None) -> User | None:
    """The user a login cookie logs in, checked as the script checks it.

    kpi.auth.LoginState.check_token: signature, expiry, a user still in the
    configuration, neither denied at a logout nor revoked.
    """
    return auth.LoginState(auth.state_path()).check_token(config, token).user if token else None


def _config() -> AuthConfig | None:
    """Hosted mode's configuration (None: local mode); a refused one is raised."""
    from kpi.ui.auth import _secrets_section  # the same source as the script's

    return auth.load(secrets_section=_secrets_section())


def _path(scope: Scope) -> str:
    """The request path without `server.baseUrlPath`."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    path = scope.get("path", "")
    return path.removeprefix(f"/{base}") if base and path.startswith(f"/{base}/") else path


def _guarded(path: str) -> str | None:
    """Which guarded endpoint a path is (None: served to everyone)."""
    if path.startswith(UPLOAD_PREFIX):
        return "upload"
    if path.startswith(MEDIA_PREFIX):
        return "media"
    if path.rstrip("/") == METRICS_PATH:
        return "metrics"
    return None


def _allowed(endpoint: str, user: User | None) -> bool:
    """Downloads for any logged-in user; uploads and metrics for managers."""
    if user is None:
        return False
    return endpoint == "media" or user.is_manager


class Guard:
    """Pure ASGI middleware (works for HTTP and websockets alike; see the module doc)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.sessions: dict[str, set[str]] = defaultdict(set)  # user -> upload sessions
        self.in_flight: dict[str, int] = defaultdict(int)  # user -> bytes being received

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self.app(scope, without_git_info(receive), send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = with_security_headers(send)
        endpoint = _guarded(_path(scope))
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        try:
            config = _config()
        except AuthConfigError:
            log.warning("refused %s: the login configuration is refused", endpoint)
            await PlainTextResponse("Forbidden", 403)(scope, receive, send)
            return
        if config is None:  # local mode: one user, the machine's
            await self.app(scope, receive, send)
            return
        user = user_from_token(config, HTTPConnection(scope).cookies.get(config.cookie_name))
        if not _allowed(endpoint, user):
            await PlainTextResponse("Forbidden", 403)(scope, receive, send)
            return
        if endpoint == "upload" and scope["method"] == "PUT":
            await self._upload(user.username, scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _upload(self, username: str, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass an upload on if the user's live uploads stay within the bounds."""
        size = _content_length(scope)
        if size is None:
            await PlainTextResponse("Length Required", 411)(scope, receive, send)
            return
        session = _path(scope).removeprefix(UPLOAD_PREFIX).split("/", 1)[0]
        self.sessions[username].add(session)
        count, held = _live_uploads(self.sessions[username])
        held += self.in_flight[username]
        if count >= MAX_UPLOADS_PER_USER or held + size > MAX_UPLOAD_BYTES_PER_USER:
            log.warning("upload refused for %s: %d files, %d bytes held", username, count, held)
            await PlainTextResponse("Too many uploads: remove files first.", 429)(
                scope, receive, send)
            return
        self.in_flight[username] += size
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight[username] -= size


def _content_length(scope: Scope) -> int | None:
    value = HTTPConnection(scope).headers.get("content-length", "")
    return int(value) if value.isdigit() else None


def _live_uploads(sessions: set[str]) -> tuple[int, int]:
    """Files and bytes Streamlit holds for these sessions; ended sessions are forgotten."""
    from streamlit.runtime import Runtime

    runtime = Runtime.instance()
    storage = getattr(runtime.uploaded_file_mgr, "file_storage", {})
    sessions.intersection_update(s for s in list(sessions) if runtime.is_active_session(s))
    files = [f for s in sessions for f in storage.get(s, {}).values()]
    return len(files), sum(len(f.data) for f in files)


def with_security_headers(send: Send) -> Send:
    """`send` that adds SECURITY_HEADERS to the response's start."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {name.lower() for name, _ in message.get("headers", [])}
            extra = [(name.encode(), value.encode()) for name, value in SECURITY_HEADERS.items()
                     if name.encode() not in present]
            message["headers"] = [*message.get("headers", []), *extra]
        await send(message)

    return sending


def without_git_info(receive: Receive) -> Receive:
    """`receive` that drops the websocket's `load_git_info` requests."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    async def receiving() -> Message:
        while True:
            message = await receive()
            data = message.get("bytes") if message["type"] == "websocket.receive" else None
            if not data or not _is_git_info_request(BackMsg, data):
                return message

    return receiving


def _is_git_info_request(back_msg: type, data: bytes) -> bool:
    try:
        return back_msg.FromString(data).WhichOneof("type") == "load_git_info"
    except Exception:  # not a BackMsg: Streamlit will say so itself
        return False


MIDDLEWARE = [Middleware(Guard)]  # for st.App(..., middleware=MIDDLEWARE) in serve.py
