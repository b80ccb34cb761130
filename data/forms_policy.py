"""Forms of policy changes: proposing one (the policy's fields and a reason), approving it (with
the password again), rejecting it (with a note) and withdrawing it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accountability.forms import PasswordConfirmForm
from data.forms import PolicyForm
from powershare.forms import Form


class ProposePolicyForm(PolicyForm):
    """The policy's fields as they would be, and why; nothing applies until approved."""

    reason = forms.CharField(
        label=_("Why this change"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The administrator who reviews it reads this, and it stays in the policy's history."
        ),
    )


class ApprovePolicyForm(PasswordConfirmForm):
    note = forms.CharField(
        label=_("Note on the decision"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectPolicyForm(Form):
    note = forms.CharField(
        label=_("Why it is rejected"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawPolicyForm(Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
