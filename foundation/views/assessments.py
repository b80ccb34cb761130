"""The foundation's home page and its assessments: instruments (the questionnaires, in
versions), their rounds, answering a round and reading its results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from foundation import actions, queries
from foundation.forms import AnswerForm, InstrumentForm, RoundForm
from foundation.models import MIN_RESPONDENTS, Instrument, Risk, Round
from powershare.decorators import department_admin_required, department_required
from powershare.exports import csv_response
from powershare.forms import apply_action_errors


@department_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    rounds = Round.objects.filter(closed_at__isnull=True).select_related("instrument")
    answered = queries.answered_round_ids(user)
    risks = Risk.objects.exclude(status=Risk.Status.CLOSED)
    context = {
        "open_rounds": [(r, r.pk in answered) for r in rounds],
        "instruments": _latest_instruments(),
        "top_risks": sorted(risks, key=lambda r: (-r.score, r.title))[:5],
        "risk_count": risks.count(),
        "resources": queries.resources_with_totals().filter(active=True),
        "unclassified": queries.unclassified_asks(user)[:10],
    }
    return render(request, "foundation/index.html", context)


def _latest_instruments() -> list[Instrument]:
    latest: dict[str, Instrument] = {}
    for instrument in Instrument.objects.order_by("family", "-version"):
        latest.setdefault(instrument.family, instrument)
    return list(latest.values())


@department_required
def instrument_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "foundation/instrument_list.html",
        {"instruments": _latest_instruments(), "all_versions": Instrument.objects.all()},
    )


@department_required
def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = get_object_or_404(Instrument, pk=pk)
    trend = queries.trend(instrument)
    answered = queries.answered_round_ids(request.user)
    rounds = list(queries.family_rounds(instrument))
    context = {
        "instrument": instrument,
        "domains": instrument.domains.prefetch_related("questions"),
        "versions": Instrument.objects.filter(family=instrument.family),
        "rounds": [(r, r.pk in answered) for r in reversed(rounds)],
        "trend": trend,
        "trend_rows": [(name, trend.values[name]) for name in trend.domains],
        "chart": queries.trend_chart(trend, instrument.scale_max),
        "scale_max": instrument.scale_max,
        "min_respondents": MIN_RESPONDENTS,
    }
    return render(request, "foundation/instrument_detail.html", context)


@department_required
def instrument_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Results by round and domain: means, spread and counts only; never a respondent."""
    instrument = get_object_or_404(Instrument, pk=pk)
    header = [
        _("Round"),
        _("Version"),
        _("Closed"),
        _("Respondents"),
        _("Domain"),
        _("Question"),
        _("Mean"),
        _("Standard deviation"),
    ]
    rows = []
    for round_ in queries.family_rounds(instrument):
        results = queries.round_results(round_)
        if results is None:
            continue
        for domain in results.domains:
            base = [
                round_.title,
                round_.instrument.version,
                round_.closed_at.date() if round_.closed_at else "",
                results.respondents,
                domain.title,
            ]
            rows.append([*base, "", domain.mean, domain.sd if domain.sd is not None else ""])
            if results.show_questions:
                for question in domain.questions:
                    rows.append(
                        [
                            *base,
                            question.title,
                            question.mean,
                            question.sd if question.sd is not None else "",
                        ]
                    )
    return csv_response(f"{instrument.family}-results.csv", header, rows)


def _instrument_form(request: HttpRequest, instrument: Instrument | None) -> HttpResponse:
    initial = {}
    if instrument:
        initial = {
            "kind": instrument.kind,
            "title": instrument.title,
            "description": instrument.description,
            "scale_labels": "\n".join(instrument.scale_labels),
            "outline": actions.outline_of(instrument),
        }
    form = InstrumentForm(request.POST or None, initial=initial)
    if instrument:
        form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if instrument:
                saved = actions.revise_instrument(
                    actor=request.user,
                    instrument=instrument,
                    title=data["title"],
                    description=data["description"],
                    scale_labels=data["scale_labels"],
                    outline=data["outline"],
                )
            else:
                saved = actions.create_instrument(
                    actor=request.user,
                    kind=data["kind"],
                    title=data["title"],
                    description=data["description"],
                    scale_labels=data["scale_labels"],
                    outline=data["outline"],
                )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            if instrument and saved.pk != instrument.pk:
                messages.success(
                    request,
                    _("Saved as version %(n)s; earlier rounds keep their questions.")
                    % {"n": saved.version},
                )
            else:
                messages.success(request, _("Instrument saved."))
            return redirect(saved)
    status = 400 if form.errors else 200
    return render(
        request,
        "foundation/instrument_form.html",
        {
            "form": form,
            "instrument": instrument,
            "answered": bool(instrument and instrument.is_answered()),
        },
        status=status,
    )


@department_admin_required
def instrument_new(request: HttpRequest) -> HttpResponse:
    return _instrument_form(request, None)


@department_admin_required
def instrument_edit(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = get_object_or_404(Instrument, pk=pk)
    if not instrument.is_latest():
        messages.error(request, _("Only the latest version of an instrument can be edited."))
        return redirect(instrument)
    return _instrument_form(request, instrument)


@department_admin_required
def round_new(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = get_object_or_404(Instrument, pk=pk)
    if not instrument.is_latest():
        raise Http404
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = actions.open_round(
                actor=request.user, instrument=instrument, **form.cleaned_data
            )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Round opened. Staff can answer it now."))
            return redirect(round_)
    return render(
        request,
        "foundation/round_form.html",
        {"form": form, "instrument": instrument},
        status=400 if form.errors else 200,
    )


@department_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round.objects.select_related("instrument"), pk=pk)
    context = {
        "round": round_,
        "instrument": round_.instrument,
        "respondents": queries.respondent_count(round_),
        "results": queries.round_results(round_),
        "answered": queries.my_response(round_, request.user) is not None,
        "min_respondents": MIN_RESPONDENTS,
    }
    return render(request, "foundation/round_detail.html", context)


@department_required
def round_answer(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round.objects.select_related("instrument"), pk=pk)
    if queries.my_response(round_, request.user):
        messages.info(request, _("You have already answered this round."))
        return redirect("foundation:round_mine", pk=round_.pk)
    if not round_.is_open:
        messages.error(request, _("This round is not taking answers."))
        return redirect(round_)
    form = AnswerForm(request.POST or None, instrument=round_.instrument)
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_response(actor=request.user, round=round_, answers=form.answers())
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(
                request, _("Thank you. Your answers are saved; only you can see them.")
            )
            return redirect("foundation:round_mine", pk=round_.pk)
    return render(
        request,
        "foundation/round_answer.html",
        {"round": round_, "form": form},
        status=400 if form.errors else 200,
    )


@department_required
def round_mine(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed-in staff member's own answers; nobody else's are reachable."""
    round_ = get_object_or_404(Round.objects.select_related("instrument"), pk=pk)
    response = queries.my_response(round_, request.user)
    answers = queries.my_answers(response) if response else []
    return render(
        request,
        "foundation/round_mine.html",
        {"round": round_, "response": response, "answers": answers},
    )


@department_admin_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    try:
        actions.close_round(actor=request.user, round=round_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Round closed."))
    return redirect(round_)
