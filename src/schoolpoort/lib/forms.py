"""Form pieces every module's forms share, and the one way every form of the app is rendered.

``FORM_RENDERER`` points at :class:`Renderer`: ``{{ form }}`` renders ``lib/forms/form.html`` (an
error summary at the top, then each field) and ``{{ field.as_field_group }}`` renders
``lib/_field.html``. Its :class:`BoundField` (Django 5.2's ``bound_field_class``) gives every form of
every module the same manners without a base class to remember: labels without a colon, errors
linked to the input with ``aria-describedby`` beside the help text, and no "---------" as the empty
choice of a select."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.translation import pgettext_lazy

DASHES = "---------"  # Django's BLANK_CHOICE_DASH and ModelChoiceField's default empty_label


def empty_choice_label(field: forms.Field):
    """What the empty option of a select says when its form did not choose better words: a choice
    that must be made asks for one; an optional one means "none"."""
    if field.required:
        return pgettext_lazy("empty choice of a required select", "Choose…")
    return pgettext_lazy("empty choice of an optional select", "None")


class BoundField(forms.BoundField):
    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        # form.fields holds the form instance's own copies, so this changes no other form.
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DASHES:
                field.empty_label = empty_choice_label(field)
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if ("", DASHES) in choices:
                field.choices = [(value, empty_choice_label(field) if (value, label) == ("", DASHES) else label)
                                 for value, label in choices]

    @property
    def errors_id(self) -> str:
        return f"{self.auto_id}_error" if self.auto_id else ""  # the id Django gives the error list

    @property
    def aria_describedby(self):
        """Help text first, then the errors, so a screen reader reads both with the input."""
        ids = [described] if (described := super().aria_describedby) else []
        if self.errors and self.errors_id:
            ids.append(self.errors_id)
        return " ".join(ids) or None

    def label_tag(self, contents=None, attrs=None, label_suffix=None, tag=None):
        return super().label_tag(contents, attrs, "" if label_suffix is None else label_suffix, tag)


class Renderer(TemplatesSetting):
    """The project's form renderer: the project's template engine, the kernel's templates."""

    form_template_name = "lib/forms/form.html"
    field_template_name = "lib/_field.html"
    bound_field_class = BoundField


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
