"""Relationships between people and organizations, positions on campaigns, the power
inventory, funders' grants, and the history of merged duplicates. One module per part; every
model is importable from here."""

from network.models.actors import ActorMixin, actor_visible_q
from network.models.merges import Merge, MergeQuerySet
from network.models.positions import Assessment, Influence, Position, PositionQuerySet, Stance
from network.models.power import (
    Grant,
    GrantQuerySet,
    PowerForm,
    PowerHolding,
    PowerHoldingQuerySet,
    PowerKind,
)
from network.models.relationships import (
    MUTUAL_KINDS,
    Kind,
    Relationship,
    RelationshipQuerySet,
    Strength,
)

__all__ = [
    "ActorMixin",
    "Assessment",
    "Grant",
    "GrantQuerySet",
    "Influence",
    "Kind",
    "MUTUAL_KINDS",
    "Merge",
    "MergeQuerySet",
    "Position",
    "PositionQuerySet",
    "PowerForm",
    "PowerHolding",
    "PowerHoldingQuerySet",
    "PowerKind",
    "Relationship",
    "RelationshipQuerySet",
    "Stance",
    "Strength",
    "actor_visible_q",
]
