from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import StaffProfile, Weekday
from .photos import prepare_photo


class ProfileForm(forms.ModelForm):
    new_photo = forms.FileField(
        label=_("Photo"), required=False,
        help_text=_("A JPG, PNG or WebP photo. It is cut to a square; its metadata (such as the place it was "
                    "taken) is removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/heic"}),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)
    days = forms.TypedMultipleChoiceField(
        label=_("Days at school"), choices=[(day, capfirst(name)) for day, name in Weekday.choices],
        coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = StaffProfile
        fields = ["display_name", "role_text", "days", "show_photo", "show_days", "show_groups"]

    def clean_new_photo(self):
        upload = self.cleaned_data.get("new_photo")
        if not upload:
            return None
        try:
            return prepare_photo(upload)
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def save(self, commit=True):
        profile = super().save(commit=False)
        old = profile.photo.name if profile.photo else ""
        photo = self.cleaned_data.get("new_photo")
        if photo is not None:
            profile.photo.save(photo.name, photo, save=False)
        elif self.cleaned_data.get("remove_photo"):
            profile.photo = ""
        profile.save()
        if old and old != (profile.photo.name if profile.photo else ""):
            profile.photo.storage.delete(old)
        return profile
