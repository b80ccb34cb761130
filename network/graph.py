"""Paths through a web of relationships: "who do we know who knows the target?"

Pure functions over plain edges, no Django: callers hand in only the relationships the
user may see, so a path can never pass through a tie the user could not read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

# The cost of walking a tie of each strength (1 weak, 2 working, 3 strong): the strongest
# chain is the cheapest one, so one weak tie costs as much as four strong ones.
STRENGTH_COST = {1: 4.0, 2: 2.0, 3: 1.0}
# Opposition is a relationship, but nobody gets an introduction through it.
NOT_A_BRIDGE = {"opposes"}


@dataclass(frozen=True)
class Edge:
    """One relationship between two actors (node keys such as ``p12`` or ``o3``)."""

    id: int
    source: str
    target: str
    kind: str
    strength: int
    data: Any = None


@dataclass(frozen=True)
class Step:
    """One hop of a chain: from ``here`` to ``there`` over ``edge``."""

    here: str
    there: str
    edge: Edge


def build(edges: Iterable[Edge], *, links: dict[str, Iterable[str]] | None = None) -> nx.Graph:
    """An undirected graph keeping, for each pair of actors, their strongest tie.

    ``links`` adds virtual ties at no cost, e.g. ``{"department": ["o1", "o2"]}`` joins
    the department to each of its units."""
    graph = nx.Graph()
    for edge in edges:
        if edge.kind in NOT_A_BRIDGE or edge.source == edge.target:
            continue
        current = graph.get_edge_data(edge.source, edge.target)
        better = current is None or (edge.strength, -edge.id) > (
            current["edge"].strength,
            -current["edge"].id,
        )
        if better:
            graph.add_edge(
                edge.source, edge.target, edge=edge, cost=STRENGTH_COST.get(edge.strength, 4.0)
            )
    for hub, members in (links or {}).items():
        for member in members:
            graph.add_edge(hub, member, edge=None, cost=0.0)
    return graph


def _steps(graph: nx.Graph, nodes: list[str]) -> list[Step]:
    steps = []
    for here, there in zip(nodes, nodes[1:], strict=False):
        edge = graph.edges[here, there]["edge"]
        if edge is not None:
            steps.append(Step(here, there, edge))
    return steps


def _tie_break(graph: nx.Graph, weight: str | None) -> Any:
    # Among equally good chains, prefer stronger ties then lower ids: stable answers.
    def cost(u: str, v: str, data: dict[str, Any]) -> float:
        edge = data["edge"]
        base = 1.0 if weight is None else data[weight]
        if edge is None:
            return 0.0 if weight else 1e-9
        return base + (4 - edge.strength) * 1e-6 + edge.id * 1e-12

    return cost


def shortest_path(graph: nx.Graph, source: str, target: str) -> list[Step] | None:
    """The chain with the fewest relationships from ``source`` to ``target``, or None."""
    return _path(graph, source, target, None)


def strongest_path(graph: nx.Graph, source: str, target: str) -> list[Step] | None:
    """The chain whose ties are strongest overall (lowest total cost), or None."""
    return _path(graph, source, target, "cost")


def _path(graph: nx.Graph, source: str, target: str, weight: str | None) -> list[Step] | None:
    if source not in graph or target not in graph or source == target:
        return None
    try:
        nodes = nx.dijkstra_path(graph, source, target, weight=_tie_break(graph, weight))
    except nx.NetworkXNoPath:
        return None
    return _steps(graph, nodes)


def neighbourhood(edges: Iterable[Edge], centres: Iterable[str], hops: int = 1) -> set[str]:
    """Keys of the actors within ``hops`` relationships of any of ``centres``."""
    graph = nx.Graph()
    for edge in edges:
        graph.add_edge(edge.source, edge.target)
    found = set(centres)
    frontier = set(found)
    for _ in range(hops):
        frontier = {n for node in frontier if node in graph for n in graph.neighbors(node)} - found
        found |= frontier
    return found
