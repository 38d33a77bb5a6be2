"""Reading and changing how a user hears about each module."""

from __future__ import annotations

from django.db import transaction

from .models import Preference


def preferences_of(user) -> dict[str, tuple[str, bool]]:
    """{module: (e-mail choice, push on)} for the modules the user changed; defaults otherwise."""
    return {m: (e, p) for m, e, p in Preference.objects.filter(user=user).values_list("module", "email", "push")}


def save_preferences(user, choices: dict[str, tuple[str, bool]]) -> None:
    Preference.objects.bulk_create(
        [Preference(user=user, module=module, email=email, push=push) for module, (email, push) in choices.items()],
        update_conflicts=True,
        unique_fields=["user", "module"],
        update_fields=["email", "push"],
    )


def switch_email_off(user_id: int, modules: list[str]) -> None:
    """The one-click unsubscribe: e-mail about ``modules`` off, push left as it was."""
    with transaction.atomic():
        existing = set(Preference.objects.filter(user_id=user_id, module__in=modules).values_list("module", flat=True))
        Preference.objects.filter(user_id=user_id, module__in=modules).update(email=Preference.Email.OFF)
        Preference.objects.bulk_create(
            [Preference(user_id=user_id, module=m, email=Preference.Email.OFF) for m in modules if m not in existing],
            ignore_conflicts=True,
        )

