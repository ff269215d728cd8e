"""Each URL rule's builders compiled once per test process, not once per app.

Werkzeug compiles two builder functions per URL rule (an AST, then compile()) whenever an app is made:
about 25 ms for the portal's rules, and the suite makes an app for almost every test. A builder depends
only on the rule's text and parsed parts and takes the rule as an argument, so rules of the same text
can share it. Rules whose defaults fill a part of the URL are compiled as usual (their builder embeds the
converted default). tests/portal/test_route_builders.py checks that every shared builder is the one
werkzeug compiles. Installed by tests/conftest.py for the test processes only; the portal never uses it.
"""
from __future__ import annotations

from werkzeug.routing.rules import Rule

_compile = Rule._compile_builder
_builders: dict[tuple, object] = {}


def _key(rule: Rule, append_unknown: bool) -> tuple | None:
    defaults = rule.defaults or {}
    if any(dynamic and data in defaults for dynamic, data in rule._trace):
        return None
    return append_unknown, rule.rule, tuple(rule._trace), tuple(str(k) for k in defaults)


def _shared_builder(self: Rule, append_unknown: bool = True):
    key = _key(self, append_unknown)
    if key is None:
        return _compile(self, append_unknown)
    if key not in _builders:
        _builders[key] = _compile(self, append_unknown)
    return _builders[key]


def install() -> None:
    Rule._compile_builder = _shared_builder


def compile_fresh(rule: Rule, append_unknown: bool):
    """What werkzeug itself compiles for this rule (for the check)."""
    return _compile(rule, append_unknown)
