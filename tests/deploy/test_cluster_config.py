"""The local cluster's supervisord config (deploy/supervisor/cluster.conf.j2) read back by supervisor's
own parser, its ports, and the secrets it generates once and never writes into a config."""
from __future__ import annotations

import stat

import pytest
from supervisor.options import ServerOptions

from cluster.layout import KINDS, Layout, write_configs
from cluster.prepare import SECRET_NAMES, ensure_secrets, switch_link


def read_back(layout: Layout) -> ServerOptions:
    write_configs(layout)
    options = ServerOptions()
    options.realize(args=["-c", str(layout.supervisor_conf)])
    return options


def parsed(layout: Layout) -> dict:
    """{program name: its supervisor process config} as supervisord itself reads the rendered file."""
    return {p.name: p for group in read_back(layout).process_group_configs for p in group.process_configs}


def test_replicas_stop_together_after_nginx(tmp_path):
    """supervisord stops one group after another (highest priority first) and a group's processes all at
    once: nginx stops taking requests first, then every replica in parallel."""
    groups = {g.name: g for g in read_back(Layout(run_dir=tmp_path / "run", base_port=31300)).process_group_configs}
    assert set(groups) == {"replicas", "nginx"} and groups["nginx"].priority > groups["replicas"].priority
    assert len(groups["replicas"].process_configs) == 8     # 2 x (portal, its internal pool, Rasa, actions)


def test_supervisord_runs_every_replica_and_nginx_with_its_own_port(tmp_path):
    layout = Layout(run_dir=tmp_path / "run", base_port=31000, replicas=3)
    programs = parsed(layout)
    expected = {name for kind in KINDS for name, _port in layout.replica_ports(kind)} | {"nginx"}
    assert set(programs) == expected
    for kind, variable in (("portal", "PORT"), ("portal-internal", "PORT"), ("rasa", "RASA_PORT"),
                           ("actions", "ACTIONS_PORT")):
        for name, port in layout.replica_ports(kind):
            assert programs[name].environment[variable] == str(port)
            assert programs[name].autorestart and programs[name].stopwaitsecs <= 10
    assert "--graceful-timeout 5" in programs["portal-1"].command and "--no-control-socket" in programs["portal-1"].command
    # started in this order (priority), stopped in the reverse one: nginx first
    order = sorted(programs, key=lambda n: programs[n].priority)
    assert order[-1] == "nginx" and order[0].startswith("actions") and order[-2].startswith("portal")
    assert "--workers 1" in programs["portal-internal-1"].command
    # each portal copy has its own metrics folder, wiped at every start
    folders = {programs[n].environment["PROMETHEUS_MULTIPROC_DIR"] for n in ("portal-1", "portal-2", "portal-3")}
    assert len(folders) == 3 and 'rm -rf "$PROMETHEUS_MULTIPROC_DIR"' in programs["portal-1"].command


def test_the_shared_settings_reach_every_program_unchanged(tmp_path):
    tricky = {"DATABASE_URL": "postgresql://u:p%40ss,w=rd@127.0.0.1:5432/migration_cluster", "NOTE": "say \"hi\" now"}
    layout = Layout(run_dir=tmp_path / "run", base_port=31100, extra_env=tricky)
    programs = parsed(layout)
    for name in ("portal-1", "rasa-2", "actions-1"):
        env = programs[name].environment
        assert env["DATABASE_URL"] == tricky["DATABASE_URL"] and env["NOTE"] == tricky["NOTE"]
        assert env["REDIS_URL"] == "redis://127.0.0.1:6379/3" and env["REPLICAS"] == "2"
        assert env["RASA_URL"] == f"http://127.0.0.1:{layout.rasa_lb_port}"
        assert env["ACTION_SERVER_URL"] == f"http://127.0.0.1:{layout.actions_lb_port}/webhook"
        assert env["PORTAL_URL"] == layout.url and env["TRUSTED_PROXIES"] == "1"
        assert env["INTERNAL_PORTAL_URL"] == f"http://127.0.0.1:{layout.internal_lb_port}"
    with pytest.raises(ValueError):          # supervisor would strip the quote: refused, not mangled
        parsed(Layout(run_dir=tmp_path / "run2", base_port=31100, extra_env={"NOTE": 'ends with "'}))


def test_ports_are_distinct_and_replica_counts_are_bounded(tmp_path):
    layout = Layout(run_dir=tmp_path, base_port=32000, replicas=9)
    assert len(set(layout.all_ports())) == len(layout.all_ports()) == 4 + 36
    with pytest.raises(ValueError):
        Layout(run_dir=tmp_path, replicas=0)
    with pytest.raises(ValueError):
        Layout(run_dir=tmp_path, base_port=65530)


def test_secrets_are_made_once_kept_private_and_never_written_into_a_config(tmp_path):
    layout = Layout(run_dir=tmp_path / "run", base_port=31200)
    first = ensure_secrets(layout)
    assert set(first) == set(SECRET_NAMES) and len(set(first.values())) == len(SECRET_NAMES)
    assert all(len(v) == 64 and int(v, 16) >= 0 for v in first.values())
    assert ensure_secrets(layout) == first
    for name in SECRET_NAMES:
        assert stat.S_IMODE((layout.secrets_dir / name.lower()).stat().st_mode) == 0o600
    write_configs(layout)
    written = layout.supervisor_conf.read_text() + (layout.nginx_dir / "nginx.conf").read_text()
    assert not any(value in written for value in first.values())


def test_switching_a_link_replaces_it_in_one_step(tmp_path):
    old, new = tmp_path / "build-1", tmp_path / "build-2"
    old.mkdir()
    new.mkdir()
    link = tmp_path / "current"
    switch_link(link, old)
    switch_link(link, new)
    assert link.resolve() == new.resolve()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build-1", "build-2", "current"]
