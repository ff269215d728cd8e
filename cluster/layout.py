"""Where the local cluster's parts live and listen, and its nginx and supervisor configs.

Every port is on 127.0.0.1 and derived from one base port (default 8080):
  base      nginx, the public entry          base+10+i  portal replica i (gunicorn)
  base+1    nginx -> Rasa replicas           base+20+i  Rasa replica i
  base+2    nginx -> action servers          base+30+i  action server i
  base+3    nginx -> internal portal pool    base+40+i  portal replica i's pool for the action servers
The action servers call the portal back (search, free times, bookings) while a chat request holds a
public portal thread waiting for Rasa; they get their own gunicorn pool per replica (a bulkhead), so
chats can never use up the threads their own actions need.
Everything the cluster writes stays in its run folder (default instance/cluster/): rendered
configs, logs, supervisor's socket, nginx's pid and temp files, the secrets, the index and the
link to the Rasa model.
"""
from __future__ import annotations

import grp
import os
import pwd
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
KINDS = ("portal", "portal-internal", "rasa", "actions")
_OFFSETS = {"portal": 10, "rasa": 20, "actions": 30, "portal-internal": 40}
MAX_REPLICAS = 9


@dataclass(frozen=True)
class Layout:
    run_dir: Path = ROOT / "instance" / "cluster"
    base_port: int = 8080
    replicas: int = 2
    web_workers: int = 2
    web_threads: int = 8      # a chat request holds its thread while Rasa, the actions and their calls back work
    internal_threads: int = 8   # one worker per replica for the action servers' calls (short requests)
    database: str = "migration_cluster"
    redis_db: int = 3
    pg_server: str = "postgresql://postgres@127.0.0.1:5432/postgres"
    redis_server: str = "redis://127.0.0.1:6379"
    metrics_allow: tuple[str, ...] = ("127.0.0.1",)
    ratelimit: bool = True
    extra_env: dict = field(default_factory=dict)

    def __post_init__(self):
        if not 1 <= self.replicas <= MAX_REPLICAS:
            raise ValueError(f"replicas must be 1..{MAX_REPLICAS}")
        if not 1024 <= self.base_port <= 65535 - 50:
            raise ValueError("base port must leave room for 50 ports below 65536")

    # -- ports ---------------------------------------------------------------------------------
    @property
    def listen_port(self) -> int:
        return self.base_port

    @property
    def rasa_lb_port(self) -> int:
        return self.base_port + 1

    @property
    def actions_lb_port(self) -> int:
        return self.base_port + 2

    @property
    def internal_lb_port(self) -> int:
        return self.base_port + 3

    @property
    def internal_url(self) -> str:
        """Where the action servers reach the portal: the internal pools, through nginx."""
        return f"http://127.0.0.1:{self.internal_lb_port}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listen_port}"

    def replica_ports(self, kind: str) -> list[tuple[str, int]]:
        """[(program name, port)] of one kind: [("portal-1", 8091), ...]."""
        return [(f"{kind}-{i}", self.base_port + _OFFSETS[kind] + i) for i in range(1, self.replicas + 1)]

    def all_ports(self) -> list[int]:
        return [self.listen_port, self.rasa_lb_port, self.actions_lb_port, self.internal_lb_port] + [
            port for kind in KINDS for _name, port in self.replica_ports(kind)]

    def port_of(self, program: str) -> int:
        return dict(self.replica_ports(kind_of(program)))[program]

    # -- paths ---------------------------------------------------------------------------------
    @property
    def nginx_dir(self) -> Path:
        return self.run_dir / "nginx"

    @property
    def log_dir(self) -> Path:
        return self.run_dir / "logs"

    @property
    def secrets_dir(self) -> Path:
        return self.run_dir / "secrets"

    @property
    def instance_dir(self) -> Path:
        return self.run_dir / "instance"

    @property
    def index_root(self) -> Path:
        return self.run_dir / "index"

    @property
    def index_dir(self) -> Path:
        """What the replicas read: a link to the current build (switched atomically on updates)."""
        return self.index_root / "current"

    @property
    def model_link(self) -> Path:
        return self.run_dir / "models" / "current.tar.gz"

    @property
    def supervisor_conf(self) -> Path:
        return self.run_dir / "supervisord.conf"

    @property
    def socket(self) -> Path:
        return self.run_dir / "supervisor.sock"

    # -- databases -----------------------------------------------------------------------------
    def database_url(self, name: str | None = None) -> str:
        server, _slash, _db = self.pg_server.rpartition("/")
        return f"{server}/{name or self.database}"

    @property
    def redis_url(self) -> str:
        return f"{self.redis_server.rstrip('/')}/{self.redis_db}"

    def environment(self) -> dict[str, str]:
        """What every program gets (besides the secrets, which supervisord passes on from its own)."""
        env = {
            "ENV": "development", "FLASK_APP": "wsgi:app", "LOG_LEVEL": "INFO",
            "REPLICAS": str(self.replicas),
            "DATABASE_URL": self.database_url(), "REDIS_URL": self.redis_url,
            "INSTANCE_PATH": str(self.instance_dir), "INDEX_DIR": str(self.index_dir),
            "RASA_URL": f"http://127.0.0.1:{self.rasa_lb_port}",
            "PORTAL_URL": self.url, "INTERNAL_PORTAL_URL": self.internal_url,   # serve.sh: actions use the second
            "ACTION_SERVER_URL": f"http://127.0.0.1:{self.actions_lb_port}/webhook",
            "RASA_MODEL": str(self.model_link),
            "TRUSTED_PROXIES": "1", "RATELIMIT_ENABLED": "true" if self.ratelimit else "false",
            "RASA_TELEMETRY_ENABLED": "false", "SANIC_HOST": "127.0.0.1",
            # one compute thread per process, as scripts/stack.d/00-threads.sh does for `make run`
            "OMP_NUM_THREADS": "1", "TF_INTRA_OP_PARALLELISM_THREADS": "1", "TF_INTER_OP_PARALLELISM_THREADS": "1",
        }
        env.update(self.extra_env)
        return env


def kind_of(program: str) -> str:
    """"portal-internal-2" -> "portal-internal"."""
    return program.rsplit("-", 1)[0]


def _envline(env: dict) -> str:
    """supervisor's environment= syntax: KEY="value",... (% doubled). supervisor's parser has no escapes
    and strips quotes from both ends: a value is quoted with the quote it does not contain."""
    def quote(value: str) -> str:
        value = str(value).replace("%", "%%")
        if ('"' in value and "'" in value) or (value and (value[0] in "'\"" or value[-1] in "'\"")):
            raise ValueError(f"supervisor cannot pass this environment value unchanged: {value[:20]!r}...")
        mark = "'" if '"' in value else '"'
        return f"{mark}{value}{mark}"
    return ",".join(f"{key}={quote(value)}" for key, value in sorted(env.items()))


def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(str(DEPLOY)), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["envline"] = _envline
    return env


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if not found:
        raise SystemExit("nginx is not installed: run `make cluster-deps` (Debian's nginx package)")
    return found


def worker_user() -> tuple[str, str] | None:
    """Started as root, nginx's workers run as the owner of the repository's static files (they read
    them and the temp folders, nothing else); otherwise as the user who starts it."""
    if os.geteuid() != 0:
        return None
    info = (ROOT / "static").stat()
    return pwd.getpwuid(info.st_uid).pw_name, grp.getgrgid(info.st_gid).gr_name


def render_nginx(layout: Layout, drained: set[int] = frozenset(), mime_types: str = "/etc/nginx/mime.types",
                 worker_processes: int = 1) -> str:
    """The nginx config; replicas whose port is in `drained` are marked `down` (no new requests)."""
    return _templates().get_template("nginx/cluster.conf.j2").render(
        repo=str(ROOT), nginx_dir=str(layout.nginx_dir), log_dir=str(layout.log_dir), user=worker_user(),
        listen_port=layout.listen_port, rasa_port=layout.rasa_lb_port, actions_port=layout.actions_lb_port,
        internal_port=layout.internal_lb_port,
        portal_ports=[p for _n, p in layout.replica_ports("portal")],
        internal_ports=[p for _n, p in layout.replica_ports("portal-internal")],
        rasa_ports=[p for _n, p in layout.replica_ports("rasa")],
        actions_ports=[p for _n, p in layout.replica_ports("actions")],
        drained=set(drained), metrics_allow=list(layout.metrics_allow), mime_types=mime_types,
        worker_processes=worker_processes)


def render_supervisor(layout: Layout, silent: bool = False) -> str:
    return _templates().get_template("supervisor/cluster.conf.j2").render(
        repo=str(ROOT), run_dir=str(layout.run_dir), log_dir=str(layout.log_dir),
        nginx_dir=str(layout.nginx_dir), nginx=nginx_binary(), silent=silent,
        env=layout.environment(), web_workers=layout.web_workers, web_threads=layout.web_threads,
        internal_threads=layout.internal_threads, internal=layout.replica_ports("portal-internal"),
        portal=layout.replica_ports("portal"), rasa=layout.replica_ports("rasa"),
        actions=layout.replica_ports("actions"))


def make_dirs(layout: Layout) -> None:
    """The run folder; nginx's temp folders belong to its worker user (see worker_user)."""
    for folder in (layout.run_dir, layout.log_dir, layout.instance_dir, layout.index_root,
                   layout.model_link.parent, layout.nginx_dir):
        folder.mkdir(parents=True, exist_ok=True)
    layout.secrets_dir.mkdir(mode=0o700, exist_ok=True)
    user = worker_user()
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        temp = layout.nginx_dir / name
        temp.mkdir(mode=0o700, exist_ok=True)
        if user:
            shutil.chown(temp, *user)


def write_nginx(layout: Layout, drained: set[int] = frozenset()) -> Path:
    path = layout.nginx_dir / "nginx.conf"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(render_nginx(layout, drained), encoding="utf-8")
    os.replace(tmp, path)
    return path


def write_configs(layout: Layout, silent: bool = False) -> None:
    make_dirs(layout)
    write_nginx(layout)
    layout.supervisor_conf.write_text(render_supervisor(layout, silent), encoding="utf-8")
