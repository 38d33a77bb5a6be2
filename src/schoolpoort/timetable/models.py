"""A group's weekly schedule: gym, swimming, library, music and the like, with what to bring."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from schoolpoort.core.scopes import school_scoped

from .access import editor_group_q, timetable_groups_visible_to


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")


class TimetableEntryQuerySet(models.QuerySet):
    def visible_to(self, user, today: datetime.date | None = None):
        """Entries of the current groups the user sees (see access.py). One query."""
        return self.filter(group__in=timetable_groups_visible_to(user, today).values("pk"))

    def editable_by(self, user, today: datetime.date | None = None):
        from schoolpoort.core.models import Group

        return self.filter(group__in=Group.objects.current(today).filter(editor_group_q(user, today)).values("pk"))


class TimetableEntry(models.Model):
    class Activity(models.TextChoices):
        GYM = "gym", _("gym")
        SWIMMING = "swimming", _("swimming")
        LIBRARY = "library", _("library")
        MUSIC = "music", _("music")
        OTHER = "other", _("other")

    group = models.ForeignKey(
        "core.Group", on_delete=models.CASCADE, related_name="timetable_entries", verbose_name=_("group")
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(pgettext_lazy("time of day", "until"), null=True, blank=True)
    activity = models.CharField(_("activity"), max_length=10, choices=Activity, default=Activity.GYM)
    label = models.CharField(
        _("name"), max_length=100, blank=True, help_text=_("Optional, for example “gym in the big hall”.")
    )
    reminder = models.CharField(
        _("reminder for parents"), max_length=150, blank=True,
        help_text=_("Shown on the parents' home page the day before, for example “gym clothes”."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = school_scoped(TimetableEntryQuerySet, school="group__school")

    class Meta:
        verbose_name = _("timetable entry")
        verbose_name_plural = _("timetable entries")
        ordering = ["weekday", "starts_at", "pk"]
        indexes = [models.Index(fields=["group", "weekday"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="timetable_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(weekday__lte=4), name="timetable_weekday_school_day"),
        ]

    def __str__(self) -> str:
        return f"{self.group} – {self.get_weekday_display()} {self.starts_at:%H:%M} {self.title}"

    @property
    def title(self) -> str:
        """What the activity is called: the label, or the kind of activity."""
        return self.label or str(self.get_activity_display())


