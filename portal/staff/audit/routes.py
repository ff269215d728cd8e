"""The audit log for supervisors (/staff/audit): filtered pages (newest first) and a CSV export.
Both are audited by their operations."""
from __future__ import annotations

import csv
import io

from flask import Response, render_template, request, stream_with_context

from ...errors import ValidationFailed
from ...timeutil import utcnow
from ..auth.access import check_role
from ..guard import console_blueprint
from ..dates import console_datetime, example_day
from .labels import action_label, record_type_label
from .operations import (CSV_HEADER, AuditFilters, AuditPage, actor_labels, export_audit_log, filter_choices,
                         parse_filters, view_audit_log)

bp = console_blueprint("staff_audit", __name__, "/staff", role="supervisor")


def _page(filters: AuditFilters, page: AuditPage, errors: dict | None = None, status: int = 200):
    rows = list(zip(page.rows, actor_labels([r.actor for r in page.rows]), [console_datetime(r.at) for r in page.rows]))
    return render_template("staff/audit/audit.html", rows=rows, page=page, filters=filters,
                           form=request.args, errors=errors or {}, error_title=bool(errors),
                           choices=filter_choices(), args=filters.query_args(), action_label=action_label,
                           record_type_label=record_type_label, example_day=example_day()), status


def _filters():
    """The request's filters and None, or None and the 422 page that names the bad fields (the form
    only: no rows are shown for filters that could not be read)."""
    try:
        return parse_filters(request.args), None
    except ValidationFailed as exc:
        return None, _page(AuditFilters(), AuditPage([], None, None), exc.fields, 422)


@bp.get("/audit")
def audit():
    """The audit log with filters; reading it writes an "audit.view" row."""
    filters, error_page = _filters()
    if error_page:
        return error_page
    page = view_audit_log(check_role("supervisor"), filters, request.args.get("before"), request.args.get("after"))
    return _page(filters, page)


@bp.get("/audit.csv")
def audit_csv():
    """The filtered audit log as CSV (UTF-8 with BOM, formula-safe, streamed); writes "audit.export"."""
    filters, error_page = _filters()
    if error_page:
        return error_page
    rows = export_audit_log(check_role("supervisor"), filters)

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_HEADER)
        yield "\ufeff" + buffer.getvalue()
        for row in rows:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(row)
            yield buffer.getvalue()

    name = f"audit-{utcnow():%Y%m%d-%H%M}.csv"
    return Response(stream_with_context(generate()), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
