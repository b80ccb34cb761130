"""Every change of state in the internal foundation. Each runs in a transaction and writes the
audit log, except that answers to an assessment are logged without who gave them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from foundation.models import (
    Activity,
    Answer,
    AskClassification,
    Commitment,
    Domain,
    Instrument,
    Question,
    Resource,
    Response,
    Risk,
    Round,
)
from powershare.audit.log import diff, record, snapshot
from support.models import Ask

MAX_SCALE = 10
Outline = list[tuple[str, list[str]]]


class LobbyingWarning(ValidationError):
    """A resource that may not pay for lobbying was chosen for lobbying; confirm to go on."""


# Instruments ---------------------------------------------------------------------------------


def parse_outline(text: str) -> Outline:
    """Domains and questions from an outline: ``# Domain`` lines, each followed by its questions,
    one a line. Raises ValidationError naming the problem."""
    outline: Outline = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            title = line.lstrip("#").strip()
            if not title:
                raise ValidationError(
                    _("Line %(n)s: a domain needs a name after #.") % {"n": number}
                )
            if len(title) > 200:
                raise ValidationError(
                    _("Line %(n)s: a domain name is at most 200 characters.") % {"n": number}
                )
            outline.append((title, []))
            continue
        if not outline:
            raise ValidationError(
                _("Line %(n)s: start with a domain line beginning with #, then its questions.")
                % {"n": number}
            )
        if len(line) > 500:
            raise ValidationError(
                _("Line %(n)s: a question is at most 500 characters.") % {"n": number}
            )
        outline[-1][1].append(line)
    if not outline:
        raise ValidationError(
            _("Add at least one domain (a line starting with #) and its questions.")
        )
    for title, questions in outline:
        if not questions:
            raise ValidationError(
                _("The domain “%(domain)s” has no questions.") % {"domain": title}
            )
    titles = [title.casefold() for title, _questions in outline]
    if len(set(titles)) != len(titles):
        raise ValidationError(_("Each domain needs its own name; two have the same one."))
    return outline


def outline_of(instrument: Instrument) -> str:
    """The instrument's domains and questions as an editable outline."""
    lines = []
    for domain in instrument.domains.prefetch_related("questions"):
        lines.append(f"# {domain.title}")
        lines.extend(q.text for q in domain.questions.all())
        lines.append("")
    return "\n".join(lines).strip() + "\n"


def _check_scale(labels: list[str]) -> list[str]:
    labels = [label.strip() for label in labels if label.strip()]
    if not 2 <= len(labels) <= MAX_SCALE:
        raise ValidationError(
            _("A scale needs between 2 and %(max)s labelled points, one a line.")
            % {"max": MAX_SCALE}
        )
    return labels


def _fill(instrument: Instrument, outline: Outline) -> None:
    for d, (title, questions) in enumerate(outline):
        domain = Domain.objects.create(instrument=instrument, order=d, title=title)
        Question.objects.bulk_create(
            Question(domain=domain, order=q, text=text) for q, text in enumerate(questions)
        )


def _summary(instrument: Instrument) -> dict[str, Any]:
    return snapshot(
        instrument, ["family", "version", "kind", "title", "description", "scale_labels"]
    )


@transaction.atomic
def create_instrument(
    *,
    actor: User,
    kind: str,
    title: str,
    description: str,
    scale_labels: list[str],
    outline: Outline,
) -> Instrument:
    """A new assessment, version 1, under a short name made from its title."""
    base = slugify(title)[:50] or "assessment"
    family, n = base, 2
    while Instrument.objects.filter(family=family).exists():
        family, n = f"{base}-{n}", n + 1
    instrument = Instrument.objects.create(
        family=family,
        kind=kind,
        title=title,
        description=description,
        scale_labels=_check_scale(scale_labels),
        created_by=actor,
    )
    _fill(instrument, outline)
    record(actor=actor, event="instrument.created", target=instrument, changes=_summary(instrument))
    return instrument


@transaction.atomic
def revise_instrument(
    *,
    actor: User,
    instrument: Instrument,
    title: str,
    description: str,
    scale_labels: list[str],
    outline: Outline,
) -> Instrument:
    """Change an instrument. One that has answers is never changed: the change becomes the next
    version, so earlier rounds keep the questions they were answered on."""
    labels = _check_scale(scale_labels)
    if not instrument.is_latest():
        raise ValidationError(_("Only the latest version of an instrument can be edited."))
    if instrument.is_answered():
        revised = Instrument.objects.create(
            family=instrument.family,
            version=instrument.version + 1,
            kind=instrument.kind,
            title=title,
            description=description,
            scale_labels=labels,
            created_by=actor,
        )
        _fill(revised, outline)
        record(
            actor=actor,
            event="instrument.new_version",
            target=revised,
            changes={"previous": instrument.pk, **_summary(revised)},
        )
        return revised
    before = _summary(instrument)
    before_outline = outline_of(instrument)
    instrument.title, instrument.description, instrument.scale_labels = title, description, labels
    instrument.save()
    instrument.domains.all().delete()
    _fill(instrument, outline)
    changes: dict[str, Any] = diff(before, _summary(instrument))
    after_outline = outline_of(instrument)
    if after_outline != before_outline:
        changes["questions"] = [before_outline, after_outline]
    record(actor=actor, event="instrument.updated", target=instrument, changes=changes)
    return instrument


# Rounds and answers ---------------------------------------------------------------------------


@transaction.atomic
def open_round(
    *, actor: User, instrument: Instrument, title: str, opens: date, closes: date
) -> Round:
    """Open a round of an instrument for staff to answer between two dates."""
    if closes < opens:
        raise ValidationError({"closes": _("The round must close on or after the day it opens.")})
    round_ = Round.objects.create(
        instrument=instrument, title=title, opens=opens, closes=closes, created_by=actor
    )
    record(actor=actor, event="round.opened", target=round_, changes=snapshot(round_))
    return round_


@transaction.atomic
def close_round(*, actor: User, round: Round, at: Any = None) -> Round:
    """Close a round: no more answers; its results (if enough staff answered) appear."""
    if round.is_closed:
        raise ValidationError(_("This round is already closed."))
    round.closed_at = at or timezone.now()
    round.save(update_fields=["closed_at"])
    record(
        actor=actor,
        event="round.closed",
        target=round,
        changes={"responses": round.responses.count()},
    )
    return round


@transaction.atomic
def submit_response(
    *, actor: User, round: Round, answers: dict[int, int], on: date | None = None
) -> Response:
    """Record one staff member's answers to every question of the round, once.

    The audit log notes that a response came in, never whose it was or what it said."""
    if not actor.is_department:
        raise PermissionDenied
    if round.is_closed:
        raise ValidationError(_("This round is closed; it takes no more answers."))
    if round.opens > (on or timezone.localdate()):
        raise ValidationError(_("This round is not open yet."))
    questions = list(Question.objects.filter(domain__instrument=round.instrument_id))
    scale_max = round.instrument.scale_max
    missing = [q for q in questions if q.pk not in answers]
    if missing:
        raise ValidationError(
            ngettext(
                "Answer every question; %(n)s left unanswered.",
                "Answer every question; %(n)s left unanswered.",
                len(missing),
            )
            % {"n": len(missing)}
        )
    ids = {q.pk for q in questions}
    for question_id, value in answers.items():
        if question_id not in ids:
            raise ValidationError(_("An answer was for a question of another instrument."))
        if not 1 <= int(value) <= scale_max:
            raise ValidationError(
                _("Every answer must be on the scale, 1 to %(max)s.") % {"max": scale_max}
            )
    try:
        with transaction.atomic():
            response = Response.objects.create(
                round=round, respondent=actor, submitted_on=on or timezone.localdate()
            )
    except IntegrityError:
        raise ValidationError(_("You have already answered this round.")) from None
    Answer.objects.bulk_create(
        Answer(response=response, question_id=qid, value=int(value))
        for qid, value in answers.items()
    )
    record(actor=None, event="round.response_received", target=round, changes={})
    return response


# Risk register --------------------------------------------------------------------------------

RISK_FIELDS = [
    "title",
    "category",
    "description",
    "likelihood",
    "impact",
    "owner_id",
    "mitigations",
    "review_date",
    "status",
]


def _set_links(risk: Risk, m2m: dict[str, Any] | None) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name, values in (m2m or {}).items():
        manager = getattr(risk, name)
        old = sorted(manager.values_list("pk", flat=True))
        manager.set(values)
        new = sorted(manager.values_list("pk", flat=True))
        if old != new:
            changes[name] = [old, new]
    return changes


@transaction.atomic
def create_risk(
    *, actor: User, m2m: dict[str, Any] | None = None, at: Any = None, **fields: Any
) -> Risk:
    """Add a risk to the register, with the campaigns and partnerships it concerns."""
    risk = Risk(**fields)
    if at:
        risk.created = at
    risk.full_clean()
    risk.save()
    _set_links(risk, m2m)
    record(actor=actor, event="risk.created", target=risk, changes=snapshot(risk, RISK_FIELDS))
    return risk


@transaction.atomic
def update_risk(
    *, actor: User, risk: Risk, m2m: dict[str, Any] | None = None, **fields: Any
) -> Risk:
    """Change a risk (its rating, owner, mitigations, review date, links)."""
    before = snapshot(risk, RISK_FIELDS)
    for name, value in fields.items():
        setattr(risk, name, value)
    risk.full_clean()
    risk.save()
    changes: dict[str, Any] = diff(before, snapshot(risk, RISK_FIELDS))
    changes.update(_set_links(risk, m2m))
    if changes:
        record(actor=actor, event="risk.updated", target=risk, changes=changes)
    return risk


@transaction.atomic
def delete_risk(*, actor: User, risk: Risk) -> None:
    """Remove a risk; the audit log keeps what it was."""
    record(actor=actor, event="risk.deleted", target=risk, changes=snapshot(risk, RISK_FIELDS))
    risk.delete()


# Resources ------------------------------------------------------------------------------------

RESOURCE_FIELDS = [
    "kind",
    "name",
    "source",
    "description",
    "amount",
    "unit",
    "period_start",
    "period_end",
    "restrictions",
    "bars_lobbying",
    "hatch_act",
    "active",
]


@transaction.atomic
def create_resource(*, actor: User, **fields: Any) -> Resource:
    """Add a funding source, staff time or in-kind resource to the inventory."""
    resource = Resource(**fields)
    resource.full_clean()
    resource.save()
    record(
        actor=actor,
        event="resource.created",
        target=resource,
        changes=snapshot(resource, RESOURCE_FIELDS),
    )
    return resource


@transaction.atomic
def update_resource(*, actor: User, resource: Resource, **fields: Any) -> Resource:
    """Change a resource; its amount may not drop below what is already committed."""
    before = snapshot(resource, RESOURCE_FIELDS)
    for name, value in fields.items():
        setattr(resource, name, value)
    resource.full_clean()
    if resource.amount < resource.committed():
        raise ValidationError(
            {
                "amount": _("%(committed)s is already committed; the amount cannot be less.")
                % {"committed": resource.committed()}
            }
        )
    resource.save()
    changes = diff(before, snapshot(resource, RESOURCE_FIELDS))
    if changes:
        record(actor=actor, event="resource.updated", target=resource, changes=changes)
    return resource


@transaction.atomic
def add_commitment(
    *,
    actor: User,
    resource: Resource,
    amount: Decimal,
    description: str,
    ask: Ask | None = None,
    on: date | None = None,
) -> Commitment:
    """Commit part of a resource to an ask, a grant or anything described. Over-committing is
    refused: the page must never show more promised than there is."""
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    available = locked.amount - locked.committed()
    if amount > available:
        raise ValidationError(
            {
                "amount": _("Only %(available)s is still available from %(resource)s.")
                % {"available": available, "resource": locked.name}
            }
        )
    commitment = Commitment.objects.create(
        resource=locked,
        amount=amount,
        description=description,
        ask=ask,
        committed_on=on or timezone.localdate(),
        created_by=actor,
    )
    record(
        actor=actor,
        event="resource.committed",
        target=locked,
        changes={
            "commitment": snapshot(commitment, ["amount", "description", "ask_id", "committed_on"])
        },
    )
    return commitment


@transaction.atomic
def delete_commitment(*, actor: User, commitment: Commitment) -> None:
    """Release a commitment, making its amount available again."""
    record(
        actor=actor,
        event="resource.commitment_released",
        target=commitment.resource,
        changes={
            "commitment": snapshot(commitment, ["amount", "description", "ask_id", "committed_on"])
        },
    )
    commitment.delete()


# Compliance check on support ------------------------------------------------------------------


def needs_classification(ask: Ask) -> bool:
    """Asks for testimony, regulatory action, convening or funding must be classified."""
    return ask.kind in AskClassification.ASK_KINDS


@transaction.atomic
def classify_ask(
    *,
    actor: User,
    ask: Ask,
    activity: str,
    resource: Resource | None,
    amount: Decimal | None = None,
    note: str = "",
    acknowledge_lobbying_warning: bool = False,
    at: Any = None,
) -> AskClassification:
    """Classify the activity of supporting an ask and what pays for it.

    Partisan election activity is refused outright. Lobbying paid by a resource that may not pay
    for lobbying raises :class:`LobbyingWarning` unless the warning was acknowledged. With an
    amount, part of the resource is committed to the ask."""
    if not actor.is_department or not Ask.objects.visible_to(actor).filter(pk=ask.pk).exists():
        raise PermissionDenied
    if not needs_classification(ask):
        raise ValidationError(
            _("Only asks for testimony, regulatory action, convening or funding are classified.")
        )
    if activity == Activity.PARTISAN:
        raise ValidationError(
            {
                "activity": _(
                    "Partisan election activity cannot be recorded as department work. Staff may "
                    "not support it on work time or with department resources."
                )
            }
        )
    if activity not in Activity.values:
        raise ValidationError({"activity": _("Choose a kind of activity.")})
    warned = bool(resource and resource.bars_lobbying and activity == Activity.LOBBYING)
    if warned and not acknowledge_lobbying_warning:
        raise LobbyingWarning(
            _(
                "%(resource)s may not pay for lobbying, grassroots lobbying included. Choose "
                "another resource, or confirm that you have checked this with counsel."
            )
            % {"resource": resource.name if resource else ""}
        )
    commitment = None
    if amount:
        if resource is None:
            raise ValidationError({"amount": _("Choose the resource the amount comes from.")})
        commitment = add_commitment(
            actor=actor, resource=resource, amount=amount, description=ask.title, ask=ask
        )
    classification = AskClassification.objects.create(
        ask=ask,
        activity=activity,
        resource=resource,
        commitment=commitment,
        note=note,
        lobbying_warning_acknowledged=warned,
        classified_by=actor,
        at=at or timezone.now(),
    )
    record(
        actor=actor,
        event="ask.classified",
        target=ask,
        changes=snapshot(
            classification, ["activity", "resource_id", "note", "lobbying_warning_acknowledged"]
        ),
    )
    return classification
