"""Service guide pages: list by category, guide, printable checklist."""
from __future__ import annotations

from flask import render_template

from ..collation import languages_in_order
from ..i18n import current_lang
from ..langbp import lang_blueprint
from . import operations

bp = lang_blueprint("guides", __name__, template_folder="templates")


@bp.get("/services")
def services():
    return render_template("guides/services.html", groups=operations.list_services(current_lang()))


@bp.get("/services/<slug>")
def guide(slug: str):
    svc = operations.get_service(slug)
    text = svc.text(current_lang())
    if text is None:
        return _not_translated(svc)
    return render_template("guides/guide.html", svc=svc, t=text, sources=operations.source_documents(svc),
                           related=operations.related_services(svc, current_lang()))


@bp.get("/services/<slug>/checklist")
def checklist(slug: str):
    svc = operations.get_service(slug)
    text = svc.text(current_lang())
    if text is None:
        return _not_translated(svc)
    return render_template("guides/checklist.html", svc=svc, t=text)


def _not_translated(svc):
    """Say so in the page language and offer the languages the guide exists in."""
    available = [code for code, _name, _dir in languages_in_order(current_lang()) if code in svc.languages()]
    return render_template("guides/not_translated.html", svc=svc, available=available), 200
