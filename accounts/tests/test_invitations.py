"""Department admins invite a CPBO's first admin; that admin invites the rest."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Membership, User
from powershare.audit.models import AuditEvent
from powershare.testing import PASSWORD, make_org


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """POST as ``client`` and run the after-commit callbacks (the emails) as a server would."""

    def post(client, url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


def _link_from(message) -> str:
    return next(line for line in message.body.splitlines() if "/people/invitations/" in line)


def test_department_admin_invites_first_admin_who_invites_a_member(cast, client, sent):
    org = make_org("Northgate Neighbors")
    client.force_login(cast.admin)
    response = sent(
        client,
        reverse("accounts:invite_member", args=[org.pk]),
        {"email": "Chair@Northgate.example.org", "role": "admin"},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = _link_from(mail.outbox[0])

    newcomer = Client()
    page = newcomer.get(link)
    assert "Northgate Neighbors" in page.content.decode()
    response = newcomer.post(
        link, {"name": "Chris Chair", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    chair = User.objects.get(email="chair@northgate.example.org")
    assert Membership.objects.get(user=chair, organization=org).role == "admin"

    # The new admin invites a member; the invitation is single-use.
    sent(
        newcomer,
        reverse("accounts:invite_member", args=[org.pk]),
        {"email": "member@northgate.example.org", "role": "member"},
    )
    member_link = _link_from(mail.outbox[1])
    Client().post(member_link, {"name": "M", "password1": PASSWORD, "password2": PASSWORD})
    again = Client().get(member_link)
    assert again.status_code == 410
    assert AuditEvent.objects.filter(event="invitation.accepted").count() == 2


def test_department_admin_can_only_invite_an_admin_to_another_org(cast, client):
    client.force_login(cast.admin)
    response = client.post(
        reverse("accounts:invite_member", args=[cast.org_b.pk]),
        {"email": "x@example.org", "role": "member"},
    )
    assert response.status_code == 200
    assert "not one of the available choices" in response.content.decode()
    assert not Invitation.objects.exists()


def test_expired_invitation_is_refused(cast, client, sent):
    client.force_login(cast.partner_a)
    sent(
        client,
        reverse("accounts:invite_member", args=[cast.org_a.pk]),
        {"email": "late@example.org", "role": "member"},
    )
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = Client().get(_link_from(mail.outbox[0]))
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_password_mismatch_names_the_field(cast, client, sent):
    client.force_login(cast.partner_a)
    sent(
        client,
        reverse("accounts:invite_member", args=[cast.org_a.pk]),
        {"email": "typo@example.org", "role": "member"},
    )
    response = Client().post(
        _link_from(mail.outbox[0]), {"name": "T", "password1": PASSWORD, "password2": "other"}
    )
    assert "The two passwords differ." in response.content.decode()
    assert not User.objects.filter(email="typo@example.org").exists()


def test_inviting_an_existing_member_is_refused(cast, client):
    client.force_login(cast.partner_a)
    response = client.post(
        reverse("accounts:invite_member", args=[cast.org_a.pk]),
        {"email": cast.partner_a.email, "role": "member"},
    )
    assert "already a member" in response.content.decode()
    assert not mail.outbox


def test_partner_b_cannot_invite_into_org_a(cast, client):
    client.force_login(cast.partner_b)
    response = client.post(
        reverse("accounts:invite_member", args=[cast.org_a.pk]),
        {"email": "spy@example.org", "role": "admin"},
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_staff_invitation_gives_the_department_role(cast, client, sent):
    client.force_login(cast.admin)
    sent(
        client,
        reverse("accounts:staff"),
        {"email": "new.analyst@health.example.gov", "role": "analyst"},
    )
    Client().post(
        _link_from(mail.outbox[0]), {"name": "New", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert User.objects.get(email="new.analyst@health.example.gov").department_role == "analyst"


def test_last_admin_cannot_be_removed(cast, client):
    client.force_login(cast.partner_a)
    membership = Membership.objects.get(user=cast.partner_a, organization=cast.org_a)
    response = client.post(
        reverse("accounts:remove_member", args=[cast.org_a.pk, membership.pk]), follow=True
    )
    assert "at least one admin" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_signup_without_invitation_is_closed(db, client):
    response = client.get("/accounts/signup/")
    assert "closed" in response.content.decode().lower()
