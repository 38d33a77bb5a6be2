"""Forms of absences and leave. They check the rules of ``rules.py`` and put each message at the
field it is about; a form with a mistake keeps everything that was typed (and an accepted file)."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from schoolpoort.lib import dates

from .models import Absence, AbsenceSettings, LeaveRequest
from .rules import leave_problems, report_problems
from .uploads import accepted_extensions, accepted_types_text, discard_parked, park, prepare_statement, unpark

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
MAX_EXPORT_DAYS = 366


class ChildField(forms.ModelChoiceField):
    widget = forms.RadioSelect

    def label_from_instance(self, student):
        return student.full_name


class AbsenceForm(forms.Form):
    """A report by a parent, or (``by_staff``) a registration by the school."""

    student = ChildField(
        label=gettext_lazy("Child"), queryset=None, empty_label=None,
        error_messages={"required": gettext_lazy("Choose the child."),
                        "invalid_choice": gettext_lazy("Choose the child.")},
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Why"), choices=[(value, capfirst(label)) for value, label in Absence.Reason.choices],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose why the child is absent.")},
    )
    starts_on = forms.DateField(label=gettext_lazy("From"), widget=DATE, input_formats=DATE_FORMATS)
    ends_on = forms.DateField(
        label=gettext_lazy("Until and including"), required=False, widget=DATE, input_formats=DATE_FORMATS,
        help_text=gettext_lazy("Leave empty for one day. When the child is sick, leave it empty until the child is "
                               "better: you report that later."),
    )
    from_time = forms.TimeField(label=gettext_lazy("Part of the day: from"), required=False, widget=TIME)
    until_time = forms.TimeField(label=pgettext_lazy("time of day", "until"), required=False, widget=TIME)
    note = forms.CharField(
        label=gettext_lazy("Note for the school"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Optional. For example the time of the appointment."),
    )

    def __init__(self, *args, students, by_staff: bool = False, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_staff = by_staff
        self.today = today or timezone.localdate()
        self.fields["student"].queryset = students
        self.fields["starts_on"].initial = self.today
        if by_staff:
            self.fields["student"].label = _("Pupil")
            self.fields["student"].widget = forms.Select()
            self.fields["student"].empty_label = ""
            self.fields["note"].help_text = _("Optional. For example: the father called at 8:05.")

    def clean(self):
        data = super().clean()
        starts_on = data.get("starts_on")
        if starts_on is None or not data.get("reason"):
            return data
        problems = report_problems(
            reason=data["reason"], starts_on=starts_on, ends_on=data.get("ends_on"), from_time=data.get("from_time"),
            until_time=data.get("until_time"), by_staff=self.by_staff, today=self.today,
        )
        for problem in problems:
            self.add_error(problem.field, problem.message)
        student = data.get("student")
        if student is not None and not problems:
            last = data.get("ends_on") or (None if data["reason"] == Absence.Reason.SICK else starts_on)
            if data.get("from_time"):
                last = starts_on
            earlier = Absence.objects.filter(student=student).overlapping(starts_on, last).order_by("starts_on").first()
            if earlier is not None:
                self.add_error(None, _("%(name)s has already been reported absent from %(date)s.") % {
                    "name": student.first_name, "date": dates.style(earlier.starts_on, "day")})
        return data


class LeaveForm(forms.Form):
    student = ChildField(
        label=gettext_lazy("Child"), queryset=None, empty_label=None,
        error_messages={"required": gettext_lazy("Choose the child."),
                        "invalid_choice": gettext_lazy("Choose the child.")},
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of leave"),
        choices=[(value, capfirst(label)) for value, label in LeaveRequest.Kind.choices], widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the kind of leave.")},
    )
    circumstance = forms.ChoiceField(
        label=gettext_lazy("Circumstance"), required=False,
        choices=[("", "—"), *((value, capfirst(label)) for value, label in LeaveRequest.Circumstance.choices)],
        help_text=gettext_lazy("For leave for important circumstances."),
    )
    starts_on = forms.DateField(label=gettext_lazy("First day"), widget=DATE, input_formats=DATE_FORMATS)
    ends_on = forms.DateField(label=gettext_lazy("Last day"), widget=DATE, input_formats=DATE_FORMATS)
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Tell the director why you ask for leave.")},
    )
    statement = forms.FileField(
        label=gettext_lazy("Employer's statement"), required=False,
        help_text=gettext_lazy("Needed for holiday leave: it shows that your family cannot go on holiday in any "
                               "of the school vacations."),
    )
    statement_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, students, user, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = today or timezone.localdate()
        self.fields["student"].queryset = students
        self.fields["statement"].help_text = f"{self.fields['statement'].help_text} {accepted_types_text()}"
        self.fields["statement"].widget.attrs["accept"] = ",".join(accepted_extensions())
        self.kept_statement = None  # an accepted file from an earlier try

    def clean_statement(self):
        upload = self.cleaned_data.get("statement")
        return prepare_statement(upload) if upload else None

    def clean(self):
        data = super().clean()
        statement = data.get("statement")
        token = data.get("statement_token") or ""
        if statement is None and token and "statement" not in self.errors:
            self.kept_statement = statement = unpark(token, self.user)
            data["statement"] = statement
        student, kind = data.get("student"), data.get("kind")
        if student is None or not kind or data.get("starts_on") is None or data.get("ends_on") is None:
            return data
        problems = leave_problems(
            student=student, kind=kind, starts_on=data["starts_on"], ends_on=data["ends_on"],
            circumstance=data.get("circumstance") or "", has_statement=statement is not None, today=self.today,
        )
        for problem in problems:
            if problem.field == "statement" and "statement" in self.errors:
                continue  # the file's own error says enough
            self.add_error(problem.field, problem.message)
        return data

    def request_leave(self):
        """Send the valid request to the director (``actions.request_leave``), and drop the file kept
        from an earlier try. The leave page and the API ask here."""
        from .actions import request_leave

        data = self.cleaned_data
        leave = request_leave(
            self.user, data["student"], kind=data["kind"], starts_on=data["starts_on"], ends_on=data["ends_on"],
            reason=data["reason"], circumstance=data.get("circumstance") or "", statement=data.get("statement"),
        )
        if data.get("statement_token"):
            discard_parked(data["statement_token"])
        return leave

    def keep_statement(self) -> None:
        """After a mistake: park an accepted new file, so the next try has it without choosing again."""
        statement = getattr(self, "cleaned_data", {}).get("statement")
        if statement is None or "statement" in self.errors:
            return
        token = self.data.get("statement_token", "")
        if self.files.get("statement"):  # a new file: it replaces the one kept before
            if token:
                discard_parked(token)
            token = park(statement, self.user)
        self.kept_statement = statement
        self.data = self.data.copy()
        self.data["statement_token"] = token


class DecisionForm(forms.Form):
    APPROVE, REFUSE = "approve", "refuse"

    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"), widget=forms.RadioSelect,
        choices=[(APPROVE, gettext_lazy("Approve")), (REFUSE, gettext_lazy("Refuse"))],
        error_messages={"required": gettext_lazy("Choose approve or refuse.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The parents see it. Needed when you refuse."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REFUSE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for refusing: the parents see it."))
        return data

    @property
    def approves(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


class ExportForm(forms.Form):
    van = forms.DateField(label=gettext_lazy("From"), widget=DATE, input_formats=DATE_FORMATS)
    tot = forms.DateField(label=gettext_lazy("Until and including"), widget=DATE, input_formats=DATE_FORMATS)

    def clean(self):
        data = super().clean()
        first, last = data.get("van"), data.get("tot")
        if first and last:
            if last < first:
                self.add_error("tot", _("The last day cannot be before the first day."))
            elif (last - first).days >= MAX_EXPORT_DAYS:
                raise ValidationError(_("Export at most a year at a time."))
        return data


class SettingsForm(forms.ModelForm):
    class Meta:
        model = AbsenceSettings
        fields = ["cutoff_time", "check_time", "unexplained_alert"]
        widgets = {"cutoff_time": TIME, "check_time": TIME}
