"""Parent-teacher conferences (gesprekkenplanner): a round for some groups of one school, the time
windows (sessions) teachers are available in, the slots generated from them, and the families'
appointments, each holding one booked slot per child.

No double booking, ever: a slot holds at most one active booking and a child at most one active
conversation per booking party (two database constraints), and ``booking.py`` takes the slot rows'
locks before it checks and writes. Who may see what lives in ``access.py`` and is reached through
the ``visible_to(user)`` querysets below."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from schoolpoort.core.scopes import school_scoped

from . import access

# A booking's party: 0 is the child's family as a whole (all its guardians see the booking);
# otherwise the user id of the one guardian who books their own conversation (separated
# guardians in a round that lets them book each their own) and who alone sees it.
FAMILY = 0


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.visible_round_q(user))


class Round(models.Model):
    class GuardianMode(models.TextChoices):
        TOGETHER = "together", _("together: one conversation per child")
        SEPARATELY = "separately", _("each their own: separated guardians each book a conversation")

    school = models.ForeignKey(
        "core.School", on_delete=models.CASCADE, related_name="conference_rounds", verbose_name=_("school")
    )
    title = models.CharField(_("title"), max_length=200)
    groups = models.ManyToManyField("core.Group", related_name="conference_rounds", verbose_name=_("groups"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    location = models.CharField(
        _("location"), max_length=200, blank=True, help_text=_("For example: the classroom of the group.")
    )
    video_link = models.URLField(_("video link"), blank=True, help_text=_("For conversations by video call."))
    booking_opens_at = models.DateTimeField(_("booking opens at"))
    booking_closes_at = models.DateTimeField(
        _("booking closes at"), help_text=_("Until then parents may book, change and cancel.")
    )
    planning_at = models.DateTimeField(
        _("plan from preferences at"),
        null=True,
        blank=True,
        help_text=_(
            "Optional. Until then families may give the times that suit them instead of booking; at this "
            "moment the planner places every family that did, brothers and sisters side by side."
        ),
    )
    separated_guardians = models.CharField(
        _("separated guardians"), max_length=10, choices=GuardianMode, default=GuardianMode.TOGETHER
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("minutes per conversation"), default=10, validators=[MinValueValidator(5), MaxValueValidator(120)]
    )
    break_every = models.PositiveSmallIntegerField(
        _("a break after every … conversations"),
        default=0,
        validators=[MaxValueValidator(50)],
        help_text=_("0: no regular breaks."),
    )
    break_minutes = models.PositiveSmallIntegerField(
        _("minutes per break"), default=0, validators=[MaxValueValidator(120)]
    )
    remind_day_before = models.BooleanField(_("send a reminder the day before"), default=True)
    # Guardians whose pupil's parents live apart, marked by the school for this round; beside
    # them, a guardian who keeps their contact details from the other counts as separated.
    separate_students = models.ManyToManyField(
        "core.Student", blank=True, related_name="+", verbose_name=_("guardians book separately")
    )
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    planned_at = models.DateTimeField(null=True, blank=True, editable=False)
    planner_report = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = school_scoped(RoundQuerySet, school="school")

    class Meta:
        verbose_name = _("conference round")
        verbose_name_plural = _("conference rounds")
        ordering = ["-booking_opens_at", "-pk"]
        # The next round to open: until then a cached home block stays true (conferences/home.py).
        indexes = [models.Index(fields=["booking_opens_at"], name="conference_round_opens")]
        constraints = [
            models.CheckConstraint(
                condition=Q(booking_closes_at__gt=models.F("booking_opens_at")),
                name="conference_round_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("conferences:detail", args=[self.pk])

    @property
    def notification_key(self) -> str:
        return f"conferences.round:{self.pk}"

    @property
    def books_separately(self) -> bool:
        return self.separated_guardians == self.GuardianMode.SEPARATELY

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.booking_opens_at <= now < self.booking_closes_at

    def opens_later(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) < self.booking_opens_at

    def has_closed(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.booking_closes_at

    def takes_preferences(self, now: datetime.datetime | None = None) -> bool:
        """Families may give their preferred times: booking is open and the planner has not run."""
        now = now or timezone.now()
        return (
            self.planning_at is not None and self.planned_at is None and self.is_open(now) and now < self.planning_at
        )


class Session(models.Model):
    """A time window in which one teacher holds conversations with the families of one group."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="sessions")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conference_sessions",
        verbose_name=_("teacher"),
    )
    group = models.ForeignKey("core.Group", on_delete=models.CASCADE, related_name="+", verbose_name=_("group"))
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(pgettext_lazy("time of day", "until"))
    breaks = models.CharField(
        _("breaks"), max_length=200, blank=True, help_text=_("Optional, for example: 19:30-19:45, 20:30-20:40")
    )
    location = models.CharField(
        _("room"), max_length=200, blank=True, help_text=_("Optional; otherwise the location of the round.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = school_scoped(school="round__school")

    class Meta:
        verbose_name = _("conference session")
        verbose_name_plural = _("conference sessions")
        ordering = ["date", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="conference_session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class Slot(models.Model):
    """One conversation's time with one teacher, generated from a session."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="slots")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="slots")
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey("core.Group", on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    blocked = models.BooleanField(_("blocked"), default=False)

    objects = school_scoped(school="round__school")

    class Meta:
        verbose_name = _("conference slot")
        verbose_name_plural = _("conference slots")
        ordering = ["starts_at", "teacher_id", "pk"]
        indexes = [
            models.Index(fields=["round", "group", "starts_at"], name="conference_slot_round_group"),
            models.Index(fields=["teacher", "starts_at"], name="conference_slot_teacher"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["session", "starts_at"], name="conference_slot_once_per_session_time"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="conference_slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.starts_at):%Y-%m-%d %H:%M} {self.teacher_id}"

    @property
    def location(self) -> str:
        """The session's room, else the round's location (needs ``session`` and ``round`` loaded)."""
        return self.session.location or self.round.location


class BookingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.visible_booking_q(user))

    def active(self):
        return self.filter(cancelled_at__isnull=True)


class Appointment(models.Model):
    """A family's booking made in one go: one slot per child, with one or several teachers, side by
    side when the family took a suggestion or the planner placed them."""

    class Source(models.TextChoices):
        GUARDIAN = "guardian", _("booked by a guardian")
        STAFF = "staff", _("placed by the school")
        PLANNER = "planner", _("placed by the planner")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="appointments")
    party = models.PositiveBigIntegerField(default=FAMILY)
    source = models.CharField(max_length=10, choices=Source, default=Source.GUARDIAN)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = school_scoped(school="round__school")

    class Meta:
        verbose_name = _("conference appointment")
        verbose_name_plural = _("conference appointments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"appointment {self.pk}"


class Booking(models.Model):
    """One child's conversation in one slot. Cancelled bookings stay (with ``cancelled_at``), so
    that agendas that subscribed see them cancelled; the constraints count only active ones."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="bookings")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="bookings")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="bookings")
    student = models.ForeignKey("core.Student", on_delete=models.CASCADE, related_name="conference_bookings")
    party = models.PositiveBigIntegerField(default=FAMILY)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)  # raised on every change, for agendas
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = school_scoped(BookingQuerySet, school="round__school")

    class Meta:
        verbose_name = _("conference booking")
        verbose_name_plural = _("conference bookings")
        ordering = ["slot__starts_at", "pk"]
        indexes = [
            models.Index(fields=["round", "student"], name="conference_booking_child"),
            models.Index(fields=["party"], condition=~Q(party=0), name="conference_booking_own_party"),
        ]
        constraints = [
            # No double booking, ever: one active booking per slot ...
            models.UniqueConstraint(
                fields=["slot"], condition=Q(cancelled_at__isnull=True), name="conference_booking_one_per_slot"
            ),
            # ... and one conversation per child (per guardian, when separated guardians book each their own).
            models.UniqueConstraint(
                fields=["round", "student", "party"],
                condition=Q(cancelled_at__isnull=True),
                name="conference_booking_one_per_child",
            ),
        ]

    def __str__(self) -> str:
        return f"booking {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None

    @property
    def feed_uid(self) -> str:
        return f"conference-booking-{self.pk}@schoolpoort"


class Exemption(models.Model):
    """No conference needed: for one pupil, or for a whole group, in this round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="exemptions")
    student = models.ForeignKey("core.Student", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    group = models.ForeignKey("core.Group", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = school_scoped(school="round__school")

    class Meta:
        verbose_name = _("no conference needed")
        verbose_name_plural = _("no conference needed")
        constraints = [
            models.CheckConstraint(
                condition=Q(student__isnull=False, group__isnull=True) | Q(student__isnull=True, group__isnull=False),
                name="conference_exemption_student_or_group",
            ),
            models.UniqueConstraint(
                fields=["round", "student"], condition=Q(student__isnull=False), name="conference_exemption_student"
            ),
            models.UniqueConstraint(
                fields=["round", "group"], condition=Q(group__isnull=False), name="conference_exemption_group"
            ),
        ]

    def __str__(self) -> str:
        return f"exemption {self.student_id or ''}{self.group_id or ''}"


class Preference(models.Model):
    """The times that suit a family, for the planner: windows of [start, end] in ISO format."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="preferences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    windows = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = school_scoped(school="round__school")

    class Meta:
        verbose_name = _("preferred times")
        verbose_name_plural = _("preferred times")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="conference_preference_once")]

    def __str__(self) -> str:
        return f"preference {self.user_id}"

    def time_windows(self) -> list[tuple[datetime.datetime, datetime.datetime]]:
        return [(datetime.datetime.fromisoformat(a), datetime.datetime.fromisoformat(b)) for a, b in self.windows]
