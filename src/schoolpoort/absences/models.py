"""Absences (absenties) and leave (verlof): a guardian reports a child absent, or staff register it;
a teacher marks a child absent that nobody reported, and the school checks those marks at a time of
its own; parents ask for special leave and the director decides. Who may see what lives in
``access.py`` and is reached through the ``visible_to(user)`` querysets below."""

from __future__ import annotations

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.scopes import school_scoped
from schoolpoort.lib import dates
from schoolpoort.lib.encryption import EncryptedTextField, encrypted_storage

from . import access

DEFAULT_CUTOFF = datetime.time(8, 15)
DEFAULT_CHECK = datetime.time(9, 0)


class AbsenceSettings(models.Model):
    """A school's times: until when parents report for today, and when marked-absent pupils without
    a report are checked (with the switch for the immediate message to their parents)."""

    school = models.OneToOneField("core.School", on_delete=models.CASCADE, related_name="absence_settings")
    cutoff_time = models.TimeField(
        _("report before"),
        default=DEFAULT_CUTOFF,
        help_text=_("Parents who report later for today are asked to call the school as well."),
    )
    check_time = models.TimeField(
        _("check for unexplained absence at"),
        default=DEFAULT_CHECK,
        help_text=_("A pupil the teacher marked absent without a report by then is unexplained."),
    )
    unexplained_alert = models.BooleanField(
        _("message parents at once about unexplained absence"),
        default=True,
        help_text=_("An urgent message to the parents, also at quiet hours: their child is not at school "
                    "and the school has no report."),
    )

    class Meta:
        verbose_name = _("absence settings")
        verbose_name_plural = _("absence settings")

    def __str__(self) -> str:
        return str(self.school)

    @classmethod
    def for_school(cls, school) -> AbsenceSettings:
        """The school's settings, or (unsaved) the defaults when it has none yet."""
        school_id = getattr(school, "pk", school)
        return cls.objects.filter(school_id=school_id).first() or cls(school_id=school_id)

    def moment(self, day: datetime.date, time: datetime.time) -> datetime.datetime:
        return datetime.datetime.combine(day, time, tzinfo=timezone.get_default_timezone())

    def cutoff_at(self, day: datetime.date) -> datetime.datetime:
        return self.moment(day, self.cutoff_time)

    def check_at(self, day: datetime.date) -> datetime.datetime:
        return self.moment(day, self.check_time)

    def is_past_cutoff(self, now: datetime.datetime | None = None) -> bool:
        """Whether a report made at ``now`` is too late for the school to see it in time today."""
        now = timezone.localtime(now or timezone.now())
        return now >= self.cutoff_at(now.date())


class AbsenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.absence_q(user))

    def for_staff(self, user):
        """What the user sees as a teacher, administration, director or board admin."""
        return self.filter(access.staff_absence_q(user))

    def on(self, day: datetime.date):
        """Absences that include ``day`` (an open sickness includes every day from its start)."""
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)

    def overlapping(self, first: datetime.date, last: datetime.date | None):
        later = Q(ends_on__isnull=True) | Q(ends_on__gte=first)
        return self.filter(later) if last is None else self.filter(later, starts_on__lte=last)

    def current(self, today: datetime.date | None = None):
        """Not over yet: an open sickness, or one that ends today or later."""
        today = today or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))


class Absence(models.Model):
    class Reason(models.TextChoices):
        SICK = "sick", _("sick")
        DOCTOR = "doctor", _("doctor or dentist")
        OTHER = "other", _("other")

    class Source(models.TextChoices):
        GUARDIAN = "guardian", _("parent")
        STAFF = "staff", _("school")

    student = models.ForeignKey("core.Student", on_delete=models.CASCADE, related_name="absences")
    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="absences")  # the pupil's
    reason = models.CharField(_("reason"), max_length=10, choices=Reason)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until and including"), null=True, blank=True)  # empty: sick until better
    from_time = models.TimeField(_("from (time)"), null=True, blank=True)
    until_time = models.TimeField(_("until (time)"), null=True, blank=True)
    note = EncryptedTextField(_("note"), max_length=500, blank=True)  # encrypted at rest
    source = models.CharField(max_length=10, choices=Source)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="absences_reported"
    )
    after_cutoff = models.BooleanField(default=False)  # reported for today after the school's time
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    better_reported_at = models.DateTimeField(null=True, blank=True)
    better_reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = school_scoped(AbsenceQuerySet, school="school")

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["school", "starts_on"], name="absence_school_start"),
            models.Index(fields=["student", "starts_on"], name="absence_student_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="absence_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=False) | Q(reason="sick"), name="absence_only_sickness_open"
            ),
            models.CheckConstraint(
                condition=Q(from_time__isnull=True, until_time__isnull=True)
                | Q(from_time__isnull=False, until_time__isnull=False, until_time__gt=models.F("from_time")),
                name="absence_part_of_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} {self.starts_on}"

    def get_absolute_url(self) -> str:
        return reverse("absences:detail", args=[self.pk])

    @property
    def notification_key(self) -> str:
        return f"absences.absence:{self.pk}"

    @property
    def is_open(self) -> bool:
        """A sickness nobody has reported better yet."""
        return self.ends_on is None

    @property
    def is_part_of_day(self) -> bool:
        return self.from_time is not None

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def includes(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)

    @property
    def period_label(self) -> str:
        """E.g. "Monday 23 November 2026, 10:00–11:30", or "from Monday 23 November 2026, until better"."""
        first = dates.style(self.starts_on, "weekday_year")
        if self.ends_on is None:
            return gettext("from %(date)s, until better") % {"date": first}
        if self.ends_on == self.starts_on:
            if self.from_time is not None:
                return f"{first}, {self.from_time:%H:%M}–{self.until_time:%H:%M}"
            return first
        return gettext("%(first)s to %(last)s") % {"first": first, "last": dates.style(self.ends_on, "weekday_year")}

    @property
    def short_label(self) -> str:
        """For the lists of a day: "since Mon 23 Nov, until better", "10:00–11:30", "all day"."""
        if self.ends_on is None:
            return gettext("since %(date)s, until better") % {"date": dates.style(self.starts_on, "short")}
        if self.from_time is not None:
            return f"{self.from_time:%H:%M}–{self.until_time:%H:%M}"
        if self.ends_on == self.starts_on:
            return gettext("all day")
        return gettext("%(first)s to %(last)s") % {
            "first": dates.style(self.starts_on, 'short'), "last": dates.style(self.ends_on, "short")}


class AttendanceMarkQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.mark_q(user))


class AttendanceMark(models.Model):
    """A teacher marked a pupil absent on a day: with no report by the school's check time, the
    absence is unexplained."""

    student = models.ForeignKey("core.Student", on_delete=models.CASCADE, related_name="attendance_marks")
    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = school_scoped(AttendanceMarkQuerySet, school="school")

    class Meta:
        verbose_name = _("marked absent")
        verbose_name_plural = _("marked absent")
        constraints = [models.UniqueConstraint(fields=["student", "date"], name="attendance_mark_once_a_day")]
        indexes = [models.Index(fields=["school", "date"], name="attendance_mark_school_day")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.date}"


class UnexplainedAbsenceAlert(models.Model):
    """The parents were told that their child is not at school without a report: at most once per
    pupil per day, whatever the number of checks that ran."""

    student = models.ForeignKey("core.Student", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = school_scoped(school="school")

    class Meta:
        verbose_name = _("unexplained absence message")
        verbose_name_plural = _("unexplained absence messages")
        constraints = [models.UniqueConstraint(fields=["student", "date"], name="unexplained_alert_once_a_day")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.date}"


def statement_path(instance: LeaveRequest, filename: str) -> str:
    """A random name under absences/: the original name is kept in the row, never in the path."""
    return f"absences/leave/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class LeaveRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.leave_q(user))

    def overlapping(self, first: datetime.date, last: datetime.date):
        return self.filter(starts_on__lte=last, ends_on__gte=first)


class LeaveRequest(models.Model):
    """Special leave (verlof) under the compulsory-education act (Leerplichtwet)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday leave (art. 13a)")
        CIRCUMSTANCES = "circumstances", _("important circumstances (art. 11g)")

    class Circumstance(models.TextChoices):
        WEDDING = "wedding", _("a wedding in the family")
        FUNERAL = "funeral", _("a funeral or death in the family")
        ILLNESS = "illness", _("serious illness in the family")
        RELIGIOUS = "religious", _("a religious obligation")
        MOVING = "moving", _("moving house")
        OTHER = "other", _("another important circumstance")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("waiting for a decision")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    student = models.ForeignKey("core.Student", on_delete=models.CASCADE, related_name="leave_requests")
    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="leave_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="leave_requests"
    )
    kind = models.CharField(_("kind of leave"), max_length=15, choices=Kind)
    circumstance = models.CharField(_("circumstance"), max_length=15, choices=Circumstance, blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    school_days = models.PositiveSmallIntegerField(_("school days"), default=0)
    reason = EncryptedTextField(_("reason"), max_length=2000)  # encrypted at rest, as the statement
    statement = models.FileField(
        _("employer's statement"), upload_to=statement_path, storage=encrypted_storage, max_length=200, blank=True
    )
    statement_name = EncryptedTextField(max_length=255, blank=True)  # the file's own name may say much
    statement_type = models.CharField(max_length=100, blank=True)
    statement_size = models.PositiveIntegerField(default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = EncryptedTextField(_("reason for the decision"), max_length=2000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = school_scoped(LeaveRequestQuerySet, school="school")

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["school", "status", "starts_on"], name="leave_school_status"),
            models.Index(fields=["student", "starts_on"], name="leave_student_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="leave_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.student} {self.starts_on}–{self.ends_on}"

    def get_absolute_url(self) -> str:
        return reverse("absences:leave_detail", args=[self.pk])

    @property
    def notification_key(self) -> str:
        return f"absences.leave:{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.REQUESTED

    @property
    def period_label(self) -> str:
        first, last = dates.style(self.starts_on, 'weekday_year'), dates.style(self.ends_on, "weekday_year")
        return first if self.starts_on == self.ends_on else gettext("%(first)s to %(last)s") % {
            "first": first, "last": last}

    def can_be_withdrawn(self, today: datetime.date | None = None) -> bool:
        """Waiting for a decision, or approved for a period that has not begun."""
        today = today or timezone.localdate()
        return self.status == self.Status.REQUESTED or (
            self.status == self.Status.APPROVED and self.starts_on > today
        )
