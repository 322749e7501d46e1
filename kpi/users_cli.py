"""`python -m kpi users add|hash|revoke`: manage the hosted mode's logins without a text editor.

    python -m kpi users add alice --role manager --name "Alice Martin" --email a@x.fr
    python -m kpi users hash
    python -m kpi users revoke alice

`add` prompts for the password twice (never on the command line, so it stays
out of the shell history), stores only its bcrypt hash in the YAML file
(`--config`, else $KPI_AUTH_CONFIG, else `auth.yaml`, gitignored), and creates
that file with a freshly generated cookie key when it does not exist. `hash`
prompts the same way and prints a hash to paste into `.streamlit/secrets.toml`.
Hashes use bcrypt cost `auth.MIN_BCRYPT_COST` (the configuration refuses less).
`revoke` logs a user out everywhere: every login cookie issued to them until
now is refused (`auth.LoginState`, in $KPI_AUTH_STATE or beside the snapshots),
and their open sessions end on their next page load.
Bad input exits 2 with one line on stderr, a message code rendered in --lang.
"""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
from pathlib import Path
from typing import Any, TextIO

from kpi import auth, settings
from kpi.files import write_atomic
from kpi.i18n import DEFAULT_LANGUAGE, LANGUAGES
from kpi.messages import Message, MessageError, cannot_read, msg

DEFAULT_CONFIG = "auth.yaml"
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_BYTES = 72  # bcrypt's limit


class UsersError(MessageError):
    """Bad input for `users`: one line on stderr, exit 2."""


def add_parser(commands: Any) -> None:
    """Register `users add|hash|revoke` on the `python -m kpi` subcommands."""
    users = commands.add_parser("users", help="manage the logins of the hosted mode")
    actions = users.add_subparsers(dest="users_command", required=True)
    add = actions.add_parser("add", help="add a user (prompts for the password)")
    add.add_argument("username")
    add.add_argument("--role", choices=auth.ROLES, required=True)
    add.add_argument("--config", metavar="FILE",
                     help=f"the YAML file (default: ${auth.ENV_VAR}, else {DEFAULT_CONFIG})")
    add.add_argument("--name", help="display name (default: the username)")
    add.add_argument("--email")
    add.add_argument("--replace", action="store_true",
                     help="set a new password / role for an existing user")
    hash_action = actions.add_parser("hash",
                                     help="print the bcrypt hash of a password (prompts for it)")
    revoke = actions.add_parser("revoke", help="log a user out everywhere (every login cookie "
                                               "issued until now is refused)")
    revoke.add_argument("username")
    for action in (add, hash_action, revoke):
        action.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE,
                            help="language of errors")


def hash_password(password: str) -> str:
    import bcrypt  # here: every `python -m kpi` command registers `users`, few run it

    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(auth.MIN_BCRYPT_COST)).decode()


def new_cookie_key() -> str:
    """64 URL-safe random characters."""
    return secrets.token_urlsafe(48)


def _prompt(text: str) -> str:
    try:
        return getpass.getpass(text)
    except EOFError:
        raise UsersError(msg("users.no_password")) from None


def ask_password() -> str:
    """Prompt twice with getpass; UsersError when too short/long, padded or different."""
    first = _prompt("Password: ")
    if len(first) < MIN_PASSWORD_LENGTH:
        raise UsersError(msg("users.too_short", n=MIN_PASSWORD_LENGTH))
    if len(first.encode()) > MAX_PASSWORD_BYTES:
        raise UsersError(msg("users.too_long", n=MAX_PASSWORD_BYTES))
    if first != first.strip():
        raise UsersError(msg("users.padded"))
    if _prompt("Repeat the password: ") != first:
        raise UsersError(msg("users.differ"))
    return first


def config_path(option: str | None) -> Path:
    return Path(option or settings.current().auth_config or DEFAULT_CONFIG)


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise UsersError(cannot_read(path, exc)) from None
    import yaml

    try:
        config = yaml.safe_load(text)
    except yaml.YAMLError:
        raise UsersError(msg("users.not_yaml", file=str(path))) from None
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise UsersError(msg("users.not_a_config", file=str(path),
                             keys=["`credentials`", "`cookie`"]))
    return config


def _write(path: Path, config: dict[str, Any]) -> None:
    """Atomically, readable by its owner only."""
    import yaml

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, yaml.safe_dump(config, sort_keys=False, allow_unicode=True), mode=0o600)


def login_name(username: str) -> str:
    """The login as stored (stripped, lower case); UsersError when it is not a simple one."""
    key = username.strip().lower()
    if not auth.USERNAME.match(key):
        raise UsersError(msg("users.bad_username", value=username))
    return key


def _exists(key: str, path: Path) -> Message:
    return msg("users.exists", user=key, file=str(path))


def check(path: Path, username: str, role: str, email: str | None = None,
          replace: bool = False) -> str:
    """Everything that can be refused before asking for a password; returns the login name."""
    key = login_name(username)
    if role not in auth.ROLES:
        raise UsersError(msg("users.bad_role", roles=list(auth.ROLES)))
    if email is not None and "@" not in email:
        raise UsersError(msg("users.bad_email", value=email))
    credentials = _read(path).get("credentials")
    usernames = credentials.get("usernames") if isinstance(credentials, dict) else None
    if not replace and isinstance(usernames, dict) and any(
            str(u).strip().lower() == key for u in usernames):
        raise UsersError(_exists(key, path))
    return key


def add_user(path: Path, username: str, role: str, password: str, name: str | None = None,
             email: str | None = None, replace: bool = False) -> tuple[bool, str | None]:
    """Write the user into the YAML file; returns (created the file?, config problem or None)."""
    key = check(path, username, role, email, replace)
    config = _read(path)
    created = not config
    cookie = config.setdefault("cookie", {})
    if not isinstance(cookie, dict):
        raise UsersError(msg("users.not_a_mapping", file=str(path), key="`cookie`"))
    cookie.setdefault("name", auth.DEFAULT_COOKIE_NAME)
    if not cookie.get("key"):
        cookie["key"] = new_cookie_key()
    cookie.setdefault("expiry_days", int(auth.DEFAULT_EXPIRY_DAYS))
    credentials = config.setdefault("credentials", {})
    if not isinstance(credentials, dict):
        raise UsersError(msg("users.not_a_mapping", file=str(path), key="`credentials`"))
    usernames = credentials.get("usernames")
    if not isinstance(usernames, dict):
        usernames = credentials["usernames"] = {}
    existing = next((u for u in usernames if str(u).strip().lower() == key), None)
    if existing is not None and not replace:
        raise UsersError(_exists(key, path))
    entry = dict(usernames.pop(existing, None) or {}) if existing is not None else {}
    entry.update({"name": name or entry.get("name") or key, "password": hash_password(password),
                  "roles": [role]})
    if email is not None:
        entry["email"] = email
    for stale in ("failed_login_attempts", "logged_in"):
        entry.pop(stale, None)
    usernames[key] = entry
    try:
        _write(path, config)
    except OSError as exc:
        raise UsersError(msg("users.cannot_write", file=str(path),
                             reason=exc.strerror or str(exc))) from None
    try:
        auth.validate(config, str(path))
    except auth.AuthConfigError as exc:
        return created, str(exc)
    return created, None


def revoke(username: str, out: TextIO) -> int:
    """Refuse every login cookie of `username` issued until now, on every server."""
    key = login_name(username)
    path = auth.state_path()
    try:
        auth.LoginState(path).revoke(key)
    except (OSError, auth.AuthConfigError) as exc:
        raise UsersError(msg("users.cannot_update", file=str(path), reason=str(exc))) from None
    print(f"{key} is logged out everywhere: login cookies issued until now are refused "
          f"({path})", file=out)
    return 0


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    if args.users_command == "hash":
        print(hash_password(ask_password()), file=out)
        return 0
    if args.users_command == "revoke":
        return revoke(args.username, out)
    path = config_path(args.config)
    check(path, args.username, args.role, args.email, args.replace)
    password = ask_password()
    created, problem = add_user(path, args.username, args.role, password, name=args.name,
                                email=args.email, replace=args.replace)
    verb = "created" if created else "updated"
    print(f"{path} {verb}: {args.username.strip().lower()} ({args.role})", file=out)
    if problem:
        print(f"warning: {problem}", file=err)
    return 0
