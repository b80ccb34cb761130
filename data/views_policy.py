"""The suppression policy's pages: the policy with its versions (and their CSV), proposing a
change, the change's page with what it would do to published tables, and the second
administrator's decision. Thin: parse, check, call, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from data import policy_changes, policy_impact
from data.forms_policy import (
    ApprovePolicyForm,
    ProposePolicyForm,
    RejectPolicyForm,
    WithdrawPolicyForm,
)
from data.models import Measure, PolicyChange, PolicySetting, PolicyVersion
from powershare.decorators import department_admin_required, department_required
from powershare.exports import csv_response
from powershare.filters import choice_filter, read_param
from powershare.forms import error_text
from powershare.pagination import paginate, query_without_page

# -- showing settings and their changes -----------------------------------------------------


def _value(name: str, value: Any) -> str:
    """A setting's value for people: yes/no, the method's name, blank as a dash."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "method":
        return str(dict(PolicySetting.METHODS).get(value, value))
    if value in (None, ""):
        return "—"
    return str(value)


def _label(name: str) -> str:
    try:
        return str(PolicySetting._meta.get_field(name).verbose_name)
    except Exception:
        return name


def change_rows(changes: dict[str, list[Any]]) -> list[dict[str, str]]:
    """``{field: [before, after]}`` as rows of label, before and after, in the form's order."""
    order = {name: i for i, name in enumerate(PolicySetting.ENGINE_FIELDS)}
    return [
        {"label": _label(name), "before": _value(name, pair[0]), "after": _value(name, pair[1])}
        for name, pair in sorted(changes.items(), key=lambda kv: order.get(kv[0], 99))
    ]


def _changes_text(changes: dict[str, list[Any]]) -> str:
    rows = change_rows(changes)
    return "; ".join(f"{capfirst(r['label'])}: {r['before']} → {r['after']}" for r in rows)


# -- the policy page ------------------------------------------------------------------------


def _versions_csv() -> HttpResponse:
    versions = PolicyVersion.objects.select_related("proposed_by", "approved_by")
    rows = (
        [
            v.number,
            v.applied_at.isoformat(),
            v.proposed_by or "",
            v.approved_by or _("(applied directly)"),
            v.reason,
            _changes_text(v.changes),
            *[v.fields.get(name, "") for name in PolicySetting.ENGINE_FIELDS],
        ]
        for v in versions
    )
    header = [
        _("Version"),
        _("Applied"),
        _("Proposed by"),
        _("Approved by"),
        _("Why"),
        _("What changed"),
        *PolicySetting.ENGINE_FIELDS,
    ]
    return csv_response("suppression-policy-versions.csv", header, rows)


@department_required
def policy(request: HttpRequest) -> HttpResponse:
    """The policy in force and its versions: staff read them, a department admin proposes a
    change that another one approves."""
    if read_param(request.GET, "format", choice_filter(_("Format"), [("csv", "CSV")])):
        return _versions_csv()
    current = PolicySetting.current()
    can_change = request.user.is_department_admin
    pending = policy_changes.pending_change()
    posted = request.POST if request.method == "POST" else None
    form = ProposePolicyForm(posted, instance=PolicySetting.objects.get(pk=current.pk))
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in PolicySetting.ENGINE_FIELDS}
            try:
                change = policy_changes.propose_policy_change(
                    actor=request.user, reason=form.cleaned_data["reason"], **fields
                )
            except ValidationError as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(
                    request,
                    _(
                        "Proposed. Another department administrator must approve the change "
                        "before it applies."
                    ),
                )
                return redirect(change)
    versions = PolicyVersion.objects.select_related("proposed_by", "approved_by")
    page = paginate(request, versions)
    context = {
        "form": form,
        "policy": current,
        "settings": [
            {"label": _label(name), "value": _value(name, getattr(current, name))}
            for name in PolicySetting.ENGINE_FIELDS
        ],
        "can_change": can_change,
        "pending": pending,
        "page": page,
        "versions": [{"version": v, "rows": change_rows(v.changes)} for v in page.object_list],
        "query": query_without_page(request),
    }
    return render(request, "data/policy.html", context, status=400 if form.errors else 200)


@department_required
def policy_changes_list(request: HttpRequest) -> HttpResponse:
    """Every proposed change, pending, approved, rejected or withdrawn, newest first."""
    changes = PolicyChange.objects.select_related("proposed_by", "decided_by")
    page = paginate(request, changes)
    return render(
        request,
        "data/policy_change_list.html",
        {"page": page, "changes": page.object_list, "query": query_without_page(request)},
    )


# -- a change and its decision --------------------------------------------------------------


def _preview(change: PolicyChange) -> dict[str, Any]:
    data = change.preview or {}
    measures = {m.name: m for m in Measure.objects.all()}
    rows = []
    for item in data.get("queries", []):
        if item["status"] == "same":
            continue
        if item.get("saved_id"):
            link = reverse("data:saved", args=[item["saved_id"]])
        else:
            link = f"{reverse('data:query')}?{urlencode(item['params'], doseq=True)}"
        rows.append(
            {
                **item,
                "label": policy_impact.query_label(item, measures),
                "link": link,
                "refusal_now": policy_impact.refusal_label(item["refusal_now"]),
                "refusal_proposed": policy_impact.refusal_label(item["refusal_proposed"]),
                "shown_cells": [policy_impact.cell_label(c) for c in item["newly_shown"]],
                "hidden_cells": [policy_impact.cell_label(c) for c in item["newly_hidden"]],
                "more_shown": item["newly_shown_count"] - len(item["newly_shown"]),
                "more_hidden": item["newly_hidden_count"] - len(item["newly_hidden"]),
            }
        )
    return {
        **{k: v for k, v in data.items() if k != "queries"},
        "rows": rows,
        "unchanged": sum(1 for q in data.get("queries", []) if q["status"] == "same"),
        "capped": data.get("total", 0) > data.get("compared", 0),
    }


def _change_page(
    request: HttpRequest, change: PolicyChange, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    is_proposer = change.proposed_by_id == user.pk
    may_decide = change.is_pending and user.is_department_admin and not is_proposer
    context = {
        "change": change,
        "rows": change_rows(change.changes),
        "preview": _preview(change),
        "is_proposer": is_proposer,
        "may_decide": may_decide,
        "may_withdraw": change.is_pending and is_proposer and user.is_department_admin,
        "approve_form": forms.get("approve") or ApprovePolicyForm(user=user, prefix="approve"),
        "reject_form": forms.get("reject") or RejectPolicyForm(prefix="reject"),
        "withdraw_form": forms.get("withdraw") or WithdrawPolicyForm(prefix="withdraw"),
    }
    if getattr(request, "htmx", False) and not forms:
        return render(request, "data/includes/policy_preview.html", context)
    return render(request, "data/policy_change.html", context, status=status)


def _get_change(pk: int) -> PolicyChange:
    return get_object_or_404(
        PolicyChange.objects.select_related("proposed_by", "decided_by"), pk=pk
    )


@department_required
def policy_change(request: HttpRequest, pk: int) -> HttpResponse:
    """A proposed change: what it changes, what it would do to published tables (polled by
    htmx while the comparison runs), and the decision."""
    return _change_page(request, _get_change(pk))


@department_admin_required
@require_POST
def policy_change_approve(request: HttpRequest, pk: int) -> HttpResponse:
    change = _get_change(pk)
    form = ApprovePolicyForm(request.POST, user=request.user, prefix="approve")
    if form.is_valid():
        try:
            change = policy_changes.approve_policy_change(
                actor=request.user, change=change, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request,
                _("Approved: version %(n)s of the policy is in force.")
                % {"n": change.version.number},
            )
            return redirect("data:policy")
    return _change_page(request, change, 400, approve=form)


@department_admin_required
@require_POST
def policy_change_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _close(
        request,
        pk,
        RejectPolicyForm,
        "reject",
        policy_changes.reject_policy_change,
        _("Rejected. The policy stays as it is."),
    )


@department_admin_required
@require_POST
def policy_change_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _close(
        request,
        pk,
        WithdrawPolicyForm,
        "withdraw",
        policy_changes.withdraw_policy_change,
        _("Withdrawn. The policy stays as it is."),
    )


def _close(
    request: HttpRequest,
    pk: int,
    form_class: type[Form],
    prefix: str,
    close: Callable[..., Any],
    done: str,
) -> HttpResponse:
    """Reject or withdraw a change with the form's note; the change page again on errors."""
    change = _get_change(pk)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            close(actor=request.user, change=change, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, done)
            return redirect(change)
    return _change_page(request, change, 400, **{prefix: form})


@department_admin_required
@require_POST
def policy_change_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    """Compare the published tables again (the data may have changed since the proposal)."""
    change = _get_change(pk)
    try:
        policy_changes.refresh_preview(actor=request.user, change=change)
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect(change)
