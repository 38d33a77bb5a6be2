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


# The editor's own words (django-prose-editor ships no Dutch), translated here and handed to the
# page as JSON data (not a script): web/rich-editor-i18n.js gives them to the editor's gettext, and
# web/rich-editor.js to the toolbar's buttons.
def editor_labels() -> dict[str, str]:
    from django.utils.translation import gettext, pgettext

    return {
        "bold": gettext("Bold"), "italic": gettext("Italic"), "underline": gettext("Underline"),
        "strike": gettext("Strikethrough"), "unordered list": gettext("Bulleted list"),
        "ordered list": gettext("Numbered list"), "blockquote": gettext("Quote"),
        "horizontal rule": gettext("Dividing line"), "insert link": gettext("Link"),
        "remove link": gettext("Remove link"), "undo": gettext("Undo"), "redo": gettext("Redo"),
        "paragraph": gettext("Normal text"), "heading 2": gettext("Heading"), "heading 3": gettext("Subheading"),
        "URL": pgettext("web address", "URL"), "Title": pgettext("of a link", "Title"),
        "Open in new window": gettext("Open in a new window"), "Edit Link": gettext("Link"),
        "Update": gettext("Save"), "Insert": gettext("Add"), "Cancel": gettext("Cancel"),
    }


class RichTextEditor(forms.Textarea):
    """The rich-text editor (django-prose-editor's ProseMirror build, started by our own module
    ``web/rich-editor.js`` so that no inline script, import map or style tag is needed under the
    strict CSP). Without JavaScript it is a plain textarea. ``image_upload_url``: where a photo
    placed in the text is uploaded (a module's access-checked view); None: no photos in the text."""

    template_name = "lib/widgets/rich_text.html"

    def __init__(self, attrs=None, *, image_upload_url=None):
        super().__init__({"rows": 12, "data-rich-editor": "", **(attrs or {})})
        self.image_upload_url = image_upload_url

    class Media:
        css = {"all": ["django_prose_editor/material-icons.css", "django_prose_editor/editor.css",
                       "web/rich-editor.css"]}
        # In this order: the words first (the editor's gettext reads them when its module loads).
        js = [forms.Script("web/rich-editor-i18n.js", type="module"), forms.Script("web/rich-editor.js", type="module")]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["image_upload_url"] = self.image_upload_url
        context["widget"]["labels"] = editor_labels()
        return context

    def use_required_attribute(self, initial):
        return False  # the textarea is hidden behind the editor: the server says what is missing


class RichTextField(forms.CharField):
    """Rich text in, safe HTML out (``lib.text.safe_html``, the one sanitiser). ``image_src``: the
    pattern of the module's own access-checked image URLs a body may show. Text typed without the
    editor (no JavaScript) keeps its paragraphs and line breaks."""

    widget = RichTextEditor

    def __init__(self, *, image_src=None, **kwargs):
        self.image_src = image_src
        super().__init__(strip=True, **kwargs)

    def to_python(self, value):
        from django.utils.html import linebreaks

        from .text import safe_html

        value = super().to_python(value)
        if value and "<" not in value:
            value = linebreaks(value)
        return safe_html(value, image_src=self.image_src)
