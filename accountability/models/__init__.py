"""Shared power: the community advisory board, its meetings and recommendations, the
department's responses, and organizer positions on staff. One module per part."""

from accountability.models.board import (
    Application,
    Board,
    MemberProfile,
    Seat,
    StipendPayment,
    Term,
)
from accountability.models.meetings import (
    AccessRequest,
    AgendaItem,
    Attendance,
    Material,
    Meeting,
    Motion,
    Vote,
)
from accountability.models.organizers import OrganizerPosition
from accountability.models.recommendations import (
    Commitment,
    CommitmentUpdate,
    Recommendation,
    RecommendationEvent,
    Response,
)

__all__ = [
    "AccessRequest",
    "AgendaItem",
    "Application",
    "Attendance",
    "Board",
    "Commitment",
    "CommitmentUpdate",
    "Material",
    "Meeting",
    "MemberProfile",
    "Motion",
    "OrganizerPosition",
    "Recommendation",
    "RecommendationEvent",
    "Response",
    "Seat",
    "StipendPayment",
    "Term",
    "Vote",
]
