"""What a policy change would do to what is already published, before anyone approves it.

"Published" is what anyone can read today: the tables of every published measure at every
released level (the latest block of years, broken down by the release's strata, with their
totals), and saved queries whose visibility is public (their pages and fact sheets). Each is
run under the current and the proposed policy through the portal's one execution path, and
:func:`compare` (pure) lists the cells newly shown and newly hidden, and the queries newly
refused or newly answered. The comparison names cells, never their values.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from data import portal, queries
from data.models import Measure, PolicySetting, SavedQuery
from powershare.visibility import Visibility

#: At most this many published queries are compared (each runs under both policies).
MAX_QUERIES = 40
#: At most this many cells are listed per query and direction (all are counted).
MAX_CELLS = 100
#: What identifies a cell of a result (the columns present in its rows).
CELL_KEYS = ("area", "race", "sex", "age_group", "year")


@dataclass(frozen=True)
class Answer:
    """A query's answer under one policy: its rows, or the code of why it is refused."""

    rows: tuple[dict[str, Any], ...] | None
    refusal: str = ""  # a code of REFUSALS ("" when answered)
    detail: str = ""  # the engine's rule, as the query page shows it

    @property
    def answered(self) -> bool:
        return self.rows is not None and not self.refusal


@dataclass
class Comparison:
    """How one query's answer moves from the current policy to the proposed one."""

    status: str  # same, changed, newly_refused, newly_answered, refused
    refusal_now: str = ""
    refusal_proposed: str = ""
    detail: str = ""
    shown_now: int = 0
    shown_proposed: int = 0
    newly_shown: list[dict[str, str]] = field(default_factory=list)
    newly_shown_count: int = 0
    newly_hidden: list[dict[str, str]] = field(default_factory=list)
    newly_hidden_count: int = 0


def _cell(row: dict[str, Any]) -> dict[str, str]:
    cell = {k: str(row[k]) for k in CELL_KEYS if row.get(k) is not None}
    cell["area_name"] = str(row.get("area_name") or row.get("area") or "")
    return cell


def _key(row: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple((k, str(row[k])) for k in CELL_KEYS if row.get(k) is not None)


def _shown(answer: Answer) -> dict[tuple[tuple[str, str], ...], dict[str, Any]]:
    return {_key(r): r for r in answer.rows or () if not r.get("suppressed")}


def compare(current: Answer, proposed: Answer, *, limit: int = MAX_CELLS) -> Comparison:
    """Compare one query's answer under the current and the proposed policy: cells shown under
    one and hidden (or absent) under the other, and whether the query is newly refused or
    newly answered. At most ``limit`` cells are listed each way; all are counted."""
    now, then = _shown(current), _shown(proposed)
    out = Comparison(
        status="same",
        refusal_now=current.refusal,
        refusal_proposed=proposed.refusal,
        detail=proposed.detail or current.detail,
        shown_now=len(now) if current.answered else 0,
        shown_proposed=len(then) if proposed.answered else 0,
    )
    if not current.answered and not proposed.answered:
        out.status = "refused"
        return out
    if current.answered and not proposed.answered:
        out.status = "newly_refused"
        return out
    if not current.answered:
        out.status = "newly_answered"
        return out
    shown = [then[k] for k in then if k not in now]
    hidden = [now[k] for k in now if k not in then]
    out.newly_shown = [_cell(r) for r in shown[:limit]]
    out.newly_shown_count = len(shown)
    out.newly_hidden = [_cell(r) for r in hidden[:limit]]
    out.newly_hidden_count = len(hidden)
    if shown or hidden:
        out.status = "changed"
    return out


# -- running the published queries under both policies ---------------------------------------


@dataclass(frozen=True)
class Published:
    """A published query: a measure's table at a level, or a public saved query."""

    params: dict[str, Any]
    saved_id: int | None = None
    title: str = ""


def _levels_blocks_strata(
    setting: PolicySetting, measures: list[Measure]
) -> tuple[list[str], tuple[int, int] | None, list[str]]:
    from data.forms import complete_blocks

    engine = portal.engine_policy(setting, record_releases=False)
    levels = portal.released_levels(engine) or ["county"]
    loaded = sorted({y for m in measures for y in (m.dataset.years or [])})
    blocks = complete_blocks(loaded, engine) if loaded else []
    strata = [s for s in queries.STRATA_CHOICES if s in engine.release_strata]
    return levels, (blocks[-1] if blocks else None), strata


def published_queries(current: PolicySetting, proposed: PolicySetting) -> list[Published]:
    """Every published query worth comparing, most published first: each published measure's
    table at each level (the current policy's latest block and strata), public saved queries,
    then the tables the proposed policy would release in their place."""
    # Published estimates are the publisher's: no policy of ours changes them.
    measures = list(
        Measure.objects.published().exclude(kind=Measure.Kind.INDICATOR).select_related("dataset")
    )
    levels_now, block_now, strata_now = _levels_blocks_strata(current, measures)
    levels_then, block_then, strata_then = _levels_blocks_strata(proposed, measures)
    levels = levels_now + [lv for lv in levels_then if lv not in levels_now]

    def tables(block: tuple[int, int] | None, strata: list[str]) -> list[Published]:
        if block is None:
            return []
        return [
            Published(
                {
                    "measure": m.name,
                    "years": queries.block_value(block),
                    "level": level,
                    "by": strata,
                    "rate": "adjusted",
                    "compare": "county",
                }
            )
            for m in measures
            for level in levels
        ]

    saved = [
        Published(dict(s.params), saved_id=s.pk, title=s.title)
        for s in SavedQuery.objects.filter(visibility=Visibility.PUBLIC).order_by("-created")
    ]
    found = tables(block_now, strata_now) + saved
    if (block_then, strata_then) != (block_now, strata_now):
        found += tables(block_then, strata_then)
    return found


def _form_refusal(form: Any) -> str:
    for name in ("level", "years", "by", "measure"):
        if name in form.errors:
            return name
    return "form"


def answer(params: dict[str, Any], setting: PolicySetting, measures: Any) -> Answer:
    """The answer to ``params`` (a query's GET parameters) under ``setting``, as the query
    page would give it, without its trend and without recording any release."""
    from data.forms import QueryForm

    form = QueryForm(params, measures=measures, policy=setting)
    if not form.is_valid():
        return Answer(None, _form_refusal(form))
    spec = dataclasses.replace(form.spec(), trend_years=())
    outcome = queries.run_spec(
        spec, engine_policy=portal.engine_policy(setting, record_releases=False)
    )
    if outcome.ok:
        return Answer(tuple(outcome.result.rows()))  # type: ignore[union-attr]
    codes = {
        _("The department's privacy rules don't allow this table."): "rules",
        _("This query took too long. Try fewer groups or a coarser geography."): "timeout",
        _("This query can't be run on the data loaded now."): "data",
    }
    code = "small" if outcome.result is not None else codes.get(outcome.refusal, "rules")
    return Answer(None, code, outcome.detail)


def preview(
    current: PolicySetting, proposed: PolicySetting, *, limit: int = MAX_QUERIES
) -> dict[str, Any]:
    """Run the first ``limit`` published queries under both policies; a JSON-ready summary."""
    found = published_queries(current, proposed)
    measures = Measure.objects.published().select_related("dataset")
    compared = []
    for item in found[:limit]:
        result = compare(
            answer(item.params, current, measures), answer(item.params, proposed, measures)
        )
        compared.append(
            {
                "params": item.params,
                "saved_id": item.saved_id,
                "title": item.title,
                **dataclasses.asdict(result),
            }
        )
    return {
        "total": len(found),
        "compared": len(compared),
        "limit": limit,
        "newly_shown": sum(c["newly_shown_count"] for c in compared),
        "newly_hidden": sum(c["newly_hidden_count"] for c in compared),
        "newly_refused": sum(1 for c in compared if c["status"] == "newly_refused"),
        "newly_answered": sum(1 for c in compared if c["status"] == "newly_answered"),
        "queries": compared,
    }


# -- for people to read ---------------------------------------------------------------------


def refusal_label(code: str) -> str:
    """Why a query is refused, in the reader's language."""
    labels = {
        "level": _("The policy doesn't release this geography."),
        "years": _("The policy doesn't release these years."),
        "by": _("The policy doesn't release this breakdown."),
        "measure": _("The measure is no longer published."),
        "form": _("The query is not valid under this policy."),
        "rules": _("The department's privacy rules don't allow this table."),
        "small": _("Every number would be too small to show."),
        "timeout": _("The query took too long."),
        "data": _("The data loaded now can't answer it."),
    }
    return str(labels.get(code, code))


def cell_label(cell: dict[str, str]) -> str:
    """A cell as people name it: the area, then its groups (Eastside · Black · 5-17)."""
    from data.present import stratum_value_label

    parts = [cell.get("area_name") or cell.get("area", "")]
    for key in CELL_KEYS[1:]:
        if key in cell:
            parts.append(stratum_value_label(key, cell[key]))
    return " · ".join(parts)


def query_label(item: dict[str, Any], measures: dict[str, Measure]) -> str:
    """A compared query as people name it: the saved query's title, or the table it is."""
    if item.get("title"):
        return str(item["title"])
    from data.present import measure_label

    params = item["params"]
    measure = measures.get(params.get("measure", ""))
    parts = [measure_label(measure) if measure else params.get("measure", "")]
    parts.append(queries.level_label(params.get("level", "")))
    parts.append(str(params.get("years", "")).replace("-", "–"))
    by = [queries.stratum_label(s) for s in params.get("by") or []]
    if by:
        parts.append(_("by %(strata)s") % {"strata": ", ".join(by)})
    return ", ".join(p for p in parts if p)
