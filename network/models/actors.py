"""What the network's records share: an end that is either a person or an organization, its
constraint and its visibility."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from partners.models import Organization, Person


def actor_constraints(prefix: str, person: str, organization: str) -> list[models.BaseConstraint]:
    """Exactly one of a person or an organization on each end."""
    return [
        models.CheckConstraint(
            name=f"{prefix}_one_actor",
            condition=(Q(**{f"{person}__isnull": False}) & Q(**{f"{organization}__isnull": True}))
            | (Q(**{f"{person}__isnull": True}) & Q(**{f"{organization}__isnull": False})),
        )
    ]


def actor_visible_q(user: Any, person: str = "person", organization: str = "organization") -> Q:
    """A filter keeping rows whose person-or-organization end ``user`` may see."""
    return Q(
        **{
            f"{person}__in": Person.objects.visible_to(user).values("pk"),
        }
    ) | Q(**{f"{organization}__in": Organization.objects.visible_to(user).values("pk")})


class ActorMixin:
    """A row that points at one actor: a person or an organization."""

    person: Any
    person_id: int | None
    actor_organization: Any
    actor_organization_id: int | None

    @property
    def actor(self) -> Person | Organization:
        return self.person if self.person_id else self.actor_organization

    @property
    def actor_key(self) -> str:
        return f"p{self.person_id}" if self.person_id else f"o{self.actor_organization_id}"
