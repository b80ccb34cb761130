"""Forms for grants; every one renders with the USWDS template."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from grants.models import (
    Application,
    Award,
    ConflictDeclaration,
    Criterion,
    Cycle,
    Decision,
    Program,
    Question,
    Report,
    RequiredDocument,
    ReviewerInterest,
)
from powershare.filters import FilterForm, SearchField
from powershare.forms import Form, ModelForm, check_document


class ProgramForm(ModelForm):
    steps = forms.CharField(
        label=_("Approval chain"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One step per line, in order; for example: Review committee recommends, "
            "Governing group decides, Board of health approves."
        ),
    )

    class Meta:
        model = Program
        fields = [
            "name",
            "name_es",
            "purpose",
            "purpose_es",
            "funding_source",
            "restrictions",
            "restrictions_es",
            "eligibility",
            "eligibility_es",
        ]
        widgets = {
            f: forms.Textarea(attrs={"rows": 3})
            for f in [
                "purpose",
                "purpose_es",
                "restrictions",
                "restrictions_es",
                "eligibility",
                "eligibility_es",
            ]
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["steps"].initial = "\n".join(self.instance.approval_steps or [])

    def cleaned_steps(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["steps"].splitlines() if line.strip()]


class CycleForm(ModelForm):
    class Meta:
        model = Cycle
        fields = [
            "title",
            "title_es",
            "call",
            "call_es",
            "opens",
            "deadline",
            "decision_date",
            "budget",
            "award_min",
            "award_max",
            "reviewers_per_application",
            "reviewer_cap",
            "stipend_per_review",
        ]
        widgets = {
            "opens": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "deadline": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "decision_date": forms.DateInput(),
            "call": forms.Textarea(attrs={"rows": 5}),
            "call_es": forms.Textarea(attrs={"rows": 5}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("opens") and data.get("deadline") and data["deadline"] <= data["opens"]:
            self.add_error("deadline", _("The deadline must come after the opening."))
        if data.get("award_min") is not None and data.get("award_max") is not None:
            if data["award_max"] < data["award_min"]:
                self.add_error(
                    "award_max", _("The largest award cannot be smaller than the smallest.")
                )
            if data.get("budget") is not None and data["award_min"] > data["budget"]:
                self.add_error("award_min", _("The smallest award cannot exceed the budget."))
        return data


class QuestionForm(ModelForm):
    class Meta:
        model = Question
        fields = ["text", "text_es", "limit"]


class DocumentRequirementForm(ModelForm):
    class Meta:
        model = RequiredDocument
        fields = ["name", "name_es"]


class CriterionForm(ModelForm):
    class Meta:
        model = Criterion
        fields = [
            "name",
            "name_es",
            "description",
            "description_es",
            "scale_min",
            "scale_max",
            "weight",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "description_es": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("scale_min") is not None and data.get("scale_max") is not None:
            if data["scale_max"] <= data["scale_min"]:
                self.add_error("scale_max", _("The highest score must be above the lowest."))
        if data.get("weight") is not None and data["weight"] <= 0:
            self.add_error("weight", _("The weight must be above zero."))
        return data


ITEM_FORMS = {
    "question": QuestionForm,
    "document": DocumentRequirementForm,
    "criterion": CriterionForm,
}


class StartForm(Form):
    organization = forms.ModelChoiceField(queryset=None, label=_("Apply for"))  # type: ignore[arg-type]
    project_title = forms.CharField(label=_("Project title"), max_length=200)

    def __init__(self, *args: Any, organizations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from partners.models import Organization

        self.fields["organization"].queryset = Organization.objects.filter(
            pk__in=[o.pk for o in organizations]
        )


class ApplicationForm(ModelForm):
    class Meta:
        model = Application
        fields = ["project_title", "summary", "amount_requested", "budget"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "budget": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cycle = self.instance.cycle
        self.fields["amount_requested"].help_text = _("Between $%(low)s and $%(high)s.") % {
            "low": cycle.award_min,
            "high": cycle.award_max,
        }
        for question in cycle.questions.all():
            help_text = _("About %(n)s words.") % {"n": question.limit} if question.limit else ""
            self.fields[f"q_{question.pk}"] = forms.CharField(
                label=question.display,
                required=False,
                help_text=help_text,
                widget=forms.Textarea(attrs={"rows": 4, "class": "usa-textarea"}),
                initial=self.instance.answers.get(str(question.pk), ""),
            )

    def answers(self) -> dict[str, str]:
        return {k[2:]: v for k, v in self.cleaned_data.items() if k.startswith("q_")}


class DocumentForm(Form):
    requirement = forms.ModelChoiceField(
        queryset=None,
        label=_("Which document"),
        required=False,
        empty_label=_("Other supporting document"),
    )  # type: ignore[arg-type]
    file = forms.FileField(label=_("File"), validators=[check_document])

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = cycle.required_documents.all()
        self.fields["requirement"].label_from_instance = lambda r: r.display


class ScreenForm(Form):
    eligibility = forms.ChoiceField(
        label=_("Screening result"),
        choices=[
            (Application.Eligibility.ELIGIBLE, _("Eligible")),
            (Application.Eligibility.INELIGIBLE, _("Not eligible")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Department staff read this; it helps them improve the program."),
    )


class PanelAddForm(Form):
    reviewer = forms.ModelChoiceField(queryset=None, label=_("Reviewer"))  # type: ignore[arg-type]

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        seated = cycle.panel.values("reviewer_id")
        self.fields["reviewer"].queryset = (
            User.objects.filter(is_active=True)
            .exclude(pk__in=seated)
            .exclude(is_reviewer=False, department_role="")
            .order_by("name")
        )
        self.fields["reviewer"].label_from_instance = lambda u: (
            f"{u} — {_('department staff') if u.is_department else _('community reviewer')}"
        )


class ConflictForm(Form):
    kind = forms.ChoiceField(
        label=_("Do you have a conflict of interest?"), choices=ConflictDeclaration.Kind.choices
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)


def review_form_class(criteria: list[Criterion]) -> type[Form]:
    """A form with a score and a comment per criterion, bounded by each criterion's scale."""
    fields: dict[str, Any] = {}
    for c in criteria:
        fields[f"score_{c.pk}"] = forms.IntegerField(
            label=_("%(criterion)s: score from %(low)s to %(high)s")
            % {"criterion": c.display, "low": c.scale_min, "high": c.scale_max},
            required=False,
            help_text=c.display_description,
            min_value=c.scale_min,
            max_value=c.scale_max,
        )
        fields[f"comment_{c.pk}"] = forms.CharField(
            label=_("Comment on %(criterion)s") % {"criterion": c.display},
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
    fields["comment"] = forms.CharField(
        label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    return type("ReviewForm", (Form,), fields)


class NoteForm(Form):
    text = forms.CharField(label=_("Deliberation note"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Decision.Outcome.choices)
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        help_text=_("Leave empty when not funding."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    confirm_over_budget = forms.BooleanField(
        label=_("I understand this decision takes the funded total over the budget"), required=False
    )


class ApproveForm(Form):
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AwardForm(ModelForm):
    agreement_file = forms.FileField(
        label=_("Signed agreement"), required=False, validators=[check_document]
    )

    class Meta:
        model = Award
        fields = ["agreement_signed_on", "start", "end"]
        widgets = {
            "agreement_signed_on": forms.DateInput(),
            "start": forms.DateInput(),
            "end": forms.DateInput(),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end must come after the start."))
        return data


class PaymentForm(Form):
    due = forms.DateField(label=_("Due"), widget=forms.DateInput())
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=0.01)


class PaidForm(Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput())
    reference = forms.CharField(label=_("Payment reference"), required=False, max_length=100)


class ReportDueForm(Form):
    due = forms.DateField(label=_("Report due"), widget=forms.DateInput())


class ReportForm(ModelForm):
    class Meta:
        model = Report
        fields = ["progress", "change", "challenges", "people_reached"]
        widgets = {
            f: forms.Textarea(attrs={"rows": 3}) for f in ["progress", "change", "challenges"]
        }


class InterestForm(ModelForm):
    class Meta:
        model = ReviewerInterest
        fields = ["name", "email", "phone", "neighborhood", "language", "experience"]
        widgets = {"experience": forms.Textarea(attrs={"rows": 4})}


class ApplicationFilterForm(FilterForm):
    q = SearchField()
    eligibility = forms.ChoiceField(
        label=_("Eligibility"),
        required=False,
        choices=[("", _("Any"))] + list(Application.Eligibility.choices),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any")),
            (Application.Status.SUBMITTED, Application.Status.SUBMITTED.label),
            (Application.Status.WITHDRAWN, Application.Status.WITHDRAWN.label),
        ],
    )
