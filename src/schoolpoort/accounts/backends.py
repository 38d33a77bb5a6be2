from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Sign in with the e-mail address, whatever its capitals."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = username or kwargs.get("email")
        if not email or password is None:
            return None
        User = get_user_model()
        try:
            user = User.objects.get(email__iexact=email.strip())
        except User.DoesNotExist:
            User().set_password(password)  # same time spent as for a real account
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request, credentials) -> str:
    """Throttle per account: the same address in any capitals counts as one."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()


def client_ip(request) -> str:
    """The visitor's address for throttles and rate limits. Behind TRUSTED_PROXY_COUNT proxies
    it is the address the outermost trusted proxy saw (the rest of X-Forwarded-For can be forged)."""
    from django.conf import settings

    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
