"""The advisory board's rows of the visibility matrix. The public reads the board, the
calendar, public meetings and materials, the tracker and published recommendations; board
members and staff also read closed meetings, board-only materials and drafts; staff answer;
board admins (here the department admin) run the board and see members' private data."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from accountability import actions, proceedings, roster
from accountability.tests.factories import adopt, make_board, pdf
from powershare.matrix import STAFF, Row, everyone, page, signed_in_only
from powershare.testing import Cast

BOARD_ADMIN = signed_in_only({"admin"})
STAFF_WRITE = signed_in_only(STAFF)
INSIDERS = page(STAFF | {"board_member"}, public="hidden")


def _r(key: str) -> Any:
    return lambda c, r: [r[key].pk]


def _month_of(meeting: Any) -> list[int]:
    day = timezone.localdate(meeting.starts)
    return [day.year, day.month]


def _meeting(key: str, child: str = "") -> Any:
    if child:
        return lambda c, r: [r[key].pk, r[child].pk]
    return lambda c, r: [r[key].pk]


ROWS = [
    Row("accountability:index", lambda c, r: [], everyone()),
    Row("accountability:apply", lambda c, r: [], everyone()),
    Row("accountability:meetings", lambda c, r: [], everyone()),
    Row("accountability:meetings_ics", lambda c, r: [], everyone()),
    Row("accountability:meeting_new", lambda c, r: [], BOARD_ADMIN),
    Row("accountability:meeting", _meeting("board_held"), everyone(), label="public"),
    Row("accountability:meeting", _meeting("board_closed"), INSIDERS, label="closed"),
    Row("accountability:meeting_edit", _meeting("board_held"), BOARD_ADMIN),
    Row("accountability:attendance", _meeting("board_held"), BOARD_ADMIN),
    Row("accountability:motion_new", _meeting("board_held"), BOARD_ADMIN),
    Row("accountability:material_new", _meeting("board_held"), BOARD_ADMIN),
    Row("accountability:minutes", _meeting("board_held"), BOARD_ADMIN),
    Row(
        "accountability:material_file",
        _meeting("board_held", "board_public_material"),
        everyone(),
        label="public",
    ),
    Row(
        "accountability:material_file",
        _meeting("board_held", "board_private_material"),
        INSIDERS,
        label="board only",
    ),
    Row(
        "accountability:access_request",
        _meeting("board_upcoming"),
        everyone(),
        "post",
        label="public",
    ),
    Row(
        "accountability:access_request",
        _meeting("board_closed"),
        INSIDERS,
        "post",
        label="closed",
    ),
    Row(
        "accountability:access_status",
        _meeting("board_upcoming", "board_access"),
        BOARD_ADMIN,
        "post",
    ),
    Row("accountability:tracker", lambda c, r: [], everyone()),
    Row("accountability:tracker_rss", lambda c, r: [], everyone()),
    Row("accountability:tracker_atom", lambda c, r: [], everyone()),
    Row("accountability:recommendation", _r("board_published"), everyone(), label="published"),
    Row("accountability:recommendation", _r("board_draft"), INSIDERS, label="draft"),
    Row("accountability:respond", _r("board_published"), STAFF_WRITE, "post"),
    Row(
        "accountability:response_publish",
        lambda c, r: [r["board_published"].pk, r["board_draft_response"].pk],
        STAFF_WRITE,
        "post",
    ),
    Row("accountability:commitment_new", _r("board_published"), STAFF_WRITE, "post"),
    Row("accountability:commitment_update", _r("board_commitment"), STAFF_WRITE, "post"),
    Row("accountability:withdraw", _r("board_published"), BOARD_ADMIN, "post"),
    Row("accountability:delete", _r("board_published"), BOARD_ADMIN, "post"),
    Row("accountability:members", lambda c, r: [], BOARD_ADMIN),
    Row("accountability:member_profile", lambda c, r: [c.board_member.pk], BOARD_ADMIN),
    Row("accountability:term_renew", _r("board_term"), BOARD_ADMIN),
    Row("accountability:term_end", _r("board_term"), BOARD_ADMIN),
    Row("accountability:applications", lambda c, r: [], BOARD_ADMIN),
    Row("accountability:application", _r("board_application"), BOARD_ADMIN),
    Row("accountability:application_select", _r("board_application"), BOARD_ADMIN, "post"),
    Row("accountability:application_decide", _r("board_application"), BOARD_ADMIN, "post"),
    Row("accountability:stipends", lambda c, r: [], BOARD_ADMIN),
    Row("accountability:stipend_export", lambda c, r: [], BOARD_ADMIN, "post"),
    Row(
        "accountability:stipend_pay",
        lambda c, r: [*_month_of(r["board_held"]), c.board_member.pk],
        BOARD_ADMIN,
    ),
    Row("accountability:my_stipend", lambda c, r: [], signed_in_only({"board_member"})),
    Row("accountability:organizers", lambda c, r: [], everyone()),
    Row("accountability:organizer", _r("organizer_public"), everyone(), label="public"),
    Row(
        "accountability:organizer",
        _r("organizer_department"),
        page(STAFF, public="hidden"),
        label="department",
    ),
    Row("accountability:organizer_new", lambda c, r: [], BOARD_ADMIN),
    Row("accountability:organizer_edit", _r("organizer_public"), BOARD_ADMIN),
]


def records(cast: Cast) -> dict[str, Any]:
    bs = make_board(cast)
    public_material = proceedings.add_material(
        actor=cast.admin, meeting=bs.held, title="Packet", file=pdf(), is_public=True
    )
    private_material = proceedings.add_material(
        actor=cast.admin, meeting=bs.held, title="Drafts", file=pdf("drafts.pdf")
    )
    access = proceedings.request_access(
        actor=None,
        meeting=bs.upcoming,
        kind="childcare",
        name="A resident",
        email="resident@example.org",
    )
    published = adopt(cast, bs)
    actions.respond(
        actor=cast.admin,
        recommendation=published,
        decision="accept",
        rationale="We will keep them open.",
    )
    commitment = actions.add_commitment(
        actor=cast.admin,
        recommendation=published,
        description="Open until 10 p.m.",
        owner=cast.liaison,
        due=bs.held.starts.date(),
    )
    draft_response = actions.respond(
        actor=cast.admin,
        recommendation=published,
        decision="accept",
        rationale="",
        publish=False,
    )
    draft = actions.draft_recommendation(
        actor=cast.admin,
        board=bs.board,
        title="Transit passes",
        text="Free passes to cooling centers.",
        rationale="No car, no cooling.",
        addressed_to=cast.unit,
    )
    application = roster.submit_application(
        board=bs.board,
        name="Rosa Quintero",
        email="rosa@example.net",
        neighborhood="Harbor Flats",
        seat_kind="resident",
        why="Mi vecindario",
    )
    organizer = {
        visibility: roster.save_organizer_position(
            actor=cast.admin,
            title=f"Organizer ({visibility})",
            unit=cast.unit,
            job_description="Supports tenant committees.",
            community_input="Tenants rewrote the draft.",
            visibility=visibility,
            partnerships=[cast.partnership_a],
        )
        for visibility in ("public", "department")
    }
    return {
        "board_held": bs.held,
        "board_upcoming": bs.upcoming,
        "board_closed": bs.closed,
        "board_public_material": public_material,
        "board_private_material": private_material,
        "board_access": access,
        "board_published": published,
        "board_commitment": commitment,
        "board_draft_response": draft_response,
        "board_draft": draft,
        "board_term": bs.terms[1],
        "board_application": application,
        "organizer_public": organizer["public"],
        "organizer_department": organizer["department"],
    }
