"""The audit log's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from powershare.filters import FilterForm, IdField


class AuditFilterForm(FilterForm):
    record_type = forms.CharField(label=_("Record type"), required=False, max_length=64)
    record_id = forms.CharField(label=_("Record number"), required=False, max_length=64)
    user = IdField(label=_("Who"))
    since = forms.DateField(label=_("From"), required=False)
    until = forms.DateField(label=_("To"), required=False)
