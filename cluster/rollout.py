"""Content and model updates without downtime, one replica at a time.

- Index: a new build is made beside the running one (run/index/build-*), the `current` link is switched
  atomically, then each portal replica in turn is taken out of nginx, gets SIGHUP (gunicorn starts new
  workers, which load the new index, and retires the old ones after they finish their requests), and
  is put back once its new workers answer ready.
- Rasa model: the `current.tar.gz` link is switched, then for each Rasa replica in turn: nginx stops
  sending it new messages (`down` + graceful reload), the requests it still holds finish, it restarts
  on the new model (it binds its port only once the model is loaded), nginx takes it back.
"""
from __future__ import annotations

import time
from pathlib import Path

from .control import Supervisor, child_pids, established_connections, replica_ready
from .layout import Layout, kind_of
from .prepare import build_index, ensure_model, prune_index_builds, switch_link


def _wait(predicate, timeout: float, what: str, step: float = 0.25) -> float:
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"{what}: not done after {timeout:.0f} s")
        time.sleep(step)
    return time.monotonic() - started


def reload_portal(sup: Supervisor, program: str, workers: int, drained: set[int] | None = None,
                  timeout: float = 180) -> float:
    """SIGHUP one gunicorn replica and wait until all its workers are new and ready. With `drained`
    (a set shared by the rollout), nginx sends it nothing meanwhile: gunicorn retires the old workers
    as soon as the new ones are forked, and these take requests only once their index is loaded
    (portal/gunicorn_hooks.py), so requests would wait meanwhile."""
    port = sup.layout.port_of(program)
    master = sup.pid(program)
    old = child_pids(master)
    started = time.monotonic()
    if drained is not None:
        drain(sup, port, drained)
    sup.signal(program, "HUP")

    def replaced() -> bool:
        now = child_pids(master)
        return len(now) >= workers and not (now & old)
    _wait(replaced, timeout, f"{program}: new gunicorn workers")
    for _ in range(2 * workers):        # readiness is per worker: ask until each has likely answered ready
        _wait(lambda: replica_ready(kind_of(program), port), timeout, f"{program}: ready")
    if drained is not None:
        drained.discard(port)
        sup.reload_nginx(drained)
    return time.monotonic() - started


def rollout_index(layout: Layout, env: dict[str, str], log=print) -> dict:
    """Build the index beside the running one, switch to it, reload the portal replicas one by one."""
    sup = Supervisor(layout)
    started = time.monotonic()
    build = build_index(layout, env, source=layout.index_dir.resolve())
    built = time.monotonic() - started
    switch_link(layout.index_dir, build)
    log(f"index {build.name} built in {built:.1f} s; reloading the portal replicas one by one")
    reloads, drained = {}, (set() if layout.replicas > 1 else None)
    pools = [(program, layout.web_workers) for program, _port in layout.replica_ports("portal")]
    pools += [(program, 1) for program, _port in layout.replica_ports("portal-internal")]
    for program, workers in pools:
        reloads[program] = round(reload_portal(sup, program, workers, drained), 1)
        log(f"  {program} reloaded in {reloads[program]} s")
    prune_index_builds(layout)
    return {"index": build.name, "build_s": round(built, 1), "reload_s": reloads,
            "total_s": round(time.monotonic() - started, 1)}


def drain(sup: Supervisor, port: int, drained: set[int], timeout: float = 30) -> float:
    """Take one replica out of nginx and wait until nginx holds no connection to it any more."""
    drained.add(port)
    sup.reload_nginx(drained)
    return _wait(lambda: established_connections(port) == 0, timeout, f"draining port {port}", step=0.2)


def restart_rasa(sup: Supervisor, program: str, drained: set[int], timeout: float = 300) -> dict:
    port = sup.layout.port_of(program)
    started = time.monotonic()
    drained_s = drain(sup, port, drained) if sup.layout.replicas > 1 else 0.0
    sup.stop(program)
    sup.start(program)
    _wait(lambda: replica_ready("rasa", port), timeout, f"{program}: model loaded", step=0.5)
    drained.discard(port)
    sup.reload_nginx(drained)
    return {"drain_s": round(drained_s, 1), "total_s": round(time.monotonic() - started, 1)}


def rollout_model(layout: Layout, model: Path | None = None, log=print) -> dict:
    """Switch the Rasa replicas to `model` (default: bot/models/current.tar.gz) one at a time."""
    sup = Supervisor(layout)
    started = time.monotonic()
    target = ensure_model(layout, model)
    log(f"Rasa model {target.name}: restarting the Rasa replicas one by one")
    if layout.replicas == 1:
        log("  one Rasa replica only: chat is degraded while it restarts")
    drained: set[int] = set()
    restarts = {}
    for program, _port in layout.replica_ports("rasa"):
        restarts[program] = restart_rasa(sup, program, drained)
        log(f"  {program} back on the new model after {restarts[program]['total_s']} s")
    return {"model": target.name, "restarts": restarts, "total_s": round(time.monotonic() - started, 1)}
