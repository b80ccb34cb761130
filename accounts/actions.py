"""Invitations, memberships and profiles: every change goes through here."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import ApiToken, Invitation, Membership, User, hash_token
from powershare.audit.log import record


def _invitation_link(token: str, request: HttpRequest | None) -> str:
    path = reverse("accounts:accept_invitation", args=[token])
    return request.build_absolute_uri(path) if request else f"{settings.SITE_URL}{path}"


@transaction.atomic
def invite(
    *,
    actor: User,
    email: str,
    organization: Any = None,
    membership_role: str = "",
    department_role: str = "",
    request: HttpRequest | None = None,
) -> tuple[Invitation, str]:
    """Invite ``email`` to join an organization or the department staff; emails the link."""
    email = email.strip().lower()
    if organization is not None:
        if not membership_role:
            raise ValidationError(_("Choose the role the invitation gives."))
        if Membership.objects.filter(user__email=email, organization=organization).exists():
            raise ValidationError(_("%(email)s is already a member.") % {"email": email})
    elif not department_role:
        raise ValidationError(_("Choose the department role the invitation gives."))
    token = Invitation.new_token()
    invitation = Invitation.objects.create(
        email=email,
        organization=organization,
        membership_role=membership_role,
        department_role=department_role,
        token_hash=hash_token(token),
        invited_by=actor,
    )
    record(
        actor=actor,
        event="invitation.sent",
        target=invitation,
        changes={
            "email": email,
            "organization": organization.pk if organization else None,
            "membership_role": membership_role,
            "department_role": department_role,
        },
    )
    link = _invitation_link(token, request)
    body = render_to_string(
        "accounts/email/invitation.txt",
        {
            "invitation": invitation,
            "link": link,
            "inviter": actor,
            "days": settings.INVITATION_DAYS,
        },
    )
    subject = _("You are invited to Powershare")
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=False)
    )
    return invitation, token


def find_invitation(token: str) -> Invitation | None:
    """The invitation for ``token``, whatever its state, or None."""
    return (
        Invitation.objects.filter(token_hash=hash_token(token))
        .select_related("organization")
        .first()
    )


@transaction.atomic
def accept_invitation(
    *,
    invitation: Invitation,
    name: str,
    password: str | None,
    user: User | None,
    request: HttpRequest,
) -> User:
    """Turn a usable invitation into an account (or a membership for a signed-in user)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError(_("This invitation can no longer be used."))
    if user is None:
        user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        user = User.objects.create_user(
            invitation.email, password, name=name, language=translation.get_language() or "en"
        )
    if invitation.department_role:
        user.department_role = invitation.department_role
        user.save(update_fields=["department_role"])
    if invitation.organization_id:
        Membership.objects.update_or_create(
            user=user,
            organization_id=invitation.organization_id,
            defaults={"role": invitation.membership_role},
        )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record(actor=user, event="invitation.accepted", target=invitation)
    if not request.user.is_authenticated:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return user


@transaction.atomic
def revoke_invitation(*, actor: User, invitation: Invitation) -> None:
    """Stop an invitation from being used."""
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(actor=actor, event="invitation.revoked", target=invitation)


@transaction.atomic
def remove_member(*, actor: User, membership: Membership) -> None:
    """Take a user out of an organization; its last admin cannot be removed."""
    admins = Membership.objects.filter(
        organization=membership.organization, role=Membership.Role.ADMIN
    )
    if membership.role == Membership.Role.ADMIN and admins.count() == 1:
        raise ValidationError(_("An organization needs at least one admin."))
    record(
        actor=actor,
        event="membership.removed",
        target=membership.organization,
        changes={"user": membership.user_id, "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def update_profile(*, actor: User, name: str, language: str) -> User:
    """Change the signed-in user's name and language."""
    changes = {}
    if actor.name != name:
        changes["name"] = [actor.name, name]
    if actor.language != language:
        changes["language"] = [actor.language, language]
    actor.name, actor.language = name, language
    actor.save(update_fields=["name", "language"])
    if changes:
        record(actor=actor, event="user.updated", target=actor, changes=changes)
    return actor


MAX_TOKENS = 20


@transaction.atomic
def create_api_token(*, actor: User, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new personal access token for ``actor``; returns it and its secret, shown only once."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": _("Choose read or read and write.")})
    if ApiToken.objects.active().filter(user=actor).count() >= MAX_TOKENS:
        raise ValidationError(
            {"name": _("You have %(n)s tokens; revoke one first.") % {"n": MAX_TOKENS}}
        )
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=actor,
        name=name[:100],
        scope=scope,
        token_hash=hash_token(secret),
        hint=secret[: len(ApiToken.PREFIX) + 4],
    )
    record(
        actor=actor, event="api_token.created", target=actor, changes={"name": name, "scope": scope}
    )
    return token, secret


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> None:
    """Stop a token from working; only its owner revokes it."""
    if token.user_id != actor.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=actor, event="api_token.revoked", target=actor, changes={"name": token.name})
