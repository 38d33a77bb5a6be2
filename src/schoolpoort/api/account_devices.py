"""The API's part of Mijn account's devices (found by ``module_hooks("account_devices", …)``):
issue a device token at the end of the QR sign-in, list the device tokens, revoke one."""

from .device_tokens import DeviceTokenRefused, devices_of, issue, revoke


def issue_token(user, user_agent: str, verified: bool) -> dict | None:
    """``{"token", "expires_at", "device"}`` (the token shown once), or None when refused."""
    try:
        new = issue(user, user_agent, verified=verified)
    except DeviceTokenRefused:
        return None
    return {"token": new.secret, "expires_at": new.token.expires_at.isoformat(), "device": new.token.name}


def device_rows(user) -> list:
    return devices_of(user)


def revoke_device(user, pk: int):
    return revoke(user, pk)
