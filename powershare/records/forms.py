"""Forms of the records pages: a kind's retention rule, a legal hold, a field's label, a reason,
and a public-records request."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accountability.forms import PasswordConfirmForm
from powershare.forms import MAX_ID, Form
from powershare.records.kinds import EXPORT_CHOICES, RETENTION_KINDS
from powershare.records.models import (
    MAX_PERIOD,
    ExemptionReason,
    Label,
    RetentionKind,
    RetentionRule,
)


class RuleForm(Form):
    amount = forms.IntegerField(label=_("Keep for"), min_value=1, max_value=MAX_PERIOD["days"])
    unit = forms.ChoiceField(label=_("Unit"), choices=RetentionRule.Unit.choices)
    runs_from = forms.ChoiceField(label=_("Counted from"))
    action = forms.ChoiceField(label=_("Then"), choices=RetentionRule.Action.choices)
    active = forms.BooleanField(
        label=_("Apply the schedule to this kind"),
        required=False,
        help_text=_("Untick to stop it for the whole kind, for example under a legal hold."),
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["runs_from"].choices = list(RETENTION_KINDS[kind].runs_from.items())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        unit, amount = data.get("unit"), data.get("amount")
        if unit in MAX_PERIOD and amount is not None and amount > MAX_PERIOD[unit]:
            self.add_error(
                "amount",
                _("Choose from 1 to %(most)s %(unit)s.") % {"most": MAX_PERIOD[unit], "unit": unit},
            )
        return data


class HoldForm(Form):
    kind = forms.ChoiceField(label=_("Kind of record"), choices=RetentionKind.choices)
    record_id = forms.IntegerField(label=_("Record number"), min_value=1, max_value=MAX_ID)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("For example the lawsuit, audit or request that needs the record kept."),
    )


class LabelForm(Form):
    label = forms.ChoiceField(
        label=_("Label"), choices=[("default", _("The default")), *Label.choices]
    )
    reason = forms.ModelChoiceField(
        label=_("Reason, when exempt"),
        queryset=ExemptionReason.objects.all(),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("label") == Label.EXEMPT and not data.get("reason"):
            self.add_error("reason", _("Choose the reason this field is exempt."))
        return data


class ReasonForm(Form):
    name = forms.CharField(label=_("New reason"), max_length=200)


class RequestForm(Form):
    description = forms.CharField(
        label=_("The request, as received"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 5000}),
        help_text=_("Who asked, when, and what for. It is kept with the answer."),
    )
    since = forms.DateField(label=_("Records from"), required=False)
    until = forms.DateField(label=_("Records to"), required=False)
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of record"), choices=EXPORT_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    search = forms.CharField(
        label=_("Search term"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for every record of the kinds and dates chosen."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise ValidationError(_("The end of the range is before its start."))
        return data


class RequestDownloadForm(RequestForm, PasswordConfirmForm):
    """Producing the records asks for the password again."""
