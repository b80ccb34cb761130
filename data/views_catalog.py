"""The catalog: datasets, their uploads (validated in the background), measures, the query log
and record-level previews for analysts. The policy's pages are in views_policy."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from data import actions, portal, queries, uploads
from data.forms import DatasetForm, MeasureForm
from data.forms_upload import UploadForm, upload_limit
from data.models import Dataset, Measure, QueryLog, Upload
from powershare.decorators import department_required
from powershare.exports import csv_response
from powershare.filters import choice_filter, read_param
from powershare.pagination import paginate, query_without_page


def analyst_required(view: Any) -> Any:
    """Analysts (and department admins) only: signed-out visitors are sent to sign in."""

    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not queries.is_analyst(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def dataset(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Dataset, pk=pk)
    measures = queries.visible_measures(request.user).filter(dataset=item)
    context = {
        "dataset": item,
        "measures": measures,
        "is_analyst": queries.is_analyst(request.user),
        "uploads": item.uploads.all()[:10] if queries.is_analyst(request.user) else [],
    }
    return render(request, "data/dataset_detail.html", context)


@analyst_required
def dataset_new(request: HttpRequest) -> HttpResponse:
    form = DatasetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = actions.create_dataset(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Added the dataset. Upload its first file."))
        return redirect("data:upload_new", item.pk)
    return render(request, "data/form.html", {"form": form, "title": _("New dataset")})


@analyst_required
def dataset_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Dataset, pk=pk)
    form = DatasetForm(request.POST or None, instance=Dataset.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        actions.update_dataset(actor=request.user, dataset=item, **form.cleaned_data)
        messages.success(request, _("Saved the dataset."))
        return redirect(item)
    return render(
        request,
        "data/form.html",
        {"form": form, "title": item.title, "cancel": item.get_absolute_url()},
    )


@analyst_required
def dataset_records(request: HttpRequest, pk: int) -> HttpResponse:
    """Record-level rows of a dataset: analysts only, never exported from here."""
    item = get_object_or_404(Dataset, pk=pk)
    geo = portal.geography() if item.kind == Dataset.Kind.GEOGRAPHY else None
    if geo is not None:  # boundaries: the areas of every level
        columns = ["level", "code", "name"]
        rows = [(lv, c, geo.name(lv, c)) for lv in geo.levels for c in geo.codes(lv)][:100]
    else:
        try:
            columns, rows = portal.preview(item.name)
        except KeyError:
            columns, rows = [], []
    return render(
        request, "data/dataset_records.html", {"dataset": item, "columns": columns, "rows": rows}
    )


@csrf_exempt  # checked below, after the size check, so a huge body is never read for it
def upload_new(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if not queries.is_analyst(request.user):
        raise PermissionDenied
    item = get_object_or_404(Dataset, pk=pk)
    context: dict[str, Any] = {
        "dataset": item,
        "limit": upload_limit(),
        "limit_mb": upload_limit() // 1_048_576,
    }
    if request.method == "POST":
        # Refuse an oversized upload from its Content-Length, before reading any of it.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > upload_limit() + 65536:
            context["form"] = UploadForm(kind=item.kind)
            context["too_big"] = _(
                "The file is about %(size)s MB; the limit is %(limit)s MB. Split it by year and "
                "upload the parts, or ask an administrator to load it from the command line."
            ) % {"size": f"{length // 1_048_576:,}", "limit": f"{upload_limit() // 1_048_576:,}"}
            return render(request, "data/upload_form.html", context, status=413)
        rejected = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {})
        if rejected is not None:
            return rejected
        form = UploadForm(request.POST, request.FILES, kind=item.kind)
        if form.is_valid():
            upload = uploads.start_upload(
                actor=request.user,
                dataset=item,
                upload=form.cleaned_data["file"],
                replace=form.cleaned_data.get("replace", False),
                options=form.options(),
            )
            return redirect(upload)
    else:
        form = UploadForm(kind=item.kind)
    context["form"] = form
    return render(request, "data/upload_form.html", context)


@analyst_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """An upload's progress (polled by htmx while it runs), then its result or its errors."""
    item = get_object_or_404(Upload.objects.select_related("dataset"), pk=pk)
    template = "data/includes/upload_status.html" if request.htmx else "data/upload_detail.html"
    return render(request, template, {"upload": item, "dataset": item.dataset})


# -- measures -------------------------------------------------------------------------------


def measure(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(queries.visible_measures(request.user), pk=pk)
    return render(
        request,
        "data/measure_detail.html",
        {
            "measure": item,
            "is_analyst": queries.is_analyst(request.user),
            "beside": queries.shown_beside(request.user, item),
        },
    )


def _measure_form(request: HttpRequest, item: Measure | None) -> HttpResponse:
    form = MeasureForm(
        request.POST or None, instance=Measure.objects.get(pk=item.pk) if item else None
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            if item:
                item = actions.update_measure(actor=request.user, measure=item, **fields)
            else:
                item = actions.create_measure(actor=request.user, **fields)
        except (ValidationError, ValueError) as error:
            form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Saved the measure."))
            return redirect(item)
    title = item.label if item else _("New measure")
    return render(
        request,
        "data/form.html",
        {"form": form, "title": title, "cancel": item.get_absolute_url() if item else None},
    )


@analyst_required
def measure_new(request: HttpRequest) -> HttpResponse:
    return _measure_form(request, None)


@analyst_required
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _measure_form(request, get_object_or_404(Measure, pk=pk))


# -- the query log (the policy's pages are in views_policy) -----------------------------------------------------------------


@department_required
def query_log(request: HttpRequest) -> HttpResponse:
    """Every query of an internal measure: who, when, what."""
    logs = QueryLog.objects.select_related("user", "organization").all()
    if read_param(request.GET, "format", choice_filter(_("Format"), [("csv", "CSV")])):
        rows = (
            [str(log.at), log.user or "", log.organization or "", log.measure, log.what, log.params]
            for log in logs
        )
        return csv_response(
            "data-query-log.csv",
            [_("When"), _("Who"), _("Organization"), _("Measure"), _("What"), _("Query")],
            rows,
        )
    page = paginate(request, logs)
    return render(
        request,
        "data/query_log.html",
        {"page": page, "logs": page.object_list, "query": query_without_page(request)},
    )
