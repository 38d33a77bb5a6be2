"""Mijn account: name, phone and language; password; e-mail address; sessions."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from schoolpoort.lib.providers import module_hooks

from . import phone_link, second_factor
from .email_change import EmailChangeError, confirm_email_change, request_email_change
from .forms import EmailChangeForm, ProfileForm
from .models import User
from .session import remember_language


@login_required
@sensitive_post_parameters(
    "password-old_password", "password-new_password1", "password-new_password2", "email-current_password"
)
@never_cache
def account(request):
    user = request.user
    action = request.POST.get("action") if request.method == "POST" else None
    data = request.POST if action else None
    # A fresh copy, so a form that fails does not change the signed-in user halfway.
    profile_form = ProfileForm(
        data if action == "profile" else None, instance=User.objects.get(pk=user.pk), prefix="profile"
    )
    password_form = PasswordChangeForm(user, data if action == "password" else None, prefix="password")
    email_form = EmailChangeForm(user, data if action == "email" else None, prefix="email")

    if action == "profile" and profile_form.is_valid():
        profile_form.save()
        # The message is shown on the next page, which is already in the newly chosen language.
        with translation.override(profile_form.instance.language):
            messages.success(request, _("Your details have been saved."))
        # The middleware reads the account's language on the next request: it applies at once.
        return remember_language(redirect("accounts:account"), profile_form.instance.language)
    if action == "password" and password_form.is_valid():
        password_form.save()
        update_session_auth_hash(request, password_form.user)  # stay signed in here
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:account")
    if action == "email" and email_form.is_valid():
        new_email = email_form.cleaned_data["new_email"]
        request_email_change(user, new_email)
        messages.success(
            request,
            _("We have sent a link to %(email)s. Your address changes when you open that link.")
            % {"email": new_email},
        )
        return redirect("accounts:account")
    if action == "sessions":
        # Ends the session on every other phone and computer; this one stays signed in.
        user.end_all_sessions()
        update_session_auth_hash(request, user)
        messages.success(request, _("You have been logged out on all other devices."))
        return redirect("accounts:account")

    factor = {
        "apps": second_factor.apps_of(user),
        "codes_left": second_factor.recovery_codes_left(user),
        "required": second_factor.required_for(user),
        "passkeys": second_factor.passkeys_of(user),
        # A passkey is added with a verified session, on the address passkeys belong to.
        "can_add_passkey": second_factor.is_verified(request) and second_factor.passkeys_work_here(request),
    }
    return render(
        request,
        "accounts/account.html",
        {"profile_form": profile_form, "password_form": password_form, "email_form": email_form,
         "second_factor": factor, "linked_phones": phone_link.linked_phones(user),
         # Apps signed in with a device token (api/account_devices.py), found by name.
         "device_tokens": [row for rows in module_hooks("account_devices", "device_rows") for row in rows(user)]},
        status=400 if action else 200,
    )


@never_cache
def confirm_email(request, token: str):
    """GET shows a button; only the POST changes the address (mail scanners follow links)."""
    if request.method != "POST":
        return render(request, "accounts/confirm_email.html", {"token": token})
    try:
        user = confirm_email_change(token)
    except EmailChangeError as error:
        return render(request, "accounts/confirm_email_failed.html", {"reason": error.reason}, status=400)
    messages.success(request, _("Your e-mail address is now %(email)s.") % {"email": user.email})
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("accounts:account")
    return redirect("accounts:login")
