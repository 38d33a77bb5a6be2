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
