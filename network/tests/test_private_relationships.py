"""A partner's private relationships never enter another organization's map, path results
or exports; a relationship to a record someone cannot see is not shown, nor counted."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_other_partner_never_sees_private_ties_on_map_graph_or_list(cast, county):
    b = client_for(cast.partner_b)
    for url in (
        reverse("network:campaign_graph", args=[county.campaign_b.pk]),
        reverse("network:campaign", args=[county.campaign_b.pk]),
        reverse("network:relationships"),
        reverse("network:relationships") + f"?actor=p{county.supervisor.pk}",
    ):
        page = b.get(url).content.decode()
        assert county.rosa_knows_supervisor.get_absolute_url() not in page, url
        assert "Secret Friend" not in page, url
    graph = b.get(reverse("network:campaign_graph", args=[county.campaign_b.pk]))
    edges = {e["id"] for e in graph.context["graph_data"]["edges"]}
    assert f"r{county.rosa_knows_supervisor.pk}" not in edges
    assert "Rosa Martinez" not in str(graph.context["graph_data"])


def test_owner_sees_their_private_ties_on_their_map(cast, county):
    page = client_for(cast.partner_a).get(
        reverse("network:campaign_graph", args=[county.campaign_a.pk])
    )
    assert "Rosa Martinez" in page.content.decode()
    assert "Secret Friend" in page.content.decode()


def test_paths_for_another_partner_skip_private_ties(cast, county):
    url = reverse("network:campaign_paths", args=[county.campaign_b.pk])
    query = {"source": f"o{cast.org_a.pk}", "target": f"p{county.supervisor.pk}"}
    # Org B asks how Eastside reaches the supervisor: Eastside's private ties do not count.
    response = client_for(cast.partner_b).get(url, query)
    assert response.status_code == 200
    assert response.context["paths"].shortest is None
    assert "Secret Friend" not in response.content.decode()
    # Eastside itself finds its way through Rosa.
    mine = client_for(cast.partner_a).get(
        reverse("network:campaign_paths", args=[county.campaign_a.pk]), query
    )
    assert [s.edge.data for s in mine.context["paths"].shortest][-1] == county.rosa_knows_supervisor


def test_paths_for_the_department_use_what_staff_see(cast, county):
    url = reverse("network:campaign_paths", args=[county.campaign_a.pk])
    response = client_for(cast.admin).get(
        url, {"source": "department", "target": f"p{county.supervisor.pk}"}
    )
    shortest = response.context["paths"].shortest
    assert [s.edge.data for s in shortest] == [
        county.officer_at_unit,
        county.officer_knows_supervisor,
    ]
    page = response.content.decode()
    assert "weak tie, recorded by the department" in page
    assert "Secret Friend" not in page  # a department-visible tie to a private person


def test_relationship_to_an_unseen_person_is_neither_shown_nor_counted(cast, county):
    # Staff may read the tie itself (department) but not the private person at its end.
    response = client_for(cast.admin).get(
        reverse("network:relationship", args=[county.friend_knows_supervisor.pk])
    )
    assert response.status_code == 404
    listing = client_for(cast.admin).get(reverse("network:relationships"))
    assert county.friend_knows_supervisor not in listing.context["page"].object_list
    assert listing.context["page"].paginator.count == 3


def test_exports_leave_out_private_ties_and_high_risk_contacts(cast, county):
    county.supervisor.high_risk = True
    county.supervisor.save()
    b = client_for(cast.partner_b)
    for name in ("network:campaign_export", "network:campaign_graphml"):
        body = b.get(reverse(name, args=[county.campaign_b.pk])).content.decode()
        assert "Rosa Martinez,person,,ally_of" not in body
        assert "Rosa Martinez" not in body
        assert "Secret Friend" not in body
        assert "md@county.example.gov" not in body
    body = client_for(cast.partner_a).get(reverse("network:relationship_export")).content.decode()
    assert "Secret Friend" not in body  # the supervisor is high-risk: her ties stay home
    assert "md@county.example.gov" not in body


def test_public_sees_only_public_ties(cast, county):
    body = Client().get(reverse("network:relationship_export")).content.decode()
    assert body.count("\n") == 2  # the header and Rosa's public job
    assert "works_at" in body
