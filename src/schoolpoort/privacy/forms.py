from django import forms
from django.utils.translation import gettext_lazy as _

from schoolpoort.lib.personal_data import Unit

MAX_DAYS = 100 * 366


class TermForm(forms.Form):
    amount = forms.IntegerField(label=_("Term"), min_value=1, max_value=1200)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.CHOICES)

    def clean(self):
        data = super().clean()
        if data.get("unit") == Unit.DAYS and (data.get("amount") or 0) > MAX_DAYS:
            self.add_error("amount", _("At most 100 years."))
        return data


class ErasureForm(forms.Form):
    student = forms.TypedChoiceField(label=_("Pupil whose family asks for erasure"), coerce=int)
    reason = forms.CharField(
        label=_("Request (date, who asked, how)"), max_length=300, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, students=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].choices = [("", "—")] + [
            (s.pk, f"{s.full_name} ({s.sis_id})" if s.sis_id else s.full_name) for s in students
        ]
