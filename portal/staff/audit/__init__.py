"""The audit log viewer for supervisors (the log itself is portal/audit.py)."""
