"""Published indicators in the portal: the measures an indicator file brings, and their
answers (the publisher's estimates, as published; see `powershare.stats.indicators`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from data import portal
from data.models import Dataset, Measure
from powershare import stats
from powershare.audit.log import record
from powershare.stats import indicators as published

if TYPE_CHECKING:
    from data.queries import QuerySpec


def sync_measures(*, dataset: Dataset, actor: Any = None) -> list[Measure]:
    """An internal measure for each published measure and value type in the dataset's file
    that the catalog lacks; the department reviews and publishes them. Returns the new ones."""
    existing = {(m.indicator, m.value_type) for m in Measure.objects.filter(dataset=dataset)}
    created = []
    for ind in published.indicators(portal.store(), dataset.name):
        if (ind.measure_id, ind.value_type_id) in existing:
            continue
        measure = Measure.objects.create(
            name=_free_name(f"{dataset.name}_{ind.measure_id}_{ind.value_type_id}".lower()),
            label=f"{ind.measure}: {ind.value_type.lower()}, {dataset.title}"[:200],
            short_label=ind.measure[:120],
            dataset=dataset,
            kind=Measure.Kind.INDICATOR,
            indicator=ind.measure_id,
            value_type=ind.value_type_id,
            unit=f"{ind.value_type.lower()}, {ind.unit}"[:120],
            description=_("Published by %(source)s; estimates and limits as published.")
            % {"source": ind.source or dataset.source or dataset.title},
            status=Measure.Status.INTERNAL,
        )
        created.append(measure)
        record(
            actor=actor,
            event="measure.created",
            target=measure,
            changes={"indicator": ind.measure_id, "value_type": ind.value_type_id},
        )
    return created


def _free_name(name: str) -> str:
    name = "".join(c if c.isalnum() or c == "_" else "_" for c in name)[:40]
    if not name[:1].isalpha():
        name = f"m_{name}"[:40]
    taken = set(Measure.objects.filter(name__startswith=name[:34]).values_list("name", flat=True))
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name[: 40 - len(str(n)) - 1]}_{n}"
    return candidate


def run(spec: QuerySpec) -> stats.Result:
    """The publisher's estimates that a query asks for: its level, the latest published year
    in its years, the county after them when compared with it. ValueError says what can't be
    answered (custom areas, breakdowns, a year or level the file lacks)."""
    measure = spec.measure
    if spec.is_custom:
        raise ValueError(
            _(
                "Published estimates are for the publisher's own areas; they can't be added "
                "up into a custom area."
            )
        )
    if spec.by:
        raise ValueError(
            _("Published estimates come as one number per area; they have no breakdown by group.")
        )
    levels = portal.levels()
    # The county is the reference of its own areas, not of other counties'.
    inside = spec.level not in portal.comparison_levels()
    reference = levels[-1] if spec.compare == "county" and levels and inside else None
    return published.indicator_result(
        portal.store(),
        measure.dataset.name,
        measure.indicator,
        measure.value_type,
        level=spec.level,
        years=spec.years,
        reference=reference,
    )


def years(measures: Any) -> list[int]:
    """The years that the indicator measures among `measures` are published for."""
    return sorted(
        {y for m in measures if m.kind == Measure.Kind.INDICATOR for y in m.dataset.years or []}
    )
