"""Public case API: the timeline of a case with its number and access code."""
from __future__ import annotations

from ..cases import operations as ops
from ..chat.pseudonyms import reveal_value
from ..extensions import code_guess_limits
from ..i18n import current_lang
from . import present
from .schemas import CaseAccessSchema, CaseTimelineSchema, ErrorSchema
from .base import api_blueprint

blp = api_blueprint("cases_api", __name__, "Case status (public).")


@blp.route("/cases/lookup", methods=["POST"])
@code_guess_limits
@blp.arguments(CaseAccessSchema)
@blp.response(200, CaseTimelineSchema)
@blp.alt_response(404, schema=ErrorSchema, description="error")
@blp.alt_response(422, schema=ErrorSchema, description="error")
@blp.alt_response(429, schema=ErrorSchema, description="error")
def lookup(body):
    """The public timeline of a case (number and access code in the body, never in the URL)."""
    case = ops.verify_case_access(body["number"], reveal_value("code", body["access_code"]))
    return present.case_json(case, ops.public_timeline(case), current_lang())
