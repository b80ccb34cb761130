"""A NUL character in a search never breaks a page (PostgreSQL refuses NULs in text)."""

from django.urls import reverse

from powershare.testing import make_campaign


def test_search_with_a_nul_character_still_answers(cast, client):
    make_campaign(cast.org_a, visibility="public", title="Healthy homes")
    for name in ("partners:campaigns", "partners:organizations", "support:asks"):
        response = client.get(reverse(name), {"q": "Healthy\x00homes", "unread\x00": "x"})
        assert response.status_code == 200, name
    page = client.get(reverse("partners:campaigns"), {"q": "Healthy\x00 homes"})
    assert "Healthy homes" in page.content.decode()
