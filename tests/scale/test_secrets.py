"""Secrets every copy must share come from the environment: with REPLICAS>1 and one missing, the portal,
the action server and Rasa refuse to start and say which; one copy keeps generating them into instance/."""
from __future__ import annotations

import os
import subprocess

import pytest

from portal import create_app
from portal.config import ConfigError
from tests.helpers.live_stack import ROOT


@pytest.fixture()
def no_secrets_in_env(monkeypatch):
    for name in ("SECRET_KEY", "ACTIONS_API_TOKEN", "REPLICAS", "TRACKER_ENCRYPTION_KEY"):
        monkeypatch.delenv(name, raising=False)


def _config(tmp_path, **overrides) -> dict:
    return {"ENV": "testing", "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            **overrides}


def test_several_copies_without_secrets_stop_with_a_clear_error(tmp_path, no_secrets_in_env):
    with pytest.raises(ConfigError) as caught:
        create_app(_config(tmp_path, REPLICAS=2))
    message = str(caught.value)
    assert "REPLICAS=2" in message and "SECRET_KEY" in message and "ACTIONS_API_TOKEN" in message
    assert not (tmp_path / "secret_key").exists() and not (tmp_path / "actions_token").exists()


def test_one_missing_secret_is_named(tmp_path, no_secrets_in_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    with pytest.raises(ConfigError) as caught:
        create_app(_config(tmp_path, REPLICAS=3))
    assert "REPLICAS=3: set ACTIONS_API_TOKEN in the environment" in str(caught.value)


def test_several_copies_use_the_secrets_from_the_environment(tmp_path, no_secrets_in_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    monkeypatch.setenv("ACTIONS_API_TOKEN", "t" * 64)
    app = create_app(_config(tmp_path, REPLICAS=2))
    assert app.config["SECRET_KEY"] == "k" * 64 and app.config["ACTIONS_API_TOKEN"] == "t" * 64
    assert not (tmp_path / "secret_key").exists() and not (tmp_path / "actions_token").exists()


def test_one_copy_still_generates_its_secrets(tmp_path, no_secrets_in_env):
    app = create_app(_config(tmp_path))
    assert app.config["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()
    assert app.config["ACTIONS_API_TOKEN"] == (tmp_path / "actions_token").read_text().strip()


def test_replicas_must_be_a_positive_number(tmp_path, no_secrets_in_env, monkeypatch):
    with pytest.raises(ConfigError):
        create_app(_config(tmp_path, REPLICAS=0))
    monkeypatch.setenv("REPLICAS", "two")
    with pytest.raises(ConfigError, match="REPLICAS"):
        create_app(_config(tmp_path))


def _clean_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("SECRET_KEY", "ACTIONS_API_TOKEN", "TRACKER_ENCRYPTION_KEY", "DATABASE_URL", "REDIS_URL")}
    return {**env, "INSTANCE_PATH": str(tmp_path), "REPLICAS": "2", **extra}


def test_the_wsgi_process_refuses_to_start(tmp_path):
    """What gunicorn imports: the real process exits with the message, without writing a secret."""
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c", "import wsgi"], cwd=ROOT,
                          env=_clean_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "REPLICAS=2: set SECRET_KEY and ACTIONS_API_TOKEN in the environment" in done.stderr
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("part,secret", [("actions", "ACTIONS_API_TOKEN"), ("rasa", "TRACKER_ENCRYPTION_KEY")])
def test_the_bot_processes_refuse_to_start(tmp_path, part, secret):
    """bot/serve.sh stops before starting the server (a server started by mistake would hang: timeout)."""
    others = {k: v for k, v in {"ACTIONS_API_TOKEN": "a" * 64, "TRACKER_ENCRYPTION_KEY": "t" * 64}.items() if k != secret}
    done = subprocess.run(["bash", str(ROOT / "bot" / "serve.sh"), part], cwd=ROOT, capture_output=True, text=True,
                          env=_clean_env(tmp_path, ACTIONS_PORT="9", RASA_PORT="9", **others), timeout=60)
    assert done.returncode == 2
    assert f"REPLICAS=2: set {secret} in the environment" in done.stderr
