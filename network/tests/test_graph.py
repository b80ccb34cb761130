"""Path-finding on a known graph: the shortest chain has the fewest steps, the strongest
leans on strong ties, opposition is never a bridge, and a missing tie means no path."""

from __future__ import annotations

from network.graph import Edge, build, shortest_path, strongest_path

#   department ── unit(o1) ══ Nia(p1) ── weak ── Mayor(p9)
#                              ║
#                           strong
#                              ║
#                           Rosa(p2) ══ strong ══ Olivia(p3) ══ strong ══ Mayor(p9)
EDGES = [
    Edge(1, "p1", "o1", "works_at", 3),
    Edge(2, "p1", "p9", "ally_of", 1),
    Edge(3, "p1", "p2", "ally_of", 3),
    Edge(4, "p2", "p3", "ally_of", 3),
    Edge(5, "p3", "p9", "reports_to", 3),
    Edge(6, "p1", "p7", "opposes", 3),
    Edge(7, "p7", "p9", "family", 3),
]
LINKS = {"department": ["o1"]}


def chain(steps):
    return [(s.here, s.edge.kind, s.edge.strength, s.there) for s in steps]


def test_shortest_chain_has_the_fewest_relationships():
    graph = build(EDGES, links=LINKS)
    assert chain(shortest_path(graph, "department", "p9")) == [
        ("o1", "works_at", 3, "p1"),
        ("p1", "ally_of", 1, "p9"),
    ]


def test_strongest_chain_goes_the_long_way_over_strong_ties():
    graph = build(EDGES, links=LINKS)
    assert chain(strongest_path(graph, "department", "p9")) == [
        ("o1", "works_at", 3, "p1"),
        ("p1", "ally_of", 3, "p2"),
        ("p2", "ally_of", 3, "p3"),
        ("p3", "reports_to", 3, "p9"),
    ]


def test_opposition_is_not_a_bridge():
    graph = build(EDGES, links=LINKS)
    # Nia opposes p7 directly, so the chain goes round through p7's family instead.
    assert chain(shortest_path(graph, "department", "p7")) == [
        ("o1", "works_at", 3, "p1"),
        ("p1", "ally_of", 1, "p9"),
        ("p9", "family", 3, "p7"),
    ]


def test_no_path_without_a_tie_and_none_to_itself():
    graph = build(EDGES[:1], links=LINKS)
    assert shortest_path(graph, "department", "p9") is None
    assert strongest_path(graph, "department", "p42") is None
    assert shortest_path(graph, "p1", "p1") is None


def test_of_two_ties_between_a_pair_the_strongest_is_used():
    graph = build([Edge(1, "a", "b", "ally_of", 1), Edge(2, "b", "a", "works_at", 3)])
    assert chain(shortest_path(graph, "a", "b")) == [("a", "works_at", 3, "b")]
