"""Signing in and out, registering with a code, activation links and forgotten passwords.
"Mijn account" is in account_views.py, the staff page for guardians in staff_views.py."""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from . import second_factor
from .activation import ActivationError, TokenProblem, user_for_activation_token
from .forms import INVALID_CODE, ActivationForm, CodeForm, LoginForm, PasswordResetForm, RegistrationForm
from .limits import password_reset_limited, registration_limited
from .registration import CodeNotUsable, redeem_code, register_with_code
from .session import remember_language, set_session_length, sign_in

# --- Logging in and out ------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        set_session_length(self.request, user, form.cleaned_data.get("remember", False))
        if second_factor.must_verify(self.request):
            # The password was right; staff (and parents who chose it) prove the second factor
            # next. The middleware keeps every other page closed until then.
            name = "accounts:second_factor" if second_factor.has_any_factor(user) else "accounts:second_factor_enrol"
            response = redirect(f"{reverse(name)}?{urlencode({'next': self.get_success_url()})}")
        # From the next request on, the middleware shows the site in the account's language.
        return remember_language(response, user.language)


class LogoutView(auth_views.LogoutView):
    pass


def locked_out(request, original_response=None, credentials=None, *args, **kwargs):
    """django-axes: too many failed logins for this address or from this network. The page is
    the same whether the account exists or not."""
    return render(request, "accounts/locked_out.html", status=429)


def ratelimited(request, exception=None):
    return render(request, "accounts/ratelimited.html", status=429)


# --- Registering with a code from a school letter ---------------------------------------------


def _registration_limited(request) -> bool:
    if request.user.is_authenticated:
        email = request.user.email.lower()
    else:
        email = request.POST.get("email", "").strip().lower()
    return registration_limited(request, email)


def _child_linked_message(request, guardianship, code_slot_id: int) -> None:
    name = guardianship.student.full_name
    if guardianship.pk != code_slot_id:
        messages.info(request, _("%(child)s was already linked to your account.") % {"child": name})
    else:
        messages.success(request, _("%(child)s is now linked to your account.") % {"child": name})


@sensitive_post_parameters("password1", "password2")
@never_cache
def register(request):
    form_class = CodeForm if request.user.is_authenticated else RegistrationForm
    status = 200
    limited = False
    if request.method == "POST":
        if _registration_limited(request):
            # Show what was typed again, unchecked (passwords are never shown again).
            typed = {
                k: v for k, v in request.POST.items() if k in form_class.base_fields and "password" not in k
            }
            form = form_class(initial=typed)
            limited, status = True, 429
        else:
            form = form_class(request.POST)
            if form.is_valid():
                code = form.registration_code
                try:
                    if request.user.is_authenticated:
                        guardianship = redeem_code(code, request.user)
                    else:
                        user, guardianship = register_with_code(
                            code,
                            email=form.cleaned_data["email"],
                            password=form.cleaned_data["password1"],
                            first_name=form.cleaned_data["first_name"],
                            last_name=form.cleaned_data["last_name"],
                            language=translation.get_language() or settings.LANGUAGE_CODE,
                        )
                        sign_in(request, user, form.cleaned_data.get("remember", False))
                except CodeNotUsable:
                    form.add_error("code", INVALID_CODE)
                except IntegrityError:  # the address got an account a moment ago
                    form.email_has_account = True
                    form.add_error("email", _("There is already an account for this e-mail address."))
                else:
                    _child_linked_message(request, guardianship, code.guardianship_id)
                    return redirect(settings.LOGIN_REDIRECT_URL)
    else:
        form = form_class(initial={"code": request.GET.get("code", "")[:20]})
    # "Log in first" comes back here with the code still filled in.
    typed_code = (form["code"].value() or "").strip()
    back_here = reverse("accounts:register") + (f"?{urlencode({'code': typed_code})}" if typed_code else "")
    login_url = f"{reverse('accounts:login')}?{urlencode({'next': back_here})}"
    return render(
        request,
        "accounts/register.html",
        {"form": form, "rate_limited": limited, "login_url": login_url},
        status=status,
    )


# --- Activation link (the school has the guardian's e-mail address) ----------------------------


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
def activate(request, token: str):
    try:
        user = user_for_activation_token(token)
    except ActivationError as error:
        return render(
            request,
            "accounts/activation_failed.html",
            {"expired": error.problem == TokenProblem.EXPIRED, "days": settings.ACTIVATION_LINK_DAYS},
            status=400,
        )
    form = ActivationForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        sign_in(request, user, form.cleaned_data.get("remember", False))
        messages.success(request, _("Welcome! Your account is ready."))
        return remember_language(redirect(settings.LOGIN_REDIRECT_URL), user.language)
    return render(request, "accounts/activate.html", {"form": form, "activated_user": user})


# --- Forgotten password: Django's views, our templates and e-mail ------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset_body.txt"
    html_email_template_name = "accounts/email/password_reset_body.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        email = request.POST.get("email", "").strip().lower()
        by_ip, by_email = password_reset_limited(request, email)
        if by_ip:
            return ratelimited(request)
        if by_email:
            # The same answer as a sent mail: the page never tells whether an account exists,
            # and the owner's mailbox gets no more than the limit.
            return redirect(self.get_success_url())
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The lockout page promises that resetting the password helps: lift the account's lock.
        axes_reset(username=form.user.email.lower())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
