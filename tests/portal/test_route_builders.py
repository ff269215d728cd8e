"""The test processes share URL builders between apps (tests/helpers/route_builders.py): each shared
builder must be exactly the code werkzeug compiles for that rule, and URLs built through it must be right."""
from __future__ import annotations

from flask import url_for

from tests.helpers import route_builders


def test_every_rule_of_a_second_app_builds_with_werkzeugs_own_code(make_app):
    make_app()
    app = make_app()                       # its rules reuse the builders compiled for the first app
    rules = list(app.url_map.iter_rules())
    assert len(rules) > 50
    for rule in rules:
        for append_unknown, bound in ((False, rule._build), (True, rule._build_unknown)):
            assert bound.__self__ is rule
            assert bound.__func__.__code__ == route_builders.compile_fresh(rule, append_unknown).__code__, rule


def test_urls_built_by_shared_builders(make_app):
    make_app()
    app = make_app()
    with app.test_request_context():
        assert url_for("static", filename="a b.css") == "/static/a%20b.css"
        assert url_for("static", filename="x.css", v="1") == "/static/x.css?v=1"
        assert url_for("guides.guide", lang="ar", slug="travel-permit") == "/ar/services/travel-permit"
        assert url_for("guides.checklist", lang="fa", slug="x y", print=1) == "/fa/services/x%20y/checklist?print=1"
