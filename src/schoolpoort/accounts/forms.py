import logging

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .emails import absolute_url, send_templated_email
from .models import User
from .registration import find_usable_code

logger = logging.getLogger(__name__)

INVALID_CODE = _(
    "This code does not work. It may be mistyped, expired or already used. Check the letter, or ask "
    "the school for a new code."
)


def email_widget(**attrs):
    return forms.EmailInput(
        attrs={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false", **attrs}
    )


def remember_field():
    return forms.BooleanField(
        label=_("Stay signed in on this device"),
        required=False,
        help_text=_(
            "Only on your own phone or computer. Otherwise you are signed out when you close the browser."
        ),
    )


class LoginForm(auth_forms.AuthenticationForm):
    # The field is called "username" so that Django and django-axes see it; it holds the e-mail address.
    username = forms.CharField(label=_("E-mail address"), max_length=254, widget=email_widget(autofocus=True))
    remember = remember_field()

    error_messages = {
        # One message for a wrong password, an unknown address and an inactive account.
        "invalid_login": _("The e-mail address or password is not correct."),
        "inactive": _("The e-mail address or password is not correct."),
    }


class CodeForm(forms.Form):
    """A signed-in user adds a child with the code from the school's letter."""

    code = forms.CharField(
        label=_("Registration code"),
        max_length=20,
        help_text=_("On the letter from school, for example K7QM-4HXT."),
        widget=forms.TextInput(
            attrs={
                "class": "code-input",
                "autocapitalize": "characters",
                "autocomplete": "off",
                "autocorrect": "off",
                "spellcheck": "false",
                "inputmode": "text",
            }
        ),
    )

    registration_code = None

    def clean_code(self):
        code = find_usable_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(INVALID_CODE, code="invalid_code")
        self.registration_code = code
        return self.cleaned_data["code"]


class RegistrationForm(CodeForm):
    """A visitor with a code makes an account and links the child in one go."""

    first_name = forms.CharField(
        label=_("First name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("You log in with this address. One account per address."),
        widget=email_widget(),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    remember = remember_field()

    email_has_account = False

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"].strip()).lower()

    def clean(self):
        data = super().clean()
        if self.registration_code is None:
            # Only someone holding a valid code learns whether an address has an account.
            return data
        email = data.get("email")
        if email and User.objects.filter(email__iexact=email).exists():
            self.email_has_account = True
            self.add_error(
                "email",
                _(
                    "There is already an account for this e-mail address. Log in first, then enter "
                    "the code again to add your child."
                ),
            )
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif password1:
            candidate = User(
                email=email or "", first_name=data.get("first_name", ""), last_name=data.get("last_name", "")
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ActivationForm(auth_forms.SetPasswordForm):
    """Django's set-password form, for the first password of an invited guardian."""

    remember = remember_field()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone", "language"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
        }


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(label=_("New e-mail address"), max_length=254, widget=email_widget())
    current_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_email(self):
        email = User.objects.normalize_email(self.cleaned_data["new_email"].strip()).lower()
        if email == self.user.email.lower():
            raise forms.ValidationError(_("This is already your e-mail address."))
        if User.objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(_("This e-mail address is already in use by another account."))
        return email

    def clean_current_password(self):
        if not self.user.check_password(self.cleaned_data["current_password"]):
            raise forms.ValidationError(_("Your current password is not correct."))
        return self.cleaned_data["current_password"]


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, sending our e-mail in the user's own language. Accounts that were
    invited but never activated (no password yet) may use it too: it is their activation."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254, widget=email_widget(autofocus=True))

    def get_users(self, email):
        return (
            user
            for user in User.objects.filter(email__iexact=email.strip(), is_active=True)
            if user.email.lower() == email.strip().lower()
        )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        reset_url = absolute_url(
            reverse(
                "accounts:password_reset_confirm",
                kwargs={"uidb64": context["uid"], "token": context["token"]},
            )
        )
        try:
            send_templated_email(
                "accounts/email/password_reset",
                user,
                {**context, "reset_url": reset_url},
                language=user.language,
            )
        except Exception:
            # As Django does: a failing mail server must not tell the visitor the address exists.
            logger.exception("Failed to send password reset email to user %s", user.pk)


class SecondFactorForm(forms.Form):
    """The code from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6 digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false",
                   "autofocus": True, "class": "code-input"}
        ),
    )
    remember = forms.BooleanField(
        label=_("Remember this device"),
        required=False,
        help_text=_("Only on your own phone or computer: it will not ask for a code here for a while."),
    )

    def __init__(self, *args, days: int = 30, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remember"].label = ngettext(
            "Remember this device for %(days)s day", "Remember this device for %(days)s days", days
        ) % {"days": days}


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        help_text=_("Scan the QR code with your authenticator app and type the 6 digits it shows."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none",
                   "spellcheck": "false", "class": "code-input"}
        ),
    )
