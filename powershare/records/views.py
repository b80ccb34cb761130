"""Pages for department admins: the retention schedule, legal holds, public-records labels and
reasons, and public-records requests with their history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from powershare.decorators import department_admin_required
from powershare.forms import apply_action_errors, error_text
from powershare.pagination import paginate, query_without_page
from powershare.records import actions, export, labels, queries
from powershare.records.forms import (
    HoldForm,
    LabelForm,
    ReasonForm,
    RequestDownloadForm,
    RequestForm,
    RuleForm,
)
from powershare.records.kinds import KINDS, RETENTION_KINDS
from powershare.records.models import ExemptionReason, LegalHold, RecordsRequest
from powershare.records.retention import rules as retention_rules


def _posted(request: HttpRequest) -> Any:
    # An empty POST must fail validation, not show a blank form.
    return request.POST if request.method == "POST" else None


def _status(form: Any) -> int:
    return 400 if form.is_bound and form.errors else 200


@department_admin_required
def retention(request: HttpRequest) -> HttpResponse:
    """The schedule, the last run's report and the holds in force."""
    run = queries.last_run()
    context = {
        "rows": queries.schedule(),
        "run": run,
        "run_rows": queries.report_rows(run.report) if run else [],
        "holds": queries.open_holds(),
        "hold_form": HoldForm(),
    }
    return render(request, "records/retention.html", context)


@department_admin_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in RETENTION_KINDS:
        raise Http404
    rule = retention_rules()[kind]
    initial = {f: getattr(rule, f) for f in actions.RULE_FIELDS}
    form = RuleForm(_posted(request), kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_retention_rule(actor=request.user, kind=kind, **form.cleaned_data)
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Saved the schedule for %(kind)s.") % {"kind": RETENTION_KINDS[kind].label},
            )
            return redirect("records:retention")
    return render(
        request,
        "records/rule_form.html",
        {"form": form, "kind": RETENTION_KINDS[kind], "rule": rule},
        status=_status(form),
    )


@department_admin_required
def retention_preview(request: HttpRequest) -> HttpResponse:
    """The dry run: what a run would delete or anonymize now, changing nothing."""
    return render(request, "records/preview.html", {"kinds": queries.preview_records(request.user)})


@department_admin_required
@require_POST
def retention_run(request: HttpRequest) -> HttpResponse:
    run = actions.apply_retention(actor=request.user, trigger="page")
    total = sum(k["count"] for k in run.report.values())
    messages.success(
        request, _("The schedule ran: %(n)s records deleted or anonymized.") % {"n": total}
    )
    return redirect("records:retention")


@department_admin_required
@require_POST
def hold_new(request: HttpRequest) -> HttpResponse:
    form = HoldForm(request.POST)
    if form.is_valid():
        try:
            actions.place_hold(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("The record is on hold; the schedule leaves it alone."))
            return redirect("records:retention")
    return render(request, "records/hold_form.html", {"form": form}, status=400)


@department_admin_required
@require_POST
def hold_release(request: HttpRequest, pk: int) -> HttpResponse:
    hold = get_object_or_404(LegalHold, pk=pk, released_at__isnull=True)
    actions.release_hold(actor=request.user, hold=hold)
    messages.success(request, _("The hold is released."))
    return redirect("records:retention")


@department_admin_required
@require_http_methods(["GET", "POST"])
def labels_page(request: HttpRequest) -> HttpResponse:
    """Every covered field's label, and the department's list of reasons (added here)."""
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_reason(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Added the reason."))
            return redirect("records:labels")
    context = {
        "table": queries.label_table(),
        "reasons": ExemptionReason.objects.all(),
        "reason_form": form,
    }
    return render(request, "records/labels.html", context, status=_status(form))


@department_admin_required
@require_http_methods(["GET", "POST"])
def label_edit(request: HttpRequest, field: str) -> HttpResponse:
    rules = labels.rules()
    if field not in rules:
        raise Http404
    rule = rules[field]
    initial: dict[str, Any] = {"label": rule.label if rule.overridden else "default"}
    if rule.overridden and rule.label == "exempt":
        initial["reason"] = ExemptionReason.objects.filter(name=rule.reason).first()
    form = LabelForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        label = form.cleaned_data["label"]
        try:
            actions.set_field_label(
                actor=request.user,
                field=field,
                label=None if label == "default" else label,
                reason=form.cleaned_data.get("reason"),
            )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Saved the label of %(field)s.") % {"field": field})
            return redirect("records:labels")
    return render(
        request, "records/label_form.html", {"form": form, "rule": rule}, status=_status(form)
    )


@department_admin_required
def request_list(request: HttpRequest) -> HttpResponse:
    """Public-records requests answered, newest first."""
    page = paginate(request, queries.requests())
    return render(
        request,
        "records/request_list.html",
        {"page": page, "answers": page.object_list, "query": query_without_page(request)},
    )


@department_admin_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """The request form: "Preview" shows the counts; "Produce" (with the password) makes the ZIP."""
    producing = request.method == "POST" and "produce" in request.POST
    if producing:
        form: RequestForm = RequestDownloadForm(request.POST, user=request.user)
    else:
        form = RequestForm(_posted(request))
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data.get(k) for k in ("since", "until")}
        if producing:
            try:
                answer = actions.answer_request(
                    actor=request.user,
                    description=data["description"],
                    kinds=list(data["kinds"]),
                    search=data.get("search", ""),
                    **fields,
                )
            except ValidationError as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("The records are ready to download."))
                return redirect("records:request", pk=answer.pk)
        else:
            result = export.gather(
                request.user,
                export.Request(kinds=list(data["kinds"]), search=data.get("search", ""), **fields),
            )
            preview = result.counts
            form = RequestDownloadForm(initial=data, user=request.user)
    context = {
        "form": form,
        "preview": [
            {"kind": KINDS[key].label, **counts} for key, counts in (preview or {}).items()
        ],
        "previewed": preview is not None,
    }
    return render(request, "records/request_form.html", context, status=_status(form))


@department_admin_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    answer = get_object_or_404(RecordsRequest.objects.select_related("requester"), pk=pk)
    rows = [{"kind": KINDS[k].label if k in KINDS else k, **c} for k, c in answer.counts.items()]
    return render(request, "records/request_detail.html", {"answer": answer, "rows": rows})


@department_admin_required
def request_file(request: HttpRequest, pk: int) -> FileResponse:
    answer = get_object_or_404(RecordsRequest, pk=pk)
    if not answer.file:
        raise Http404
    try:
        handle = answer.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=f"public-records-request-{answer.pk}.zip"
    )
