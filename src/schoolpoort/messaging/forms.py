from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schoolpoort.core.forms import KeptFilesMixin
from schoolpoort.lib.forms import MultipleFileField

from . import uploads
from .models import SchoolMessagingSettings, TeacherAvailability
from .recipients import SEPARATE, TOGETHER, RecipientOptions
from .uploads import accepted_extensions, accepted_types_text

MAX_BODY = 10_000





class AttachmentsMixin(KeptFilesMixin):
    """A message with up to ``uploads.POLICY.max_files`` photos or documents, each checked by the kernel.
    A refused file leaves the typed text in the form, with a message that names the file; an accepted
    one is kept (``core.forms.KeptFilesMixin``) until the message is sent."""

    kept_kind = "messaging.attachment"

    def _setup_attachments(self, user=None):
        self._setup_kept(user)
        field = self.fields["attachments"]
        field.help_text = accepted_types_text()
        field.widget.attrs["accept"] = ",".join(accepted_extensions())

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(self.kept) + len(files) > uploads.POLICY.max_files:
            raise ValidationError(
                _("At most %(max)d files can be added to one message.") % {"max": uploads.POLICY.max_files},
                code="too_many",
            )
        prepared, errors = uploads.check_all(files)
        if self.kept_owner is not None:  # kept from now on (without a user: this request only)
            self.keep(prepared)
            prepared = []
        if errors:
            raise ValidationError(errors)
        return prepared

    def uploads_to_send(self) -> list:
        """The files to send with the message: the kept drafts and any not kept."""
        return self.files_to_store(uploads.POLICY) + list(self.cleaned_data.get("attachments") or [])


class MessageForm(AttachmentsMixin, forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Write a message first.")},
    )
    attachments = MultipleFileField(label=gettext_lazy("Photos and files"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_attachments(user)

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError(_("Write a message first."), code="required")
        return body


class ComposeForm(MessageForm):
    recipient = forms.ChoiceField(
        label=gettext_lazy("To"),
        error_messages={"required": gettext_lazy("Choose whom to write to."),
                        "invalid_choice": gettext_lazy("Choose whom to write to from the list.")},
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("When writing to all parents of a group"),
        widget=forms.RadioSelect,
        choices=[
            (SEPARATE, gettext_lazy("A private conversation with each family")),
            (TOGETHER, gettext_lazy("One group conversation with all parents (they see each other's names)")),
        ],
        initial=SEPARATE,
        required=False,
    )
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200)

    field_order = ["recipient", "mode", "subject", "body", "attachments"]

    def __init__(self, *args, options: RecipientOptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        self.fields["recipient"].choices = [("", _("Choose…")), *options.choices()]
        if not options.has_groups:
            del self.fields["mode"]

    def clean(self):
        data = super().clean()
        value = data.get("recipient")
        recipient = self.options.get(value) if value else None
        if value and recipient is None:
            self.add_error("recipient", _("Choose whom to write to from the list."))
        data["recipient"] = recipient
        data["mode"] = data.get("mode") or SEPARATE
        if recipient is not None and not recipient.conversations(data["mode"]):
            self.add_error("recipient", _("No parent of this group has an account yet."))
        return data


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What is wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The school's office and director read this. They do not see your messages unless "
                               "they take part in the conversation."),
    )


class SchoolSettingsForm(forms.ModelForm):
    class Meta:
        model = SchoolMessagingSettings
        fields = ["parent_notice", "parent_to_parent", "directors_may_read"]
        widgets = {"parent_notice": forms.Textarea(attrs={"rows": 3})}


class AvailabilityForm(forms.ModelForm):
    class Meta:
        model = TeacherAvailability
        fields = ["office_hours", "auto_reply_on", "auto_reply"]
        widgets = {"office_hours": forms.Textarea(attrs={"rows": 2}), "auto_reply": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        if data.get("auto_reply_on") and not (data.get("auto_reply") or "").strip():
            self.add_error("auto_reply", _("Write the automatic reply, or switch it off."))
        return data


class ExportForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end comes before the start."))
        if start and end and end - start > datetime.timedelta(days=3 * 366):
            self.add_error("end", _("Export at most three years at a time."))
        return data

    @staticmethod
    def default_period() -> dict:
        today = timezone.localdate()
        first_year = today.year if today.month >= 8 else today.year - 1
        return {"start": datetime.date(first_year, 8, 1), "end": today}
