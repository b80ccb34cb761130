"""The arithmetic of fair review, free of Django: weighted scores, per-reviewer
normalization, ranking with a disagreement flag, and reviewer assignment.

Every function is pure and typed; the web pages and the demo are thin callers.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean, pstdev
from typing import TypeVar

A = TypeVar("A", bound=Hashable)  # an application's key
R = TypeVar("R", bound=Hashable)  # a reviewer's key
K = TypeVar("K", bound=Hashable)  # a criterion's key

# Reviewers whose normalized scores for one application spread this far (in standard
# deviations) disagree strongly enough for the panel to talk it through.
DISAGREEMENT_SD = 1.0


@dataclass(frozen=True)
class Criterion:
    """A rubric line: its weight and the ends of its scale."""

    weight: float
    low: int
    high: int


def weighted_score(values: Mapping[K, float], criteria: Mapping[K, Criterion]) -> float:
    """One reviewer's score for one application, 0-100: each criterion rescaled to 0-1 and
    weighted. Every criterion must have a value inside its scale."""
    total_weight = sum(c.weight for c in criteria.values())
    if total_weight <= 0:
        raise ValueError("The rubric has no weight.")
    total = 0.0
    for key, criterion in criteria.items():
        if key not in values:
            raise ValueError(f"No score for criterion {key!r}.")
        value = values[key]
        if not criterion.low <= value <= criterion.high:
            raise ValueError(f"Score {value} is outside {criterion.low}-{criterion.high}.")
        span = criterion.high - criterion.low
        total += criterion.weight * ((value - criterion.low) / span if span else 1.0)
    return 100.0 * total / total_weight


def normalize(scores: Mapping[tuple[R, A], float]) -> dict[tuple[R, A], float]:
    """Z-scores within each reviewer: (score - reviewer's mean) / reviewer's spread.

    A reviewer who scored one application, or gave every application the same score, tells
    us nothing about order: their z-scores are 0.
    """
    by_reviewer: dict[R, list[float]] = defaultdict(list)
    for (reviewer, _application), score in scores.items():
        by_reviewer[reviewer].append(score)
    stats = {r: (fmean(v), pstdev(v)) for r, v in by_reviewer.items()}
    result = {}
    for (reviewer, application), score in scores.items():
        mean, sd = stats[reviewer]
        result[(reviewer, application)] = (score - mean) / sd if sd > 1e-9 else 0.0
    return result


@dataclass(frozen=True)
class Ranked:
    """An application's place: mean z-score, raw mean (0-100), reviews, spread, flag."""

    application: Hashable
    rank: int
    normalized: float
    raw_mean: float
    reviews: int
    spread: float
    disagreement: bool


def rank(
    scores: Mapping[tuple[R, A], float], *, disagreement_sd: float = DISAGREEMENT_SD
) -> list[Ranked]:
    """Applications ordered by their mean normalized score (ties: raw mean, then key).

    ``spread`` is the standard deviation of the reviewers' z-scores for the application;
    ``disagreement`` is set when it reaches ``disagreement_sd`` with two or more reviews.
    """
    z = normalize(scores)
    raw: dict[A, list[float]] = defaultdict(list)
    norm: dict[A, list[float]] = defaultdict(list)
    for (reviewer, application), score in scores.items():
        raw[application].append(score)
        norm[application].append(z[(reviewer, application)])
    rows = []
    for application in raw:
        spread = pstdev(norm[application]) if len(norm[application]) > 1 else 0.0
        rows.append(
            (
                fmean(norm[application]),
                fmean(raw[application]),
                application,
                len(raw[application]),
                spread,
            )
        )
    rows.sort(key=lambda r: (-round(r[0], 9), -round(r[1], 9), str(r[2])))
    return [
        Ranked(
            application=app,
            rank=i + 1,
            normalized=mean_z,
            raw_mean=raw_mean,
            reviews=n,
            spread=spread,
            disagreement=n > 1 and spread >= disagreement_sd,
        )
        for i, (mean_z, raw_mean, app, n, spread) in enumerate(rows)
    ]


class InfeasibleAssignment(ValueError):
    """No assignment meets the coverage and the cap while respecting conflicts."""


def _max_flow(
    needs: Mapping[A, int],
    capacity: Mapping[R, int],
    allowed: Mapping[A, Sequence[R]],
) -> dict[A, list[R]]:
    """Bipartite b-matching by augmenting paths (Edmonds-Karp on the small graph)."""
    assigned: dict[A, list[R]] = {a: [] for a in needs}
    holders: dict[R, list[A]] = {r: [] for r in capacity}
    for application, need in needs.items():
        for _ in range(need):
            # BFS from the application over alternating paths to a reviewer with room.
            parent: dict[object, object] = {("a", application): None}
            queue: deque[object] = deque([("a", application)])
            end = None
            while queue and end is None:
                node = queue.popleft()
                kind, key = node  # type: ignore[misc]
                if kind == "a":
                    for reviewer in allowed[key]:
                        rnode = ("r", reviewer)
                        if rnode in parent or reviewer in assigned[key]:
                            continue
                        parent[rnode] = node
                        if len(holders[reviewer]) < capacity[reviewer]:
                            end = rnode
                            break
                        queue.append(rnode)
                else:
                    for other in holders[key]:
                        anode = ("a", other)
                        if anode not in parent:
                            parent[anode] = node
                            queue.append(anode)
            if end is None:
                return assigned  # this application can't get another reviewer
            node = end
            while parent[node] is not None:
                prev = parent[node]
                _, reviewer = node  # type: ignore[misc]
                _, app = prev  # type: ignore[misc]
                # Reviewer ``reviewer`` takes ``app``; on the way back, ``app``'s previous
                # holder on the path gives it up.
                nxt = parent[prev]
                assigned[app].append(reviewer)
                holders[reviewer].append(app)
                if nxt is not None:
                    _, giver = nxt  # type: ignore[misc]
                    assigned[app].remove(giver)
                    holders[giver].remove(app)
                    node = nxt
                else:
                    break
    return assigned


def assign(
    applications: Sequence[A],
    reviewers: Sequence[R],
    *,
    per_application: int,
    cap: int,
    conflicts: set[tuple[R, A]] | frozenset[tuple[R, A]] = frozenset(),
    existing: Mapping[A, set[R]] | None = None,
) -> dict[A, set[R]]:
    """Give every application at least ``per_application`` reviewers, no reviewer more than
    ``cap`` applications, and no reviewer an application they are conflicted on.

    ``existing`` assignments (minus conflicted ones) are kept and counted. Load is spread as
    evenly as the constraints allow. Raises :class:`InfeasibleAssignment` with the reason.
    """
    if per_application < 1:
        raise InfeasibleAssignment("Each application needs at least one reviewer.")
    if cap < 1:
        raise InfeasibleAssignment("Each reviewer must be able to take at least one application.")
    apps = list(dict.fromkeys(applications))
    people = list(dict.fromkeys(reviewers))
    kept: dict[A, set[R]] = {
        a: {r for r in (existing or {}).get(a, set()) if r in people and (r, a) not in conflicts}
        for a in apps
    }
    load = {r: sum(1 for a in apps if r in kept[a]) for r in people}
    needs = {a: max(0, per_application - len(kept[a])) for a in apps}
    allowed = {a: [r for r in people if (r, a) not in conflicts and r not in kept[a]] for a in apps}
    short = [a for a in apps if len(allowed[a]) < needs[a]]
    if short:
        raise InfeasibleAssignment(
            "Not enough reviewers without a conflict for: "
            + ", ".join(str(a) for a in short)
            + f" (each needs {per_application})."
        )
    total_need = sum(needs.values())
    room = sum(max(0, cap - load[r]) for r in people)
    if total_need > room:
        raise InfeasibleAssignment(
            f"{total_need} more reviews are needed but the panel has room for {room} "
            f"with a cap of {cap} per reviewer: add reviewers or raise the cap."
        )
    result: dict[A, list[R]] | None = None
    # Spread load: try the smallest cap that could work first, then loosen up to ``cap``.
    floor = math.ceil((total_need + sum(load.values())) / len(people)) if people else cap
    for limit in range(max(1, min(floor, cap)), cap + 1):
        capacity = {r: max(0, limit - load[r]) for r in people}
        attempt = _max_flow(needs, capacity, allowed)
        if all(len(attempt[a]) >= needs[a] for a in apps):
            result = attempt
            break
    if result is None:
        raise InfeasibleAssignment(
            f"No assignment gives every application {per_application} reviewers with a cap of "
            f"{cap} while respecting the declared conflicts: add reviewers or raise the cap."
        )
    return {a: kept[a] | set(result[a]) for a in apps}
