from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import EVENTS, SCOPES
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


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("Address (https)"), max_length=2000, assume_scheme="https",
        help_text=_("Where the school's system receives the messages, for example https://sis.example.nl/hooks."),
    )
    events = forms.MultipleChoiceField(
        label=_("Send a message when"), choices=list(EVENTS.items()), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one.")},
    )

    def clean_url(self):
        from schoolpoort.lib.outbound import UnsafeURL

        from .webhooks import check_url

        url = self.cleaned_data["url"]
        try:
            check_url(url)
        except UnsafeURL as exc:
            raise forms.ValidationError(str(exc)) from None
        return url
