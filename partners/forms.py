"""Forms for organizations, people, campaigns and partnerships."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from partners.models import (
    Agreement,
    Campaign,
    EngagementLevel,
    IssueArea,
    Milestone,
    Organization,
    Partnership,
    Person,
    RelationalMeeting,
)
from powershare.filters import FilterForm, IdField, SearchField, choice_filter
from powershare.forms import Form, ModelForm, check_document
from powershare.visibility import STAFF_VISIBILITIES, Visibility


class CampaignForm(ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "organization",
            "title",
            "issue_area",
            "goal",
            "demands",
            "target_people",
            "target_organizations",
            "geography",
            "status",
            "start",
            "end",
            "visibility",
        ]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 3}),
            "demands": forms.Textarea(attrs={"rows": 3}),
            "start": forms.DateInput(),
            "end": forms.DateInput(),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = Organization.objects.filter(pk__in=user.organization_ids, kind=Organization.Kind.CPBO)
        self.fields["organization"].queryset = own
        if self.instance.pk:
            del self.fields["organization"]
        elif own.count() == 1:
            self.fields["organization"].initial = own.first()
        self.fields["target_people"].queryset = Person.objects.visible_to(user)
        self.fields["target_organizations"].queryset = Organization.objects.visible_to(user)
        self.fields["target_people"].required = False
        self.fields["target_organizations"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date is before the start date."))
        return data


class MilestoneForm(ModelForm):
    class Meta:
        model = Milestone
        fields = ["date", "kind", "title", "description"]
        widgets = {"date": forms.DateInput(), "description": forms.Textarea(attrs={"rows": 2})}


class OrganizationForm(ModelForm):
    issue_areas = forms.MultipleChoiceField(
        label=_("Issue areas"),
        choices=IssueArea.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Organization
        fields = [
            "kind",
            "name",
            "mission",
            "issue_areas",
            "geographies",
            "constituencies",
            "languages",
            "base_size",
            "organizing_approach",
            "website",
            "contact_email",
            "contact_phone",
            "high_risk",
            "visibility",
        ]
        widgets = {
            "mission": forms.Textarea(attrs={"rows": 3}),
            "organizing_approach": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, self_managed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self_managed:
            # The department's own directory entries are never private to an organization.
            self.fields["visibility"].choices = [
                (v.value, v.label) for v in Visibility if v in STAFF_VISIBILITIES
            ]
        if self.instance.pk and self_managed:
            del self.fields["kind"]


class NotDuplicateForm(Form):
    """Shown beside a list of possible duplicates: the person entering confirms it is new."""

    not_duplicate = forms.BooleanField(required=False)

    def __init__(self, *args: Any, label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["not_duplicate"].label = label

    def confirmed(self) -> bool:
        return self.is_valid() and self.cleaned_data["not_duplicate"]


class InviteFirstAdminForm(Form):
    email = forms.EmailField(label=_("Email of the organization's first admin"), required=False)


class PersonForm(ModelForm):
    role_organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    role_title = forms.CharField(label=_("Title or role there"), max_length=200, required=False)

    class Meta:
        model = Person
        fields = ["name", "email", "phone", "notes", "high_risk", "visibility"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: User, owned_by_department: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role_organization"].queryset = Organization.objects.visible_to(user)
        if owned_by_department:
            self.fields["visibility"].choices = [
                (v.value, v.label) for v in Visibility if v in STAFF_VISIBILITIES
            ]
        role = self.instance.roles.first() if self.instance.pk else None
        if role:
            self.fields["role_organization"].initial = role.organization
            self.fields["role_title"].initial = role.title

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("role_organization") and not data.get("role_title"):
            self.add_error("role_title", _("Give the person's title or role at the organization."))
        return data


class PartnershipForm(ModelForm):
    liaisons = forms.ModelMultipleChoiceField(
        label=_("Liaisons"),
        queryset=User.objects.exclude(department_role="").order_by("name"),
        required=False,
    )

    class Meta:
        model = Partnership
        fields = ["unit", "cpbo", "liaisons", "decision_rights", "started"]
        widgets = {
            "started": forms.DateInput(),
            "decision_rights": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["unit"]
            del self.fields["cpbo"]


class RatingForm(Form):
    level = forms.TypedChoiceField(
        label=_("Where is the partnership now?"),
        choices=EngagementLevel.choices,
        coerce=int,
    )
    reason = forms.CharField(label=_("Why?"), widget=forms.Textarea(attrs={"rows": 3}))
    rated_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(), initial=timezone.localdate
    )

    def clean_rated_on(self) -> Any:
        value = self.cleaned_data["rated_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class AgreementForm(ModelForm):
    class Meta:
        model = Agreement
        fields = ["kind", "title", "start", "expiry", "file"]
        widgets = {"start": forms.DateInput(), "expiry": forms.DateInput()}

    def clean_file(self) -> Any:
        return check_document(self.cleaned_data.get("file"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, expiry = data.get("start"), data.get("expiry")
        if start and expiry and expiry < start:
            self.add_error("expiry", _("The agreement expires before it starts."))
        return data


class MeetingForm(ModelForm):
    class Meta:
        model = RelationalMeeting
        fields = [
            "date",
            "staff",
            "people",
            "purpose",
            "follow_ups",
            "partner_opted_in",
            "interests",
            "self_interest",
            "shared_with_partner",
        ]
        widgets = {
            "date": forms.DateInput(),
            "follow_ups": forms.Textarea(attrs={"rows": 2}),
            "interests": forms.Textarea(attrs={"rows": 2}),
            "self_interest": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, partnership: Partnership, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = User.objects.exclude(department_role="")
        self.fields["people"].queryset = (
            Person.objects.visible_to(user).filter(roles__organization=partnership.cpbo).distinct()
        )
        self.fields["staff"].required = False
        self.fields["people"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("partner_opted_in") and (
            data.get("interests") or data.get("self_interest")
        ):
            self.add_error(
                "partner_opted_in",
                _("Interests are recorded only when the partner agreed to fuller notes."),
            )
        return data


# The lists' filters (read from the query string; a value that cannot be read is a 400).


class CampaignFilterForm(FilterForm):
    q = SearchField()
    status = choice_filter(_("Status"), Campaign.Status)
    issue_area = choice_filter(_("Issue area"), IssueArea)
    organization = IdField(label=_("Organization"))


class OrganizationFilterForm(FilterForm):
    q = SearchField()
    kind = choice_filter(_("Kind"), Organization.Kind)
    issue_area = choice_filter(_("Issue area"), IssueArea)


class PersonFilterForm(FilterForm):
    q = SearchField()
    organization = IdField(label=_("Organization"))


class PartnershipFilterForm(FilterForm):
    q = SearchField()
    mine = choice_filter(_("Only where I am liaison"), [("1", _("Yes"))])
