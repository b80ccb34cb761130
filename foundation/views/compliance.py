"""The compliance check on support: how each ask's support is classified, listed and exported,
and classifying an ask."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from foundation import actions, queries
from foundation.forms import ClassificationFilterForm, ClassificationForm
from powershare.decorators import department_required
from powershare.exports import csv_response
from powershare.forms import apply_action_errors
from powershare.pagination import paginate, query_without_page
from powershare.visibility import get_visible_or_404
from support.models import Ask


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
