"""Why a shown cell has no rate, or an adjusted rate made another way: plain notes and
reason codes, per cell (see docs/stats.md, "Result columns")."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .codes import AgeGroup
from .cube import Stats

#: A cell's count is shown, but its rates can't be computed: it says why.
EVENTS_NO_POPULATION = "events but no population: no rate"
NO_POPULATION = "no population: no rate"


#: Reason codes of a shown cell's missing or renormalized adjusted rate (`adjusted_code`).
AGE_EVENTS_NO_POPULATION = "age_events_no_population"
AGE_NO_POPULATION = "age_no_population"
AGE_RENORMALIZED = "age_renormalized"

_AGE_MESSAGES = {
    AGE_EVENTS_NO_POPULATION: "events in ages without population ({}): no age-adjusted rate",
    AGE_NO_POPULATION: "ages without population ({}): no age-adjusted rate (the policy doesn't "
    "renormalize the standard's weights)",
    AGE_RENORMALIZED: "standard weights renormalized over the ages with population ({} have none)",
}


def population_notes(
    stats: Stats,
    people: np.ndarray,
    weights: np.ndarray,
    fine: Sequence[int],
    counts: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Why rates are missing, per cell: no population at all (with or without events), or,
    for the adjusted rate, age groups without population (events there, or none and the
    policy refuses to renormalize), which are named; and where weights were renormalized.

    The groups named are all the cell's groups with no population (public numbers), not
    only those with events: the note tells no more than the missing rate does.
    """
    notes, adjusted, _ = age_notes(stats, people, weights, fine, counts)
    return notes, adjusted


def age_notes(
    stats: Stats,
    people: np.ndarray,
    weights: np.ndarray,
    fine: Sequence[int],
    counts: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`population_notes` and the reason code of each adjusted note (AGE_*; "" for none)."""
    n, p = stats.count, stats.denominator
    notes = np.full(n.shape, "", dtype=object)
    notes[p <= 0] = NO_POPULATION
    notes[(p <= 0) & (n > 0)] = EVENTS_NO_POPULATION
    adjusted = np.full(n.shape, "", dtype=object)
    codes = np.full(n.shape, "", dtype=object)
    renormalized = stats.renormalized if stats.renormalized.size else np.zeros(n.shape, bool)
    gaps = np.flatnonzero((stats.undefined | renormalized) & (p > 0))
    if not gaps.size:
        return notes, adjusted, codes
    nbins = people.shape[-1]
    no_people = people <= 0
    empty = (no_people & (np.broadcast_to(weights, people.shape) > 0)).reshape(-1, nbins)
    if counts is not None:
        events_there = np.asarray((no_people & (counts > 0)).reshape(-1, nbins).any(axis=1))
        with_events = events_there[gaps]
    else:  # without the counts: an undefined cell had events there (the older rule)
        with_events = np.ones(gaps.size, dtype=bool)
    kind = np.where(
        renormalized[gaps],
        AGE_RENORMALIZED,
        np.where(with_events, AGE_EVENTS_NO_POPULATION, AGE_NO_POPULATION),
    ).astype(object)
    labels = [AgeGroup(a, b - 1).label for a, b in zip(fine, fine[1:], strict=False)]
    # One note per pattern of empty groups (cells share a few), not one per cell.
    if nbins <= 62:  # a pattern as the bits of one integer: a 1-D unique is quick
        bits = empty[gaps].astype(np.int64) @ (np.int64(1) << np.arange(nbins, dtype=np.int64))
        _, first, which = np.unique(bits, return_index=True, return_inverse=True)
        patterns = empty[gaps][first]
    else:
        patterns, which = np.unique(empty[gaps], axis=0, return_inverse=True)
    named = np.array([f"{label}, " for label in labels], dtype=object)
    joined = [j[:-2] for j in (patterns.astype(object) * named).sum(axis=1)]  # "0, 1-4"
    which = np.ravel(which)
    adjusted[gaps] = [_AGE_MESSAGES[k].format(joined[w]) for k, w in zip(kind, which, strict=True)]
    codes[gaps] = kind
    return notes, adjusted, codes
