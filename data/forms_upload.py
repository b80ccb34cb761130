"""The upload form: a data file for a dataset, and for boundaries the level and fields to read."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from data.models import Dataset
from powershare.forms import Form

#: What each kind of dataset accepts.
SUFFIXES = {
    Dataset.Kind.EVENTS: (".csv", ".parquet"),
    Dataset.Kind.POPULATION: (".csv", ".parquet"),
    Dataset.Kind.GEOGRAPHY: (".zip", ".geojson", ".json", ".topojson"),
    Dataset.Kind.INDICATORS: (".csv",),
}
LEVEL = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def upload_limit() -> int:
    """Largest data file accepted, in bytes (``DATA_UPLOAD_MAX_BYTES``, default 1 GB)."""
    return int(getattr(settings, "DATA_UPLOAD_MAX_BYTES", 1024**3))


class UploadForm(Form):
    file = forms.FileField(
        label=_("File (CSV with a header, or Parquet)"),
        widget=forms.FileInput(attrs={"accept": ".csv,.parquet"}),
    )
    replace = forms.BooleanField(
        label=_("Replace the data already loaded in this dataset"), required=False
    )
    level = forms.CharField(
        label=_("Level of the areas in the file"),
        initial="tract",
        help_text=_("For example tract, zip or county: lowercase letters, digits and _."),
    )
    code_field = forms.CharField(
        label=_("Field holding each area's code"), initial="GEOID", max_length=80
    )
    name_field = forms.CharField(
        label=_("Field holding each area's name"),
        initial="NAME",
        max_length=80,
        required=False,
        help_text=_("Leave empty to name areas by their code."),
    )
    layer = forms.CharField(
        label=_("Layer"),
        required=False,
        max_length=80,
        help_text=_("Only for a file with several layers, such as a TopoJSON file's objects."),
    )
    prefixes = forms.CharField(
        label=_("Coarser levels from the codes"),
        required=False,
        max_length=200,
        help_text=_(
            "Level and code length, comma separated: for tract GEOIDs “county:5, state:2”."
        ),
    )
    total = forms.CharField(
        label=_("Level holding every area"),
        initial="county",
        required=False,
        max_length=40,
        help_text=_("The area every result is compared with. Leave empty if a level already is."),
    )
    repair = forms.BooleanField(
        label=_("Repair invalid shapes (self-intersections, mismatched edges)"), required=False
    )

    def __init__(self, *args: Any, kind: str = Dataset.Kind.EVENTS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.suffixes = SUFFIXES.get(kind, SUFFIXES[Dataset.Kind.EVENTS])
        if kind == Dataset.Kind.GEOGRAPHY:
            del self.fields["replace"]  # new boundaries always take the place of the old
            self.fields["file"].label = _("Boundary file (zipped shapefile, GeoJSON or TopoJSON)")
            self.fields["file"].widget.attrs["accept"] = ",".join(self.suffixes)
        else:
            if kind == Dataset.Kind.INDICATORS:
                del self.fields["replace"]  # a new release of the file takes the old one's place
                self.fields["file"].label = _("Indicator file (CSV in CDC PLACES layout)")
                self.fields["file"].help_text = _(
                    "Columns as PLACES publishes them: Year, StateAbbr, LocationName, "
                    "LocationID, Measure, MeasureId, Data_Value_Type, Data_Value, "
                    "Low_Confidence_Limit, High_Confidence_Limit, TotalPopulation, "
                    "Data_Value_Footnote. Rows for areas outside this geography are left out."
                )
            for name in (
                "level",
                "code_field",
                "name_field",
                "layer",
                "prefixes",
                "total",
                "repair",
            ):
                del self.fields[name]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith(self.suffixes):
            if self.kind == Dataset.Kind.INDICATORS:
                raise forms.ValidationError(_("Upload a .csv file."))
            if self.kind != Dataset.Kind.GEOGRAPHY:
                raise forms.ValidationError(_("Upload a .csv or .parquet file."))
            raise forms.ValidationError(
                _("Upload a file of one of these kinds: %(kinds)s."),
                params={"kinds": ", ".join(self.suffixes)},
            )
        if upload.size > upload_limit():
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB."),
                params={"size": upload.size // 1_048_576, "limit": upload_limit() // 1_048_576},
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        head = upload.read(4)
        upload.seek(0)
        if name.endswith(".parquet") and head != b"PAR1":
            raise forms.ValidationError(_("The file's contents are not Parquet."))
        if name.endswith(".zip") and head != b"PK\x03\x04":
            raise forms.ValidationError(_("The file's contents are not a zip archive."))
        if name.endswith((".csv", ".geojson", ".json", ".topojson")):
            try:
                upload.read(65536).decode("utf-8")
            except UnicodeDecodeError as e:
                if e.start < 65530:  # not a character cut at the end of the sample
                    raise forms.ValidationError(
                        _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")
                        if name.endswith(".csv")
                        else _("The file is not UTF-8 text. Save it as UTF-8 and try again.")
                    ) from None
            finally:
                upload.seek(0)
        return upload

    def _level(self, value: str, label: str) -> str:
        value = value.strip()
        if value and not LEVEL.match(value):
            raise forms.ValidationError(
                _(
                    "“%(value)s” is not a level name: use lowercase letters, digits and _ (%(label)s)."
                ),
                params={"value": value, "label": label},
            )
        return value

    def clean_level(self) -> str:
        return self._level(self.cleaned_data["level"], "tract")

    def clean_total(self) -> str:
        return self._level(self.cleaned_data.get("total") or "", "county")

    def clean_prefixes(self) -> list[tuple[str, int]]:
        out = []
        for part in (self.cleaned_data.get("prefixes") or "").split(","):
            if not part.strip():
                continue
            level, _sep, length = part.strip().partition(":")
            if not length.strip().isdigit() or not LEVEL.match(level.strip()):
                raise forms.ValidationError(
                    _("“%(part)s” should be a level and a code length, such as county:5."),
                    params={"part": part.strip()},
                )
            out.append((level.strip(), int(length)))
        return out

    def options(self) -> dict[str, Any]:
        """A boundary upload's options, for the load."""
        if self.kind != Dataset.Kind.GEOGRAPHY:
            return {}
        keys = ("level", "code_field", "name_field", "layer", "prefixes", "total", "repair")
        return {k: self.cleaned_data.get(k) for k in keys}
