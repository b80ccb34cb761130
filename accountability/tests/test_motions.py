"""Recording motions: a vote decides nothing without quorum unless marked informal; secret
ballots keep counts only; a carried motion adopts and publishes a recommendation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accountability import actions, proceedings
from accountability.models import Motion, Recommendation, Vote
from accountability.tests.factories import adopt, make_board


def _short_meeting(cast, bs, present):
    """A meeting held yesterday where only ``present`` of the four members came."""
    meeting = proceedings.schedule_meeting(
        actor=cast.admin,
        board=bs.board,
        title="Thin meeting",
        starts=bs.held.starts,
        ends=bs.held.ends,
        location="Room 4",
    )
    proceedings.record_attendance(actor=cast.admin, meeting=meeting, present=bs.terms[:present])
    return meeting


def test_no_vote_without_quorum_unless_informal(cast, bs):
    meeting = _short_meeting(cast, bs, present=2)  # 4 seated, 51% quorum: 3 needed
    assert meeting.quorum() == (2, 3)
    with pytest.raises(ValidationError, match="no quorum"):
        proceedings.record_motion(
            actor=cast.admin,
            meeting=meeting,
            text="To adopt the heat plan.",
            votes={t: "yes" for t in bs.terms[:2]},
        )
    assert not Motion.objects.filter(meeting=meeting).exists()

    motion = proceedings.record_motion(
        actor=cast.admin,
        meeting=meeting,
        text="Sense of the members present.",
        informal=True,
        votes={t: "yes" for t in bs.terms[:2]},
    )
    assert motion.informal and motion.yes == 2 and motion.result == "carried"


def test_the_database_refuses_a_formal_vote_without_quorum(cast, bs):
    with pytest.raises(IntegrityError), transaction.atomic():
        Motion.objects.create(
            meeting=bs.held, text="x", present=1, quorum_needed=3, result="carried", yes=1
        )


def test_an_informal_motion_cannot_adopt_a_recommendation(cast, bs):
    meeting = _short_meeting(cast, bs, present=2)
    draft = actions.draft_recommendation(
        actor=cast.admin,
        board=bs.board,
        title="Heat plan",
        text="Publish a heat plan.",
        rationale="Heat kills.",
        addressed_to=cast.unit,
    )
    with pytest.raises(ValidationError, match="formal motion"):
        proceedings.record_motion(
            actor=cast.admin,
            meeting=meeting,
            text="Adopt it.",
            informal=True,
            votes={t: "yes" for t in bs.terms[:2]},
            adopts=draft,
        )
    draft.refresh_from_db()
    assert draft.status == "draft" and not draft.published


def test_each_members_vote_is_recorded_and_only_members_present_vote(cast, bs):
    meeting = _short_meeting(cast, bs, present=3)
    votes = {bs.terms[0]: "yes", bs.terms[1]: "no", bs.terms[2]: "abstain"}
    motion = proceedings.record_motion(actor=cast.admin, meeting=meeting, text="Tie", votes=votes)
    assert (motion.yes, motion.no, motion.abstain, motion.result) == (1, 1, 1, "failed")
    assert Vote.objects.filter(motion=motion).count() == 3
    with pytest.raises(ValidationError, match="Only members present"):
        proceedings.record_motion(
            actor=cast.admin, meeting=meeting, text="Again", votes={bs.terms[3]: "yes"}
        )


def test_a_secret_ballot_keeps_counts_only(cast):
    bs = make_board(cast, secret=True)
    with pytest.raises(ValidationError, match="secret"):
        proceedings.record_motion(
            actor=cast.admin, meeting=bs.held, text="Open vote", votes={bs.terms[0]: "yes"}
        )
    with pytest.raises(ValidationError, match="only 4 members were present"):
        proceedings.record_motion(
            actor=cast.admin, meeting=bs.held, text="Too many", counts=(5, 0, 0)
        )
    motion = proceedings.record_motion(
        actor=cast.admin, meeting=bs.held, text="Secret", counts=(3, 1, 0)
    )
    assert motion.secret and motion.yes == 3 and not motion.votes.exists()


def test_a_carried_motion_publishes_the_recommendation_with_the_charter_deadline(cast, bs):
    recommendation = adopt(cast, bs)
    assert recommendation.status == Recommendation.Status.AWAITING
    assert recommendation.adopted_on == bs.held.starts.date()
    assert recommendation.response_due == recommendation.adopted_on + timedelta(days=60)
    assert recommendation.published is not None
    assert recommendation.motion.result == "carried"
    assert list(recommendation.events.values_list("kind", flat=True)) == ["created", "adopted"]


def test_only_board_admins_record_motions(cast, bs):
    for user in (cast.liaison, cast.board_member, cast.partner_a):
        with pytest.raises(PermissionDenied):
            proceedings.record_motion(actor=user, meeting=bs.held, text="x", votes={})


def test_the_chair_is_a_board_admin(cast, bs):
    from accountability import rules

    assert not rules.is_board_admin(cast.board_member)
    bs.seats[0].is_chair = True
    bs.seats[0].save()
    assert rules.is_board_admin(cast.board_member)


def test_attendance_only_for_members_seated_that_day(cast, bs):
    from accountability.models import Term

    outsider = Term(pk=999_999)
    with pytest.raises(ValidationError, match="seated"):
        proceedings.record_attendance(actor=cast.admin, meeting=bs.held, present=[outsider])
    with pytest.raises(ValidationError, match="day of the meeting"):
        proceedings.record_attendance(actor=cast.admin, meeting=bs.upcoming, present=bs.terms)


def test_a_failed_motion_leaves_the_draft_a_draft(cast, bs):
    draft = actions.draft_recommendation(
        actor=cast.admin,
        board=bs.board,
        title="Heat plan",
        text="Publish a heat plan.",
        rationale="Heat kills.",
        addressed_to=cast.unit,
    )
    motion = proceedings.record_motion(
        actor=cast.admin,
        meeting=bs.held,
        text="Adopt the heat plan.",
        votes={t: "no" for t in bs.terms},
        adopts=draft,
    )
    draft.refresh_from_db()
    assert motion.result == "failed" and draft.status == "draft" and draft.motion is None
