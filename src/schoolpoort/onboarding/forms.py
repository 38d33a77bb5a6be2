from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from schoolpoort.accounts.guardians import current_groups


class _GroupChoice(forms.Form):
    group = forms.ModelChoiceField(queryset=None, required=False, label=_("For"), empty_label=_("The whole school"))

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = current_groups(school)


class LetterRequestForm(_GroupChoice):
    WHO = [
        ("all", _("Every guardian who has not registered")),
        ("no_email", _("Only guardians without a usable e-mail address")),
    ]
    who = forms.ChoiceField(label=_("Letters for"), choices=WHO, initial="all", widget=forms.RadioSelect)
    # The letter goes home with the child: Dutch unless the school chooses otherwise.
    language = forms.ChoiceField(label=_("Language of the letters"), choices=settings.LANGUAGES, initial="nl")


class MailRequestForm(_GroupChoice):
    pass


class GuardianEmailForm(forms.Form):
    email = forms.EmailField(label=_("New e-mail address"), max_length=254)

    def __init__(self, *args, current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.current = (current or "").lower()

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email == self.current:
            raise forms.ValidationError(_("This is already the guardian's address."))
        return email
