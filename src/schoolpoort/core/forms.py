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
