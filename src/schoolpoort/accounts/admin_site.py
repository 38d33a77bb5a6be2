"""The Django admin behind the second factor: django-otp's OTPAdminSite lets in only a verified
session (``request.user.is_verified()``, set by SecondFactorMiddleware), and its login page is
ours, so the admin is reached by the same two steps as every other page."""

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django_otp.admin import OTPAdminSite


class SecondFactorAdminSite(OTPAdminSite):
    def login(self, request, extra_context=None):
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("accounts:login"))
