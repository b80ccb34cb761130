"""Layout of the power grid drawn as server-side SVG: influence by stance, with movement.

Every marker carries a number that the table beside the chart repeats, and its shape (circle
for a person, square for an organization), so nothing is told by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STANCES = [-2, -1, 0, 1, 2]
INFLUENCES = [3, 2, 1]
LEFT, TOP, CELL_W, CELL_H = 110, 20, 140, 120
WIDTH = LEFT + CELL_W * len(STANCES) + 10
HEIGHT = TOP + CELL_H * len(INFLUENCES) + 70
PER_ROW = 4


@dataclass
class Marker:
    n: int
    x: float
    y: float
    person: bool
    label: str
    title: str


@dataclass
class Move:
    x1: float
    y1: float
    x2: float
    y2: float


def _centre(stance: int, influence: int) -> tuple[float, float]:
    col, row = STANCES.index(stance), INFLUENCES.index(influence)
    return LEFT + col * CELL_W + CELL_W / 2, TOP + row * CELL_H + CELL_H / 2


def layout(positions: list[Any]) -> dict[str, Any]:
    """Markers, movement arrows, grid lines and axis labels for ``positions`` (numbered 1..n
    in the order given)."""
    slots: dict[tuple[int, int], int] = {}
    markers, moves = [], []
    for n, position in enumerate(positions, start=1):
        cell = (position.stance, position.influence)
        index = slots.get(cell, 0)
        slots[cell] = index + 1
        col, row = STANCES.index(cell[0]), INFLUENCES.index(cell[1])
        x = LEFT + col * CELL_W + 22 + (index % PER_ROW) * 32
        y = TOP + row * CELL_H + 24 + (index // PER_ROW) * 30
        markers.append(
            Marker(
                n=n,
                x=x,
                y=y,
                person=position.person_id is not None,
                label=str(n),
                title=f"{n}. {position.actor}: {position.get_stance_display()}, "
                f"{position.get_influence_display()}",
            )
        )
        history = list(position.assessments.all())
        if history:
            first = history[0]
            if (first.stance, first.influence) != cell:
                x1, y1 = _centre(first.stance, first.influence)
                moves.append(Move(x1, y1, x, y))
    columns = [
        {"x": LEFT + i * CELL_W, "mid": LEFT + i * CELL_W + CELL_W / 2} for i in range(len(STANCES))
    ]
    rows = [
        {"y": TOP + i * CELL_H, "mid": TOP + i * CELL_H + CELL_H / 2}
        for i in range(len(INFLUENCES))
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "top": TOP,
        "cell_w": CELL_W,
        "cell_h": CELL_H,
        "plot_w": CELL_W * len(STANCES),
        "plot_h": CELL_H * len(INFLUENCES),
        "bottom": TOP + CELL_H * len(INFLUENCES),
        "columns": columns,
        "rows": rows,
        "markers": markers,
        "moves": moves,
    }
