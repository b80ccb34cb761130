"""The department's responses and commitments, and the rules of the issue: no published
response without a rationale; a published recommendation is withdrawn, never deleted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accountability import actions, proceedings, queries
from accountability.models import Recommendation, RecommendationEvent, Response
from accountability.tests.factories import adopt


def test_a_response_cannot_be_published_without_a_rationale(cast, bs):
    rec = adopt(cast, bs)
    with pytest.raises(ValidationError, match="without a rationale"):
        actions.respond(actor=cast.liaison, recommendation=rec, decision="accept", rationale="  ")
    assert not Response.objects.exists()
    rec.refresh_from_db()
    assert rec.status == "awaiting" and rec.first_response is None

    draft = actions.respond(
        actor=cast.liaison, recommendation=rec, decision="accept", rationale="", publish=False
    )
    rec.refresh_from_db()
    assert rec.status == "awaiting", "a draft changes nothing in public"
    with pytest.raises(ValidationError, match="without a rationale"):
        actions.publish_response(actor=cast.liaison, response=draft)
    actions.publish_response(actor=cast.liaison, response=draft, rationale="We can do it.")
    rec.refresh_from_db()
    assert rec.status == "accepted" and rec.first_response is not None


def test_the_database_refuses_a_published_response_without_rationale(cast, bs):
    rec = adopt(cast, bs)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            recommendation=rec, decision="decline", rationale="", published=timezone.now()
        )


def test_under_study_then_accept_in_part_then_commitments_until_implemented(cast, bs):
    rec = adopt(cast, bs)
    actions.respond(
        actor=cast.liaison,
        recommendation=rec,
        decision="under_study",
        rationale="Counsel reviews it.",
    )
    rec.refresh_from_db()
    first = rec.first_response
    assert rec.status == "under_study" and queries.timing_of(rec) == "on_time"

    with pytest.raises(ValidationError, match="Commitments follow"):
        actions.add_commitment(
            actor=cast.liaison,
            recommendation=rec,
            description="x",
            owner=cast.liaison,
            due=timezone.localdate(),
        )
    actions.respond(
        actor=cast.liaison,
        recommendation=rec,
        decision="partial",
        rationale="Evenings yes; weekends no.",
    )
    rec.refresh_from_db()
    assert rec.status == "partial" and rec.first_response == first, (
        "the first answer stops the clock"
    )

    due = timezone.localdate() + timedelta(days=30)
    one = actions.add_commitment(
        actor=cast.liaison,
        recommendation=rec,
        description="Open until 10 p.m.",
        owner=cast.analyst,
        due=due,
    )
    two = actions.add_commitment(
        actor=cast.liaison,
        recommendation=rec,
        description="Post the hours",
        owner=cast.liaison,
        due=due,
    )
    with pytest.raises(ValidationError, match="active department staff"):
        actions.add_commitment(
            actor=cast.liaison, recommendation=rec, description="x", owner=cast.partner_a, due=due
        )
    actions.update_commitment(
        actor=cast.analyst, commitment=one, status="done", note="Open late since June."
    )
    rec.refresh_from_db()
    assert rec.status == "partial"
    actions.update_commitment(actor=cast.liaison, commitment=two, status="done", note="Posted.")
    rec.refresh_from_db()
    assert rec.status == "implemented"
    kinds = list(rec.events.values_list("kind", flat=True))
    assert kinds[-1] == "implemented" and kinds.count("update") == 2
    with pytest.raises(ValidationError, match="takes no new response"):
        actions.respond(actor=cast.liaison, recommendation=rec, decision="decline", rationale="No.")


def test_only_staff_respond(cast, bs):
    rec = adopt(cast, bs)
    for user in (cast.board_member, cast.partner_a, cast.reviewer):
        with pytest.raises(PermissionDenied):
            actions.respond(actor=user, recommendation=rec, decision="accept", rationale="Yes")


def test_a_published_recommendation_is_never_deleted_only_withdrawn(cast, bs):
    rec = adopt(cast, bs)
    with pytest.raises(ValidationError, match="cannot be deleted"):
        actions.delete_recommendation(actor=cast.admin, recommendation=rec)
    with pytest.raises(ValidationError):
        rec.delete()
    with pytest.raises(ValidationError):
        Recommendation.objects.filter(pk=rec.pk).delete()
    assert Recommendation.objects.filter(pk=rec.pk).exists()

    with pytest.raises(ValidationError, match="Say why"):
        actions.withdraw_recommendation(actor=cast.admin, recommendation=rec, reason=" ")
    actions.withdraw_recommendation(
        actor=cast.admin, recommendation=rec, reason="Adopted in the grant rules."
    )
    rec.refresh_from_db()
    assert rec.status == "withdrawn"
    event = rec.events.get(kind=RecommendationEvent.Kind.WITHDRAWN)
    assert event.note == "Adopted in the grant rules."
    with pytest.raises(IntegrityError), transaction.atomic():
        RecommendationEvent.objects.create(recommendation=rec, kind="withdrawn", note="")


def test_a_draft_can_be_deleted(cast, bs):
    draft = actions.draft_recommendation(
        actor=cast.admin, board=bs.board, title="T", text="x", rationale="y", addressed_to=cast.unit
    )
    actions.delete_recommendation(actor=cast.admin, recommendation=draft)
    assert not Recommendation.objects.filter(pk=draft.pk).exists()


def test_pages_refuse_bad_input_with_a_message_and_save_nothing(cast, bs, as_user):
    rec = adopt(cast, bs)
    client = as_user(cast.liaison)
    response = client.post(
        f"/board/recommendations/{rec.pk}/respond/", {"decision": "partial", "rationale": ""}
    )
    assert response.status_code == 400
    assert "A response cannot be published without a rationale." in response.content.decode()
    assert not Response.objects.exists()

    client = as_user(cast.admin)
    response = client.post(f"/board/recommendations/{rec.pk}/delete/", follow=True)
    assert "cannot be deleted" in response.content.decode()
    response = client.post(f"/board/recommendations/{rec.pk}/withdraw/", {"reason": ""})
    assert response.status_code == 400
    rec.refresh_from_db()
    assert rec.status == "awaiting"


def test_the_motion_page_refuses_a_vote_without_quorum(cast, bs, as_user):
    from accountability.models import Motion

    meeting = proceedings.schedule_meeting(
        actor=cast.admin,
        board=bs.board,
        title="Thin",
        starts=bs.held.starts,
        ends=bs.held.ends,
        location="R",
    )
    proceedings.record_attendance(actor=cast.admin, meeting=meeting, present=bs.terms[:1])
    client = as_user(cast.admin)
    data = {"text": "Adopt", "adopts": "", f"vote_{bs.terms[0].pk}": "yes"}
    response = client.post(f"/board/meetings/{meeting.pk}/motions/new/", data)
    assert response.status_code == 400
    assert "There is no quorum" in response.content.decode()
    assert not Motion.objects.filter(meeting=meeting).exists()
    response = client.post(f"/board/meetings/{meeting.pk}/motions/new/", {**data, "informal": "on"})
    assert response.status_code == 302
    assert Motion.objects.get(meeting=meeting).informal
