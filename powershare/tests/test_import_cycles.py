"""No import cycles: no module of Powershare imports, directly or through others, a module that
imports it back. ``make lint``'s import contracts (pyproject.toml) check the direction between
apps and the cycles between the children of one package; this test finds a cycle anywhere,
across packages too (``partners.models`` and ``powershare.visibility`` were one). Imports under
``if TYPE_CHECKING:`` are for annotations only and do not count."""

from __future__ import annotations

import tomllib
from pathlib import Path

import grimp
import networkx as nx

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
    "root_packages"
]


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """One shortest cycle for each group of modules that import one another, as module names
    from the first back to it."""
    edges = nx.DiGraph()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            edges.add_edge(module, imported)
    cycles = []
    for group in nx.strongly_connected_components(edges):
        if len(group) < 2:
            continue
        first = min(group)
        back = min(
            (
                nx.shortest_path(edges, imported, first)
                for imported in edges.successors(first)
                if imported in group
            ),
            key=len,
        )
        cycles.append([first, *back])
    return sorted(cycles)


def describe(graph: grimp.ImportGraph, cycle: list[str]) -> str:
    """``a -> b -> a``, each step with the line that imports."""
    steps = []
    for importer, imported in zip(cycle, cycle[1:], strict=False):
        details = graph.get_import_details(importer=importer, imported=imported)
        where = (
            f" (line {details[0]['line_number']}: {details[0]['line_contents']})" if details else ""
        )
        steps.append(f"{importer} -> {imported}{where}")
    return "\n  ".join(steps)


def test_no_module_imports_itself_through_others() -> None:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None, exclude_type_checking_imports=True)
    cycles = import_cycles(graph)
    assert not cycles, "Import cycles:\n" + "\n".join(
        f"- {' -> '.join(cycle)}\n  {describe(graph, cycle)}" for cycle in cycles
    )
