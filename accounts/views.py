"""Profile, invitations and organization members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import actions
from accounts.forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    InviteMemberForm,
    InviteStaffForm,
    ProfileForm,
    WebhookForm,
)
from accounts.models import ApiToken, Invitation, Membership, User
from partners.models import Organization
from partners.rules import can_manage_members
from powershare.api import actions as webhook_actions
from powershare.api import queries as webhook_queries
from powershare.api.models import Webhook
from powershare.decorators import department_admin_required
from powershare.forms import apply_action_errors
from powershare.visibility import get_visible_or_404


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, initial={"name": user.name, "language": user.language})
    if request.method == "POST" and form.is_valid():
        actions.update_profile(actor=user, **form.cleaned_data)
        messages.success(request, _("Profile saved."))
        return redirect("accounts:profile")
    return _profile_page(request, form=form)


NEW_TOKEN_KEY = "accounts.new_api_token"
NEW_WEBHOOK_KEY = "accounts.new_webhook_secret"


def _profile_page(
    request: HttpRequest,
    *,
    form: ProfileForm | None = None,
    token_form: ApiTokenForm | None = None,
    webhook_form: WebhookForm | None = None,
    status: int = 200,
) -> HttpResponse:
    # A new token's or webhook's secret waits in the session for one page view, then it is gone.
    user = request.user
    context = {
        "form": ProfileForm(initial={"name": user.name, "language": user.language})
        if form is None
        else form,
        "memberships": user.memberships.select_related("organization"),
        "token_form": ApiTokenForm() if token_form is None else token_form,
        "tokens": ApiToken.objects.active().filter(user=user),
        "new_token": request.session.pop(NEW_TOKEN_KEY, None),
        "webhook_form": WebhookForm() if webhook_form is None else webhook_form,
        "webhooks": webhook_queries.webhook_summaries(user),
        "new_webhook_secret": request.session.pop(NEW_WEBHOOK_KEY, None),
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
@require_POST
def create_api_token(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            _token, secret = actions.create_api_token(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            request.session[NEW_TOKEN_KEY] = secret
            messages.success(request, _("Token created. Copy it now: it will not be shown again."))
            return redirect("accounts:profile")
    return _profile_page(request, token_form=form, status=400)


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.active(), pk=pk, user=request.user)
    actions.revoke_api_token(actor=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:profile")


def _own_webhook_or_404(request: HttpRequest, pk: int) -> Webhook:
    webhook = webhook_queries.own_webhook(request.user, pk)
    if webhook is None:
        raise Http404
    return webhook


@login_required
@require_POST
def create_webhook(request: HttpRequest) -> HttpResponse:
    form = WebhookForm(request.POST)
    if form.is_valid():
        try:
            webhook = webhook_actions.create_webhook(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            request.session[NEW_WEBHOOK_KEY] = webhook.secret
            messages.success(
                request, _("Webhook added. Copy its secret now: it will not be shown again.")
            )
            return redirect(f"{reverse('accounts:profile')}#webhooks")
    return _profile_page(request, webhook_form=form, status=400)


@login_required
@require_GET
def webhook(request: HttpRequest, pk: int) -> HttpResponse:
    hook = _own_webhook_or_404(request, pk)
    context = {"webhook": hook, "deliveries": webhook_queries.recent_deliveries(hook)}
    return render(request, "accounts/webhook.html", context)


@login_required
@require_POST
def ping_webhook(request: HttpRequest, pk: int) -> HttpResponse:
    hook = _own_webhook_or_404(request, pk)
    try:
        webhook_actions.send_test_event(actor=request.user, webhook=hook)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Test event sent: its outcome is in the deliveries below."))
    return redirect("accounts:webhook", pk=hook.pk)


@login_required
@require_http_methods(["GET", "POST"])
def delete_webhook(request: HttpRequest, pk: int) -> HttpResponse:
    hook = _own_webhook_or_404(request, pk)
    if request.method == "POST":
        webhook_actions.delete_webhook(actor=request.user, webhook=hook)
        messages.success(request, _("Webhook deleted."))
        return redirect(f"{reverse('accounts:profile')}#webhooks")
    return render(request, "accounts/webhook_delete.html", {"webhook": hook})


@login_required
@require_http_methods(["GET", "POST"])
def invite_member(request: HttpRequest, org_pk: int) -> HttpResponse:
    organization = get_visible_or_404(Organization.objects.all(), request.user, pk=org_pk)
    if not can_manage_members(request.user, organization):
        raise PermissionDenied
    form = InviteMemberForm(request.POST or None)
    if not request.user.is_department_admin or org_pk in request.user.admin_organization_ids:
        pass
    else:
        # A department admin only starts an organization off with its first admin.
        form.fields["role"].choices = [("admin", _("Organization admin"))]
    if request.method == "POST" and form.is_valid():
        try:
            actions.invite(
                actor=request.user,
                email=form.cleaned_data["email"],
                organization=organization,
                membership_role=form.cleaned_data["role"],
                request=request,
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect(organization)
    return render(
        request, "accounts/invite_form.html", {"form": form, "organization": organization}
    )


@login_required
@require_POST
def remove_member(request: HttpRequest, org_pk: int, membership_pk: int) -> HttpResponse:
    organization = get_visible_or_404(Organization.objects.all(), request.user, pk=org_pk)
    if org_pk not in request.user.admin_organization_ids:
        raise PermissionDenied
    membership = get_object_or_404(Membership, pk=membership_pk, organization=organization)
    try:
        actions.remove_member(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Member removed."))
    return redirect(organization)


@login_required
@require_POST
def revoke_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    if invitation.organization is None:
        if not request.user.is_department_admin:
            raise Http404
    elif not can_manage_members(request.user, invitation.organization):
        raise Http404
    actions.revoke_invitation(actor=request.user, invitation=invitation)
    messages.success(request, _("Invitation revoked."))
    return redirect(invitation.organization or "accounts:staff")


@department_admin_required
@require_http_methods(["GET", "POST"])
def staff(request: HttpRequest) -> HttpResponse:
    form = InviteStaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.invite(
            actor=request.user,
            email=form.cleaned_data["email"],
            department_role=form.cleaned_data["role"],
            request=request,
        )
        messages.success(
            request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
        )
        return redirect("accounts:staff")
    context = {
        "form": form,
        "staff": User.objects.exclude(department_role="").order_by("name"),
        "invitations": Invitation.objects.filter(
            organization__isnull=True, accepted_at__isnull=True
        ),
    }
    return render(request, "accounts/staff.html", context)


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = actions.find_invitation(token)
    if invitation is None:
        raise Http404
    if not invitation.is_usable:
        return render(
            request, "accounts/invitation_unusable.html", {"invitation": invitation}, status=410
        )
    existing = User.objects.filter(email__iexact=invitation.email).first()
    signed_in_as_invitee = (
        request.user.is_authenticated and request.user.email.lower() == invitation.email.lower()
    )
    if request.user.is_authenticated and not signed_in_as_invitee:
        return render(request, "accounts/invitation_other_user.html", {"invitation": invitation})
    if existing and not signed_in_as_invitee:
        messages.info(request, _("Sign in as %(email)s to accept.") % {"email": invitation.email})
        return redirect(f"/accounts/login/?next={request.path}")
    form = None if existing else AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            actions.accept_invitation(
                invitation=invitation,
                name=form.cleaned_data["name"] if form else "",
                password=form.cleaned_data["password1"] if form else None,
                user=existing,
                request=request,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("home")
        messages.success(request, _("Welcome to Powershare."))
        return redirect("home")
    return render(
        request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation}
    )
