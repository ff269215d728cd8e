"""The audit log for supervisors: filtered pages (newest first) and a CSV export. Both are audited."""
from __future__ import annotations

import csv
import io

from flask import Response, render_template, request, stream_with_context

from .. import db
from ..audit import record
from ..errors import ValidationFailed
from ..timeutil import utcnow
from .audit_log import (CSV_HEADER, AuditFilters, AuditPage, actor_labels, audit_page, export_rows, filter_choices,
                        local_time, parse_filters)
from .guard import console_blueprint

bp = console_blueprint("staff_audit", __name__, "/staff", role="supervisor")


def _record(action: str, filters: AuditFilters) -> None:
    sess = db.begin_write()
    record(action, "audit_log", filters.summary(), sess=sess)
    sess.commit()


def _page(filters: AuditFilters, errors: dict | None = None, status: int = 200):
    """The page; with errors only the form (no rows are shown for filters that could not be read)."""
    page = AuditPage([], None, None) if errors else audit_page(filters, request.args.get("before"),
                                                                request.args.get("after"))
    rows = list(zip(page.rows, actor_labels([r.actor for r in page.rows]), [local_time(r.at) for r in page.rows]))
    return render_template("staff/audit/audit.html", rows=rows, page=page, filters=filters,
                           form=request.args, errors=errors or {}, error_title=bool(errors),
                           choices=filter_choices(), args=filters.query_args()), status


def _filters():
    """The request's filters and None, or None and the 422 page that names the bad fields."""
    try:
        return parse_filters(request.args), None
    except ValidationFailed as exc:
        return None, _page(AuditFilters(), exc.fields, 422)


@bp.get("/audit")
def audit():
    """The audit log with filters; reading it writes an "audit.view" row."""
    filters, error_page = _filters()
    if error_page:
        return error_page
    _record("audit.view", filters)
    return _page(filters)


@bp.get("/audit.csv")
def audit_csv():
    """The filtered audit log as CSV (UTF-8 with BOM, formula-safe, streamed); writes "audit.export"."""
    filters, error_page = _filters()
    if error_page:
        return error_page
    _record("audit.export", filters)

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_HEADER)
        yield "\ufeff" + buffer.getvalue()
        for row in export_rows(filters):
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(row)
            yield buffer.getvalue()

    name = f"audit-{utcnow():%Y%m%d-%H%M}.csv"
    return Response(stream_with_context(generate()), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
