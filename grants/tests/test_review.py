"""Review: conflicts before reading, assignment around conflicts, scoring within the scale,
and other reviewers' scores hidden until one's own is in."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grants import actions
from grants.models import Assignment
from grants.tests.conftest import client_for
from grants.tests.factories import make_application, score, to_review
from powershare.testing import make_user


@pytest.fixture
def panel(cast: Any, cycle: Any) -> dict[str, Any]:
    a = make_application(cycle, cast.partner_a, cast.org_a, title="A's project")
    b = make_application(cycle, cast.partner_b, cast.org_b, title="B's project")
    cycle = to_review(cast.admin, cycle)
    second = make_user("sol@example.net", name="Sol Second", is_reviewer=True)
    for person in (cast.reviewer, second, cast.analyst):
        actions.add_panel_member(actor=cast.admin, cycle=cycle, reviewer=person)
    return {"cycle": cycle, "a": a, "b": b, "second": second}


def declare(client: Any, application: Any, kind: str) -> Any:
    return client.post(
        reverse("grants:conflict", args=[application.pk]), {"kind": kind}, follow=True
    )


def test_a_conflicted_reviewer_never_sees_or_is_assigned_the_application(
    cast: Any, panel: dict[str, Any]
) -> None:
    rey = client_for(cast.reviewer)
    # Before declaring, the reviewer sees only the name and title, never the application.
    assert rey.get(panel["a"].get_absolute_url()).status_code == 404
    page = declare(rey, panel["a"], "employment").content.decode()
    assert "Conflict declared: you will not see or score A&#x27;s project." in page
    declare(rey, panel["b"], "none")
    for person in (panel["second"], cast.analyst):
        declare(client_for(person), panel["a"], "none")
        declare(client_for(person), panel["b"], "none")
    client_for(cast.admin).post(reverse("grants:assign", args=[panel["cycle"].pk]))
    assert not Assignment.objects.filter(application=panel["a"], reviewer=cast.reviewer).exists()
    assert Assignment.objects.filter(application=panel["b"], reviewer=cast.reviewer).exists()
    assert rey.get(panel["a"].get_absolute_url()).status_code == 404
    assert rey.get(reverse("grants:review", args=[panel["a"].pk])).status_code == 404
    assert rey.get(panel["b"].get_absolute_url()).status_code == 200


def test_an_infeasible_assignment_says_why(cast: Any, panel: dict[str, Any]) -> None:
    cycle = panel["cycle"]
    cycle.reviewers_per_application = 3
    cycle.save()
    declare(client_for(cast.reviewer), panel["a"], "family")
    response = client_for(cast.admin).post(reverse("grants:assign", args=[cycle.pk]), follow=True)
    assert (
        "Assignment is not possible: Not enough reviewers without a conflict for: A&#x27;s project"
        in response.content.decode()
    )
    assert not Assignment.objects.exists()


def test_scores_outside_the_scale_are_refused(cast: Any, panel: dict[str, Any]) -> None:
    rey = client_for(cast.reviewer)
    declare(rey, panel["a"], "none")
    actions.run_assignment(actor=cast.admin, cycle=panel["cycle"])
    if not Assignment.objects.filter(application=panel["a"], reviewer=cast.reviewer).exists():
        Assignment.objects.create(application=panel["a"], reviewer=cast.reviewer)
    need, plan = panel["cycle"].criteria.all()
    response = rey.post(
        reverse("grants:review", args=[panel["a"].pk]),
        {f"score_{need.pk}": "9", f"score_{plan.pk}": "3", "submit": "1"},
    )
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 5" in response.content.decode()
    with pytest.raises(ValidationError, match="scored from 1 to 5"):
        actions.save_review(
            actor=cast.reviewer, application=panel["a"], scores={need.pk: (0, ""), plan.pk: (3, "")}
        )
    assert not panel["a"].reviews.filter(submitted_at__isnull=False).exists()


def test_others_scores_stay_hidden_until_the_reviewer_submits(
    cast: Any, panel: dict[str, Any]
) -> None:
    a = panel["a"]
    for person in (cast.reviewer, panel["second"]):
        actions.declare_conflict(actor=person, application=a, kind="none")
        Assignment.objects.create(application=a, reviewer=person)
    score(panel["second"], a, [5, 5])
    rey = client_for(cast.reviewer)
    assert "Reviewers' scores" not in rey.get(a.get_absolute_url()).content.decode()
    need, plan = panel["cycle"].criteria.all()
    rey.post(
        reverse("grants:review", args=[a.pk]),
        {
            f"score_{need.pk}": "2",
            f"comment_{need.pk}": "Unclear need",
            f"score_{plan.pk}": "3",
            "submit": "1",
        },
    )
    page = rey.get(a.get_absolute_url()).content.decode()
    assert "Reviewers' scores" in page
    assert "Unclear need" in page and "5 / 5" in page


def test_a_declared_conflict_cannot_be_undone_once_scores_exist(
    cast: Any, panel: dict[str, Any]
) -> None:
    a = panel["a"]
    actions.declare_conflict(actor=cast.reviewer, application=a, kind="family")
    actions.declare_conflict(actor=panel["second"], application=a, kind="none")
    Assignment.objects.create(application=a, reviewer=panel["second"])
    score(panel["second"], a, [4, 4])
    page = declare(client_for(cast.reviewer), a, "none").content.decode()
    assert "the conflict stands" in page
    assert a.conflicts.get(reviewer=cast.reviewer).has_conflict


def test_a_finished_reviewer_sees_the_ranking_but_not_applications_they_are_conflicted_on(
    cast: Any, panel: dict[str, Any]
) -> None:
    a, b = panel["a"], panel["b"]
    actions.declare_conflict(actor=cast.reviewer, application=a, kind="membership")
    actions.declare_conflict(actor=cast.reviewer, application=b, kind="none")
    actions.declare_conflict(actor=panel["second"], application=a, kind="none")
    Assignment.objects.create(application=b, reviewer=cast.reviewer)
    Assignment.objects.create(application=a, reviewer=panel["second"])
    url = reverse("grants:ranking", args=[panel["cycle"].pk])
    assert client_for(cast.reviewer).get(url).status_code == 403
    score(cast.reviewer, b, [3, 3])
    score(panel["second"], a, [5, 4])
    page = client_for(cast.reviewer).get(url).content.decode()
    assert "B&#x27;s project" in page and "A&#x27;s project" not in page
    assert "A&#x27;s project" in client_for(cast.admin).get(url).content.decode()
