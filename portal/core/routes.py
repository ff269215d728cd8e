"""Home, language redirect, contact, offices, accessibility and privacy pages, liveness and readiness."""
from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for

from ..extensions import limiter
from ..collation import collated
from ..guides.operations import list_services
from ..i18n import current_lang, preferred_lang
from ..knowledge_access import knowledge_base
from ..langbp import lang_blueprint
from . import operations
from .tasks import other_tasks, top_tasks

bp = lang_blueprint("core", __name__, template_folder="templates")
root = Blueprint("root", __name__)
limiter.exempt(root)        # probes and the language redirect are never rate-limited


@root.get("/")
def index():
    """`/` goes to the preferred language: cookie, then Accept-Language, then Turkish."""
    return redirect(url_for("core.home", lang=preferred_lang()), code=302)


@root.get("/healthz")
def healthz():
    """Liveness: the process answers. Cheap: touches neither the database nor Rasa nor the index."""
    return jsonify({"status": "ok"})


@root.get("/readyz")
def readyz():
    """Readiness: 200 when every required part works (database, content, search index loaded in this
    process), 503 otherwise, e.g. while the index and its encoder are still loading. Rasa is reported,
    not required: the chat degrades without it."""
    status, components = operations.readiness()
    return jsonify({"status": status, "components": components}), 200 if status == "ok" else 503


@bp.get("/")
def home():
    lang = current_lang()
    return render_template("core/home.html", tasks=top_tasks(lang), other_tasks=other_tasks(lang),
                           groups=list_services(lang))


@bp.get("/contact")
def contact():
    return render_template("core/contact.html")


@bp.get("/offices")
def offices():
    """The 81 directorates in Turkish alphabetical order of the province (their names are Turkish)."""
    offices = collated(knowledge_base().offices, "tr", key=lambda office: office["province"])
    return render_template("core/offices.html", offices=offices)


@bp.get("/accessibility")
def accessibility():
    return render_template("core/accessibility.html")


@bp.get("/privacy")
def privacy():
    return render_template("core/privacy.html")
