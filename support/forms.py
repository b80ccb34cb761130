"""Forms of the support ledger: the ask itself, the filters of the list, and each answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from partners.models import Campaign, Organization, Partnership
from powershare.filters import FilterForm
from powershare.forms import Form, ModelForm, check_document
from powershare.visibility import Visibility
from support import actions, queries
from support.models import Ask

TEXT_LIMIT = 10_000
SHORT_TEXTAREA = "usa-textarea height-10"
MEDIUM_TEXTAREA = "usa-textarea height-15"


class RadioSelect(forms.RadioSelect):
    """USWDS radio buttons: each input followed by its own label, in a fieldset with a legend."""

    template_name = "support/widgets/radio.html"
    option_template_name = "support/widgets/radio_option.html"

    def __init__(self, attrs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(attrs={"class": "usa-radio__input", **(attrs or {})}, **kwargs)


class AskForm(ModelForm):
    """A partner's ask: new (with the organization when they belong to several) or edited."""

    template_name_div = "support/includes/form_fields.html"

    class Meta:
        model = Ask
        fields = [
            "organization",
            "campaign",
            "kind",
            "title",
            "description",
            "needed_by",
            "visibility",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_LIMIT}),
            "needed_by": forms.DateInput(),
            "visibility": RadioSelect(),
        }
        help_texts = {
            "campaign": _("Which of your campaigns this support is for."),
            "description": _(
                "What you need, what it is for, and in what form (a table, a letter, a meeting…)."
            ),
            "needed_by": _("Leave empty if there is no deadline."),
            "visibility": _(
                "Who may read this ask besides your organization. The department staff member "
                "who owns the ask can always read it."
            ),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        own = Organization.objects.filter(pk__in=user.organization_ids).order_by("name")
        self.fields["visibility"].choices = [(v.value, v.label) for v in Ask.VISIBILITIES]
        self.fields["description"].max_length = TEXT_LIMIT
        if self.instance.pk:
            del self.fields["organization"]
            campaigns = Campaign.objects.filter(organization=self.instance.organization)
        else:
            self.fields["organization"].queryset = own
            self.fields["organization"].empty_label = None
            if len(own) == 1:
                # Nothing to choose: the ask is their one organization's.
                self.fixed_organization = own[0]
                del self.fields["organization"]
            campaigns = Campaign.objects.filter(organization__in=own)
        self.fields["kind"].choices = [("", _("Choose one"))] + list(Ask.Kind.choices)
        campaign_field = self.fields["campaign"]
        campaign_field.queryset = campaigns.select_related("organization").order_by("title")
        campaign_field.empty_label = _("No particular campaign")
        if len(own) > 1:
            campaign_field.label_from_instance = lambda c: f"{c.title} ({c.organization.name})"

    fixed_organization: Organization | None = None

    def organization(self) -> Organization | None:
        if self.instance.pk:
            return self.instance.organization
        return self.fixed_organization or self.cleaned_data.get("organization")

    def clean_needed_by(self) -> Any:
        value = self.cleaned_data.get("needed_by")
        # An edit may keep a date that has since passed; a new date may not be in the past.
        unchanged = self.instance.pk and value == self.instance.needed_by
        if value and value < timezone.localdate() and not unchanged:
            raise ValidationError(_("The date is in the past."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.fixed_organization is not None:
            data["organization"] = self.fixed_organization
        organization = self.organization()
        campaign = data.get("campaign")
        if organization and campaign and campaign.organization_id != organization.pk:
            self.add_error("campaign", _("Choose one of the chosen organization's campaigns."))
        has_liaison = (
            organization is not None
            and Partnership.objects.filter(cpbo=organization, liaisons__isnull=False).exists()
        )
        if organization and data.get("visibility") == Visibility.LIAISON and not has_liaison:
            self.add_error(
                "visibility",
                _(
                    "Your organization has no liaison at the department yet, so nobody there "
                    "could read this ask. Choose Department or Public."
                ),
            )
        return data


class AskFilterForm(FilterForm):
    """The list's search and filters; a value that is not one of the choices is a 400."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind of support"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    organization = forms.ChoiceField(label=_("Organization"), required=False)
    campaign = forms.ChoiceField(label=_("Campaign"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("newest", _("Newest first")),
            ("needed_by", _("Needed soonest")),
            ("updated", _("Recently updated")),
        ],
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_ = [("", _("Any"))]
        choices = queries.filter_choices(user)
        self.fields["kind"].choices = any_ + list(Ask.Kind.choices)
        self.fields["status"].choices = (
            any_
            + [("open", _("Open (new, acknowledged or in progress)")), ("closed", _("Closed"))]
            + list(Ask.Status.choices)
        )
        owners: list[tuple[str, Any]] = []
        if getattr(user, "is_authenticated", False) and user.is_department:
            owners.append(("mine", _("Mine")))
        owners.append(("unassigned", _("Unassigned")))
        owners += [(str(u.pk), str(u)) for u in choices["owners"]]
        self.fields["owner"].choices = any_ + owners
        self.fields["organization"].choices = any_ + [
            (str(pk), name) for pk, name in choices["organizations"]
        ]
        self.fields["campaign"].choices = any_ + [
            (str(pk), title) for pk, title in choices["campaigns"]
        ]


class StatusForm(Form):
    """Move an ask along: acknowledge, start, decline (with a reason) or withdraw."""

    to_status = forms.ChoiceField(choices=Ask.Status.choices, widget=forms.HiddenInput())
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2, "class": SHORT_TEXTAREA}),
    )
    decline_reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "class": MEDIUM_TEXTAREA}),
        help_text=_("The organization will read this."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("to_status") == Ask.Status.DECLINED
            and not data.get("decline_reason", "").strip()
        ):
            self.add_error("decline_reason", _("Say why the department is declining this ask."))
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each checked for type, size and content."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "usa-file-input"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        if len(uploads) > actions.MAX_FILES:
            raise ValidationError(_("Attach at most %(n)s files."), params={"n": actions.MAX_FILES})
        return [check_document(super(MultipleFileField, self).clean(u, initial)) for u in uploads]


class DeliverForm(Form):
    summary = forms.CharField(
        label=_("What was delivered"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    links = forms.CharField(
        label=_("Links (one a line)"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2, "class": SHORT_TEXTAREA}),
        help_text=_("Web addresses starting with http:// or https://."),
    )
    files = MultipleFileField(label=_("Files"), required=False)
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2, "class": SHORT_TEXTAREA}),
    )

    def clean_links(self) -> list[str]:
        return actions.parse_links(self.cleaned_data.get("links", ""))


class AssignForm(Form):
    owner = forms.ModelChoiceField(
        label=_("Owner on staff"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody (unassigned)"),
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2, "class": SHORT_TEXTAREA}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = queries.staff_owners()


class CommentForm(Form):
    text = forms.CharField(
        label=_("Add a comment"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "class": MEDIUM_TEXTAREA}),
    )
