"""The department's regulatory levers: its authorities, actions taken for campaigns, complaints
filed by partners for residents and workers, and comment periods. One module per part; every
model (and the upload path the migrations name) is importable from here."""

from regulatory.models.authorities import STAFF_CHOICES, Authority
from regulatory.models.campaign_actions import ActionQuerySet, RegulatoryAction
from regulatory.models.comment_periods import CommentPeriod, CommentPeriodQuerySet
from regulatory.models.complaints import (
    Complaint,
    ComplaintEvent,
    ComplaintFile,
    ComplaintQuerySet,
    Inspection,
    Retaliation,
    Violation,
    complaint_upload_to,
)

__all__ = [
    "ActionQuerySet",
    "Authority",
    "CommentPeriod",
    "CommentPeriodQuerySet",
    "Complaint",
    "ComplaintEvent",
    "ComplaintFile",
    "ComplaintQuerySet",
    "Inspection",
    "RegulatoryAction",
    "Retaliation",
    "STAFF_CHOICES",
    "Violation",
    "complaint_upload_to",
]
