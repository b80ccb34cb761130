"""Factories for the foundation's tests."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from foundation import actions
from foundation.models import Instrument, Question, Round
from powershare.testing import make_user


def readiness() -> Instrument:
    return Instrument.objects.get(family="readiness", version=1)


def make_round(
    instrument: Instrument | None = None,
    *,
    title: str = "Spring round",
    admin: Any = None,
    days_ago: int = 10,
) -> Round:
    instrument = instrument or readiness()
    today = timezone.localdate()
    return actions.open_round(
        actor=admin,
        instrument=instrument,
        title=title,
        opens=today - timedelta(days=days_ago),
        closes=today + timedelta(days=20),
    )


def answer_all(round: Round, user: Any, value: int | dict[str, int]) -> None:
    """``user`` answers every question with ``value`` (or per domain title)."""
    answers = {}
    for question in Question.objects.filter(domain__instrument=round.instrument).select_related(
        "domain"
    ):
        answers[question.pk] = value if isinstance(value, int) else value[question.domain.title]
    actions.submit_response(actor=user, round=round, answers=answers)


_seq = itertools.count(1)


def staff(n: int, prefix: str = "staff") -> list[Any]:
    return [
        make_user(f"{prefix}{next(_seq)}@health.example.gov", department_role="analyst")
        for _ in range(n)
    ]


def closed_round_with(
    values: list[int], *, title: str = "Spring round", admin: Any = None, opens: date | None = None
) -> Round:
    round_ = make_round(title=title, admin=admin)
    if opens:
        Round.objects.filter(pk=round_.pk).update(opens=opens)
        round_.refresh_from_db()
    for user, value in zip(
        staff(len(values), prefix=title.split()[0].lower()), values, strict=True
    ):
        answer_all(round_, user, value)
    actions.close_round(actor=admin, round=round_)
    return round_
