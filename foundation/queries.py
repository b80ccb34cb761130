"""Reads of the internal foundation: assessment results (only ever in aggregate), the risk
heat map, resources with what is committed, and classified support."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from foundation.models import (
    MIN_RESPONDENTS,
    Activity,
    Answer,
    AskClassification,
    Commitment,
    Instrument,
    Resource,
    Response,
    Risk,
    Round,
)
from support.models import Ask

# Assessment results --------------------------------------------------------------------------


@dataclass
class Stat:
    """A mean with its spread (standard deviation across respondents) and how many answered."""

    title: str
    mean: float
    sd: float | None
    n: int
    questions: list[Stat] = field(default_factory=list)


@dataclass
class RoundResults:
    round: Round
    respondents: int
    domains: list[Stat]
    # Per-question figures need more respondents than domain figures do.
    show_questions: bool


def _stat(title: str, values: list[float]) -> Stat:
    sd = statistics.stdev(values) if len(values) > 1 else None
    return Stat(
        title=title,
        mean=round(statistics.fmean(values), 2),
        sd=round(sd, 2) if sd is not None else None,
        n=len(values),
    )


def respondent_count(round: Round) -> int:
    """How many staff answered the round (a count names no one)."""
    return Response.objects.filter(round=round).count()


def round_results(round: Round) -> RoundResults | None:
    """Results by domain, averaged across respondents with their spread.

    None unless the round is closed and at least ``MIN_RESPONDENTS`` answered: while a round is
    open, comparing results before and after one more response would reveal that response."""
    n = respondent_count(round)
    if not round.is_closed or n < MIN_RESPONDENTS:
        return None
    # Answers by respondent, keyed by an anonymous number; no user id leaves this function.
    by_response: dict[int, dict[int, int]] = defaultdict(dict)
    for response_id, question_id, value in Answer.objects.filter(response__round=round).values_list(
        "response_id", "question_id", "value"
    ):
        by_response[response_id][question_id] = value
    domains = []
    for domain in round.instrument.domains.prefetch_related("questions"):
        questions = list(domain.questions.all())
        per_respondent = []
        question_stats = []
        for question in questions:
            values = [
                answers[question.pk] for answers in by_response.values() if question.pk in answers
            ]
            if values:
                question_stats.append(_stat(question.text, [float(v) for v in values]))
        for answers in by_response.values():
            mine = [answers[q.pk] for q in questions if q.pk in answers]
            if mine:
                per_respondent.append(statistics.fmean(mine))
        if per_respondent:
            stat = _stat(domain.title, per_respondent)
            stat.questions = question_stats
            domains.append(stat)
    return RoundResults(
        round=round, respondents=n, domains=domains, show_questions=n >= MIN_RESPONDENTS
    )


def family_rounds(instrument: Instrument) -> QuerySet[Round]:
    """Every round of every version of the instrument's family, oldest first."""
    return (
        Round.objects.filter(instrument__family=instrument.family)
        .select_related("instrument")
        .order_by("opens", "pk")
    )


@dataclass
class Trend:
    """Domain means round over round, for the chart and its table twin."""

    rounds: list[Round]
    domains: list[str]
    # values[domain][i] is the domain mean in rounds[i], or None (suppressed, or not asked).
    values: dict[str, list[float | None]]
    respondents: list[int]


def trend(instrument: Instrument) -> Trend:
    """Round-over-round results of the family; domains are matched across versions by name."""
    rounds = [r for r in family_rounds(instrument) if r.is_closed]
    results = [round_results(r) for r in rounds]
    names: list[str] = []
    for result in results:
        for stat in result.domains if result else []:
            if stat.title not in names:
                names.append(stat.title)
    values: dict[str, list[float | None]] = {name: [] for name in names}
    for result in results:
        means = {s.title: s.mean for s in result.domains} if result else {}
        for name in names:
            values[name].append(means.get(name))
    return Trend(
        rounds=rounds,
        domains=names,
        values=values,
        respondents=[respondent_count(r) for r in rounds],
    )


# Bars of the round-over-round chart: geometry in user units of the SVG's viewBox.
CHART_LABEL_WIDTH = 260
CHART_BAR_WIDTH = 360
CHART_BAR_HEIGHT = 16
CHART_GAP = 6
# Shades told apart by a pattern of lightness, and each bar is labelled with its round too.
CHART_FILLS = ["#162e51", "#005ea2", "#73b3e7", "#aacdec", "#d9e8f6"]


def trend_chart(data: Trend, scale_max: int) -> dict[str, Any]:
    """The bars of a horizontal grouped bar chart: per domain, one bar per round."""
    rows = []
    y = 24
    for name in data.domains:
        bars: list[dict[str, Any]] = []
        group = {"title": name, "y": y + 12, "bars": bars}
        y += 18
        for i, value in enumerate(data.values[name]):
            if value is None:
                continue
            bars.append(
                {
                    "round": data.rounds[i].title,
                    "value": value,
                    "y": y,
                    "width": round(CHART_BAR_WIDTH * value / scale_max, 1),
                    "text_y": y + CHART_BAR_HEIGHT - 4,
                    "fill": CHART_FILLS[i % len(CHART_FILLS)],
                    "dark": i % len(CHART_FILLS) < 2,
                }
            )
            y += CHART_BAR_HEIGHT + CHART_GAP
        y += 10
        rows.append(group)
    ticks = [
        {"value": n, "x": CHART_LABEL_WIDTH + round(CHART_BAR_WIDTH * n / scale_max, 1)}
        for n in range(0, scale_max + 1)
    ]
    return {
        "groups": rows,
        "height": y + 24,
        "width": CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 60,
        "left": CHART_LABEL_WIDTH,
        "ticks": ticks,
        "axis_y": y,
    }


def my_response(round: Round, user: Any) -> Response | None:
    """The signed-in user's own response to a round, if they answered."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Response.objects.filter(round=round, respondent=user).first()


def my_answers(response: Response) -> list[tuple[str, list[tuple[str, int, str]]]]:
    """Domain by domain, each question with the value and label the respondent chose."""
    labels = response.round.instrument.scale_labels
    values = dict(response.answers.values_list("question_id", "value"))
    result = []
    for domain in response.round.instrument.domains.prefetch_related("questions"):
        rows = [
            (q.text, values[q.pk], labels[values[q.pk] - 1] if values[q.pk] <= len(labels) else "")
            for q in domain.questions.all()
            if q.pk in values
        ]
        result.append((domain.title, rows))
    return result


def answered_round_ids(user: Any) -> set[int]:
    """Rounds the user answered, to tell them which are left (about themselves only)."""
    return set(Response.objects.filter(respondent=user).values_list("round_id", flat=True))


# Risk register --------------------------------------------------------------------------------


def search_risks(params: Mapping[str, Any]) -> QuerySet[Risk]:
    """Risks narrowed by text, category, status and owner; unknown values are ignored."""
    risks = Risk.objects.select_related("owner")
    text = str(params.get("q") or "").strip()[:200]
    if text:
        risks = risks.filter(
            Q(title__icontains=text)
            | Q(description__icontains=text)
            | Q(mitigations__icontains=text)
        )
    if params.get("category") in Risk.Category.values:
        risks = risks.filter(category=params["category"])
    status = params.get("status")
    if status in Risk.Status.values:
        risks = risks.filter(status=status)
    elif status != "all":
        risks = risks.exclude(status=Risk.Status.CLOSED)
    owner = str(params.get("owner") or "")
    if owner.isdigit():
        risks = risks.filter(owner_id=int(owner))
    return risks


def heat_map(risks: QuerySet[Risk]) -> list[dict[str, Any]]:
    """A 5 × 5 matrix, impact across and likelihood down (5 at the top), with the risks in each cell."""
    cells: dict[tuple[int, int], list[Risk]] = defaultdict(list)
    for risk in risks:
        cells[(risk.likelihood, risk.impact)].append(risk)
    rows = []
    for likelihood in range(5, 0, -1):
        row = []
        for impact in range(1, 6):
            score = likelihood * impact
            level = "high" if score >= 15 else "medium" if score >= 8 else "low"
            row.append({"impact": impact, "risks": cells[(likelihood, impact)], "level": level})
        rows.append({"likelihood": likelihood, "cells": row})
    return rows


# Resources ------------------------------------------------------------------------------------


def resources_with_totals() -> QuerySet[Resource]:
    """Resources annotated with ``committed_total``; ``available`` is amount minus that."""
    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))
    resources = Resource.objects.annotate(
        committed_total=Coalesce(Sum("commitments__amount"), zero)
    )
    return resources.annotate(
        available_total=ExpressionWrapper(
            F("amount") - F("committed_total"),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )
    )


def commitments_for(resource: Resource, user: Any) -> list[tuple[Commitment, Ask | None]]:
    """A resource's commitments, each with its ask only where ``user`` may read the ask."""
    visible = set(Ask.objects.visible_to(user).values_list("pk", flat=True))
    return [
        (c, c.ask if c.ask_id in visible else None)
        for c in resource.commitments.select_related("ask")
    ]


def current_classification(ask: Ask) -> AskClassification | None:
    """The newest classification of the ask."""
    return ask.compliance_classifications.select_related("resource", "classified_by").first()


def classifications(user: Any, params: Mapping[str, Any]) -> QuerySet[AskClassification]:
    """Current classifications of asks ``user`` may read, narrowed by activity and resource."""
    asks = Ask.objects.visible_to(user)
    latest = AskClassification.objects.filter(ask__in=asks).order_by("ask_id", "-at", "-pk")
    ids: dict[int, int] = {}
    for pk, ask_id in latest.values_list("pk", "ask_id"):
        ids.setdefault(ask_id, pk)
    result = AskClassification.objects.filter(pk__in=ids.values()).select_related(
        "ask", "ask__organization", "resource", "classified_by"
    )
    activity = params.get("activity")
    if activity in Activity.values:
        result = result.filter(activity=activity)
    resource = str(params.get("resource") or "")
    if resource.isdigit():
        result = result.filter(resource_id=int(resource))
    return result.order_by("-at", "-pk")


def unclassified_asks(user: Any) -> QuerySet[Ask]:
    """Open asks of the kinds that need a classification and have none yet."""
    return (
        Ask.objects.visible_to(user)
        .open()
        .filter(kind__in=AskClassification.ASK_KINDS, compliance_classifications__isnull=True)
        .select_related("organization")
        .order_by("needed_by", "-created")
    )
