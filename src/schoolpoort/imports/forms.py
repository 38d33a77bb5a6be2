from django import forms
from django.utils.translation import gettext_lazy as _

from schoolpoort.lib.forms import MultipleFileField, MultipleFileInput

MAX_BYTES = 50 * 1024 * 1024  # a board's OneRoster ZIP is a few MB; this leaves room





class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("File from the administration system"),
        widget=MultipleFileInput(attrs={"accept": ".xml,.csv,.zip,.txt"}),
        help_text=_(
            "EDEX.XML from ParnasSys or ESIS, the guardian CSV (ouders.csv), or OneRoster: a ZIP or its CSV "
            "files selected together. Nothing changes before you confirm."
        ),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if sum(f.size for f in files) > MAX_BYTES:
            raise forms.ValidationError(_("The files are larger than 50 MB together."))
        if len(files) > 1 and not all(f.name.lower().endswith(".csv") for f in files):
            raise forms.ValidationError(_("Choose one file, or the CSV files of one OneRoster export together."))
        return files

    def name_and_data(self) -> tuple[str, bytes]:
        """One file as uploaded; several OneRoster CSV files as one ZIP."""
        from . import formats

        files = self.cleaned_data["files"]
        if len(files) == 1:
            return files[0].name, files[0].read()
        return "oneroster.zip", formats.bundle({f.name: f.read() for f in files})
