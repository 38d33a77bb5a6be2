"""The demo's second factor: every staff and board account of the demo schools is enrolled with
one known TOTP secret (DEMO.md), so that anyone can sign in as staff with any authenticator app
or ``pyotp.TOTP(DEMO_TOTP_SECRET).now()``. Parents have none."""

import base64

from django.db.models import Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # base32, 30 s, 6 digits


def demo_totp_key() -> str:
    """The secret as django-otp stores it (hex)."""
    return base64.b32decode(DEMO_TOTP_SECRET).hex()


def load_demo(world) -> None:
    schools = list(world.schools.values())
    staff = User.objects.filter(
        Q(staff_memberships__school__in=schools) | Q(board_memberships__board=world.board)
    ).distinct()
    key = demo_totp_key()
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=user, name="Authenticator app", key=key, confirmed=True) for user in staff
    )
