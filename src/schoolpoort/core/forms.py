from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ModuleClosure


class ModuleClosureForm(forms.ModelForm):
    class Meta:
        model = ModuleClosure
        fields = ["module", "starts_on", "ends_on", "message"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date must not be before the start date."))
        return data


class KeptFilesMixin:
    """Files chosen in a form are never dropped: each accepted file is parked at once as the user's
    draft (``core.staging``), carried by the form as ``kept_attachments`` and shown with a remove
    button (``lib/_kept_files.html``; a button ``unstage`` discards one). A preview, a count of
    recipients or a failed validation then keeps it; ``files_to_store`` gives them to the action,
    which discards the drafts once stored (``staging.discard_on_commit(form.kept)``).

    The form sets ``kept_kind`` ("<module>.attachment") and calls ``_setup_kept(user)`` in
    ``__init__``; its ``clean_attachments`` passes the checked files through ``keep``."""

    kept_kind = ""
    kept: list | tuple = ()  # set per form by _setup_kept; never mutated in place
    kept_owner = None

    def _setup_kept(self, user) -> None:
        from . import staging

        self.kept_owner = user
        if not self.is_bound:
            self.kept = []
            return
        removed = set(self.data.getlist("unstage"))
        self.kept = staging.drafts(user, self.kept_kind, [pk for pk in self.data.getlist("kept_attachments")
                                                         if pk not in removed])
        for upload in staging.drafts(user, self.kept_kind, removed):
            staging.discard(upload)

    def keep(self, checked_files) -> None:
        """Park the checked files (``lib.uploads.CheckedFile``) as drafts of the form's user."""
        from . import staging

        parked = [staging.park_draft(checked, owner=self.kept_owner, kind=self.kept_kind) for checked in checked_files]
        self.kept = [*self.kept, *parked]

    def files_to_store(self, policy) -> list:
        """The kept drafts as checked files again (a draft gone meanwhile is left out)."""
        from django.core.exceptions import ValidationError

        from . import staging

        found = []
        for upload in self.kept:
            try:
                found.append(staging.draft_file(upload, policy))
            except (staging.Expired, ValidationError):
                continue
        return found
