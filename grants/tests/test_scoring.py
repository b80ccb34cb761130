"""The scoring module: weighted scores, per-reviewer normalization, ranking, assignment."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grants import scoring
from grants.scoring import Criterion, InfeasibleAssignment, assign, normalize, rank, weighted_score

RUBRIC = {"need": Criterion(weight=2, low=1, high=5), "plan": Criterion(weight=1, low=0, high=10)}


def test_weighted_score_rescales_each_criterion_and_weighs_it() -> None:
    assert weighted_score({"need": 5, "plan": 10}, RUBRIC) == 100
    assert weighted_score({"need": 1, "plan": 0}, RUBRIC) == 0
    assert weighted_score({"need": 3, "plan": 0}, RUBRIC) == pytest.approx(100 * 2 * 0.5 / 3)


def test_weighted_score_refuses_a_score_outside_the_scale() -> None:
    with pytest.raises(ValueError, match="outside 1-5"):
        weighted_score({"need": 6, "plan": 3}, RUBRIC)


def test_a_harsh_and_a_generous_reviewer_rank_applications_identically() -> None:
    # The same judgement of four applications, one reviewer giving 20-50, the other 60-90.
    harsh = {("harsh", app): s for app, s in zip("abcd", [20, 50, 35, 40], strict=True)}
    generous = {("kind", app): s + 40 for (_, app), s in harsh.items()}
    z = normalize({**harsh, **generous})
    for app in "abcd":
        assert z[("harsh", app)] == pytest.approx(z[("kind", app)])
    assert [r.application for r in rank(harsh)] == [r.application for r in rank(generous)]
    assert [r.application for r in rank({**harsh, **generous})] == ["b", "d", "c", "a"]
    # Raw means differ by the generosity; normalized scores do not, and nobody disagrees.
    assert not any(r.disagreement for r in rank({**harsh, **generous}))


def test_normalization_gives_a_harsh_reviewer_equal_say() -> None:
    # A generous reviewer's raw scores would carry "x" to the top; z-scores don't let them.
    scores = {("harsh", "x"): 10, ("harsh", "y"): 20, ("kind", "x"): 99, ("kind", "y"): 60}
    ranked = {r.application: r for r in rank(scores)}
    assert ranked["x"].raw_mean > ranked["y"].raw_mean
    assert ranked["x"].normalized == pytest.approx(ranked["y"].normalized)


def test_disagreement_is_flagged_when_reviewers_order_an_application_differently() -> None:
    scores = {
        ("r1", "a"): 90, ("r1", "b"): 10, ("r1", "c"): 50,
        ("r2", "a"): 10, ("r2", "b"): 90, ("r2", "c"): 50,
    }  # fmt: skip
    flags = {r.application: r.disagreement for r in rank(scores)}
    assert flags == {"a": True, "b": True, "c": False}


def test_a_reviewer_of_one_application_does_not_move_it() -> None:
    assert normalize({("solo", "a"): 80.0}) == {("solo", "a"): 0.0}


@given(
    st.dictionaries(st.sampled_from("abcdef"), st.floats(0, 100), min_size=2),
    st.floats(0.1, 5),
    st.floats(-50, 50),
)
def test_any_affine_rescaling_of_a_reviewer_leaves_the_ranking_unchanged(
    scores: dict[str, float], scale: float, shift: float
) -> None:
    one = {("r", a): s for a, s in scores.items()}
    other = {("r", a): s * scale + shift for a, s in scores.items()}
    z1, z2 = normalize(one), normalize(other)
    for key in one:
        assert z1[key] == pytest.approx(z2[key], abs=1e-6)


# Assignment --------------------------------------------------------------------------------


def feasible(apps: list[int], people: list[int], n: int, cap: int, conflicts: set) -> bool:
    """An independent oracle: max flow through networkx."""
    graph = nx.DiGraph()
    for a in apps:
        graph.add_edge("s", ("a", a), capacity=n)
        for r in people:
            if (r, a) not in conflicts:
                graph.add_edge(("a", a), ("r", r), capacity=1)
    for r in people:
        graph.add_edge(("r", r), "t", capacity=cap)
    if not apps:
        return True
    if not people:
        return False
    return nx.maximum_flow_value(graph, "s", "t") == n * len(apps)


@st.composite
def panels(draw: st.DrawFn) -> tuple[list[int], list[int], int, int, set[tuple[int, int]]]:
    apps = list(range(draw(st.integers(1, 12))))
    people = list(range(100, 100 + draw(st.integers(1, 9))))
    n = draw(st.integers(1, 4))
    cap = draw(st.integers(1, 8))
    pairs = [(r, a) for r in people for a in apps]
    conflicts = set(draw(st.lists(st.sampled_from(pairs), max_size=len(pairs)))) if pairs else set()
    return apps, people, n, cap, conflicts


@settings(max_examples=300, deadline=None)
@given(panels())
def test_assignment_never_conflicted_meets_coverage_and_cap_or_says_why(panel) -> None:  # type: ignore[no-untyped-def]
    apps, people, n, cap, conflicts = panel
    try:
        plan = assign(apps, people, per_application=n, cap=cap, conflicts=conflicts)
    except InfeasibleAssignment as error:
        assert str(error)
        assert not feasible(apps, people, n, cap, conflicts)
        return
    assert feasible(apps, people, n, cap, conflicts)
    for a, reviewers in plan.items():
        assert len(reviewers) >= n
        assert not any((r, a) in conflicts for r in reviewers)
    for r in people:
        assert sum(r in reviewers for reviewers in plan.values()) <= cap


@settings(max_examples=100, deadline=None)
@given(panels(), st.data())
def test_assignment_keeps_existing_reviewers(panel, data) -> None:  # type: ignore[no-untyped-def]
    apps, people, n, cap, conflicts = panel
    existing = {a: {data.draw(st.sampled_from(people))} for a in apps[:2]}
    try:
        plan = assign(
            apps, people, per_application=n, cap=cap, conflicts=conflicts, existing=existing
        )
    except InfeasibleAssignment:
        return
    for a, kept in existing.items():
        assert {r for r in kept if (r, a) not in conflicts} <= plan[a]


def test_assignment_spreads_the_load_evenly() -> None:
    plan = assign(list(range(6)), ["r1", "r2", "r3"], per_application=2, cap=10)
    loads = sorted(sum(r in v for v in plan.values()) for r in ["r1", "r2", "r3"])
    assert loads == [4, 4, 4]


def test_an_application_everyone_is_conflicted_on_is_named() -> None:
    with pytest.raises(
        InfeasibleAssignment, match="Not enough reviewers without a conflict for: 7"
    ):
        assign([7, 8], ["r1", "r2"], per_application=1, cap=5, conflicts={("r1", 7), ("r2", 7)})


def test_too_small_a_panel_says_how_much_room_is_missing() -> None:
    with pytest.raises(
        InfeasibleAssignment, match="6 more reviews are needed but the panel has room for 4"
    ):
        assign([1, 2, 3], ["r1", "r2"], per_application=2, cap=2)


def test_module_is_free_of_django() -> None:
    assert "django" not in open(scoring.__file__).read()
