"""Calendar events of a board, a school or groups of one school, and the secret links of the
personal agenda feeds. Who sees which event lives in ``visibility.py`` and is reached through
``Event.objects.visible_to(user)``; repeating events are expanded in ``recurrence.py``."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.models import Board, Group, School
from schoolpoort.core.scopes import school_scoped

from . import visibility
from .recurrence import last_day_of


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(visibility.visible_event_q(user))

    def manageable_by(self, user):
        """Events the user may edit and cancel: the audiences they may post to (as for news)."""
        return self.filter(visibility.manageable_q(user))

    def between(self, first_day, last_day):
        """Events with an occurrence that may fall within the two days (inclusive)."""
        return self.filter(
            Q(starts_on__lte=last_day) & (Q(last_day__gte=first_day) | Q(last_day__isnull=True))
        )

    def for_child(self, student, group_ids):
        """Events that concern one pupil: their board, their school and their current groups."""
        of_groups = Event.groups.through.objects.filter(group_id__in=group_ids).values("event_id")
        return self.filter(
            Q(audience=Event.Audience.BOARD, board_id=student.school.board_id)
            | Q(audience=Event.Audience.SCHOOL, school_id=student.school_id)
            | Q(audience=Event.Audience.GROUPS, pk__in=of_groups)
        )


class Event(models.Model):
    """Something on the calendar. Times are wall-clock times in Europe/Amsterdam; a repeating
    event keeps its RFC 5545 rule and its exceptions and is expanded when shown, never stored
    occurrence by occurrence."""

    class Audience(models.TextChoices):
        BOARD = "board", _("the whole board")
        SCHOOL = "school", _("the whole school")
        GROUPS = "groups", _("groups")

    class Category(models.TextChoices):
        VACATION = "vacation", _("vacation")
        STUDY_DAY = "study_day", _("study day (pupils free)")
        FREE_DAY = "free_day", _("holiday / day off")
        EXCURSION = "excursion", _("excursion")
        PARENTS_EVENING = "parents_evening", _("parents' evening")
        SPORTS = "sports", _("sports")
        CELEBRATION = "celebration", _("celebration")
        OTHER = "other", _("other")

    # Stable for ever: the UID in every agenda that subscribed.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    audience = models.CharField(_("for"), max_length=10, choices=Audience)
    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_events", verbose_name=_("board")
    )
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_events",
        verbose_name=_("school"),
    )
    groups = models.ManyToManyField(Group, blank=True, related_name="calendar_events", verbose_name=_("groups"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category, default=Category.OTHER)
    all_day = models.BooleanField(_("all day"), default=False)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    rrule = models.CharField(
        _("repeat rule"),
        max_length=300,
        blank=True,
        help_text=_("An RFC 5545 RRULE; UNTIL is stored as the last local day."),
    )
    exdates = models.JSONField(_("not on these days"), default=list, blank=True)
    # A repeating event skips the school's days off (lib/days_off.py) unless this is set.
    during_holidays = models.BooleanField(_("also during holidays"), default=False)
    # The last day any occurrence covers; empty while the rule repeats without end.
    last_day = models.DateField(null=True, blank=True, editable=False)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # Where an event came from when a command made it, e.g. "schoolvakanties:2026-2027:herfstvakantie".
    source_key = models.CharField(max_length=100, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = school_scoped(EventQuerySet, school="school", board="board")

    class Meta:
        verbose_name = _("calendar event")
        verbose_name_plural = _("calendar events")
        ordering = ["starts_on", "start_time", "title"]
        indexes = [
            models.Index(fields=["school", "starts_on"]),
            models.Index(fields=["board", "starts_on"]),
            models.Index(fields=["last_day"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(audience="board", board__isnull=False, school__isnull=True)
                    | Q(audience__in=["school", "groups"], board__isnull=True, school__isnull=False)
                ),
                name="calendar_event_audience",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="calendar_event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=(
                    Q(all_day=True, start_time__isnull=True, end_time__isnull=True)
                    | Q(all_day=False, start_time__isnull=False, end_time__isnull=False)
                ),
                name="calendar_event_times",
            ),
            models.UniqueConstraint(
                fields=["school", "source_key"], condition=~Q(source_key=""), name="calendar_event_unique_source"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.last_day = last_day_of(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "last_day" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "last_day"]
        super().save(*args, **kwargs)

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule)

    @property
    def is_multi_day(self) -> bool:
        return self.ends_on > self.starts_on

    @property
    def audience_label(self) -> str:
        """Board, school or group names; expects ``groups`` to be prefetched for a list."""
        if self.audience == self.Audience.BOARD:
            return self.board.name
        if self.audience == self.Audience.SCHOOL:
            return self.school.name
        return ", ".join(group.name for group in sorted(self.groups.all(), key=lambda g: (g.grades, g.name)))


class FeedToken(models.Model):
    """The secret link of a user's agenda feed. Only a SHA-256 hash of the token is kept, so
    the database does not reveal any link; making a new link replaces the old one."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    # What the feed last looked like, for ETag and Last-Modified (conditional requests).
    content_hash = models.CharField(max_length=64, blank=True)
    content_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("agenda link")
        verbose_name_plural = _("agenda links")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"
