"""Forms of the board's pages: applying to serve, meetings, motions, responses, commitments,
the roster and stipends, organizer positions, and the tracker's filters."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability import queries
from accountability.models import (
    AccessRequest,
    Application,
    Commitment,
    Meeting,
    MemberProfile,
    OrganizerPosition,
    Recommendation,
    Response,
    Seat,
    StipendPayment,
    Term,
    Vote,
)
from accounts.models import User
from partners.models import Campaign, Organization, Partnership
from powershare import forms as base
from powershare.filters import FilterForm, MonthField, SearchField
from powershare.forms import check_document
from support.forms import RadioSelect
from support.queries import staff_owners

TEXT_LIMIT = 10_000
FIELDS_TEMPLATE = "support/includes/form_fields.html"  # radios and checkboxes in fieldsets


class Form(base.Form):
    template_name = template_name_div = FIELDS_TEMPLATE


class ModelForm(base.ModelForm):
    template_name = template_name_div = FIELDS_TEMPLATE


class Checkboxes(forms.CheckboxSelectMultiple):
    """USWDS checkboxes: each input followed by its own label, in a fieldset with a legend."""

    template_name = "accountability/widgets/checkboxes.html"
    option_template_name = "accountability/widgets/checkbox_option.html"

    def __init__(self, attrs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(attrs={"class": "usa-checkbox__input", **(attrs or {})}, **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _term_label(term: Term) -> str:
    return f"{term.member} ({term.seat})"


class PasswordConfirmForm(Form):
    """Changes to the roster and the finance export ask for the password again."""

    password = forms.CharField(
        label=_("Your password, to confirm"), widget=forms.PasswordInput, strip=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # The password goes last, after whatever the form itself asks.
        self.fields["password"] = self.fields.pop("password")

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password", "")
        if not self.user.check_password(password):
            raise ValidationError(_("That is not your password."))
        return password


# The public side --------------------------------------------------------------------------


class ApplicationForm(ModelForm):
    class Meta:
        model = Application
        fields = [
            "name",
            "email",
            "phone",
            "language",
            "neighborhood",
            "seat_kind",
            "affiliation",
            "why",
            "experience",
            "access_needs",
        ]
        widgets = {
            "why": forms.Textarea(attrs={"rows": 5, "maxlength": TEXT_LIMIT}),
            "experience": forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_LIMIT}),
            "access_needs": forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_LIMIT}),
        }
        help_texts = {
            "why": _("A few sentences are enough. You may write in English or Spanish."),
            "experience": _("Lived experience counts as much as work or school."),
            "access_needs": _(
                "For the interview and meetings: interpretation, childcare, transport…"
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seat_kind"].choices = [("", _("Choose one"))] + list(Seat.Kind.choices)


class AccessRequestForm(ModelForm):
    class Meta:
        model = AccessRequest
        fields = ["kind", "language", "details", "name", "email"]
        widgets = {"details": forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_LIMIT})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "access")
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Choose one"))] + list(AccessRequest.Kind.choices)


class TrackerFilterForm(FilterForm):
    q = SearchField()
    status = forms.ChoiceField(label=_("Status"), required=False)
    unit = forms.ChoiceField(label=_("Addressed to"), required=False)
    year = forms.ChoiceField(label=_("Year adopted"), required=False)
    timing = forms.ChoiceField(
        label=_("Response"),
        required=False,
        choices=[
            ("", _("Any")),
            ("on_time", _("Answered on time")),
            ("late", _("Late: answered late or overdue")),
            ("pending", _("Not yet due")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = queries.tracker_filters()
        self.fields["status"].choices = [
            ("", _("Any")),
            ("open", _("Waiting: awaiting response or under study")),
        ] + [
            (s, label) for s, label in Recommendation.Status.choices if s in queries.PUBLIC_STATUSES
        ]
        self.fields["unit"].choices = [("", _("Any unit"))] + [
            (str(pk), n) for pk, n in choices["units"]
        ]
        self.fields["year"].choices = [("", _("Any year"))] + [
            (str(y), str(y)) for y in choices["years"]
        ]


class StipendMonthForm(FilterForm):
    month = MonthField(label=_("Month"))


# Meetings -----------------------------------------------------------------------------------


class MeetingForm(ModelForm):
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One item a line, in order."),
    )

    class Meta:
        model = Meeting
        fields = ["title", "starts", "ends", "location", "is_public", "interpretation", "status"]
        widgets = {"starts": DateTimeInput(), "ends": DateTimeInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["status"]
        else:
            self.initial.setdefault(
                "agenda", "\n".join(i.title for i in self.instance.agenda.all())
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] < data["starts"]:
            self.add_error("ends", _("The meeting cannot end before it starts."))
        return data

    def agenda_lines(self) -> list[str]:
        return [line for line in self.cleaned_data.get("agenda", "").splitlines() if line.strip()]


class AttendanceForm(Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Members present"),
        queryset=Term.objects.none(),
        required=False,
        widget=Checkboxes,
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["present"]
        field.queryset = meeting.board.seated_terms(
            timezone.localdate(meeting.starts)
        ).select_related("member", "seat")
        field.label_from_instance = _term_label
        self.initial.setdefault("present", list(meeting.present_terms()))


class MaterialForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))
    is_public = forms.BooleanField(label=_("Public (anyone may read it)"), required=False)

    def clean_file(self) -> Any:
        return check_document(self.cleaned_data.get("file"))


class MinutesForm(Form):
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )


class MotionForm(Form):
    """A motion and its vote; optionally, the recommendation it adopts."""

    text = forms.CharField(label=_("Motion"), widget=forms.Textarea(attrs={"rows": 3}))
    moved_by = forms.ModelChoiceField(
        label=_("Moved by"), queryset=Term.objects.none(), required=False
    )
    seconded_by = forms.ModelChoiceField(
        label=_("Seconded by"), queryset=Term.objects.none(), required=False
    )
    informal = forms.BooleanField(
        label=_("Informal: a sense of the members present, not a decision of the board"),
        required=False,
    )
    yes = forms.IntegerField(label=_("Yes"), min_value=0, initial=0)
    no = forms.IntegerField(label=_("No"), min_value=0, initial=0)
    abstain = forms.IntegerField(label=_("Abstain"), min_value=0, initial=0)
    adopts = forms.ChoiceField(label=_("This motion adopts"), required=False)
    rec_title = forms.CharField(label=_("Recommendation title"), required=False, max_length=200)
    rec_text = forms.CharField(
        label=_("Recommendation"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    rec_rationale = forms.CharField(
        label=_("The board's rationale"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    rec_unit = forms.ModelChoiceField(
        label=_("Addressed to"),
        queryset=Organization.objects.filter(kind=Organization.Kind.DEPARTMENT_UNIT),
        required=False,
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.secret = meeting.board.secret_ballot
        present = meeting.present_terms().select_related("member", "seat")
        for name in ("moved_by", "seconded_by"):
            self.fields[name].queryset = present
            self.fields[name].label_from_instance = _term_label
            self.fields[name].empty_label = _("Nobody recorded")
        self.vote_fields: list[str] = []
        if self.secret:
            self.fields["yes"].help_text = _(
                "The charter makes votes secret: record the counts only."
            )
        else:
            for name in ("yes", "no", "abstain"):
                del self.fields[name]
            for term in present:
                name = f"vote_{term.pk}"
                self.fields[name] = forms.ChoiceField(
                    label=_term_label(term),
                    choices=[("", _("Did not vote"))] + list(Vote.Choice.choices),
                    required=False,
                    widget=forms.Select(attrs={"class": "usa-select"}),
                )
                self.vote_fields.append(name)
        # The vote comes right after the motion; what it adopts, last.
        self.order_fields(
            [
                "text",
                "moved_by",
                "seconded_by",
                "informal",
                "yes",
                "no",
                "abstain",
                *self.vote_fields,
            ]
        )
        drafts = meeting.board.recommendations.filter(status=Recommendation.Status.DRAFT)
        self.fields["adopts"].choices = [
            ("", _("Nothing: a motion without a recommendation")),
            ("new", _("A new recommendation, written below")),
        ] + [(str(r.pk), str(r)) for r in drafts]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("adopts") == "new":
            for name in ("rec_title", "rec_text", "rec_rationale", "rec_unit"):
                if not data.get(name):
                    self.add_error(name, _("Needed for a new recommendation."))
        return data

    def votes(self) -> dict[Term, str] | None:
        if self.secret:
            return None
        terms = {f"vote_{t.pk}": t for t in self.meeting.present_terms()}
        return {
            terms[n]: self.cleaned_data[n] for n in self.vote_fields if self.cleaned_data.get(n)
        }

    def counts(self) -> tuple[int, int, int] | None:
        if not self.secret:
            return None
        return (self.cleaned_data["yes"], self.cleaned_data["no"], self.cleaned_data["abstain"])


# Responses and commitments ------------------------------------------------------------------


class ResponseForm(Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Response.Decision.choices, widget=RadioSelect()
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_LIMIT}),
        help_text=_("Why the department decided so. Required to publish; a draft may wait."),
    )


class CommitmentForm(Form):
    description = forms.CharField(label=_("Commitment"), widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(label=_("Owner on staff"), queryset=User.objects.none())
    due = forms.DateField(label=_("Due"), widget=forms.DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "commitment")
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_owners()


class CommitmentUpdateForm(Form):
    status = forms.ChoiceField(label=_("Status"), choices=Commitment.Status.choices)
    note = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(Form):
    reason = forms.CharField(
        label=_("Why the board withdraws it"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the recommendation's public history."),
    )


# Roster and stipends ------------------------------------------------------------------------


class ProfileForm(ModelForm):
    class Meta:
        model = MemberProfile
        fields = ["eligibility", "payment_preference", "tax_form_on_file", "tax_form_received"]
        widgets = {"tax_form_received": forms.DateInput()}


class SelectApplicationForm(PasswordConfirmForm):
    seat = forms.ModelChoiceField(label=_("Seat"), queryset=Seat.objects.none())
    start = forms.DateField(label=_("Term starts"), widget=forms.DateInput())
    note = forms.CharField(
        label=_("Note on the decision"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, seats: list[Seat], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = Seat.objects.filter(pk__in=[s.pk for s in seats])


class DecideApplicationForm(Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Application.Status.SHORTLISTED, Application.Status.SHORTLISTED.label),
            (Application.Status.NOT_SELECTED, Application.Status.NOT_SELECTED.label),
        ],
    )
    note = forms.CharField(
        label=_("Note on the decision"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "decide")
        super().__init__(*args, **kwargs)


class EndTermForm(PasswordConfirmForm):
    on = forms.DateField(label=_("Last day"), widget=forms.DateInput())
    reason = forms.CharField(label=_("Why the term ends early"), max_length=300)


class StipendExportForm(PasswordConfirmForm):
    month = forms.DateField(
        label=_("Month"), widget=forms.DateInput(), help_text=_("Any day of the month to export.")
    )


class StipendPaymentForm(PasswordConfirmForm):
    amount = forms.DecimalField(
        label=_("Amount paid"), max_digits=8, decimal_places=2, min_value=Decimal("0.01")
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput())
    method = forms.ChoiceField(label=_("How it was paid"), choices=StipendPayment.Method.choices)
    reference = forms.CharField(
        label=_("Reference (optional)"),
        max_length=100,
        required=False,
        help_text=_("A check number or finance's transaction number."),
    )


class OrganizerPositionForm(ModelForm):
    class Meta:
        model = OrganizerPosition
        fields = [
            "title",
            "unit",
            "job_description",
            "community_input",
            "status",
            "posted_on",
            "hired_on",
            "organizer",
            "partnerships",
            "campaigns",
            "visibility",
        ]
        widgets = {
            "posted_on": forms.DateInput(),
            "hired_on": forms.DateInput(),
            "job_description": forms.Textarea(attrs={"rows": 6}),
            "community_input": forms.Textarea(attrs={"rows": 4}),
            "partnerships": Checkboxes(),
            "campaigns": Checkboxes(),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Organization.objects.filter(
            kind=Organization.Kind.DEPARTMENT_UNIT
        )
        self.fields["organizer"].queryset = staff_owners()
        self.fields["partnerships"].queryset = Partnership.objects.visible_to(user).select_related(
            "cpbo", "unit"
        )
        # Only campaigns the staff member may read can be linked.
        self.fields["campaigns"].queryset = Campaign.objects.visible_to(user).order_by("title")
