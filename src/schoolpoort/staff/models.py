"""The staff directory: what each staff member agrees to show the parents and colleagues of their
school. Name and role are always shown; photo, days at school and groups only when switched on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.access import NOTHING, school_q
from schoolpoort.core.scopes import school_scoped


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")


class StaffProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Profiles of people who work at a school the user can see (School.objects.visible_to)."""
        from schoolpoort.core.models import School, StaffMembership

        q = school_q(user)
        if q == NOTHING:
            return self.none()
        works_there = StaffMembership.objects.filter(user_id=OuterRef("user_id"), school_id=OuterRef("school_id"))
        return self.filter(school__in=School.objects.filter(q)).filter(Exists(works_there))


def photo_path(profile: StaffProfile, filename: str) -> str:
    return f"staff/photos/{profile.school_id}/{filename}"


class StaffProfile(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profiles", verbose_name=_("account")
    )
    school = models.ForeignKey(
        "core.School", on_delete=models.CASCADE, related_name="staff_profiles", verbose_name=_("school")
    )
    display_name = models.CharField(
        _("name as shown"), max_length=150, blank=True,
        help_text=_("For example “juf Judith” or “meester Mark”. Empty: the name of your account."),
    )
    role_text = models.CharField(
        _("role"), max_length=150, blank=True,
        help_text=_("For example “teacher of groep 3” or “intern coach”. Empty: your role at the school."),
    )
    photo = models.ImageField(_("photo"), upload_to=photo_path, blank=True)
    days = models.JSONField(_("days at school"), default=list, blank=True)  # weekday numbers, 0 = Monday
    show_photo = models.BooleanField(_("show my photo"), default=False)
    show_days = models.BooleanField(_("show my days at school"), default=False)
    show_groups = models.BooleanField(_("show my groups"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = school_scoped(StaffProfileQuerySet, school="school")

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        constraints = [models.UniqueConstraint(fields=["user", "school"], name="staff_profile_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.school}"

    @property
    def day_labels(self) -> list[str]:
        labels = dict(Weekday.choices)
        return [str(labels[day]) for day in sorted(self.days) if day in labels]
