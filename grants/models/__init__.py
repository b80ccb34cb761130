"""Grant programs, their cycles, applications, community review, decisions, awards, reports.
One module per part; every model is importable from here (migrations name the upload paths
here too)."""

from grants.models.applications import (
    Application,
    ApplicationDocument,
    ApplicationQuerySet,
    _document_path,
)
from grants.models.awards import (
    ApprovalStep,
    Award,
    Decision,
    Payment,
    Report,
    ReportReminder,
    _agreement_path,
)
from grants.models.cycles import (
    MONEY,
    Criterion,
    Cycle,
    CycleQuerySet,
    Program,
    Question,
    RequiredDocument,
    bilingual,
)
from grants.models.review import (
    Assignment,
    ConflictDeclaration,
    DeliberationNote,
    PanelMember,
    Review,
    ReviewerInterest,
    Score,
)

__all__ = [
    "Application",
    "ApplicationDocument",
    "ApplicationQuerySet",
    "ApprovalStep",
    "Assignment",
    "Award",
    "ConflictDeclaration",
    "Criterion",
    "Cycle",
    "CycleQuerySet",
    "Decision",
    "DeliberationNote",
    "MONEY",
    "PanelMember",
    "Payment",
    "Program",
    "Question",
    "Report",
    "ReportReminder",
    "RequiredDocument",
    "Review",
    "ReviewerInterest",
    "Score",
    "_agreement_path",
    "_document_path",
    "bilingual",
]
