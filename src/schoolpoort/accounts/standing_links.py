"""Links that work without a session (the agenda feed a phone's calendar fetches) die with the
sessions: on "log out on all devices" and on every password change (from Mijn account, a reset
link, the admin or ``manage.py changepassword``), each module revokes its own.

A module takes part with ``<app>/standing_links.py`` defining ``revoke_standing_links(user)``,
found by name (``lib.providers.module_hooks``); accounts imports no module. Unsubscribe links in
e-mails are not standing access to anything and stay."""

from __future__ import annotations

from schoolpoort.lib.providers import module_hooks

HOOK = "standing_links"
FUNCTION = "revoke_standing_links"


def end_standing_links(user) -> None:
    # (this module is found by the same name; it has no FUNCTION, so it does not answer itself)
    for revoke in module_hooks(HOOK, FUNCTION):
        revoke(user)
