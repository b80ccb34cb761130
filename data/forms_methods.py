"""The query builder's choices of statistical method: confidence level, how ratios get their
limits, standardized ratios, PHE's crude limits (see docs/stats.md, "Methods")."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from powershare.forms import Form

#: The confidence choices: the main level, then any further levels shown beside it.
CONFIDENCE = {
    "95": (0.95, ()),
    "90": (0.90, ()),
    "99": (0.99, ()),
    "95+99.8": (0.95, (0.998,)),
}


class MethodsForm(Form):
    """Fields the query builder shares for its methods; `method_params` reads them back."""

    conf = forms.ChoiceField(
        label=_("Confidence level"),
        choices=[
            ("95", _("95%")),
            ("90", _("90%")),
            ("99", _("99%")),
            ("95+99.8", _("95% and 99.8% (as PHE reports)")),
        ],
        initial="95",
        required=False,
    )
    ratio = forms.ChoiceField(
        label=_("Rate ratio limits"),
        choices=[
            ("wald", _("Log-normal, on age-adjusted rates")),
            ("exact", _("Exact (conditional), on crude rates")),
            ("midp", _("Mid-p exact, on crude rates")),
        ],
        initial="wald",
        required=False,
        help_text=_(
            "Exact limits suit small counts. Against the county, the log-normal limits take "
            "into account that the area's events are part of the county's."
        ),
    )
    smr = forms.BooleanField(
        label=_("Standardized ratio (SMR) against the comparison"),
        required=False,
        help_text=_(
            "Observed events over the events expected at the comparison's age-specific rates: "
            "steadier than age-adjusted rates for small areas."
        ),
    )
    crude_ci = forms.ChoiceField(
        label=_("Crude rate limits"),
        choices=[
            ("exact", _("Exact Poisson")),
            ("byar", _("Exact below 10 events, Byar's from 10 (PHE)")),
        ],
        initial="exact",
        required=False,
    )

    def method_params(self, is_rate: bool) -> dict[str, Any]:
        """The URL parameters and the engine's query options these fields choose."""
        data = self.cleaned_data
        conf = data.get("conf") or "95"
        ratio = (data.get("ratio") or "wald") if is_rate else "wald"
        smr = bool(data.get("smr")) and is_rate
        crude_ci = data.get("crude_ci") or "exact"
        level, levels = CONFIDENCE[conf]
        return {
            "params": {
                "conf": conf,
                "ratio": ratio,
                "smr": "on" if smr else "",
                "crude_ci": crude_ci,
            },
            "engine": {
                "conf_level": level,
                "conf_levels": levels,
                "ratio_method": ratio,
                "indirect": smr,
                "crude_ci": crude_ci,
            },
        }
