"""Reads of the data portal: who may query which measure, the catalog, saved queries, evidence,
agreements, and running a portal query under the department's policy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from data import portal
from data.models import (
    DataAgreement,
    Dataset,
    EvidenceItem,
    Measure,
    PolicySetting,
    SavedQuery,
)
from powershare import stats

STRATA_CHOICES = ("race", "sex", "age_group", "year")


def is_staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_department)


def is_analyst(user: Any) -> bool:
    """Record-level data is for analysts (and department admins, who manage the portal)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.department_role == "analyst" or user.is_department_admin)
    )


def current_agreements(user: Any) -> QuerySet[DataAgreement]:
    """Agreements in force for the organizations ``user`` belongs to."""
    if not getattr(user, "is_authenticated", False) or not user.organization_ids:
        return DataAgreement.objects.none()
    return DataAgreement.objects.current().filter(organization__in=user.organization_ids)


def visible_measures(user: Any) -> QuerySet[Measure]:
    """Published measures for everyone; internal ones for staff and for partners whose
    organization has a current agreement covering the measure's dataset."""
    measures = Measure.objects.select_related("dataset")
    if is_staff(user):
        return measures
    q = Q(status=Measure.Status.PUBLISHED)
    agreements = current_agreements(user)
    if agreements.exists():
        q |= Q(dataset__agreements__in=agreements)
    return measures.filter(q).distinct()


def shown_beside(user: Any, measure: Measure) -> list[Measure]:
    """The measures on the same subject that ``user`` may query (our data beside a
    published estimate), by label."""
    return list(visible_measures(user).filter(related=measure).order_by("label"))


def agreement_for(user: Any, measure: Measure) -> DataAgreement | None:
    """The agreement under which ``user`` reads an internal measure (None: public or staff)."""
    if measure.is_public or is_staff(user):
        return None
    return current_agreements(user).filter(datasets=measure.dataset_id).first()


def datasets() -> QuerySet[Dataset]:
    return Dataset.objects.prefetch_related("measures")


def saved_queries(user: Any, *, campaign: Any = None) -> QuerySet[SavedQuery]:
    """Saved queries ``user`` may read, newest first."""
    qs = SavedQuery.objects.visible_to(user).select_related("campaign", "organization")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs


def search_evidence(user: Any, *, q: str = "", issue_area: str = "", kind: str = "") -> QuerySet:
    """Evidence items ``user`` may read, filtered by words, issue area and kind."""
    items = EvidenceItem.objects.visible_to(user).select_related("organization")
    if q:
        items = items.filter(
            Q(title__icontains=q) | Q(summary__icontains=q) | Q(authors__icontains=q)
        )
    if issue_area:
        items = items.filter(issue_area=issue_area)
    if kind:
        items = items.filter(kind=kind)
    return items


def linked_evidence(user: Any, record: Any) -> QuerySet[EvidenceItem]:
    """Evidence items ``user`` may read that are linked to ``record`` (a campaign or an ask)."""
    items = EvidenceItem.objects.visible_to(user).select_related("organization")
    if record._meta.model_name == "ask":
        return items.filter(asks=record)
    return items.filter(campaigns=record)


# -- running a query ----------------------------------------------------------------------


@dataclass
class QuerySpec:
    """A portal query as the builder's form states it (the GET parameters, validated)."""

    measure: Measure
    years: tuple[int, ...]
    trend_years: tuple[int, ...] = ()  # the years of the trend chart, whole blocks
    level: str = "neighborhood"
    units: tuple[str, ...] = ()  # "level:code" units of a custom area
    area_name: str = ""
    by: tuple[str, ...] = ()
    adjusted: bool = True
    compare: str = "county"
    focus: str = ""
    standard: str = ""  # the standard population chosen; "" is the measure's own
    params: dict[str, Any] = field(default_factory=dict)
    #: The engine's method options (forms_methods.MethodsForm): confidence levels, ratio
    #: method, standardized ratios, crude limits.
    methods: dict[str, Any] = field(default_factory=dict)

    @property
    def is_custom(self) -> bool:
        return self.level == "custom"

    @property
    def years_label(self) -> str:
        return block_label((min(self.years), max(self.years)))

    @property
    def is_rate(self) -> bool:
        return self.measure.kind == Measure.Kind.RATE

    @property
    def is_indicator(self) -> bool:
        return self.measure.kind == Measure.Kind.INDICATOR

    @property
    def standard_name(self) -> str:
        """The standard population that adjusts the rates ("" for proportions: never adjusted)."""
        if not self.is_rate:
            return ""
        return self.standard or self.measure.standard

    @property
    def standard_label(self) -> str:
        return standard_population_label(self.standard_name)

    def engine_query(
        self, *, by: tuple[str, ...] | None = None, years: tuple[int, ...] | None = None
    ) -> stats.Query:
        reference = None if self.compare == "none" else self.compare
        common: dict[str, Any] = {
            "years": years or self.years,
            "by": self.by if by is None else by,
            "reference": reference,
            "standard": self.standard_name or None,
            **self.methods,
        }
        if self.is_custom:
            area = stats.CustomArea(self.area_name or _("Custom area"), self.units)
            return stats.Query(self.measure.name, custom_areas=(area,), **common)
        return stats.Query(self.measure.name, level=self.level, **common)

    def querystring(self, **changes: Any) -> str:
        params = {**self.params, **changes}
        return urlencode({k: v for k, v in params.items() if v not in (None, "", [])}, doseq=True)


@dataclass
class Outcome:
    """A query's result, or why it can't be shown and what to try instead."""

    spec: QuerySpec
    result: stats.Result | None = None
    trend: stats.Result | None = None
    refusal: str = ""
    detail: str = ""
    suggestions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.result is not None and not self.refusal


def policy() -> stats.SuppressionPolicy:
    return portal.engine_policy(PolicySetting.current())


def run_spec(spec: QuerySpec, *, engine_policy: stats.SuppressionPolicy | None = None) -> Outcome:
    """Run a portal query under the department's policy; a refusal comes with suggestions."""
    if spec.measure.kind == Measure.Kind.INDICATOR:
        return _run_indicator(spec)
    engine_policy = engine_policy or policy()
    measure = portal.engine_measure(spec.measure)
    outcome = Outcome(spec)
    try:
        outcome.result = portal.run(spec.engine_query(), policy=engine_policy, measure=measure)
        if len(spec.trend_years) > len(spec.years):
            # Broken down by year, without a total over the years (the policy's partition).
            outcome.trend = portal.run(
                spec.engine_query(by=("year",), years=spec.trend_years),
                policy=engine_policy,
                measure=measure,
            )
    except stats.PolicyError as error:
        outcome.result = None
        outcome.refusal = _("The department's privacy rules don't allow this table.")
        outcome.detail = str(error)
    except stats.QueryTimeout:
        outcome.refusal = _("This query took too long. Try fewer groups or a coarser geography.")
    except (ValueError, KeyError, FileNotFoundError) as error:
        outcome.refusal = _("This query can't be run on the data loaded now.")
        outcome.detail = str(error).strip("'\"")
    if outcome.result is not None and not outcome.refusal:
        rows = outcome.result.rows()
        if rows and not any(not r["suppressed"] and r["count"] for r in rows):
            outcome.refusal = _(
                "Every number in this table is too small to show without risking someone's privacy."
            )
    if outcome.refusal:
        outcome.suggestions = suggestions(spec)
    return outcome


def _run_indicator(spec: QuerySpec) -> Outcome:
    """A published indicator's estimates: as published, never recomputed or re-suppressed."""
    from data import indicators

    outcome = Outcome(spec)
    try:
        outcome.result = indicators.run(spec)
    except (ValueError, KeyError, FileNotFoundError) as error:
        outcome.result = None
        outcome.refusal = _("These published estimates don't answer this query.")
        outcome.detail = str(error).strip("'\"")
        outcome.suggestions = suggestions(spec)
        return outcome
    # No estimate at the level asked for (the county's own row alone is no table).
    if not any(r["level"] == spec.level for r in outcome.result.rows()):
        outcome.refusal = _("The file has no estimates for this geography.")
    return outcome


def suggestions(spec: QuerySpec) -> list[tuple[str, str]]:
    """Coarser choices that are more likely to pass the policy: (label, query string)."""
    out: list[tuple[str, str]] = []
    level_order = portal.levels()
    if spec.is_custom:
        out.append(
            (
                _("Use neighborhoods instead of a custom area"),
                spec.querystring(level="neighborhood", unit=[]),
            )
        )
    elif spec.level in level_order:
        coarser = level_order[level_order.index(spec.level) + 1 :]
        if coarser:
            label = _("Use a larger geography: %(level)s") % {"level": level_label(coarser[0])}
            out.append((label, spec.querystring(level=coarser[0])))
    if spec.by:
        out.append(
            (
                _("Drop the breakdown by %(stratum)s") % {"stratum": stratum_label(spec.by[-1])},
                spec.querystring(by=list(spec.by[:-1])),
            )
        )
    return out


def block_value(block: tuple[int, int]) -> str:
    """A year or span of years as the query builder's links carry it: 2024, 2020-2024."""
    return str(block[0]) if block[0] == block[1] else f"{block[0]}-{block[1]}"


def block_label(block: tuple[int, int]) -> str:
    """A year or span of years for people to read: 2024, 2020–2024."""
    return str(block[0]) if block[0] == block[1] else f"{block[0]}–{block[1]}"


def level_label(level: str) -> str:
    labels = {
        "tract": _("census tracts"),
        "zip": _("ZIP codes"),
        "neighborhood": _("neighborhoods"),
        "council_district": _("council districts"),
        "county": _("the county"),
        "custom": _("a custom area"),
    }
    if level in labels:
        return str(labels[level])
    geo = portal.geography()
    language = (get_language() or "en").split("-")[0]
    return (geo.label(level, language) if geo else None) or level.replace("_", " ")


def standard_population_label(name: str) -> str:
    """A standard population's name in the reader's language ("" for none)."""
    if not name:
        return ""
    try:
        return str(Measure.Standard(name).label)
    except ValueError:
        return name


def stratum_label(stratum: str) -> str:
    labels = {
        "race": _("race/ethnicity"),
        "sex": _("sex"),
        "age_group": _("age group"),
        "year": _("year"),
    }
    return str(labels.get(stratum, stratum))


def race_labels() -> Mapping[str, str]:
    return {
        "hispanic": _("Hispanic or Latino"),
        "nh_white": _("White"),
        "nh_black": _("Black"),
        "nh_asian": _("Asian"),
        "nh_nhpi": _("Native Hawaiian or Pacific Islander"),
        "nh_aian": _("American Indian or Alaska Native"),
        "nh_multi": _("Two or more races, or another race"),
        "unknown": _("Unknown"),
        "total": _("All"),
    }
