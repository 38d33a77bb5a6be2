"""The school administration's view of guardian slots: who has registered, who can be invited,
who needs a letter with a code. A fixed number of queries, whatever the number of pupils."""

from __future__ import annotations

from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.models import Enrollment, Group, Guardianship, School

from .models import RegistrationCode

REGISTERED = "registered"
INVITED = "invited"
EMAIL_KNOWN = "email_known"
NO_EMAIL = "no_email"

STATUS_LABELS = {
    REGISTERED: _("Registered"),
    INVITED: _("Invited, account not activated yet"),
    EMAIL_KNOWN: _("Not registered; e-mail known"),
    NO_EMAIL: _("Not registered; no e-mail"),
}


def current_groups(school: School) -> QuerySet:
    return Group.objects.current().filter(school=school).order_by("grades", "name")


def guardian_slots(school: School, group: Group | None = None) -> QuerySet:
    """Guardian slots of the school's current pupils, ordered by current group and pupil, each
    with ``current_group_id`` and ``open_codes`` (unused, unexpired registration codes)."""
    today = timezone.localdate()
    enrollment = Enrollment.objects.filter(
        student_id=OuterRef("student_id"),
        group__school=school,
        group__school_year__starts_on__lte=today,
        group__school_year__ends_on__gte=today,
    ).order_by("group__grades", "group__name")
    slots = Guardianship.objects.filter(student__school=school, student__archived_at__isnull=True)
    if group is not None:
        slots = slots.filter(student__enrollments__group=group)
    open_codes = RegistrationCode.objects.filter(
        used_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-expires_at")
    return (
        slots.annotate(
            current_group_id=Subquery(enrollment.values("group_id")[:1]),
            current_group_grades=Subquery(enrollment.values("group__grades")[:1]),
            current_group_name=Subquery(enrollment.values("group__name")[:1]),
        )
        .select_related("student", "user")
        .prefetch_related(Prefetch("registration_codes", queryset=open_codes, to_attr="open_codes"))
        .order_by(
            F("current_group_grades").asc(nulls_last=True),
            F("current_group_name").asc(nulls_last=True),
            "student__first_name",
            "student__last_name",
            "student_id",
            "pk",
        )
    )


def slot_status(slot: Guardianship) -> str:
    if slot.user_id is not None:
        return REGISTERED if slot.user.has_usable_password() else INVITED
    return EMAIL_KNOWN if slot.email else NO_EMAIL
