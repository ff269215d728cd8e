"""`python -m cluster COMMAND`: the local cluster (what `make cluster` runs).

  up        prepare everything, then run supervisord in the foreground (Ctrl-C stops it all)
  start     the same in the background; returns once every replica is ready
  stop      stop a cluster started with `start` (or `up` in another terminal)
  status    the programs and their state
  rollout index        rebuild the search index beside the running one, reload portals one by one
  rollout model [PATH] switch the Rasa replicas to a model one by one (default bot/models/current.tar.gz)
  render    write the configs into the run folder only (nothing starts)

Options come from the command line or the environment: CLUSTER_RUN_DIR, CLUSTER_PORT (base port,
8080), CLUSTER_REPLICAS (2), CLUSTER_DATABASE (migration_cluster), CLUSTER_REDIS_DB (3),
CLUSTER_PG_SERVER, CLUSTER_REDIS_SERVER, WEB_WORKERS (gunicorn workers per portal replica, 2).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .layout import KINDS, ROOT, Layout, write_configs


def layout_from(args: argparse.Namespace) -> Layout:
    return Layout(run_dir=Path(args.run_dir).resolve(), base_port=args.port, replicas=args.replicas,
                  web_workers=args.web_workers, database=args.database, redis_db=args.redis_db,
                  pg_server=args.pg_server, redis_server=args.redis_server)


def parser() -> argparse.ArgumentParser:
    env = os.environ.get
    p = argparse.ArgumentParser(prog="python -m cluster", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["up", "start", "stop", "status", "rollout", "render"])
    p.add_argument("what", nargs="?", choices=["index", "model"], help="for rollout")
    p.add_argument("model", nargs="?", help="for rollout model: a trained model .tar.gz")
    p.add_argument("--run-dir", default=env("CLUSTER_RUN_DIR", str(ROOT / "instance" / "cluster")))
    p.add_argument("--port", type=int, default=int(env("CLUSTER_PORT", "8080")))
    p.add_argument("--replicas", type=int, default=int(env("CLUSTER_REPLICAS", "2")))
    p.add_argument("--web-workers", type=int, default=int(env("WEB_WORKERS", "2")))
    p.add_argument("--database", default=env("CLUSTER_DATABASE", "migration_cluster"))
    p.add_argument("--redis-db", type=int, default=int(env("CLUSTER_REDIS_DB", "3")))
    p.add_argument("--pg-server", default=env("CLUSTER_PG_SERVER", "postgresql://postgres@127.0.0.1:5432/postgres"))
    p.add_argument("--redis-server", default=env("CLUSTER_REDIS_SERVER", "redis://127.0.0.1:6379"))
    return p


def _busy_ports(layout: Layout) -> list[int]:
    import socket
    busy = []
    for port in layout.all_ports():
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                busy.append(port)
    return busy


def _prepare(layout: Layout) -> dict[str, str]:
    from .control import supervisord_pid
    from .prepare import prepare
    if supervisord_pid(layout):
        sys.exit(f"a cluster is already running from {layout.run_dir} (python -m cluster stop)")
    busy = _busy_ports(layout)
    if busy:
        sys.exit(f"ports in use: {busy}; choose another base port (--port or CLUSTER_PORT)")
    return prepare(layout)


def _banner(layout: Layout) -> None:
    names = ", ".join(f"{kind} {[p for _n, p in layout.replica_ports(kind)]}" for kind in KINDS)
    print(f"Cluster: {layout.url} (nginx) -> {names}; the action servers reach the portal's internal pools "
          f"at {layout.internal_url}; logs in {layout.log_dir}", flush=True)


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    layout = layout_from(args)
    from . import control
    if args.command == "render":
        write_configs(layout)
        print(f"{layout.nginx_dir / 'nginx.conf'}\n{layout.supervisor_conf}")
    elif args.command == "up":
        env = _prepare(layout)
        write_configs(layout, silent=False)
        _banner(layout)
        print("Rasa needs about a minute to load; Ctrl-C stops everything.", flush=True)
        os.execve(str(control.SUPERVISORD), [str(control.SUPERVISORD), "-c", str(layout.supervisor_conf)], env)
    elif args.command == "start":
        env = _prepare(layout)
        write_configs(layout, silent=True)
        control.start_detached(layout, env)
        _banner(layout)
        print(f"ready in {control.wait_ready(layout):.0f} s", flush=True)
    elif args.command == "stop":
        took = control.stop_cluster(layout)
        print("no cluster running" if took is None else f"stopped in {took:.1f} s")
    elif args.command == "status":
        sup = control.Supervisor(layout)
        if not sup.reachable():
            sys.exit("no cluster running")
        for name, state in sorted(sup.states().items()):
            print(f"{name:12s} {state}")
    elif args.command == "rollout":
        from . import rollout
        from .prepare import ensure_secrets, program_environment
        if args.what == "index":
            result = rollout.rollout_index(layout, program_environment(layout, ensure_secrets(layout)))
        elif args.what == "model":
            result = rollout.rollout_model(layout, Path(args.model).resolve() if args.model else None)
        else:
            sys.exit("rollout what? index or model")
        print(result)


if __name__ == "__main__":
    main()
