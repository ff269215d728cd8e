"""Compiled templates are shared by the apps a process makes (portal/templating.py SharedBytecode): a
second app renders the same page from the shared code, an edited template is compiled again, and an
environment with other options never takes another's code."""
from __future__ import annotations

from jinja2 import DictLoader, Environment

from portal.templating import SharedBytecode


def test_a_second_app_renders_the_same_page_from_the_shared_code(make_migrated_app):
    first = make_migrated_app().test_client().get("/en/")
    second_app = make_migrated_app()
    compiled = []
    original = second_app.jinja_env.compile
    second_app.jinja_env.compile = lambda *a, **k: (compiled.append(a[1] if len(a) > 1 else k.get("name")),
                                                    original(*a, **k))[1]
    second = second_app.test_client().get("/en/")
    assert first.status_code == second.status_code == 200
    assert first.get_data() == second.get_data()
    assert compiled == []                   # nothing compiled again


def _env(cache, templates, **options):
    return Environment(loader=DictLoader(templates), bytecode_cache=cache, **options)


def test_an_edited_template_or_other_options_are_compiled_again():
    cache = SharedBytecode()
    templates = {"t.html": "{% if x %}\n  yes\n{% endif %}"}
    assert _env(cache, templates).get_template("t.html").render(x=1) == "\n  yes\n"
    trimmed = _env(cache, templates, trim_blocks=True, lstrip_blocks=True)
    assert trimmed.get_template("t.html").render(x=1) == "  yes\n"      # not the untrimmed code
    edited = _env(cache, {"t.html": "{% if x %}no{% endif %}"})
    assert edited.get_template("t.html").render(x=1) == "no"            # the source changed
    assert len(cache._store) == 2
