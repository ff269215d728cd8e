"""Talking to a running cluster: supervisord's XML-RPC interface (its unix socket in the run folder),
readiness of each replica, and the processes behind each program."""
from __future__ import annotations

import http.client
import os
import signal
import subprocess
import time
import xmlrpc.client
from pathlib import Path

import requests

from .layout import KINDS, ROOT, Layout, kind_of, write_nginx

SUPERVISORD = ROOT / ".venv" / "bin" / "supervisord"
# What "ready" means for each kind: the portal's readiness (index, database), Rasa's root (answers
# only once the model is loaded: it binds its port after loading), the action server's health.
READY_PATHS = {"portal": "/readyz", "portal-internal": "/readyz", "rasa": "/", "actions": "/health"}


class Supervisor:
    """supervisord of one run folder, over XML-RPC."""

    def __init__(self, layout: Layout):
        self.layout = layout

    @property
    def rpc(self):
        """A new connection for each call: a failed call leaves supervisor's transport unusable."""
        from supervisor.xmlrpc import SupervisorTransport
        transport = SupervisorTransport(None, None, f"unix://{self.layout.socket}")
        return xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport).supervisor

    @staticmethod
    def full_name(program: str) -> str:
        """supervisord's name of a program: the replicas are in the group `replicas`."""
        return program if program == "nginx" else f"replicas:{program}"

    def reachable(self) -> bool:
        try:
            return self.rpc.getState()["statename"] == "RUNNING"
        except (OSError, xmlrpc.client.Error, http.client.HTTPException):
            return False

    def info(self, program: str) -> dict:
        return self.rpc.getProcessInfo(self.full_name(program))

    def states(self) -> dict[str, str]:
        return {p["name"]: p["statename"] for p in self.rpc.getAllProcessInfo()}

    def pid(self, program: str) -> int:
        return int(self.info(program)["pid"])

    def kill(self, program: str) -> int:
        """SIGKILL the program's whole process group (a gunicorn master and its workers: a crashed
        replica); supervisord sees it die and restarts it. Returns the killed pid."""
        pid = self.pid(program)
        if pid:
            os.killpg(pid, signal.SIGKILL)
        return pid

    def signal(self, program: str, name: str) -> None:
        self.rpc.signalProcess(self.full_name(program), name)

    def stop(self, program: str) -> None:
        self.rpc.stopProcess(self.full_name(program), True)

    def start(self, program: str) -> None:
        self.rpc.startProcess(self.full_name(program), True)

    def reload_nginx(self, drained: set[int] = frozenset()) -> None:
        """Render the nginx config (replicas on `drained` ports get no new requests) and reload it
        gracefully: old nginx workers finish the requests they hold."""
        write_nginx(self.layout, drained)
        self.signal("nginx", "HUP")


def replica_ready(kind: str, port: int, timeout: float = 2.0) -> bool:
    try:
        status = requests.get(f"http://127.0.0.1:{port}{READY_PATHS[kind]}", timeout=timeout).status_code
        if status == 404 and kind.startswith("portal"):      # a portal without /readyz: its health says it
            status = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=timeout).status_code
        return status == 200
    except requests.RequestException:
        return False


def wait_ready(layout: Layout, programs: list[str] | None = None, timeout: float = 300, log=print) -> float:
    """Wait until the given programs (default: every replica) and nginx answer as ready; seconds taken."""
    started = time.monotonic()
    pending = set(programs or [name for kind in KINDS for name, _p in layout.replica_ports(kind)])
    while pending:
        for program in sorted(pending):
            if replica_ready(kind_of(program), layout.port_of(program)):
                pending.discard(program)
        if not pending:
            break
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"not ready after {timeout:.0f} s: {', '.join(sorted(pending))} "
                               f"(logs: {layout.log_dir})")
        time.sleep(0.5)
    while not _nginx_ready(layout):
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"nginx not answering on {layout.url} (logs: {layout.log_dir})")
        time.sleep(0.2)
    return time.monotonic() - started


def _nginx_ready(layout: Layout) -> bool:
    try:
        return requests.get(f"{layout.url}/nginx_status", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def start_detached(layout: Layout, env: dict[str, str]) -> subprocess.Popen:
    """supervisord in the background (its own session: a Ctrl-C meant for the caller is not its)."""
    proc = subprocess.Popen([str(SUPERVISORD), "-c", str(layout.supervisor_conf)], cwd=ROOT, env=env,
                            start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=open(layout.log_dir / "supervisord.out", "ab"))
    sup = Supervisor(layout)
    deadline = time.monotonic() + 30
    while not sup.reachable():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"supervisord did not start (see {layout.log_dir}/supervisord.log)")
        time.sleep(0.2)
    return proc


def supervisord_pid(layout: Layout) -> int | None:
    try:
        pid = int((layout.run_dir / "supervisord.pid").read_text().strip())
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return None
    return pid if b"supervisord" in command else None     # a stale pid file, its number reused


def stop_cluster(layout: Layout, timeout: float = 60) -> float | None:
    """SIGTERM supervisord: it stops nginx, the portal, Rasa and the actions in that order. Returns the
    seconds it took, or None when no cluster was running."""
    pid = supervisord_pid(layout)
    if pid is None:
        return None
    started = time.monotonic()
    os.kill(pid, signal.SIGTERM)
    while time.monotonic() - started < timeout:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return time.monotonic() - started
        time.sleep(0.1)
        _reap(pid)
    raise TimeoutError(f"supervisord {pid} still running after {timeout:.0f} s")


def _reap(pid: int) -> None:
    """Collect the exit status when supervisord is our own child (else it lingers as a zombie)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def child_pids(pid: int) -> set[int]:
    """Direct children of `pid` (Linux /proc)."""
    children = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children.update(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return children


def established_connections(port: int) -> int:
    """TCP connections established to 127.0.0.1:`port` (how many nginx still holds to a replica)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == "01":
                count += 1
    return count
