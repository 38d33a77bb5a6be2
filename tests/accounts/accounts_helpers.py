import re

from django.urls import reverse

from tests.factories import PASSWORD

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"')


def normalized(response, *variable: str) -> bytes:
    """The page without what legitimately differs between two requests: CSRF tokens and the
    values the visitor typed."""
    content = CSRF.sub(b"", response.content)
    for text in variable:
        content = content.replace(text.encode(), b"TYPED")
    return content


def log_in(client, email: str, password: str = PASSWORD, remember: bool = False, second_factor: bool = True,
           **extra):
    """Sign in with the password; when the site then asks for the second factor (staff), type
    the code of the user's app too (see ``totp_code``), so the response is where the sign-in
    leads. ``second_factor=False`` stops after the password."""
    data = {"username": email, "password": password}
    if remember:
        data["remember"] = "on"
    response = client.post(reverse("accounts:login"), data, **extra)
    if second_factor and response.status_code == 302 and response.url.startswith(reverse("accounts:second_factor")):
        from urllib.parse import parse_qs, urlsplit

        from schoolpoort.accounts.models import User

        user = User.objects.get(email__iexact=email.strip())
        next_url = parse_qs(urlsplit(response.url).query).get("next", [""])[0]
        response = client.post(
            reverse("accounts:second_factor"), {"code": totp_code(user), "next": next_url}, **extra
        )
    return response


TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def app_for(user):
    """The user's confirmed app; one with the demo's known secret is set up if there is none."""
    import base64

    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        key = base64.b32decode(TEST_TOTP_SECRET).hex()
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", key=key, confirmed=True)
    return device


def totp_code(user, device=None) -> str:
    """The code the user's app shows now, as a phone would; a code is accepted once, so when this
    30-second step's code was used already, the next step's (within the tolerance of one step)."""
    import time

    from django_otp.oath import TOTP

    device = device or app_for(user)
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    step = max(totp.t(), device.last_t + 1)
    if step > totp.t() + device.tolerance:  # used up to the edge of the tolerance: wait, as a person would
        time.sleep(device.t0 + (step - device.tolerance) * device.step - time.time() + 0.1)
    totp.time = device.t0 + step * device.step
    return f"{totp.token():0{device.digits}d}"


def link_in(message, path_start: str) -> str:
    """The path of the first link in ``message``'s text body that starts with ``path_start``."""
    from django.conf import settings

    match = re.search(re.escape(settings.SITE_URL + path_start) + r"\S+", message.body)
    assert match, message.body
    return match.group(0)[len(settings.SITE_URL) :]
