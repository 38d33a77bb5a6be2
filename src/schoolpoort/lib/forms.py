"""Form pieces every module's forms share."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files from one input, as a list. Each passes FileField's own checks (a name;
    not empty unless ``allow_empty_file``); what a file holds is for lib/uploads.py to judge."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        single = super().clean  # (zero-argument super() does not work inside a comprehension on 3.11)
        return [single(item, initial) for item in files]
