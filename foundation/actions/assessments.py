"""Assessments: instruments written as an outline of domains and questions, revised as new
versions; rounds opened and closed; answers, logged without who gave them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from foundation.models import Answer, Domain, Instrument, Question, Response, Round
from powershare.audit.log import diff, record, snapshot

MAX_SCALE = 10


Outline = list[tuple[str, list[str]]]


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
