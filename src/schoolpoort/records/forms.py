"""Forms of the records: a guardian's correction request, a reaction to a note, and the staff
forms that keep each part."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .corrections import FIELDS, MODELS
from .csvimport import KINDS
from .models import (
    ClosedPeriod,
    Contact,
    Invoice,
    MedicalInfo,
    Note,
    NoteCategory,
    Part,
    RecordsSettings,
    StudentCard,
    SupportPlan,
)

POSTAL_CODE = re.compile(r"^\d{4}\s?[A-Za-z]{2}$")


class CorrectionForm(forms.Form):
    """The current values, to be changed where they are wrong. Built from the model's fields."""

    def __init__(self, subject: str, record, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = MODELS[subject]
        for name in FIELDS[subject]:
            model_field = model._meta.get_field(name)
            field = model_field.formfield(required=False)
            if subject == "medical":
                field.widget = forms.Textarea(attrs={"rows": 2})
            field.initial = getattr(record, name) or ""
            self.fields[name] = field
        self.fields["comment"] = forms.CharField(
            label=_("Explanation for the school (optional)"),
            required=False,
            max_length=1000,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    def clean_postal_code(self):
        value = (self.cleaned_data.get("postal_code") or "").strip()
        if value and not POSTAL_CODE.match(value):
            raise forms.ValidationError(_("Enter a Dutch postal code, such as 3526 KT."))
        return value.upper()


class ReactionForm(forms.Form):
    text = forms.CharField(label=_("Your reaction"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the parent"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


# --- Staff forms ------------------------------------------------------------------------------------


class CardForm(forms.ModelForm):
    class Meta:
        model = StudentCard
        fields = ["street", "postal_code", "city", "phone", "mobile", "email"]

    def clean_postal_code(self):
        value = (self.cleaned_data.get("postal_code") or "").strip()
        if value and not POSTAL_CODE.match(value):
            raise forms.ValidationError(_("Enter a Dutch postal code, such as 3526 KT."))
        return value.upper()


class MedicalForm(forms.ModelForm):
    class Meta:
        model = MedicalInfo
        fields = ["allergies", "medication", "diet", "doctor", "dentist", "notes"]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in fields}


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "relation", "phone", "is_emergency"]


class InvoiceForm(forms.ModelForm):
    class Meta:
        model = Invoice
        fields = ["description", "amount", "amount_paid", "status", "due_on", "paid_on", "reference"]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "paid_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        data = super().clean()
        amount, paid = data.get("amount"), data.get("amount_paid")
        if amount is not None and amount < 0:
            self.add_error("amount", _("The amount cannot be negative."))
        if amount is not None and paid is not None and paid > amount:
            self.add_error("amount_paid", _("More has been paid than the amount."))
        if data.get("status") == Invoice.Status.PAID and not data.get("paid_on"):
            self.add_error("paid_on", _("Enter the date of payment."))
        return data


class PlanForm(forms.ModelForm):
    title = forms.CharField(label=_("title"), max_length=200)

    class Meta:
        model = SupportPlan
        fields = ["title", "starts_on", "ends_on", "goals", "evaluation"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "goals": forms.Textarea(attrs={"rows": 5}),
            "evaluation": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        data = super().clean()
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date lies before the start date."))
        return data


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["category", "date", "text"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, school, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = NoteCategory.objects.filter(school=school)


class NoteCategoryForm(forms.ModelForm):
    """The instance carries the school (not a field of the form), so the unique name per school is
    checked here; the database constraint would otherwise only answer with an error page."""

    class Meta:
        model = NoteCategory
        fields = ["name", "open_to_guardians", "guardians_react"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        taken = NoteCategory.objects.filter(school_id=self.instance.school_id, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This school already has a category with this name."))
        return name

    def clean(self):
        data = super().clean()
        if data.get("guardians_react") and not data.get("open_to_guardians"):
            self.add_error("guardians_react", _("Parents can only react to notes they see."))
        return data


PART_CHOICES = [(part.value, part.label) for part in Part]


class SettingsForm(forms.ModelForm):
    parts_on = forms.MultipleChoiceField(
        label=_("Parts switched on"), choices=PART_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    parts_without_authority = forms.MultipleChoiceField(
        label=_("Parts open to guardians without parental authority"),
        choices=PART_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = RecordsSettings
        fields = [
            "parts_on",
            "parts_without_authority",
            "plans_visible_from",
            "notes_visible_from",
            "payment_instructions",
        ]
        widgets = {
            "plans_visible_from": forms.DateInput(attrs={"type": "date"}),
            "notes_visible_from": forms.DateInput(attrs={"type": "date"}),
            "payment_instructions": forms.Textarea(attrs={"rows": 3}),
        }


class ClosedPeriodForm(forms.ModelForm):
    parts = forms.MultipleChoiceField(
        label=_("Closed parts"),
        choices=PART_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=[part.value for part in Part],
    )

    class Meta:
        model = ClosedPeriod
        fields = ["starts_on", "ends_on", "message", "parts"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        data = super().clean()
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date lies before the start date."))
        return data


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is in the file"), choices=list(KINDS.items()), widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Exported from the administration system; the columns are listed below."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is too large; at most 5 MB."))
        return upload
