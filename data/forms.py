"""Forms of the data portal: the query builder (GET), the catalog, the policy, uploads, saved
queries, agreements, evidence and data requests."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from data import indicators, portal
from data.forms_methods import MethodsForm
from data.models import (
    DataAgreement,
    Dataset,
    EvidenceItem,
    EvidenceKind,
    Measure,
    PolicySetting,
    SavedQuery,
)
from data.present import measure_label
from data.queries import (
    STRATA_CHOICES,
    QuerySpec,
    block_label,
    block_value,
    level_label,
    stratum_label,
)
from partners.models import Campaign, IssueArea, Organization
from powershare import stats
from powershare.filters import FilterForm, SearchField, choice_filter
from powershare.forms import Form, ModelForm, check_document
from powershare.visibility import STAFF_VISIBILITIES, Visibility

RACE_REFERENCES = [("race=nh_white", _("White residents (same area)"))]


class QueryForm(MethodsForm):
    """The query builder's choices, read from the URL so every query has a shareable link."""

    measure = forms.ModelChoiceField(
        label=_("Measure"), queryset=Measure.objects.none(), to_field_name="name"
    )
    years = forms.ChoiceField(label=_("Years"))
    level = forms.ChoiceField(label=_("Geography"))
    unit = forms.MultipleChoiceField(
        label=_("Units of your custom area"), required=False, widget=forms.CheckboxSelectMultiple
    )
    area_name = forms.CharField(label=_("Name of your custom area"), max_length=80, required=False)
    by = forms.MultipleChoiceField(
        label=_("Break down by"),
        required=False,
        choices=[(s, stratum_label(s)) for s in STRATA_CHOICES],
        widget=forms.CheckboxSelectMultiple,
    )
    rate = forms.ChoiceField(
        label=_("Rate shown in charts"),
        choices=[("adjusted", _("Age-adjusted")), ("crude", _("Crude (not adjusted)"))],
        initial="adjusted",
        required=False,
    )
    standard = forms.ChoiceField(
        label=_("Standard population"),
        choices=[("", _("The measure's own")), *Measure.Standard.choices],
        required=False,
        help_text=_(
            "The age mix that age-adjusted rates are computed for. Compare only rates adjusted to "
            "the same standard. Proportions, such as percentages, are not age-adjusted."
        ),
    )
    compare = forms.ChoiceField(
        label=_("Compare with"),
        choices=[("county", _("The county")), *RACE_REFERENCES, ("none", _("No comparison"))],
        initial="county",
        required=False,
    )
    focus = forms.ChoiceField(label=_("Area for the headline and trend"), required=False)

    def __init__(
        self, data: Any = None, *args: Any, measures: Any, policy: PolicySetting, **kwargs: Any
    ) -> None:
        if data is not None and not data.get("years") and data.get("year_from"):
            # Links and saved queries from before the years field: year_from and year_to.
            data = data.copy()
            first, last = data.get("year_from"), data.get("year_to") or data.get("year_from")
            data["years"] = str(first) if str(first) == str(last) else f"{first}-{last}"
        super().__init__(data, *args, **kwargs)
        self.fields["measure"].queryset = measures
        # Labels in the reader's language, chosen per request (not when the module loads).
        self.fields["measure"].label_from_instance = measure_label  # type: ignore[attr-defined]
        self.fields["by"].choices = [(s, stratum_label(s)) for s in STRATA_CHOICES]
        own = [m for m in measures if m.kind != Measure.Kind.INDICATOR]
        loaded = sorted({y for m in own for y in (m.dataset.years or [])}) or [
            timezone.localdate().year
        ]
        self.blocks = complete_blocks(loaded, portal.engine_policy(policy))
        self.fields["years"].choices = [
            (block_value(b), block_label(b)) for b in reversed(self.blocks)
        ]
        # Published estimates come a year at a time, whatever the department's blocks.
        blocks = {block_value(b) for b in self.blocks}
        self.published_years = [y for y in indicators.years(measures) if str(y) not in blocks]
        self.fields["years"].choices += [
            (str(y), _("%(year)s (published estimates)") % {"year": y})
            for y in reversed(self.published_years)
        ]
        if self.blocks:
            self.fields["years"].initial = block_value(self.blocks[-1])
        self.fields["years"].help_text = (
            _(
                "The department releases single years, so that no year can be worked out by subtraction."
            )
            if policy.year_block == 1
            else _(
                "The department releases fixed blocks of %(n)s years, so that no year can be "
                "worked out by subtraction."
            )
            % {"n": policy.year_block}
        )
        # Before a geography is loaded the county is the only choice; the engine then says why.
        engine = portal.engine_policy(policy)
        levels = portal.released_levels(engine) or ["county"]
        published = {
            lv for m in measures if m.kind == Measure.Kind.INDICATOR for lv in m.dataset.levels
        }
        if published - set(levels):  # levels only published estimates are given for
            levels = [lv for lv in portal.map_levels() if lv in published or lv in levels]
        self.fields["level"].choices = [(lv, capfirst(level_label(lv))) for lv in levels]
        # A protected release has no custom areas; perturbation releases them.
        self.custom_areas = engine.method in ("internal", "perturbation")
        if self.custom_areas:
            self.fields["level"].choices.append(("custom", _("A custom area (pick units below)")))
        else:  # only the strata the release crosses (and years, one cube per block)
            self.fields["by"].choices = [
                (s, stratum_label(s))
                for s in STRATA_CHOICES
                if s == "year" or s in engine.release_strata
            ]
        self.fields["level"].initial = (
            "neighborhood" if "neighborhood" in levels else (levels or [""])[0]
        )
        unit_choices = []
        for lv in ("neighborhood", "tract", "zip", "council_district"):
            if lv in levels:
                unit_choices += [(f"{lv}:{code}", name) for code, name in portal.units(lv)]
        self.fields["unit"].choices = unit_choices
        focus = [("", _("The first area"))]
        county = (portal.levels() or ["county"])[-1]
        for lv in levels:
            focus += [(code, name) for code, name in portal.units(lv) if lv != county]
        self.fields["focus"].choices = focus

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("level") == "custom" and not data.get("unit"):
            self.add_error("unit", _("Pick at least one unit for your custom area."))
        return data

    def spec(self) -> QuerySpec:
        data = self.cleaned_data
        measure = data["measure"]
        block = next((b for b in self.blocks if block_value(b) == data["years"]), None)
        if block is None:  # a year of published estimates
            block = (int(data["years"]), int(data["years"]))
        years = tuple(range(block[0], block[1] + 1))
        # The trend: this block and the ones before it, up to ten.
        earlier = [b for b in self.blocks if b[1] <= block[1]][-10:]
        trend_years = tuple(y for b in earlier for y in range(b[0], b[1] + 1))
        if measure.kind == Measure.Kind.INDICATOR:
            trend_years = ()
        by = tuple(s for s in STRATA_CHOICES if s in data.get("by", []))
        compare = data.get("compare") or "county"
        if compare.startswith("race=") and "race" not in by:
            compare = "county"
        # Proportions are never age-adjusted: a standard chosen for a rate isn't carried over.
        standard = (data.get("standard") or "") if measure.kind == Measure.Kind.RATE else ""
        params = {
            "measure": measure.name,
            "years": data["years"],
            "level": data["level"],
            "unit": list(data.get("unit") or []) if data["level"] == "custom" else [],
            "area_name": data.get("area_name", "") if data["level"] == "custom" else "",
            "by": list(by),
            "rate": data.get("rate") or "adjusted",
            "compare": compare,
            "focus": data.get("focus", ""),
            "standard": standard,
        }
        methods = self.method_params(measure.kind == Measure.Kind.RATE)
        params.update(methods["params"])
        return QuerySpec(
            measure=measure,
            years=years,
            trend_years=trend_years,
            level=data["level"],
            units=tuple(params["unit"]),
            area_name=params["area_name"],
            by=by,
            adjusted=params["rate"] != "crude",
            compare=compare,
            focus=data.get("focus", ""),
            standard=standard,
            params=params,
            methods=methods["engine"],
        )


def complete_blocks(loaded: list[int], policy: stats.SuppressionPolicy) -> list[tuple[int, int]]:
    """The policy's blocks of years (first, last) whose every year is loaded, oldest first."""
    have = set(loaded)
    blocks = {policy.block_of(y) for y in have}
    return sorted(b for b in blocks if all(y in have for y in range(b[0], b[1] + 1)))


class DatasetForm(ModelForm):
    class Meta:
        model = Dataset
        fields = ["name", "title", "kind", "description", "source", "caveats"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "caveats": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["name"]
            del self.fields["kind"]


#: What defines a measure of the department's own data for the engine (not a published one).
ENGINE_FIELDS = (
    "dataset",
    "kind",
    "causes",
    "age_min",
    "age_max",
    "sex",
    "conditions",
    "numerator_conditions",
    "per",
    "standard",
)


class MeasureForm(ModelForm):
    class Meta:
        model = Measure
        fields = [
            "name",
            "label",
            "short_label",
            "label_es",
            "short_label_es",
            *ENGINE_FIELDS,
            "unit",
            "description",
            "status",
            "related",
        ]
        widgets = {
            "related": forms.CheckboxSelectMultiple,
            "conditions": forms.Textarea(attrs={"rows": 2}),
            "numerator_conditions": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = Dataset.objects.filter(kind=Dataset.Kind.EVENTS)
        self.fields["kind"].choices = [
            c for c in self.fields["kind"].choices if c[0] != Measure.Kind.INDICATOR
        ]
        self.fields["related"].queryset = Measure.objects.exclude(pk=self.instance.pk)
        if self.instance.pk:
            del self.fields["name"]
        if self.instance.is_indicator:  # the publisher defines it: only words and access here
            for name in ENGINE_FIELDS:
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("conditions", "numerator_conditions"):
            try:
                portal.parse_conditions(data.get(name, ""))
            except ValueError as error:
                self.add_error(
                    name,
                    _("“%(line)s” is not a condition like “bll >= 3.5”.")
                    % {"line": str(error)[:80]},
                )
        if data.get("kind") == Measure.Kind.PROPORTION and not data.get("numerator_conditions"):
            self.add_error("numerator_conditions", _("A proportion needs numerator conditions."))
        if self.errors or self.instance.is_indicator:
            return data
        probe = Measure(**{k: v for k, v in data.items() if k not in ("dataset", "related")})
        probe.name = data.get("name") or self.instance.name or "probe"
        probe.dataset = data.get("dataset") or Dataset(name="x")
        try:
            portal.engine_measure(probe)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        return data


class PolicyForm(ModelForm):
    class Meta:
        model = PolicySetting
        fields = PolicySetting.ENGINE_FIELDS


class SaveQueryForm(ModelForm):
    class Meta:
        model = SavedQuery
        fields = ["title", "campaign", "notes", "visibility"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.is_department:
            self.fields["campaign"].queryset = Campaign.objects.visible_to(user)
            self.fields["visibility"].choices = [(v.value, v.label) for v in STAFF_VISIBILITIES]
            self.fields["visibility"].initial = Visibility.DEPARTMENT
        else:
            self.fields["campaign"].queryset = Campaign.objects.filter(
                organization__in=user.organization_ids
            )


class AgreementForm(ModelForm):
    class Meta:
        model = DataAgreement
        fields = [
            "organization",
            "title",
            "parties",
            "datasets",
            "purpose",
            "start",
            "expires",
            "file",
        ]
        widgets = {
            "parties": forms.Textarea(attrs={"rows": 2}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "datasets": forms.CheckboxSelectMultiple,
            "start": forms.DateInput(),
            "expires": forms.DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.exclude(
            kind=Organization.Kind.DEPARTMENT_UNIT
        )

    def clean_file(self) -> Any:
        return check_document(self.cleaned_data.get("file"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("expires") and data["start"] > data["expires"]:
            self.add_error("expires", _("The agreement must expire after it starts."))
        return data


class EvidenceForm(ModelForm):
    class Meta:
        model = EvidenceItem
        fields = [
            "title",
            "kind",
            "issue_area",
            "authors",
            "year",
            "summary",
            "url",
            "file",
            "campaigns",
            "asks",
            "visibility",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "campaigns": forms.CheckboxSelectMultiple,
            "asks": forms.CheckboxSelectMultiple,
        }

    def __init__(
        self,
        *args: Any,
        user: Any,
        for_campaign: int | None = None,
        for_ask: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        from support.models import Ask

        self.fields["campaigns"].queryset = Campaign.objects.visible_to(user)
        self.fields["asks"].queryset = Ask.objects.visible_to(user)
        if user.is_department:
            self.fields["visibility"].choices = [(v.value, v.label) for v in STAFF_VISIBILITIES]
        # Opened from a campaign's or an ask's page: that record comes ticked (if the user can
        # read it: the choices are the visible ones), and the form leads back to its page.
        self.opened_from = self._tick("campaigns", for_campaign) or self._tick("asks", for_ask)
        if isinstance(self.opened_from, Campaign):
            self.initial.setdefault("issue_area", self.opened_from.issue_area)

    def _tick(self, name: str, pk: int | None) -> Any:
        if self.instance.pk or not pk:
            return None
        record = self.fields[name].queryset.filter(pk=pk).first()  # type: ignore[attr-defined]
        if record is not None:
            self.initial[name] = [record.pk]
        return record

    def clean_file(self) -> Any:
        return check_document(self.cleaned_data.get("file"))


class EvidenceFilterForm(FilterForm):
    q = SearchField(max_length=100)
    issue_area = choice_filter(_("Issue area"), IssueArea)
    kind = choice_filter(_("Kind"), EvidenceKind)


class DataRequestForm(Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), required=False
    )
    question = forms.CharField(label=_("Your question"), max_length=200)
    geography = forms.CharField(
        label=_("Which places"), max_length=300, help_text=_("Neighborhoods, tracts, ZIP codes…")
    )
    groups = forms.CharField(
        label=_("Which groups of people"),
        max_length=300,
        required=False,
        help_text=_("Ages, race/ethnicity, sex…"),
    )
    details = forms.CharField(
        label=_("Anything else we should know"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    needed_by = forms.DateField(label=_("Needed by"), required=False, widget=forms.DateInput())
    visibility = forms.ChoiceField(
        label=_("Who at the department can read it"),
        choices=[
            (Visibility.DEPARTMENT, _("All department staff, so the data analysts can answer")),
            (Visibility.LIAISON, _("Only our liaisons, who will pass it on")),
        ],
        initial=Visibility.DEPARTMENT,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(
            organization__in=user.organization_ids
        )

    def clean_needed_by(self) -> Any:
        value = self.cleaned_data.get("needed_by")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("The date must not be in the past."))
        return value


class AnswerRequestForm(Form):
    saved_query = forms.ModelChoiceField(
        label=_("Saved query"), queryset=SavedQuery.objects.none(), required=False
    )
    explanation = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label=_("Another file"), required=False)
    confirm_policy = forms.BooleanField(
        label=_(
            "The file holds only tables that meet the suppression policy (no small counts, "
            "no records)."
        ),
        required=False,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["saved_query"].queryset = SavedQuery.objects.visible_to(user)

    def clean_file(self) -> Any:
        return check_document(self.cleaned_data.get("file"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("file") and not data.get("confirm_policy"):
            self.add_error(
                "confirm_policy",
                _("Confirm that the file passed the suppression policy, or attach a saved query."),
            )
        return data
