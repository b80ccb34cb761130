"""Pages of the internal foundation: assessments, the risk register, resources and the
compliance check on support. Department staff only; thin: parse, check, call, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from foundation import actions, queries
from foundation.forms import (
    AnswerForm,
    ClassificationFilterForm,
    ClassificationForm,
    CommitmentForm,
    InstrumentForm,
    ResourceFilterForm,
    ResourceForm,
    RiskFilterForm,
    RiskForm,
    RoundForm,
)
from foundation.models import MIN_RESPONDENTS, Commitment, Instrument, Resource, Risk, Round
from powershare.audit.models import AuditEvent
from powershare.decorators import department_admin_required, department_required
from powershare.exports import csv_response
from powershare.forms import apply_action_errors
from powershare.pagination import paginate, query_without_page
from powershare.visibility import get_visible_or_404
from support.models import Ask


def _history(record: Any) -> Any:
    return AuditEvent.objects.filter(
        record_type=record._meta.label_lower, record_id=str(record.pk)
    ).select_related("actor")[:50]


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


# Instruments ---------------------------------------------------------------------------------


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


# Rounds --------------------------------------------------------------------------------------


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


# Risk register ---------------------------------------------------------------------------------


@department_required
def risk_list(request: HttpRequest) -> HttpResponse:
    form = RiskFilterForm(request.GET)
    risks = queries.search_risks(form.filters())
    page = paginate(request, risks)
    context = {
        "form": form,
        "page": page,
        "risks": page.object_list,
        "query": query_without_page(request),
        "heat_map": queries.heat_map(risks),
    }
    return render(request, "foundation/risk_list.html", context)


@department_required
def risk_export(request: HttpRequest) -> HttpResponse:
    filters = RiskFilterForm(request.GET).filters()
    header = [
        _("Title"),
        _("Category"),
        _("Likelihood"),
        _("Impact"),
        _("Score"),
        _("Status"),
        _("Owner"),
        _("Next review"),
        _("Mitigations"),
        _("Campaigns"),
    ]
    from partners.models import Campaign

    visible = set(Campaign.objects.visible_to(request.user).values_list("pk", flat=True))
    rows = (
        [
            r.title,
            r.get_category_display(),
            r.likelihood,
            r.impact,
            r.score,
            r.get_status_display(),
            str(r.owner or ""),
            r.review_date or "",
            r.mitigations,
            "; ".join(c.title for c in r.campaigns.all() if c.pk in visible),
        ]
        for r in queries.search_risks(filters).prefetch_related("campaigns")
    )
    return csv_response("risks.csv", header, rows)


def _risk_links(user: Any, risk: Risk) -> dict[str, Any]:
    from partners.models import Campaign

    campaigns = Campaign.objects.visible_to(user).filter(pk__in=risk.campaigns.values("pk"))
    return {"campaigns": campaigns, "hidden_campaigns": risk.campaigns.count() - campaigns.count()}


@department_required
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_object_or_404(Risk.objects.select_related("owner"), pk=pk)
    context = {
        "risk": risk,
        "partnerships": risk.partnerships.select_related("cpbo", "unit"),
        "history": _history(risk),
        **_risk_links(request.user, risk),
    }
    return render(request, "foundation/risk_detail.html", context)


def _risk_form(request: HttpRequest, risk: Risk | None) -> HttpResponse:
    form = RiskForm(request.POST or None, instance=risk, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        campaigns = list(data.pop("campaigns"))
        if risk:
            # Links to campaigns the editor cannot see are kept, not silently dropped.
            from partners.models import Campaign

            unseen = risk.campaigns.exclude(
                pk__in=Campaign.objects.visible_to(request.user).values("pk")
            )
            campaigns += list(unseen)
        m2m = {"campaigns": campaigns, "partnerships": list(data.pop("partnerships"))}
        try:
            if risk:
                saved = actions.update_risk(
                    actor=request.user, risk=Risk.objects.get(pk=risk.pk), m2m=m2m, **data
                )
            else:
                saved = actions.create_risk(actor=request.user, m2m=m2m, **data)
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Risk saved."))
            return redirect(saved)
    return render(
        request,
        "foundation/risk_form.html",
        {"form": form, "risk": risk},
        status=400 if form.errors else 200,
    )


@department_required
def risk_new(request: HttpRequest) -> HttpResponse:
    return _risk_form(request, None)


@department_required
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _risk_form(request, get_object_or_404(Risk, pk=pk))


@department_admin_required
def risk_delete(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_object_or_404(Risk, pk=pk)
    if request.method == "POST":
        actions.delete_risk(actor=request.user, risk=risk)
        messages.success(request, _("Risk deleted."))
        return redirect("foundation:risks")
    return render(request, "partners/confirm_delete.html", {"record": risk})


# Resources -------------------------------------------------------------------------------------


@department_required
def resource_list(request: HttpRequest) -> HttpResponse:
    resources = queries.resources_with_totals()
    filters = ResourceFilterForm(request.GET).filters()
    kind = filters.get("kind")
    if kind:
        resources = resources.filter(kind=kind)
    if not filters.get("inactive"):
        resources = resources.filter(active=True)
    return render(
        request,
        "foundation/resource_list.html",
        {
            "resources": resources,
            "kinds": Resource.Kind.choices,
            "kind": kind,
            "query": request.GET.urlencode(),
        },
    )


@department_required
def resource_export(request: HttpRequest) -> HttpResponse:
    header = [
        _("Name"),
        _("Kind"),
        _("Source or funder"),
        _("Amount available"),
        _("Committed"),
        _("Still available"),
        _("Unit"),
        _("Period starts"),
        _("Period ends"),
        _("May not pay for lobbying"),
        _("Hatch Act coverage"),
        _("Restrictions"),
        pgettext("resource is in use", "Active"),
    ]
    rows = (
        [
            r.name,
            r.get_kind_display(),
            r.source,
            r.amount,
            r.committed_total,
            r.available_total,
            r.unit,
            r.period_start or "",
            r.period_end or "",
            _("yes") if r.bars_lobbying else _("no"),
            _("yes") if r.hatch_act else _("no"),
            r.restrictions,
            _("yes") if r.active else _("no"),
        ]
        for r in queries.resources_with_totals()
    )
    return csv_response("resources.csv", header, rows)


@department_required
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_object_or_404(queries.resources_with_totals(), pk=pk)
    context = {
        "resource": resource,
        "available": resource.available_total,
        "commitments": queries.commitments_for(resource, request.user),
        "classifications": resource.classifications.filter(
            ask__in=Ask.objects.visible_to(request.user)
        ).select_related("ask")[:50],
        "history": _history(resource),
    }
    return render(request, "foundation/resource_detail.html", context)


def _resource_form(request: HttpRequest, resource: Resource | None) -> HttpResponse:
    form = ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        try:
            if resource:
                saved = actions.update_resource(
                    actor=request.user,
                    resource=Resource.objects.get(pk=resource.pk),
                    **form.cleaned_data,
                )
            else:
                saved = actions.create_resource(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Resource saved."))
            return redirect(saved)
    return render(
        request,
        "foundation/resource_form.html",
        {"form": form, "resource": resource},
        status=400 if form.errors else 200,
    )


@department_admin_required
def resource_new(request: HttpRequest) -> HttpResponse:
    return _resource_form(request, None)


@department_admin_required
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _resource_form(request, get_object_or_404(Resource, pk=pk))


@department_required
def commitment_new(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_object_or_404(Resource, pk=pk)
    asks = (
        Ask.objects.visible_to(request.user)
        .select_related("organization")
        .order_by("-created")[:200]
    )
    form = CommitmentForm(request.POST or None, asks=asks)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ask = (
            Ask.objects.visible_to(request.user).filter(pk=data["ask"]).first()
            if data["ask"]
            else None
        )
        try:
            actions.add_commitment(
                actor=request.user,
                resource=resource,
                amount=data["amount"],
                description=data["description"],
                ask=ask,
            )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Commitment recorded."))
            return redirect(resource)
    return render(
        request,
        "foundation/commitment_form.html",
        {"form": form, "resource": resource},
        status=400 if form.errors else 200,
    )


@department_admin_required
def commitment_delete(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    commitment = get_object_or_404(
        Commitment.objects.select_related("resource"), pk=commitment_pk, resource_id=pk
    )
    if request.method == "POST":
        actions.delete_commitment(actor=request.user, commitment=commitment)
        messages.success(request, _("Commitment released."))
        return redirect(commitment.resource)
    return render(request, "foundation/commitment_delete.html", {"commitment": commitment})


# Compliance check on support -------------------------------------------------------------------


@department_required
def compliance(request: HttpRequest) -> HttpResponse:
    form = ClassificationFilterForm(request.GET)
    items = queries.classifications(request.user, form.filters())
    page = paginate(request, items)
    context = {
        "form": form,
        "page": page,
        "items": page.object_list,
        "query": query_without_page(request),
        "unclassified": queries.unclassified_asks(request.user)[:50],
    }
    return render(request, "foundation/compliance.html", context)


@department_required
def compliance_export(request: HttpRequest) -> HttpResponse:
    filters = ClassificationFilterForm(request.GET).filters()
    header = [
        _("Ask"),
        _("Organization"),
        _("Kind of support"),
        _("Activity"),
        _("Resource"),
        _("Restricted-resource warning confirmed"),
        _("Classified by"),
        _("Classified on"),
        _("Note"),
    ]
    rows = (
        [
            c.ask.title,
            c.ask.organization.name,
            c.ask.get_kind_display(),
            c.get_activity_display(),
            c.resource.name if c.resource else "",
            _("yes") if c.lobbying_warning_acknowledged else _("no"),
            str(c.classified_by or ""),
            c.at.date(),
            c.note,
        ]
        for c in queries.classifications(request.user, filters)
    )
    return csv_response("support-classifications.csv", header, rows)


@department_required
def ask_classify(request: HttpRequest, ask_pk: int) -> HttpResponse:
    ask = get_visible_or_404(Ask.objects.select_related("organization"), request.user, pk=ask_pk)
    if not actions.needs_classification(ask):
        messages.info(
            request,
            _("Only asks for testimony, regulatory action, convening or funding are classified."),
        )
        return redirect(ask)
    form = ClassificationForm(request.POST or None)
    warning = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.classify_ask(
                actor=request.user,
                ask=ask,
                activity=data["activity"],
                resource=data["resource"],
                amount=data["amount"],
                note=data["note"],
                acknowledge_lobbying_warning=data["confirm_lobbying"],
            )
        except actions.LobbyingWarning as error:
            warning = " ".join(error.messages)
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("The support is classified and kept with the ask."))
            return redirect("foundation:ask_classify", ask_pk=ask.pk)
    context = {
        "ask": ask,
        "form": form,
        "warning": warning,
        "history": ask.compliance_classifications.select_related("resource", "classified_by"),
    }
    return render(
        request,
        "foundation/ask_classify.html",
        context,
        status=400 if (form.errors or warning) else 200,
    )
