from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from schoolpoort.core.models import StaffMembership
from schoolpoort.lib import dates

from .access import plannable_groups
from .models import Round, Session
from .slots import local_zone, parse_breaks, slot_times

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]


def _datetime_field(label, required=True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=DATETIME_FORMATS,
    )


class GroupChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, group):
        return f"{group.name} · {group.school.name}"


class RoundForm(forms.ModelForm):
    groups = GroupChoiceField(
        label=gettext_lazy("Groups"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose the groups whose families are invited.")},
    )
    booking_opens_at = _datetime_field(
        gettext_lazy("Booking opens at"), help_text=gettext_lazy("Families are notified at this moment.")
    )
    booking_closes_at = _datetime_field(
        gettext_lazy("Booking closes at"), help_text=gettext_lazy("Until then parents may book, change and cancel.")
    )
    video_link = forms.URLField(
        label=capfirst(Round._meta.get_field("video_link").verbose_name),
        help_text=Round._meta.get_field("video_link").help_text,
        required=False,
        assume_scheme="https",
    )
    planning_at = _datetime_field(
        gettext_lazy("Plan from preferred times at (optional)"),
        required=False,
        help_text=Round._meta.get_field("planning_at").help_text,
    )

    class Meta:
        model = Round
        fields = [
            "title", "groups", "location", "video_link", "booking_opens_at", "booking_closes_at", "planning_at",
            "separated_guardians", "slot_minutes", "break_every", "break_minutes", "remind_day_before",
        ]
        widgets = {"separated_guardians": forms.RadioSelect}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = plannable_groups(user)
        if self.instance.pk:
            queryset = queryset.filter(school_id=self.instance.school_id)
        self.fields["groups"].queryset = queryset
        if self.instance.pk and self.instance.sessions.exists():
            for name in ("slot_minutes", "break_every", "break_minutes"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed once times have been added.")
        self.fields["separated_guardians"].help_text = _(
            "One conversation per child. Separated guardians (the school marks them, or one keeps their contact "
            "details from the other) may each book their own; neither sees the other's booking."
        )

    def clean(self):
        data = super().clean()
        groups = data.get("groups") or []
        if len({group.school_id for group in groups}) > 1:
            self.add_error("groups", _("Choose groups of one school."))
        opens, closes, planning = data.get("booking_opens_at"), data.get("booking_closes_at"), data.get("planning_at")
        if opens and closes and closes <= opens:
            self.add_error("booking_closes_at", _("Booking must close after it opens."))
        if planning and opens and closes and not (opens < planning <= closes):
            self.add_error("planning_at", _("Plan between the opening and the closing of booking."))
        if data.get("break_every") and not data.get("break_minutes"):
            self.add_error("break_minutes", _("How long is the break?"))
        return data

    @property
    def school(self):
        groups = self.cleaned_data["groups"]
        return groups[0].school


class SessionForm(forms.Form):
    teacher = forms.ModelChoiceField(label=gettext_lazy("Teacher"), queryset=None)
    group = forms.ModelChoiceField(label=gettext_lazy("Conversations with the families of"), queryset=None)
    date = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts_at = forms.TimeField(label=gettext_lazy("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(
        label=pgettext_lazy("time of day", "Until"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    breaks = forms.CharField(
        label=gettext_lazy("Breaks"), required=False, max_length=200,
        help_text=Session._meta.get_field("breaks").help_text,
    )
    location = forms.CharField(
        label=gettext_lazy("Room"), required=False, max_length=200,
        help_text=Session._meta.get_field("location").help_text,
    )

    def __init__(self, *args, round: Round, user, manages: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        groups = round.groups.all().order_by("grades", "name")
        if manages:
            staff = StaffMembership.objects.filter(school=round.school).values("user_id")
            teachers = get_user_model().objects.filter(Q(pk__in=staff) | Q(taught_groups__in=groups)).distinct()
        else:  # a teacher plans their own conversations, with their own groups
            teachers = get_user_model().objects.filter(pk=user.pk)
            groups = groups.filter(teachers=user)
        self.fields["teacher"].queryset = teachers.order_by("last_name", "first_name")
        self.fields["teacher"].initial = user.pk
        self.fields["group"].queryset = groups
        self.fields["teacher"].label_from_instance = lambda u: u.full_name or u.email

    def clean(self):
        data = super().clean()
        date, start, end = data.get("date"), data.get("starts_at"), data.get("ends_at")
        if not (date and start and end):
            return data
        if date < timezone.localdate():
            self.add_error("date", _("Choose a date that has not passed."))
        if end <= start:
            self.add_error("ends_at", _("The window must end after it starts."))
            return data
        try:
            data["break_times"] = parse_breaks(data.get("breaks", ""))
        except ValueError as error:
            self.add_error("breaks", str(error))
            return data
        round = self.round
        times = slot_times(date, start, end, minutes=round.slot_minutes, break_every=round.break_every,
                           break_minutes=round.break_minutes, breaks=data["break_times"])
        if not times:
            raise ValidationError(_("Not one conversation of %(minutes)d minutes fits in this window.")
                                  % {"minutes": round.slot_minutes})
        teacher = data.get("teacher")
        if teacher is not None:
            overlapping = Session.objects.filter(
                teacher=teacher, date=date, starts_at__lt=end, ends_at__gt=start
            ).exists()
            if overlapping:
                self.add_error("starts_at", _("This teacher already has conversations at that time."))
        return data


class PlaceForm(forms.Form):
    slot = forms.TypedChoiceField(label=gettext_lazy("Time"), coerce=int)
    party = forms.TypedChoiceField(label=gettext_lazy("For"), coerce=int, initial=0)

    def __init__(self, *args, slots, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(slot.pk, slot_label(slot, teacher=True)) for slot in slots]
        self.fields["party"].choices = parties
        if len(parties) == 1:
            self.fields["party"].widget = forms.HiddenInput()


def slot_label(slot, *, teacher: bool = False) -> str:
    local = timezone.localtime(slot.starts_at)
    label = dates.style(local, "weekday_time", start=True)
    if teacher:
        label += f" · {slot.teacher.full_name or slot.teacher.email}"
    return label


# --- Preferred times --------------------------------------------------------------------------------

BLOCK = datetime.timedelta(hours=1)


def preference_blocks(sessions) -> list[tuple[str, str]]:
    """Hour-long blocks over the evenings (or days) of these sessions: (value, label)."""
    zone = local_zone()
    spans: dict[datetime.date, list[datetime.datetime]] = {}
    for session in sessions:
        start = datetime.datetime.combine(session.date, session.starts_at, tzinfo=zone)
        end = datetime.datetime.combine(session.date, session.ends_at, tzinfo=zone)
        span = spans.setdefault(session.date, [start, end])
        span[0], span[1] = min(span[0], start), max(span[1], end)
    blocks = []
    for day in sorted(spans):
        moment, end = spans[day]
        while moment < end:
            until = min(moment + BLOCK, end)
            value = f"{moment.isoformat()}|{until.isoformat()}"
            day_text = dates.style(moment, "weekday", start=True)
            label = f"{day_text}, {dates.style(moment, 'time')}–{dates.style(until, 'time')}"
            blocks.append((value, label))
            moment = until
    return blocks


class PreferenceForm(forms.Form):
    windows = forms.MultipleChoiceField(
        label=gettext_lazy("Times that suit us"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("Tick every time you can come; the more you tick, the better the planner can help."),
    )

    def __init__(self, *args, blocks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["windows"].choices = blocks

    def cleaned_windows(self) -> list[list[str]]:
        return [value.split("|", 1) for value in self.cleaned_data["windows"]]
