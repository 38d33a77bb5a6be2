"""Passkeys as a second factor: the JSON endpoints that static/accounts/passkeys.js calls, built on
django-otp-webauthn's views, and removing one on Mijn account. The rules stay in second_factor.py:
registering needs a verified session; a passkey only completes a password sign-in, and then marks
the session verified exactly as a right code does (``second_factor.mark_verified``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp_webauthn import exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from . import second_factor


class _VerifiedOnly:
    """Adding a passkey needs a session verified with the factor the account already has (an app
    is always the first one)."""

    def check_can_register(self):
        if not second_factor.is_verified(self.request):
            raise exceptions.NotVerified()


class RegisterBegin(_VerifiedOnly, BeginCredentialRegistrationView):
    pass


class RegisterComplete(_VerifiedOnly, CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            messages.success(self.request, _("Your passkey has been added."))
        return response


class _SignedInOnly:
    """Only after the password: passkeys are a second factor here, never a way in on their own."""

    def check_can_authenticate(self):
        user = self.request.user
        if not user.is_authenticated or not user.is_active:
            raise exceptions.NotAuthenticated()


class SignInBegin(_SignedInOnly, BeginCredentialAuthenticationView):
    pass


class SignInComplete(_SignedInOnly, CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        # The library has checked that the passkey belongs to the signed-in user.
        second_factor.mark_verified(self.request, device)

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        # "Remember this device" ticked on the code step counts for a passkey as for a code.
        if response.status_code == 200 and self.request.GET.get("remember") and second_factor.is_verified(self.request):
            second_factor.remember_device(response, self.request.user)
        return response


@login_required
@require_POST
@never_cache
def remove_passkey(request, device_id: int):
    if not second_factor.remove_passkey(request.user, device_id):
        raise Http404
    if second_factor.required_for(request.user) and not second_factor.has_any_factor(request.user):
        messages.warning(request, _("Your passkey has been removed. Set up an app again before you next sign in."))
    else:
        messages.success(request, _("Your passkey has been removed."))
    return redirect("accounts:account")
