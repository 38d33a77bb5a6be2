from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ClassListSettings, GuardianContact


class SharingForm(forms.Form):
    """The four switches for one group; every one off unless the guardian switches it on."""

    name = forms.BooleanField(label=_("My name"), required=False)
    phone = forms.BooleanField(label=_("My phone number"), required=False)
    email = forms.BooleanField(label=_("My e-mail address"), required=False)
    address = forms.BooleanField(label=_("My address"), required=False)

    def __init__(self, *args, group, **kwargs):
        self.group = group
        super().__init__(*args, prefix=f"group-{group.pk}", **kwargs)


class AddressForm(forms.ModelForm):
    class Meta:
        model = GuardianContact
        fields = ["address"]
        labels = {"address": _("My address")}
        widgets = {"address": forms.TextInput(attrs={"autocomplete": "street-address"})}


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ClassListSettings
        fields = ["names"]
        widgets = {"names": forms.RadioSelect}
