"""The map as files for organizers' own tools: CSV and GraphML.

Callers pass relationships already filtered to what the user may see; here high-risk
people and organizations are left out for anyone outside their organization, and their
contact details are never written at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx
from django.http import HttpResponse
from django.utils.translation import gettext as _

from network import queries
from network.models import Relationship
from partners.models import Organization, Person
from powershare.exports import csv_response


def _type(actor: Person | Organization) -> str:
    return "person" if isinstance(actor, Person) else actor.kind


def csv_export(user: Any, relationships: Iterable[Relationship], filename: str) -> HttpResponse:
    """Relationships as CSV, in the same columns the importer reads (plus who recorded them)."""
    header = [
        "from_name",
        "from_type",
        "from_email",
        "kind",
        "to_name",
        "to_type",
        "to_email",
        "strength",
        "start",
        "end",
        "source",
        "recorded_by",
        "visibility",
    ]
    rows = (
        [
            r.source_actor.name,
            _type(r.source_actor),
            queries.export_contact(user, r.source_actor),
            r.kind,
            r.target_actor.name,
            _type(r.target_actor),
            queries.export_contact(user, r.target_actor),
            r.get_strength_display(),
            r.start or "",
            r.end or "",
            r.source,
            r.recorder_label(),
            r.visibility,
        ]
        for r in queries.exportable_relationships(user, relationships)
    )
    return csv_response(filename, header, rows)


def graphml_export(
    user: Any,
    relationships: Iterable[Relationship],
    filename: str,
    *,
    extra: Iterable[Person | Organization] = (),
) -> HttpResponse:
    """Relationships (and any ``extra`` actors) as a GraphML file for Gephi, yEd or Kumu."""
    graph = nx.MultiDiGraph()

    def add(actor: Person | Organization) -> str:
        key = queries.actor_key(actor)
        graph.add_node(
            key,
            label=actor.name,
            type=_type(actor),
            contact=queries.export_contact(user, actor),
        )
        return key

    for actor in extra:
        if queries.exportable(user, actor):
            add(actor)
    for r in queries.exportable_relationships(user, relationships):
        graph.add_edge(
            add(r.source_actor),
            add(r.target_actor),
            key=f"r{r.pk}",
            kind=r.kind,
            strength=r.strength,
            strength_label=str(r.get_strength_display()),
            mutual=r.mutual,
            start=str(r.start or ""),
            end=str(r.end or ""),
            source=r.source,
            recorded_by=r.recorder_label(),
        )
    response = HttpResponse(content_type="application/graphml+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    for line in nx.generate_graphml(graph, named_key_ids=True):
        response.write(line + "\n")
    return response


def no_rows_message() -> str:
    return _("Nothing to export.")
