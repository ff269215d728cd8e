"""cluster/control.py and cluster/rollout.py against a real supervisord running a real gunicorn replica
(a tiny WSGI app in place of the portal, so the test stays light): a graceful reload replaces every
worker while the replica keeps answering, a SIGKILLed replica is restarted by supervisord, a drained
port has no connection left, and the whole thing stops in seconds."""
from __future__ import annotations

import socket
import sys
import threading
import time

import pytest
import requests

from cluster import control, rollout
from cluster.layout import Layout
from tests.deploy.test_cluster_nginx import free_layout

pytestmark = pytest.mark.slow

APP = '''import os
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(os.getpid()).encode()]
'''
CONF = """[unix_http_server]
file={socket}
[supervisord]
nodaemon=true
silent=true
logfile={run}/supervisord.log
pidfile={run}/supervisord.pid
childlogdir={run}
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[group:replicas]
programs=portal-1
[program:portal-1]
command={python} -m gunicorn --bind 127.0.0.1:{port} --workers 2 --graceful-timeout 5 --no-control-socket --chdir {run} tiny:app
autorestart=true
startsecs=1
stopwaitsecs=8
stopasgroup=true
killasgroup=true
"""


@pytest.fixture()
def replica(tmp_path):
    layout: Layout = free_layout(tmp_path)
    layout.run_dir.mkdir(parents=True)
    layout.log_dir.mkdir()
    (layout.run_dir / "tiny.py").write_text(APP)
    layout.supervisor_conf.write_text(CONF.format(socket=layout.socket, run=layout.run_dir, python=sys.executable,
                                                  port=layout.port_of("portal-1")))
    proc = control.start_detached(layout, env={"PATH": "/usr/bin:/bin"})
    sup = control.Supervisor(layout)
    rollout._wait(lambda: control.replica_ready("portal", layout.port_of("portal-1")), 60, "tiny replica")
    # ready means one worker answers; under load the second may still be forking
    rollout._wait(lambda: len(control.child_pids(sup.pid("portal-1"))) == 2, 60, "both tiny workers")
    yield layout, sup
    control.stop_cluster(layout)
    proc.wait(timeout=30)


def test_a_graceful_reload_replaces_every_worker_without_a_failed_request(replica):
    layout, sup = replica
    url = f"http://127.0.0.1:{layout.port_of('portal-1')}/readyz"
    master, old = sup.pid("portal-1"), control.child_pids(sup.pid("portal-1"))
    assert len(old) == 2
    failures, answered, done = [], [], threading.Event()

    def keep_asking():
        while not done.is_set():
            try:
                answered.append(requests.get(url, timeout=5).status_code)
            except requests.RequestException as exc:
                failures.append(exc)
    asker = threading.Thread(target=keep_asking)
    asker.start()
    rollout.reload_portal(sup, "portal-1", workers=2)
    done.set()
    asker.join()
    new = control.child_pids(master)
    assert sup.pid("portal-1") == master and len(new) == 2 and not (new & old)
    assert not failures and answered and set(answered) == {200}


def test_a_killed_replica_is_restarted_by_supervisord(replica):
    layout, sup = replica
    killed = sup.kill("portal-1")
    rollout._wait(lambda: sup.info("portal-1")["statename"] == "RUNNING" and sup.pid("portal-1") != killed,
                  30, "restart")
    rollout._wait(lambda: control.replica_ready("portal", layout.port_of("portal-1")), 30, "ready again")
    assert control.child_pids(killed) == set()


def test_established_connections_counts_what_is_still_open_to_a_port():
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _addr = server.accept()
    assert control.established_connections(port) == 1
    client.close()
    accepted.close()
    server.close()
    assert control.established_connections(port) == 0


def test_the_cluster_stops_in_seconds(replica):
    layout, _sup = replica
    started = time.monotonic()
    took = control.stop_cluster(layout)
    assert took is not None and took < 10 and time.monotonic() - started < 10
    assert control.supervisord_pid(layout) is None
    assert control.stop_cluster(layout) is None         # nothing left to stop
