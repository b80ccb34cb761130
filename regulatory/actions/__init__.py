"""Every change of state in the regulatory module. Each runs in a transaction and writes the
audit log; the complainant's identity never goes into the log. By record: ``authorities``,
``campaign_actions``, ``complaints`` (with retaliation), ``comment_periods``."""

from regulatory.actions.authorities import AUTHORITY_FIELDS, save_authority
from regulatory.actions.campaign_actions import ACTION_FIELDS, save_action
from regulatory.actions.comment_periods import PERIOD_FIELDS, save_comment_period
from regulatory.actions.complaints import (
    COMPLAINT_AUDIT_FIELDS,
    IDENTITY_FIELDS,
    MAX_FILES,
    PHOTO_SUFFIXES,
    add_update,
    add_violation,
    close_complaint,
    correct_violation,
    file_complaint,
    record_inspection,
    report_retaliation,
    schedule_inspection,
    triage_complaint,
    update_retaliation,
)

__all__ = [
    "ACTION_FIELDS",
    "AUTHORITY_FIELDS",
    "COMPLAINT_AUDIT_FIELDS",
    "IDENTITY_FIELDS",
    "MAX_FILES",
    "PERIOD_FIELDS",
    "PHOTO_SUFFIXES",
    "add_update",
    "add_violation",
    "close_complaint",
    "correct_violation",
    "file_complaint",
    "record_inspection",
    "report_retaliation",
    "save_action",
    "save_authority",
    "save_comment_period",
    "schedule_inspection",
    "triage_complaint",
    "update_retaliation",
]
