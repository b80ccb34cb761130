"""Forms of the regulatory module."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from partners.models import Campaign, Organization
from powershare.filters import FilterForm, IdField, SearchField, choice_filter
from powershare.forms import Form, ModelForm
from regulatory.models import (
    Authority,
    CommentPeriod,
    Complaint,
    RegulatoryAction,
    Retaliation,
    Violation,
)
from support.forms import RadioSelect
from support.models import Ask

FIELDS_TEMPLATE = "support/includes/form_fields.html"


def staff_users() -> Any:
    return User.objects.filter(is_active=True).exclude(department_role="").order_by("name", "email")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the action."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "usa-file-input"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class AuthorityForm(ModelForm):
    class Meta:
        model = Authority
        fields = [
            "name",
            "kind",
            "legal_basis",
            "unit",
            "can_require",
            "typical_timeline",
            "description",
        ]
        widgets = {
            "can_require": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Organization.objects.filter(
            kind=Organization.Kind.DEPARTMENT_UNIT
        )


class ActionForm(ModelForm):
    class Meta:
        model = RegulatoryAction
        fields = [
            "title",
            "authority",
            "description",
            "campaigns",
            "asks",
            "status",
            "started",
            "next_date",
            "next_date_label",
            "completed",
            "violations_found",
            "orders_issued",
            "fines",
            "outcome",
            "visibility",
        ]
        widgets = {
            "started": forms.DateInput,
            "next_date": forms.DateInput,
            "completed": forms.DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "visibility": RadioSelect,
        }

    template_name_div = FIELDS_TEMPLATE

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaigns"].queryset = Campaign.objects.visible_to(user).select_related(
            "organization"
        )
        self.fields["campaigns"].required = False
        self.fields["asks"].queryset = Ask.objects.visible_to(user).select_related("organization")
        self.fields["asks"].required = False
        self.fields["visibility"].help_text = _(
            "Partners always see actions on their own campaigns; public actions are on the public list too."
        )


class ActionFilterForm(FilterForm):
    q = SearchField()
    status = choice_filter(_("Status"), RegulatoryAction.Status)
    authority = forms.ChoiceField(label=_("Authority"), required=False)
    campaign = IdField(label=_("Campaign"), widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authority"].choices = [("", _("Any"))] + [
            (a.pk, a.name) for a in Authority.objects.all()
        ]


class ComplaintForm(ModelForm):
    """A partner files a complaint for a resident or worker."""

    template_name_div = FIELDS_TEMPLATE
    photos = MultipleFileField(
        label=_("Photos (optional)"),
        help_text=_(
            "JPEG or PNG, up to 10. Leave out faces and anything that identifies the person."
        ),
    )

    class Meta:
        model = Complaint
        fields = [
            "organization",
            "campaign",
            "category",
            "violation_type",
            "issue",
            "place_name",
            "address",
            "neighborhood",
            "building_owner",
            "where_detail",
            "ongoing",
            "occurred_on",
            "work_type",
            "worksite_size",
            "language",
            "anonymous",
            "complainant_name",
            "complainant_phone",
            "complainant_email",
            "contact_ok",
        ]
        widgets = {"occurred_on": forms.DateInput, "issue": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "work_type": _("For workplace complaints: e.g. warehouse picking, landscaping."),
            "worksite_size": _("For workplace complaints."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = Organization.objects.filter(pk__in=user.organization_ids)
        self.fields["organization"].queryset = orgs
        self.fields["organization"].empty_label = None
        if orgs.count() == 1:
            self.fields["organization"].initial = orgs.first()
        self.fields["campaign"].queryset = Campaign.objects.filter(organization__in=orgs)
        self.fields["campaign"].help_text = _("The campaign this complaint is part of.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        campaign, org = data.get("campaign"), data.get("organization")
        if campaign and org and campaign.organization_id != org.pk:
            self.add_error("campaign", _("Choose one of the organization's own campaigns."))
        if data.get("category") == Complaint.Category.WORKPLACE and not data.get("work_type"):
            self.add_error("work_type", _("Say what kind of work it is."))
        if data.get("anonymous") and (
            data.get("complainant_name")
            or data.get("complainant_phone")
            or data.get("complainant_email")
        ):
            self.add_error(
                "anonymous",
                _(
                    "An anonymous complaint has no name or contact: clear them, or untick anonymous."
                ),
            )
        return data


class ComplaintFilterForm(FilterForm):
    q = SearchField()
    status = choice_filter(_("Status"), [("open", _("Open")), *Complaint.Status.choices])
    category = choice_filter(_("Kind of complaint"), Complaint.Category)
    mine = choice_filter(_("Assigned to me"), [("1", _("Yes"))])  # the page shows a checkbox
    campaign = IdField(label=_("Campaign"), widget=forms.HiddenInput)


class PatternFilterForm(FilterForm):
    months = forms.IntegerField(label=_("Months"), required=False, min_value=3, max_value=36)
    category = choice_filter(_("Kind of complaint"), Complaint.Category)


class TriageForm(Form):
    inspector = forms.ModelChoiceField(
        label=_("Assigned inspector"), queryset=User.objects.none(), required=False
    )
    message = forms.CharField(
        label=_("Message to the filing organization (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    internal_note = forms.CharField(
        label=_("Internal note for staff (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = staff_users()


class InspectionForm(Form):
    scheduled_for = forms.DateField(label=_("Scheduled for"), widget=forms.DateInput)


class InspectionResultForm(Form):
    inspected_on = forms.DateField(label=_("Inspected on"), widget=forms.DateInput)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}))


class ViolationForm(ModelForm):
    class Meta:
        model = Violation
        fields = ["code", "description", "corrective_action", "due", "fine"]
        widgets = {"due": forms.DateInput, "corrective_action": forms.Textarea(attrs={"rows": 2})}


class CorrectedForm(Form):
    corrected_on = forms.DateField(label=_("Corrected on"), widget=forms.DateInput)


class CloseForm(Form):
    resolution = forms.ChoiceField(
        label=_("Resolution"), choices=Complaint.Resolution.choices, widget=RadioSelect
    )
    evidence = forms.CharField(
        label=_("Evidence of the outcome"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("e.g. re-inspection findings, the resident's confirmation, repair invoices"),
    )
    resident_confirmed = forms.BooleanField(
        label=_("The resident or worker confirmed the fix"), required=False
    )
    files = MultipleFileField(label=_("Evidence files (optional)"))

    template_name_div = FIELDS_TEMPLATE


class MessageForm(Form):
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class RetaliationForm(ModelForm):
    class Meta:
        model = Retaliation
        fields = ["kind", "occurred_on", "description", "high_risk"]
        widgets = {"occurred_on": forms.DateInput, "description": forms.Textarea(attrs={"rows": 4})}


class RetaliationUpdateForm(Form):
    status = forms.ChoiceField(label=_("Status"), choices=Retaliation.Status.choices)
    response = forms.CharField(
        label=_("What the department did"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommentPeriodForm(ModelForm):
    template_name_div = FIELDS_TEMPLATE

    class Meta:
        model = CommentPeriod
        fields = [
            "title",
            "kind",
            "authority",
            "action",
            "description",
            "opens",
            "closes",
            "hearing_at",
            "location",
            "how_to_comment",
            "link",
            "visibility",
        ]
        widgets = {
            "opens": forms.DateInput,
            "closes": forms.DateInput,
            "hearing_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description": forms.Textarea(attrs={"rows": 3}),
            "how_to_comment": forms.Textarea(attrs={"rows": 3}),
            "visibility": RadioSelect,
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = RegulatoryAction.objects.visible_to(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens") and data.get("closes") and data["closes"] < data["opens"]:
            self.add_error("closes", _("Comments must close on or after the day they open."))
        return data
