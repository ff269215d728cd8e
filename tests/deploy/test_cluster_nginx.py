"""nginx in front of the replicas (deploy/nginx/cluster.conf.j2 rendered by cluster/layout.py): the
rendered config passes `nginx -t`, then Debian's nginx runs it for real in front of stand-in replicas
(tests/deploy/upstreams.py): /static from disk with gzip and a long lifetime only for fingerprinted
URLs, gzip for HTML and JSON, the body limit, /metrics only from allowed addresses, X-Request-ID, and
which requests go to the next replica when one dies mid-request."""
from __future__ import annotations

import hashlib
import http.client
import random
import re
import socket
import subprocess
import time
import uuid

import pytest
import requests

from cluster.layout import ROOT, Layout, make_dirs, nginx_binary, render_nginx, write_nginx
from tests.deploy.upstreams import Crashing, Healthy

pytestmark = pytest.mark.slow


def free_layout(tmp_path, **kwargs) -> Layout:
    """Ports below the kernel's ephemeral range (which other tests' sockets take at random), each bound
    once to be sure nothing holds it."""
    for _ in range(100):
        layout = Layout(run_dir=tmp_path / "run", base_port=random.randrange(20000, 32000, 100), **kwargs)
        if all(_bindable(port) for port in layout.all_ports()):
            return layout
    raise RuntimeError("no free ports")


def _bindable(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def nginx_test(layout: Layout) -> subprocess.CompletedProcess:
    return subprocess.run([nginx_binary(), "-t", "-p", str(layout.nginx_dir), "-c", str(layout.nginx_dir / "nginx.conf"),
                           "-e", str(layout.log_dir / "nginx-error.log")], capture_output=True, text=True)


def test_the_rendered_config_passes_nginx_t(tmp_path):
    layout = free_layout(tmp_path)
    make_dirs(layout)
    write_nginx(layout)
    result = nginx_test(layout)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_every_replica_is_an_upstream_server_and_a_drained_one_is_down(tmp_path):
    layout = free_layout(tmp_path, replicas=3)
    make_dirs(layout)
    drained = layout.port_of("rasa-2")
    write_nginx(layout, drained={drained})
    assert nginx_test(layout).returncode == 0
    text = (layout.nginx_dir / "nginx.conf").read_text()
    for kind in ("portal", "rasa", "actions"):
        block = re.search(r"upstream %s \{(.*?)\}" % kind, text, re.S).group(1)
        assert [int(p) for p in re.findall(r"server 127\.0\.0\.1:(\d+)", block)] == \
            [port for _name, port in layout.replica_ports(kind)]
    assert re.findall(r"127\.0\.0\.1:(\d+) [^;]* down;", text) == [str(drained)]


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    """nginx on the rendered config: portal-1 and rasa-1 crash mid-request, portal-2 and rasa-2 answer,
    actions-1 is not listening (a replica restarting), actions-2 answers. Accounting of failures is off
    (max_fails=0) so that the crashing replicas keep getting their turn."""
    layout = free_layout(tmp_path_factory.mktemp("nginx"))
    make_dirs(layout)
    (layout.nginx_dir / "nginx.conf").write_text(render_nginx(layout).replace("max_fails=3", "max_fails=0")
                                                 .replace("max_fails=1", "max_fails=0"))
    stand_ins = {"portal-1": Crashing(layout.port_of("portal-1")), "portal-2": Healthy(layout.port_of("portal-2")),
                 "rasa-1": Crashing(layout.port_of("rasa-1")), "rasa-2": Healthy(layout.port_of("rasa-2")),
                 "actions-2": Healthy(layout.port_of("actions-2"))}
    nginx = subprocess.Popen([nginx_binary(), "-p", str(layout.nginx_dir), "-c", str(layout.nginx_dir / "nginx.conf"),
                              "-e", str(layout.log_dir / "nginx-error.log")])
    deadline = time.monotonic() + 20
    while True:
        try:
            requests.get(f"{layout.url}/nginx_status", timeout=1)
            break
        except requests.RequestException:
            assert nginx.poll() is None and time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.1)
    yield layout, stand_ins
    nginx.terminate()
    nginx.wait(timeout=10)
    for stand_in in stand_ins.values():
        stand_in.close()


def fingerprint(path: str) -> str:
    return hashlib.sha256((ROOT / "static" / path).read_bytes()).hexdigest()[:12]


def test_static_files_come_from_disk_gzipped_and_immutable_when_fingerprinted(proxy):
    layout, stand_ins = proxy
    resp = requests.get(f"{layout.url}/static/css/site.css?v={fingerprint('css/site.css')}",
                        headers={"Accept-Encoding": "gzip"}, timeout=5)
    assert resp.status_code == 200 and resp.headers["Content-Encoding"] == "gzip"
    assert resp.content == (ROOT / "static" / "css" / "site.css").read_bytes()
    assert "max-age=315360000" in resp.headers["Cache-Control"] and "immutable" in resp.headers["Cache-Control"]
    assert int(resp.headers["Expires"].split()[3]) >= 2037
    plain = requests.get(f"{layout.url}/static/css/site.css", timeout=5)
    assert plain.status_code == 200 and "no-cache" in plain.headers["Cache-Control"]
    assert "immutable" not in plain.headers["Cache-Control"]
    assert not any(p.startswith("/static") for s in stand_ins.values() for p in s.seen.paths())


def test_html_and_json_from_the_replicas_are_gzipped(proxy):
    layout, _stand_ins = proxy
    for path, kind in (("/page", "text/html"), ("/data", "application/json")):
        resp = requests.get(f"{layout.url}{path}", headers={"Accept-Encoding": "gzip"}, timeout=5)
        assert resp.status_code == 200 and resp.headers["Content-Type"].startswith(kind)
        assert resp.headers.get("Content-Encoding") == "gzip", path


def test_a_body_over_the_limit_is_refused_before_any_replica(proxy):
    layout, stand_ins = proxy
    marker = uuid.uuid4().hex
    resp = requests.post(f"{layout.url}/api/v1/search", data=b"x" * 100_000, headers={"X-Test-Id": marker}, timeout=5)
    assert resp.status_code == 413
    assert all(marker not in s.seen.ids() for s in stand_ins.values())


def get_from(address: str, port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5, source_address=(address, 0))
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def test_metrics_answer_only_the_allowed_addresses(proxy):
    layout, stand_ins = proxy
    assert get_from("127.0.0.1", layout.listen_port, "/metrics") == 200
    before = stand_ins["portal-2"].seen.paths().count("/metrics")
    assert get_from("127.0.0.2", layout.listen_port, "/metrics") == 403       # another address, not allowed
    assert get_from("127.0.0.2", layout.listen_port, "/nginx_status") == 403
    assert stand_ins["portal-2"].seen.paths().count("/metrics") == before


def test_every_request_gets_an_id_passed_to_the_replica_and_back(proxy):
    layout, stand_ins = proxy
    session = requests.Session()
    made = session.get(f"{layout.url}/en/", timeout=5)
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["X-Request-ID"])
    kept = session.get(f"{layout.url}/en/", headers={"X-Request-ID": "from-the-caller.42"}, timeout=5)
    assert kept.headers["X-Request-ID"] == "from-the-caller.42"
    replaced = session.get(f"{layout.url}/en/", headers={"X-Request-ID": "not ok; <script>"}, timeout=5)
    assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["X-Request-ID"])
    assert "," not in made.headers["X-Request-ID"]            # once, not once from nginx and once echoed
    ids = [h.get("x-request-id") for _m, _p, h in stand_ins["portal-2"].seen.requests]
    assert {made.headers["X-Request-ID"], "from-the-caller.42", replaced.headers["X-Request-ID"]} <= set(ids)


def send(layout: Layout, port: int, method: str, path: str, times: int = 6, **headers) -> dict[str, int]:
    """{test id: status} of `times` requests, each marked with its own X-Test-Id."""
    out = {}
    for _ in range(times):
        marker = uuid.uuid4().hex
        resp = requests.request(method, f"http://127.0.0.1:{port}{path}", json={"message": "merhaba"},
                                headers={"X-Test-Id": marker, **headers}, timeout=10)
        out[marker] = resp.status_code
    return out


@pytest.mark.parametrize("method,path,headers,retried", [
    ("GET", "/en/services/x", {}, True),
    ("POST", "/api/v1/search", {}, True),                                       # a read
    ("POST", "/api/v1/appointments", {"Idempotency-Key": "k-" + uuid.uuid4().hex}, True),
    ("POST", "/api/v1/appointments", {}, False),                                # could book twice
    ("POST", "/api/v1/chat", {}, False),                                        # would advance a conversation twice
])
def test_only_requests_safe_to_repeat_go_to_the_next_portal(proxy, method, path, headers, retried):
    layout, stand_ins = proxy
    crashed, healthy = stand_ins["portal-1"].seen, stand_ins["portal-2"].seen
    statuses = send(layout, layout.listen_port, method, path, **headers)
    hit_crashed = crashed.ids() & set(statuses)
    assert hit_crashed, "round robin gave the crashing replica no request"
    for marker, status in statuses.items():
        if marker not in hit_crashed:
            assert status == 200
        elif retried:
            assert status == 200 and marker in healthy.ids()
        else:
            assert status == 502 and marker not in healthy.ids()


def test_a_chat_message_a_rasa_replica_received_is_never_sent_to_another(proxy):
    layout, stand_ins = proxy
    statuses = send(layout, layout.rasa_lb_port, "POST", "/webhooks/rest/webhook")
    hit_crashed = stand_ins["rasa-1"].seen.ids() & set(statuses)
    assert hit_crashed
    for marker in hit_crashed:
        assert statuses[marker] == 502 and marker not in stand_ins["rasa-2"].seen.ids()


def test_a_replica_that_is_not_listening_is_skipped_even_for_posts(proxy):
    """Connection refused (a replica restarting): the request never reached it, so any request goes on."""
    layout, stand_ins = proxy
    statuses = send(layout, layout.actions_lb_port, "POST", "/webhook")
    assert set(statuses.values()) == {200}
    assert set(statuses) <= stand_ins["actions-2"].seen.ids()
