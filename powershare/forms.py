"""Form helpers: USWDS classes on widgets, ids kept within the database's range, and upload
checks shared by every form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from powershare.scrub import scrub_upload

# The largest id the databases store: ids are BigAutoField (a signed 64-bit integer on SQLite and
# PostgreSQL). A larger one is no record's id, and SQLite refuses it in a query.
MAX_ID = 2**63 - 1

WIDGET_CLASSES = {
    forms.Textarea: "usa-textarea",
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select",
    forms.CheckboxInput: "usa-checkbox__input",
    forms.ClearableFileInput: "usa-file-input",
    forms.FileInput: "usa-file-input",
    forms.CheckboxSelectMultiple: "usa-checkbox__input",
    forms.RadioSelect: "usa-radio__input",
}


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of records that refuses ids past the database's range as invalid
    choices. Django checks one id at a time with an exact lookup (which knows the range) but
    then fetches them all with ``__in`` (which does not: SQLite raises OverflowError)."""

    def _check_values(self, value: Any) -> Any:
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.get_field(key) if key != "pk" else None
        target = field or self.queryset.model._meta.pk
        if target.get_internal_type() in ("AutoField", "BigAutoField", "ForeignKey"):
            for pk in value:
                try:
                    number = int(str(pk).strip())
                except ValueError:
                    continue  # Django's own check names it
                if not 0 < number <= MAX_ID:
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": pk},
                    )
        return super()._check_values(value)


class USWDSMixin:
    """Adds USWDS classes to every widget, marks invalid fields for screen readers, and keeps
    every multiple choice of records within the database's range of ids."""

    template_name = "includes/form.html"
    template_name_div = "includes/form.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            if type(field) is forms.ModelMultipleChoiceField:
                # The same field with the range check (a subclass that adds no state), so that
                # ModelForms' generated fields and declared ones are all covered.
                field.__class__ = BoundedModelMultipleChoiceField
            widget = field.widget
            css = next(
                (c for kind, c in WIDGET_CLASSES.items() if type(widget) is kind), "usa-input"
            )
            widget.attrs.setdefault("class", css)
            if type(widget) is forms.CheckboxSelectMultiple:
                # Django's own template puts the input's class on the list's <div> too, and
                # USWDS moves every `usa-checkbox__input` out of sight: each box with its label.
                widget.template_name = "includes/widgets/checkboxes.html"
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"


def apply_action_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put an action's ValidationError on the form: on its field where it names one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def error_text(error: ValidationError) -> str:
    """An action's ValidationError as one sentence for a message."""
    return " ".join(str(m) for m in error.messages)


class Form(USWDSMixin, forms.Form):
    pass


class ModelForm(USWDSMixin, forms.ModelForm):
    pass


DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAGIC = {
    ".pdf": [b"%PDF"],
    ".png": [b"\x89PNG"],
    ".jpg": [b"\xff\xd8\xff"],
    ".jpeg": [b"\xff\xd8\xff"],
    ".docx": [b"PK\x03\x04"],
    ".xlsx": [b"PK\x03\x04"],
    ".odt": [b"PK\x03\x04"],
    ".doc": [b"\xd0\xcf\x11\xe0"],
}


def check_new_document(value: Any) -> None:
    """`check_document` on a value about to be saved in a file field, when it is a new
    upload (an action's own check, whatever form or program called it)."""
    if isinstance(value, UploadedFile):
        check_document(value)


def check_document(upload: UploadedFile | None) -> UploadedFile | None:
    """Refuse files of the wrong type, size or content; returns the upload if it is fine,
    with the metadata of an image or PDF stripped in place (``powershare.scrub``)."""
    if not upload:
        return upload
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in DOCUMENT_TYPES:
        raise forms.ValidationError(
            _("Files of type %(suffix)s are not accepted. Use one of: %(allowed)s."),
            params={"suffix": suffix or "?", "allowed": ", ".join(sorted(DOCUMENT_TYPES))},
        )
    if upload.size is not None and upload.size > settings.UPLOAD_MAX_BYTES:
        raise forms.ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB."),
            params={
                "size": round(upload.size / 1_048_576, 1),
                "limit": round(settings.UPLOAD_MAX_BYTES / 1_048_576, 1),
            },
        )
    if upload.size == 0:
        raise forms.ValidationError(_("The file is empty."))
    head = upload.read(8)
    upload.seek(0)
    signatures = MAGIC.get(suffix)
    if signatures and not any(head.startswith(sig) for sig in signatures):
        raise forms.ValidationError(
            _("The file's contents do not match its %(suffix)s name."), params={"suffix": suffix}
        )
    if suffix in {".txt", ".csv"}:
        try:
            upload.read(65536).decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Text files must be UTF-8 encoded.")) from None
        finally:
            upload.seek(0)
    scrub_upload(upload)
    return upload
