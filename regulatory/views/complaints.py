"""Complaints from the community: filing, triage, inspections, violations, closing, messages
and files; retaliation reported against complainants; the patterns complaints make."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powershare.decorators import department_required
from powershare.exports import csv_response
from powershare.filters import IdField, choice_filter, read_param
from powershare.forms import apply_action_errors
from powershare.pagination import paginate, query_without_page
from powershare.visibility import can_view, get_visible_or_404
from regulatory import actions, queries, rules
from regulatory.forms import (
    CloseForm,
    ComplaintFilterForm,
    ComplaintForm,
    CorrectedForm,
    InspectionForm,
    InspectionResultForm,
    MessageForm,
    PatternFilterForm,
    RetaliationForm,
    RetaliationUpdateForm,
    TriageForm,
    ViolationForm,
)
from regulatory.models import Complaint, ComplaintFile, Inspection, Retaliation, Violation
from regulatory.views.common import form_status


def _get_complaint(request: HttpRequest, pk: int) -> Complaint:
    return get_visible_or_404(
        Complaint.objects.select_related(
            "organization", "campaign", "assigned_inspector", "filed_by"
        ),
        request.user,
        pk=pk,
    )


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_department or user.is_partner):
        raise PermissionDenied
    form = ComplaintFilterForm(request.GET)
    page = paginate(request, queries.search_complaints(user, form.filters()))
    context = {
        "form": form,
        "page": page,
        "complaints": page.object_list,
        "query": query_without_page(request),
    }
    return render(request, "regulatory/complaint_list.html", context)


@login_required
def complaint_export(request: HttpRequest) -> HttpResponse:
    """Complaints as CSV, never with the complainant's name or contact."""
    user = request.user
    if not (user.is_department or user.is_partner):
        raise PermissionDenied
    filters = ComplaintFilterForm(request.GET).filters()
    header = [
        _("Number"),
        _("Filed"),
        _("Filed by"),
        _("Campaign"),
        _("Kind of complaint"),
        _("Type of problem"),
        _("Address"),
        _("Neighborhood"),
        _("Building owner or employer"),
        _("Still going on"),
        _("Anonymous"),
        _("Status"),
        _("Resolution"),
    ]
    from partners.models import Campaign

    visible = set(Campaign.objects.visible_to(user).values_list("pk", flat=True))
    rows = (
        [
            c.pk,
            c.created.date(),
            c.organization.name,
            c.campaign.title if c.campaign_id in visible and c.campaign else "",
            c.get_category_display(),
            c.get_violation_type_display(),
            c.address,
            c.neighborhood,
            c.building_owner,
            _("yes") if c.ongoing else _("no"),
            _("yes") if c.anonymous else _("no"),
            c.get_status_display(),
            c.get_resolution_display(),
        ]
        for c in queries.search_complaints(user, filters)
    )
    return csv_response("complaints.csv", header, rows)


@login_required
def complaint_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_partner:
        raise PermissionDenied
    initial = {}
    campaign = read_param(request.GET, "campaign", IdField(label=_("Campaign")))
    if campaign:
        initial["campaign"] = campaign
    form = ComplaintForm(request.POST or None, request.FILES or None, initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photos = data.pop("photos")
        try:
            complaint = actions.file_complaint(actor=user, photos=photos, **data)
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(
                request,
                _("The complaint was sent to the department. You can follow its status here."),
            )
            return redirect(complaint)
    return render(
        request, "regulatory/complaint_form.html", {"form": form}, status=form_status(form)
    )


def _complaint_page(
    request: HttpRequest, complaint: Complaint, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    staff = rules.can_handle(user, complaint)
    files = (
        complaint.files.all()
        if rules.can_see_files(user, complaint)
        else ComplaintFile.objects.none()
    )
    context = {
        "complaint": complaint,
        "staff": staff,
        "filer": rules.is_filer(user, complaint),
        "see_identity": rules.can_see_identity(user, complaint),
        "identity_high_risk": rules.is_high_risk(complaint),
        "campaign_visible": complaint.campaign is not None and can_view(user, complaint.campaign),
        "timeline": queries.timeline(user, complaint),
        "photos": files.filter(kind=ComplaintFile.Kind.PHOTO),
        "evidence_files": files.filter(kind=ComplaintFile.Kind.EVIDENCE),
        "inspections": complaint.inspections.select_related("inspector"),
        "violations": complaint.violations.all(),
        "retaliations": complaint.retaliations.all(),
        "triage_form": forms.get("triage_form")
        or TriageForm(initial={"inspector": complaint.assigned_inspector_id}, prefix="triage"),
        "inspection_form": forms.get("inspection_form") or InspectionForm(prefix="inspection"),
        "violation_form": forms.get("violation_form") or ViolationForm(prefix="violation"),
        "message_form": forms.get("message_form") or MessageForm(prefix="message"),
    }
    return render(request, "regulatory/complaint_detail.html", context, status=status)


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _complaint_page(request, _get_complaint(request, pk))


def _staff_complaint(request: HttpRequest, pk: int) -> Complaint:
    complaint = _get_complaint(request, pk)
    if not rules.can_handle(request.user, complaint):
        raise PermissionDenied
    return complaint


@login_required
@require_POST
def complaint_triage(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _staff_complaint(request, pk)
    form = TriageForm(request.POST, prefix="triage")
    if form.is_valid():
        try:
            actions.triage_complaint(
                actor=request.user,
                complaint=complaint,
                **{
                    "inspector": form.cleaned_data["inspector"],
                    "message": form.cleaned_data["message"],
                    "internal_note": form.cleaned_data["internal_note"],
                },
            )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Triage saved."))
            return redirect(complaint)
    return _complaint_page(request, complaint, 400, triage_form=form)


@login_required
@require_POST
def inspection_new(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _staff_complaint(request, pk)
    form = InspectionForm(request.POST, prefix="inspection")
    if form.is_valid():
        try:
            actions.schedule_inspection(
                actor=request.user,
                complaint=complaint,
                scheduled_for=form.cleaned_data["scheduled_for"],
            )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Inspection scheduled."))
            return redirect(complaint)
    return _complaint_page(request, complaint, 400, inspection_form=form)


@login_required
@require_POST
def inspection_record(request: HttpRequest, pk: int, inspection_pk: int) -> HttpResponse:
    complaint = _staff_complaint(request, pk)
    inspection = get_object_or_404(Inspection, pk=inspection_pk, complaint=complaint)
    form = InspectionResultForm(request.POST, prefix=f"result{inspection.pk}")
    if form.is_valid():
        actions.record_inspection(actor=request.user, inspection=inspection, **form.cleaned_data)
        messages.success(request, _("Inspection results saved."))
    else:
        messages.error(
            request, _("The inspection results were not saved: give the date and the findings.")
        )
    return redirect(complaint)


@login_required
@require_POST
def violation_new(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _staff_complaint(request, pk)
    form = ViolationForm(request.POST, prefix="violation")
    if form.is_valid():
        try:
            actions.add_violation(actor=request.user, complaint=complaint, **form.cleaned_data)
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Violation recorded."))
            return redirect(complaint)
    return _complaint_page(request, complaint, 400, violation_form=form)


@login_required
@require_POST
def violation_correct(request: HttpRequest, pk: int, violation_pk: int) -> HttpResponse:
    complaint = _staff_complaint(request, pk)
    violation = get_object_or_404(Violation, pk=violation_pk, complaint=complaint)
    form = CorrectedForm(request.POST, prefix=f"corrected{violation.pk}")
    if form.is_valid():
        actions.correct_violation(
            actor=request.user, violation=violation, corrected_on=form.cleaned_data["corrected_on"]
        )
        messages.success(request, _("Violation marked corrected."))
    else:
        messages.error(request, _("Give the date the violation was corrected."))
    return redirect(complaint)


@login_required
def complaint_close(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _staff_complaint(request, pk)
    if not complaint.is_open:
        messages.info(request, _("This complaint is already closed."))
        return redirect(complaint)
    form = CloseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.close_complaint(
                actor=request.user,
                complaint=complaint,
                resolution=data["resolution"],
                evidence=data["evidence"],
                resident_confirmed=data["resident_confirmed"],
                files=data["files"],
            )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("The complaint is closed."))
            return redirect(complaint)
    return render(
        request,
        "regulatory/complaint_close.html",
        {"form": form, "complaint": complaint},
        status=form_status(form),
    )


@login_required
@require_POST
def complaint_message(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _get_complaint(request, pk)
    if not (rules.can_handle(request.user, complaint) or rules.is_filer(request.user, complaint)):
        raise PermissionDenied
    form = MessageForm(request.POST, prefix="message")
    if form.is_valid():
        actions.add_update(
            actor=request.user,
            complaint=complaint,
            message=form.cleaned_data["message"],
            internal=request.POST.get("internal") == "1",
        )
        messages.success(request, _("Message added."))
        return redirect(complaint)
    return _complaint_page(request, complaint, 400, message_form=form)


@login_required
def complaint_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """A photo or evidence file, to whoever may read the complaint; never a bare media address."""
    complaint = _get_complaint(request, pk)
    if not rules.can_see_files(request.user, complaint):
        raise Http404
    stored = get_object_or_404(ComplaintFile, pk=file_pk, complaint=complaint)
    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=stored.name)


@login_required
def retaliation_new(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _get_complaint(request, pk)
    if not rules.can_report_retaliation(request.user, complaint):
        raise PermissionDenied
    form = RetaliationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            retaliation = actions.report_retaliation(
                actor=request.user, complaint=complaint, **form.cleaned_data
            )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("The retaliation report was recorded."))
            return redirect(retaliation)
    return render(
        request,
        "regulatory/retaliation_form.html",
        {"form": form, "complaint": complaint},
        status=form_status(form),
    )


@department_required
def retaliation_list(request: HttpRequest) -> HttpResponse:
    items = Retaliation.objects.select_related("complaint", "complaint__organization")
    status = read_param(request.GET, "status", choice_filter(_("Status"), Retaliation.Status))
    if status:
        items = items.filter(status=status)
    page = paginate(request, items)
    return render(
        request,
        "regulatory/retaliation_list.html",
        {
            "page": page,
            "items": page.object_list,
            "query": query_without_page(request),
            "statuses": Retaliation.Status.choices,
            "status": status,
        },
    )


def _get_retaliation(request: HttpRequest, pk: int) -> Retaliation:
    retaliation = get_object_or_404(Retaliation.objects.select_related("complaint"), pk=pk)
    # Whoever may read the complaint may read the report about it; others cannot tell it exists.
    _get_complaint(request, retaliation.complaint_id)
    return retaliation


@login_required
def retaliation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    retaliation = _get_retaliation(request, pk)
    complaint = retaliation.complaint
    context = {
        "retaliation": retaliation,
        "complaint": complaint,
        "staff": rules.can_handle(request.user, complaint),
        "form": RetaliationUpdateForm(
            initial={"status": retaliation.status, "response": retaliation.response}
        ),
    }
    return render(request, "regulatory/retaliation_detail.html", context)


@login_required
@require_POST
def retaliation_update(request: HttpRequest, pk: int) -> HttpResponse:
    retaliation = _get_retaliation(request, pk)
    if not rules.can_handle(request.user, retaliation.complaint):
        raise PermissionDenied
    form = RetaliationUpdateForm(request.POST)
    if form.is_valid():
        actions.update_retaliation(actor=request.user, retaliation=retaliation, **form.cleaned_data)
        messages.success(request, _("The retaliation report was updated."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect(retaliation)


@login_required
def patterns(request: HttpRequest) -> HttpResponse:
    """Complaints by building owner and by neighborhood, month by month: the complaints the user
    may see (all of them for staff, their own organization's for a partner)."""
    user = request.user
    if not (user.is_department or user.is_partner):
        raise PermissionDenied
    filters = PatternFilterForm(request.GET).filters()
    n = filters.get("months", 12)
    months = queries.last_months(timezone.localdate(), n)
    complaints = Complaint.objects.visible_to(user)
    category = filters.get("category")
    if category:
        complaints = complaints.filter(category=category)
    context = {
        "months": months,
        "n": n,
        "category": category,
        "categories": Complaint.Category.choices,
        "by_owner": queries.patterns(complaints, "building_owner", months),
        "by_neighborhood": queries.patterns(complaints, "neighborhood", months),
        "chart": queries.monthly_chart(complaints, months),
        "hood_map": queries.neighborhood_map(complaints, months),
    }
    return render(request, "regulatory/patterns.html", context)
