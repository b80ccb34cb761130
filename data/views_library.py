"""The evidence library, data-sharing agreements and data requests."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from data import actions, exports, present, queries, rules
from data.forms import (
    AgreementForm,
    AnswerRequestForm,
    DataRequestForm,
    EvidenceFilterForm,
    EvidenceForm,
    QueryForm,
)
from data.models import DataAgreement, EvidenceItem, EvidenceKind, PolicySetting
from partners.models import IssueArea, Organization
from powershare.decorators import department_required
from powershare.filters import IdField, read_param
from powershare.pagination import paginate, query_without_page
from powershare.visibility import (
    DISCLOSURE_NOTICE,
    can_edit,
    get_editable_or_403,
    get_visible_or_404,
)
from support.models import Ask
from support.rules import can_answer

# -- evidence ---------------------------------------------------------------------------------


def evidence_list(request: HttpRequest) -> HttpResponse:
    filters = EvidenceFilterForm(request.GET).filters()
    q, issue_area, kind = (filters.get(k, "") for k in ("q", "issue_area", "kind"))
    items = queries.search_evidence(request.user, q=q, issue_area=issue_area, kind=kind)
    page = paginate(request, items)
    context = {
        "page": page,
        "items": page.object_list,
        "query": query_without_page(request),
        "q": q,
        "issue_area": issue_area,
        "kind": kind,
        "issue_areas": IssueArea.choices,
        "kinds": EvidenceKind.choices,
    }
    return render(request, "data/evidence_list.html", context)


def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_visible_or_404(
        EvidenceItem.objects.select_related("organization"), request.user, pk=pk
    )
    from partners.models import Campaign

    context = {
        "item": item,
        "campaigns": Campaign.objects.visible_to(request.user).filter(evidence_items=item),
        "asks": Ask.objects.visible_to(request.user).filter(evidence_items=item),
        "can_edit": can_edit(request.user, item),
    }
    return render(request, "data/evidence_detail.html", context)


def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    item = get_visible_or_404(EvidenceItem.objects.all(), request.user, pk=pk)
    if not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=item.file.name.rsplit("/", 1)[-1])


def _evidence_fields(form: EvidenceForm) -> dict[str, Any]:
    fields = dict(form.cleaned_data)
    fields["campaigns"] = list(fields.pop("campaigns", []))
    fields["asks"] = list(fields.pop("asks", []))
    return fields


@login_required
def evidence_new(request: HttpRequest) -> HttpResponse:
    """Add evidence; ``?campaign=`` or ``?ask=`` (from that page) ticks it and leads back there."""
    user = request.user
    if not rules.can_add_evidence(user):
        raise PermissionDenied
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        user=user,
        for_campaign=read_param(request.GET, "campaign", IdField(label=_("Campaign"))),
        for_ask=read_param(request.GET, "ask", IdField(label=_("Ask"))),
    )
    back = form.opened_from
    if request.method == "POST" and form.is_valid():
        organization = None
        if not user.is_department:
            organization = Organization.objects.get(pk=min(user.organization_ids))
        fields = _evidence_fields(form)
        try:
            item = actions.add_evidence(actor=user, organization=organization, **fields)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, _("Added to the evidence library."))
            linked = back is not None and back in fields["campaigns"] + fields["asks"]
            return redirect(back if linked else item)
    notice = None if user.is_department else DISCLOSURE_NOTICE
    context = {"form": form, "title": _("Add evidence"), "notice": notice, "multipart": True}
    if back is not None:
        context["cancel"] = back.get_absolute_url()
    return render(request, "data/form.html", context)


@login_required
def evidence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_editable_or_403(EvidenceItem.objects.all(), request.user, pk=pk)
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        instance=EvidenceItem.objects.get(pk=pk),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        actions.update_evidence(actor=request.user, item=item, **_evidence_fields(form))
        messages.success(request, _("Saved."))
        return redirect(item)
    notice = None if request.user.is_department else DISCLOSURE_NOTICE
    return render(
        request,
        "data/form.html",
        {
            "form": form,
            "title": item.title,
            "notice": notice,
            "multipart": True,
            "cancel": item.get_absolute_url(),
        },
    )


@login_required
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_editable_or_403(EvidenceItem.objects.all(), request.user, pk=pk)
    if request.method == "POST":
        actions.delete_evidence(actor=request.user, item=item)
        messages.success(request, _("Removed from the evidence library."))
        return redirect("data:evidence_list")
    return render(
        request, "data/confirm_delete.html", {"object": item, "cancel": item.get_absolute_url()}
    )


# -- agreements ---------------------------------------------------------------------------------


def _agreements_for(user: Any) -> Any:
    agreements = DataAgreement.objects.select_related("organization").prefetch_related("datasets")
    if user.is_department:
        return agreements
    return agreements.filter(organization__in=user.organization_ids)


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_department or request.user.is_partner):
        raise PermissionDenied
    page = paginate(request, _agreements_for(request.user))
    return render(
        request,
        "data/agreement_list.html",
        {"page": page, "agreements": page.object_list, "query": query_without_page(request)},
    )


@login_required
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(_agreements_for(request.user), pk=pk)
    logs = item.queries.select_related("user")[:50] if request.user.is_department else []
    return render(request, "data/agreement_detail.html", {"agreement": item, "logs": logs})


@login_required
def agreement_file(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(_agreements_for(request.user), pk=pk)
    if not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=item.file.name.rsplit("/", 1)[-1])


def _agreement_fields(form: AgreementForm) -> dict[str, Any]:
    fields = dict(form.cleaned_data)
    fields["datasets"] = list(fields.pop("datasets"))
    if not fields.get("file"):
        fields.pop("file", None)
    return fields


@department_required
def agreement_new(request: HttpRequest) -> HttpResponse:
    form = AgreementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        item = actions.create_agreement(actor=request.user, **_agreement_fields(form))
        messages.success(request, _("Recorded the agreement."))
        return redirect(item)
    return render(
        request,
        "data/form.html",
        {"form": form, "title": _("New data-sharing agreement"), "multipart": True},
    )


@department_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(DataAgreement, pk=pk)
    form = AgreementForm(
        request.POST or None, request.FILES or None, instance=DataAgreement.objects.get(pk=pk)
    )
    if request.method == "POST" and form.is_valid():
        actions.update_agreement(actor=request.user, agreement=item, **_agreement_fields(form))
        messages.success(request, _("Saved the agreement."))
        return redirect(item)
    return render(
        request,
        "data/form.html",
        {"form": form, "title": item.title, "multipart": True, "cancel": item.get_absolute_url()},
    )


@department_required
@require_POST
def agreement_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(DataAgreement, pk=pk)
    actions.revoke_agreement(actor=request.user, agreement=item)
    messages.success(request, _("The agreement is revoked; its access ended now."))
    return redirect(item)


# -- data requests ------------------------------------------------------------------------------


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    asks = (
        Ask.objects.visible_to(request.user)
        .filter(kind=Ask.Kind.DATA)
        .select_related("organization", "campaign")
    )
    page = paginate(request, asks.order_by("-created"))
    return render(
        request,
        "data/request_list.html",
        {"page": page, "asks": page.object_list, "query": query_without_page(request)},
    )


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_partner:
        raise PermissionDenied
    form = DataRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        campaign = data.pop("campaign")
        organization = (
            campaign.organization
            if campaign
            else Organization.objects.get(pk=min(request.user.organization_ids))
        )
        try:
            ask = actions.file_data_request(
                actor=request.user,
                organization=organization,
                campaign=campaign,
                question=data["question"],
                geography=data["geography"],
                groups=data.get("groups", ""),
                details=data.get("details", ""),
                needed_by=data.get("needed_by"),
                visibility=data["visibility"],
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "Your data request was sent to the department. Its page shows what happens next."
                ),
            )
            return redirect(ask)
    return render(
        request,
        "data/form.html",
        {"form": form, "title": _("Ask the department for data"), "notice": DISCLOSURE_NOTICE},
    )


@login_required
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    ask = get_visible_or_404(Ask.objects.select_related("organization"), request.user, pk=pk)
    if ask.kind != Ask.Kind.DATA or not can_answer(request.user, ask):
        raise PermissionDenied
    if not ask.is_open:
        messages.info(request, _("This request is closed."))
        return redirect(ask)
    form = AnswerRequestForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = form.cleaned_data.get("saved_query")
        link, csv_bytes, readme = "", None, ""
        if saved is not None:
            query_form = QueryForm(
                saved.params,
                measures=queries.visible_measures(request.user),
                policy=PolicySetting.current(),
            )
            if query_form.is_valid():
                outcome = queries.run_spec(query_form.spec())
                if outcome.ok:
                    # The released table passes the policy like any other query; its README
                    # says what it is (the policy, sources, data version, columns).
                    cells = present.cells(outcome)
                    name = f"query-{saved.pk}.csv"
                    csv_bytes = exports.csv_export(outcome, cells, name).content
                    readme = exports.readme(outcome, cells, name)
            link = request.build_absolute_uri(reverse("data:saved", args=[saved.pk]))
        try:
            actions.answer_data_request(
                actor=request.user,
                ask=ask,
                explanation=form.cleaned_data["explanation"],
                saved_query=saved,
                query_link=link,
                query_csv=csv_bytes,
                query_readme=readme,
                file=form.cleaned_data.get("file"),
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, _("Answered; the request is delivered."))
            return redirect(ask)
    return render(
        request,
        "data/form.html",
        {
            "form": form,
            "title": _("Answer: %(title)s") % {"title": ask.title},
            "multipart": True,
            "cancel": ask.get_absolute_url(),
        },
    )
