"""Forms for relationships, positions, the power inventory, grants, import and merging."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from network.models import (
    Grant,
    Influence,
    Kind,
    Position,
    PowerForm,
    PowerHolding,
    PowerKind,
    Relationship,
    Stance,
)
from network.queries import DEPARTMENT, find_actor
from partners.models import IssueArea, Organization, Person
from powershare.filters import MAX_ID, FilterForm, SearchField, choice_filter
from powershare.forms import Form, ModelForm, check_document
from powershare.visibility import STAFF_VISIBILITIES, Visibility


def actor_choices(user: User, empty: str) -> list[Any]:
    """People and organizations ``user`` may see, grouped, keyed ``p<id>`` / ``o<id>``."""
    people = [(f"p{p.pk}", p.name) for p in Person.objects.visible_to(user).order_by("name")]
    orgs = [(f"o{o.pk}", o.name) for o in Organization.objects.visible_to(user).order_by("name")]
    return [("", empty), (_("People"), people), (_("Organizations"), orgs)]


class ActorField(forms.ChoiceField):
    """A person or an organization the user may see; cleans to the record itself."""

    def __init__(self, *, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(choices=actor_choices(user, str(_("Choose…"))), **kwargs)

    def clean(self, value: Any) -> Any:
        key = super().clean(value)
        if not key:
            return None
        actor = find_actor(self.user, key)
        if actor is None:
            raise forms.ValidationError(_("Choose a person or organization from the list."))
        return actor


def visibility_choices(user: User) -> list[tuple[str, str]]:
    """Staff record the department's own (department or public); partners any of the four."""
    if user.is_department:
        return [(v.value, v.label) for v in Visibility if v in STAFF_VISIBILITIES]
    return list(Visibility.choices)


class RelationshipForm(ModelForm):
    class Meta:
        model = Relationship
        fields = ["kind", "mutual", "strength", "start", "end", "source", "notes", "visibility"]
        widgets = {
            "start": forms.DateInput(),
            "end": forms.DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = ["from_actor", "kind", "to_actor"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        initial = kwargs.setdefault("initial", {})
        if instance is not None and instance.pk:
            initial.setdefault("from_actor", instance.source_key)
            initial.setdefault("to_actor", instance.target_key)
        super().__init__(*args, **kwargs)
        self.fields["from_actor"] = ActorField(user=user, label=_("From"))
        self.fields["to_actor"] = ActorField(user=user, label=_("To"))
        self.fields["visibility"].choices = visibility_choices(user)
        if not (instance and instance.pk):
            self.fields["visibility"].initial = (
                Visibility.DEPARTMENT if user.is_department else Visibility.PRIVATE
            )
        self.order_fields(["from_actor", "kind", "to_actor", "mutual", "strength"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date is before the start date."))
        a, b = data.get("from_actor"), data.get("to_actor")
        if a is not None and b is not None and type(a) is type(b) and a.pk == b.pk:
            self.add_error(
                "to_actor", _("A relationship needs two different people or organizations.")
            )
        return data


class KindFilterForm(FilterForm):
    """Relationship kind and strength filters for the graph and the list."""

    kind = forms.MultipleChoiceField(
        label=_("Kinds of relationship"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    strength = forms.TypedMultipleChoiceField(
        label=_("Strength"),
        choices=[(1, _("weak")), (2, _("working")), (3, _("strong"))],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


# A person (p12) or an organization (o34), as the power map names its nodes.
ACTOR_KEY = r"^[po][1-9][0-9]{0,18}$"


def _check_key(value: str) -> None:
    if re.fullmatch(ACTOR_KEY, value) and int(value[1:]) > MAX_ID:
        raise forms.ValidationError(_("No person or organization has this key."))


def _check_recorder(value: str) -> None:
    an_id = value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID
    if value and value != DEPARTMENT and not an_id:
        raise forms.ValidationError(_("Choose the department or an organization."))


def actor_key_field() -> forms.RegexField:
    """An optional node key in a parameter (``p12``, ``o34``) within the database's ids."""
    return forms.RegexField(
        label=_("Person or organization"),
        regex=ACTOR_KEY,
        required=False,
        validators=[_check_key],
        error_messages={"invalid": _("No person or organization has this key.")},
    )


class RelationshipFilterForm(KindFilterForm):
    """The relationship list's search: text, kinds, strengths, one actor and who recorded it."""

    q = SearchField()
    actor = actor_key_field()
    recorded_by = forms.CharField(
        label=_("Recorded by"), required=False, max_length=20, validators=[_check_recorder]
    )


class FunderFilterForm(FilterForm):
    q = SearchField()
    issue_area = choice_filter(_("Issue area"), IssueArea)


class PositionForm(Form):
    actor = forms.CharField(widget=forms.HiddenInput, required=False)
    tier = forms.ChoiceField(label=_("Target"), choices=Position.Tier.choices)
    role = forms.ChoiceField(label=_("Place on the map"), choices=Position.Role.choices)
    stance = forms.TypedChoiceField(
        label=_("Stance on the demand"), choices=Stance.choices, coerce=int, initial=0
    )
    influence = forms.TypedChoiceField(
        label=_("Influence over the decision"), choices=Influence.choices, coerce=int, initial=2
    )
    assessed_on = forms.DateField(label=_("Date"), widget=forms.DateInput())
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What they said or did that tells you this: a vote, a statement, a meeting."),
    )

    def __init__(self, *args: Any, user: User, with_actor: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("assessed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        if with_actor:
            self.fields["actor"] = ActorField(user=user, label=_("Person or organization"))
            self.order_fields(["actor"])
        else:
            del self.fields["actor"]
            self.fields["tier"].required = False
            self.fields["role"].required = False

    def clean_assessed_on(self) -> Any:
        value = self.cleaned_data["assessed_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return value


class PowerForm_(ModelForm):
    class Meta:
        model = PowerHolding
        fields = ["kind", "form", "description", "visibility"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"] = ActorField(user=user, label=_("Who holds it"))
        self.fields["kind"].choices = PowerKind.choices
        self.fields["form"].choices = PowerForm.choices
        self.fields["visibility"].choices = visibility_choices(user)
        self.fields["visibility"].initial = (
            Visibility.DEPARTMENT if user.is_department else Visibility.PRIVATE
        )
        self.order_fields(["actor"])


class GrantForm(ModelForm):
    class Meta:
        model = Grant
        fields = ["funder", "grantee", "issue_area", "amount", "year", "purpose", "visibility"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = Organization.objects.visible_to(user)
        self.fields["funder"].queryset = visible.filter(kind=Organization.Kind.FUNDER)
        self.fields["grantee"].queryset = visible
        self.fields["visibility"].choices = visibility_choices(user)
        self.fields["visibility"].initial = (
            Visibility.DEPARTMENT if user.is_department else Visibility.PRIVATE
        )
        self.fields["year"].initial = timezone.localdate().year

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("funder") and data.get("grantee") and data["funder"] == data["grantee"]:
            self.add_error("grantee", _("A funder does not give a grant to itself."))
        return data


class ImportForm(Form):
    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_("UTF-8 CSV, first line the column names. See the example below."),
    )
    content = forms.CharField(widget=forms.HiddenInput, required=False)
    visibility = forms.ChoiceField(label=_("Visibility of what is imported"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visibility"].choices = visibility_choices(user)
        self.fields["visibility"].initial = (
            Visibility.DEPARTMENT if user.is_department else Visibility.PRIVATE
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Upload a .csv file."))
        return check_document(upload)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file")
        if upload:
            data["text"] = upload.read().decode("utf-8")
        elif data.get("content"):
            data["text"] = data["content"]
        elif not self.errors:
            self.add_error("file", _("Choose a CSV file to import."))
        return data


class MergeForm(Form):
    keep = forms.CharField(widget=forms.HiddenInput)
    drop = forms.CharField(widget=forms.HiddenInput)
