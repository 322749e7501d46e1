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
app runs in local mode. A configuration that is present but unsafe (a cookie key that is short,
a placeholder or not random, a password that is not a bcrypt hash of cost 12
or more, a user without a known role) is refused with `AuthConfigError`:
hosted mode never starts on it, and it never silently falls back to local mode.

`cookie.secure` (optional): true always marks the login cookie `Secure`, false
never; by default it is `Secure` when the browser reached the app over HTTPS.

Logins are checked here too (`LoginState`): failed attempts per username
across sessions with a growing lockout, the same bcrypt work and the same
answer for unknown usernames, and the login cookies refused before they expire
(one at logout, or all of a user's with `python -m kpi users revoke`). That
state is a small JSON file beside the snapshots (`state_path`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import re
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpi.files import write_atomic
from kpi.settings import AUTH_CONFIG, AUTH_STATE, Settings
from kpi.settings import current as current_settings

try:  # POSIX: one writer of the login state at a time, across server processes
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

ENV_VAR = AUTH_CONFIG
SECRETS_SECTION = "authenticator"
MANAGER = "manager"
VIEWER = "viewer"
ROLES: tuple[str, ...] = (MANAGER, VIEWER)
MIN_COOKIE_KEY_LENGTH = 32
# A random key from any usual generator (base64, URL-safe, 64 hex digits) has
# more distinct characters and bits per character than these; `0123456789`×4 not.
MIN_KEY_DISTINCT = 12
MIN_KEY_BITS_PER_CHAR = 3.4
MIN_BCRYPT_COST = 12
STATE_ENV_VAR = AUTH_STATE
STATE_FILE = "login-state.json"
MAX_FAILED_LOGINS = 5  # then a lockout of LOCKOUT_SECONDS, doubling with each failure
LOCKOUT_SECONDS = 30.0
MAX_LOCKOUT_SECONDS = 15 * 60.0
MAX_TRACKED_USERNAMES = 5000  # failures of the longest-quiet usernames are forgotten first
FORGET_FAILURES_AFTER = 24 * 3600.0
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

# A bcrypt hash: $2a$/$2b$/$2y$, a two-digit cost, 22 characters of salt (128
# bits: the last character carries 2 of them, so only `.Oeu` can end it) and 31
# of digest (184 bits: only every fourth character of the alphabet can end it).
BCRYPT_HASH = re.compile(r"^\$2[aby]\$(?P<cost>\d\d)\$(?P<salt>[./A-Za-z0-9]{21}[.Oeu])"
                         r"(?P<digest>[./A-Za-z0-9]{30}[.CGKOSWaeimquy26])$")
WORDY_PART = re.compile(r"[a-z]{3,}")
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
    cookie_secure: bool | None = None  # None: Secure when the browser uses HTTPS

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


def hash_problem(value: Any) -> str | None:
    """Why a password entry is refused (a phrase), None for a real bcrypt hash of cost 12+.

    Only the form is checked (checking a password costs a full bcrypt round,
    and the configuration is validated on every run), but all of it: the
    alphabet, the padding bits that end the salt and the digest, a salt and a
    digest with the variety of random bytes.
    """
    match = BCRYPT_HASH.match(value) if isinstance(value, str) else None
    if match is None or len(set(match["salt"])) < 8 or len(set(match["digest"])) < 8:
        return "is not a bcrypt hash"
    if not MIN_BCRYPT_COST <= int(match["cost"]) <= 31:
        return f"has bcrypt cost {int(match['cost'])} (at least {MIN_BCRYPT_COST} is required)"
    return None


def is_bcrypt_hash(value: Any) -> bool:
    """A password entry `validate` accepts."""
    return hash_problem(value) is None


def bits_per_character(text: str) -> float:
    """Shannon entropy of the characters of `text` (0 for an empty text)."""
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def looks_like_words(key: str) -> bool:
    """Lower-case words joined by separators (`my-streamlit-cookie-signing-key`).

    Random keys rarely hold two all-lower-case runs of three letters or more
    between separators, and never mostly such runs.
    """
    parts = [part for part in re.split(r"[-_.\s]+", key) if WORDY_PART.fullmatch(part)]
    return len(parts) >= 2 and sum(map(len, parts)) * 2 > len(key)


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
    if len(set(key)) < MIN_KEY_DISTINCT or bits_per_character(key) < MIN_KEY_BITS_PER_CHAR:
        return "the cookie key is too repetitive to be random"
    if looks_like_words(key):
        return "the cookie key is made of words, not random characters"
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
    secure = cookie.get("secure")
    if secure is not None and not isinstance(secure, bool):
        raise _refuse(source, "cookie.secure must be true or false (or left out: "
                              "Secure when served over HTTPS)")

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
        problem = hash_problem(entry.get("password"))
        if problem:
            raise _refuse(source, f"the password of user {key!r} {problem} (set it with "
                                  f"`python -m kpi users add {key} --replace --role ...`)")
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
        cookie_secure=secure,
    )


def read_yaml(path: Path) -> Any:
    """The YAML file's content; AuthConfigError when it cannot be read or parsed."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise AuthConfigError(
            f"The login configuration {path} (from {ENV_VAR}) cannot be read: "
            f"{exc.strerror or exc}.") from None
    import yaml  # here, not at the top: `python -m kpi report` never reads it

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        raise AuthConfigError(
            f"The login configuration {path} is not valid YAML.") from None


def load(settings: Settings | None = None,
         secrets_section: Mapping[str, Any] | None = None) -> AuthConfig | None:
    """The hosted mode's configuration, or None for local mode.

    `KPI_AUTH_CONFIG` (a YAML file) wins over `secrets_section` (the
    `[authenticator]` table of Streamlit's secrets, passed in by the UI).
    """
    path = (settings or current_settings()).auth_config
    if path is not None:
        return validate(read_yaml(path), str(path))
    if secrets_section is not None:
        return validate(secrets_section, f"the [{SECRETS_SECTION}] secrets")
    return None


# --- login cookies ------------------------------------------------------------------


def issue_token(config: AuthConfig, username: str, now: float | None = None) -> str:
    """The login cookie's value: an HS256 JWT of the username, its expiry and issue time.

    streamlit-authenticator's shape (`username`, `exp_date`) plus `issued_at`,
    which `python -m kpi users revoke` compares with the revocation time.
    """
    import jwt

    now = time.time() if now is None else now
    claims = {"username": username, "exp_date": now + config.cookie_expiry_days * 86400,
              "issued_at": now}
    return jwt.encode(claims, config.cookie_key, algorithm="HS256")


@dataclass(frozen=True)
class TokenCheck:
    """What a login cookie is worth: its user, or why it logs nobody in."""

    user: User | None = None
    removed: bool = False  # well signed, but the user left the configuration


def token_claims(config: AuthConfig, token: Any, now: float) -> dict[str, Any] | None:
    """The claims of a well-signed, unexpired cookie; None for anything else, never an error.

    A forged, truncated or other-algorithm token, or claims of the wrong types
    (a text `exp_date`), read as no cookie at all: the login form shows.
    """
    import jwt

    if not isinstance(token, str) or not token:
        return None
    try:
        claims = jwt.decode(token, config.cookie_key, algorithms=["HS256"])
    except (jwt.PyJWTError, ValueError, TypeError):
        return None
    expires, issued = claims.get("exp_date"), claims.get("issued_at")
    if (not isinstance(claims.get("username"), str) or isinstance(expires, bool)
            or not isinstance(expires, int | float) or not math.isfinite(expires)
            or expires <= now or isinstance(issued, bool)
            or not isinstance(issued, int | float | None)):
        return None
    return claims


def issued_at(config: AuthConfig, claims: Mapping[str, Any]) -> float:
    """When a cookie was issued (cookies written before `issued_at` existed: from expiry)."""
    issued = claims.get("issued_at")
    if isinstance(issued, int | float):
        return float(issued)
    return float(claims["exp_date"]) - config.cookie_expiry_days * 86400


def token_digest(token: str) -> str:
    """How the deny list names a cookie (never the cookie itself)."""
    return hashlib.sha256(token.encode()).hexdigest()


# --- the login state on disk -----------------------------------------------------------


def state_path(settings: Settings | None = None) -> Path:
    """$KPI_AUTH_STATE, else `login-state.json` in the snapshots folder (kept with them)."""
    from kpi import snapshots

    settings = settings or current_settings()
    return settings.auth_state or snapshots.root_dir(settings) / STATE_FILE


def lockout_seconds(failures: int) -> float:
    """How long a username stays locked after `failures` failures in a row (0: not locked)."""
    if failures < MAX_FAILED_LOGINS:
        return 0.0
    return min(LOCKOUT_SECONDS * 2 ** (failures - MAX_FAILED_LOGINS), MAX_LOCKOUT_SECONDS)


@functools.cache
def _dummy_hash(cost: int) -> bytes:
    """A hash of the configured cost, checked for unknown usernames (the same work)."""
    import bcrypt

    return bcrypt.hashpw(b"not a password of anyone", bcrypt.gensalt(cost))


def _password_matches(password: str, hashed: bytes) -> bool:
    import bcrypt

    try:
        return bcrypt.checkpw(password.encode(), hashed)
    except ValueError:  # longer than bcrypt's 72 bytes: no hash can match it
        return False


@dataclass(frozen=True)
class LoginResult:
    """A login attempt's outcome: the user, or the seconds left of a lockout, or neither."""

    user: User | None = None
    locked_for: float = 0.0


class LoginState:
    """Failed logins per username and refused cookies, in one JSON file.

    Shared by every session and server process using the same folder, so a
    lockout holds across sessions and a logout holds on every server. Each
    change is read-modify-write under a file lock, written beside the file,
    fsynced and renamed over it.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    # -- storage --

    def _read(self) -> dict[str, Any]:
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            state = {}
        except (OSError, ValueError):
            raise AuthConfigError(f"The login state {self.path} cannot be read.") from None
        state = state if isinstance(state, dict) else {}
        for section in ("failures", "denied", "revoked"):
            if not isinstance(state.get(section), dict):
                state[section] = {}
        return state

    def _write(self, state: dict[str, Any]) -> None:
        write_atomic(self.path, json.dumps(state), mode=0o600)

    @contextlib.contextmanager
    def _changing(self) -> Iterator[dict[str, Any]]:
        """The state to change in place; written back when the block ends."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(f".{self.path.name}.lock"), "a+") as lock:
            if fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_EX)
            state = self._read()
            yield state
            self._write(state)

    # -- failed logins --

    def locked_for(self, username: str, now: float | None = None) -> float:
        """Seconds left of this username's lockout (0 when it may try)."""
        now = time.time() if now is None else now
        entry = _failure(self._read()["failures"].pop(fold_username(username), None))
        failures, last = entry["n"], entry["at"]
        return max(0.0, last + lockout_seconds(failures) - now)

    def attempt(self, config: AuthConfig, username: str, password: str,
                now: float | None = None) -> LoginResult:
        """Check a password; count a failure against the typed username, known or not.

        Unknown usernames cost the same bcrypt round (against a dummy hash of
        the configuration's cost) and lock the same way, so neither the time
        nor the answer tells whether a username exists.
        """
        now = time.time() if now is None else now
        key = fold_username(username)
        wait = self.locked_for(key, now)
        if wait:
            return LoginResult(locked_for=wait)
        user = config.user(key) if USERNAME.match(key) else None
        dummy = _dummy_hash(max_cost(config))
        hashed = (config.credentials["usernames"][user.username]["password"].encode()
                  if user else dummy)
        ok = _password_matches(password, hashed) and user is not None
        with self._changing() as state:
            failures = state["failures"]
            previous = _failure(failures.pop(key, None))
            if ok:
                return LoginResult(user=user)
            count = previous["n"] + 1
            failures[key] = {"n": count, "at": now}
            _forget_old_failures(failures, now)
        return LoginResult(locked_for=lockout_seconds(count))

    # -- refused cookies --

    def deny(self, config: AuthConfig, token: str, now: float | None = None) -> None:
        """Refuse this cookie from now on (logout); forgotten once it has expired anyway."""
        now = time.time() if now is None else now
        claims = token_claims(config, token, now)
        if claims is None:
            return
        with self._changing() as state:
            denied = state["denied"]
            for digest, expires in list(denied.items()):
                if not isinstance(expires, int | float) or expires <= now:
                    del denied[digest]
            denied[token_digest(token)] = float(claims["exp_date"])

    def revoke(self, username: str, now: float | None = None) -> None:
        """Refuse every cookie of this user issued until now (log out everywhere)."""
        now = time.time() if now is None else now
        with self._changing() as state:
            state["revoked"][fold_username(username)] = now

    def revoked_at(self, username: str, state: Mapping[str, Any] | None = None) -> float:
        """When this user was last logged out everywhere (0: never)."""
        revoked = (state or self._read())["revoked"].get(fold_username(username), 0)
        return float(revoked) if isinstance(revoked, int | float) else 0.0

    def check_token(self, config: AuthConfig, token: Any, now: float | None = None
                    ) -> TokenCheck:
        """Who a login cookie logs in: well signed, unexpired, not denied nor revoked."""
        now = time.time() if now is None else now
        claims = token_claims(config, token, now)
        if claims is None:
            return TokenCheck()
        user = config.user(claims["username"])
        if user is None:
            return TokenCheck(removed=True)
        state = self._read()
        if (token_digest(token) in state["denied"]
                or issued_at(config, claims) <= self.revoked_at(user.username, state)):
            return TokenCheck()
        return TokenCheck(user=user)


def fold_username(username: Any) -> str:
    """The key of a typed username: trimmed, lower case, at most 64 characters."""
    return str(username or "").strip().lower()[:64]


def max_cost(config: AuthConfig) -> int:
    """The highest bcrypt cost among the users' hashes (the dummy check's cost)."""
    return max(int(BCRYPT_HASH.match(entry["password"])["cost"])
               for entry in config.credentials["usernames"].values())


def _failure(entry: Any) -> dict[str, Any]:
    """A username's failures as stored ({"n": count, "at": time of the last}), checked."""
    if not isinstance(entry, dict):
        return {"n": 0, "at": 0.0}
    count, last = entry.get("n"), entry.get("at")
    return {"n": count if isinstance(count, int) and count > 0 else 0,
            "at": float(last) if isinstance(last, int | float) else 0.0}


def _forget_old_failures(failures: dict[str, Any], now: float) -> None:
    """Keep the file small: failures a day old go, then the quietest beyond the cap."""
    for key, entry in list(failures.items()):
        if now - _failure(entry)["at"] > FORGET_FAILURES_AFTER:
            del failures[key]
    while len(failures) > MAX_TRACKED_USERNAMES:
        del failures[min(failures, key=lambda k: _failure(failures[k])["at"])]
