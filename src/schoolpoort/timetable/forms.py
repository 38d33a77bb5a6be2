from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TimetableEntry


class EntryForm(forms.ModelForm):
    class Meta:
        model = TimetableEntry
        fields = ["weekday", "starts_at", "ends_at", "activity", "label", "reminder"]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        return cleaned
