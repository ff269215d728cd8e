"""The call-centre console under /staff, one subpackage per feature.

auth (sign-in, accounts, roles), suggest (suggested answers, feedback), inbox (chats handed over),
queue (unanswered questions), offices (appointments and cases), audit (the audit log viewer).
guard.py is what their blueprints share.
"""
