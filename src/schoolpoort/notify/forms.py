from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.modules import MODULES, ModuleInfo

from .models import Preference, QuietHours


@dataclass
class PreferenceRow:
    info: ModuleInfo
    email: forms.BoundField
    push: forms.BoundField


class PreferencesForm(forms.Form):
    """Per module: e-mail at once, daily, weekly or off; push on or off."""

    def __init__(self, *args, current: dict[str, tuple[str, bool]], **kwargs):
        super().__init__(*args, **kwargs)
        for code in MODULES:
            email, push = current.get(code, (Preference.Email.IMMEDIATE, True))
            self.fields[f"email_{code}"] = forms.ChoiceField(
                label=_("E-mail"), choices=Preference.Email.choices, initial=email
            )
            self.fields[f"push_{code}"] = forms.BooleanField(label=_("Push message"), required=False, initial=push)

    @property
    def rows(self) -> list[PreferenceRow]:
        return [PreferenceRow(info, self[f"email_{code}"], self[f"push_{code}"]) for code, info in MODULES.items()]

    def choices(self) -> dict[str, tuple[str, bool]]:
        return {code: (self.cleaned_data[f"email_{code}"], self.cleaned_data[f"push_{code}"]) for code in MODULES}


class QuietHoursForm(forms.ModelForm):
    class Meta:
        model = QuietHours
        fields = ["starts_at", "ends_at", "weekend"]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "starts_at": _("Push messages that come later wait until the end of the quiet hours."),
            "weekend": _("Push messages on Saturday and Sunday wait until Monday morning."),
        }
