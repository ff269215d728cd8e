"""Check a case: case number + access code -> the public timeline."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..appointments import grants
from ..errors import NotFound
from ..extensions import code_guess_limits
from ..langbp import lang_blueprint
from . import operations
from .labels import case_status_label

bp = lang_blueprint("cases", __name__, template_folder="templates")


@bp.route("/cases/check", methods=["GET", "POST"])
@code_guess_limits
def check():
    """Ask for the case number and access code (POST; 303 to the status page)."""
    errors, form = {}, {"number": ""}
    if request.method == "POST":
        form["number"] = request.form.get("number", "")[:40]
        code = request.form.get("access_code", "")[:40]
        if not form["number"].strip():
            errors["number"] = _("Enter your case number")
        if not code.strip():
            errors["access_code"] = _("Enter your access code")
        if not errors:
            try:
                case = operations.verify_case_access(form["number"], code)
            except NotFound as err:
                errors["number"] = err.message
            else:
                grants.grant("case", case.number)
                return redirect(url_for("cases.status"), code=303)
    return render_template("cases/check.html", errors=errors, error_title=bool(errors), form=form), (
        422 if errors else 200)


@bp.get("/cases/status")
def status():
    """The public timeline of the case this browser has access to."""
    data = grants.granted("case")
    case = operations.get_case_by_number(data["ref"]) if data else None
    if case is None:
        return redirect(url_for("cases.check"), code=303)
    return render_template("cases/status.html", case=case, events=operations.public_timeline(case),
                           status_label=case_status_label)


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response
