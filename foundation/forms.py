"""Forms of the internal foundation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from foundation.actions import parse_outline
from foundation.models import Activity, Instrument, Resource, Risk
from partners.models import Campaign, Partnership
from powershare.filters import FilterForm, IdField, SearchField, choice_filter
from powershare.forms import Form, ModelForm
from support.forms import RadioSelect

FIELDS_TEMPLATE = "support/includes/form_fields.html"

OUTLINE_HELP = _(
    "One domain per line starting with #, followed by its questions, one a line. "
    "Editing an instrument that staff have answered saves a new version; earlier rounds keep theirs."
)


class InstrumentForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Instrument.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    scale_labels = forms.CharField(
        label=_("Scale"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One label per point, lowest first: the first line is 1, the next 2, and so on."
        ),
    )
    outline = forms.CharField(
        label=_("Domains and questions"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=OUTLINE_HELP,
    )

    def clean_scale_labels(self) -> list[str]:
        labels = [
            line.strip() for line in self.cleaned_data["scale_labels"].splitlines() if line.strip()
        ]
        if not 2 <= len(labels) <= 10:
            raise ValidationError(_("Give between 2 and 10 labels, one a line."))
        return labels

    def clean_outline(self) -> Any:
        return parse_outline(self.cleaned_data["outline"])


class RoundForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("e.g. Spring 2026"))
    opens = forms.DateField(label=_("Opens"), widget=forms.DateInput)
    closes = forms.DateField(label=_("Closes"), widget=forms.DateInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens") and data.get("closes") and data["closes"] < data["opens"]:
            self.add_error("closes", _("The round must close on or after the day it opens."))
        return data


class AnswerForm(Form):
    """One radio group per question; labels are the instrument's scale."""

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(n), f"{n} {label}") for n, label in instrument.scale()]
        self.groups = []
        for domain in instrument.domains.prefetch_related("questions"):
            names = []
            for question in domain.questions.all():
                name = f"q{question.pk}"
                self.fields[name] = forms.TypedChoiceField(
                    label=question.text,
                    choices=choices,
                    coerce=int,
                    widget=RadioSelect(),
                    error_messages={"required": _("Choose an answer.")},
                )
                names.append(name)
            self.groups.append((domain.title, names))

    def grouped(self) -> list[tuple[str, list[Any]]]:
        return [(title, [self[name] for name in names]) for title, names in self.groups]

    def answers(self) -> dict[int, int]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


def staff_users() -> Any:
    return User.objects.filter(is_active=True).exclude(department_role="").order_by("name", "email")


class RiskForm(ModelForm):
    class Meta:
        model = Risk
        fields = [
            "title",
            "category",
            "description",
            "likelihood",
            "impact",
            "owner",
            "mitigations",
            "review_date",
            "status",
            "campaigns",
            "partnerships",
        ]
        widgets = {
            "likelihood": forms.Select(choices=[(n, str(n)) for n in range(1, 6)]),
            "impact": forms.Select(choices=[(n, str(n)) for n in range(1, 6)]),
            "review_date": forms.DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
            "mitigations": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_users()
        # Only campaigns the user may see are offered; links to others are kept as they are.
        self.fields["campaigns"].queryset = Campaign.objects.visible_to(user).select_related(
            "organization"
        )
        self.fields["campaigns"].required = False
        self.fields["partnerships"].queryset = Partnership.objects.visible_to(user).select_related(
            "cpbo", "unit"
        )
        self.fields["partnerships"].required = False


class RiskFilterForm(FilterForm):
    q = SearchField()
    category = choice_filter(_("Category"), Risk.Category)
    status = choice_filter(
        _("Status"), [("all", _("All")), *Risk.Status.choices], blank=_("Not closed")
    )
    owner = IdField(label=_("Owner"), widget=forms.HiddenInput)


class ResourceForm(ModelForm):
    class Meta:
        model = Resource
        fields = [
            "kind",
            "name",
            "source",
            "description",
            "amount",
            "unit",
            "period_start",
            "period_end",
            "restrictions",
            "bars_lobbying",
            "hatch_act",
            "active",
        ]
        widgets = {
            "period_start": forms.DateInput,
            "period_end": forms.DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
            "restrictions": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end on or after it starts."))
        return data


class CommitmentForm(Form):
    amount = forms.DecimalField(label=_("Amount"), min_value=0.01, max_digits=14, decimal_places=2)
    description = forms.CharField(
        label=_("What it is for"),
        max_length=300,
        help_text=_("e.g. a grant award, an ask, a project"),
    )
    ask = forms.TypedChoiceField(
        label=_("Ask (optional)"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, asks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ask"].choices = [("", _("No ask"))] + [
            (a.pk, f"{a.title} — {a.organization}") for a in asks
        ]


class ClassificationForm(Form):
    template_name_div = FIELDS_TEMPLATE
    activity = forms.ChoiceField(
        label=_("What kind of activity is this support?"),
        choices=Activity.choices,
        widget=RadioSelect,
        help_text=_(
            "Education and technical assistance: sharing evidence and data. Advocacy on regulation: "
            "rules and permits. Lobbying: trying to influence legislation, including by urging the "
            "public to contact legislators. Partisan election activity: for or against a candidate "
            "or party; never department work."
        ),
    )
    resource = forms.TypedChoiceField(
        label=_("Resource that pays for it"), required=False, coerce=int, empty_value=None
    )
    amount = forms.DecimalField(
        label=_("Amount to commit (optional)"),
        required=False,
        min_value=0.01,
        max_digits=14,
        decimal_places=2,
        help_text=_("Commits this much of the resource to the ask."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm_lobbying = forms.BooleanField(
        label=_("I have checked with counsel: this restricted resource may pay for this activity."),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = [("", _("None (no department resource)"))] + [
            (r.pk, f"{r.name}{' — ' + str(_('restricted')) if r.is_restricted else ''}")
            for r in Resource.objects.filter(active=True)
        ]

    def clean_resource(self) -> Resource | None:
        pk = self.cleaned_data.get("resource")
        if pk is None:
            return None
        resource = Resource.objects.filter(pk=pk, active=True).first()
        if resource is None:
            raise ValidationError(_("Choose one of the active resources."))
        return resource


class ClassificationFilterForm(FilterForm):
    activity = choice_filter(_("Activity"), Activity)
    resource = IdField(label=_("Resource"), widget=forms.HiddenInput)


class ResourceFilterForm(FilterForm):
    kind = choice_filter(_("Kind"), Resource.Kind)
    inactive = choice_filter(_("Include inactive"), [("1", _("Yes"))])
