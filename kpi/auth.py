"""Who may log in, and as what: load and validate the hosted mode's login configuration.

No Streamlit here (kpi/ui/auth.py draws the login form). The configuration has
streamlit-authenticator's structure::

    credentials:
      usernames:
        alice:
          name: Alice Martin          # or first_name / last_name
          email: alice@example.com
          password: $2b$12$...        # a bcrypt hash, never the password
          roles: [manager]            # manager or viewer
    cookie:
      name: kpi_auth
      key: <at least 32 random characters>
      expiry_days: 30

It comes from the YAML file named by the environment variable
`KPI_AUTH_CONFIG`, else from the `[authenticator]` table of
`.streamlit/secrets.toml` (or the hosting service's secrets). With neither, the
app runs in local mode. A configuration that is present but unsafe (weak or
placeholder cookie key, a password that is not a bcrypt hash, a user without a
known role) is refused with `AuthConfigError`: hosted mode never starts on it,
and it never silently falls back to local mode.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ENV_VAR = "KPI_AUTH_CONFIG"
SECRETS_SECTION = "authenticator"
MANAGER = "manager"
VIEWER = "viewer"
ROLES: tuple[str, ...] = (MANAGER, VIEWER)
MIN_COOKIE_KEY_LENGTH = 32
DEFAULT_COOKIE_NAME = "kpi_auth"
DEFAULT_EXPIRY_DAYS = 30.0

# The value shipped in .streamlit/secrets.toml.example (refused on purpose).
EXAMPLE_COOKIE_KEY = "REPLACE-ME-with-python-c-import-secrets-print-secrets-token_urlsafe-48"

# Values from tutorials and examples; a key containing one of them is refused.
PLACEHOLDER_KEYS: tuple[str, ...] = (
    "some_signature_key", "random_signature_key", "some_key", "change-me", "changeme",
    "change_me", "replace-me", "replace_me", "replaceme", "placeholder", "example",
    "secret", "password", "your-key", "your_key", EXAMPLE_COOKIE_KEY.lower(),
)

# The bcrypt formats streamlit-authenticator and the bcrypt package accept.
BCRYPT_HASH = re.compile(r"^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@+-]{0,63}$")


class AuthConfigError(ValueError):
    """The login configuration is present but unusable; the message is one sentence."""


@dataclass(frozen=True)
class User:
    """A logged-in person (or the one local user)."""

    username: str
    name: str
    role: str
    local: bool = False

    @property
    def is_manager(self) -> bool:
        return self.role == MANAGER


LOCAL_USER = User(username="local", name="Local user", role=MANAGER, local=True)


@dataclass(frozen=True)
class AuthConfig:
    """A validated configuration; `credentials` is in streamlit-authenticator's shape."""

    credentials: dict[str, Any]
    cookie_name: str
    cookie_key: str
    cookie_expiry_days: float
    source: str

    def user(self, username: str | None) -> User | None:
        """The user of that (case-insensitive) username, None when unknown."""
        if not username:
            return None
        entry = self.credentials["usernames"].get(username.strip().lower())
        if entry is None:
            return None
        return User(username.strip().lower(), display_name(username, entry),
                    role_of(entry["roles"]))


def display_name(username: str, entry: Mapping[str, Any]) -> str:
    """streamlit-authenticator's rule: first + last name, else name, else the username."""
    full = f"{entry.get('first_name') or ''} {entry.get('last_name') or ''}".strip()
    return full or str(entry.get("name") or "").strip() or username


def role_of(roles: Any) -> str:
    """manager when the roles include it, else viewer (validation guarantees one of them)."""
    names = [roles] if isinstance(roles, str) else list(roles or [])
    return MANAGER if MANAGER in names else VIEWER


def is_bcrypt_hash(value: Any) -> bool:
    """A well-formed bcrypt hash ($2a$/$2b$/$2y$, cost 04-31, 53 characters of salt+hash).

    Only the form is checked: checking a password against it costs a full
    bcrypt round, and the configuration is validated on every run.
    """
    return isinstance(value, str) and bool(BCRYPT_HASH.match(value))


def cookie_key_problem(key: Any) -> str | None:
    """Why a cookie key is refused (a phrase), None when it is acceptable."""
    if key is None or (isinstance(key, str) and not key.strip()):
        return "the cookie key is missing"
    if not isinstance(key, str):
        return "the cookie key is not a string"
    if len(key) < MIN_COOKIE_KEY_LENGTH:
        return f"the cookie key is shorter than {MIN_COOKIE_KEY_LENGTH} characters"
    folded = key.strip().lower()
    if any(placeholder in folded for placeholder in PLACEHOLDER_KEYS):
        return "the cookie key is a placeholder from an example"
    if len(set(key)) < 10:
        return "the cookie key is too repetitive to be random"
    return None


KEY_HINT = ("generate one with `python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
            " or let `python -m kpi users add` create the file")


def _refuse(source: str, reason: str) -> AuthConfigError:
    return AuthConfigError(f"The login configuration in {source} is refused: {reason}.")


def validate(raw: Any, source: str) -> AuthConfig:
    """Check a configuration mapping; raise AuthConfigError naming the first problem."""
    if not isinstance(raw, Mapping):
        raise _refuse(source, "it is not a mapping with `credentials` and `cookie`")
    cookie = raw.get("cookie")
    if not isinstance(cookie, Mapping):
        raise _refuse(source, "the `cookie` section (name, key, expiry_days) is missing")
    problem = cookie_key_problem(cookie.get("key"))
    if problem:
        raise _refuse(source, f"{problem} ({KEY_HINT})")
    name = cookie.get("name") or DEFAULT_COOKIE_NAME
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", name):
        raise _refuse(source, "the cookie name must be letters, digits, `_`, `.` or `-`")
    expiry = cookie.get("expiry_days", DEFAULT_EXPIRY_DAYS)
    if isinstance(expiry, bool) or not isinstance(expiry, int | float) or expiry < 0:
        raise _refuse(source, "cookie.expiry_days must be a number of days (0 or more)")

    credentials = raw.get("credentials")
    usernames = credentials.get("usernames") if isinstance(credentials, Mapping) else None
    if not isinstance(usernames, Mapping) or not usernames:
        raise _refuse(source, "there is no user under credentials.usernames")
    users: dict[str, dict[str, Any]] = {}
    for username, entry in usernames.items():
        key = str(username).strip().lower()
        if not USERNAME.match(key):
            raise _refuse(source, f"the username {str(username)!r} is not a simple login name")
        if key in users:
            raise _refuse(source, f"the username {key!r} appears twice")
        if not isinstance(entry, Mapping):
            raise _refuse(source, f"the user {key!r} has no details")
        if not is_bcrypt_hash(entry.get("password")):
            raise _refuse(source, f"the password of user {key!r} is not a bcrypt hash "
                                  f"(set it with `python -m kpi users add {key} --role ...`)")
        roles = entry.get("roles")
        names = [roles] if isinstance(roles, str) else roles
        if (not isinstance(names, list) or not names
                or any(role not in ROLES for role in names)):
            raise _refuse(source, f"the user {key!r} needs roles [manager] or [viewer]")
        users[key] = {**dict(entry), "roles": list(names)}
    return AuthConfig(
        credentials={"usernames": users},
        cookie_name=name,
        cookie_key=cookie["key"],
        cookie_expiry_days=float(expiry),
        source=source,
    )


def read_yaml(path: Path) -> Any:
    """The YAML file's content; AuthConfigError when it cannot be read or parsed."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise AuthConfigError(
            f"The login configuration {path} (from {ENV_VAR}) cannot be read: "
            f"{exc.strerror or exc}.") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        raise AuthConfigError(
            f"The login configuration {path} is not valid YAML.") from None


def load(environ: Mapping[str, str] | None = None,
         secrets_section: Mapping[str, Any] | None = None) -> AuthConfig | None:
    """The hosted mode's configuration, or None for local mode.

    `KPI_AUTH_CONFIG` (a YAML file) wins over `secrets_section` (the
    `[authenticator]` table of Streamlit's secrets, passed in by the UI).
    """
    environ = os.environ if environ is None else environ
    path = (environ.get(ENV_VAR) or "").strip()
    if path:
        return validate(read_yaml(Path(path)), str(path))
    if secrets_section is not None:
        return validate(secrets_section, f"the [{SECRETS_SECTION}] secrets")
    return None
