"""The event form of the staff pages, with the audiences a user may post to."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.access import managed_school_ids, roles_of
from schoolpoort.core.models import Board, Group, School

from .models import Event
from .recurrence import RecurrenceError, check_rule, normalise_rrule, rule_parts
from .visibility import switched_on_school_ids

CUSTOM = "custom"
PRESETS = {
    "daily": "FREQ=DAILY",
    "weekly": "FREQ=WEEKLY",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2",
    "monthly": "FREQ=MONTHLY",
}
REPEAT_CHOICES = [
    ("", _("Does not repeat")),
    ("daily", _("Every day")),
    ("weekly", _("Every week, on the same day")),
    ("biweekly", _("Every two weeks, on the same day")),
    ("monthly", _("Every month, on the same date")),
    (CUSTOM, _("Own rule (RRULE, below)")),
]
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")


@dataclass
class AudienceOptions:
    """What a user may post to: boards, whole schools, and groups (current, calendar switched on)."""

    boards: list[Board] = field(default_factory=list)
    schools: list[School] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.boards or self.schools or self.groups)

    def choices(self) -> list[tuple[str, str]]:
        choices = [(f"board:{board.pk}", _("Everyone at %(board)s (all schools)") % {"board": board.name})
                   for board in self.boards]
        choices += [(f"school:{school.pk}", _("Everyone at %(school)s") % {"school": school.name})
                    for school in self.schools]
        group_schools = {group.school_id: group.school for group in self.groups}
        choices += [(f"groups:{school.pk}", _("Groups of %(school)s (tick them below)") % {"school": school.name})
                    for school in sorted(group_schools.values(), key=lambda s: s.name)]
        return choices

    def resolve(self, value: str) -> tuple[str, Board | None, School | None]:
        """("school", None, <School>) for "school:3"; ValueError for anything not offered."""
        kind, _sep, pk = value.partition(":")
        if kind == Event.Audience.BOARD:
            return kind, next(b for b in self.boards if str(b.pk) == pk), None
        if kind == Event.Audience.SCHOOL:
            return kind, None, next(s for s in self.schools if str(s.pk) == pk)
        if kind == Event.Audience.GROUPS:
            return kind, None, next(g.school for g in self.groups if str(g.school_id) == pk)
        raise ValueError(value)


def audience_options(user) -> AudienceOptions:
    roles = roles_of(user)
    if not roles.is_staff:
        return AudienceOptions()
    switched_on = switched_on_school_ids()
    boards = list(Board.objects.filter(pk__in=roles.board_ids, schools__in=switched_on).distinct())
    schools = list(School.objects.filter(pk__in=managed_school_ids(user)).filter(pk__in=switched_on))
    groups = list(
        Group.objects.current()
        .filter(Q(school_id__in=managed_school_ids(user)) | Q(teachers=user))
        .filter(school_id__in=switched_on)
        .select_related("school")
        .distinct()
        .order_by("school__name", "grades", "name")
    )
    return AudienceOptions(boards, schools, groups)


def parse_days(text: str) -> list[datetime.date]:
    days = []
    for word in re.split(r"[\s,;]+", text or ""):
        if not word:
            continue
        for pattern in DATE_FORMATS:
            try:
                days.append(datetime.datetime.strptime(word, pattern).date())
                break
            except ValueError:
                continue
        else:
            raise forms.ValidationError(
                _("“%(word)s” is not a date; write dates like 2026-10-13."), params={"word": word}, code="invalid"
            )
    return sorted(set(days))


class GroupChoiceField(forms.ModelMultipleChoiceField):
    with_school = False  # name the school too when the groups are of more than one

    def label_from_instance(self, group):
        return f"{group.name} · {group.school.name}" if self.with_school else group.name


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(
        label=_("Kind of event"), initial=Event.Category.OTHER,
        choices=[(value, capfirst(label)) for value, label in Event.Category.choices],
    )
    audience = forms.ChoiceField(label=_("For whom"))
    groups = GroupChoiceField(
        label=_("Groups"), queryset=Group.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    all_day = forms.BooleanField(label=_("All day"), required=False)
    starts_on = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(
        label=_("Start time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends_on = forms.DateField(
        label=_("Last day"), required=False, help_text=_("Leave empty when it is one day."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end_time = forms.TimeField(
        label=_("End time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    repeat = forms.ChoiceField(label=_("Repeats"), choices=REPEAT_CHOICES, required=False)
    repeat_until = forms.DateField(
        label=_("Repeats until"), required=False, help_text=_("The last day it may take place."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    rrule = forms.CharField(
        label=_("Own repeat rule"), max_length=300, required=False,
        help_text=_("An iCalendar RRULE, for example FREQ=WEEKLY;BYDAY=TU,TH for every Tuesday and Thursday."),
    )
    exceptions = forms.CharField(
        label=_("Not on these days"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Days the repeating event skips, for example 2026-10-13; one per line."),
    )
    during_holidays = forms.BooleanField(
        label=_("Also during holidays"), required=False,
        help_text=_("A repeating event skips vacations and study days, unless you tick this."),
    )
    cancelled = forms.BooleanField(
        label=_("Cancelled"), required=False,
        help_text=_("A cancelled event stays in the calendar, marked as cancelled."),
    )

    def __init__(self, *args, options: AudienceOptions, event: Event | None = None, **kwargs):
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from(event)
        super().__init__(*args, **kwargs)
        self.options = options
        self.fields["audience"].choices = options.choices()
        self.fields["groups"].queryset = Group.objects.filter(pk__in=[g.pk for g in options.groups]).select_related(
            "school").order_by("school__name", "grades", "name")
        self.fields["groups"].with_school = len({group.school_id for group in options.groups}) > 1
        if event is None:
            del self.fields["cancelled"]

    def clean(self):
        data = super().clean()
        self._clean_audience(data)
        self._clean_when(data)
        if not self.has_error("starts_on") and not self.has_error("start_time"):
            self._clean_repeat(data)
        return data

    def _clean_audience(self, data):
        if not data.get("audience"):
            return
        kind, board, school = self.options.resolve(data["audience"])
        groups = list(data.get("groups") or [])
        if kind == Event.Audience.GROUPS:
            if not groups:
                self.add_error("groups", _("Tick the groups this event is for."))
            elif any(group.school_id != school.pk for group in groups):
                self.add_error("groups", _("Choose groups of %(school)s only.") % {"school": school.name})
        else:
            groups = []
        data.update(audience=kind, board=board, school=school, groups=groups)

    def _clean_when(self, data):
        starts_on = data.get("starts_on")
        if not starts_on:
            return
        data["ends_on"] = ends_on = data.get("ends_on") or starts_on
        if ends_on < starts_on:
            self.add_error("ends_on", _("The last day must not be before the first day."))
        if data.get("all_day"):
            data["start_time"] = data["end_time"] = None
            return
        if data.get("start_time") is None and not self.has_error("start_time"):
            self.add_error("start_time", _("Give a start time, or tick “All day”."))
        if data.get("end_time") is None and not self.has_error("end_time"):
            self.add_error("end_time", _("Give an end time, or tick “All day”."))
        if data.get("start_time") and data.get("end_time") and ends_on == starts_on:
            if data["end_time"] <= data["start_time"]:
                self.add_error("end_time", _("The end must be after the start."))

    def _clean_repeat(self, data):
        repeat, until = data.get("repeat"), data.get("repeat_until")
        try:
            exdates = parse_days(data.get("exceptions", ""))
        except forms.ValidationError as error:
            self.add_error("exceptions", error)
            exdates = []
        rule = ""
        if repeat == CUSTOM:
            try:
                rule = normalise_rrule(data.get("rrule", ""))
            except RecurrenceError as error:
                self.add_error("rrule", error.message)
                return
            if not rule:
                self.add_error("rrule", _("Write the rule, or choose how often it repeats above."))
                return
        elif repeat:
            rule = PRESETS[repeat]
        if not rule:
            if exdates:
                self.add_error("exceptions", _("Only a repeating event can skip days."))
            data.update(rrule="", exdates=[])
            return
        if until:
            if until < data["starts_on"]:
                self.add_error("repeat_until", _("The repeat end date is before the first day."))
                return
            parts = rule_parts(rule)
            if "UNTIL" in parts or "COUNT" in parts:
                self.add_error("repeat_until", _("Your own rule already says when it ends."))
                return
            rule = normalise_rrule(f"{rule};UNTIL={until:%Y%m%d}")
        try:
            check_rule(rule, data["starts_on"], None if data.get("all_day") else data.get("start_time"), exdates)
        except RecurrenceError as error:
            if error.part == "exdates":
                self.add_error("exceptions", error.message)
            else:
                self.add_error("rrule" if repeat == CUSTOM else "repeat", error.message)
            return
        data.update(rrule=rule, exdates=[day.isoformat() for day in exdates])

    def event_fields(self) -> dict:
        """The cleaned data as the actions take it."""
        data = self.cleaned_data
        names = ("audience", "board", "school", "groups", "title", "description", "location", "category",
                 "all_day", "starts_on", "ends_on", "start_time", "end_time", "rrule", "exdates")
        fields = {name: data[name] for name in names}
        fields["all_day"] = bool(fields["all_day"])
        fields["during_holidays"] = bool(data.get("during_holidays")) and bool(fields["rrule"])
        if "cancelled" in self.fields:
            fields["cancelled"] = bool(data.get("cancelled"))
        return fields


def initial_from(event: Event) -> dict:
    initial = {
        "title": event.title, "category": event.category, "all_day": event.all_day,
        "audience": f"{event.audience}:{event.board_id if event.audience == Event.Audience.BOARD else event.school_id}",
        "groups": [group.pk for group in event.groups.all()],
        "starts_on": event.starts_on, "ends_on": event.ends_on if event.ends_on != event.starts_on else None,
        "start_time": event.start_time, "end_time": event.end_time, "location": event.location,
        "description": event.description, "cancelled": event.cancelled,
        "exceptions": "\n".join(event.exdates or []),
        "during_holidays": event.during_holidays,
    }
    if event.rrule:
        parts = rule_parts(event.rrule)
        without_end = {key: value for key, value in parts.items() if key != "UNTIL"}
        preset = next((key for key, rule in PRESETS.items() if rule_parts(rule) == without_end), None)
        if preset:
            initial.update(repeat=preset, repeat_until=parts.get("UNTIL"))
        else:
            initial.update(repeat=CUSTOM, rrule=event.rrule)
    return initial
