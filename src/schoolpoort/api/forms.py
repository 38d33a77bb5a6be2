from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import SCOPES
from .tokens import MAX_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("an API token's", "Name"), max_length=100,
        help_text=_("Which system uses it, for example: ParnasSys absences."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"), choices=list(SCOPES.items()), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one.")},
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=90,
        help_text=_("At most a year. You can stop it sooner at any time."),
    )
