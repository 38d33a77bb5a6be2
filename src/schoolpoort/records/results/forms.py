"""Forms with which staff enter and correct results by hand. A failed form keeps what was typed
(bound forms) and says why next to the field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.models import SchoolYear
from schoolpoort.lib import uploads

from .imports import KINDS
from .models import (
    ALL_LEVELS,
    MethodTest,
    ReportCard,
    ReportCardLine,
    ReportPeriod,
    ScoreKind,
    StandardisedTest,
    normalise_level,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_PDF = 10 * 1024 * 1024
NOT_A_PDF = _("“%(name)s” is not a PDF.")
REPORT_CARD = uploads.Policy(
    kinds=frozenset({"pdf"}), max_size=MAX_PDF, not_accepted=NOT_A_PDF, unreadable=NOT_A_PDF,
)


class MethodTestForm(forms.ModelForm):
    class Meta:
        model = MethodTest
        fields = ["subject", "method", "block", "taken_on", "score_kind", "score", "norm", "remark"]
        widgets = {
            "taken_on": DATE,
            "score": forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
            "norm": forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
        }

    def __init__(self, *args, student, **kwargs):
        super().__init__(*args, **kwargs)
        self.student = student

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("score_kind") == ScoreKind.GRADE:
            for name in ("score", "norm"):
                value = cleaned.get(name)
                if value is not None and not 1 <= value <= 10:
                    self.add_error(name, _("A grade is between 1 and 10."))
        key = {name: cleaned.get(name) for name in ("subject", "method", "block", "taken_on")}
        if all(key[name] is not None for name in key):
            clash = MethodTest.objects.filter(student=self.student, **key).exclude(pk=self.instance.pk)
            if clash.exists():
                raise ValidationError(_("This pupil already has a result for this block on this date."))
        return cleaned


class StandardisedTestForm(forms.ModelForm):
    level = forms.CharField(
        label=_("level"),
        required=False,
        max_length=4,
        help_text=_("I–V, A–E or 1F, 2F, 1S. Empty: from the level bands of the test, if known."),
    )

    class Meta:
        model = StandardisedTest
        fields = ["test", "moment", "taken_on", "ability_score", "level"]
        widgets = {
            "taken_on": DATE,
            "moment": forms.TextInput(attrs={"size": 3, "autocapitalize": "characters"}),
            "ability_score": forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
        }

    def __init__(self, *args, student, **kwargs):
        super().__init__(*args, **kwargs)
        self.student = student

    def clean_moment(self):
        return (self.cleaned_data.get("moment") or "").strip().upper()

    def clean_level(self):
        level = normalise_level(self.cleaned_data.get("level", ""))
        if level and level not in ALL_LEVELS:
            raise ValidationError(_("Use I–V, A–E, or 1F, 2F, 1S."))
        return level

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("ability_score") is None and not cleaned.get("level") and not self.errors:
            raise ValidationError(_("Give an ability score, a level, or both."))
        test, moment, day = cleaned.get("test"), cleaned.get("moment"), cleaned.get("taken_on")
        if test and moment and day:
            year = SchoolYear.for_date(day)
            self.instance.school_year = year
            clash = StandardisedTest.objects.filter(
                student=self.student, test__iexact=test, moment=moment, school_year=year
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                raise ValidationError(_("This pupil already has a result for this test at this moment."))
        return cleaned


class ReportPeriodForm(forms.ModelForm):
    class Meta:
        model = ReportPeriod
        fields = ["school_year", "name", "released_on"]
        widgets = {"released_on": DATE}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.instance.school = school

    def clean(self):
        cleaned = super().clean()
        year, name = cleaned.get("school_year"), cleaned.get("name")
        if year and name:
            clash = ReportPeriod.objects.filter(school=self.school, school_year=year, name__iexact=name)
            if clash.exclude(pk=self.instance.pk).exists():
                self.add_error("name", _("This school year already has a period with this name."))
        return cleaned


class ReportCardForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("report card (PDF)"),
        required=False,
        help_text=_("A PDF of at most %(size)s.") % {"size": filesizeformat(MAX_PDF)},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    remove_file = forms.BooleanField(label=_("remove the PDF"), required=False)

    class Meta:
        model = ReportCard
        fields = ["remark"]
        widgets = {"remark": forms.Textarea(attrs={"rows": 3})}

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        checked = uploads.check(upload, REPORT_CARD, name=uploads.file_name(upload, "rapport.pdf"))
        return checked.content  # the upload, under its checked name


ReportCardLineFormSet = inlineformset_factory(
    ReportCard,
    ReportCardLine,
    fields=["subject", "grade", "text"],
    extra=3,
    can_delete=True,
)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is in the file"), choices=list(KINDS.items()), widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Exported from the administration system; the columns are described on the help page."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(_("The file is too large; at most 5 MB."))
        return upload
