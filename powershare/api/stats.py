"""Statistics in the API: the data portal's catalog, policy, warm engine and query log.

``GET /statistics/query`` runs the same path as the data pages: the measure comes from
``data.queries.visible_measures(user)`` (internal measures only for staff and partners with a
current agreement, and their queries are logged as the pages log them), the department's
suppression policy from ``data.queries.policy()``, the engine from ``data.portal.run`` on the
store at ``DATA_ROOT``, the answer from ``data.exports.json_export`` (the JSON twin's). Suppressed
cells come back as nulls with their reason. Custom areas need a token: every released custom area
is remembered and narrows what may be released next, so anonymous callers don't get to spend that
budget.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from powershare.api.auth import ApiError
from powershare.api.schemas import responses
from powershare.api.stats_schemas import StatsOut
from powershare.stats import CustomArea, PolicyError, QueryTimeout, SuppressionPolicy
from powershare.stats import Query as StatsQuery

router = Router(tags=["statistics"])

YEARS = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*$")
MAX_YEARS = 50


def policy() -> SuppressionPolicy:
    """The department's disclosure policy: the data portal's (so the API and the pages can't be
    played against each other), or the engine's defaults where the data module is absent."""
    try:
        from data.queries import policy as department_policy
    except ImportError:
        return SuppressionPolicy()
    return department_policy()


class MeasureOut(Schema):
    name: str
    label: str
    dataset: str
    kind: str
    per: int


class StatsParams(Schema):
    measure: str = Field(max_length=64, description="A measure's name (see /statistics/measures).")
    years: str = Field(
        max_length=40,
        description=(
            "A year (`2023`), a block of years pooled together (`2021-2023`), or several broken "
            "down by year; which spans are released is the department's policy."
        ),
    )
    level: str = Field("county", max_length=40, description="Geography level.")
    units: list[str] = Field([], max_length=200, description="Only these units of the level.")
    by: list[str] = Field(
        [], max_length=4, description="Strata: `race`, `sex`, `age_group`, `year`."
    )
    age_groups: str | None = Field(None, max_length=100, description="e.g. `0-17,18-64,65+`.")
    area: list[str] = Field(
        [],
        max_length=10,
        description="Custom areas, `Name=level:code,level:code` (needs a token).",
    )
    reference: str | None = Field(
        "county", max_length=80, description="`county`, `level:code`, an area or `race=nh_white`."
    )


def _years(text: str) -> tuple[int, ...]:
    match = YEARS.match(text)
    if not match:
        raise ApiError(400, "years: give a year (2023) or a span (2020-2024).")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first or last - first >= MAX_YEARS:
        raise ApiError(400, f"years: a span of 1 to {MAX_YEARS} years, first year first.")
    return tuple(range(first, last + 1))


@router.get(
    "/statistics/measures",
    response=responses(list[MeasureOut]),
    url_name="statistics_measures",
    summary="Measures the statistics engine computes",
)
def list_measures(request: HttpRequest) -> Any:
    from data.queries import visible_measures

    return [
        {"name": m.name, "label": m.label, "dataset": m.dataset.name, "kind": m.kind, "per": m.per}
        for m in visible_measures(request.user).order_by("name")
    ]


@router.get(
    "/statistics/query",
    response=responses(StatsOut) | {400: responses(StatsOut, write=True)[400]},
    url_name="statistics_query",
    exclude_unset=True,  # a row has the strata it was asked for, a note only where it has one
    summary="Counts and rates with suppression: the table a data page shows",
)
def query(request: HttpRequest, params: Query[StatsParams]) -> Any:
    from data import actions, exports
    from data.queries import agreement_for, visible_measures

    user = request.user
    if params.area and not user.is_authenticated:
        raise ApiError(401, "Custom areas need a token.")
    measure = visible_measures(user).filter(name=params.measure).first()
    if measure is None:
        raise ApiError(400, f"measure: no measure {params.measure[:64]!r} that you can query.")
    result = _published(measure, params) if measure.is_indicator else _computed(measure, params)
    actions.log_query(
        user=user,
        measure=measure,
        params=params.dict(),
        what="api",
        agreement=agreement_for(user, measure),
    )
    return exports.json_export(result, measure)


def _computed(measure: Any, params: StatsParams) -> Any:
    """The engine's answer under the department's policy (the data pages' path)."""
    from data import portal

    try:
        areas = tuple(CustomArea.parse(spec) for spec in params.area)
        spec = StatsQuery(
            measure.name,
            years=_years(params.years),
            level=params.level,
            units=tuple(params.units) or None,
            custom_areas=areas,
            by=tuple(params.by),
            age_groups=params.age_groups or None,
            reference=params.reference or None,
        )
        return portal.run(spec, policy=policy(), measure=portal.engine_measure(measure))
    except (PolicyError, ValueError, KeyError) as error:
        message = error.args[0] if error.args else str(error)
        raise ApiError(400, str(message)) from None
    except QueryTimeout:
        raise ApiError(400, "The query took too long; ask for fewer strata or areas.") from None


def _published(measure: Any, params: StatsParams) -> Any:
    """A published indicator's estimates, as the data pages give them: its level and the
    latest published year among `years`, the county after them unless `reference=none`."""
    from data import indicators
    from data.queries import QuerySpec

    if params.area or params.units or params.by or params.age_groups:
        raise ApiError(
            400,
            "Published estimates are one number per area of the publisher's: no custom areas, "
            "units, breakdowns or age groups.",
        )
    try:
        spec = QuerySpec(
            measure=measure,
            years=_years(params.years),
            level=params.level,
            compare="none" if params.reference == "none" else "county",
        )
        return indicators.run(spec)
    except (ValueError, KeyError) as error:
        message = error.args[0] if error.args else str(error)
        raise ApiError(400, str(message)) from None
