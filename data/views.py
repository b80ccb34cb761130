"""The partner data portal: the landing page, the query builder with its JSON twin and
downloads, saved queries and the printable fact sheet. Thin: parse, check, call, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from data import actions, charts, exports, portal, present, queries, trend
from data.forms import QueryForm, SaveQueryForm
from data.models import Measure, PolicySetting, SavedQuery
from powershare.filters import choice_filter, read_param
from powershare.pagination import paginate, query_without_page
from powershare.visibility import can_edit, get_visible_or_404


def index(request: HttpRequest) -> HttpResponse:
    measures = queries.visible_measures(request.user)
    context = {
        "measures": measures.exclude(kind=Measure.Kind.INDICATOR),
        "published": measures.filter(kind=Measure.Kind.INDICATOR),
        "datasets": queries.datasets(),
        "saved": queries.saved_queries(request.user)[:5] if request.user.is_authenticated else [],
        "is_analyst": queries.is_analyst(request.user),
        "agreements": queries.current_agreements(request.user),
    }
    return render(request, "data/index.html", context)


# -- the query builder ------------------------------------------------------------------------


def _form(request: HttpRequest, data: Any, defaults: bool = False) -> QueryForm:
    measures = queries.visible_measures(request.user)
    policy = PolicySetting.current()
    form = QueryForm(data, measures=measures, policy=policy)
    # A link that names some choices only (the catalog's "?measure=…") gets the form's own
    # defaults for the rest, as the page shows them, rather than "This field is required".
    missing = [n for n in ("years", "level") if defaults and data and not form.data.get(n)]
    if missing and all(form.fields[n].initial for n in missing):
        data = form.data.copy()
        for name in missing:
            data[name] = form.fields[name].initial
        form = QueryForm(data, measures=measures, policy=policy)
    if not data:
        first = measures.filter(status=Measure.Status.PUBLISHED).first() or measures.first()
        if first:
            form.fields["measure"].initial = first.name
    return form


def _run(request: HttpRequest, form: QueryForm, what: str) -> queries.Outcome:
    spec = form.spec()
    outcome = queries.run_spec(spec)
    actions.log_query(
        user=request.user,
        measure=spec.measure,
        params=spec.params,
        what=what,
        agreement=queries.agreement_for(request.user, spec.measure),
    )
    return outcome


def result_context(outcome: queries.Outcome | None) -> dict[str, Any]:
    """Everything the result fragment (and the fact sheet) draws."""
    if outcome is None:
        return {"outcome": None}
    context: dict[str, Any] = {"outcome": outcome, "spec": outcome.spec}
    context["querystring"] = outcome.spec.querystring()
    context["measure_label"] = present.measure_label(outcome.spec.measure)
    if not outcome.ok:
        return context
    table = present.cells(outcome)
    release_meta = outcome.result.meta.get("release", {}) if outcome.result else {}
    context.update(
        table=table,
        strata_labels=[queries.stratum_label(s) for s in outcome.spec.by],
        headline=present.headline(outcome, table),
        bars=charts.bar_chart(outcome, table),
        trend=charts.trend_chart(outcome, table),
        annual_changes=trend.annual_changes(outcome, table),
        conf_label=trend.confidence_label(outcome),
        map=charts.choropleth(outcome, table),
        provenance=exports.provenance(outcome),
        data_version=exports.data_version(outcome.result.meta.get("data_versions", {}))
        if outcome.result
        else "—",
        computed_on=exports.computed_on(outcome.result.meta) if outcome.result else "—",
        suppressed_count=sum(1 for c in table if c.suppressed),
        unreliable_count=sum(1 for c in table if c.unreliable),
        reasons=sorted({c.reason for c in table if c.suppressed}),
        is_rate=outcome.spec.measure.kind == "rate",
        published=outcome.spec.is_indicator,
        years_label=(
            str(outcome.result.meta.get("year"))
            if outcome.spec.is_indicator and outcome.result
            else outcome.spec.years_label
        ),
        level_label=queries.level_label(outcome.spec.level),
        perturbed=release_meta.get("method") == "perturbation",
        max_noise=release_meta.get("perturbation", {}).get("max_noise"),
        tiled_areas=[
            (name, tiles, tiles * release_meta["perturbation"]["max_noise"])
            for name, tiles in release_meta.get("perturbation", {})
            .get("custom_area_tiles", {})
            .items()
        ],
    )
    return context


def query(request: HttpRequest) -> HttpResponse:
    form = _form(request, request.GET or None, defaults=True)
    outcome = _run(request, form, "query") if request.GET and form.is_valid() else None
    context = {
        "form": form,
        "picker": portal.shapes("neighborhood"),
        "save_form": SaveQueryForm(user=request.user) if request.user.is_authenticated else None,
        "beside": queries.shown_beside(request.user, outcome.spec.measure) if outcome else [],
        **result_context(outcome),
    }
    template = "data/includes/result.html" if request.htmx else "data/query.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _valid_form_or_404(request: HttpRequest) -> QueryForm:
    form = _form(request, request.GET)
    if not form.is_valid():
        raise Http404
    return form


def query_json(request: HttpRequest) -> JsonResponse:
    """The JSON twin of a query page: the engine's result with its meta, nothing suppressed."""
    form = _form(request, request.GET)
    if not form.is_valid():
        if (
            "measure" in form.errors
            and Measure.objects.filter(name=request.GET.get("measure", "")).exists()
        ):
            raise Http404  # an internal measure this user may not query: as if it didn't exist
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    outcome = _run(request, form, "json")
    if not outcome.ok:
        body = {
            "refused": outcome.refusal,
            "detail": outcome.detail,
            "suggestions": [
                {"label": label, "url": f"{reverse('data:query')}?{qs}"}
                for label, qs in outcome.suggestions
            ],
        }
        return JsonResponse(body, status=422)
    assert outcome.result is not None  # an outcome that is ok has its result
    return JsonResponse(exports.json_export(outcome.result, outcome.spec.measure))


def _filename(outcome: queries.Outcome, suffix: str) -> str:
    spec = outcome.spec
    return f"{slugify(spec.measure.name)}-{min(spec.years)}-{max(spec.years)}-{spec.level}.{suffix}"


def _download(request: HttpRequest, what: str, export: Any) -> HttpResponse:
    """A download of the query in the GET parameters (`what` names the format, and the log's
    entry); a refusal goes back to the query page, which says why."""
    form = _valid_form_or_404(request)
    outcome = _run(request, form, what)
    if not outcome.ok:
        messages.error(request, outcome.refusal)
        return redirect(f"{reverse('data:query')}?{outcome.spec.querystring()}")
    response: HttpResponse = export(outcome, present.cells(outcome), _filename(outcome, what))
    return response


def query_csv(request: HttpRequest) -> HttpResponse:
    return _download(request, "csv", exports.csv_export)


def query_xlsx(request: HttpRequest) -> HttpResponse:
    return _download(request, "xlsx", exports.xlsx_export)


def query_zip(request: HttpRequest) -> HttpResponse:
    """The CSV with a README (policy, sources, data version, notes, columns) in one zip."""
    return _download(request, "zip", exports.zip_export)


def shapes(request: HttpRequest, level: str) -> JsonResponse:
    """The shapes of a level as the app draws them (SVG path data, no tiles)."""
    if level not in portal.map_levels():
        raise Http404
    features = [
        {"code": s.code, "name": s.name, "path": s.path, "center": [s.cx, s.cy]}
        for s in portal.shapes(level)
    ]
    return JsonResponse(
        {"level": level, "width": portal.MAP_WIDTH, "height": portal.MAP_HEIGHT, "shapes": features}
    )


def shapes_geojson(request: HttpRequest, level: str) -> HttpResponse:
    """A level's shapes as RFC 7946 GeoJSON (WGS 84, each feature's `code` and `name`), for
    joining a result to its areas in QGIS or R."""
    geo = portal.geography()
    path = geo.shapes(level) if geo and level in portal.map_levels() else None
    if path is None or not path.exists():
        raise Http404
    response = HttpResponse(path.read_bytes(), content_type="application/geo+json")
    response["Content-Disposition"] = f'inline; filename="{level}.geojson"'
    return response


# -- saved queries ------------------------------------------------------------------------------


@login_required
@require_POST
def save_query(request: HttpRequest) -> HttpResponse:
    query_form = _valid_form_or_404(request)
    form = SaveQueryForm(request.POST, user=request.user)
    if not request.user.is_department and not request.user.organization_ids:
        raise PermissionDenied
    back = f"{reverse('data:query')}?{query_form.spec().querystring()}"
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect(back)
    try:
        saved = actions.save_query(
            actor=request.user,
            title=form.cleaned_data["title"],
            params=query_form.spec().params,
            campaign=form.cleaned_data.get("campaign"),
            notes=form.cleaned_data.get("notes", ""),
            visibility=form.cleaned_data["visibility"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(request, _("Saved “%(title)s”.") % {"title": saved.title})
    return redirect(saved)


@login_required
def saved_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, queries.saved_queries(request.user))
    return render(
        request,
        "data/saved_list.html",
        {"page": page, "saved": page.object_list, "query": query_without_page(request)},
    )


def _saved_outcome(
    request: HttpRequest, saved: SavedQuery, what: str
) -> tuple[QueryForm, queries.Outcome | None]:
    form = _form(request, saved.params)
    if not form.is_valid():
        return form, None
    return form, _run(request, form, what)


def saved(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_visible_or_404(
        SavedQuery.objects.select_related("campaign", "organization"), request.user, pk=pk
    )
    form, outcome = _saved_outcome(request, item, "query")
    context = {
        "saved": item,
        "form": form,
        "can_edit": can_edit(request.user, item),
        **result_context(outcome),
    }
    return render(request, "data/saved_detail.html", context)


@login_required
def saved_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_visible_or_404(SavedQuery.objects.all(), request.user, pk=pk)
    if not can_edit(request.user, item):
        raise PermissionDenied
    if request.method == "POST":
        actions.delete_saved_query(actor=request.user, saved=item)
        messages.success(request, _("Deleted the saved query."))
        return redirect("data:saved_list")
    return render(
        request, "data/confirm_delete.html", {"object": item, "cancel": item.get_absolute_url()}
    )


def factsheet(request: HttpRequest, pk: int) -> HttpResponse:
    """A one-page printable fact sheet of a saved query, in English or Spanish (?lang=es)."""
    item = get_visible_or_404(
        SavedQuery.objects.select_related("campaign", "organization"), request.user, pk=pk
    )
    lang = read_param(request.GET, "lang", choice_filter(_("Language"), settings.LANGUAGES))
    if not lang:
        lang = translation.get_language() or "en"
        lang = "es" if lang.startswith("es") else "en"
    with translation.override(lang):
        form, outcome = _saved_outcome(request, item, "factsheet")
        context = {
            "saved": item,
            "lang": lang,
            "policy": PolicySetting.current(),
            **result_context(outcome),
        }
        table = context.get("table", [])
        focus = present.focus_cell(outcome, table)
        context["factsheet_rows"] = [
            c for c in table if c.is_reference_area or (focus and c.area == focus.area)
        ]
        response = render(request, "data/factsheet.html", context)
    if read_param(request.GET, "download", choice_filter(_("Download"), [("1", _("Yes"))])):
        name = f"fact-sheet-{slugify(item.title)}-{lang}.html"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Content-Language"] = lang
    return response
