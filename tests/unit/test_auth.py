"""The hosted mode's configuration (kpi/auth.py) and `python -m kpi users add|hash`."""

from __future__ import annotations

import copy
import getpass
import secrets
from pathlib import Path

import bcrypt
import pytest
import yaml

from kpi import auth
from kpi.__main__ import main
from kpi.auth import AuthConfigError
from kpi.settings import Settings

GOOD_KEY = secrets.token_urlsafe(48)
HASH = bcrypt.hashpw(b"correct horse", bcrypt.gensalt(rounds=12)).decode()


def config(**changes) -> dict:
    base = {
        "credentials": {"usernames": {
            "alice": {"name": "Alice Martin", "email": "alice@example.com", "password": HASH,
                      "roles": ["manager"]},
            "bob": {"first_name": "Bob", "last_name": "Durand", "password": HASH,
                    "roles": ["viewer"]},
        }},
        "cookie": {"name": "kpi_auth", "key": GOOD_KEY, "expiry_days": 30},
    }
    for path, value in changes.items():
        node = base
        *parents, leaf = path.split("__")
        for part in parents:
            node = node[part]
        if value is ...:
            del node[leaf]
        else:
            node[leaf] = value
    return base


# --- loading ------------------------------------------------------------------------


def test_no_configuration_is_local_mode() -> None:
    assert auth.load(Settings(auth_config=None), secrets_section=None) is None


def test_a_valid_configuration_gives_users_and_roles() -> None:
    loaded = auth.validate(config(), "test")
    assert loaded.cookie_key == GOOD_KEY
    assert loaded.cookie_expiry_days == 30
    alice, bob = loaded.user("alice"), loaded.user("BOB")
    assert (alice.name, alice.role, alice.is_manager) == ("Alice Martin", "manager", True)
    assert (bob.username, bob.name, bob.role, bob.is_manager) == ("bob", "Bob Durand", "viewer",
                                                                   False)
    assert loaded.user("mallory") is None


def test_the_yaml_file_named_by_the_environment_wins_over_the_secrets(tmp_path: Path) -> None:
    path = tmp_path / "auth.yaml"
    path.write_text(yaml.safe_dump(config()))
    weak = config(cookie__key="short")
    loaded = auth.load(Settings(auth_config=path), secrets_section=weak)
    assert loaded is not None and loaded.source == str(path)


def test_the_secrets_section_is_used_without_the_environment_variable() -> None:
    loaded = auth.load(Settings(auth_config=None), secrets_section=config())
    assert loaded is not None and "[authenticator]" in loaded.source


def test_a_missing_file_named_by_the_environment_is_refused_not_local(tmp_path: Path) -> None:
    with pytest.raises(AuthConfigError, match="cannot be read"):
        auth.load(Settings(auth_config=tmp_path / "nope.yaml"))


def test_a_broken_yaml_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "auth.yaml"
    path.write_text("credentials: [unclosed\n")
    with pytest.raises(AuthConfigError, match="not valid YAML"):
        auth.load(Settings(auth_config=path))


# --- each refusal -------------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "reason"), [
    ({"cookie__key": ...}, "cookie key is missing"),
    ({"cookie__key": ""}, "cookie key is missing"),
    ({"cookie__key": "   "}, "cookie key is missing"),
    ({"cookie__key": 12345}, "not a string"),
    ({"cookie__key": "x" * 31}, "shorter than 32"),
    ({"cookie__key": "Zq8-3kP_w1"}, "shorter than 32"),
    ({"cookie__key": "some_signature_key"}, "shorter than 32"),
    ({"cookie__key": "some_signature_key_some_signature_key"}, "placeholder"),
    ({"cookie__key": "random_signature_key" * 2}, "placeholder"),
    ({"cookie__key": "change-me-change-me-change-me-change-me"}, "placeholder"),
    ({"cookie__key": "changeme" * 5}, "placeholder"),
    ({"cookie__key": "secret" * 6}, "placeholder"),
    ({"cookie__key": "my-Super-SECRET-key-for-the-kpi-app-2025"}, "placeholder"),
    ({"cookie__key": auth.EXAMPLE_COOKIE_KEY}, "placeholder"),
    ({"cookie__key": "ab" * 32}, "repetitive"),
    ({"cookie__key": "0123456789" * 4}, "repetitive"),
    ({"cookie__key": "my-streamlit-cookie-signing-key-2024"}, "made of words"),
    ({"cookie__secure": "yes"}, "cookie.secure"),
    ({"cookie": ...}, "`cookie` section"),
    ({"cookie__name": "kpi auth; path=/"}, "cookie name"),
    ({"cookie__expiry_days": -1}, "expiry_days"),
    ({"cookie__expiry_days": "thirty"}, "expiry_days"),
    ({"credentials": ...}, "no user"),
    ({"credentials__usernames": {}}, "no user"),
    ({"credentials__usernames__alice__password": "correct horse"}, "'alice' is not a bcrypt hash"),
    ({"credentials__usernames__alice__password": "$2b$12$tooshort"}, "not a bcrypt hash"),
    ({"credentials__usernames__alice__password": ...}, "not a bcrypt hash"),
    ({"credentials__usernames__alice__password": HASH.replace("$12$", "$04$")},
     "bcrypt cost 4 (at least 12"),
    ({"credentials__usernames__alice__password": HASH.replace("$12$", "$11$")}, "cost 11"),
    ({"credentials__usernames__alice__password": "$2b$12$" + "A" * 53}, "not a bcrypt hash"),
    ({"credentials__usernames__alice__password": "$2b$12$" + "." * 53}, "not a bcrypt hash"),
    ({"credentials__usernames__alice__password": HASH[:28] + "A" + HASH[29:]},
     "not a bcrypt hash"),  # the salt's last character keeps padding bits: only .Oeu
    ({"credentials__usernames__alice__password": HASH[:-1] + "B"}, "not a bcrypt hash"),
    ({"credentials__usernames__alice__password": "$argon2id$v=19$m=65536,t=3,p=4$abc"},
     "not a bcrypt hash"),
    ({"credentials__usernames__bob__roles": ...}, "'bob' needs roles"),
    ({"credentials__usernames__bob__roles": []}, "'bob' needs roles"),
    ({"credentials__usernames__bob__roles": ["admin"]}, "'bob' needs roles"),
    ({"credentials__usernames__bob__roles": ["manger"]}, "'bob' needs roles"),
    ({"credentials__usernames__bob": "just a string"}, "'bob' has no details"),
    ({"credentials__usernames__Alice": {"password": HASH, "roles": ["viewer"]}}, "twice"),
    ({"credentials__usernames__bad name": {"password": HASH, "roles": ["viewer"]}},
     "simple login name"),
])
def test_each_unsafe_configuration_is_refused_with_one_sentence(changes: dict,
                                                                reason: str) -> None:
    with pytest.raises(AuthConfigError) as caught:
        auth.validate(config(**changes), "auth.yaml")
    message = str(caught.value)
    assert reason in message
    assert message.startswith("The login configuration in auth.yaml is refused: ")
    assert message.endswith(".") and "\n" not in message
    key = config(**changes).get("cookie", {}).get("key")
    if isinstance(key, str) and len(key) > 8:
        assert key not in message  # a refused key is never echoed


def test_the_example_files_cookie_key_is_refused() -> None:
    example = (Path(__file__).resolve().parents[2] / ".streamlit" / "secrets.toml.example")
    import tomllib

    section = tomllib.loads(example.read_text())["authenticator"]
    assert section["cookie"]["key"] == auth.EXAMPLE_COOKIE_KEY
    with pytest.raises(AuthConfigError, match="placeholder"):
        auth.validate(section, "secrets")


def test_a_refusal_is_a_value_error() -> None:
    assert issubclass(AuthConfigError, ValueError)


def test_validation_does_not_change_the_given_mapping() -> None:
    raw = config()
    before = copy.deepcopy(raw)
    auth.validate(raw, "test")
    assert raw == before


def test_both_roles_means_manager() -> None:
    loaded = auth.validate(config(credentials__usernames__bob__roles=["viewer", "manager"]), "t")
    assert loaded.user("bob").role == "manager"


# --- python -m kpi users -----------------------------------------------------------------


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch):
    """Feed getpass: call typed("pw", "pw") before the command."""
    answers: list[str] = []

    def fake_getpass(prompt: str = "Password: ", stream=None) -> str:
        if not answers:
            raise EOFError
        return answers.pop(0)

    monkeypatch.setattr(getpass, "getpass", fake_getpass)

    def feed(*values: str) -> list[str]:
        answers[:] = list(values)
        return answers

    return feed


def test_users_add_creates_the_file_with_a_fresh_cookie_key(typed, tmp_path: Path,
                                                            capsys) -> None:
    path = tmp_path / "auth.yaml"
    typed("s3cret-pass", "s3cret-pass")
    assert main(["users", "add", "Alice", "--role", "manager", "--config", str(path),
                 "--name", "Alice Martin", "--email", "alice@example.com"]) == 0
    assert "created" in capsys.readouterr().out
    saved = yaml.safe_load(path.read_text())
    entry = saved["credentials"]["usernames"]["alice"]
    assert entry["roles"] == ["manager"]
    assert entry["name"] == "Alice Martin" and entry["email"] == "alice@example.com"
    assert bcrypt.checkpw(b"s3cret-pass", entry["password"].encode())
    assert "s3cret-pass" not in path.read_text()
    assert len(saved["cookie"]["key"]) == 64
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only
    loaded = auth.load(Settings(auth_config=path))  # the app accepts it as is
    assert loaded.user("alice").role == "manager"


def test_users_add_keeps_other_users_and_the_cookie_key(typed, tmp_path: Path) -> None:
    path = tmp_path / "auth.yaml"
    typed("first-pass", "first-pass")
    assert main(["users", "add", "alice", "--role", "manager", "--config", str(path)]) == 0
    key = yaml.safe_load(path.read_text())["cookie"]["key"]
    typed("second-pass", "second-pass")
    assert main(["users", "add", "bob", "--role", "viewer", "--config", str(path)]) == 0
    saved = yaml.safe_load(path.read_text())
    assert saved["cookie"]["key"] == key
    assert set(saved["credentials"]["usernames"]) == {"alice", "bob"}
    assert saved["credentials"]["usernames"]["bob"]["name"] == "bob"


def test_users_add_uses_the_environment_variable_without_config(typed, tmp_path: Path,
                                                                 monkeypatch) -> None:
    path = tmp_path / "from-env.yaml"
    monkeypatch.setenv(auth.ENV_VAR, str(path))
    typed("long-enough", "long-enough")
    assert main(["users", "add", "carol", "--role", "viewer"]) == 0
    assert "carol" in yaml.safe_load(path.read_text())["credentials"]["usernames"]


def test_users_add_an_existing_user_needs_replace(typed, tmp_path: Path, capsys) -> None:
    path = tmp_path / "auth.yaml"
    typed("first-pass", "first-pass")
    main(["users", "add", "alice", "--role", "viewer", "--config", str(path)])
    capsys.readouterr()
    typed("other-pass", "other-pass")
    assert main(["users", "add", "ALICE", "--role", "manager", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already exists" in err
    typed("other-pass", "other-pass")
    assert main(["users", "add", "alice", "--role", "manager", "--config", str(path),
                 "--replace"]) == 0
    entry = yaml.safe_load(path.read_text())["credentials"]["usernames"]["alice"]
    assert entry["roles"] == ["manager"]
    assert bcrypt.checkpw(b"other-pass", entry["password"].encode())


@pytest.mark.parametrize(("argv", "answers", "message"), [
    (["--role", "viewer"], ("one-password", "another-one"), "differ"),
    (["--role", "viewer"], ("short", "short"), "at least 8"),
    (["--role", "viewer"], ("", ""), "at least 8"),
    (["--role", "viewer"], ("é" * 40, "é" * 40), "72 bytes"),
    (["--role", "viewer"], (" padded-pass ", " padded-pass "), "space"),
    (["--role", "viewer"], (), "no password"),
    (["--role", "admin"], ("long-enough", "long-enough"), "invalid choice"),
    ([], ("long-enough", "long-enough"), "--role"),
    (["--role", "viewer", "--email", "not-an-address"], ("long-enough", "long-enough"),
     "email"),
])
def test_users_add_bad_input_exits_2_with_one_line(typed, tmp_path: Path, capsys, argv,
                                                   answers, message) -> None:
    path = tmp_path / "auth.yaml"
    typed(*answers)
    assert main(["users", "add", "dave", "--config", str(path), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert message in err
    assert not path.exists()  # nothing written


def test_users_add_refuses_a_bad_username_before_asking(typed, tmp_path: Path,
                                                        capsys) -> None:
    answers = typed("never-asked", "never-asked")
    assert main(["users", "add", "a b", "--role", "viewer", "--config",
                 str(tmp_path / "a.yaml")]) == 2
    assert "simple login name" in capsys.readouterr().err
    assert len(answers) == 2  # no prompt was shown


def test_users_add_refuses_a_file_that_is_not_a_mapping(typed, tmp_path: Path,
                                                        capsys) -> None:
    path = tmp_path / "auth.yaml"
    path.write_text("- a list\n")
    typed("long-enough", "long-enough")
    assert main(["users", "add", "erin", "--role", "viewer", "--config", str(path)]) == 2
    assert "not a mapping" in capsys.readouterr().err
    assert path.read_text() == "- a list\n"


def test_users_add_warns_when_the_existing_key_is_weak(typed, tmp_path: Path, capsys) -> None:
    path = tmp_path / "auth.yaml"
    path.write_text(yaml.safe_dump({"cookie": {"name": "kpi_auth", "key": "changeme"}}))
    typed("long-enough", "long-enough")
    assert main(["users", "add", "frank", "--role", "viewer", "--config", str(path)]) == 0
    assert "warning:" in capsys.readouterr().err


def test_users_hash_prints_a_bcrypt_hash(typed, capsys) -> None:
    typed("hash-me-please", "hash-me-please")
    assert main(["users", "hash"]) == 0
    printed = capsys.readouterr().out.strip()
    assert auth.is_bcrypt_hash(printed)
    assert bcrypt.checkpw(b"hash-me-please", printed.encode())


def test_users_hash_with_different_passwords_exits_2(typed, capsys) -> None:
    typed("hash-me-please", "hash-me-pleas")
    assert main(["users", "hash"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "differ" in captured.err


# --- the sharing UI's texts ------------------------------------------------------------


def test_every_text_of_the_sharing_ui_is_translated() -> None:
    """Keys passed to t() in kpi/ui/auth.py and kpi/ui/publish.py, and the composed ones."""
    import ast

    from kpi.i18n import TEXTS

    root = Path(__file__).resolve().parents[2] / "kpi" / "ui"
    used = {"auth.role.manager", "auth.role.viewer", "auth.role_help.manager",
            "auth.role_help.viewer"}
    for name in ("auth.py", "publish.py"):
        for node in ast.walk(ast.parse((root / name).read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "t" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                used.add(node.args[0].value)
    assert len(used) > 30
    assert not used - set(TEXTS), sorted(used - set(TEXTS))
    for key in used:
        assert set(TEXTS[key]) == {"en", "fr"}, key


# --- issue 11, row 8: keys by randomness, hashes in full ----------------------------------


def test_the_key_users_add_writes_always_passes_and_so_does_64_hex_digits() -> None:
    from kpi.users_cli import new_cookie_key

    for _ in range(500):
        assert auth.cookie_key_problem(new_cookie_key()) is None
    assert auth.cookie_key_problem("9f2c4e1a7b3d8c6e0a5f1b2d4c7e9a3b6d8f0c2e4a1b3d5f7e9c0a2b4d6f8e1a"
                                   ) is None


def test_a_cost_12_hash_is_accepted_and_cost_4_refused() -> None:
    assert auth.hash_problem(HASH) is None
    weak = bcrypt.hashpw(b"correct horse", bcrypt.gensalt(rounds=4)).decode()
    assert auth.hash_problem(weak) == "has bcrypt cost 4 (at least 12 is required)"


def test_the_cookie_secure_setting_is_read() -> None:
    assert auth.validate(config(), "t").cookie_secure is None  # Secure when served over HTTPS
    assert auth.validate(config(cookie__secure=True), "t").cookie_secure is True


def test_users_hash_uses_cost_12(typed, capsys) -> None:
    typed("hash-me-please", "hash-me-please")
    assert main(["users", "hash"]) == 0
    assert capsys.readouterr().out.startswith("$2b$12$")


# --- issue 11, row 5: lockout per username across sessions, unknown users alike -----------


@pytest.fixture
def hosted() -> auth.AuthConfig:
    return auth.validate(config(), "test")


def test_failures_lock_a_username_across_sessions_with_a_growing_wait(
        hosted: auth.AuthConfig, tmp_path: Path) -> None:
    path = tmp_path / "login-state.json"
    now = 1_000_000.0
    for attempt in range(auth.MAX_FAILED_LOGINS):  # each try from a new session
        result = auth.LoginState(path).attempt(hosted, "alice", "wrong", now=now + attempt)
        assert result.user is None
    last = now + auth.MAX_FAILED_LOGINS - 1
    assert result.locked_for == 30  # the fifth failure locks for 30 s
    locked = auth.LoginState(path).attempt(hosted, "ALICE ", "correct horse", now=last + 10)
    assert (locked.user, locked.locked_for) == (None, 20)  # even the right password waits
    sixth = auth.LoginState(path).attempt(hosted, "alice", "wrong", now=last + 31)
    assert sixth.locked_for == 60  # doubled
    assert auth.LoginState(path).attempt(hosted, "alice", "correct horse",
                                         now=last + 50).locked_for == 41
    ok = auth.LoginState(path).attempt(hosted, "alice", "correct horse", now=last + 92)
    assert ok.user is not None and ok.user.username == "alice"
    assert auth.LoginState(path).locked_for("alice", now=last + 92) == 0  # reset by success


def test_the_lockout_grows_to_a_ceiling() -> None:
    assert [auth.lockout_seconds(n) for n in (0, 4, 5, 6, 7)] == [0, 0, 30, 60, 120]
    assert auth.lockout_seconds(50) == auth.MAX_LOCKOUT_SECONDS


def test_an_unknown_username_costs_the_same_bcrypt_work_and_gets_the_same_answers(
        hosted: auth.AuthConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[bytes] = []
    real = bcrypt.checkpw

    def spy(password: bytes, hashed: bytes) -> bool:
        checked.append(hashed)
        return real(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", spy)
    path = tmp_path / "state.json"
    results = {name: [auth.LoginState(path).attempt(hosted, name, "wrong", now=100.0 + i)
                      for i in range(auth.MAX_FAILED_LOGINS + 1)]
               for name in ("alice", "mallory")}
    assert results["alice"] == results["mallory"]  # same outcomes, same lockout
    assert len(checked) == 2 * auth.MAX_FAILED_LOGINS  # one bcrypt round per unlocked try
    assert {h[:7] for h in checked} == {b"$2b$12$"}  # the dummy hash has the users' cost
    assert HASH.encode() in checked and len(set(checked)) == 2


def test_the_login_state_file_is_written_whole_and_private(hosted: auth.AuthConfig,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    auth.LoginState(path).attempt(hosted, "nobody", "x", now=5.0)
    assert path.stat().st_mode & 0o077 == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".state.json.lock", "state.json"]


def test_the_login_state_lives_beside_the_snapshots_unless_set() -> None:
    assert auth.state_path(Settings(workspaces_dir="/srv/kpi", auth_state=None)) == Path("/srv/kpi/login-state.json")
    assert auth.state_path(Settings(auth_state="/run/s.json")) == Path("/run/s.json")


# --- issue 11, rows 4 and 9: cookies refused after logout, malformed ones ignored ----------


def test_a_cookie_denied_at_logout_is_refused_and_others_still_work(
        hosted: auth.AuthConfig, tmp_path: Path) -> None:
    state = auth.LoginState(tmp_path / "state.json")
    phone = auth.issue_token(hosted, "alice", now=1000.0)
    laptop = auth.issue_token(hosted, "alice", now=1001.0)
    assert state.check_token(hosted, laptop, now=2000.0).user.username == "alice"
    state.deny(hosted, laptop, now=2000.0)
    assert state.check_token(hosted, laptop, now=2001.0) == auth.TokenCheck()
    assert state.check_token(hosted, phone, now=2001.0).user is not None


def test_revoke_refuses_every_cookie_issued_before_it(hosted: auth.AuthConfig,
                                                      tmp_path: Path) -> None:
    state = auth.LoginState(tmp_path / "state.json")
    old = auth.issue_token(hosted, "alice", now=1000.0)
    bob = auth.issue_token(hosted, "bob", now=1000.0)
    state.revoke("Alice", now=1500.0)
    new = auth.issue_token(hosted, "alice", now=1600.0)
    assert state.check_token(hosted, old, now=1700.0).user is None
    assert state.check_token(hosted, new, now=1700.0).user is not None
    assert state.check_token(hosted, bob, now=1700.0).user is not None


def test_users_revoke_logs_a_user_out_everywhere(hosted: auth.AuthConfig, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys) -> None:
    monkeypatch.setenv(auth.STATE_ENV_VAR, str(tmp_path / "state.json"))
    import time

    token = auth.issue_token(hosted, "alice", now=time.time() - 5)
    assert main(["users", "revoke", "alice"]) == 0
    assert "logged out everywhere" in capsys.readouterr().out
    state = auth.LoginState(tmp_path / "state.json")
    assert state.check_token(hosted, token).user is None
    assert main(["users", "revoke", "a b"]) == 2


def _forged(claims: dict, key: str, algorithm: str = "HS256") -> str:
    import jwt

    return jwt.encode(claims, key, algorithm=algorithm)


@pytest.mark.parametrize("token", [
    _forged({"username": "alice", "exp_date": 9e9}, GOOD_KEY, "HS512"),  # other algorithm
    _forged({"username": "alice", "exp_date": "2099-01-01"}, GOOD_KEY),  # text exp_date
    _forged({"username": "alice", "exp_date": True}, GOOD_KEY),
    _forged({"username": "alice", "exp_date": float("inf")}, GOOD_KEY),
    _forged({"username": ["alice"], "exp_date": 9e9}, GOOD_KEY),
    _forged({"username": "alice", "exp_date": 9e9, "issued_at": "now"}, GOOD_KEY),
    _forged({"exp_date": 9e9}, GOOD_KEY),
    _forged({"username": "alice", "exp_date": 9e9}, secrets.token_urlsafe(48)),  # forged
    "eyJhbGciOiJub25lIn0.eyJ1c2VybmFtZSI6ImFsaWNlIiwiZXhwX2RhdGUiOjllOX0.",  # alg none
    "not.a.jwt", "", 42,
])
def test_a_malformed_cookie_logs_nobody_in_and_raises_nothing(
        hosted: auth.AuthConfig, tmp_path: Path, token) -> None:
    assert auth.LoginState(tmp_path / "s.json").check_token(hosted, token) == auth.TokenCheck()


def test_a_cookie_of_a_removed_user_says_so(hosted: auth.AuthConfig, tmp_path: Path) -> None:
    token = _forged({"username": "mallory", "exp_date": 9e9}, GOOD_KEY)
    assert auth.LoginState(tmp_path / "s.json").check_token(hosted, token) == auth.TokenCheck(
        removed=True)


def test_an_unreadable_login_state_is_refused_not_ignored(hosted: auth.AuthConfig,
                                                         tmp_path: Path) -> None:
    """Ignoring it would forget every logout and lockout: the app stops instead."""
    path = tmp_path / "state.json"
    path.write_text("{not json")
    with pytest.raises(AuthConfigError, match="cannot be read"):
        auth.LoginState(path).check_token(hosted, auth.issue_token(hosted, "alice"))
    assert path.read_text() == "{not json"
