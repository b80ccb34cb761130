"""Applying: start, draft, attach documents, submit before the deadline; staff list and screen."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grants import actions, queries, rules
from grants.forms import (
    ApplicationFilterForm,
    ApplicationForm,
    DocumentForm,
    NoteForm,
    ScreenForm,
    StartForm,
    WithdrawForm,
)
from grants.models import ApplicationDocument, Cycle
from grants.views.common import get_application, get_cycle, get_staff_cycle
from powershare.decorators import department_required
from powershare.exports import csv_response
from powershare.forms import apply_action_errors, error_text
from powershare.pagination import paginate, query_without_page
from powershare.visibility import DISCLOSURE_NOTICE


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle(request, pk)
    organizations = rules.applicant_orgs(request.user)
    if not organizations:
        raise PermissionDenied
    form = StartForm(request.POST or None, organizations=organizations)
    status = 200
    if not cycle.is_accepting:
        status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            application = actions.start_application(
                actor=request.user,
                cycle=cycle,
                organization=form.cleaned_data["organization"],
                project_title=form.cleaned_data["project_title"],
            )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Draft started. It stays private to your organization until you submit it."),
            )
            return redirect("grants:application_edit", application.pk)
    if form.errors:
        status = 400
    return render(request, "grants/apply.html", {"cycle": cycle, "form": form}, status=status)


def _is_member(request: HttpRequest, application) -> bool:  # type: ignore[no-untyped-def]
    return application.organization_id in getattr(request.user, "organization_ids", ())


def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    user = request.user
    member = _is_member(request, application)
    staff = rules.is_staff(user)
    questions = [
        (q, application.answers.get(str(q.pk), "")) for q in application.cycle.questions.all()
    ]
    see_scores = rules.may_see_scores(user, application)
    context = {
        "application": application,
        "cycle": application.cycle,
        "questions": questions,
        "documents": application.documents.select_related("requirement"),
        "is_member": member,
        "is_staff": staff,
        "missing": actions.missing_parts(application)
        if member and application.status == "draft"
        else [],
        "screen_form": ScreenForm() if staff else None,
        "may_review": rules.may_review(user, application),
        "see_scores": see_scores,
        "reviews": queries.others_reviews(application) if see_scores else [],
        "notes": application.notes.select_related("author") if see_scores else [],
        "note_form": NoteForm() if see_scores else None,
        "decision": getattr(application, "decision", None)
        if (staff or application.cycle.status in ("decided", "closed"))
        else None,
        "award": getattr(application, "award", None),
        "may_withdraw": member and rules.may_withdraw(user, application),
    }
    return render(request, "grants/application_detail.html", context)


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    if not _is_member(request, application):
        raise PermissionDenied
    form = ApplicationForm(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        fields = {
            k: form.cleaned_data[k]
            for k in ["project_title", "summary", "amount_requested", "budget"]
        }
        application.refresh_from_db()
        try:
            actions.save_application(
                actor=request.user, application=application, answers=form.answers(), **fields
            )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("grants:application_edit", application.pk)
    context = {
        "application": application,
        "cycle": application.cycle,
        "form": form,
        "document_form": DocumentForm(cycle=application.cycle),
        "documents": application.documents.select_related("requirement"),
        "missing": actions.missing_parts(application),
        "disclosure_notice": DISCLOSURE_NOTICE,
    }
    return render(
        request, "grants/application_form.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    if not _is_member(request, application):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES, cycle=application.cycle)
    if form.is_valid():
        try:
            actions.add_document(
                actor=request.user,
                application=application,
                upload=form.cleaned_data["file"],
                requirement=form.cleaned_data["requirement"],
            )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Document attached."))
            return redirect("grants:application_edit", application.pk)
    context = {
        "application": application,
        "cycle": application.cycle,
        "form": ApplicationForm(instance=application),
        "document_form": form,
        "documents": application.documents.select_related("requirement"),
        "missing": actions.missing_parts(application),
        "disclosure_notice": DISCLOSURE_NOTICE,
    }
    return render(request, "grants/application_form.html", context, status=400)


def document_file(request: HttpRequest, pk: int, doc: int) -> FileResponse:
    application = get_application(request, pk)
    document = get_object_or_404(ApplicationDocument, pk=doc, application=application)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=document.name)


@login_required
def document_delete(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    application = get_application(request, pk)
    if not _is_member(request, application):
        raise PermissionDenied
    document = get_object_or_404(ApplicationDocument, pk=doc, application=application)
    if request.method == "POST":
        try:
            actions.remove_document(actor=request.user, document=document)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Document removed."))
        return redirect("grants:application_edit", application.pk)
    back = application.get_absolute_url()
    return render(
        request,
        "grants/confirm.html",
        {"title": document.name, "back": back, "action": _("Yes, remove")},
    )


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    if not _is_member(request, application):
        raise PermissionDenied
    try:
        actions.submit_application(actor=request.user, application=application)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(application)
    messages.success(
        request, _("Your application was submitted. A confirmation email is on its way.")
    )
    return redirect(application)


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant withdraws a submitted application: a confirmation page, then the POST."""
    application = get_application(request, pk)
    if not rules.is_applicant(request.user, application):
        raise PermissionDenied
    if not rules.withdrawal_open(application):
        messages.error(
            request,
            _("This application was already withdrawn.")
            if application.is_withdrawn
            else _("This application can no longer be withdrawn."),
        )
        return redirect(application)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            actions.withdraw_application(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request, _("Your application was withdrawn. A confirmation email is on its way.")
            )
        return redirect(application)
    return render(
        request,
        "grants/withdraw.html",
        {"application": application, "cycle": application.cycle, "form": form},
        status=400 if form.errors else 200,
    )


@department_required
@require_POST
def application_screen(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    form = ScreenForm(request.POST)
    if form.is_valid():
        try:
            actions.screen_application(
                actor=request.user, application=application, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Screening recorded."))
    else:
        messages.error(request, _("Choose a screening result and give the reason."))
    return redirect(application)


@department_required
def applications(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_staff_cycle(request, pk)
    form = ApplicationFilterForm(request.GET)
    page = paginate(request, queries.cycle_applications(request.user, cycle, form.filters()))
    drafts = cycle.applications.filter(status="draft").count()
    return render(
        request,
        "grants/applications.html",
        {
            "cycle": cycle,
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "drafts": drafts,
        },
    )


@department_required
def applications_export(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_staff_cycle(request, pk)
    filters = ApplicationFilterForm(request.GET).filters()
    rows = (
        [
            a.pk,
            a.organization.name,
            a.project_title,
            a.amount_requested or "",
            a.submitted_at.date() if a.submitted_at else "",
            a.get_status_display(),
            a.withdrawn_at.date() if a.withdrawn_at else "",
            a.withdrawal_reason,
            a.get_eligibility_display(),
            a.eligibility_reason,
            a.reviewers,
            a.reviews_done,
            request.build_absolute_uri(a.get_absolute_url()),
        ]
        for a in queries.cycle_applications(request.user, cycle, filters)
    )
    header = [
        _("Number"),
        _("Organization"),
        _("Project"),
        _("Amount requested"),
        _("Submitted"),
        _("Status"),
        _("Withdrawn"),
        _("Why it was withdrawn"),
        _("Eligibility"),
        _("Screening reason"),
        _("Reviewers assigned"),
        _("Reviews submitted"),
        _("Address"),
    ]
    return csv_response(f"applications-{cycle.pk}.csv", header, rows)


def statuses() -> dict[str, str]:
    return dict(Cycle.Status.choices)
